import { expect } from "vitest";
import type { Api } from "./harness.js";
import { inboundWebhook } from "./whatsapp.js";
import { runAllJobs, runJob, type JobName } from "../../src/sla/jobs.js";

export const MINUTE = 60_000;

/** The automation jobs of one "router instance": its own deps (database handle), the test's clock. */
export function jobsOf(api: Api) {
  return {
    run: (name: JobName) => runJob(api.deps, name),
    all: () => runAllJobs(api.deps),
  };
}

/** A customer picking an option of an interactive list we sent (the CSAT survey). */
export async function customerChooses(api: Api, phoneNumberId: string, from: string, optionId: string, title: string) {
  const res = await api.webhook(inboundWebhook([{ from, type: "interactive", extra: { interactive: { type: "list_reply", list_reply: { id: optionId, title } } } }], phoneNumberId));
  expect(res.status).toBe(200);
  return res.body;
}

export async function ok(api: Api, method: string, path: string, token: string, body?: unknown) {
  const res = await api.call(method, path, token, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function conversationRow(api: Api, id: string) {
  const [row] = await api.sql<{ status: string; cycle: number; assignee_id: string | null; outcome: string | null; waiting_since: Date | null }[]>`
    SELECT status, cycle, assignee_id, outcome, waiting_since FROM conversations WHERE id = ${id}`;
  return row!;
}

export async function automatedMessages(api: Api, conversationId: string) {
  return api.sql<{ id: string; kind: string; body: string; status: string; payload: any; cycle: number }[]>`
    SELECT id, kind, body, status, payload, cycle FROM messages WHERE conversation_id = ${conversationId} AND sender = 'automation' ORDER BY created_at, id`;
}
