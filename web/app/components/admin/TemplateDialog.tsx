import type { AdminTemplate } from "../../lib/router-types";
import { useI18n } from "../../lib/use-i18n";
import { FormDialog } from "./AdminForm";
import { Field, TextInput, fieldClass } from "./ui";

const LANGUAGES = ["es_MX", "es", "es_AR", "es_CO", "es_CL", "es_PE", "es_ES", "pt_BR", "en_US", "en"];

/** A WhatsApp template / canned reply: Meta's name and language, its category, body with {{1}} placeholders, status. */
export function TemplateDialog({ template, onClose }: { template?: AdminTemplate; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <FormDialog title={t(template ? "admin.templates.edit" : "admin.templates.add")} onClose={onClose} intent={template ? "update" : "create"}
      submitLabel={t(template ? "admin.save" : "admin.templates.addSubmit")} testId="template-form">
      {template && <input type="hidden" name="id" value={template.id} />}
      <Field name="name" label={t("admin.field.templateName")} hint={t("admin.templates.nameHint")}>
        <TextInput name="name" required maxLength={512} pattern="[a-z0-9_]+" defaultValue={template?.name} autoCapitalize="none" data-testid="template-name" />
      </Field>
      <div className="grid grid-cols-2 gap-3">
        <Field name="language" label={t("admin.field.language")}>
          <TextInput name="language" required list="template-languages" pattern="[a-z]{2,3}(_[A-Z]{2})?" defaultValue={template?.language ?? "es_MX"} />
          <datalist id="template-languages">{LANGUAGES.map((l) => <option key={l} value={l} />)}</datalist>
        </Field>
        <Field name="category" label={t("admin.field.category")}>
          <select name="category" defaultValue={template?.category ?? "utility"} className={fieldClass}>
            {(["utility", "marketing", "authentication"] as const).map((c) => <option key={c} value={c}>{t(`admin.templates.category.${c}`)}</option>)}
          </select>
        </Field>
      </div>
      <Field name="body" label={t("admin.field.body")} hint={t("admin.templates.bodyHint")}>
        <textarea name="body" required maxLength={1024} rows={4} defaultValue={template?.body} className={fieldClass} data-testid="template-body" />
      </Field>
      <Field name="status" label={t("admin.field.status")} hint={t("admin.templates.statusHint")}>
        <select name="status" defaultValue={template?.status ?? "approved"} className={fieldClass}>
          {(["approved", "pending", "rejected", "paused"] as const).map((s) => <option key={s} value={s}>{t(`admin.templates.status.${s}`)}</option>)}
        </select>
      </Field>
    </FormDialog>
  );
}
