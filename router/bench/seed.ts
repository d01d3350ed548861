import { uuidv7 } from "uuidv7";
import type { DbHandle } from "../src/db/index.js";
import { agents } from "../src/db/schema/index.js";
import { createChannel, createRule, createTeam, createWorkspace, setDefaultTeam, setTeamMembers, type NewRule } from "../src/domain/admin/workspace.js";

export type Strategy = "round_robin" | "least_loaded";
export type TeamPlan = { name: string; department: string; strategy: Strategy; isSales?: boolean };
export type SeededTeam = TeamPlan & { id: string; agentIds: string[] };
export type SeededWorkspace = {
  tenantId: string;
  channelId: string;
  phoneNumberId: string;
  teams: SeededTeam[];
  agentIds: string[];
  capacity: number;
  /** Phone of the customer of seeded open conversation g (1-based). */
  openPhone: (g: number) => string;
  open: number;
};

export type SeedOptions = {
  slug: string;
  phoneNumberId: string;
  agents: number;
  teams: TeamPlan[];
  capacity: number;
  /** Open conversations, each with its own contact, spread evenly over the agents of every team. */
  open: number;
  /** Routing rules to create once the teams exist (by team name). */
  rules?: (teamId: (name: string) => string) => NewRule[];
  defaultTeam?: string;
};

const SEED_PHONE_PREFIX = "52550";

/**
 * One workspace: agents online (bulk insert), teams with their members in rotation order, routing rules,
 * one WhatsApp channel, and `open` already-assigned conversations written in bulk SQL (contacts,
 * conversations, their assignment row and first message), never more per agent than its capacity.
 */
export async function seedWorkspace(h: DbHandle, opts: SeedOptions): Promise<SeededWorkspace> {
  const { db, sql } = h;
  const perAgent = Math.ceil(opts.open / opts.agents);
  if (perAgent > opts.capacity) throw new Error(`${opts.open} open conversations do not fit ${opts.agents} agents of capacity ${opts.capacity}`);
  const { tenantId } = await createWorkspace(db, { name: `Bench ${opts.slug}`, slug: opts.slug, admin: { email: `admin@${opts.slug}.bench`, name: "Admin" } });
  const seedAt = new Date(Date.now() - 6 * 3600_000);

  const agentRows = Array.from({ length: opts.agents }, (_, i) => ({
    id: uuidv7(), tenantId, email: `agent${i}@${opts.slug}.bench`, name: `Agente ${i}`, passwordHash: null,
    role: "agent" as const, capacity: opts.capacity, presence: "online" as const, presenceChangedAt: seedAt,
  }));
  for (let i = 0; i < agentRows.length; i += 500) await db.insert(agents).values(agentRows.slice(i, i + 500));
  const agentIds = agentRows.map((a) => a.id);

  const teams: SeededTeam[] = [];
  for (const [t, plan] of opts.teams.entries()) {
    const team = await createTeam(db, tenantId, { name: plan.name, department: plan.department, strategy: plan.strategy, isSales: plan.isSales ?? false });
    const members = agentIds.filter((_, i) => i % opts.teams.length === t);
    await setTeamMembers(db, tenantId, team.id, members);
    teams.push({ ...plan, id: team.id, agentIds: members });
  }
  const teamId = (name: string) => {
    const team = teams.find((t) => t.name === name);
    if (!team) throw new Error(`no team ${name}`);
    return team.id;
  };
  for (const rule of opts.rules?.(teamId) ?? []) await createRule(db, tenantId, rule);
  await setDefaultTeam(db, tenantId, teamId(opts.defaultTeam ?? teams[0]!.name));
  const channel = await createChannel(db, tenantId, { name: "WhatsApp", phoneNumberId: opts.phoneNumberId, displayPhone: "+52 81 5555 0000" });

  // Agent k (0-based, in creation order) and the team it belongs to; conversation g goes to agent (g-1) % agents.
  const agentTeam = agentIds.map((_, i) => teams[i % teams.length]!.id);
  const at = seedAt.toISOString();
  await sql`
    INSERT INTO contacts (id, tenant_id, phone, name, created_at)
    SELECT uuidv7(), ${tenantId}::uuid, ${SEED_PHONE_PREFIX} || lpad(g::text, 7, '0'), 'Cliente ' || g, ${at}::timestamptz
    FROM generate_series(1, ${opts.open}::int) AS g`;
  await sql`
    WITH a AS (
      SELECT agent_id, team_id, k - 1 AS k FROM unnest(${agentIds}::uuid[], ${agentTeam}::uuid[]) WITH ORDINALITY AS t(agent_id, team_id, k)
    ), c AS (
      SELECT id AS contact_id, substr(phone, ${SEED_PHONE_PREFIX.length + 1})::int AS g
      FROM contacts WHERE tenant_id = ${tenantId}::uuid AND phone LIKE ${SEED_PHONE_PREFIX + "%"}
    )
    INSERT INTO conversations (id, tenant_id, channel_id, contact_id, status, cycle, cycle_started_at, team_id, assignee_id,
      assigned_at, waiting_since, last_message_at, last_inbound_at, created_at)
    SELECT uuidv7(), ${tenantId}::uuid, ${channel.id}::uuid, c.contact_id,
      (CASE WHEN c.g % 10 = 0 THEN 'pending' ELSE 'open' END)::conversation_status, 1, t.ts, a.team_id, a.agent_id,
      t.ts + interval '5 seconds', CASE WHEN c.g % 3 = 0 THEN t.ts END, t.ts + interval '2 minutes', t.ts, t.ts
    FROM c JOIN a ON a.k = (c.g - 1) % ${opts.agents}::int
    CROSS JOIN LATERAL (SELECT ${at}::timestamptz + make_interval(secs => c.g) AS ts) t`;
  await sql`
    INSERT INTO assignments (id, tenant_id, conversation_id, cycle, agent_id, team_id, method, started_at)
    SELECT uuidv7(), tenant_id, id, 1, assignee_id, team_id, 'round_robin', assigned_at FROM conversations WHERE tenant_id = ${tenantId}::uuid`;
  await sql`
    INSERT INTO messages (id, tenant_id, conversation_id, channel_id, cycle, direction, sender, kind, body, wa_message_id, status, created_at)
    SELECT uuidv7(), tenant_id, id, channel_id, 1, 'inbound', 'customer', 'text', 'Hola, quisiera información', 'wamid.seed.' || id, 'received', cycle_started_at
    FROM conversations WHERE tenant_id = ${tenantId}::uuid`;
  await sql`
    UPDATE agents a SET last_assigned_at = m.t
    FROM (SELECT assignee_id, max(assigned_at) AS t FROM conversations WHERE tenant_id = ${tenantId}::uuid GROUP BY 1) m
    WHERE a.id = m.assignee_id`;

  const [check] = await sql<Array<{ n: number; max_load: number | null; over: number }>>`
    SELECT count(*)::int AS n, max(load)::int AS max_load, count(*) FILTER (WHERE load > capacity)::int AS over
    FROM (SELECT c.assignee_id, count(*) AS load, max(a.capacity) AS capacity FROM conversations c JOIN agents a ON a.id = c.assignee_id
          WHERE c.tenant_id = ${tenantId}::uuid AND c.status <> 'resolved' GROUP BY 1) l`;
  const [{ total } = { total: 0 }] = await sql<Array<{ total: number }>>`SELECT count(*)::int AS total FROM conversations WHERE tenant_id = ${tenantId}::uuid AND status <> 'resolved'`;
  if (total !== opts.open || (check?.over ?? 1) > 0) throw new Error(`seed invariants broken: ${total} live conversations, ${check?.over} agents over capacity`);

  return {
    tenantId, channelId: channel.id, phoneNumberId: opts.phoneNumberId, teams, agentIds, capacity: opts.capacity, open: opts.open,
    openPhone: (g) => SEED_PHONE_PREFIX + String(g).padStart(7, "0"),
  };
}
