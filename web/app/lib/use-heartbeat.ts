import { useEffect, useRef } from "react";
import { useRootData } from "./use-i18n";

const EVERY_MS = 30_000;

/**
 * Tells the router the inbox is open and how long the person has been idle, so automation can set an
 * agent away (and reassign his chats) when the tab closes or he walks off. A plain fetch, not a fetcher:
 * it changes nothing on screen, and a missed beat (offline) must not show an error.
 */
export function useHeartbeat() {
  const csrf = useRootData()?.csrf ?? "";
  const lastInput = useRef(Date.now());
  useEffect(() => {
    const touched = () => { lastInput.current = Date.now(); };
    const events = ["keydown", "pointerdown", "scroll", "focus"] as const;
    for (const name of events) window.addEventListener(name, touched, { passive: true });
    const send = () => {
      const body = new FormData();
      body.set("intent", "heartbeat");
      body.set("idleSeconds", String(Math.floor((Date.now() - lastInput.current) / 1000)));
      body.set("csrf", csrf);
      fetch("/preferences", { method: "POST", body, credentials: "same-origin" }).catch(() => undefined);
    };
    send();
    const timer = setInterval(send, EVERY_MS);
    return () => {
      clearInterval(timer);
      for (const name of events) window.removeEventListener(name, touched);
    };
  }, [csrf]);
}
