/** The router's public surface for the other workspaces (web, load, ingest). */
export { createApp } from "./http/app.js";
export type { AppDeps } from "./http/context.js";
export { connectDatabase, inTransaction, type Db, type DbHandle } from "./db/index.js";
export { systemClock, manualClock, type Clock } from "./clock.js";
export { receiveInbound, type InboundMessage } from "./domain/inbound.js";
export { signBody, verifySignature } from "./channels/whatsapp/signature.js";
export { loadOrCreateSecrets } from "./secrets.js";
export { ensureDemoWorkspace, DEMO_PHONE_NUMBER_ID } from "./demo.js";
