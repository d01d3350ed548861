import { and, desc, eq } from "drizzle-orm";
import { agents } from "../db/schema/index.js";
import type { Person } from "./workspace.js";
import { zonedInstant } from "./calendar.js";
import { between, minutes, personById, type World } from "./world.js";

type Presence = "online" | "away" | "offline";

async function setPresence(w: World, person: Person, presence: Presence) {
  await w.api.call("PUT", `/v1/agents/${person.id}/presence`, person.token, { presence });
}

/** Claims what waits in the person's queues (method claim), a few at a time, as an agent starting early does. */
async function claimWaiting(w: World, person: Person, max: number) {
  const page = await w.api.call("GET", "/v1/conversations?view=unassigned&status=open&limit=20", person.token);
  const waiting = ((page.body?.items ?? []) as Array<{ id: string }>).slice(0, max);
  for (const conv of waiting) {
    await w.api.call("POST", `/v1/conversations/${conv.id}/claim`, person.token);
    await w.meta.acceptQueued(conv.id, w.random);
  }
}

/** The supervisor hands one or two waiting chats to agents by hand (method manual) before the team opens. */
async function supervisorAssigns(w: World, supervisor: Person) {
  const page = await w.api.call("GET", "/v1/conversations?view=unassigned&status=open&limit=5", supervisor.token);
  for (const conv of ((page.body?.items ?? []) as Array<{ id: string; team: { id: string } | null }>).slice(0, 2)) {
    const team = w.ws.teams.find((t) => t.id === conv.team?.id);
    const agentId = team?.memberIds.find((id) => personById(w, id)?.role === "agent");
    if (agentId) await w.api.call("POST", `/v1/conversations/${conv.id}/assign`, supervisor.token, { agentId });
  }
}

/**
 * A weekday for one agent: signs in a little before nine (away), maybe claims the night's queue, goes online
 * (the router drains the backlog), takes a break and lunch, and signs off after six. One day in twenty she is out.
 */
async function weekdayShift(w: World, person: Person, day: string, early: boolean) {
  const at = (minute: number) => w.timeline.at(zonedInstant(w.ws.timeZone, day, minute).getTime());
  if (w.random() < 0.05) return;
  await at(between(w, 8 * 60 + 35, 8 * 60 + 50));
  await setPresence(w, person, "away");
  if (early) await claimWaiting(w, person, 2);
  await at(between(w, 9 * 60, 9 * 60 + 12));
  await setPresence(w, person, "online");
  if (w.random() < 0.35) {
    await at(between(w, 10 * 60 + 30, 11 * 60 + 30));
    await setPresence(w, person, "away");
    await w.timeline.after(between(w, minutes(8), minutes(20)));
    await setPresence(w, person, "online");
  }
  await at(between(w, 13 * 60 + 30, 14 * 60 + 30));
  await setPresence(w, person, "away");
  await w.timeline.after(between(w, minutes(40), minutes(65)));
  await setPresence(w, person, "online");
  await at(between(w, 18 * 60, 18 * 60 + 30));
  await setPresence(w, person, "offline");
}

/** Saturday morning: one agent on guard claims what customers left since Friday (teams are closed). */
async function saturdayGuard(w: World, person: Person, day: string) {
  await w.timeline.at(zonedInstant(w.ws.timeZone, day, 10 * 60).getTime());
  await setPresence(w, person, "online");
  for (let hour = 10; hour < 14; hour++) {
    await w.timeline.at(zonedInstant(w.ws.timeZone, day, hour * 60 + between(w, 0, 30)).getTime());
    await claimWaiting(w, person, 3);
  }
  await w.timeline.at(zonedInstant(w.ws.timeZone, day, 14 * 60).getTime());
  await setPresence(w, person, "offline");
}

/** Starts the day's presence fibers for every agent (and the supervisor's morning hand-out). */
export function scheduleShifts(w: World, day: string, weekday: number, dayIndex: number) {
  const agents = w.ws.agents;
  if (weekday === 6) {
    const guard = agents[dayIndex % agents.length]!;
    w.timeline.spawn(zonedInstant(w.ws.timeZone, day, 0).getTime(), () => saturdayGuard(w.fork(dayIndex, 1000), guard, day));
  }
  if (weekday >= 6) return;
  const early = agents[dayIndex % agents.length]!;
  agents.forEach((person, i) => {
    w.timeline.spawn(zonedInstant(w.ws.timeZone, day, 0).getTime(), () => weekdayShift(w.fork(dayIndex, 1001 + i), person, day, person === early));
  });
  const supervisor = w.ws.supervisors[0];
  if (supervisor && dayIndex % 2 === 0) {
    w.timeline.spawn(zonedInstant(w.ws.timeZone, day, 8 * 60 + 55).getTime(), () => supervisorAssigns(w, supervisor));
  }
}

/** Puts everyone's presence back as the live product had it before the history started. */
export async function restorePresence(w: World, before: Map<string, string>) {
  for (const person of w.ws.agents) {
    const presence = before.get(person.id) as Presence | undefined;
    if (presence) await setPresence(w, person, presence);
  }
}

/** The history starts with everyone signed off. */
export async function everyoneOffline(w: World) {
  for (const person of w.ws.agents) await setPresence(w, person, "offline");
}

/**
 * An afternoon where one agent's browser drops: her heartbeats stop, the presence job (on the simulated
 * clock) sets her away for the disconnect and, after the grace period, reassigns her chats (method
 * reassign_timeout); she comes back a while later. Everyone else keeps heartbeating so only she goes quiet.
 */
async function disconnectEpisode(w: World, day: string) {
  const at = (minute: number) => w.timeline.at(zonedInstant(w.ws.timeZone, day, minute).getTime());
  await at(16 * 60);
  const person = await busiestOnline(w);
  if (!person) return;
  const othersBeat = async () => {
    for (const other of w.ws.agents) if (other !== person) await w.api.call("POST", "/v1/agents/me/heartbeat", other.token, { idleSeconds: 0 });
  };
  await w.api.call("POST", "/v1/agents/me/heartbeat", person.token, { idleSeconds: 0 });
  await w.timeline.after(minutes(1.8));
  await othersBeat();
  await w.runJob("presence");
  await w.timeline.after(minutes(2.5));
  await othersBeat();
  await w.runJob("presence");
  await at(between(w, 16 * 60 + 20, 16 * 60 + 40));
  await setPresence(w, person, "online");
}

/** The online agent holding the most chats: the one whose disconnect shows. */
async function busiestOnline(w: World): Promise<Person | null> {
  const rows = await w.db.select({ id: agents.id, chats: agents.activeChats }).from(agents)
    .where(and(eq(agents.tenantId, w.ws.tenantId), eq(agents.presence, "online"), eq(agents.role, "agent"))).orderBy(desc(agents.activeChats)).limit(1);
  return rows[0] && rows[0].chats > 0 ? personById(w, rows[0].id) : null;
}

export function scheduleDisconnect(w: World, day: string, weekday: number, dayIndex: number) {
  // Every fourth day, counted from the second: often enough to show in a week's dashboards, and in small test runs.
  if (weekday >= 6 || dayIndex % 4 !== 1) return;
  w.timeline.spawn(zonedInstant(w.ws.timeZone, day, 0).getTime(), () => disconnectEpisode(w.fork(dayIndex, 2000), day));
}

/** Capacity is an admin setting: the history starts one seat lower and gives it back after a few weeks. */
export async function setCapacities(w: World, capacity: (p: Person) => number) {
  for (const person of w.ws.agents) await w.api.call("PATCH", `/v1/agents/${person.id}`, w.ws.admin.token, { capacity: capacity(person) });
}
