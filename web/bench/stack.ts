import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { migratePostgres, startEmbeddedPostgres, type EmbeddedDatabase } from "@centralita/migrations";
import { connectDatabase, createApp, createLiveHub, startOutboxRelay, systemClock, type DbHandle } from "@centralita/router";
import { createAgent, setTeamMembers } from "../../router/src/domain/admin/workspace";
import { seedWorkspace } from "../../router/bench/seed";
import { createWebServer } from "../server/index";

export const PASSWORD = "bench-contraseña-123";
const discardBus = { name: "bench-discard", publish: async () => {}, close: async () => {} };

/**
 * Postgres (embedded, or DATABASE_URL's server) with `open` open conversations spread over 200 agents, a
 * supervisor over every team and one agent who can sign in; the router with its outbox relay feeding the
 * live hub; the built web app in front of it.
 */
export async function startBenchStack(open: number, log: (msg: string) => void) {
  let dataDir = "";
  let pg: EmbeddedDatabase | undefined;
  let url = process.env.DATABASE_URL;
  if (!url) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "centralita-web-bench-"));
    pg = await startEmbeddedPostgres(dataDir);
    url = pg.url;
  }
  await migratePostgres(url);
  const handle: DbHandle = connectDatabase(url, { max: 20 });
  log(`seeding ${open} open conversations`);
  const slug = `webbench-${Date.now()}`;
  const seeded = await seedWorkspace(handle, {
    slug, phoneNumberId: `9${Date.now()}`, agents: 200, capacity: Math.max(60, Math.ceil(open / 200)), open,
    teams: [{ name: "Ventas", department: "ventas", strategy: "round_robin", isSales: true }, { name: "Soporte", department: "soporte", strategy: "least_loaded" }],
  });
  const supervisor = await createAgent(handle.db, seeded.tenantId, { email: `sofia@${slug}.bench`, name: "Sofía", password: PASSWORD, role: "supervisor", presence: "online", capacity: 20 });
  const ana = await createAgent(handle.db, seeded.tenantId, { email: `ana@${slug}.bench`, name: "Ana", password: PASSWORD, role: "agent", presence: "online", capacity: 20 });
  for (const team of seeded.teams) {
    const extra = team.name === "Ventas" ? [ana.id] : [];
    await setTeamMembers(handle.db, seeded.tenantId, team.id, [...team.agentIds, ...extra, { agentId: supervisor.id, autoAssign: false }]);
  }

  const live = createLiveHub();
  const app = createApp({ db: handle.db, clock: systemClock, whatsapp: { appSecret: "bench-secret-0123456789", verifyToken: "bench" }, secretKey: randomBytes(32).toString("hex"), live });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  const routerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const relay = startOutboxRelay({ sql: handle.sql, bus: discardBus, live, pollMs: 50 });
  const web = await createWebServer({ routerUrl, sessionSecret: randomBytes(32).toString("hex"), port: 0 });

  async function stop() {
    await web.stop();
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
    await relay.stop();
    await handle.close();
    await pg?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
  return { routerUrl, webUrl: web.url, sql: handle.sql, supervisor, ana, stop };
}

/** Signs in through the login form, as a browser would: CSRF token from the page, session cookie back. */
export async function webLogin(webUrl: string, email: string, password = PASSWORD): Promise<string> {
  const page = await fetch(`${webUrl}/login`);
  const cookie = page.headers.getSetCookie().map((c) => c.split(";")[0]!).join("; ");
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error("no CSRF token on the login page");
  const res = await fetch(`${webUrl}/login`, {
    method: "POST", redirect: "manual", headers: { cookie, origin: webUrl, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, csrf }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("centralita_session="));
  if (res.status !== 302 || !session) throw new Error(`web login failed: ${res.status}`);
  return session;
}
