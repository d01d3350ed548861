/** The router's JSON as the web app reads it (dates arrive as ISO strings). Only the fields the UI uses. */
export type Role = "admin" | "supervisor" | "agent";
export type Presence = "online" | "away" | "offline";
export type ConversationStatus = "open" | "pending" | "resolved";
export type InboxView = "unassigned" | "mine" | "team" | "all";
export type Outcome = "resolved" | "won" | "lost" | "abandoned" | "expired";
export type MessageStatus = "received" | "queued" | "accepted" | "sent" | "delivered" | "read" | "failed";

export type Me = {
  id: string; tenantId: string; email: string; name: string; role: Role; capacity: number; presence: Presence;
  timeZone: string; locale: string; teamIds?: string[];
};
export type Named = { id: string; name: string | null };

export type InboxQuery = {
  view: InboxView; status?: ConversationStatus; teamId?: string; channelId?: string; tag?: string; q?: string; cursor?: string; limit?: number;
};
export type InboxItem = {
  id: string; status: ConversationStatus; cycle: number; channelId: string; tags: string[]; waitingSince: string | null;
  lastMessageAt: string; lastInboundAt: string | null; territory: string | null;
  contact: { id: string; name: string | null; phone: string }; team: Named | null; assignee: Named | null; lastMessage: string | null;
};
export type InboxPage = { items: InboxItem[]; nextCursor: string | null };
export type InboxCounts = Record<InboxView, number>;

export type Message = {
  id: string; cycle: number; direction: "inbound" | "outbound"; sender: string; kind: string; body: string | null;
  status: MessageStatus; templateName: string | null; createdAt: string; agent: Named | null;
};
export type Note = { id: string; cycle: number; body: string; createdAt: string; author: Named | null };
export type Assignment = { id: string; cycle: number; method: string; startedAt: string; agent: Named | null };
export type Transfer = {
  id: string; cycle: number; reason: string | null; createdAt: string; fromAgent: Named | null; toAgent: Named | null;
  fromTeamId: string | null; toTeamId: string | null;
};
export type PreviousConversation = { id: string; status: ConversationStatus; resolvedAt: string | null; outcome: Outcome | null; createdAt: string };

export type ConversationDetail = {
  id: string; status: ConversationStatus; cycle: number; cycleStartedAt: string; channelId: string; tags: string[];
  waitingSince: string | null; lastInboundAt: string | null; windowClosesAt: string | null; resolvedAt: string | null;
  outcome: Outcome | null; dealValue: string | null; currency: string | null; lossReason: string | null; createdAt: string;
  contact: { id: string; name: string | null; phone: string; territory: string | null } | null;
  team: Named | null; assignee: Named | null;
  messages: Message[]; notes: Note[]; assignments: Assignment[]; transfers: Transfer[];
  previousConversations: PreviousConversation[];
};

/** Agents get a directory entry; supervisors and admins also the capacity. */
export type Agent = { id: string; name: string; role: Role; presence: Presence; active: boolean; teamIds: string[]; capacity?: number };
export type Team = { id: string; name: string };
export type Channel = { id: string; name: string; displayPhone: string };
export type Template = { id: string; name: string; language: string; body: string; status: string; parameterCount: number };

export type TransferBody = { toAgentId?: string; toTeamId?: string; reason?: string; note?: string };
export type ReplyBody =
  | { text: string; takeover?: boolean }
  | { template: { name: string; language: string; parameters: string[] }; takeover?: boolean };
export type ResolveBody =
  | { outcome: "resolved" }
  | { outcome: "won"; dealValue: number; currency: string }
  | { outcome: "lost"; lossReason: string };

/* ── Admin settings (GET/POST/PATCH of /agents, /teams, /routing-rules, /channels, /templates, /workspace) ── */
export type Weekday = "1" | "2" | "3" | "4" | "5" | "6" | "7";
/** ISO weekday → [start, end) "HH:MM" ranges; null on the team means always open. */
export type WeeklyHours = Partial<Record<Weekday, Array<[string, string]>>>;
export type Strategy = "round_robin" | "least_loaded" | "manual";
export type AdminAgent = {
  id: string; email: string; name: string; role: Role; capacity: number; presence: Presence; skills: string[];
  timeZone: string; locale: string; active: boolean; teamIds: string[]; createdAt: string;
};
export type TeamMember = { agentId: string; position: number; autoAssign: boolean };
export type AdminTeam = {
  id: string; name: string; department: string | null; timeZone: string; businessHours: WeeklyHours | null; holidays: string[];
  strategy: Strategy; sticky: boolean; agentsSeeAll: boolean; isSales: boolean; awayMessage: string | null;
  firstResponseTargetSeconds: number | null; members: TeamMember[];
};
export type RuleKind = "keyword" | "menu" | "phone_prefix";
export type RoutingRule = { id: string; kind: RuleKind; pattern: string; teamId: string; territory: string | null; priority: number };
export type AdminChannel = {
  id: string; name: string; phoneNumberId: string; displayPhone: string; graphApiBaseUrl: string; graphApiVersion: string;
  sendRatePerSecond: number; hasAccessToken: boolean;
};
export type TemplateStatus = "approved" | "pending" | "rejected" | "paused";
export type TemplateCategory = "utility" | "marketing" | "authentication";
export type AdminTemplate = Template & { category: TemplateCategory; status: TemplateStatus };
export type WorkspaceSettings = { id: string; name: string; reopenWindowSeconds: number; firstResponseTargetSeconds: number; defaultTeamId: string | null };
export type EscalationStep = { afterSeconds: number; action: "alert" | "reassign" | "supervisor" };
export type WorkspaceAutomation = {
  csatEnabled: boolean; pendingExpirySeconds: number; idleTimeoutSeconds: number; disconnectTimeoutSeconds: number;
  reassignGraceSeconds: number; escalationSteps: EscalationStep[];
};
export type AgentBody = {
  email?: string; name?: string; role?: Role; password?: string; capacity?: number; skills?: string[]; timeZone?: string;
  locale?: "es-419" | "en"; teamIds?: string[]; active?: boolean;
};
export type TeamBody = Partial<Omit<AdminTeam, "id" | "members">>;
export type RuleBody = Partial<Omit<RoutingRule, "id">>;
export type ChannelBody = {
  name?: string; phoneNumberId?: string; displayPhone?: string; accessToken?: string; graphApiBaseUrl?: string;
  graphApiVersion?: string; sendRatePerSecond?: number;
};
export type TemplateBody = { name?: string; language?: string; category?: TemplateCategory; body?: string; status?: TemplateStatus };
export type WorkspaceBody = Partial<Omit<WorkspaceSettings, "id">>;
/** A team's overrides of the workspace's SLA ladder and CSAT; null follows the workspace. */
export type TeamAutomation = { teamId: string; csatEnabled: boolean | null; escalationSteps: EscalationStep[] | null };
