/**
 * The filters and ranges the metric queries test rows with: the agent filter, a cycle started or resolved in the range,
 * a bucket in the query's zone, an extract table's rows in the range and the cycles of its transfers. Static text, the
 * values as typed parameters.
 */
import { aliveNear, bothKeys, type CycleKey } from "./cycle-columns.js";

/** The agent filter on a column holding one agent (an assignee, a sender, a sum's agent). */
export const agentFilter = (column: string) => `({f_agent:Nullable(UUID)} IS NULL OR ${column} = {f_agent:Nullable(UUID)})`;
/** Agent filter for per-cycle metrics: the cycle had the agent as assignee at some point. */
export const cycleAgentFilter = `({f_agent:Nullable(UUID)} IS NULL OR has(assignees, {f_agent:Nullable(UUID)}))`;

// On the stored instants, not `start_at`/`resolve_at`: the same test (an absent start is the largest Int64, an
// absent resolve 0, both outside any range), several times cheaper than comparing nullable DateTime64 per row.
export const startedInRange = "started_ms_ >= {from_ms:Int64} AND started_ms_ < {to_ms:Int64}";
export const resolvedInRange = "resolved_ms_ >= {from_ms:Int64} AND resolved_ms_ < {to_ms:Int64}";

/** Bucket start in the query's zone, as text in that zone (the bucket a person reads on the chart). */
export function bucketExpr(column: string, bucket: "hour" | "day" | "week"): string {
  const inZone = `toTimeZone(${column}, {tz:String})`;
  if (bucket === "week") return `toString(toMonday(${inZone}))`;
  return `formatDateTime(${bucket === "hour" ? "toStartOfHour" : "toStartOfDay"}(${inZone}), '%Y-%m-%d %H:%i')`;
}

/** An extract table's rows of the tenant in range (migration 0006: sorted by tenant, then instant). */
export const extractRange = "tenant_id = {tenant:UUID} AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}";

/**
 * Rows of an extract table (`transfers`, `template_messages`: migration 0006) of the tenant in range, one per
 * event id (a redelivery may sit there twice until a merge).
 */
export function extractInRange(table: "transfers" | "template_messages"): string {
  return `(SELECT * FROM ${table}
    WHERE ${extractRange}
    LIMIT 1 BY id)`;
}

/**
 * The cycles of the range's transfers, as a key: for a select that only looks at those (a join or a membership
 * test on the transfer's cycle), so it need not build every other cycle. They are alive within an hour of the range
 * (a transfer happens while its cycle is open; the hour absorbs clocks apart), which the rollup's sort key and
 * `alive_until_minmax` prune on. The rollup is read for that alone, the select's own membership test then keeping the
 * transfers' cycles: the range's transfers as a set in the key too read the same granules and tested each row's pair
 * against it (a team's or tag's transfer counts on the agents board, 30 days of 90 at 9.7M events: 75 -> 42 ms). The
 * hot facts keep the set, which spares re-aggregating every other hot cycle.
 */
const transferCycles = `(conversation_id, cycle) IN (SELECT conversation_id, cycle FROM transfers
      WHERE ${extractRange})`;
/** The key for the cycles of the range's transfers in [from, to) (ms expressions: a part of the range). */
export function transferCyclesIn(from: string, to: string): CycleKey {
  const alive = aliveNear(from, to);
  return { having: bothKeys(alive, { having: transferCycles, where: transferCycles }).having, where: alive.where };
}
export const transferCyclesKey = transferCyclesIn("{from_ms:Int64}", "{to_ms:Int64}");
