import { useFetcher } from "@remix-run/react";
import { useEffect, useMemo, useRef } from "react";
import type { AdminResult } from "../../lib/admin-errors";
import { useI18n } from "../../lib/use-i18n";
import { CsrfField } from "../CsrfField";
import { Dialog } from "../Dialog";
import { InvalidFields, Notice, primaryButton, secondaryButton } from "./ui";

/** A form posting one admin intent to the page's action without navigating; the page's data reloads after. */
export function useAdminForm(key?: string) {
  const fetcher = useFetcher<AdminResult>(key ? { key } : undefined);
  const done = fetcher.state === "idle" && fetcher.data !== undefined;
  const refusal = done && fetcher.data && !fetcher.data.ok ? fetcher.data : null;
  return { fetcher, busy: fetcher.state !== "idle", refusal, succeeded: done && fetcher.data?.ok === true };
}

type AdminFormProps = {
  form: ReturnType<typeof useAdminForm>;
  intent: string;
  submitLabel: string;
  children: React.ReactNode;
  onCancel?: () => void;
  /** Shown once a save went through (inline forms; dialogs close instead). */
  savedLabel?: string;
  testId?: string;
  disabled?: boolean;
  className?: string;
};

/** The shell of every admin form: CSRF, intent, the refusal in the person's language, cancel and submit. */
export function AdminForm({ form, intent, submitLabel, children, onCancel, savedLabel, testId, disabled, className = "space-y-3" }: AdminFormProps) {
  const { t } = useI18n();
  const invalid = useMemo(() => new Set(form.refusal?.fields ?? []), [form.refusal]);
  return (
    <InvalidFields.Provider value={invalid}>
      <form.fetcher.Form method="post" className="space-y-3" data-testid={testId}>
        <CsrfField />
        <input type="hidden" name="intent" value={intent} />
        <fieldset disabled={disabled} className={`min-w-0 ${className}`}>{children}</fieldset>
        {form.refusal && <Notice tone="error">{form.refusal.error}</Notice>}
        {savedLabel && form.succeeded && <Notice tone="ok">{savedLabel}</Notice>}
        {!disabled && (
          <div className="flex justify-end gap-2 pt-1">
            {onCancel && <button type="button" onClick={onCancel} className={secondaryButton}>{t("actions.cancel")}</button>}
            <button type="submit" disabled={form.busy} className={primaryButton} data-testid={testId ? `${testId}-submit` : undefined}>
              {form.busy ? t("admin.saving") : submitLabel}
            </button>
          </div>
        )}
      </form.fetcher.Form>
    </InvalidFields.Provider>
  );
}

type FormDialogProps = Omit<AdminFormProps, "form" | "onCancel" | "savedLabel"> & { title: string; onClose: () => void };

/** A dialog holding one admin form; it closes once the router accepted the change. */
export function FormDialog({ title, onClose, ...props }: FormDialogProps) {
  const form = useAdminForm();
  const submitted = useRef(false);
  if (form.busy) submitted.current = true;
  useEffect(() => {
    if (submitted.current && form.succeeded) onClose();
  }, [form.succeeded, onClose]);
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="max-h-[75vh] overflow-y-auto px-0.5">
        <AdminForm form={form} onCancel={onClose} {...props} />
      </div>
    </Dialog>
  );
}
