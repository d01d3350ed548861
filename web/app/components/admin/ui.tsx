import { createContext, useContext } from "react";
import { fieldClass } from "../Dialog";

/** Small building blocks the admin pages share: cards, fields that show when the router refused them, empty states. */
export { fieldClass, primaryButton, secondaryButton } from "../Dialog";
export const dangerButton = "rounded-lg px-3 py-2 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-50";
export const linkButton = "rounded-lg px-3 py-1.5 text-sm font-medium text-wa-dark hover:bg-emerald-50";
/** A narrow field (numbers in a row of text); `fieldClass` is full width. */
export const smallFieldClass = "rounded-lg border border-slate-300 px-3 py-2 text-sm focus:border-wa-brand focus:outline-none focus:ring-2 focus:ring-wa-brand/30";
export const checkboxClass = "h-4 w-4 rounded border-slate-300 text-wa-brand focus:ring-wa-brand";

/** The fields the last refusal named, for the form around them. */
export const InvalidFields = createContext<ReadonlySet<string>>(new Set());

/** A labelled field; `group` for editors made of several controls (a label may hold only one). */
export function Field({ name, label, hint, children, className = "", group }: {
  name: string; label: string; hint?: string; children: React.ReactNode; className?: string; group?: boolean;
}) {
  const invalid = useContext(InvalidFields).has(name);
  const classes = `block text-sm font-medium text-slate-700 ${invalid ? "text-red-700 [&_:is(input,select,textarea)]:border-red-400" : ""} ${className}`;
  const help = hint && <span className="mt-1 block text-xs font-normal text-slate-500">{hint}</span>;
  if (group) {
    return <div role="group" aria-label={label} data-invalid={invalid || undefined} className={classes}><span className="mb-1 block">{label}</span>{children}{help}</div>;
  }
  return <label data-invalid={invalid || undefined} className={classes}>{label}{children}{help}</label>;
}

export function TextInput(props: React.InputHTMLAttributes<HTMLInputElement>) {
  const invalid = useContext(InvalidFields).has(String(props.name ?? ""));
  return <input {...props} aria-invalid={invalid || undefined} className={`${fieldClass} ${props.className ?? ""}`} />;
}

export function Check({ name, label, defaultChecked, hint, value }: { name: string; label: string; defaultChecked?: boolean; hint?: string; value?: string }) {
  return (
    <label className="flex items-start gap-2 text-sm text-slate-700">
      {/* React gives an input with an undefined `value` prop an empty value: leave it out so the box posts "on". */}
      <input type="checkbox" name={name} {...(value === undefined ? {} : { value })} defaultChecked={defaultChecked} className={`mt-0.5 ${checkboxClass}`} />
      <span>{label}{hint && <span className="block text-xs text-slate-500">{hint}</span>}</span>
    </label>
  );
}

export function Card({ title, description, actions, children, testId }: {
  title?: string; description?: string; actions?: React.ReactNode; children: React.ReactNode; testId?: string;
}) {
  return (
    <section className="rounded-2xl bg-white p-4 shadow-sm sm:p-5" data-testid={testId}>
      {(title || actions) && (
        <div className="mb-3 flex flex-wrap items-start justify-between gap-2">
          <div>
            {title && <h2 className="text-base font-semibold text-slate-800">{title}</h2>}
            {description && <p className="mt-0.5 text-sm text-slate-500">{description}</p>}
          </div>
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

export function EmptyState({ title, body, action }: { title: string; body?: string; action?: React.ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 px-4 py-8 text-center" data-testid="empty-state">
      <p className="font-medium text-slate-700">{title}</p>
      {body && <p className="mt-1 text-sm text-slate-500">{body}</p>}
      {action && <div className="mt-3">{action}</div>}
    </div>
  );
}

const tones = { green: "bg-emerald-50 text-emerald-800", gray: "bg-slate-100 text-slate-600", amber: "bg-amber-50 text-amber-800", red: "bg-red-50 text-red-700" };
export function Badge({ tone = "gray", children, testId }: { tone?: keyof typeof tones; children: React.ReactNode; testId?: string }) {
  return <span data-testid={testId} className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>;
}

export function Notice({ tone, children }: { tone: "error" | "ok" | "info"; children: React.ReactNode }) {
  const styles = { error: "bg-red-50 text-red-700", ok: "bg-emerald-50 text-emerald-800", info: "bg-sky-50 text-sky-800" };
  return <p role={tone === "error" ? "alert" : "status"} className={`rounded-lg px-3 py-2 text-sm ${styles[tone]}`}>{children}</p>;
}
