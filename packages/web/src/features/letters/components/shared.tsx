import type { TargetRef } from "@samakki/shared/letters";
import { provinceName, provincesSorted } from "@samakki/shared/provinces";
import { useLanguage } from "../../../lib/i18n.tsx";

/** A target's name in the reader's language, falling back to the other one. */
export function useTargetName() {
  const { lang } = useLanguage();
  return (t: Pick<TargetRef, "nameKm" | "nameEn">) => (lang === "km" ? t.nameKm || t.nameEn : t.nameEn || t.nameKm);
}

/** The provinces as every page lists them (the petition's too): in the reader's alphabetical order, named by @samakki/shared/provinces. */
export function ProvinceOptions({ empty }: { empty: string }) {
  const { lang } = useLanguage();
  return (
    <>
      <option value="">{empty}</option>
      {provincesSorted(lang).map(({ code }) => (
        <option key={code} value={code}>
          {provinceName(code, lang)}
        </option>
      ))}
    </>
  );
}

/** Today in the coalition's zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

/** A province's name from its code (the code itself when unknown). */
export function useProvinceName() {
  const { lang } = useLanguage();
  return (code: string | null) => (code ? provinceName(code, lang) : "");
}
