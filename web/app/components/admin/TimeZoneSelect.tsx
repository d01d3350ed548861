import { zoneLabel, type TimeZoneGroups } from "../../lib/admin-timezones";
import { useI18n } from "../../lib/use-i18n";
import { fieldClass } from "./ui";

/** IANA zones, Latin America first; the list comes from the server so both renders agree. */
export function TimeZoneSelect({ zones, name = "timeZone", defaultValue, testId }: { zones: TimeZoneGroups; name?: string; defaultValue: string; testId?: string }) {
  const { t } = useI18n();
  return (
    <select name={name} defaultValue={defaultValue} required className={fieldClass} data-testid={testId}>
      <optgroup label={t("admin.tz.latam")}>
        {zones.latam.map((z) => <option key={z} value={z}>{zoneLabel(z)} · {z}</option>)}
      </optgroup>
      <optgroup label={t("admin.tz.others")}>
        {zones.others.map((z) => <option key={z} value={z}>{z}</option>)}
      </optgroup>
    </select>
  );
}
