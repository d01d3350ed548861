import { describe, expect, it } from "vitest";
import { csrfMatches, isSameOrigin, newCsrfToken } from "./csrf.server";

const post = (headers: Record<string, string>) => new Request("http://inbox.example/inbox/1", { method: "POST", headers });

describe("CSRF protection", () => {
  it("accepts only the session's own token", () => {
    const token = newCsrfToken();
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(newCsrfToken()).not.toBe(token);
    expect(csrfMatches(token, token)).toBe(true);
    expect(csrfMatches(token, newCsrfToken())).toBe(false);
    expect(csrfMatches(token, `${token}x`)).toBe(false);
    expect(csrfMatches(token, null)).toBe(false);
    expect(csrfMatches(undefined, token)).toBe(false);
  });

  it("refuses a request another site's page sent", () => {
    expect(isSameOrigin(post({ host: "inbox.example", origin: "http://inbox.example" }))).toBe(true);
    expect(isSameOrigin(post({ host: "inbox.example", origin: "https://evil.example" }))).toBe(false);
    expect(isSameOrigin(post({ host: "inbox.example", origin: "null" }))).toBe(false);
    // Without Origin the token alone decides.
    expect(isSameOrigin(post({ host: "inbox.example" }))).toBe(true);
  });
});
