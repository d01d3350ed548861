/** Spanish (Mexico/LATAM) material for simulated customers. `{order}`, `{qty}`, `{item}`, `{city}` are filled per customer. */

export type Region = { prefix: string; restDigits: number; city: string; lat: number; lng: number; weight: number; names: "mx" | "co" | "ar" | "pe" };

// E.164 without "+": Mexican mobiles keep the legacy "1" after 52, as WhatsApp still reports them in wa_id.
export const regions: readonly Region[] = [
  { prefix: "52155", restDigits: 8, city: "Ciudad de México", lat: 19.4326, lng: -99.1332, weight: 5, names: "mx" },
  { prefix: "52181", restDigits: 8, city: "Monterrey", lat: 25.6866, lng: -100.3161, weight: 3, names: "mx" },
  { prefix: "52133", restDigits: 8, city: "Guadalajara", lat: 20.6597, lng: -103.3496, weight: 2, names: "mx" },
  { prefix: "521999", restDigits: 7, city: "Mérida", lat: 20.9674, lng: -89.5926, weight: 1, names: "mx" },
  { prefix: "573", restDigits: 9, city: "Bogotá", lat: 4.711, lng: -74.0721, weight: 1, names: "co" },
  { prefix: "54911", restDigits: 8, city: "Buenos Aires", lat: -34.6037, lng: -58.3816, weight: 1, names: "ar" },
  { prefix: "519", restDigits: 8, city: "Lima", lat: -12.0464, lng: -77.0428, weight: 1, names: "pe" },
];

export const firstNames: Record<Region["names"], readonly string[]> = {
  mx: ["María Fernanda", "José Luis", "Guadalupe", "Juan Carlos", "Ana Sofía", "Luis Ángel", "Ximena", "Alejandro", "Brenda", "Jorge", "Itzel", "Ricardo"],
  co: ["Valentina", "Santiago", "Camila", "Andrés Felipe", "Daniela", "Julián"],
  ar: ["Sofía", "Matías", "Lucía", "Facundo", "Martina", "Agustín"],
  pe: ["Rosa", "Miguel", "Milagros", "Renzo", "Karina", "Diego"],
};
export const lastNames: Record<Region["names"], readonly string[]> = {
  mx: ["Hernández", "García", "Martínez", "López", "González", "Ramírez", "Flores", "Cruz", "Reyes", "Morales"],
  co: ["Rodríguez", "Gómez", "Restrepo", "Ospina", "Cárdenas", "Zapata"],
  ar: ["Fernández", "Romero", "Sosa", "Benítez", "Acosta", "Medina"],
  pe: ["Quispe", "Huamán", "Rojas", "Vargas", "Chávez", "Mendoza"],
};

export const items = ["sillas", "mesas plegables", "escritorios", "anaqueles", "lámparas de pie", "bancos altos"] as const;

export type TopicId = "cotizacion" | "envios" | "pedido" | "factura";
export type MenuChoice = { id: "menu_ventas" | "menu_soporte" | "menu_facturacion"; title: string };
export type Topic = { id: TopicId; weight: number; menu: MenuChoice; openers: readonly string[]; followUps: readonly string[]; captions: readonly string[] };

const ventas: MenuChoice = { id: "menu_ventas", title: "Ventas" };
const soporte: MenuChoice = { id: "menu_soporte", title: "Soporte" };
const facturacion: MenuChoice = { id: "menu_facturacion", title: "Facturación" };
export const menuChoices: readonly MenuChoice[] = [ventas, soporte, facturacion];

export const topics: readonly Topic[] = [
  {
    id: "cotizacion", weight: 4, menu: ventas,
    openers: ["Hola, quiero una cotización de {qty} {item}", "Buenas tardes, ¿me pueden cotizar {qty} {item}?", "Hola, ¿qué precio tienen sus {item}?"],
    followUps: ["¿Tienen descuento por mayoreo?", "¿Aceptan pago con tarjeta?", "¿Me la pueden mandar por correo?", "¿Las tienen en color negro?"],
    captions: ["Quiero este modelo", "¿Tienen algo parecido a esto?"],
  },
  {
    id: "envios", weight: 3, menu: ventas,
    openers: ["¿Hacen envíos a {city}?", "Hola, ¿cuánto cuesta el envío a {city}?", "Buen día, ¿envían a domicilio en {city}?"],
    followUps: ["¿Cuántos días tarda en llegar?", "¿Con qué paquetería envían?", "¿El envío tiene costo?"],
    captions: ["Esta es mi dirección", "Aquí es donde lo recibiría"],
  },
  {
    id: "pedido", weight: 3, menu: soporte,
    openers: ["Tengo un problema con mi pedido {order}, llegó incompleto", "Mi pedido {order} no ha llegado y ya pasaron 5 días", "Hola, me llegó roto el producto del pedido {order}"],
    followUps: ["¿Me pueden dar el número de guía?", "Ya les mandé las fotos", "¿Cuándo me hacen el reembolso?", "Sigo esperando respuesta, por favor"],
    captions: ["Así me llegó el paquete", "Foto del producto dañado"],
  },
  {
    id: "factura", weight: 2, menu: facturacion,
    openers: ["Necesito mi factura del pedido {order}", "¿Me pueden facturar a nombre de mi empresa?", "Hola, no me llegó la factura del pedido {order} al correo"],
    followUps: ["Mi RFC es XAXX010101000", "El uso de CFDI es G03, gastos en general", "¿En cuánto tiempo me llega?"],
    captions: ["Esta es mi constancia de situación fiscal"],
  },
];

/** Answers to an agent, chosen by what the agent talked about; the last group is the fallback. */
export const replies: ReadonlyArray<{ when: RegExp; texts: readonly string[] }> = [
  { when: /env[ií]o|entrega|paqueter|gu[ií]a/i, texts: ["¿Y cuánto tarda el envío?", "¿Tiene costo el envío?", "Perfecto, gracias"] },
  { when: /precio|cotizaci|\$|total|cuesta|descuento/i, texts: ["Perfecto, lo compro", "¿Me puede hacer un descuento?", "Déjeme pensarlo, gracias"] },
  { when: /factura|rfc|cfdi/i, texts: ["Listo, ya le mandé mis datos", "Gracias, ¿en cuánto tiempo me llega?"] },
  { when: /./, texts: ["Gracias", "Muchas gracias 🙏", "Ok, perfecto", "¿Y cuánto tarda el envío?"] },
];

export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => vars[key] ?? whole);
}
