import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Seals channel credentials at rest with AES-256-GCM under the deployment's secret key (64 hex chars), so
 * a database dump alone does not hand out WhatsApp access tokens.
 */
function keyFrom(hex: string): Buffer {
  const key = Buffer.from(hex, "hex");
  if (key.length !== 32) throw new Error("The secret key must be 32 bytes (64 hex characters)");
  return key;
}

export function seal(plain: string, keyHex: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(keyHex), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
}

export function unseal(sealed: string, keyHex: string): string {
  if (!sealed.startsWith("v1.")) throw new Error("Unknown sealed-secret format");
  const raw = Buffer.from(sealed.slice(3), "base64url");
  const decipher = createDecipheriv("aes-256-gcm", keyFrom(keyHex), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
