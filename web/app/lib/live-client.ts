import { useEffect, useRef, useState } from "react";
import { useRevalidator } from "@remix-run/react";

/** The fields every live event carries (no personal data by design). */
export type LiveEvent = { id: string; type: string; conversation_id: string | null; agent_id: string | null; team_id: string | null; occurred_at: string };
export type LiveStatus = "connecting" | "live" | "reconnecting";

const BURST_MS = 60;
const MAX_WAIT_MS = 400;
const MAX_BACKOFF_MS = 8_000;

/**
 * Keeps what is on screen in step with the router: every event (debounced into one reload) and every
 * reconnection (which may have missed events) revalidates the page's loaders. The router's state is the
 * source of truth, so reloading is how a dropped connection catches up without losing anything.
 */
export function useLiveUpdates(onEvent: (event: LiveEvent) => void): LiveStatus {
  const revalidator = useRevalidator();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const latest = useRef({ revalidator, onEvent });
  latest.current = { revalidator, onEvent };

  useEffect(() => {
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let connectedBefore = false;
    let closed = false;
    let pendingSince = 0;
    // Debounced, but never held back more than MAX_WAIT_MS by a steady trickle of events.
    const reload = (delay = BURST_MS) => {
      const now = Date.now();
      if (!pendingSince) pendingSince = now;
      clearTimeout(timer);
      timer = setTimeout(() => {
        pendingSince = 0;
        // Offline nothing can load; the reconnection's `ready` reloads once the network is back.
        if (navigator.onLine) latest.current.revalidator.revalidate();
      }, Math.max(0, Math.min(delay, pendingSince + MAX_WAIT_MS - now)));
    };
    const connect = () => {
      source = new EventSource("/live");
      source.addEventListener("ready", () => {
        if (connectedBefore) reload(0);
        connectedBefore = true;
        failures = 0;
        setStatus("live");
      });
      source.onmessage = (message) => {
        try {
          latest.current.onEvent(JSON.parse(message.data) as LiveEvent);
        } catch { /* a malformed frame must not stop the feed */ }
        reload();
      };
      source.onerror = () => {
        setStatus("reconnecting");
        // EventSource retries by itself after a dropped stream; after a refused one (401, 502) it gives up.
        if (source?.readyState !== EventSource.CLOSED || closed) return;
        failures += 1;
        const backoff = Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures) * (0.5 + Math.random() / 2);
        retry = setTimeout(connect, backoff);
      };
    };
    // Back online: do not wait for the backoff.
    const online = () => {
      if (source?.readyState !== EventSource.CLOSED) return;
      clearTimeout(retry);
      connect();
    };
    window.addEventListener("online", online);
    connect();
    return () => {
      closed = true;
      window.removeEventListener("online", online);
      clearTimeout(timer);
      clearTimeout(retry);
      source?.close();
    };
  }, []);
  return status;
}

/** A short two-tone beep with WebAudio: no sound file to ship, and silent until the page was touched once. */
export function beep() {
  try {
    const Context = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Context) return;
    const audio = new Context();
    const gain = audio.createGain();
    gain.gain.setValueAtTime(0.0001, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.2, audio.currentTime + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.35);
    gain.connect(audio.destination);
    const tone = audio.createOscillator();
    tone.frequency.setValueAtTime(880, audio.currentTime);
    tone.frequency.setValueAtTime(1320, audio.currentTime + 0.12);
    tone.connect(gain);
    tone.start();
    tone.stop(audio.currentTime + 0.36);
    tone.onended = () => void audio.close();
  } catch { /* no audio device: the title badge still tells */ }
}
