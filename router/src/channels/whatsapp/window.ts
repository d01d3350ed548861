/** Meta's customer-service window: free-form messages only within 24 hours of the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 3600 * 1000;

export function windowClosesAt(lastInboundAt: Date | null): Date | null {
  return lastInboundAt ? new Date(lastInboundAt.getTime() + SERVICE_WINDOW_MS) : null;
}

export function isWindowOpen(lastInboundAt: Date | null, now: Date): boolean {
  const closes = windowClosesAt(lastInboundAt);
  return closes !== null && now < closes;
}
