import type { InboxView } from "./router-types";

/** The inbox's URL state: view, search and filters (parsed on the server by inbox-filters.server.ts). */
export type InboxFilterState = {
  view: InboxView; status?: "open" | "pending" | "resolved"; teamId?: string; channelId?: string; tag?: string; q?: string; cursor?: string;
};

/** The same state as a query string, for links that keep the filters (conversation links, view tabs). */
export function filterSearch(filters: Partial<InboxFilterState>, changes: Partial<InboxFilterState> = {}): string {
  const merged = { ...filters, ...changes };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) if (value) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}
