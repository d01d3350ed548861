import { pgEnum } from "drizzle-orm/pg-core";
import { assignmentMethods, outcomes, presences } from "../../events/index.js";

export const roleEnum = pgEnum("agent_role", ["admin", "supervisor", "agent"]);
export const presenceEnum = pgEnum("agent_presence", presences);
export const strategyEnum = pgEnum("team_strategy", ["round_robin", "least_loaded", "manual"]);
export const conversationStatusEnum = pgEnum("conversation_status", ["open", "pending", "resolved"]);
export const outcomeEnum = pgEnum("conversation_outcome", outcomes);
export const assignmentMethodEnum = pgEnum("assignment_method", assignmentMethods);
export const directionEnum = pgEnum("message_direction", ["inbound", "outbound"]);
export const senderEnum = pgEnum("message_sender", ["customer", "agent", "bot", "automation", "template"]);
/** queued → accepted (Graph API took it) → sent → delivered → read; failed from anywhere. */
export const messageStatusEnum = pgEnum("message_status", ["received", "queued", "accepted", "sent", "delivered", "read", "failed"]);
export const ruleKindEnum = pgEnum("routing_rule_kind", ["keyword", "menu", "phone_prefix"]);
