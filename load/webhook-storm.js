// Signed webhook storm in Meta's format: customers writing to the number at a fixed arrival rate.
// k6 run -e BASE_URL=https://router.example -e APP_SECRET=… -e PHONE_NUMBER_ID=… load/webhook-storm.js
import { check } from "k6";
import exec from "k6/execution";
import { customerWrites } from "./lib/flows.js";
import { k6Client, settings } from "./lib/k6-client.js";

const cfg = settings();
const client = k6Client(cfg.baseUrl, cfg.appSecret);

export const options = {
  scenarios: {
    storm: {
      executor: "ramping-arrival-rate",
      startRate: 20, timeUnit: "1s", preAllocatedVUs: 50, maxVUs: 400,
      stages: [{ target: Number(__ENV.RATE || 300), duration: "30s" }, { target: Number(__ENV.RATE || 300), duration: __ENV.DURATION || "2m" }, { target: 0, duration: "10s" }],
    },
  },
  // Service-level objectives: Meta retries anything slow or failed, so no errors and fast acks.
  thresholds: {
    http_req_failed: ["rate==0"],
    "http_req_duration{name:webhook}": ["p(95)<300", "p(99)<800"],
    checks: ["rate==1"],
  },
};

export default async function () {
  const { res } = await customerWrites(client, { phoneNumberId: cfg.phoneNumberId, vu: exec.vu.idInTest, iteration: exec.vu.iterationInScenario });
  check(res, { "webhook stored (200)": (r) => r.status === 200 });
}
