export { payloadSchemas, eventTypes, assignmentMethods, outcomes, presences, messageKinds } from "./payloads.js";
export type { EventType, EventPayload } from "./payloads.js";
export { parseEvent, buildEvent, eventKey, EVENT_TOPIC, CURRENT_VERSION } from "./envelope.js";
export type { EventEnvelope, EventContext, ParseResult } from "./envelope.js";
