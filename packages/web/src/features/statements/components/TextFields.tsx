import { Field, TextAreaField } from "../../../components/Field.tsx";
import type { FormValues } from "../../../components/Form.tsx";
import type { Translate } from "../../../lib/i18n.tsx";
import { useT } from "../../../lib/i18n.tsx";
import type { TextInput } from "../api/statements.ts";
import { invalid } from "../utils/invalid.ts";

/** Title and the two bodies, shared by the proposal and the edit forms. */
export function TextFields({
  errors,
  initial,
}: {
  errors: Record<string, string>;
  initial?: { title: string; bodyEn: string; bodyKm: string };
}) {
  const t = useT();
  return (
    <>
      <Field label={t("statements.fieldTitle")} name="title" defaultValue={initial?.title} error={errors.title} autoComplete="off" />
      <p className="muted statement-form-hint">{t("statements.bodyHint")}</p>
      <TextAreaField
        label={t("statements.bodyEn")}
        name="bodyEn"
        lang="en"
        rows={10}
        defaultValue={initial?.bodyEn}
        error={errors.bodyEn}
        optionalLabel={t("statements.oneLanguageEnough")}
      />
      <TextAreaField
        label={t("statements.bodyKm")}
        name="bodyKm"
        lang="km"
        rows={10}
        defaultValue={initial?.bodyKm}
        error={errors.bodyKm}
        optionalLabel={t("statements.oneLanguageEnough")}
      />
    </>
  );
}

/** The text of the form; throws the translated problem found before sending anything. */
export function readText(values: FormValues, t: Translate): TextInput {
  const title = values.title?.trim() ?? "";
  const bodyEn = values.bodyEn ?? "";
  const bodyKm = values.bodyKm ?? "";
  const errors: Record<string, string> = {};
  if (title.length < 2) errors.title = title ? t("validation.too_short", { min: 2 }) : t("validation.required");
  if (!bodyEn.trim() && !bodyKm.trim()) errors.bodyEn = t("statements.bodyRequired");
  if (Object.keys(errors).length > 0) throw invalid(t, errors);
  return { title, bodyEn, bodyKm };
}
