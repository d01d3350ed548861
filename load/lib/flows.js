// What the load scenarios do, written once for k6 and for the Node smoke test. A `client` is
// { request(method, path, { body, token, headers, name }) → Promise<{ status, body }>, sign(raw) → header }.
// Every step returns its response so the caller can check it (k6 `check`, or the test's expect).
import { customerNumber, firstLine, inboundTextWebhook } from "./meta.js";

/** A signed webhook carrying one customer message; 200 means stored (or a known retry). */
export async function customerWrites(client, { phoneNumberId, vu, iteration, text }) {
  const from = customerNumber(vu, iteration);
  const raw = JSON.stringify(inboundTextWebhook({ phoneNumberId, from, name: `Cliente ${vu}-${iteration}`, text: text ?? firstLine(iteration) }));
  const res = await client.request("POST", "/webhooks/whatsapp", { body: raw, headers: { "x-hub-signature-256": client.sign(raw) }, name: "webhook" });
  return { from, res };
}

export async function login(client, email, password) {
  const res = await client.request("POST", "/v1/auth/login", { body: { email, password }, name: "login" });
  return { token: res.status === 200 ? res.body.token : null, agent: res.status === 200 ? res.body.agent : null, res };
}

const conversationPath = (id, action) => `/v1/conversations/${id}${action ? `/${action}` : ""}`;

/**
 * One agent's turn at the inbox: look at the queue, claim the oldest waiting chat (someone may beat us to
 * it: a 409 `already_assigned` is the product working, not an error), read it, reply, note, tag, then
 * resolve it, or transfer it to `transferTo` first when given.
 */
export async function agentWorksAChat(client, token, { transferTo = null, outcome = "resolved" } = {}) {
  const steps = [];
  const step = async (name, method, path, body) => {
    const res = await client.request(method, path, { token, body, name });
    steps.push({ name, res });
    return res;
  };
  await step("heartbeat", "POST", "/v1/agents/me/heartbeat");
  await step("counts", "GET", "/v1/conversations/counts");
  const queue = await step("queue", "GET", "/v1/conversations?view=unassigned&limit=10");
  const waiting = queue.status === 200 ? queue.body.items : [];
  if (!waiting.length) return { steps, handled: null };
  const id = waiting[0].id;
  const claim = await step("claim", "POST", conversationPath(id, "claim"));
  if (claim.status !== 200) return { steps, handled: null, lostRace: claim.status === 409 };
  await step("open", "GET", conversationPath(id));
  await step("reply", "POST", conversationPath(id, "messages"), { text: "¡Hola! Con gusto le ayudo, ¿me comparte su número de pedido?" });
  await step("note", "POST", conversationPath(id, "notes"), { text: "Cliente recurrente; revisar historial" });
  await step("tag", "POST", conversationPath(id, "tags"), { tag: "carga" });
  if (transferTo) {
    await step("transfer", "POST", conversationPath(id, "transfer"), { toTeamId: transferTo, reason: "Lo ve el otro equipo", note: "Contexto para el equipo" });
    return { steps, handled: id, transferred: true };
  }
  const body = outcome === "won" ? { outcome: "won", dealValue: 1500, currency: "MXN" } : { outcome };
  await step("resolve", "POST", conversationPath(id, "resolve"), body);
  return { steps, handled: id };
}

/** What a supervisor's screen polls: counts, the whole team's list, SLA alerts, the team's agents. */
export async function supervisorLooks(client, token) {
  const get = (name, path) => client.request("GET", path, { token, name });
  return [
    { name: "counts", res: await get("counts", "/v1/conversations/counts") },
    { name: "all", res: await get("all", "/v1/conversations?view=all&limit=50") },
    { name: "pending", res: await get("pending", "/v1/conversations?view=all&status=pending&limit=50") },
    { name: "alerts", res: await get("alerts", "/v1/alerts") },
    { name: "agents", res: await get("agents", "/v1/agents") },
  ];
}

/** 2xx, or the one refusal a busy inbox produces by design (a claim lost to a colleague). */
export function acceptable(name, res) {
  return (res.status >= 200 && res.status < 300) || (name === "claim" && res.status === 409);
}

/** The nine boards a supervisor flips through, and how their data is asked for (Remix's loader data). */
export function dashboardPath(id, range) {
  return `/dashboards/${id}?range=${range}&_data=${encodeURIComponent("routes/dashboards.$id")}`;
}

/**
 * Signing in to the web app as a browser does: the login page's CSRF token, then the form from the same
 * origin. The client keeps the session cookie (k6 per VU; the Node client's jar).
 */
export async function webSignIn(client, email, password) {
  const page = await client.request("GET", "/login", { name: "login page" });
  const csrf = (/<input[^>]*name="csrf"[^>]*value="([^"]*)"/.exec(String(page.body)) || [])[1] || "";
  const form = `email=${encodeURIComponent(email)}&password=${encodeURIComponent(password)}&csrf=${encodeURIComponent(csrf)}`;
  const res = await client.request("POST", "/login", {
    body: form, name: "web login", headers: { "content-type": "application/x-www-form-urlencoded", origin: client.baseUrl },
  });
  return { ok: res.status === 200 || res.status === 302, res };
}

/** A supervisor's dashboards: each board's data for the range, as the page's refresh asks for it. */
export async function supervisorWatchesDashboards(client, ids, range = "7d") {
  const looks = [];
  for (const id of ids) looks.push({ name: id, res: await client.request("GET", dashboardPath(id, range), { name: "dashboard" }) });
  return looks;
}
