import { createRoute, z } from "@hono/zod-openapi";
import { newRouter, type AppDeps, type FollowUpRunner } from "../context.js";
import { AssignBody, errorResponses, IdParam, InboxQuery, jsonBody, NoteBody, okJson, ReplyBody, ResolveBody, security, StatusBody, TagBody, TransferBody } from "../schemas.js";
import { listInbox, inboxCounts } from "../../domain/queries/inbox.js";
import { getConversation } from "../../domain/queries/conversation.js";
import { assignConversation, claimConversation, releaseConversation, transferConversation } from "../../domain/commands/ownership.js";
import { addNote, replyToConversation } from "../../domain/commands/messaging.js";
import { reopenConversation, resolveConversation, setConversationStatus, tagConversation } from "../../domain/commands/lifecycle.js";

const tags = ["conversations"];
const responses = { 200: okJson("The conversation after the command"), ...errorResponses };
const post = (path: string, summary: string) =>
  createRoute({ method: "post", path, summary, tags, security, request: { params: IdParam }, responses });
const postWith = <B extends z.ZodType>(path: string, summary: string, body: B) =>
  createRoute({ method: "post", path, summary, tags, security, request: { params: IdParam, body: jsonBody(body) }, responses });

export function conversationRoutes(deps: AppDeps, runFollowUps: FollowUpRunner) {
  const app = newRouter();
  const done = async <T>(out: { result: T; followUps: Parameters<FollowUpRunner>[0] }) => {
    await runFollowUps(out.followUps);
    return out.result as Record<string, unknown>;
  };

  app.openapi(createRoute({ method: "get", path: "/conversations", summary: "Inbox views with filters and cursor pagination", tags, security,
    request: { query: InboxQuery }, responses: { 200: okJson("A page of conversations"), ...errorResponses } }),
    async (c) => c.json(await listInbox(deps.db, c.var.actor, c.req.valid("query")), 200));

  app.openapi(createRoute({ method: "get", path: "/conversations/counts", summary: "Counts per inbox view", tags, security,
    responses: { 200: okJson("Counts"), ...errorResponses } }),
    async (c) => c.json(await inboxCounts(deps.db, c.var.actor), 200));

  app.openapi(createRoute({ method: "get", path: "/conversations/{id}", summary: "A conversation with its full history and notes", tags, security,
    request: { params: IdParam }, responses: { 200: okJson("The conversation"), ...errorResponses } }),
    async (c) => c.json(await getConversation(deps.db, c.var.actor, c.req.valid("param").id) as Record<string, unknown>, 200));

  app.openapi(post("/conversations/{id}/claim", "Take an unassigned conversation"), async (c) =>
    c.json(await done(await claimConversation(deps, c.var.actor, c.req.valid("param").id)), 200));

  app.openapi(postWith("/conversations/{id}/assign", "Assign to an agent (supervisors)", AssignBody), async (c) =>
    c.json(await done(await assignConversation(deps, c.var.actor, c.req.valid("param").id, c.req.valid("json").agentId)), 200));

  app.openapi(postWith("/conversations/{id}/transfer", "Transfer to an agent or team with a context note", TransferBody), async (c) =>
    c.json(await done(await transferConversation(deps, c.var.actor, c.req.valid("param").id, c.req.valid("json"))), 200));

  app.openapi(post("/conversations/{id}/release", "Put back into the team queue"), async (c) =>
    c.json(await done(await releaseConversation(deps, c.var.actor, c.req.valid("param").id)), 200));

  app.openapi(postWith("/conversations/{id}/messages", "Reply to the customer on WhatsApp", ReplyBody), async (c) =>
    c.json(await done(await replyToConversation(deps, c.var.actor, c.req.valid("param").id, c.req.valid("json"))), 200));

  app.openapi(postWith("/conversations/{id}/notes", "Add an internal note (never sent)", NoteBody), async (c) =>
    c.json(await done(await addNote(deps, c.var.actor, c.req.valid("param").id, c.req.valid("json").text)), 200));

  app.openapi(postWith("/conversations/{id}/status", "Set open or pending", StatusBody), async (c) =>
    c.json(await done(await setConversationStatus(deps, c.var.actor, c.req.valid("param").id, c.req.valid("json").status)), 200));

  app.openapi(postWith("/conversations/{id}/resolve", "Resolve with an outcome", ResolveBody), async (c) =>
    c.json(await done(await resolveConversation(deps, c.var.actor, c.req.valid("param").id, c.req.valid("json"))), 200));

  app.openapi(post("/conversations/{id}/reopen", "Reopen a resolved conversation"), async (c) =>
    c.json(await done(await reopenConversation(deps, c.var.actor, c.req.valid("param").id)), 200));

  app.openapi(postWith("/conversations/{id}/tags", "Add a tag", TagBody), async (c) =>
    c.json(await done(await tagConversation(deps, c.var.actor, c.req.valid("param").id, c.req.valid("json").tag, "added")), 200));

  app.openapi(createRoute({ method: "delete", path: "/conversations/{id}/tags/{tag}", summary: "Remove a tag", tags, security,
    request: { params: IdParam.extend({ tag: z.string().min(1).max(64) }) }, responses: { 200: okJson("The conversation"), ...errorResponses } }),
    async (c) => {
      const { id, tag } = c.req.valid("param");
      return c.json(await done(await tagConversation(deps, c.var.actor, id, tag, "removed")), 200);
    });

  return app;
}
