import { latestAgentState } from "./agent-state.js";
import { NIL } from "./cycle-columns.js";

/**
 * The workload sweep (dashboard 4), shared by the board and the compactor's hours (`rollup/agent-load-hours.ts`): per
 * agent, presence changes (online or not) and chat stints (assignment → transfer, reassignment or resolve; open stints
 * run to the end) become sorted points over [from, to); between two points the agent is online or not and holds
 * `active` chats. Online time, the chat-time integral and occupied time are sums over those segments.
 *
 * Each point is one sortable Int64: time * 16, + 8 unless it is a presence from before the range (it goes first), + its
 * code. At one instant, in code order: ended stints, hour markers (no change: they only cut segments at an hour's
 * start, for the compactor's hours), presence changes, started stints. Sorting plain numbers instead of tuples by a
 * lambda key took the board's pass from 260 to 150 ms at 9M events.
 */
const CODE = { ended: 1, marker: 2, offline: 4, online: 6, started: 7 } as const;
export const HOUR_MS = 3_600_000;

/** [from, to) as SQL: DateTime64(3, 'UTC') and Int64 ms (parameters), and a test on the agent column it is given. */
export type SweepBounds = { from: string; to: string; fromMs: string; toMs: string; agents: (column: string) => string };

/**
 * `presence`, `chat_points` (from a `cycles` CTE with `stints`) and `points`, as CTEs. Without `chats` (a sweep over
 * nothing, whose stints would only add and take off at its one instant) presence alone: the agents it holds. `byTeam`
 * (the compactor's hours, `cycles` with `team` too): each point also under `grp`, every team's (nil) and its cycle's
 * team's, presence under every team of `cycles`, so a timeline per (agent, grp) sweeps one team's chats.
 */
export function pointCtes(b: SweepBounds, chats = true, byTeam = false): string {
  const chatPoints = `chat_points AS (
  SELECT s.1 AS agent, ${byTeam ? "team, " : ""}arrayJoin([(greatest(s.2, ${b.fromMs}), ${CODE.started}), (if(s.3 = -1, ${b.toMs}, least(s.3, ${b.toMs})), ${CODE.ended})]) AS p
  FROM cycles ARRAY JOIN stints AS s WHERE s.2 < ${b.toMs} AND (s.3 = -1 OR s.3 > ${b.fromMs}) AND ${b.agents("s.1")}
),`;
  const presenceGroups = byTeam ? ` ARRAY JOIN arrayConcat([${NIL}], (SELECT groupUniqArray(team) FROM cycles WHERE team != ${NIL})) AS grp` : "";
  const chatGroups = byTeam ? ` ARRAY JOIN if(team = ${NIL}, [${NIL}], [${NIL}, team]) AS grp` : "";
  const grp = byTeam ? "grp, " : "";
  return `presence AS (
  -- The changes inside the range, plus each agent's last change before it (his state when the range opens).
  SELECT agent_id AS agent, toUnixTimestamp64Milli(occurred_at) AS ms, toInt8(JSONExtractString(payload, 'to') = 'online') AS online
  FROM events WHERE tenant_id = {tenant:UUID} AND type = 'agent.presence_changed' AND ${b.agents("agent_id")}
    AND occurred_at >= ${b.from} AND occurred_at < ${b.to}
  LIMIT 1 BY id
  UNION ALL
  SELECT agent_id, ms, toInt8(v = '"online"') FROM (${latestAgentState("agent.presence_changed", { bound: b.from, inclusive: false }, b.agents("agent_id"))})
),
${chats ? chatPoints : ""}
points AS (
  SELECT agent, ${grp}greatest(ms, ${b.fromMs}) * 16 + if(ms >= ${b.fromMs}, 8, 0) + if(online = 1, ${CODE.online}, ${CODE.offline}) AS k FROM presence${presenceGroups}
  ${chats ? `UNION ALL SELECT agent, ${grp}p.1 * 16 + 8 + p.2 FROM chat_points${chatGroups}` : ""}
)`;
}

/**
 * Per agent (`GROUP BY agent` over `points`): `pts`, the sorted points with `extra` (an array of more) and the range
 * end; `online_now`, presence carried forward from its last change (-1: never seen, offline); `active`, the running sum
 * of chats; `dur`, each segment's length until the next point (the last, the range end, lasts 0).
 */
export function timelineColumns(toMs: string, extra = "[]"): string {
  // The range end is a marker: it changes nothing for an agent never seen online (every segment of his counts as
  // offline, and it adds 0 chats), and lasts 0. Not pts[i + 1] in a lambda for `dur`: that copies the whole array for
  // every element (quadratic memory, 22 GiB at 9M events).
  return `arraySort(arrayConcat(groupArray(k), ${extra}, [${toMs} * 16 + 8 + ${CODE.marker}])) AS pts,
    arrayFill(x -> x >= 0, arrayMap(k -> if(k % 2 = 0, toInt8(intDiv(k % 8, 2) - 2), toInt8(-1)), pts)) AS online_now,
    arrayCumSum(arrayMap(k -> if(k % 2 = 1, if(k % 8 = ${CODE.started}, 1, -1), 0), pts)) AS active,
    arrayPushBack(arrayPopFront(arrayDifference(arrayMap(k -> intDiv(k, 16), pts))), 0) AS dur`;
}

/** A marker at the start of every UTC hour of [fromMs, toMs) (fromMs on an hour). */
export const hourMarkers = (fromMs: string, toMs: string) => `arrayMap(h -> h * 16 + 8 + ${CODE.marker}, range(${fromMs}, ${toMs}, ${HOUR_MS}))`;

/**
 * The most chats at once over a set of points is reached at a started stint or at the range's start (a marker there, or
 * the clipped starts): an ended stint only lowers it. So an hour's maximum counts those only, and the hours' maxima's
 * greatest is the range's, where a count passing through an ended stint exactly at an hour's start is not in that hour.
 */
export const countsTowardMax = (k: string) => `${k} % 8 IN (${CODE.marker}, ${CODE.started})`;
