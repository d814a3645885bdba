import { useState } from "react";
import { useT } from "../lib/i18n.tsx";
import { Button } from "./Button.tsx";
import { SelectField } from "./Field.tsx";
import { FormProblem, useForm } from "./Form.tsx";

/**
 * One select and a save button on a line (e.g. a campaign's or a task's status), with the
 * "saved" notice and the problem shown in place. `save` gets the chosen value.
 */
export function InlineSelectForm<T>({
  label,
  value,
  options,
  save,
  onSaved,
}: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  save: (value: string) => Promise<T>;
  onSaved: (result: T) => void;
}) {
  const t = useT();
  const [saved, setSaved] = useState(false);
  const form = useForm((v) => save(v.value ?? value), {
    onSuccess: (result) => {
      onSaved(result);
      setSaved(true);
    },
  });
  return (
    <form noValidate onSubmit={form.onSubmit} className="row-form" onChange={() => setSaved(false)}>
      {/* Keyed by the value, so a change saved elsewhere resets the select. */}
      <SelectField key={value} label={label} name="value" defaultValue={value} className="field-inline">
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </SelectField>
      <Button type="submit" variant="secondary" small pending={form.pending}>
        {t("common.save")}
      </Button>
      {saved ? (
        <span className="saved" role="status">
          {t("common.saved")}
        </span>
      ) : null}
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
    </form>
  );
}
