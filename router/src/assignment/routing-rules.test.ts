import { describe, expect, it } from "vitest";
import { matchKeyword, matchPhonePrefix, normalizeText } from "./routing-rules.js";

const rule = (kind: "keyword" | "phone_prefix", pattern: string, priority = 100, territory: string | null = null) =>
  ({ id: pattern, tenantId: "t", kind, pattern, teamId: `team-${pattern}`, territory, priority, createdAt: new Date() });

describe("routing rules", () => {
  it("normalises accents, case and punctuation", () => {
    expect(normalizeText("¡Quiero una COTIZACIÓN!")).toBe(" quiero una cotizacion ");
  });

  it("matches whole words and phrases, not fragments", () => {
    const rules = [rule("keyword", "pedido"), rule("keyword", "precio")];
    expect(matchKeyword(rules, "tengo un problema con mi pedido")?.pattern).toBe("pedido");
    expect(matchKeyword(rules, "pedidos varios")).toBeUndefined();
    expect(matchKeyword(rules, "desprecio")).toBeUndefined();
  });

  it("prefers the lower priority number, then the longer phrase", () => {
    const rules = [rule("keyword", "factura", 100), rule("keyword", "problema con mi factura", 100), rule("keyword", "urgente", 10)];
    expect(matchKeyword(rules, "tengo un problema con mi factura")?.pattern).toBe("problema con mi factura");
    expect(matchKeyword(rules, "urgente: problema con mi factura")?.pattern).toBe("urgente");
  });

  it("takes the longest phone prefix", () => {
    const rules = [rule("phone_prefix", "52", 100, "México"), rule("phone_prefix", "5281", 100, "Monterrey")];
    expect(matchPhonePrefix(rules, "5218112345678")?.territory).toBe("México");
    expect(matchPhonePrefix(rules, "528112345678")?.territory).toBe("Monterrey");
    expect(matchPhonePrefix(rules, "5411234567")).toBeUndefined();
  });
});
