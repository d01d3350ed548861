import type { Random } from "./types.js";

/** mulberry32: tiny, fast and good enough to make simulated traffic reproducible from a seed. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError("pick from an empty list");
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))]!;
}

export function weighted<T extends { weight: number }>(random: Random, items: readonly T[]): T {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let r = random() * total;
  for (const item of items) {
    r -= item.weight;
    if (r < 0) return item;
  }
  return items[items.length - 1]!;
}

export function digits(random: Random, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += Math.floor(random() * 10).toString();
  return out;
}

export function intBetween(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function hex(random: Random, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += Math.floor(random() * 16).toString(16).toUpperCase();
  return out;
}

/*
 * Real wamids are base64 of a small protobuf-like record holding the customer's number, so they start with
 * "wamid.HBg" and differ by direction; mimicking that keeps code that logs or truncates ids honest.
 */
const outboundMarker = Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]);
const inboundMarker = Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, 0x14]);

export function wamid(random: Random, phone: string, seq: number, direction: "in" | "out"): string {
  const raw = Buffer.concat([
    Buffer.from([0x1c, 0x18, phone.length]), Buffer.from(phone),
    direction === "out" ? outboundMarker : inboundMarker,
    Buffer.from(`${seq.toString(16).toUpperCase().padStart(4, "0")}${hex(random, 16)}`), Buffer.from([0]),
  ]);
  return `wamid.${raw.toString("base64")}`;
}

const traceAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

export function fbtraceId(random: Random): string {
  let out = "A";
  for (let i = 0; i < 22; i++) out += pick(random, traceAlphabet.split(""));
  return out;
}
