// The three together, as a busy morning: customers writing, agents answering, supervisors watching.
import exec from "k6/execution";
import { check, sleep } from "k6";
import { acceptable, agentWorksAChat, customerWrites, login, supervisorLooks } from "./lib/flows.js";
import { k6Client, settings } from "./lib/k6-client.js";

const cfg = settings();
const client = k6Client(cfg.baseUrl, cfg.appSecret);
const duration = __ENV.DURATION || "3m";

export const options = {
  scenarios: {
    customers: { executor: "constant-arrival-rate", rate: Number(__ENV.RATE || 50), timeUnit: "1s", duration, preAllocatedVUs: 20, maxVUs: 200, exec: "customers" },
    agents: { executor: "constant-vus", vus: Number(__ENV.AGENT_VUS || cfg.agents.length), duration, exec: "agents" },
    supervisors: { executor: "constant-vus", vus: Number(__ENV.SUPERVISOR_VUS || 3), duration, exec: "supervisors" },
  },
  thresholds: {
    "http_req_failed{scenario:customers}": ["rate==0"],
    "http_req_failed{scenario:supervisors}": ["rate==0"],
    "http_req_failed{scenario:agents}": ["rate<0.02"],
    checks: ["rate==1"],
    "http_req_duration{name:webhook}": ["p(95)<300"],
    "http_req_duration{name:claim}": ["p(95)<250"],
    "http_req_duration{name:all}": ["p(95)<400"],
  },
};

export async function setup() {
  const agentTokens = [];
  for (const email of cfg.agents) agentTokens.push((await login(client, email, cfg.password)).token);
  const supervisor = (await login(client, cfg.supervisor, cfg.password)).token;
  if (agentTokens.includes(null) || !supervisor) throw new Error("a demo login failed: check PASSWORD and the emails");
  return { agentTokens, supervisor };
}

export async function customers() {
  const { res } = await customerWrites(client, { phoneNumberId: cfg.phoneNumberId, vu: exec.vu.idInTest, iteration: exec.vu.iterationInScenario });
  check(res, { "webhook stored (200)": (r) => r.status === 200 });
}

export async function agents(data) {
  const token = data.agentTokens[(exec.vu.idInTest - 1) % data.agentTokens.length];
  const { steps } = await agentWorksAChat(client, token, { outcome: exec.vu.iterationInScenario % 3 === 0 ? "won" : "resolved" });
  for (const { name, res } of steps) check(res, { [`${name} ok`]: (r) => acceptable(name, r) });
  sleep(1 + Math.random() * 2);
}

export async function supervisors(data) {
  for (const { name, res } of await supervisorLooks(client, data.supervisor)) check(res, { [`${name} ok`]: (r) => r.status === 200 });
  sleep(3);
}
