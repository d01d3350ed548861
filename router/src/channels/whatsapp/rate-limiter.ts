/**
 * A token bucket per WhatsApp number: Meta throttles each number (80 msg/s by default) and answers 130429
 * past it. Per process; with several dispatchers each takes its own share, so set the rate accordingly.
 */
export class PerNumberRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Milliseconds to wait before the next send on this number (0 = go now, and the token is taken). */
  take(key: string, perSecond: number, nowMs: number): number {
    const bucket = this.buckets.get(key) ?? { tokens: perSecond, at: nowMs };
    bucket.tokens = Math.min(perSecond, bucket.tokens + ((nowMs - bucket.at) / 1000) * perSecond);
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / perSecond) * 1000);
  }
}
