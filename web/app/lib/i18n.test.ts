import { describe, expect, it } from "vitest";
import { en } from "./i18n-en";
import { es } from "./i18n-es";
import { formatDuration, formatMoney, normalizeLocale, translator } from "./i18n";

describe("i18n", () => {
  it("speaks Spanish (es-419) unless the person chose English", () => {
    expect(normalizeLocale(undefined)).toBe("es-419");
    expect(normalizeLocale("es-MX")).toBe("es-419");
    expect(normalizeLocale("en-US")).toBe("en");
    expect(translator("es-419")("views.unassigned")).toBe("Sin asignar");
    expect(translator("en")("views.unassigned")).toBe("Unassigned");
  });

  it("fills placeholders and leaves a missing one visible", () => {
    const t = translator("es-419");
    expect(t("conv.attending", { name: "Ana" })).toBe("Atendiendo: Ana");
    expect(t("conv.attending")).toBe("Atendiendo: {name}");
  });

  it("has every Spanish key in English, translated unless the word is the same in both", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
    const same = Object.keys(es).filter((k) => es[k as keyof typeof es] === en[k as keyof typeof en]);
    expect(same.sort()).toEqual(["app.title", "capacity.label", "dash.window", "kind.audio", "kind.sticker", "kind.video", "reports.col.csat", "reports.total", "role.supervisor", "timeline.transferred"]);
  });

  it("formats waiting times and the 24-hour window countdown", () => {
    expect(formatDuration(45_000)).toBe("45 s");
    expect(formatDuration(12 * 60_000 + 59_000)).toBe("12 min");
    expect(formatDuration(23 * 3600_000 + 5 * 60_000)).toBe("23 h 05 min");
    expect(formatDuration(-5000)).toBe("0 s");
  });

  it("formats deal values in the person's language", () => {
    expect(formatMoney(15000, "MXN", "es-419")).toMatch(/15,000\.00/);
    expect(formatMoney(15000, "USD", "en")).toBe("$15,000.00");
  });
});
