import { describe, expect, it } from "vitest";
import { fitsParam, MAX_PARAM_BYTES, paramBytes } from "./input.js";

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
