import { conversations } from "../db/schema/index.js";
import { iso, rawSql, rowMapper } from "../db/raw.js";
import type { Tx } from "../db/index.js";
import type { Conversation } from "../assignment/assign.js";
import { surveyWindow } from "./automation/csat.js";
import type { InboundMessage } from "./inbound.js";

/** A customer's past on the number he wrote to, as placing his message needs it. */
export type Past = {
  /** This WhatsApp id is already stored: a retry by Meta. Exact, because the contact's lock orders its messages. */
  duplicate: boolean;
  survey?: { id: string; cycle: number };
  live?: Conversation;
  reopenable?: Conversation;
  /** The agent who last held any conversation of this contact (the sticky candidate), read only when he has neither. */
  previousAgentId: string | null;
};

type FoundRow = Record<string, unknown> & {
  found: "live" | "reopenable" | "extra"; ord: number; stored: boolean;
  survey_id: string | null; survey_cycle: number | null; previous_agent_id: string | null;
};

const asConversation = rowMapper(conversations);
const none: Past = { duplicate: false, previousAgentId: null };

/**
 * Several customers' past on the numbers they wrote to, in one statement sent right behind the contacts'
 * upsert (`arriveAll`), which it sees: so it needs no answer of it and travels in the same round trip. For
 * each message: the live conversation and the resolved one it may reopen, both locked (after the contact,
 * as every inbound path locks them); whether Meta is resending a stored message; the survey it may answer;
 * and, when there is no conversation to continue, the contact's previous agent. A contact met just now has
 * none of these, at the cost of a few index probes. Results come back in the messages' order.
 */
export async function readPastAll(tx: Tx, now: Date, msgs: InboundMessage[]): Promise<Past[]> {
  const windows = msgs.map((m) => surveyWindow(m, now));
  const rows = await rawSql(tx)<FoundRow[]>`WITH
    input AS (SELECT (i.n - 1)::int AS ord, i.* FROM unnest(${msgs.map((m) => m.phoneNumberId)}::text[], ${msgs.map((m) => m.from)}::text[],
      ${msgs.map((m) => m.waMessageId)}::text[], ${windows.map((w) => (w ? iso(w.since) : null))}::text[]::timestamptz[],
      ${windows.map((w) => (w?.scored ? "scored" : "requested"))}::text[]) WITH ORDINALITY AS i(phone_number_id, phone, wa_message_id, survey_since, survey_by, n)),
    who AS MATERIALIZED (SELECT i.ord, i.wa_message_id, i.survey_since, i.survey_by, ch.id AS channel_id, ct.id AS contact_id,
        ${iso(now)}::timestamptz - make_interval(secs => t.reopen_window_seconds) AS reopen_since
      FROM input i JOIN channels ch ON ch.phone_number_id = i.phone_number_id JOIN tenants t ON t.id = ch.tenant_id
      JOIN contacts ct ON ct.tenant_id = ch.tenant_id AND ct.phone = i.phone),
    live AS (SELECT c.*, w.ord AS o FROM who w JOIN conversations c ON c.channel_id = w.channel_id AND c.contact_id = w.contact_id
      WHERE c.status <> 'resolved' FOR NO KEY UPDATE OF c),
    reopenable AS (SELECT r.*, w.ord AS o FROM who w CROSS JOIN LATERAL (SELECT * FROM conversations c
      WHERE c.channel_id = w.channel_id AND c.contact_id = w.contact_id AND c.status = 'resolved' AND c.resolved_at >= w.reopen_since
      ORDER BY c.resolved_at DESC LIMIT 1 FOR NO KEY UPDATE) r),
    extra AS (SELECT w.ord, EXISTS (SELECT 1 FROM messages m WHERE m.channel_id = w.channel_id AND m.wa_message_id = w.wa_message_id) AS stored,
        s.id AS survey_id, s.cycle AS survey_cycle, p.agent_id AS previous_agent_id
      FROM who w
      LEFT JOIN LATERAL (SELECT s.conversation_id AS id, s.cycle FROM sla_cycles s JOIN conversations c ON c.id = s.conversation_id
        WHERE w.survey_since IS NOT NULL AND c.channel_id = w.channel_id AND c.contact_id = w.contact_id
          AND CASE WHEN w.survey_by = 'scored' THEN s.csat_scored_at ELSE s.csat_requested_at END >= w.survey_since
        ORDER BY s.csat_requested_at DESC LIMIT 1) s ON true
      LEFT JOIN LATERAL (SELECT a.agent_id FROM assignments a JOIN conversations c ON c.id = a.conversation_id
        WHERE NOT EXISTS (SELECT 1 FROM live WHERE live.o = w.ord) AND NOT EXISTS (SELECT 1 FROM reopenable r WHERE r.o = w.ord)
          AND c.contact_id = w.contact_id AND a.agent_id IS NOT NULL ORDER BY a.started_at DESC LIMIT 1) p ON true)
    SELECT 'live' AS found, e.*, l.* FROM live l JOIN extra e ON e.ord = l.o
    UNION ALL SELECT 'reopenable', e.*, r.* FROM reopenable r JOIN extra e ON e.ord = r.o
    UNION ALL SELECT 'extra', e.*, (NULL::conversations).*, NULL::int FROM extra e`;
  const past: Past[] = msgs.map(() => ({ ...none }));
  for (const row of rows) {
    const p = past[row.ord]!;
    if (row.found === "live") p.live = asConversation(row);
    else if (row.found === "reopenable") p.reopenable = asConversation(row);
    else {
      p.duplicate = row.stored;
      p.survey = row.survey_id ? { id: row.survey_id, cycle: row.survey_cycle! } : undefined;
      p.previousAgentId = row.previous_agent_id;
    }
  }
  return past;
}
