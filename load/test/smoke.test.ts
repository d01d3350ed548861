import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, describe, expect, it } from "vitest";
import { APP_SECRET, startHarness } from "../../router/test/support/harness.js";
import { PASSWORD, seedCompany } from "../../router/test/support/workspace.js";
// @ts-expect-error plain ES module shared with k6
import { acceptable, agentWorksAChat, customerWrites, login, supervisorLooks } from "../lib/flows.js";
import { nodeClient } from "./node-client.js";

const loadDir = path.resolve(import.meta.dirname, "..");
const api = await startHarness(new Date("2026-03-02T15:00:00Z"));
const co = await seedCompany(api.db, { ventas: { strategy: "manual" } });
const server = serve({ fetch: api.app.fetch, port: 0, hostname: "127.0.0.1" });
await new Promise((resolve) => server.once("listening", resolve));
const client = nodeClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, APP_SECRET);
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the k6 scenarios' requests, run once with Node against a real router", () => {
  it("the webhook storm's signed messages in Meta's format are all stored", async () => {
    const writes = [];
    for (let vu = 1; vu <= 4; vu++) for (let iteration = 0; iteration < 6; iteration++) writes.push(customerWrites(client, { phoneNumberId: co.channel.phoneNumberId, vu, iteration }));
    const results = await Promise.all(writes);
    expect(results.map((r: { res: { status: number } }) => r.res.status)).toEqual(Array(24).fill(200));
    const [row] = await api.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM conversations WHERE tenant_id = ${co.tenantId} AND assignee_id IS NULL`;
    expect(row!.n).toBe(24);
  });

  it("agents working at once claim each chat once, reply, note, tag, transfer and resolve without errors", async () => {
    const tokens = await Promise.all([co.ana, co.carlos, co.maria].map(async (a) => (await login(client, a.email, PASSWORD)).token as string));
    const handled: string[] = [];
    let lostRaces = 0;
    for (let round = 0; round < 4; round++) {
      const turns = await Promise.all(tokens.map((token, i) =>
        agentWorksAChat(client, token, { transferTo: round === 3 && i === 0 ? co.soporte.id : null, outcome: i === 1 ? "won" : "resolved" })));
      for (const turn of turns) {
        for (const { name, res } of turn.steps) expect(acceptable(name, res), `${name} → ${res.status} ${JSON.stringify(res.body)}`).toBe(true);
        if (turn.handled) handled.push(turn.handled);
        if (turn.lostRace) lostRaces += 1;
      }
    }
    expect(new Set(handled).size).toBe(handled.length);
    expect(handled.length + lostRaces).toBe(12);
    const [row] = await api.sql<{ resolved: number; transferred: number }[]>`
      SELECT count(*) FILTER (WHERE status = 'resolved')::int AS resolved, count(*) FILTER (WHERE team_id = ${co.soporte.id})::int AS transferred
      FROM conversations WHERE id = ANY(${handled}::uuid[])`;
    expect(row!.resolved + row!.transferred).toBe(handled.length);
  });

  it("a supervisor's screens answer", async () => {
    const { token } = await login(client, co.sofia.email, PASSWORD);
    const looks = await supervisorLooks(client, token);
    expect(looks.map((l: { name: string; res: { status: number } }) => [l.name, l.res.status])).toEqual(looks.map((l: { name: string }) => [l.name, 200]));
  });

  it("every k6 scenario parses and only imports what lib/ exports", () => {
    const scenarios = readdirSync(loadDir).filter((f) => f.endsWith(".js"));
    expect(scenarios.sort()).toEqual(["agents.js", "dashboards.js", "mixed.js", "supervisors.js", "webhook-storm.js"]);
    const exported = new Set([...["lib/flows.js", "lib/k6-client.js", "lib/meta.js"]
      .flatMap((f) => [...readFileSync(path.join(loadDir, f), "utf8").matchAll(/export (?:async )?function (\w+)/g)].map((m) => m[1]))]);
    for (const file of scenarios) {
      execFileSync(process.execPath, ["--check", path.join(loadDir, file)]);
      const source = readFileSync(path.join(loadDir, file), "utf8");
      for (const [, names] of source.matchAll(/import \{([^}]+)\} from "\.\/lib\/[\w-]+\.js"/g)) {
        for (const name of names!.split(",").map((n) => n.trim())) expect(exported, `${file} imports ${name}`).toContain(name);
      }
      expect(source).toMatch(/thresholds:/);
    }
  });
});
