import type { messageKinds } from "../../events/index.js";

/** What an agent can send: text, an approved template, interactive buttons or a list, or media by id/link. */
export type OutboundContent =
  | { text: string }
  | { template: { name: string; language: string; parameters: string[] } }
  | { interactive: { type: "button"; body: string; buttons: Array<{ id: string; title: string }> } | { type: "list"; body: string; button: string; sections: Array<{ title: string; rows: Array<{ id: string; title: string; description?: string }> }> } }
  | { media: { type: "image" | "video" | "audio" | "document"; id?: string; link?: string; caption?: string; filename?: string } };

type Kind = (typeof messageKinds)[number];

/** The stored form of non-template content: kind, the text the inbox shows, and the Graph body if not plain text. */
export function describeContent(content: Exclude<OutboundContent, { template: unknown }>): { kind: Kind; body: string; payload: Record<string, unknown> | null } {
  if ("text" in content) return { kind: "text", body: content.text, payload: null };
  if ("interactive" in content) {
    const i = content.interactive;
    const action = i.type === "button"
      ? { buttons: i.buttons.map((b) => ({ type: "reply", reply: { id: b.id, title: b.title } })) }
      : { button: i.button, sections: i.sections };
    return { kind: "interactive", body: i.body, payload: { type: "interactive", interactive: { type: i.type, body: { text: i.body }, action } } };
  }
  const { type, caption, ...media } = content.media;
  const object = { ...media, ...(caption && type !== "audio" ? { caption } : {}) };
  return { kind: type, body: caption ?? "", payload: { type, [type]: object } };
}
