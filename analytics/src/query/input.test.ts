import { describe, expect, it } from "vitest";
import { formatQueryParams } from "@clickhouse/client/dist/common/index.js";
import { fitsParam, MAX_PARAM_BYTES, paramBytes, splitLargeArrays } from "./input.js";

describe("a text parameter's size as sent", () => {
  it("counts UTF-8 bytes and a second byte for each tab, newline, quote and backslash the client escapes", () => {
    // a, \t (2), b, ' (2), ñ (2 bytes), \ (2), \n (2)
    expect(paramBytes("a\tb'ñ\\\n")).toBe(1 + 2 + 1 + 2 + 2 + 2 + 2);
  });

  it("fits a parameter up to the limit as sent, not as held", () => {
    const plain = "x".repeat(MAX_PARAM_BYTES);
    expect(fitsParam(plain)).toBe(true);
    expect(fitsParam(`${plain}x`)).toBe(false);
    // TSV rows: their tabs and newlines push a text of fewer characters than the limit past it.
    const rows = "ab\tc\n".repeat(Math.ceil(MAX_PARAM_BYTES / 5));
    expect(rows.length).toBeLessThanOrEqual(MAX_PARAM_BYTES + 5);
    expect(fitsParam(rows.slice(0, MAX_PARAM_BYTES - 10_000))).toBe(false);
  });
});

describe("an array parameter too large for one field", () => {
  const sql = "SELECT {xs:Array(String)}[i], has({xs:Array(String)}, 'a'), {n:UInt32}";

  it("goes as several that each fit as the client formats them, in order, joined back wherever the text reads it", () => {
    // Quotes and backslashes: each escaped, so the formatted run is longer than its characters.
    const xs = Array.from({ length: 40_000 }, (_, i) => `o'c\\${i}`);
    const { sql: text, params } = splitLargeArrays(sql, { xs, n: 7 });
    const names = Object.keys(params).filter((name) => name.startsWith("xs__"));
    expect(names.length).toBeGreaterThan(2);
    for (const name of names) expect(Buffer.byteLength(formatQueryParams({ value: params[name] }))).toBeLessThanOrEqual(MAX_PARAM_BYTES);
    expect(names.flatMap((name) => params[name] as string[])).toEqual(xs);
    const joined = `arrayConcat(${names.map((name) => `{${name}:Array(String)}`).join(", ")})`;
    expect(text).toBe(`SELECT ${joined}[i], has(${joined}, 'a'), {n:UInt32}`);
    expect(params.n).toBe(7);
    expect(params.xs).toBeUndefined();
  });

  it("leaves a statement whose parameters fit as it is", () => {
    const params = { xs: ["a", "b"], n: 7 };
    expect(splitLargeArrays(sql, params)).toEqual({ sql, params });
  });
});
