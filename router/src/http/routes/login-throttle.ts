import type { Clock } from "../../clock.js";
import { DomainError } from "../../domain/errors.js";

const MAX_FAILURES = 10;
const WINDOW_MS = 15 * 60 * 1000;

/**
 * Slows password guessing: after 10 failures for one email within 15 minutes, further attempts are refused
 * until the window passes. Per process; with several router instances each keeps its own count.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();
  constructor(private readonly clock: Clock) {}

  check(email: string): void {
    const entry = this.failures.get(email.toLowerCase());
    if (!entry) return;
    if (this.clock.now().getTime() - entry.since > WINDOW_MS) this.failures.delete(email.toLowerCase());
    else if (entry.count >= MAX_FAILURES) throw new DomainError("rate_limited", "Too many failed sign-ins; try again in 15 minutes");
  }

  failed(email: string): void {
    const key = email.toLowerCase();
    const entry = this.failures.get(key) ?? { count: 0, since: this.clock.now().getTime() };
    entry.count++;
    this.failures.set(key, entry);
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value!);
  }

  succeeded(email: string): void {
    this.failures.delete(email.toLowerCase());
  }
}
