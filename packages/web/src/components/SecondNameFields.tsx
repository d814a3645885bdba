import type { SecondName } from "@samakki/shared/names";
import { useLanguage, useT } from "../lib/i18n.tsx";
import { Field, LanguageSelectField } from "./Field.tsx";
import type { FormValues } from "./Form.tsx";

/**
 * The optional second name of an organisation, campaign or metric (issue 10, item 10): the name
 * in the other language, and which language it is. The inputs are named `<prefix>.name` and
 * `<prefix>.language`, the paths the API's field errors carry, so an error shows beside its input.
 */
export function SecondNameFields({
  prefix,
  label,
  value,
  errors,
  maxLength,
}: {
  prefix: "secondName" | "secondTitle";
  label: string;
  value: SecondName | null | undefined;
  errors: Record<string, string>;
  maxLength: number;
}) {
  const t = useT();
  const { lang } = useLanguage();
  return (
    <>
      <Field
        label={label}
        name={`${prefix}.name`}
        defaultValue={value?.name ?? ""}
        optionalLabel={t("common.optional")}
        error={errors[`${prefix}.name`] ?? errors[prefix]}
        maxLength={maxLength}
      />
      <LanguageSelectField
        label={t("names.language")}
        name={`${prefix}.language`}
        defaultValue={value?.language ?? (lang === "km" ? "en" : "km")}
        error={errors[`${prefix}.language`]}
      />
    </>
  );
}

/** The second name the form holds: null when its name is left empty (which removes it). */
export function readSecondName(values: FormValues, prefix: "secondName" | "secondTitle"): SecondName | null {
  const name = values[`${prefix}.name`]?.trim() ?? "";
  if (!name) return null;
  return { language: values[`${prefix}.language`] === "en" ? "en" : "km", name };
}
