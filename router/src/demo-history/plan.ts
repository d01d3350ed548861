import { pick, weighted } from "../channels/whatsapp/simulator/random.js";
import type { Intent } from "./phrases.js";
import type { World } from "./world.js";
import { between, minutes } from "./world.js";

export type Transfer = "none" | "support_and_back" | "to_billing" | "peer";
export type Pending = "none" | "answered" | "nudged" | "template" | "silent";
export type Outcome = "won" | "lost" | "resolved" | "abandoned";

/** What will happen in one conversation, drawn when the customer first writes; the router decides the rest. */
export type ConversationPlan = {
  intent: Intent; turns: number; firstReplyMs: number; slow: boolean; note: boolean; quote: boolean;
  transfer: Transfer; pending: Pending; outcome: Outcome; csat: number | null; comment: boolean; reopenAfterMs: number | null;
};

const intents: Array<{ intent: Intent; weight: number }> = [
  { intent: "sales", weight: 38 }, { intent: "support", weight: 22 }, { intent: "billing", weight: 10 }, { intent: "greeting", weight: 20 }, { intent: "menu", weight: 10 },
];
const pendings: Array<{ pending: Pending; weight: number }> = [
  { pending: "none", weight: 79 }, { pending: "answered", weight: 8 }, { pending: "nudged", weight: 3 }, { pending: "template", weight: 7 }, { pending: "silent", weight: 3 },
];
const scores = [{ score: 5, weight: 45 }, { score: 4, weight: 28 }, { score: 3, weight: 12 }, { score: 2, weight: 8 }, { score: 1, weight: 7 }];

function outcomeFor(w: World, intent: Intent): Outcome {
  const r = w.random();
  if (r < 0.05) return "abandoned";
  if (intent !== "sales" && intent !== "greeting" && intent !== "menu") return "resolved";
  return r < 0.36 ? "won" : r < 0.62 ? "lost" : "resolved";
}

function transferFor(w: World, intent: Intent): Transfer {
  const r = w.random();
  if (intent === "sales" && r < 0.12) return "support_and_back";
  if (intent === "support" && r < 0.12) return "to_billing";
  return r > 0.92 ? "peer" : "none";
}

/** A day's guaranteed cases, so even a short history shows them: a template follow-up, a round trip to Soporte. */
export type PlanHint = "template" | "support_and_back" | null;

export function drawPlan(w: World, hint: PlanHint = null): ConversationPlan {
  const intent = weighted(w.random, intents).intent;
  const slow = w.random() < 0.07;
  const drawn = outcomeFor(w, intent);
  const outcome = hint && drawn === "abandoned" ? "resolved" : drawn;
  const answered = outcome !== "abandoned" && w.random() < 0.5;
  return {
    intent, slow, outcome,
    turns: between(w, 1, 5),
    // Most first replies take seconds to a few minutes; a slow one passes the 5-minute target and the escalation step.
    firstReplyMs: slow ? between(w, minutes(12), minutes(25)) : Math.floor(minutes(0.3) + w.random() * w.random() * minutes(9)),
    note: w.random() < 0.3,
    quote: intent !== "support" && intent !== "billing" && w.random() < 0.6,
    transfer: hint === "support_and_back" ? hint : outcome === "abandoned" ? "none" : transferFor(w, intent),
    pending: hint === "template" ? hint : outcome === "abandoned" ? "none" : weighted(w.random, pendings).pending,
    csat: answered ? weighted(w.random, scores).score : null,
    comment: w.random() < 0.3,
    reopenAfterMs: outcome !== "abandoned" && w.random() < 0.08 ? between(w, minutes(40), minutes(4 * 24 * 60)) : null,
  };
}

export function menuChoice(w: World): { menu: string; title: string } | null {
  if (w.ws.menuChoices.length === 0) return null;
  const id = pick(w.random, w.ws.menuChoices);
  return { menu: id, title: id.replace(/^menu_/, "").replace(/^\w/, (c) => c.toUpperCase()) };
}
