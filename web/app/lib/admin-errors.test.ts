import { describe, expect, it } from "vitest";
import { describeAdminError, invalidFields } from "./admin-errors";
import { adminEn } from "./i18n-admin-en";
import { adminEs } from "./i18n-admin-es";
import { LATAM_TIME_ZONES, timeZoneGroups, zoneLabel } from "./admin-timezones";

const ctx = { locale: "es-419" as const, myAgentId: "me" };

describe("admin refusals in the person's language", () => {
  it("names the router's invalid fields by their form labels", () => {
    const body = { code: "invalid_input", message: "x", details: { issues: [{ path: "firstResponseTargetSeconds", message: "Too small" }, { path: "businessHours.1.0", message: "bad" }] } };
    expect(describeAdminError(body, ctx)).toEqual({ error: "Revisa estos campos: Meta de primera respuesta (minutos), Horario de atención", fields: ["firstResponseMinutes", "businessHours"] });
    expect(describeAdminError(body, { ...ctx, locale: "en" }).error).toBe("Check these fields: First-response target (minutes), Business hours");
  });

  it("says which duplicate it was, and that an admin cannot lock himself out", () => {
    expect(describeAdminError({ code: "conflict", message: "x", details: { field: "email" } }, ctx)).toEqual({ error: "Ya hay una persona con ese correo", fields: ["email"] });
    expect(describeAdminError({ code: "conflict", message: "x" }, { ...ctx, targetId: "me" }).error).toMatch(/No puedes desactivarte/);
    expect(describeAdminError({ code: "conflict", message: "x" }, { ...ctx, conflict: "admin.errors.conflict.template" }).error).toMatch(/plantilla/);
    expect(describeAdminError({ code: "forbidden", message: "x" }, ctx).error).toBe("Solo un administrador puede hacer este cambio");
  });

  it("explains a bad business-hours day", () => {
    expect(invalidFields(["businessHours"], "es-419", { day: "3", problem: "overlap" }).error).toBe("Miércoles: los horarios se enciman");
  });

  it("has every string in both languages, each one translated", () => {
    expect(Object.keys(adminEn).sort()).toEqual(Object.keys(adminEs).sort());
    expect(Object.keys(adminEs).filter((k) => adminEs[k as keyof typeof adminEs] === adminEn[k as keyof typeof adminEn])).toEqual([]);
    expect(Object.keys(adminEs).every((k) => k.startsWith("admin."))).toBe(true);
  });
});

describe("time zones", () => {
  it("lists Latin America first, then the rest, keeping a zone in use", () => {
    const { latam, others } = timeZoneGroups(["Mars/Olympus"]);
    expect(latam[0]).toBe("America/Mexico_City");
    expect(latam).toEqual(expect.arrayContaining(["America/Bogota", "America/Lima", "America/Santiago"]));
    expect(latam.length).toBeGreaterThan(LATAM_TIME_ZONES.length - 3);
    expect(others).toContain("Europe/Madrid");
    expect(others).toContain("Mars/Olympus");
    expect(others).not.toContain("America/Bogota");
    expect(zoneLabel("America/Argentina/Buenos_Aires")).toBe("Argentina / Buenos Aires");
  });
});
