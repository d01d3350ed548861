import type { AdminChannel } from "../../lib/router-types";
import { useI18n } from "../../lib/use-i18n";
import { FormDialog } from "./AdminForm";
import { Field, TextInput } from "./ui";

/** The access token field: write-only, never filled from the server, never offered to the password manager. */
function TokenInput({ required }: { required?: boolean }) {
  const { t } = useI18n();
  return (
    <Field name="accessToken" label={t("admin.field.accessToken")} hint={t("admin.channels.tokenHint")}>
      <TextInput name="accessToken" type="password" required={required} minLength={20} maxLength={1024} autoComplete="off"
        spellCheck={false} data-testid="channel-token" />
    </Field>
  );
}

function GraphSettings({ channel }: { channel?: AdminChannel }) {
  const { t } = useI18n();
  return (
    <details className="rounded-lg border border-slate-200 px-3 py-2" open={channel !== undefined}>
      <summary className="cursor-pointer text-sm font-medium text-slate-700">{t("admin.channels.advanced")}</summary>
      <div className="mt-2 space-y-3">
        <Field name="graphApiBaseUrl" label={t("admin.field.graphApiBaseUrl")}>
          <TextInput name="graphApiBaseUrl" type="url" defaultValue={channel?.graphApiBaseUrl} placeholder="https://graph.facebook.com" />
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field name="graphApiVersion" label={t("admin.field.graphApiVersion")}>
            <TextInput name="graphApiVersion" pattern="v\d{1,3}\.\d" defaultValue={channel?.graphApiVersion} placeholder="v21.0" />
          </Field>
          <Field name="sendRatePerSecond" label={t("admin.field.sendRatePerSecond")}>
            <TextInput name="sendRatePerSecond" type="number" min={1} max={1000} defaultValue={channel?.sendRatePerSecond} placeholder="80" inputMode="numeric" />
          </Field>
        </div>
      </div>
    </details>
  );
}

/** Connect a WhatsApp number, or edit its name and Graph settings (the token has its own dialog). */
export function ChannelDialog({ channel, onClose }: { channel?: AdminChannel; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <FormDialog title={t(channel ? "admin.channels.edit" : "admin.channels.add")} onClose={onClose} intent={channel ? "update" : "create"}
      submitLabel={t(channel ? "admin.save" : "admin.channels.addSubmit")} testId="channel-form">
      {channel && <input type="hidden" name="id" value={channel.id} />}
      <Field name="name" label={t("admin.field.channelName")}><TextInput name="name" required maxLength={100} defaultValue={channel?.name} /></Field>
      {!channel && (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field name="displayPhone" label={t("admin.field.displayPhone")}>
            <TextInput name="displayPhone" required type="tel" placeholder="+52 81 5555 0000" />
          </Field>
          <Field name="phoneNumberId" label={t("admin.field.phoneNumberId")} hint={t("admin.channels.phoneNumberIdHint")}>
            <TextInput name="phoneNumberId" required inputMode="numeric" pattern="\d{1,32}" />
          </Field>
        </div>
      )}
      {!channel && <TokenInput />}
      <GraphSettings channel={channel} />
    </FormDialog>
  );
}

export function RotateTokenDialog({ channel, onClose }: { channel: AdminChannel; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <FormDialog title={t("admin.channels.rotateTitle", { name: channel.name })} onClose={onClose} intent="rotate"
      submitLabel={t("admin.channels.rotateSubmit")} testId="rotate-form">
      <input type="hidden" name="id" value={channel.id} />
      <p className="text-sm text-slate-600">{t("admin.channels.rotateBody")}</p>
      <TokenInput required />
    </FormDialog>
  );
}
