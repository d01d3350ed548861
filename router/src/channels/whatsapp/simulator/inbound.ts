import type { Customer } from "./customer-pool.js";
import { textFor } from "./customer-pool.js";
import { pick, digits } from "./random.js";
import type { Random } from "./types.js";

export type InboundContext = { random: Random; at: Date; displayPhone: string; newId: (phone: string) => string };
type Message = Record<string, unknown>;

function base(c: Customer, ctx: InboundContext, type: string): Message {
  return { from: c.phone, id: ctx.newId(c.phone), timestamp: String(Math.floor(ctx.at.getTime() / 1000)), type };
}

function menuChoice(c: Customer, ctx: InboundContext): Message {
  const kind = ctx.random() < 0.7 ? "list_reply" : "button_reply";
  // A menu answer quotes the bot's menu message when we know it, as WhatsApp does.
  const context = c.lastAgentWamid ? { context: { from: ctx.displayPhone, id: c.lastAgentWamid } } : {};
  return { ...context, ...base(c, ctx, "interactive"), interactive: { type: kind, [kind]: { id: c.topic.menu.id, title: c.topic.menu.title } } };
}

function image(c: Customer, ctx: InboundContext): Message {
  return {
    ...base(c, ctx, "image"),
    image: { caption: pick(ctx.random, c.topic.captions), mime_type: "image/jpeg", sha256: Buffer.from(digits(ctx.random, 24)).toString("base64"), id: digits(ctx.random, 16) },
  };
}

function location(c: Customer, ctx: InboundContext): Message {
  const jitter = () => (ctx.random() - 0.5) / 20;
  const r = c.region;
  return { ...base(c, ctx, "location"), location: { latitude: +(r.lat + jitter()).toFixed(6), longitude: +(r.lng + jitter()).toFixed(6), name: r.city } };
}

export function text(c: Customer, ctx: InboundContext, body: string): Message {
  return { ...base(c, ctx, "text"), text: { body } };
}

export function reaction(c: Customer, ctx: InboundContext, emoji: string): Message | null {
  return c.lastAgentWamid ? { ...base(c, ctx, "reaction"), reaction: { message_id: c.lastAgentWamid, emoji } } : null;
}

/** What a customer writes unprompted: mostly text, sometimes a menu choice, a photo, a location or a reaction. */
export function spontaneous(c: Customer, ctx: InboundContext): Message {
  const r = ctx.random();
  if (r < 0.1) return menuChoice(c, ctx);
  if (r < 0.16 && c.turns > 0) return image(c, ctx);
  if (r < 0.2 && c.turns > 0) return location(c, ctx);
  if (r < 0.23) return reaction(c, ctx, pick(ctx.random, ["👍", "🙏", "❤️"])) ?? text(c, ctx, textFor(ctx.random, c));
  return text(c, ctx, textFor(ctx.random, c));
}
