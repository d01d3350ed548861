// Meta's WhatsApp Cloud API webhook shape (one customer message per change), shared by the k6 scenarios and
// the Node smoke test. Plain ES: no Node or k6 APIs here.

let sequence = 0;

/** A customer's text message as Meta posts it to /webhooks/whatsapp. */
export function inboundTextWebhook({ wabaId = "102290129340398", phoneNumberId, displayPhone = "15550783881", from, name, text, now = Date.now() }) {
  sequence += 1;
  const id = `wamid.load.${from}.${now}.${sequence}.${Math.floor(Math.random() * 1e9)}`;
  return {
    object: "whatsapp_business_account",
    entry: [{
      id: wabaId,
      changes: [{
        field: "messages",
        value: {
          messaging_product: "whatsapp",
          metadata: { display_phone_number: displayPhone, phone_number_id: phoneNumberId },
          contacts: [{ profile: { name }, wa_id: from }],
          messages: [{ from, id, timestamp: String(Math.floor(now / 1000)), type: "text", text: { body: text } }],
        },
      }],
    }],
  };
}

const FIRST_LINES = [
  "Hola, quiero cotizar 3 sillas de oficina",
  "Buenas tardes, ¿hacen envíos a Monterrey?",
  "Tengo un problema con mi pedido anterior",
  "Necesito la factura de mi compra",
  "¿Tienen la mesa en roble?",
];

/** A LATAM mobile number (Mexico) unique per virtual user and iteration. */
export function customerNumber(vu, iteration) {
  return `52181${String(vu % 1000).padStart(3, "0")}${String(iteration % 10000).padStart(4, "0")}`;
}

export function firstLine(i) {
  return FIRST_LINES[i % FIRST_LINES.length];
}
