import type { Db } from "../../src/db/index.js";
import { createAgent, createChannel, createTeam, createWorkspace, setDefaultTeam, setTeamMembers, type NewTeam } from "../../src/domain/admin/workspace.js";
import type { Api } from "./harness.js";
import { PHONE_NUMBER_ID } from "./whatsapp.js";

export const PASSWORD = "contraseña-segura-123";
let seq = 0;

/**
 * The seed's company: Ventas (Ana, Carlos, María), Soporte (Carlos, Pedro), Administración (Lucía), a
 * supervisor over Ventas and Soporte, an admin, and one WhatsApp number. Everyone online unless told.
 */
export async function seedCompany(db: Db, opts: { ventas?: Partial<NewTeam>; presence?: "online" | "offline"; capacity?: number } = {}) {
  const n = ++seq;
  const { tenantId, admin } = await createWorkspace(db, { name: "Muebles del Norte", slug: `muebles-${n}-${Date.now()}`, admin: { email: `admin${n}-${Date.now()}@muebles.mx`, name: "Admin", password: PASSWORD } });
  const presence = opts.presence ?? "online";
  const capacity = opts.capacity ?? 5;
  const mk = (name: string, role: "agent" | "supervisor" = "agent") =>
    createAgent(db, tenantId, { email: `${name.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()}${n}-${Date.now()}@muebles.mx`, name, password: PASSWORD, role, presence, capacity });
  const [ana, carlos, maria, pedro, lucia, sofia] = [await mk("Ana"), await mk("Carlos"), await mk("María"), await mk("Pedro"), await mk("Lucía"), await mk("Sofía", "supervisor")];
  const ventas = await createTeam(db, tenantId, { name: "Ventas", department: "ventas", isSales: true, ...opts.ventas });
  const soporte = await createTeam(db, tenantId, { name: "Soporte", department: "soporte" });
  const administracion = await createTeam(db, tenantId, { name: "Administración", department: "administracion" });
  const supervisor = { agentId: sofia.id, autoAssign: false };
  await setTeamMembers(db, tenantId, ventas.id, [ana.id, carlos.id, maria.id, supervisor]);
  await setTeamMembers(db, tenantId, soporte.id, [carlos.id, pedro.id, supervisor]);
  await setTeamMembers(db, tenantId, administracion.id, [lucia.id]);
  await setDefaultTeam(db, tenantId, ventas.id);
  const channel = await createChannel(db, tenantId, { name: "WhatsApp principal", phoneNumberId: `${PHONE_NUMBER_ID}${n === 1 ? "" : n}`, displayPhone: "+52 81 5555 0000" });
  return { tenantId, admin, ana, carlos, maria, pedro, lucia, sofia, ventas, soporte, administracion, channel };
}

export async function login(api: Api, email: string): Promise<string> {
  const res = await api.call("POST", "/v1/auth/login", undefined, { email, password: PASSWORD });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/** Signs in every person of a seeded company; returns tokens by name. */
export async function loginAll(api: Api, company: Awaited<ReturnType<typeof seedCompany>>) {
  const people = { admin: company.admin, ana: company.ana, carlos: company.carlos, maria: company.maria, pedro: company.pedro, lucia: company.lucia, sofia: company.sofia };
  const entries = await Promise.all(Object.entries(people).map(async ([k, a]) => [k, await login(api, a.email)] as const));
  return Object.fromEntries(entries) as Record<keyof typeof people, string>;
}
