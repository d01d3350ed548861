import { z } from "zod";
import type { RouterClient } from "./router.server";

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.preprocess((v) => (v === "" ? undefined : v), text(max).optional());

/** Every action the conversation page posts, by `intent`; the router validates again and decides. */
const ResolveIntent = z.discriminatedUnion("outcome", [
  z.object({ intent: z.literal("resolve"), outcome: z.literal("resolved") }),
  z.object({ intent: z.literal("resolve"), outcome: z.literal("won"), dealValue: z.coerce.number().nonnegative().max(1e11), currency: z.string().regex(/^[A-Z]{3}$/) }),
  z.object({ intent: z.literal("resolve"), outcome: z.literal("lost"), lossReason: text(200) }),
]);

export const ConversationIntent = z.union([ResolveIntent, z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("claim") }),
  z.object({ intent: z.literal("takeover") }),
  z.object({ intent: z.literal("assign"), agentId: z.uuid() }),
  z.object({ intent: z.literal("transfer"), target: z.string().regex(/^(agent|team):[0-9a-f-]{36}$/i), note: optionalText(4000), reason: optionalText(200) }),
  z.object({ intent: z.literal("release") }),
  z.object({ intent: z.literal("reply"), text: text(4096) }),
  z.object({ intent: z.literal("template"), name: text(256), language: text(10), parameters: z.array(z.string().max(1024)).max(20) }),
  z.object({ intent: z.literal("note"), text: text(4000) }),
  z.object({ intent: z.literal("status"), status: z.enum(["open", "pending"]) }),
  z.object({ intent: z.literal("reopen") }),
  z.object({ intent: z.literal("tag-add"), tag: z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N}_\- ]+$/u) }),
  z.object({ intent: z.literal("tag-remove"), tag: z.string().min(1).max(64) }),
])]);
export type ConversationIntent = z.infer<typeof ConversationIntent>;

/** A form as the intent schema reads it: repeated `parameters` fields become a list. */
export function formToIntent(form: FormData): unknown {
  const entries: Record<string, unknown> = Object.fromEntries([...form.entries()].filter(([k]) => k !== "parameters" && k !== "csrf"));
  if (form.has("parameters")) entries.parameters = form.getAll("parameters");
  return entries;
}

export function runIntent(api: RouterClient, id: string, me: string, input: ConversationIntent): Promise<unknown> {
  switch (input.intent) {
    case "claim": return api.claim(id);
    case "takeover": return api.assign(id, me);
    case "assign": return api.assign(id, input.agentId);
    case "transfer": {
      const [kind, targetId] = input.target.split(":") as ["agent" | "team", string];
      return api.transfer(id, { ...(kind === "agent" ? { toAgentId: targetId } : { toTeamId: targetId }), note: input.note, reason: input.reason });
    }
    case "release": return api.release(id);
    case "reply": return api.reply(id, { text: input.text });
    case "template": return api.reply(id, { template: { name: input.name, language: input.language, parameters: input.parameters } });
    case "note": return api.note(id, input.text);
    case "status": return api.setStatus(id, input.status);
    case "resolve":
      if (input.outcome === "won") return api.resolve(id, { outcome: "won", dealValue: input.dealValue, currency: input.currency });
      if (input.outcome === "lost") return api.resolve(id, { outcome: "lost", lossReason: input.lossReason });
      return api.resolve(id, { outcome: "resolved" });
    case "reopen": return api.reopen(id);
    case "tag-add": return api.addTag(id, input.tag);
    case "tag-remove": return api.removeTag(id, input.tag);
  }
}
