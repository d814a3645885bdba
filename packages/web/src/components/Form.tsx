import type { Problem } from "@samakki/shared/problem";
import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { isApiError, newIdempotencyKey, problemText, withIdempotencyKey } from "../lib/api-client.ts";
import { useLanguage, useT } from "../lib/i18n.tsx";

export type FormValues = Record<string, string>;

/** Text values of a form (files and unchecked boxes are absent). */
export function readForm(form: HTMLFormElement): FormValues {
  const values: FormValues = {};
  for (const [key, value] of new FormData(form)) if (typeof value === "string") values[key] = value;
  return values;
}

/** An optional text value: trimmed, or undefined when empty, so the API never sees "". */
export function optional(values: FormValues, name: string): string | undefined {
  const value = values[name]?.trim();
  return value ? value : undefined;
}

/**
 * A select's (or radio group's) value, typed as one of `options`, the values it offers, so it can
 * go in a request body typed from a shared schema. The value is passed as it is, not checked: the
 * control offers only these values, and the API validates the body again (a tampered value gets
 * its 400 on the field, as any invalid input does), so the cast here cannot let a wrong value through.
 */
export function oneOf<T extends string>(_options: readonly T[], value: string): T {
  return value as T;
}

type Options<T> = {
  /** Fields that must not be empty; checked before the request so slow networks are spared a round trip. */
  required?: readonly string[];
  onSuccess?: (result: T, form: HTMLFormElement) => void;
};

/**
 * Submits a form through `action`, keeping the pending state, the problem and the field errors
 * (shown next to each field), and moving focus to the first invalid field.
 */
export function useForm<T>(action: (values: FormValues, form: HTMLFormElement) => Promise<T>, options: Options<T> = {}) {
  const t = useT();
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [unmatched, setUnmatched] = useState<string[]>([]);
  const formRef = useRef<HTMLFormElement | null>(null);
  // The submission being sent: its Idempotency-Key, kept while the same values are sent again after
  // a failure (lib/api-client.ts, withIdempotencyKey), so that a create whose answer was lost is not
  // applied twice.
  const submission = useRef<{ key: string; values: string } | null>(null);
  const optionsRef = useRef(options);
  optionsRef.current = options;

  useEffect(() => {
    if (Object.keys(fieldErrors).length === 0) return;
    // A control, not a fieldset marked invalid around radios (browsers do not focus a fieldset).
    const first = formRef.current?.querySelector<HTMLElement>(
      'input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"]',
    );
    first?.focus();
  }, [fieldErrors]);

  const onSubmit = useCallback(
    async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const form = event.currentTarget;
      formRef.current = form;
      const values = readForm(form);
      const missing: Record<string, string> = {};
      for (const name of optionsRef.current.required ?? []) if (!values[name]?.trim()) missing[name] = t("validation.required");
      if (Object.keys(missing).length > 0) {
        setProblem(null);
        setUnmatched([]);
        setFieldErrors(missing);
        return;
      }
      setPending(true);
      setProblem(null);
      setFieldErrors({});
      setUnmatched([]);
      const sent = JSON.stringify(Array.from(new FormData(form).entries(), ([name, value]) => [name, String(value)]));
      if (submission.current?.values !== sent) submission.current = { key: newIdempotencyKey(), values: sent };
      const { key } = submission.current;
      try {
        const result = await withIdempotencyKey(key, () => action(values, form));
        submission.current = null;
        optionsRef.current.onSuccess?.(result, form);
      } catch (error) {
        if (!isApiError(error)) throw error;
        const errors = error.fieldErrors;
        const names = new Set(
          Array.from(form.elements, (el) =>
            el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement ? el.name : "",
          ),
        );
        // When a field already shows the detail (wrong password beside the password field), do not repeat it above.
        const detail = error.problem.detail;
        setProblem(detail && Object.values(errors).includes(detail) ? { ...error.problem, detail: undefined } : error.problem);
        setFieldErrors(errors);
        setUnmatched(
          Object.entries(errors)
            .filter(([path]) => !names.has(path))
            .map(([, message]) => message),
        );
      } finally {
        setPending(false);
      }
    },
    [action, t],
  );

  const reset = useCallback(() => {
    setProblem(null);
    setFieldErrors({});
    setUnmatched([]);
  }, []);

  return { pending, problem, fieldErrors, unmatched, onSubmit, reset };
}

/** The error summary at the top of a form: the translated title and detail from the API. */
export function FormProblem({ problem, unmatched = [] }: { problem: Problem | null; unmatched?: string[] }) {
  const { lang } = useLanguage();
  if (!problem) return null;
  const { title, detail } = problemText(problem, lang);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{title}</p>
      {detail ? <p>{detail}</p> : null}
      {unmatched.length > 0 ? (
        <ul>
          {unmatched.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * A notice; `takeFocus`: the confirmation of what the person just did, which takes the focus when it
 * is shown (key it by what it confirms to show it anew). A status region added with its text already in
 * it is often not read, and the control that did the action is often gone with it (the ballot's form,
 * the vote's controls): focused, the notice is read, and the next Tab goes on from it. Only when the
 * focus was lost, or is still in the notice's section (the form's button), never from elsewhere.
 */
export function Notice({
  kind = "info",
  children,
  title,
  takeFocus = false,
}: {
  kind?: "info" | "success" | "error" | "warning";
  title?: ReactNode;
  children?: ReactNode;
  takeFocus?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the notice is shown
  useEffect(() => {
    const notice = ref.current;
    if (!takeFocus || !notice) return;
    const active = document.activeElement;
    const lost = active === null || active === document.body;
    if (lost || (active && notice.closest("section")?.contains(active))) notice.focus();
  }, []);
  return (
    <div ref={ref} className={`notice notice-${kind}`} role={kind === "error" ? "alert" : "status"} tabIndex={takeFocus ? -1 : undefined}>
      {title ? <p className="notice-title">{title}</p> : null}
      {children}
    </div>
  );
}
