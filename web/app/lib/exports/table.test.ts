import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import type { ConversationFact, MetricQuery, PanelResult } from "@centralita/analytics";
import { conversationRows, dashboardExport, dashboardRows } from "./table";
import { toCsv } from "./csv";
import { toXlsx } from "./xlsx";
import { safeFileName } from "./download";
import { daysOf, isReportable, keyQuery, reportExport } from "./report";

const ana = "a0000000-0000-4000-8000-000000000001";
const carlos = "a0000000-0000-4000-8000-000000000002";
const ventas = "b0000000-0000-4000-8000-000000000001";
const names = { agents: { [ana]: "Ana", [carlos]: "Carlos" }, teams: { [ventas]: "Ventas" }, channels: {} };
const panel = (metricId: string, breakdown: PanelResult["breakdown"], unit: "count" | "seconds" | "share" | "money", rows: PanelResult["result"] extends infer R ? R extends { rows: infer X } ? X : never : never): PanelResult =>
  ({ metricId, chart: "table", breakdown, status: "implemented", result: { metric: metricId, unit, kind: breakdown === "none" ? "scalar" : "breakdown", rows } });

const panels: PanelResult[] = [
  panel("first_response_time_avg", "none", "seconds", [{ value: 90.5 }]),
  panel("agent_conversations_handled", "agent", "count", [{ key: ana, value: 2 }, { key: carlos, value: 3 }]),
  panel("team_conversions", "team", "count", [{ key: ventas, value: 1 }]),
  panel("transfers_by_pair", "pair", "count", [{ key: ana, series: carlos, value: 1 }]),
  panel("assignments", "bucket", "count", [{ bucket: "2026-03-02 09:00", series: "claim", value: 4 }]),
  panel("revenue", "currency", "money", [{ key: "MXN", value: 15800 }]),
  { metricId: "funnel", chart: "funnel", breakdown: "stage", status: "pending", result: null },
];

describe("dashboard export rows", () => {
  it("has one row per panel, key or bucket and series, names for ids, raw numbers and the unit", () => {
    expect(dashboardRows(panels, names, "es-419")).toEqual([
      ["first_response_time_avg", "Tiempo de primera respuesta (promedio)", "", "", "", 90.5, "segundos"],
      ["agent_conversations_handled", expect.any(String), "Ana", "", "", 2, "cantidad"],
      ["agent_conversations_handled", expect.any(String), "Carlos", "", "", 3, "cantidad"],
      ["team_conversions", expect.any(String), "Ventas", "", "", 1, "cantidad"],
      ["transfers_by_pair", expect.any(String), "Ana", "", "Carlos", 1, "cantidad"],
      ["assignments", expect.any(String), "", "2026-03-02 09:00", "claim", 4, "cantidad"],
      ["revenue", expect.any(String), "MXN", "", "", 15800, "monto"],
    ]);
  });

  it("speaks the reader's language in headers, metric names and units; keeps an unknown id as is", () => {
    const file = dashboardExport({
      dashboardId: "sales", title: "Sales", panels: [panels[0]!, panel("agent_csat_avg", "agent", "share", [{ key: "unknown-agent", value: 0.5 }])],
      names, window: { from: "2026-03-01T06:00:00.000Z", to: "2026-03-02T06:00:00.000Z", timeZone: "America/Mexico_City" }, filters: [["Team", "Ventas"]],
      locale: "en", now: new Date("2026-03-02T10:00:00Z"),
    });
    expect(file.data.columns).toEqual(["Metric id", "Metric", "Breakdown", "Bucket", "Series", "Value", "Unit"]);
    expect(file.data.rows[0]!.slice(1)).toEqual(["First response time (average)", "", "", "", 90.5, "seconds"]);
    expect(file.data.rows[1]![2]).toBe("unknown-agent");
    expect(file.info).toContainEqual(["Time zone", "America/Mexico_City"]);
    expect(file.info).toContainEqual(["From", "2026-03-01 00:00"]);
    expect(file.info).toContainEqual(["Team", "Ventas"]);
    expect(file.baseName).toBe("sales_2026-03-01");
  });
});

describe("writers", () => {
  const sheet = { name: "Datos", columns: ["Métrica", "Valor"], rows: [["Atención, \"rápida\"", 90.5], ["=HYPERLINK(\"x\")", -3], ["línea\nnueva", null]] };

  it("writes RFC 4180 CSV with a BOM, quotes and formula-safe text, raw numbers", () => {
    expect(toCsv(sheet)).toBe("\uFEFFMétrica,Valor\r\n\"Atención, \"\"rápida\"\"\",90.5\r\n\"'=HYPERLINK(\"\"x\"\")\",-3\r\n\"línea\nnueva\",\r\n");
  });

  it("writes XLSX with numbers as numbers and an info sheet", async () => {
    const bytes = await toXlsx({ baseName: "x", data: sheet, infoName: "Filtros", info: [["Zona horaria", "America/Bogota"]] });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const data = book.getWorksheet("Datos")!;
    expect(data.getRow(1).values).toEqual([undefined, "Métrica", "Valor"]);
    expect(data.getCell("B2").value).toBe(90.5);
    expect(data.getCell("B3").value).toBe(-3);
    expect(book.getWorksheet("Filtros")!.getCell("B1").value).toBe("America/Bogota");
  });

  it("makes file names safe for a header and a disk", () => {
    expect(safeFileName("Reporte diario: Atención/Ventas", "xlsx")).toBe("Reporte_diario_Atencion_Ventas.xlsx");
  });
});

describe("per-conversation rows", () => {
  it("names agents in the order they held the chat, teams and resolvers; keeps raw seconds", () => {
    const fact: ConversationFact = {
      conversationId: "c1", cycle: 1, openedAt: "2026-03-02 09:00:00", resolvedAt: "2026-03-02 09:40:00", teamId: ventas, channelId: null,
      agentIds: [ana, carlos], resolvedByAgentId: ana, territory: "Norte", firstResponseSeconds: 120, resolutionSeconds: 2400, transfers: 2,
      outcome: "won", dealValue: 15800, currency: "MXN", lossReason: null, csat: 5, tags: ["quoted", "vip"],
    };
    expect(conversationRows([fact], names)).toEqual([[
      "c1", 1, "2026-03-02 09:00:00", "2026-03-02 09:40:00", "Ventas", "Ana → Carlos", "Ana", "Norte", "", 120, 2400, 2, "won", 15800, "MXN", "", 5, "quoted, vip",
    ]]);
  });
});

describe("report builder keys", () => {
  const base: MetricQuery = {
    tenantId: "t", from: new Date("2026-03-27T23:00:00Z"), to: new Date("2026-03-30T12:00:00Z"), timeZone: "Europe/Madrid", filters: { teamIds: [ventas] },
  };

  it("splits the range into local days, clipped to it, across a DST change", () => {
    expect(daysOf(base.from, base.to, base.timeZone)).toEqual([
      { day: "2026-03-28", from: new Date("2026-03-27T23:00:00Z"), to: new Date("2026-03-28T23:00:00Z") },
      { day: "2026-03-29", from: new Date("2026-03-28T23:00:00Z"), to: new Date("2026-03-29T22:00:00Z") },
      { day: "2026-03-30", from: new Date("2026-03-29T22:00:00Z"), to: new Date("2026-03-30T12:00:00Z") },
    ]);
  });

  it("runs each key as the dashboard's filter, keeping the viewer's scope", () => {
    expect(keyQuery(base, "agent", ana).filters).toEqual({ teamIds: [ventas], agentId: ana });
    expect(keyQuery(base, "team", ventas).filters).toEqual({ teamIds: [ventas], teamId: ventas });
    expect(keyQuery(base, "territory", "Norte").filters).toEqual({ teamIds: [ventas], territory: "Norte" });
    expect(keyQuery(base, "day", "2026-03-29")).toMatchObject({ from: new Date("2026-03-28T23:00:00Z"), to: new Date("2026-03-29T22:00:00Z"), filters: { teamIds: [ventas] } });
  });

  it("offers only range scalars, and heads columns with name and unit", () => {
    expect(isReportable("first_response_time_avg")).toBe(true);
    expect(isReportable("open_now")).toBe(false);
    expect(isReportable("agent_conversations_handled")).toBe(false);
    const file = reportExport({
      table: { spec: { metricIds: ["conversations_opened", "csat_avg"], breakdown: "agent" }, rows: [{ key: ana, label: "Ana", values: [3, 4.5] }, { key: null, label: "Total", values: [5, null] }] },
      title: "x", window: { from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z", timeZone: "UTC" }, filters: [], locale: "es-419",
    });
    expect(file.data.columns[0]).toBe("Por agente");
    expect(file.data.columns[1]).toMatch(/\(cantidad\)$/);
    expect(file.data.rows).toEqual([["Ana", 3, 4.5], ["Total", 5, null]]);
  });
});
