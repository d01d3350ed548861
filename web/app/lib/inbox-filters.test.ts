import { describe, expect, it } from "vitest";
import { filterSearch } from "./inbox-filters";
import { parseInboxFilters } from "./inbox-filters.server";

describe("inbox filters in the URL", () => {
  it("reads view, search and filters, dropping blanks and anything malformed", () => {
    const params = new URLSearchParams("view=team&q=%20Monterrey%20&status=&teamId=not-a-uuid&tag=vip");
    expect(parseInboxFilters(params, "all")).toEqual({ view: "team", q: "Monterrey", tag: "vip" });
    expect(parseInboxFilters(new URLSearchParams("view=everything"), "all").view).toBe("mine");
    expect(parseInboxFilters(new URLSearchParams(""), "all").view).toBe("all");
  });

  it("writes them back for links, with changes applied", () => {
    expect(filterSearch({ view: "mine", q: "Ana" }, { view: "all" })).toBe("?view=all&q=Ana");
    expect(filterSearch({ view: "mine", cursor: "abc" }, { cursor: undefined })).toBe("?view=mine");
  });
});
