import { describe, expect, it } from "vitest";
import { openToken, sealToken } from "./token-box.server";

describe("router token in the session cookie", () => {
  const secret = "a".repeat(64);

  it("is sealed, not readable, and opens with the same secret", () => {
    const box = sealToken("cs_secret-router-token", secret);
    expect(box).not.toContain("cs_secret");
    expect(Buffer.from(box.replace(/\./g, ""), "base64url").toString("latin1")).not.toContain("cs_secret");
    expect(openToken(box, secret)).toBe("cs_secret-router-token");
    expect(sealToken("cs_secret-router-token", secret)).not.toBe(box);
  });

  it("does not open with another secret or after tampering", () => {
    const box = sealToken("cs_token", secret);
    expect(openToken(box, "b".repeat(64))).toBeNull();
    const [iv, tag, body] = box.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(openToken([iv, tag, flipped.toString("base64url")].join("."), secret)).toBeNull();
    expect(openToken("garbage", secret)).toBeNull();
  });
});
