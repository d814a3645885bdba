import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useCallback,
  useId,
} from "react";

type Common = { label: string; name: string; error?: string | undefined; hint?: ReactNode; optionalLabel?: string | undefined };

/** What the control itself needs to be labelled, described and marked invalid. */
type ControlProps = { id: string; name: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined };

/**
 * The frame every field shares: the label, the control (rendered by the caller with the ids and
 * ARIA attributes it is given), then its error and hint right below it.
 */
function FieldFrame({
  label,
  name,
  error,
  hint,
  optionalLabel,
  id,
  className,
  control,
}: Common & { id?: string | undefined; className?: string | undefined; control: (props: ControlProps) => ReactNode }) {
  const auto = useId();
  const inputId = id ?? auto;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const describedBy = [hint ? hintId : "", error ? errorId : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field-invalid" : ""}${className ? ` ${className}` : ""}`}>
      <label className="field-label" htmlFor={inputId}>
        {label}
        {optionalLabel ? <span className="field-optional"> ({optionalLabel})</span> : null}
      </label>
      {control({ id: inputId, name, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input with its hint and its error right below it. */
export function Field({ label, name, error, hint, optionalLabel, id, className, ...rest }: Common & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldFrame {...{ label, name, error, hint, optionalLabel, id, className }} control={(control) => <input {...rest} {...control} />} />
  );
}

export function SelectField({
  label,
  name,
  error,
  hint,
  optionalLabel,
  id,
  className,
  children,
  ...rest
}: Common & SelectHTMLAttributes<HTMLSelectElement>) {
  const { defaultValue } = rest;
  // A form's reset() restores each option's `selected` attribute, which defaultValue does not set: a
  // reset form showed its first option (an invitation's language went back to English after each one).
  const markDefault = useCallback(
    (select: HTMLSelectElement | null) => {
      if (!select || defaultValue === undefined) return;
      for (const option of Array.from(select.options)) option.toggleAttribute("selected", option.value === String(defaultValue));
    },
    [defaultValue],
  );
  return (
    <FieldFrame
      {...{ label, name, error, hint, optionalLabel, id, className }}
      control={(control) => (
        <select ref={markDefault} {...rest} {...control}>
          {children}
        </select>
      )}
    />
  );
}

export function TextAreaField({
  label,
  name,
  error,
  hint,
  optionalLabel,
  id,
  className,
  ...rest
}: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldFrame
      {...{ label, name, error, hint, optionalLabel, id, className }}
      control={(control) => <textarea {...rest} {...control} />}
    />
  );
}

/**
 * The choice of a language for someone else (an invitation's email, a new account): each language
 * named in itself, so either reader finds their own. Defaults to the reader's language.
 */
export function LanguageSelectField({
  label,
  error,
  defaultValue,
  name = "language",
}: {
  label: string;
  error?: string | undefined;
  defaultValue: "en" | "km";
  name?: string;
}) {
  return (
    <SelectField label={label} name={name} defaultValue={defaultValue} error={error}>
      <option value="en">English</option>
      <option value="km" lang="km">
        ខ្មែរ
      </option>
    </SelectField>
  );
}
