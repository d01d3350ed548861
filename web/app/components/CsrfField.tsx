import { useRootData } from "../lib/use-i18n";

/** Every mutating form carries the session's CSRF token; the action checks it before anything else. */
export function CsrfField() {
  return <input type="hidden" name="csrf" value={useRootData()?.csrf ?? ""} />;
}
