// The k6 side of a flows.js client: k6/http (synchronous; wrapped in promises) and k6/crypto for the HMAC.
import http from "k6/http";
import crypto from "k6/crypto";

export function k6Client(baseUrl, appSecret) {
  return {
    baseUrl,
    async request(method, path, { body, token, headers = {}, name } = {}) {
      const h = { ...headers };
      if (token) h.authorization = `Bearer ${token}`;
      let payload = null;
      if (body !== undefined) {
        h["content-type"] ??= "application/json";
        payload = typeof body === "string" ? body : JSON.stringify(body);
      }
      // k6 keeps each VU's cookies and follows redirects: the web sign-in lands on the inbox (200).
      const res = http.request(method, `${baseUrl}${path}`, payload, { headers: h, tags: { name: name ?? path } });
      let parsed = null;
      try { parsed = res.json(); } catch (_) { parsed = res.body; }
      return { status: res.status, body: parsed };
    },
    sign(raw) {
      return `sha256=${crypto.hmac("sha256", appSecret, raw, "hex")}`;
    },
  };
}

/** Settings from the environment (`k6 run -e BASE_URL=…`), with the demo workspace's defaults. */
export function settings() {
  const env = __ENV;
  return {
    baseUrl: env.BASE_URL || "http://127.0.0.1:4000",
    appSecret: env.APP_SECRET || "",
    phoneNumberId: env.PHONE_NUMBER_ID || "100000000000001",
    password: env.PASSWORD || "",
    agents: (env.AGENT_EMAILS || "ana@demo.centralita.mx,carlos@demo.centralita.mx,maria@demo.centralita.mx").split(","),
    supervisor: env.SUPERVISOR_EMAIL || "sofia@demo.centralita.mx",
    webUrl: env.WEB_URL || "http://127.0.0.1:3000",
    transferTeamId: env.TRANSFER_TEAM_ID || null,
  };
}
