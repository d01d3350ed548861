import { firstNames, lastNames } from "../channels/whatsapp/simulator/phrases.js";
import { digits, pick } from "../channels/whatsapp/simulator/random.js";
import type { Random } from "../channels/whatsapp/simulator/types.js";
import type { Territory } from "./workspace.js";

export type Contact = { phone: string; name: string; busy: boolean; conversations: number };

// Numbers no routing rule claims, so some conversations have no territory (as in real traffic).
const unmappedPrefixes = ["5233", "5222", "5244"];
const RETURNING_SHARE = 0.32;

/**
 * The customers of the simulated past: numbers under the workspace's territory prefixes (and a few others),
 * with Mexican names. About a third of arrivals are people who wrote before (returning contacts, sticky
 * routing, reopens when they come back inside the window); a contact is never in two live chats at once.
 */
export class ContactBook {
  private readonly all: Contact[] = [];
  private readonly taken = new Set<string>();
  private readonly prefixes: string[];

  constructor(private readonly random: Random, territories: Territory[]) {
    const mapped = [...new Set(territories.map((t) => t.prefix))];
    // Mapped prefixes carry ~80 % of the demand, the first (usually the capital) twice as much as the rest.
    this.prefixes = [...mapped, ...mapped.slice(0, 1), ...mapped, ...mapped.slice(0, 1), ...unmappedPrefixes];
    if (mapped.length === 0) this.prefixes = ["5255", "5281", "5299", ...unmappedPrefixes];
  }

  /** Someone writing now: a returning contact who is not mid-conversation, or a new one. */
  next(): { contact: Contact; returning: boolean } {
    const idle = this.all.length >= 20 && this.random() < RETURNING_SHARE ? this.all.filter((c) => !c.busy) : [];
    const contact = idle.length > 0 ? pick(this.random, idle) : this.fresh();
    const returning = contact.conversations > 0;
    contact.busy = true;
    contact.conversations++;
    return { contact, returning };
  }

  private fresh(): Contact {
    const prefix = pick(this.random, this.prefixes);
    let phone = prefix + digits(this.random, 12 - prefix.length);
    while (this.taken.has(phone)) phone = prefix + digits(this.random, 12 - prefix.length);
    this.taken.add(phone);
    const first = pick(this.random, firstNames.mx);
    const contact = { phone, name: this.random() < 0.3 ? first : `${first} ${pick(this.random, lastNames.mx)}`, busy: false, conversations: 0 };
    this.all.push(contact);
    return contact;
  }
}
