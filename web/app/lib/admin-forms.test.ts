import { describe, expect, it } from "vitest";
import { agentBody, channelBody, parseAgentForm, parseChannelForm, parseRuleForm, parseTemplateForm } from "./admin-forms";
import { parseTeamForm, parseWorkspaceForm } from "./admin-team-forms";

const ID = "0190b7a4-8f3e-7c3a-9d2e-1b2c3d4e5f60";
const TEAM = "0190b7a4-8f3e-7c3a-9d2e-1b2c3d4e5f61";
const form = (fields: Record<string, string | string[]>) => {
  const f = new FormData();
  f.append("csrf", "x");
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) f.append(k, value);
  return f;
};
const agent = { name: " Julia ", email: " julia@muebles.mx ", role: "agent", capacity: "4", skills: "garantías, inglés, ", timeZone: "America/Bogota", locale: "es-419" };

describe("admin forms", () => {
  it("reads an invitation: trimmed, skills split, teams as a list, blank password left out", () => {
    const parsed = parseAgentForm(form({ intent: "create", ...agent, teamIds: [TEAM], password: "" }));
    expect(parsed.ok && parsed.data).toEqual({ intent: "create", ...agent, name: "Julia", email: "julia@muebles.mx", capacity: 4, skills: ["garantías", "inglés"], teamIds: [TEAM], password: undefined });
    if (parsed.ok && parsed.data.intent === "create") expect(agentBody(parsed.data)).not.toHaveProperty("intent");
  });

  it("names every wrong field, and an unticked checkbox is false", () => {
    expect(parseAgentForm(form({ intent: "create", ...agent, email: "julia", capacity: "500" }))).toEqual({ ok: false, fields: ["email", "capacity"] });
    const edit = parseAgentForm(form({ intent: "update", id: ID, ...agent }));
    expect(edit.ok && edit.data.intent === "update" && edit.data.active).toBe(false);
    expect(edit.ok && edit.data.intent === "update" && edit.data.teamIds).toEqual([]);
    const ticked = parseAgentForm(form({ intent: "update", id: ID, ...agent, active: "" }));
    expect(ticked.ok && ticked.data.intent === "update" && ticked.data.active).toBe(true);
  });

  it("reads routing rules with an optional territory", () => {
    const parsed = parseRuleForm(form({ intent: "create", kind: "phone_prefix", pattern: "5281", teamId: TEAM, territory: "", priority: "50" }));
    expect(parsed.ok && parsed.data).toEqual({ intent: "create", kind: "phone_prefix", pattern: "5281", teamId: TEAM, territory: null, priority: 50 });
    expect(parseRuleForm(form({ intent: "delete", id: "nope" }))).toEqual({ ok: false, fields: ["id"] });
  });

  it("checks template names and languages as Meta spells them", () => {
    const ok = parseTemplateForm(form({ intent: "create", name: "saludo_ventas", language: "es_MX", category: "utility", body: "Hola {{1}}", status: "approved" }));
    expect(ok.ok).toBe(true);
    expect(parseTemplateForm(form({ intent: "create", name: "Saludo Ventas", language: "spanish", category: "utility", body: "x", status: "approved" })))
      .toEqual({ ok: false, fields: ["name", "language"] });
  });

  it("sends a rotated token alone, and leaves blank Graph settings out of an edit", () => {
    const rotate = parseChannelForm(form({ intent: "rotate", id: ID, accessToken: "EAA-new-token-0123456789" }));
    expect(rotate.ok && rotate.data).toEqual({ intent: "rotate", id: ID, accessToken: "EAA-new-token-0123456789" });
    expect(parseChannelForm(form({ intent: "rotate", id: ID, accessToken: "short" }))).toEqual({ ok: false, fields: ["accessToken"] });
    const edit = parseChannelForm(form({ intent: "update", id: ID, name: "Ventas", graphApiBaseUrl: "", graphApiVersion: "", sendRatePerSecond: "" }));
    expect(edit.ok && edit.data.intent === "update" && channelBody(edit.data)).toEqual({ name: "Ventas" });
  });

  it("reads a team's settings: minutes to seconds, visibility, sorted holidays, hours or always open", () => {
    const base = { intent: "settings", name: "Ventas", department: "", timeZone: "America/Lima", strategy: "least_loaded", visibility: "all", awayMessage: "", firstResponseMinutes: "15" };
    const parsed = parseTeamForm(form({ ...base, sticky: "on", holidays: ["2025-12-25", "2025-01-01", "2025-12-25"], "hours.1.start": "09:00", "hours.1.end": "18:00" }));
    expect(parsed.ok && parsed.data).toEqual({ intent: "settings", body: {
      name: "Ventas", department: null, timeZone: "America/Lima", strategy: "least_loaded", sticky: true, isSales: false, awayMessage: null,
      agentsSeeAll: true, firstResponseTargetSeconds: 900, holidays: ["2025-01-01", "2025-12-25"], businessHours: { 1: [["09:00", "18:00"]] },
    } });
    const open = parseTeamForm(form({ ...base, firstResponseMinutes: "", alwaysOpen: "on", "hours.1.start": "bad", "hours.1.end": "bad" }));
    expect(open.ok && open.data.intent === "settings" && open.data.body).toMatchObject({ businessHours: null, firstResponseTargetSeconds: null });
    const bad = parseTeamForm(form({ ...base, "hours.2.start": "18:00", "hours.2.end": "10:00" }));
    expect(bad).toEqual({ ok: false, fields: ["businessHours"], hours: { day: "2", problem: "order" } });
  });

  it("keeps the members' order and who receives chats", () => {
    const parsed = parseTeamForm(form({ intent: "members", member: [TEAM, ID], autoAssign: [ID] }));
    expect(parsed.ok && parsed.data).toEqual({ intent: "members", members: [{ agentId: TEAM, autoAssign: false }, { agentId: ID, autoAssign: true }] });
  });

  it("reads SLA settings in friendly units and refuses an escalation ladder out of order", () => {
    const base = { intent: "automation", pendingExpiryHours: "24", idleTimeoutMinutes: "10", disconnectTimeoutSeconds: "90", reassignGraceSeconds: "120" };
    const parsed = parseWorkspaceForm(form({ ...base, csatEnabled: "on", stepAfterMinutes: ["5", "", "15"], stepAction: ["alert", "reassign", "supervisor"] }));
    expect(parsed.ok && parsed.data.body).toEqual({
      csatEnabled: true, pendingExpirySeconds: 86400, idleTimeoutSeconds: 600, disconnectTimeoutSeconds: 90, reassignGraceSeconds: 120,
      escalationSteps: [{ afterSeconds: 300, action: "alert" }, { afterSeconds: 900, action: "supervisor" }],
    });
    expect(parseWorkspaceForm(form({ ...base, stepAfterMinutes: ["15", "5"], stepAction: ["alert", "reassign"] }))).toEqual({ ok: false, fields: ["escalationSteps"] });
    const team = parseTeamForm(form({ intent: "automation", csat: "off", customSteps: "on", stepAfterMinutes: ["3"], stepAction: ["supervisor"] }));
    expect(team.ok && team.data).toEqual({ intent: "automation", body: { csatEnabled: false, escalationSteps: [{ afterSeconds: 180, action: "supervisor" }] } });
    const inherit = parseTeamForm(form({ intent: "automation", csat: "inherit", stepAfterMinutes: ["3"], stepAction: ["supervisor"] }));
    expect(inherit.ok && inherit.data).toEqual({ intent: "automation", body: { csatEnabled: null, escalationSteps: null } });
    const ws = parseWorkspaceForm(form({ intent: "workspace", name: "Muebles", reopenWindowDays: "7", firstResponseMinutes: "5", defaultTeamId: "" }));
    expect(ws.ok && ws.data.body).toEqual({ name: "Muebles", reopenWindowSeconds: 604800, firstResponseTargetSeconds: 300, defaultTeamId: null });
  });
});
