/** The router's public surface for the other workspaces (web, load, ingest). */
export { createApp } from "./http/app.js";
export type { AppDeps } from "./http/context.js";
export { connectDatabase, inTransaction, type Db, type DbHandle } from "./db/index.js";
export { systemClock, manualClock, type Clock } from "./clock.js";
export { receiveInbound, type InboundMessage } from "./domain/inbound.js";
export { signBody, verifySignature } from "./channels/whatsapp/signature.js";
export { loadOrCreateSecrets } from "./secrets.js";
export { ensureDemoWorkspace, DEMO_PHONE_NUMBER_ID } from "./demo.js";
export { loadEnv, type Env } from "./env.js";
export { startRouter, jsonLog, type RunningRouter, type Log } from "./start.js";
export { startOutboxRelay, relayOnce, type OutboxRelay, type RelayOptions, type RelayStats } from "./outbox/relay.js";
export { createKafkaBus, type KafkaBusOptions } from "./outbox/kafka-bus.js";
export type { EventBus, BusRecord } from "./outbox/bus.js";
export { createLiveHub, type LiveHub } from "./live/hub.js";
export { EventBatch } from "./outbox/append.js";
export { startKafkaLiveTap } from "./live/kafka-tap.js";
export { seededRandom } from "./channels/whatsapp/simulator/random.js";
export { generateDemoHistory, type DemoHistoryDeps, type DemoHistoryOptions, type DemoHistorySummary } from "./demo-history/generate.js";
