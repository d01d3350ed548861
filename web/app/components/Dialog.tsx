import { useEffect, useRef } from "react";

/** A modal sheet: full width at the bottom on a phone, centred on a laptop; Escape or the backdrop closes it. */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: React.ReactNode }) {
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === "Escape") onClose(); };
    window.addEventListener("keydown", onKey);
    panel.current?.querySelector<HTMLElement>("select, input, textarea, button")?.focus();
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="fixed inset-0 z-40 flex items-end justify-center bg-slate-900/40 sm:items-center" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div ref={panel} role="dialog" aria-modal="true" aria-label={title} className="w-full max-w-md rounded-t-2xl bg-white p-5 shadow-xl sm:rounded-2xl">
        <h2 className="mb-4 text-lg font-semibold">{title}</h2>
        {children}
      </div>
    </div>
  );
}

export const fieldClass = "mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-sm focus:border-wa-brand focus:outline-none focus:ring-2 focus:ring-wa-brand/30";
export const primaryButton = "rounded-lg bg-wa-brand px-4 py-2 text-sm font-medium text-white hover:bg-wa-dark disabled:opacity-50";
export const secondaryButton = "rounded-lg px-4 py-2 text-sm text-slate-600 hover:bg-slate-100";
