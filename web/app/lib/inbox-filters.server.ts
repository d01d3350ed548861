import { z } from "zod";
import type { InboxQuery, InboxView } from "./router-types";
import type { InboxFilterState } from "./inbox-filters";

const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** The inbox's URL state: view, search and filters. Anything malformed falls back rather than failing the page. */
export const InboxFilters = z.object({
  view: z.enum(["unassigned", "mine", "team", "all"]).catch("mine"),
  status: optional(z.enum(["open", "pending", "resolved"])).catch(undefined),
  teamId: optional(z.uuid()).catch(undefined),
  channelId: optional(z.uuid()).catch(undefined),
  tag: optional(z.string().trim().min(1).max(64)).catch(undefined),
  q: optional(z.string().trim().min(1).max(100)).catch(undefined),
  cursor: optional(z.string().max(200)).catch(undefined),
});

export function parseInboxFilters(params: URLSearchParams, defaultView: InboxView): InboxFilterState {
  const raw = Object.fromEntries(params);
  return InboxFilters.parse({ ...raw, view: raw.view ?? defaultView });
}

export function toInboxQuery(filters: InboxFilterState, limit = 50): InboxQuery {
  return { ...filters, limit };
}

