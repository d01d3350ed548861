import { expect } from "vitest";
import type { Api } from "./harness.js";
import { inboundWebhook } from "./whatsapp.js";

/** A customer writes; returns the conversation the router filed the message under. */
export async function customerWrites(api: Api, phoneNumberId: string, from: string, text: string, name = "Cliente") {
  const res = await api.webhook(inboundWebhook([{ from, text, name }], phoneNumberId));
  expect(res.status).toBe(200);
  const [row] = await api.sql<{ id: string; assignee_id: string | null; team_id: string | null; status: string; cycle: number; territory: string | null }[]>`
    SELECT c.id, c.assignee_id, c.team_id, c.status, c.cycle, c.territory FROM conversations c JOIN contacts k ON k.id = c.contact_id
    WHERE k.phone = ${from} ORDER BY c.created_at DESC LIMIT 1`;
  return row!;
}
