import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * The router token rides in the session cookie sealed (AES-256-GCM, key from the session secret): the
 * cookie is signed but readable, and a copied cookie must not hand out a bearer token for the router's API.
 */
const keyOf = (secret: string) => createHash("sha256").update(`centralita-web-router-token:${secret}`).digest();

export function sealToken(token: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(secret), iv);
  const sealed = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((b) => b.toString("base64url")).join(".");
}

/** The token, or null when the box was sealed with another secret or tampered with. */
export function openToken(box: string, secret: string): string | null {
  const [iv, tag, sealed] = box.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!iv || !tag || !sealed || iv.length !== 12 || tag.length !== 16) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(secret), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
