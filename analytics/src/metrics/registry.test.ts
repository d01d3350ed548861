import { describe, expect, it } from "vitest";
import { metricCatalog } from "./registry.js";
import { metricStatement } from "./run.js";
import { pending, t } from "./define.js";

const query = {
  tenantId: "019a0000-0000-7000-8000-000000000001", from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-03-02T00:00:00Z"),
  timeZone: "America/Bogota", bucket: "week" as const,
  filters: { territory: "Norte'); DROP TABLE events; --", tag: "x' OR 1=1 --", agentId: "019a0000-0000-7000-8000-0000000000a1" },
};

describe("the metric catalog", () => {
  it("has unique ids, both languages and a unit for every metric", () => {
    const ids = metricCatalog.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of metricCatalog) {
      expect(m.name.es && m.name.en && m.description.es && m.description.en, m.id).toBeTruthy();
      expect(["count", "seconds", "share", "money", "score", "per_minute"]).toContain(m.unit);
    }
  });

  it("sends user input only as typed parameters, never inside the SQL text", () => {
    for (const m of metricCatalog.filter((x) => x.status === "implemented")) {
      const { sql, params } = metricStatement(m, query);
      for (const value of [query.filters.territory, query.filters.tag, query.tenantId, query.filters.agentId, "America/Bogota", "2026-03-01"]) {
        expect(sql, m.id).not.toContain(value);
      }
      expect(sql, m.id).toMatch(/\{tenant:UUID\}/);
      expect(params.f_territory).toBe(query.filters.territory);
    }
  });

  it("lists, for a pass read in part, exactly the columns its panels read", () => {
    // A column no panel reads would put every board's statement on `GROUP BY ()`; one left out, a panel alone on the
    // whole pass (`passSql`).
    const read = new Map<string, { columns: readonly string[]; read: Set<string> }>();
    for (const { fromPass } of metricCatalog) {
      for (const { pass, columns } of fromPass ? [fromPass, ...(fromPass.also ?? [])] : []) {
        if (!pass.columns) continue;
        const entry = read.get(pass.id) ?? read.set(pass.id, { columns: pass.columns, read: new Set() }).get(pass.id)!;
        columns.forEach((c) => entry.read.add(c));
      }
    }
    expect(read.size).toBeGreaterThanOrEqual(6);
    for (const [id, entry] of read) expect([...entry.read].sort(), id).toEqual([...entry.columns].sort());
  });

  it("refuses to compute a pending metric instead of inventing a number", () => {
    const pendingOne = pending("not_yet", t("Aún no", "Not yet"), t("—", "—"), "count", "scalar");
    expect(() => metricStatement(pendingOne, query)).toThrow(/pending/);
  });
});
