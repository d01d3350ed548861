import { eq } from "drizzle-orm";
import { tenants, type WeeklyHours } from "./db/schema/index.js";
import type { Db } from "./db/index.js";
import { createAgent, createChannel, createRule, createTeam, createWorkspace, setDefaultTeam, setTeamMembers } from "./domain/admin/workspace.js";

export const DEMO_SLUG = "demo";
export const DEMO_PHONE_NUMBER_ID = "100000000000001";
const nineToSix: Array<[string, string]> = [["09:00", "18:00"]];
const weekdays9to18: WeeklyHours = { "1": nineToSix, "2": nineToSix, "3": nineToSix, "4": nineToSix, "5": nineToSix };

/**
 * The demo workspace of the embedded mode: Ventas, Soporte and Administración, three territories, the
 * agents of the product guides. Created once; a restart finds it and keeps everything.
 */
export async function ensureDemoWorkspace(db: Db, password: string) {
  const [existing] = await db.select().from(tenants).where(eq(tenants.slug, DEMO_SLUG));
  if (existing) return { created: false };
  await db.transaction(async (tx) => {
    const { tenantId } = await createWorkspace(tx, { name: "Muebles del Norte (demo)", slug: DEMO_SLUG, admin: { email: "admin@demo.centralita.mx", name: "Admin Demo", password } });
    const agent = (name: string, email: string, role: "agent" | "supervisor" = "agent") =>
      createAgent(tx, tenantId, { email: `${email}@demo.centralita.mx`, name, password, role, presence: "online", capacity: 6 });
    const sofia = await agent("Sofía Supervisora", "sofia", "supervisor");
    const [ana, carlos, maria, pedro, lucia] = [await agent("Ana", "ana"), await agent("Carlos", "carlos"), await agent("María", "maria"), await agent("Pedro", "pedro"), await agent("Lucía", "lucia")];
    const team = (name: string, department: string, extra = {}) => createTeam(tx, tenantId, { name, department, businessHours: weekdays9to18, ...extra });
    const ventas = await team("Ventas", "ventas", { isSales: true, awayMessage: "¡Gracias por escribir! Te respondemos de lunes a viernes de 9 a 18 h." });
    const soporte = await team("Soporte", "soporte", { strategy: "least_loaded" });
    const admin = await team("Administración", "administracion");
    const centro = await team("Equipo Centro", "ventas", { isSales: true });
    const norte = await team("Equipo Norte", "ventas", { isSales: true });
    const sur = await team("Equipo Sur", "ventas", { isSales: true });
    const sup = { agentId: sofia.id, autoAssign: false };
    await setTeamMembers(tx, tenantId, ventas.id, [ana.id, carlos.id, maria.id, sup]);
    await setTeamMembers(tx, tenantId, soporte.id, [carlos.id, pedro.id, sup]);
    await setTeamMembers(tx, tenantId, admin.id, [lucia.id, sup]);
    await setTeamMembers(tx, tenantId, centro.id, [ana.id, sup]);
    await setTeamMembers(tx, tenantId, norte.id, [carlos.id, sup]);
    await setTeamMembers(tx, tenantId, sur.id, [maria.id, sup]);
    await setDefaultTeam(tx, tenantId, ventas.id);
    for (const [pattern, t] of [["cotizacion", ventas], ["precio", ventas], ["problema", soporte], ["pedido", soporte], ["factura", admin]] as const) {
      await createRule(tx, tenantId, { kind: "keyword", pattern, teamId: t.id });
    }
    for (const [pattern, t] of [["menu_ventas", ventas], ["menu_soporte", soporte], ["menu_facturacion", admin]] as const) {
      await createRule(tx, tenantId, { kind: "menu", pattern, teamId: t.id });
    }
    for (const [prefix, territory, t] of [["5255", "CDMX", centro], ["5256", "Estado de México", centro], ["5281", "Monterrey", norte], ["5299", "Mérida", sur]] as const) {
      await createRule(tx, tenantId, { kind: "phone_prefix", pattern: prefix, territory, teamId: t.id, priority: 200 });
    }
    await createChannel(tx, tenantId, { name: "WhatsApp Ventas", phoneNumberId: DEMO_PHONE_NUMBER_ID, displayPhone: "+52 81 5555 0000" });
  });
  return { created: true };
}

export const demoLogins = ["admin", "sofia", "ana", "carlos", "maria", "pedro", "lucia"].map((n) => `${n}@demo.centralita.mx`);
