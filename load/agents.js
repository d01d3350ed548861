// Agents working the inbox: queue, claim, read, reply, note, tag, transfer or resolve, at a human pace.
// Needs customers writing meanwhile (webhook-storm.js, mixed.js, or the embedded simulator).
import { check, sleep } from "k6";
import exec from "k6/execution";
import { acceptable, agentWorksAChat, login } from "./lib/flows.js";
import { k6Client, settings } from "./lib/k6-client.js";

const cfg = settings();
const client = k6Client(cfg.baseUrl, cfg.appSecret);

export const options = {
  scenarios: {
    agents: { executor: "constant-vus", vus: Number(__ENV.AGENT_VUS || cfg.agents.length), duration: __ENV.DURATION || "2m" },
  },
  thresholds: {
    http_req_failed: ["rate<0.02"], // only lost claim races (409) may fail, and they are rare
    checks: ["rate==1"],
    "http_req_duration{name:claim}": ["p(95)<200"],
    "http_req_duration{name:reply}": ["p(95)<250"],
    "http_req_duration{name:queue}": ["p(95)<250"],
    "http_req_duration{name:resolve}": ["p(95)<250"],
  },
};

export async function setup() {
  const tokens = [];
  for (const email of cfg.agents) {
    const { token } = await login(client, email, cfg.password);
    if (!token) throw new Error(`login failed for ${email}`);
    tokens.push(token);
  }
  return { tokens };
}

export default async function (data) {
  const token = data.tokens[(exec.vu.idInTest - 1) % data.tokens.length];
  const transferTo = cfg.transferTeamId && exec.vu.iterationInScenario % 5 === 4 ? cfg.transferTeamId : null;
  const { steps } = await agentWorksAChat(client, token, { transferTo, outcome: exec.vu.iterationInScenario % 3 === 0 ? "won" : "resolved" });
  for (const { name, res } of steps) check(res, { [`${name} ok`]: (r) => acceptable(name, r) });
  sleep(1 + Math.random() * 2);
}
