export { createGraphApiSimulator, type GraphApiSimulator, type GraphState } from "./graph-api.js";
export {
  createSimulatedCustomers, type SimulatedCustomers, type SimulatedCustomersOptions, type CustomerStats,
} from "./customers.js";
export type { Customer } from "./customer-pool.js";
export { seededRandom } from "./random.js";
export { statusErrors, WINDOW_DETAILS, type MetaErrorBody } from "./errors.js";
export type {
  GraphApiSimulatorOptions, GraphFaults, ForcedError, StatusDelays, SentMessage, RequestOutcome, WebhookTarget, OutboundType, Random,
} from "./types.js";
export type { LiveFaults } from "./core.js";
export type { WebhookStats } from "./webhook.js";
