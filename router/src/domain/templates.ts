import { and, asc, eq } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { templates } from "../db/schema/index.js";
import type { Db, Tx } from "../db/index.js";
import { requireRole, type Actor } from "./actor.js";
import { DomainError } from "./errors.js";
import { placeholderCount, renderTemplate, templatePayload } from "../channels/whatsapp/graph-message.js";

export type TemplateInput = { name: string; language: string; category?: "utility" | "marketing" | "authentication"; body: string; status?: "approved" | "pending" | "rejected" | "paused" };

const view = (t: typeof templates.$inferSelect) => ({ ...t, parameterCount: placeholderCount(t.body) });

export async function listTemplates(db: Db, actor: Actor) {
  const rows = await db.select().from(templates).where(eq(templates.tenantId, actor.tenantId)).orderBy(asc(templates.name), asc(templates.language));
  return rows.map(view);
}

export async function createTemplate(db: Db, actor: Actor, input: TemplateInput) {
  requireRole(actor, "admin");
  const [row] = await db.insert(templates).values({ id: uuidv7(), tenantId: actor.tenantId, ...input }).returning();
  return view(row!);
}

export async function updateTemplate(db: Db, actor: Actor, id: string, patch: Partial<TemplateInput>) {
  requireRole(actor, "admin");
  const [row] = await db.update(templates).set(patch).where(and(eq(templates.tenantId, actor.tenantId), eq(templates.id, id))).returning();
  if (!row) throw new DomainError("not_found", "Template not found");
  return view(row);
}

export async function deleteTemplate(db: Db, actor: Actor, id: string) {
  requireRole(actor, "admin");
  const rows = await db.delete(templates).where(and(eq(templates.tenantId, actor.tenantId), eq(templates.id, id))).returning({ id: templates.id });
  if (rows.length === 0) throw new DomainError("not_found", "Template not found");
}

/**
 * An approved template ready to send: the Graph body, and the text as the customer will read it. Refused
 * when it is not approved or the parameters do not fill its placeholders.
 */
export async function prepareTemplate(tx: Tx, tenantId: string, input: { name: string; language: string; parameters: string[] }) {
  const [t] = await tx.select().from(templates)
    .where(and(eq(templates.tenantId, tenantId), eq(templates.name, input.name), eq(templates.language, input.language)));
  if (!t) throw new DomainError("not_found", `No template ${input.name} (${input.language})`);
  if (t.status !== "approved") throw new DomainError("template_not_approved", `Template ${t.name} is ${t.status}; only approved templates can be sent`);
  const expected = placeholderCount(t.body);
  if (input.parameters.length !== expected) {
    throw new DomainError("invalid_input", `Template ${t.name} takes ${expected} parameter(s), got ${input.parameters.length}`);
  }
  return { body: renderTemplate(t.body, input.parameters), payload: templatePayload(t.name, t.language, input.parameters), name: t.name };
}
