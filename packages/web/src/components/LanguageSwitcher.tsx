import type { Language } from "../lib/i18n.tsx";
import { useLanguage, useT } from "../lib/i18n.tsx";

const NAMES: Record<Language, string> = { en: "English", km: "ខ្មែរ" };

/** Both language names are written in their own language, so anyone can find theirs. */
export function LanguageSwitcher({ onChange }: { onChange?: (lang: Language) => void }) {
  const { lang, setLang } = useLanguage();
  const t = useT();
  return (
    <fieldset className="lang-switch">
      <legend className="visually-hidden">{t("common.language")}</legend>
      {(Object.keys(NAMES) as Language[]).map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          className="lang-option"
          aria-pressed={lang === code}
          onClick={() => {
            if (code === lang) return;
            setLang(code);
            onChange?.(code);
          }}
        >
          {NAMES[code]}
        </button>
      ))}
    </fieldset>
  );
}
