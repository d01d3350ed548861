import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { and, eq, gt } from "drizzle-orm";
import { channels, contacts, conversations } from "./db/schema/index.js";
import { SERVICE_WINDOW_MS } from "./channels/whatsapp/window.js";
import type { Db } from "./db/index.js";
import { createGraphApiSimulator, createSimulatedCustomers } from "./channels/whatsapp/simulator/index.js";
import { seal } from "./channels/whatsapp/secret-box.js";

type Options = {
  db: Db; routerUrl: string; appSecret: string; accessToken: string; secretKey: string;
  phoneNumberId: string; displayPhone: string; customersPerMinute: number;
};

/**
 * Meta knows when each customer last wrote; a freshly started simulator does not. Teach it from the data
 * so replies (and away messages, surveys) to customers who wrote before a restart are judged like Meta would.
 */
async function rememberRecentCustomers(db: Db, phoneNumberId: string, state: { customerWrote(phone: string, at?: Date): void }) {
  const since = new Date(Date.now() - SERVICE_WINDOW_MS);
  const rows = await db.select({ phone: contacts.phone, at: conversations.lastInboundAt }).from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId)).innerJoin(channels, eq(channels.id, conversations.channelId))
    .where(and(eq(channels.phoneNumberId, phoneNumberId), gt(conversations.lastInboundAt, since)));
  for (const row of rows) if (row.at) state.customerWrote(row.phone, row.at);
}

/**
 * The embedded mode's stand-in for Meta: the Graph API simulator on a loopback port (the demo number sends
 * through it, with a sealed token like any real number) and simulated customers who write to the router's
 * signed webhook and answer agents, so a fresh install shows a live inbox.
 */
export async function startEmbeddedWhatsApp(opts: Options) {
  const webhookUrl = `${opts.routerUrl}/webhooks/whatsapp`;
  let customers: ReturnType<typeof createSimulatedCustomers> | undefined;
  const graph = createGraphApiSimulator({
    accessToken: opts.accessToken, appSecret: opts.appSecret, webhookUrl, phoneNumberIds: [opts.phoneNumberId],
    displayPhoneNumber: opts.displayPhone, onSent: (m) => void customers?.onAgentMessage(m.to, m.text ?? "", m.wamid),
  });
  await rememberRecentCustomers(opts.db, opts.phoneNumberId, graph.state);
  const server = serve({ fetch: graph.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await opts.db.update(channels)
    .set({ graphApiBaseUrl: baseUrl, accessTokenSealed: seal(opts.accessToken, opts.secretKey) })
    .where(eq(channels.phoneNumberId, opts.phoneNumberId));
  customers = createSimulatedCustomers({
    phoneNumberId: opts.phoneNumberId, displayPhone: opts.displayPhone, appSecret: opts.appSecret, webhookUrl,
    ratePerMinute: opts.customersPerMinute, graph: graph.state,
  });
  if (opts.customersPerMinute > 0) customers.start();
  return {
    graphBaseUrl: baseUrl,
    stop: async () => {
      customers?.stop();
      await graph.close();
      server.close();
    },
  };
}
