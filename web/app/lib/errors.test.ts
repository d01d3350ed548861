import { describe, expect, it } from "vitest";
import { describeError } from "./errors";
import { translator } from "./i18n";

const es = translator("es-419");
const en = translator("en");

describe("describeError: router refusals as people read them", () => {
  it("names who already has the chat (scenario 7)", () => {
    const error = { code: "already_assigned", message: "Already taken by Ana", details: { assignee: { id: "a1", name: "Ana" } } };
    expect(describeError(error, es, "c1")).toBe("Ya la atiende Ana");
    expect(describeError(error, en, "c1")).toBe("Ana already has it");
    expect(describeError(error, es, "a1")).toBe("Ya es tuya");
  });

  it("tells an agent who holds a chat he may not act on, or to claim it first", () => {
    expect(describeError({ code: "not_assignee", message: "", details: { assignee: { id: "x", name: "Carlos" } } }, es)).toBe("Esta conversación la atiende Carlos");
    expect(describeError({ code: "not_assignee", message: "", details: { assignee: null } }, es)).toBe("Toma la conversación antes de hacer eso");
  });

  it("explains capacity, window and validation refusals", () => {
    expect(describeError({ code: "agent_at_capacity", message: "", details: { agent: { name: "María" } } }, es)).toBe("María está al máximo de su capacidad");
    expect(describeError({ code: "window_closed", message: "" }, es)).toMatch(/plantilla aprobada/);
    const invalid = { code: "invalid_input", message: "bad", details: { issues: [{ path: "text", message: "Too long" }] } };
    expect(describeError(invalid, es)).toBe("Revisa los datos: text: Too long");
  });

  it("falls back to the router's message for a code it does not know", () => {
    expect(describeError({ code: "brand_new_code", message: "Something new" }, es)).toBe("Something new");
  });
});
