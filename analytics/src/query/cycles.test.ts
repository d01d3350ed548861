import { describe, expect, it } from "vitest";
import { hotRowsFor } from "./cycles.js";

// TabSeparatedWithNamesAndTypes as ClickHouse writes it: a tab or newline inside a value is escaped (\t, \n).
const rows = [
  "conversation_id\tcycle\ttag_set\tmsgs\tresolved_ms_",
  "UUID\tUInt32\tArray(String)\tArray(Tuple(Int64, UInt8))\tInt64",
  "00000000-0000-0000-0000-00000000000a\t1\t['vip\\tnorte','a\\nb']\t[(1,1),(2,2)]\t50",
  "00000000-0000-0000-0000-00000000000b\t2\t[]\t[]\t0",
].join("\n") + "\n";
const reading = (columns: string) => `SELECT ${columns} FROM format(TabSeparatedWithNamesAndTypes, {hot_rows:String}) WHERE resolved_ms_ > 0`;

describe("hotRowsFor", () => {
  it("keeps the columns the statement names, in the rows' order, with their types", () => {
    expect(hotRowsFor(reading("conversation_id, cycle, tag_set"), rows)).toBe([
      "conversation_id\tcycle\ttag_set\tresolved_ms_",
      "UUID\tUInt32\tArray(String)\tInt64",
      "00000000-0000-0000-0000-00000000000a\t1\t['vip\\tnorte','a\\nb']\t50",
      "00000000-0000-0000-0000-00000000000b\t2\t[]\t0",
    ].join("\n") + "\n");
  });

  it("sends nothing to a statement that does not read them, and nothing when there are none", () => {
    expect(hotRowsFor("SELECT count() FROM cycle_rollup FINAL WHERE conversation_id IN {hot_conversations:Array(UUID)}", rows)).toBe("");
    expect(hotRowsFor(reading("cycle"), "")).toBe("");
  });
});
