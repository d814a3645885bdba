import { isProvinceCode, PROVINCE_CODES, type TargetRef } from "@samakki/shared/letters";
import { useLanguage, useT } from "../../../lib/i18n.tsx";

/** A target's name in the reader's language, falling back to the other one. */
export function useTargetName() {
  const { lang } = useLanguage();
  return (t: Pick<TargetRef, "nameKm" | "nameEn">) => (lang === "km" ? t.nameKm || t.nameEn : t.nameEn || t.nameKm);
}

export function ProvinceOptions({ empty }: { empty: string }) {
  const t = useT();
  return (
    <>
      <option value="">{empty}</option>
      {PROVINCE_CODES.map((code) => (
        <option key={code} value={code}>
          {t(`letters.provinces.${code}`)}
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
  const t = useT();
  return (code: string | null) => (code && isProvinceCode(code) ? t(`letters.provinces.${code}`) : (code ?? ""));
}
