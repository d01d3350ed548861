import { items } from "../channels/whatsapp/simulator/phrases.js";
import { intBetween, pick } from "../channels/whatsapp/simulator/random.js";
import type { Random } from "../channels/whatsapp/simulator/types.js";

export type Intent = "sales" | "support" | "billing" | "greeting" | "menu";

// Openers carry the demo's routing keywords (cotización/precio → Ventas, problema/pedido → Soporte, factura →
// Administración); greetings carry none, so the phone prefix (territory) or the default team decides.
const openers: Record<Exclude<Intent, "menu">, readonly string[]> = {
  sales: ["Hola, quiero una cotización de {item}", "¿Qué precio tienen las {item}?", "Buenas tardes, me pasan precio de {qty} {item}?", "Quiero cotización para {qty} {item} por favor"],
  support: ["Tengo un problema con mi pedido {order}", "Mi pedido {order} no ha llegado", "Hola, el pedido {order} llegó incompleto", "Tengo un problema con las {item} que compré"],
  billing: ["Necesito mi factura de la compra {order}", "¿Me pueden enviar la factura?", "Hola, requiero factura con mi RFC"],
  greeting: ["Hola, buenas tardes", "Buenos días", "Hola! Una pregunta", "Hola, me pueden ayudar?", "Buenas noches, ¿siguen abiertos?"],
};
const followUps = [
  "¿Hacen envíos a mi ciudad?", "¿Cuánto tarda la entrega?", "Ok, ¿y tienen otros colores?", "Perfecto, gracias", "¿Aceptan tarjeta?",
  "¿Me pueden mandar fotos?", "Sí, te paso los datos", "¿Tiene garantía?", "Va, lo reviso y te digo", "Gracias, muy amable",
];
const agentReplies = {
  first: ["¡Hola! Con gusto te ayudo.", "Hola, gracias por escribir. Dame un momento y lo reviso.", "¡Buen día! Claro, cuéntame qué necesitas."],
  middle: ["Sí, enviamos a todo el país; tarda de 3 a 5 días hábiles.", "Te comparto la información en un momento.", "Claro, tenemos varias opciones.",
    "Ya lo revisé, te explico.", "Aceptamos tarjeta y transferencia.", "Listo, quedó registrado."],
  pendingNudge: ["¿Pudiste revisar la información?", "Quedo atento a tus comentarios."],
  closing: ["¡Gracias por tu compra!", "Quedó resuelto, cualquier cosa aquí estamos.", "Gracias por escribirnos, ¡buen día!"],
};
const notes = ["Cliente frecuente, dar seguimiento", "Lead interesado, pidió catálogo", "Revisar inventario antes de confirmar",
  "Ya tiene un pedido en proceso", "Pidió factura a nombre de su empresa", "Cliente molesto por el retraso, tratar con cuidado"];
export const transferReasons = {
  toSupport: "Problema con un pedido anterior", back: "Pedido resuelto, sigue la venta", toBilling: "Requiere factura",
  peer: ["Cambio de turno", "Especialista en el producto", "Carga de trabajo"],
};
export const lossReasons = ["Precio alto", "Eligió a la competencia", "Sin presupuesto", "Tiempo de entrega", "Dejó de responder"];
const comments = ["Muy buena atención", "Rápido y amable", "Tardaron en contestar", "Todo bien, gracias", "Excelente servicio"];

const fill = (random: Random, text: string) => text
  .replace("{item}", pick(random, items)).replace("{qty}", String(intBetween(random, 2, 12))).replace("{order}", String(intBetween(random, 1000, 9999)));

export const phrase = {
  opener: (random: Random, intent: Exclude<Intent, "menu">) => fill(random, pick(random, openers[intent])),
  followUp: (random: Random) => pick(random, followUps),
  agent: (random: Random, moment: keyof typeof agentReplies) => pick(random, agentReplies[moment]),
  note: (random: Random) => pick(random, notes),
  comment: (random: Random) => pick(random, comments),
  reopen: (random: Random) => pick(random, ["Hola de nuevo, una duda más", "Oigan, me faltó preguntar algo", "Hola otra vez, ¿me ayudan?"]),
};
