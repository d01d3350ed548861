import { signBody } from "../src/channels/whatsapp/signature.js";
import { webhookEnvelope } from "../src/channels/whatsapp/simulator/webhook.js";
import type { NewRule } from "../src/domain/admin/workspace.js";
import type { SeededWorkspace, TeamPlan } from "./seed.js";
import { shuffle } from "./stats.js";

/** The workspace of the throughput run: two round-robin teams, three least-loaded ones. */
export const TEAM_PLANS: TeamPlan[] = [
  { name: "Ventas", department: "ventas", strategy: "round_robin", isSales: true },
  { name: "Soporte", department: "soporte", strategy: "least_loaded" },
  { name: "Administración", department: "administracion", strategy: "least_loaded" },
  { name: "Monterrey", department: "ventas", strategy: "round_robin", isSales: true },
  { name: "Guadalajara", department: "ventas", strategy: "least_loaded", isSales: true },
];

export function routingRules(teamId: (name: string) => string): NewRule[] {
  return [
    { kind: "keyword", pattern: "cotización", teamId: teamId("Ventas"), priority: 10 },
    { kind: "keyword", pattern: "precio", teamId: teamId("Ventas"), priority: 20 },
    { kind: "keyword", pattern: "garantía", teamId: teamId("Soporte"), priority: 10 },
    { kind: "keyword", pattern: "no funciona", teamId: teamId("Soporte"), priority: 20 },
    { kind: "keyword", pattern: "factura", teamId: teamId("Administración"), priority: 10 },
    { kind: "phone_prefix", pattern: "52", teamId: teamId("Ventas"), territory: "México" },
    { kind: "phone_prefix", pattern: "5281", teamId: teamId("Monterrey"), territory: "Monterrey" },
    { kind: "phone_prefix", pattern: "5233", teamId: teamId("Guadalajara"), territory: "Guadalajara" },
  ];
}

/** How a new customer's first message reaches each team: keyword, phone prefix (territory) or the default. */
const NEW_CUSTOMER_ROUTES: Array<{ weight: number; prefix: string; text: string }> = [
  { weight: 0.1, prefix: "5255", text: "Hola, quiero una cotización del sofá modular" }, // keyword → Ventas
  { weight: 0.1, prefix: "1", text: "Hi, do you ship to Texas?" }, // no rule → default team (Ventas)
  { weight: 0.2, prefix: "5255", text: "Mi silla llegó rota, ¿aplica la garantía?" }, // keyword → Soporte
  { weight: 0.2, prefix: "5255", text: "Necesito la factura de mi pedido 4411" }, // keyword → Administración
  { weight: 0.2, prefix: "5281", text: "Hola, ¿tienen tienda en San Pedro?" }, // prefix → Monterrey
  { weight: 0.2, prefix: "5233", text: "Buenas tardes, ¿abren el domingo?" }, // prefix → Guadalajara
];
const FOLLOW_UP_TEXTS = ["Gracias", "¿Me confirma la hora de entrega?", "Ok, quedo atento", "¿Sigue disponible?", "👍"];

export type WebhookRequest = { body: Buffer; signature: string; isNew: boolean };

/** A webhook in Meta's documented shape carrying one customer message. */
export function webhookBody(phoneNumberId: string, m: { from: string; name: string; id: string; text: string; ts: number }) {
  return webhookEnvelope("102290129340398", { display_phone_number: "15550783881", phone_number_id: phoneNumberId }, {
    contacts: [{ profile: { name: m.name }, wa_id: m.from }],
    messages: [{ from: m.from, id: m.id, timestamp: String(m.ts), type: "text", text: { body: m.text } }],
  });
}

/**
 * Builds signed webhooks for rounds: a share of messages from customers never seen (new conversation →
 * routing → assignment), the rest follow-ups from customers of seeded open conversations, shuffled.
 * Every message id carries the round's tag, so the round's rows can be counted afterwards.
 */
export class MessagePlanner {
  private newCustomers = 0;
  private followUpCursor = 0;
  private readonly followUpOrder: number[];

  constructor(private readonly ws: SeededWorkspace, private readonly appSecret: string, private readonly rand: () => number) {
    this.followUpOrder = shuffle(Array.from({ length: ws.open }, (_, i) => i + 1), rand);
  }

  private route() {
    let r = this.rand();
    for (const route of NEW_CUSTOMER_ROUTES) if ((r -= route.weight) < 0) return route;
    return NEW_CUSTOMER_ROUTES[NEW_CUSTOMER_ROUTES.length - 1]!;
  }

  /** Signed webhooks that carry no message (a change with only metadata): the HTTP + signature + parsing floor. */
  planEmpty(count: number): WebhookRequest[] {
    const body = Buffer.from(JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ id: "102290129340398", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550783881", phone_number_id: this.ws.phoneNumberId } } }] }],
    }));
    const signature = signBody(body, this.appSecret);
    return Array.from({ length: count }, () => ({ body, signature, isNew: false }));
  }

  plan(tag: string, count: number, newShare: number): WebhookRequest[] {
    const newCount = Math.round(count * newShare);
    const kinds = shuffle(Array.from({ length: count }, (_, i) => i < newCount), this.rand);
    const ts = Math.floor(Date.now() / 1000);
    return kinds.map((isNew, i) => {
      let from: string;
      let text: string;
      if (isNew) {
        const route = this.route();
        from = `${route.prefix}7${String(++this.newCustomers).padStart(7, "0")}`;
        text = route.text;
      } else {
        from = this.ws.openPhone(this.followUpOrder[this.followUpCursor++ % this.followUpOrder.length]!);
        text = FOLLOW_UP_TEXTS[i % FOLLOW_UP_TEXTS.length]!;
      }
      const id = `wamid.bench.${tag}.${i}`;
      const body = Buffer.from(JSON.stringify(webhookBody(this.ws.phoneNumberId, { from, name: `Cliente ${from.slice(-4)}`, id, text, ts })));
      return { body, signature: signBody(body, this.appSecret), isNew };
    });
  }
}
