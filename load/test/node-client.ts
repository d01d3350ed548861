import { createHmac } from "node:crypto";

type RequestOptions = { body?: unknown; token?: string; headers?: Record<string, string>; name?: string };

/** The Node side of a flows.js client: fetch and node:crypto, the same requests k6 makes. */
export function nodeClient(baseUrl: string, appSecret: string) {
  const seen: Array<{ name: string; status: number }> = [];
  // A browser's cookie jar, reduced to what our servers set: name=value, sent back on every request.
  const cookies = new Map<string, string>();
  return {
    seen,
    baseUrl,
    async request(method: string, path: string, { body, token, headers = {}, name }: RequestOptions = {}) {
      const h: Record<string, string> = { ...headers };
      if (token) h.authorization = `Bearer ${token}`;
      let payload: string | undefined;
      if (body !== undefined) {
        h["content-type"] ??= "application/json";
        payload = typeof body === "string" ? body : JSON.stringify(body);
      }
      if (cookies.size) h.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      const res = await fetch(`${baseUrl}${path}`, { method, headers: h, body: payload, redirect: "manual" });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(";");
        const eq = pair!.indexOf("=");
        cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
      }
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      seen.push({ name: name ?? path, status: res.status });
      return { status: res.status, body: parsed as any };
    },
    sign: (raw: string) => `sha256=${createHmac("sha256", appSecret).update(raw).digest("hex")}`,
  };
}
