import { useI18n } from "../lib/use-i18n";

export default function NoConversation() {
  const { t } = useI18n();
  return (
    <div className="chat-wallpaper flex flex-1 items-center justify-center p-8 text-center">
      <div className="max-w-xs rounded-2xl bg-white/80 p-6 shadow-sm">
        <p className="font-medium text-slate-700">{t("conv.select")}</p>
        <p className="mt-2 text-sm text-slate-500">{t("conv.selectHint")}</p>
      </div>
    </div>
  );
}
