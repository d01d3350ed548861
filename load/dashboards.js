// Supervisors on the web dashboards: sign in like a browser, then flip through the nine boards, each asking for
// its data as the page's refresh does. Needs the web app (WEB_URL) with analytics, not just the router.
import { check, sleep } from "k6";
import { supervisorWatchesDashboards, webSignIn } from "./lib/flows.js";
import { k6Client, settings } from "./lib/k6-client.js";

const cfg = settings();
const boards = ["live_operations", "response_times", "agent_performance", "workload", "transfers", "quality", "sales", "teams_territories", "volume_automation"];

export const options = {
  scenarios: { dashboards: { executor: "constant-vus", vus: Number(__ENV.SUPERVISOR_VUS || 3), duration: __ENV.DURATION || "2m" } },
  thresholds: {
    http_req_failed: ["rate==0"],
    checks: ["rate==1"],
    "http_req_duration{name:dashboard}": ["p(95)<2000"],
  },
};

export default async function () {
  const client = k6Client(cfg.webUrl, "");
  if (__ITER === 0) {
    const { ok, res } = await webSignIn(client, cfg.supervisor, cfg.password);
    check(res, { "signed in": () => ok });
  }
  for (const { name, res } of await supervisorWatchesDashboards(client, boards, __ENV.RANGE || "7d")) check(res, { [`${name} ok`]: (r) => r.status === 200 });
  sleep(5);
}
