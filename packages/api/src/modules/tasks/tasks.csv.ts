import type { TaskSummary } from "@samakki/shared/tasks";
import { stringify } from "csv-stringify/sync";

/** Cells starting with these could run as formulas in a spreadsheet (CSV injection); prefix them with a quote. */
const FORMULA = /^[=+\-@\t\r]/;
const cell = (value: string) => (FORMULA.test(value) ? `'${value}` : value);

/** A task list as CSV (csv-stringify), with a byte-order mark so spreadsheets read Khmer as UTF-8. */
export function tasksToCsv(tasks: TaskSummary[]): string {
  const rows = tasks.map((t) => [
    t.id,
    cell(t.title),
    t.status,
    t.priority,
    t.dueOn ?? "",
    t.overdue ? "yes" : "no",
    cell(t.campaign?.title ?? ""),
    cell(t.assigneeOrganisation?.name ?? ""),
    cell(t.assigneePerson?.displayName ?? ""),
    cell(t.labels.join(", ")),
    t.updatedAt,
  ]);
  return `\uFEFF${stringify(rows, { header: true, columns: ["id", "title", "status", "priority", "due_on", "overdue", "campaign", "organisation", "person", "labels", "updated_at"] })}`;
}
