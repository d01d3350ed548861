import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { ofType, outboxEvents } from "./support/outbox.js";
import { MINUTE } from "./support/automation.js";
import { startAutomation } from "../src/sla/scheduler.js";

describe("the node-cron scheduler", async () => {
  const api = await startHarness();

  it("runs the jobs on their schedules with the injected clock, and stops", async () => {
    const co = await seedCompany(api.db);
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5215500050001", "hola");
    api.clock.advance(5 * MINUTE);
    const failures: unknown[] = [];
    const every = "* * * * * *";
    const automation = startAutomation({ ...api.deps, log: (msg, fields) => failures.push({ msg, fields }) },
      { schedules: { sla: every, presence: every, hours: every, csat: every, expiry: every } });
    try {
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && ofType(await outboxEvents(api.sql, { conversationId: conv.id }), "sla.breached").length === 0) {
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await automation.stop();
    }
    expect(ofType(await outboxEvents(api.sql, { conversationId: conv.id }), "sla.breached")).toHaveLength(1);
    expect(failures).toEqual([]);
  });
});
