import { firstNames, fill, items, lastNames, regions, topics, type Region, type Topic } from "./phrases.js";
import { digits, intBetween, pick, weighted } from "./random.js";
import type { Random } from "./types.js";

export type Customer = {
  name: string;
  phone: string;
  region: Region;
  topic: Topic;
  /** Fixed per customer so follow-ups talk about the same order, quantity and city. */
  vars: Record<string, string>;
  turns: number;
  lastAgentWamid: string | null;
};

function profileName(random: Random, region: Region): string {
  const first = pick(random, firstNames[region.names]);
  // Many people show only a first name on their WhatsApp profile.
  return random() < 0.25 ? first : `${first} ${pick(random, lastNames[region.names])}`;
}

function newCustomer(random: Random, taken: Set<string>): Customer {
  const region = weighted(random, regions);
  let phone = region.prefix + digits(random, region.restDigits);
  while (taken.has(phone)) phone = region.prefix + digits(random, region.restDigits);
  taken.add(phone);
  return {
    name: profileName(random, region), phone, region, topic: weighted(random, topics), turns: 0, lastAgentWamid: null,
    vars: { order: String(intBetween(random, 1000, 9999)), qty: String(intBetween(random, 2, 12)), item: pick(random, items), city: region.city },
  };
}

export function createPool(random: Random, size: number): Customer[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`customers must be a positive integer, got ${size}`);
  const taken = new Set<string>();
  return Array.from({ length: size }, () => newCustomer(random, taken));
}

/** After exhausting a topic a customer comes back later about something else, like real repeat buyers. */
export function nextTopicIfDone(random: Random, c: Customer): void {
  if (c.turns <= c.topic.followUps.length + 1) return;
  c.topic = weighted(random, topics);
  c.turns = 0;
}

export function textFor(random: Random, c: Customer): string {
  return fill(pick(random, c.turns === 0 ? c.topic.openers : c.topic.followUps), c.vars);
}
