import { randomUUID } from "node:crypto";
import type { ClickHouseClient } from "@clickhouse/client";
import { buildEvent, type EventEnvelope } from "@centralita/router/events";
import type { EventPayload, EventType } from "@centralita/router/events";
import { runPipeline } from "../../../ingest/src/index.js";
import { insertEvents } from "../../../ingest/src/sink/clickhouse-sink.js";

/** A hand-written event history: what a person would read in a conversation's timeline, as contract events. */
export class History {
  readonly events: EventEnvelope[] = [];
  readonly tenantId = randomUUID();
  readonly channelId = randomUUID();

  conversation(opts: { teamId?: string | null; territory?: string | null; isLead?: boolean; isNewContact?: boolean; channelId?: string } = {}) {
    return new Conversation(this, opts);
  }

  add<T extends EventType>(type: T, ctx: { conversationId?: string; contactId?: string; agentId?: string | null; teamId?: string | null; channelId?: string }, payload: EventPayload<T>, at: Date) {
    const event = buildEvent(type, { tenantId: this.tenantId, channelId: ctx.channelId ?? this.channelId, ...ctx }, payload, at);
    this.events.push(event as EventEnvelope);
    return event;
  }

  presence(agentId: string, from: "online" | "away" | "offline", to: "online" | "away" | "offline", at: Date) {
    this.add("agent.presence_changed", { agentId }, { from, to, source: "manual" }, at);
  }

  capacity(agentId: string, from: number, to: number, at: Date) {
    this.add("agent.capacity_changed", { agentId }, { from, to }, at);
  }
}

type Opts = Parameters<History["conversation"]>[0];

/** One conversation: tracks its cycle and assignee the way the router does, so events carry what they would. */
export class Conversation {
  readonly id = randomUUID();
  readonly contactId = randomUUID();
  cycle = 1;
  assignee: string | null = null;
  private lastSent: { messageId: string; agentId: string | null } | null = null;
  private lastResolve: { at: Date; by: string | null } | null = null;

  constructor(private readonly h: History, private readonly opts: NonNullable<Opts>) {}

  private ctx(agentId?: string | null) {
    return { conversationId: this.id, contactId: this.contactId, teamId: this.opts.teamId ?? null, agentId: agentId ?? this.assignee, channelId: this.opts.channelId };
  }

  open(at: Date, extra: { outOfHours?: boolean } = {}) {
    this.h.add("conversation.opened", this.ctx(), {
      cycle: 1, team_id: this.opts.teamId ?? null, department: null, territory: this.opts.territory ?? null,
      is_new_contact: this.opts.isNewContact ?? true, out_of_hours: extra.outOfHours ?? false, is_lead: this.opts.isLead ?? false, routed_by: "default",
    }, at);
    return this.customer(at);
  }

  customer(at: Date) {
    this.h.add("message.received", this.ctx(), { cycle: this.cycle, message_id: randomUUID(), wa_message_id: `wamid.${randomUUID()}`, kind: "text", length: 20 }, at);
    return this;
  }

  agent(at: Date, agentId = this.assignee!) {
    return this.sent(at, "agent", agentId);
  }

  sent(at: Date, sender: "agent" | "bot" | "automation" | "template", agentId: string | null = null, templateName: string | null = null) {
    const sent = this.h.add("message.sent", this.ctx(agentId), {
      cycle: this.cycle, message_id: randomUUID(), wa_message_id: null, sender, template_name: templateName, kind: templateName ? "template" : "text", length: 30,
    }, at);
    this.lastSent = { messageId: sent.payload.message_id, agentId: sent.agent_id ?? null };
    return this;
  }

  /** Meta's delivery statuses for the last message sent: the router's events carry the message's author as agent. */
  delivery(at: Date, ...statuses: Array<"sent" | "delivered" | "read" | "failed">) {
    const { messageId, agentId } = this.lastSent!;
    for (const status of statuses) {
      this.h.add("message.status", { ...this.ctx(), agentId }, { message_id: messageId, wa_message_id: `wamid.${messageId}`, status, error_code: status === "failed" ? 131026 : null }, at);
    }
    return this;
  }

  assign(at: Date, agentId: string, method: "claim" | "round_robin" | "manual" | "reassign_timeout" = "claim") {
    this.h.add("conversation.assigned", this.ctx(agentId), {
      cycle: this.cycle, assignee_type: "agent", to_agent_id: agentId, to_team_id: this.opts.teamId ?? null, previous_agent_id: this.assignee, method, strategy: null,
    }, at);
    this.assignee = agentId;
    return this;
  }

  /** A transfer is the transferred event then the target's assignment, in one command (same instant). */
  transfer(at: Date, toAgentId: string, reason = "context") {
    this.h.add("conversation.transferred", this.ctx(), {
      cycle: this.cycle, from_agent_id: this.assignee, from_team_id: this.opts.teamId ?? null, to_agent_id: toAgentId, to_team_id: null, reason, note_id: null,
    }, at);
    return this.assign(at, toAgentId, "manual");
  }

  /** A transfer to a team's queue nobody there can take: the transferred event, then the agent's unassignment (same instant). */
  transferToQueue(at: Date, teamId: string, reason = "context") {
    const from = this.assignee!;
    this.h.add("conversation.transferred", this.ctx(), {
      cycle: this.cycle, from_agent_id: from, from_team_id: this.opts.teamId ?? null, to_agent_id: null, to_team_id: teamId, reason, note_id: null,
    }, at);
    this.h.add("conversation.unassigned", this.ctx(from), { cycle: this.cycle, previous_agent_id: from, reason: "transfer" }, at);
    this.assignee = null;
    return this;
  }

  note(at: Date, agentId = this.assignee!) {
    this.h.add("note.added", this.ctx(agentId), { cycle: this.cycle, note_id: randomUUID(), length: 25 }, at);
    return this;
  }

  tag(at: Date, tag: string) {
    this.h.add("conversation.tagged", this.ctx(), { cycle: this.cycle, tag, action: "added" }, at);
    return this;
  }

  status(at: Date, to: "open" | "pending") {
    this.h.add("conversation.status_changed", this.ctx(), { cycle: this.cycle, from: to === "open" ? "pending" : "open", to }, at);
    return this;
  }

  resolve(at: Date, end: { outcome?: "resolved" | "won" | "lost" | "abandoned" | "expired"; value?: number; currency?: string; lossReason?: string; by?: "agent" | "bot" | "automation" } = {}) {
    this.h.add("conversation.resolved", this.ctx(), {
      cycle: this.cycle, outcome: end.outcome ?? "resolved", deal_value: end.value ?? null, currency: end.currency ?? null,
      loss_reason: end.lossReason ?? null, resolved_by: end.by ?? "agent", assignee_agent_id: this.assignee,
    }, at);
    this.lastResolve = { at, by: this.assignee };
    this.assignee = null;
    return this;
  }

  csat(requestedAt: Date, score: number | null, submittedAt?: Date) {
    const by = this.lastResolve?.by ?? null;
    this.h.add("csat.requested", this.ctx(by), { cycle: this.cycle }, requestedAt);
    if (score !== null) this.h.add("csat.submitted", this.ctx(by), { cycle: this.cycle, score, comment_length: 0 }, submittedAt ?? requestedAt);
    return this;
  }

  /** A customer message within the reopen window: the next cycle starts with it. */
  reopen(at: Date) {
    this.cycle += 1;
    this.h.add("conversation.reopened", this.ctx(), {
      cycle: this.cycle, reopened_by: "customer", previous_resolved_at: this.lastResolve!.at.toISOString(), previous_resolved_by_agent_id: this.lastResolve!.by,
    }, at);
    return this.customer(at);
  }

  /** An agent reopens a resolved conversation (and is its assignee again): his messages may come first. */
  reopenByAgent(at: Date, agentId: string) {
    this.cycle += 1;
    this.h.add("conversation.reopened", this.ctx(agentId), {
      cycle: this.cycle, reopened_by: "agent", previous_resolved_at: this.lastResolve!.at.toISOString(), previous_resolved_by_agent_id: this.lastResolve!.by,
    }, at);
    return this.assign(at, agentId, "manual");
  }

  escalate(at: Date, toAgentId: string) {
    this.h.add("sla.escalated", this.ctx(), { cycle: this.cycle, from_agent_id: this.assignee, to_agent_id: toAgentId, rule: "unanswered_10m" }, at);
    return this;
  }
}

/** Puts events through ingest's own steps (decode → validate → to_row) and insert, like the pipeline does. */
export async function loadEvents(client: ClickHouseClient, events: EventEnvelope[]): Promise<void> {
  const { rows, deadLetters } = runPipeline(events.map((e) => ({ key: e.conversation_id, value: JSON.stringify(e) })));
  if (deadLetters.length > 0) throw new Error(`history has invalid events: ${deadLetters.map((d) => d.reason).join("; ")}`);
  await insertEvents(client, rows);
}

/** Instants written the way a person reads them: "2026-03-02T09:00" in UTC unless an offset is given. */
export const at = (text: string) => new Date(/Z|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);
export const minutes = (n: number) => n * 60;
