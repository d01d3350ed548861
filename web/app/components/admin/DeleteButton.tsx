import { useAdminForm } from "./AdminForm";
import { useRootData } from "../../lib/use-i18n";
import { dangerButton } from "./ui";

/** Deletes one record after the browser's confirmation; a refusal shows beside the button. */
export function DeleteButton({ id, label, confirm, testId }: { id: string; label: string; confirm: string; testId?: string }) {
  const form = useAdminForm();
  const csrf = useRootData()?.csrf ?? "";
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" className={dangerButton} disabled={form.busy} data-testid={testId}
        onClick={() => { if (window.confirm(confirm)) form.fetcher.submit({ intent: "delete", id, csrf }, { method: "post" }); }}>
        {label}
      </button>
      {form.refusal && <span role="alert" className="text-xs text-red-700">{form.refusal.error}</span>}
    </span>
  );
}
