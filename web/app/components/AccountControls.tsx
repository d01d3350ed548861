import { Form } from "@remix-run/react";
import { useI18n } from "../lib/use-i18n";
import { CsrfField } from "./CsrfField";
import { LanguageToggle } from "./LanguageToggle";

/** Who is signed in, the language switch and sign-out: the right end of every header. */
export function AccountControls({ name, title }: { name?: string; title?: string }) {
  const { t } = useI18n();
  return (
    <>
      {name && <span className="hidden text-sm lg:inline" title={title}>{name}</span>}
      <LanguageToggle />
      <Form method="post" action="/logout">
        <CsrfField />
        <button type="submit" className="rounded-md px-1.5 py-1 text-sm text-white/90 hover:bg-white/10 sm:px-2" data-testid="logout">{t("nav.logout")}</button>
      </Form>
    </>
  );
}
