import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sendToGraph } from "../src/channels/whatsapp/graph-client.js";
import { manualClock } from "../src/clock.js";
import { parseWebhook } from "../src/channels/whatsapp/payload.js";
import { verifySignature } from "../src/channels/whatsapp/signature.js";
import {
  createGraphApiSimulator, createSimulatedCustomers, seededRandom, WINDOW_DETAILS, type GraphApiSimulatorOptions,
} from "../src/channels/whatsapp/simulator/index.js";

const TOKEN = "EAAtest-token";
const SECRET = "app-secret-for-tests";
const PNID = "106540352242922";
const CUSTOMER = "5215512345678";
const HOUR = 3_600_000;

const closers: Array<() => Promise<void>> = [];
afterEach(async () => { await Promise.all(closers.splice(0).map((close) => close())); });

type Captured = { body: string; signature: string; json: any };

/** A webhook receiver that keeps what it got and checks nothing, so assertions stay in the tests. */
function collector() {
  const got: Captured[] = [];
  const target = async (body: string, signature: string) => { got.push({ body, signature, json: JSON.parse(body) }); };
  return { got, target, statuses: () => got.flatMap((w) => w.json.entry[0].changes[0].value.statuses ?? []) };
}

function setup(extra: Partial<GraphApiSimulatorOptions> = {}) {
  const hook = collector();
  const clock = manualClock(new Date("2025-06-16T15:00:00Z"));
  const sim = createGraphApiSimulator({
    accessToken: TOKEN, appSecret: SECRET, webhookUrl: hook.target, clock, random: seededRandom(42),
    statusDelaysMs: { sent: 0, delivered: 0, read: 0 }, statusTimers: false, ...extra,
  });
  const send = async (body: unknown, token: string | null = TOKEN) => {
    const r = await sim.app.request(`/v21.0/${PNID}/messages`, {
      method: "POST", body: typeof body === "string" ? body : JSON.stringify(body),
      headers: { "content-type": "application/json", ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    });
    return { status: r.status, body: await r.json() as any };
  };
  return { sim, state: sim.state, hook, clock, send };
}

const text = (body: string, to = CUSTOMER) => ({ messaging_product: "whatsapp", recipient_type: "individual", to, type: "text", text: { body } });
const template = { messaging_product: "whatsapp", to: CUSTOMER, type: "template", template: { name: "seguimiento_pedido", language: { code: "es_MX" } } };
const signedOk = (w: Captured) => verifySignature(Buffer.from(w.body), w.signature, SECRET);

describe("Graph API simulator: requests", () => {
  it("refuses a missing or wrong token with 401 and Meta's OAuthException 190", async () => {
    const { send, state } = setup();
    for (const token of [null, "wrong"]) {
      const res = await send(text("hola"), token);
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 190, type: "OAuthException" });
      expect(res.body.error.fbtrace_id).toMatch(/^A[\w-]{22}$/);
    }
    expect(state.requests.unauthorized).toBe(2);
    expect(state.sent).toHaveLength(0);
  });

  it("refuses invalid bodies with 400 code 100 and a message naming the parameter", async () => {
    const { send, state } = setup();
    state.customerWrote(CUSTOMER);
    const cases: Array<[unknown, RegExp]> = [
      ["{nope", /not valid JSON/],
      [{ to: CUSTOMER, type: "text", text: { body: "hola" } }, /messaging_product is required/],
      [text("hola", "+52 55 abc"), /Param to/],
      [{ ...text("hola"), type: "carousel" }, /Param type/],
      [text("x".repeat(4097)), /text\['body'\] must be at most 4096/],
      [{ messaging_product: "whatsapp", to: CUSTOMER, type: "image", image: {} }, /exactly one of id or link/],
      [{ messaging_product: "whatsapp", to: CUSTOMER, type: "template", template: { name: "x" } }, /template\['language'\] is required/],
      [{ messaging_product: "whatsapp", to: CUSTOMER, type: "interactive", interactive: { type: "button", body: { text: "¿Qué necesitas?" }, action: { buttons: [1, 2, 3, 4].map((i) => ({ type: "reply", reply: { id: `b${i}`, title: `Opción ${i}` } })) } } }, /buttons'\] must have at most 3/],
    ];
    for (const [body, details] of cases) {
      const res = await send(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 100, message: "(#100) Invalid parameter", error_data: { messaging_product: "whatsapp" } });
      expect(res.body.error.error_data.details).toMatch(details);
    }
    expect(state.requests.invalid).toBe(cases.length);
    expect(state.sent).toHaveLength(0);
  });

  it("accepts text inside the window and posts signed sent → delivered → read statuses", async () => {
    const { send, state, hook, clock } = setup({ statusDelaysMs: { sent: 1000, delivered: 2000, read: 60_000 } });
    state.customerWrote(CUSTOMER, new Date(clock.now().getTime() - 23 * HOUR));
    const res = await send(text("Con gusto, le comparto la cotización"));
    expect(res.status).toBe(200);
    const wamid = res.body.messages[0].id;
    expect(res.body).toEqual({ messaging_product: "whatsapp", contacts: [{ input: CUSTOMER, wa_id: CUSTOMER }], messages: [{ id: wamid }] });
    expect(wamid).toMatch(/^wamid\.HBg[A-Za-z0-9+/=]+$/);
    expect(state.sent[0]).toMatchObject({ phoneNumberId: PNID, to: CUSTOMER, type: "text", content: { body: "Con gusto, le comparto la cotización" }, wamid });
    expect(await state.flushStatuses()).toBe(3);
    expect(hook.got.every(signedOk)).toBe(true);
    const parsed = hook.got.map((w) => parseWebhook(w.json));
    expect(parsed.every((p) => p.messages.length === 0)).toBe(true);
    expect(parsed.flatMap((p) => p.statuses)).toMatchObject(["sent", "delivered", "read"].map((status) => ({ phoneNumberId: PNID, waMessageId: wamid, status, errorCode: null })));
    const statuses = hook.statuses();
    expect(statuses.map((s) => s.status)).toEqual(["sent", "delivered", "read"]);
    expect(statuses.every((s) => s.id === wamid && s.recipient_id === CUSTOMER)).toBe(true);
    const sentAt = Number(statuses[0].timestamp);
    expect(statuses.map((s) => Number(s.timestamp) - sentAt)).toEqual([0, 2, 62]);
    expect(statuses[0]).toMatchObject({ conversation: { origin: { type: "service" } }, pricing: { category: "service" } });
    expect(hook.got[0]!.json.entry[0].changes[0]).toMatchObject({ field: "messages", value: { messaging_product: "whatsapp", metadata: { phone_number_id: PNID } } });
  });

  it("refuses non-template messages outside the 24 h window with 131047, and allows templates", async () => {
    const { send, state, clock } = setup();
    expect((await send(text("hola"))).body.error.code).toBe(131047);
    state.customerWrote(CUSTOMER, new Date(clock.now().getTime() - 25 * HOUR));
    const late = await send({ messaging_product: "whatsapp", to: CUSTOMER, type: "image", image: { link: "https://example.com/a.jpg" } });
    expect(late.status).toBe(400);
    expect(late.body.error).toMatchObject({ code: 131047, message: "(#131047) Re-engagement message", error_data: { details: WINDOW_DETAILS } });
    const tpl = await send(template);
    expect(tpl.status).toBe(200);
    expect(tpl.body.messages[0].message_status).toBe("accepted");
    expect(state.sent.map((m) => m.type)).toEqual(["template"]);
    expect(state.requests).toMatchObject({ outside_window: 2, ok: 1 });
  });

  it("honours enforceWindow: false, and windowErrors: status reports 131047 as a failed status", async () => {
    expect((await setup({ enforceWindow: false }).send(text("hola"))).status).toBe(200);
    const { send, state, hook } = setup({ windowErrors: "status" });
    expect((await send(text("hola"))).status).toBe(200);
    await state.flushStatuses();
    expect(hook.statuses()).toMatchObject([{ status: "failed", errors: [{ code: 131047 }] }]);
  });

  it("serves forced and random throughput faults with Meta's codes", async () => {
    const { send, state } = setup({ faults: { failNext: [{ status: 429, code: 130429, message: "(#130429) Rate limit hit" }, { status: 500, code: 131000, message: "(#131000) Something went wrong" }] } });
    state.customerWrote(CUSTOMER);
    const [a, b, c] = [await send(text("1")), await send(text("2")), await send(text("3"))];
    expect([a.status, a.body.error.code, b.status, b.body.error.code, c.status]).toEqual([429, 130429, 500, 131000, 200]);
    state.faults.rate429 = 1;
    expect((await send(text("4"))).body.error).toMatchObject({ code: 130429, message: "(#130429) Rate limit hit" });
    Object.assign(state.faults, { rate429: 0, rate500: 1 });
    expect((await send(text("5"))).body.error).toMatchObject({ code: 131000 });
    expect(state.requests).toMatchObject({ forced: 2, rate_limited: 1, server_error: 1, ok: 1 });
  });

  it("reports messages to undeliverable numbers as failed with 131026", async () => {
    const { send, state, hook } = setup({ faults: { undeliverableTo: ["5215500000000"] } });
    state.customerWrote("5215500000000");
    expect((await send(text("hola", "5215500000000"))).status).toBe(200);
    await state.flushStatuses();
    expect(hook.statuses()).toMatchObject([{ status: "failed", recipient_id: "5215500000000", errors: [{ code: 131026, title: "Message undeliverable" }] }]);
    expect(parseWebhook(hook.got[0]!.json).statuses).toMatchObject([{ status: "failed", errorCode: 131026 }]);
  });

  it("releases statuses by the clock with deliverDueStatuses, and by timers when enabled", async () => {
    const { send, state, hook, clock } = setup({ statusDelaysMs: { sent: 1000, delivered: 1000, read: 5000 } });
    state.customerWrote(CUSTOMER);
    await send(text("hola"));
    expect(await state.deliverDueStatuses()).toBe(0);
    clock.advance(2000);
    expect(await state.deliverDueStatuses()).toBe(2);
    clock.advance(5000);
    expect(await state.deliverDueStatuses()).toBe(1);
    expect(hook.statuses().map((s) => s.status)).toEqual(["sent", "delivered", "read"]);

    const timed = setup({ statusTimers: true, statusDelaysMs: { sent: 5, delivered: 5, read: 5 } });
    timed.state.customerWrote(CUSTOMER);
    await timed.send(text("hola"));
    await vi.waitFor(() => expect(timed.hook.got).toHaveLength(3), { timeout: 2000 });
    expect(timed.hook.statuses().map((s) => s.status)).toEqual(["sent", "delivered", "read"]);
    await timed.sim.close();
  });

  it("POSTs signed webhooks over HTTP when webhookUrl is a URL, and answers GET phone number", async () => {
    const got: Array<{ ok: boolean; body: any }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks);
        got.push({ ok: verifySignature(raw, req.headers["x-hub-signature-256"] as string, SECRET), body: JSON.parse(raw.toString()) });
        res.end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { send, state, sim } = setup({ webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp` });
      state.customerWrote(CUSTOMER);
      await send(text("hola"));
      await state.flushStatuses();
      expect(got.map((g) => [g.ok, g.body.entry[0].changes[0].value.statuses[0].status])).toEqual([[true, "sent"], [true, "delivered"], [true, "read"]]);
      expect(state.webhooks).toMatchObject({ delivered: 3, failed: 0 });
      const phone = await sim.app.request(`/v21.0/${PNID}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(await phone.json()).toMatchObject({ id: PNID, display_phone_number: "+1 555-078-3881", quality_rating: "GREEN", verified_name: expect.any(String) });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe("Graph API simulator against the router's own Graph client", () => {
  it("is accepted, retried and failed by sendToGraph the way Meta would be", async () => {
    const { sim, state } = setup({ faults: { failNext: [{ status: 429, code: 130429, message: "(#130429) Rate limit hit" }] } });
    const port = await new Promise<number>((resolve) => {
      const server = serve({ fetch: sim.app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port));
      closers.push(() => new Promise((r) => server.close(() => r())));
    });
    const target = { baseUrl: `http://127.0.0.1:${port}`, version: "v21.0", phoneNumberId: PNID, accessToken: TOKEN };
    expect(await sendToGraph(target, text("hola"))).toMatchObject({ kind: "retry", code: 130429 });
    expect(await sendToGraph(target, text("hola"))).toMatchObject({ kind: "failed", code: 131047 });
    state.customerWrote(CUSTOMER);
    const ok = await sendToGraph(target, text("hola"));
    expect(ok).toEqual({ kind: "accepted", waMessageId: state.sent[0]!.wamid });
    expect(await sendToGraph({ ...target, accessToken: "expired" }, text("hola"))).toMatchObject({ kind: "failed", code: 190 });
  });
});

describe("Simulated customers", () => {
  afterEach(() => { vi.useRealTimers(); });
  const spanish = /\b(hola|gracias|pedido|factura|envío|envíos|cotización|cotizar|precio|mi|me|el|la|de|por|así|tienen|quiero)\b|[¿áéíóúñ]/i;

  function crowd(extra: Partial<Parameters<typeof createSimulatedCustomers>[0]> = {}) {
    const hook = collector();
    const { state } = setup();
    const customers = createSimulatedCustomers({
      phoneNumberId: PNID, displayPhone: "15550783881", appSecret: SECRET, webhookUrl: hook.target,
      ratePerMinute: 30, customers: 12, random: seededRandom(7), graph: state, ...extra,
    });
    return { customers, hook, state };
  }

  it("write valid, signed, Spanish webhooks that parseWebhook accepts, opening the 24 h window", async () => {
    const { customers, hook, state } = crowd();
    for (let i = 0; i < 300; i++) await customers.writeOnce();
    expect(hook.got).toHaveLength(300);
    expect(hook.got.every(signedOk)).toBe(true);
    const parsed = hook.got.map((w) => parseWebhook(w.json).messages);
    expect(parsed.every((m) => m.length === 1 && m[0]!.phoneNumberId === PNID && m[0]!.contactName)).toBe(true);
    const messages = parsed.flat();
    expect(new Set(messages.map((m) => m.kind))).toEqual(new Set(["text", "interactive", "image", "location"]));
    expect(messages.filter((m) => m.kind === "text").every((m) => spanish.test(m.text!))).toBe(true);
    expect(new Set(messages.flatMap((m) => m.menuChoice ?? []))).toEqual(new Set(["menu_ventas", "menu_soporte", "menu_facturacion"]));
    expect(messages.every((m) => /^(52155\d{8}|52181\d{8}|52133\d{8}|521999\d{7}|573\d{9}|54911\d{8}|519\d{8})$/.test(m.from))).toBe(true);
    expect(new Set(messages.map((m) => m.waMessageId)).size).toBe(300);
    // Follow-ups dominate: a pool of 12 customers wrote 300 messages, and all of them opened the window.
    expect(new Set(messages.map((m) => m.from)).size).toBeLessThanOrEqual(12);
    expect(messages.every((m) => state.windowOpen(m.from))).toBe(true);
  });

  it("answer agents sometimes, with reactions to the agent's message, within the same write budget", async () => {
    const { customers, hook } = crowd({ replyProbability: 1 });
    const someone = customers.pool[0]!.phone;
    expect(customers.onAgentMessage("5210000000000", "hola")).toBe(false);
    expect(customers.onAgentMessage(someone, "El envío a Monterrey cuesta $150", "wamid.agent-1")).toBe(true);
    await customers.writeOnce();
    const m = hook.got[0]!.json.entry[0].changes[0].value.messages[0];
    expect(m.from).toBe(someone);
    if (m.type === "reaction") expect(m.reaction).toEqual({ message_id: "wamid.agent-1", emoji: "👍" });
    else expect(["¿Y cuánto tarda el envío?", "¿Tiene costo el envío?", "Perfecto, gracias"]).toContain(m.text.body);
  });

  it("write exactly ratePerMinute per minute on timers, replies included, and stop when told", async () => {
    vi.useFakeTimers();
    const { customers, hook } = crowd({ ratePerMinute: 30, replyProbability: 1 });
    customers.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(hook.got).toHaveLength(30);
    for (const c of customers.pool) customers.onAgentMessage(c.phone, "Gracias por escribir");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(hook.got).toHaveLength(60);
    customers.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(hook.got).toHaveLength(60);
    expect(customers.stats).toMatchObject({ written: 60, failed: 0, skipped: 0 });
  });

  it("are deterministic for a given seed, and feed agent messages back through the Graph simulator", async () => {
    const a = crowd();
    const b = crowd();
    for (let i = 0; i < 20; i++) { await a.customers.writeOnce(); await b.customers.writeOnce(); }
    expect(a.hook.got.map((w) => w.body)).toEqual(b.hook.got.map((w) => w.body));

    const hook = collector();
    let customers: ReturnType<typeof createSimulatedCustomers> | undefined;
    const { send, state } = setup({ onSent: (m) => customers!.onAgentMessage(m.to, m.text ?? "", m.wamid) });
    customers = createSimulatedCustomers({ phoneNumberId: PNID, displayPhone: "15550783881", appSecret: SECRET, webhookUrl: hook.target, ratePerMinute: 10, customers: 1, replyProbability: 1, random: seededRandom(3), graph: state });
    await customers.writeOnce();
    const who = customers.pool[0]!.phone;
    expect((await send(text("¡Hola! ¿En qué le ayudo?", who))).status).toBe(200);
    expect(customers.stats.repliesQueued).toBe(1);
  });
});
