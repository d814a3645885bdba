import { Fragment, useState } from "react";
import { Notice } from "../components/Form.tsx";
import { isApiError, type RequestHeaders } from "./api-client.ts";
import { useT } from "./i18n.tsx";

/**
 * Two people editing the same thing (the API's lib/if-match.ts). An edit form sends the revision it
 * was opened on as `If-Match`; when someone else saved first, the API refuses with 412
 * `edit_conflict` and changes nothing. The form then reads the latest version and merges, field by
 * field, as a person would:
 *   - a field they changed and this person did not now holds their value;
 *   - a field both changed keeps what this person typed;
 * says which is which (`ConflictNotice`), and takes the latest as its new base, so that saving
 * again keeps both people's changes (and, where both changed a field, this person's, knowingly).
 * Without this the form sent every field it showed and quietly put back what the other person had
 * just changed.
 */

/**
 * A field of the form, as the conflict compares it: its label, its value as the notice shows it,
 * and the form control that holds it (`input`: its name, and its value as the control holds it).
 * A field without `input` is reported but never merged (the form keeps what it holds).
 */
export type ComparedField<T> = {
  label: string;
  shown: (resource: T) => string;
  input?: { name: string; value: (resource: T) => string };
};

/** A field held by one control named `name`: `value` as the control holds it, `shown` as the notice shows it (the value unless given). */
export const compared = <T,>(
  label: string,
  name: string,
  value: (resource: T) => string,
  shown: (resource: T) => string = value,
): ComparedField<T> => ({
  label,
  shown,
  input: { name, value },
});

export type Conflict = { label: string; shown: string; merged: boolean }[];

/**
 * `opened`: the resource as the form opened on it; `revisionOf` its revision; `reload` reads the
 * latest (and puts it in the page's cache, so the page behind the form shows it too); `fields`: the
 * form's fields.
 */
export function useEditConflict<T>(
  opened: T,
  revisionOf: (resource: T) => number,
  reload: () => Promise<T>,
  fields: readonly ComparedField<T>[],
) {
  const [base, setBase] = useState(opened);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  /**
   * Runs the edit with `If-Match` of the base. On 412 reads the latest, merges it into `form`'s
   * untouched fields, makes it the base, and rethrows for the form's problem.
   */
  async function send<R>(form: HTMLFormElement, edit: (headers: RequestHeaders) => Promise<R>): Promise<R> {
    try {
      const saved = await edit({ "If-Match": `"${revisionOf(base)}"` });
      setConflict(null);
      return saved;
    } catch (error) {
      if (isApiError(error) && error.problem.code === "edit_conflict") {
        const latest = await reload().catch(() => null);
        if (latest) {
          setConflict(merge(form, fields, base, latest));
          setBase(latest);
        }
      }
      throw error;
    }
  }
  return { send, conflict, base };
}

/** The control of `form` named `name` that holds one value (an input, a text area, a select), or null. */
function controlOf(form: HTMLFormElement, name: string): HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null {
  const control = form.elements.namedItem(name);
  return control instanceof HTMLInputElement || control instanceof HTMLTextAreaElement || control instanceof HTMLSelectElement
    ? control
    : null;
}

/** Their changes (`before` → `after`) put into the controls this person left as they were; what changed, and whether it was merged. */
function merge<T>(form: HTMLFormElement, fields: readonly ComparedField<T>[], before: T, after: T): Conflict {
  const changes: Conflict = [];
  for (const { label, shown, input } of fields) {
    if (shown(before) === shown(after) && (!input || input.value(before) === input.value(after))) continue;
    const control = input ? controlOf(form, input.name) : null;
    const untouched = input !== undefined && control !== null && control.value === input.value(before);
    if (untouched) control.value = input.value(after);
    changes.push({ label, shown: shown(after), merged: untouched });
  }
  return changes;
}

/** A long text (a description) cut to what the notice needs to say which it is. */
const shorten = (text: string) => (text.length > 280 ? `${text.slice(0, 279)}…` : text);

/** What the other person changed, field by field: the value now saved, and whether the form now holds it or keeps this person's. */
export function ConflictNotice({ conflict }: { conflict: Conflict | null }) {
  const t = useT();
  if (!conflict || conflict.length === 0) return null;
  return (
    <Notice kind="warning" title={t("common.editConflictTheirs")}>
      <dl className="facts">
        {conflict.map((change) => (
          <Fragment key={change.label}>
            <dt>{change.label}</dt>
            <dd>
              <span className="conflict-value">{shorten(change.shown) || t("common.editConflictEmpty")}</span>{" "}
              <span className="muted">({change.merged ? t("common.editConflictMerged") : t("common.editConflictKept")})</span>
            </dd>
          </Fragment>
        ))}
      </dl>
    </Notice>
  );
}
