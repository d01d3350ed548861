// Supervisors with their screens open: counts, the team's list, alerts and agents, refreshed every few seconds.
import { check, sleep } from "k6";
import { login, supervisorLooks } from "./lib/flows.js";
import { k6Client, settings } from "./lib/k6-client.js";

const cfg = settings();
const client = k6Client(cfg.baseUrl, cfg.appSecret);

export const options = {
  scenarios: { supervisors: { executor: "constant-vus", vus: Number(__ENV.SUPERVISOR_VUS || 5), duration: __ENV.DURATION || "2m" } },
  thresholds: {
    http_req_failed: ["rate==0"],
    checks: ["rate==1"],
    "http_req_duration{name:all}": ["p(95)<300"],
    "http_req_duration{name:counts}": ["p(95)<200"],
  },
};

export async function setup() {
  const { token } = await login(client, cfg.supervisor, cfg.password);
  if (!token) throw new Error(`login failed for ${cfg.supervisor}`);
  return { token };
}

export default async function (data) {
  for (const { name, res } of await supervisorLooks(client, data.token)) check(res, { [`${name} ok`]: (r) => r.status === 200 });
  sleep(3);
}
