import type { TaskSummary } from "@samakki/shared/tasks";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tasksToCsv } from "../tasks.csv.ts";

/**
 * The task export: whatever people type (quotes, commas, line breaks, Khmer, formulas), a
 * spreadsheet reads back exactly the cells we meant, and no cell can start a formula.
 */

const FORMULA_START = ["=", "+", "-", "@", "\t", "\r"];
/** Text biased toward what breaks CSV and spreadsheets. */
const nasty = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc
    .array(
      fc.constantFrom("=", "+", "-", "@", "\t", "\r", "\n", "\r\n", '"', ",", ";", "'", " ", "a", "ក", "=cmd|' /C calc'!A0", "\uFEFF"),
      {
        maxLength: 8,
      },
    )
    .map((parts) => parts.join("")),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const iso = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }).map((ms) => new Date(ms).toISOString());

const task: fc.Arbitrary<TaskSummary> = fc.record({
  id: fc.uuid(),
  title: nasty,
  status: fc.constantFrom("todo", "in_progress", "blocked", "done", "cancelled"),
  priority: fc.constantFrom("low", "normal", "high", "urgent"),
  dueOn: maybe(iso.map((s) => s.slice(0, 10))),
  overdue: fc.boolean(),
  campaign: maybe(fc.record({ id: fc.uuid(), title: nasty, secondTitle: fc.constant(null) })),
  assigneeOrganisation: maybe(fc.record({ id: fc.uuid(), name: nasty, shortName: maybe(nasty), secondName: fc.constant(null) })),
  assigneePerson: maybe(fc.record({ id: fc.uuid(), displayName: nasty })),
  labels: fc.array(nasty, { maxLength: 3 }),
  updatedAt: iso,
});

/** What the export promises for a typed value: the same text, behind a quote if it could start a formula. */
const neutralised = (value: string) => (FORMULA_START.some((c) => value.startsWith(c)) ? `'${value}` : value);

const readBack = (csv: string) => parse(csv, { bom: true, columns: true, skip_empty_lines: false }) as Record<string, string>[];

describe("tasks CSV export (properties)", () => {
  it("reads back, cell for cell, as the tasks with formula starts neutralised", () => {
    fc.assert(
      fc.property(fc.array(task, { maxLength: 5 }), (tasks) => {
        const rows = readBack(tasksToCsv(tasks));
        expect(rows).toEqual(
          tasks.map((t) => ({
            id: t.id,
            title: neutralised(t.title),
            status: t.status,
            priority: t.priority,
            due_on: t.dueOn ?? "",
            overdue: t.overdue ? "yes" : "no",
            campaign: neutralised(t.campaign?.title ?? ""),
            organisation: neutralised(t.assigneeOrganisation?.name ?? ""),
            person: neutralised(t.assigneePerson?.displayName ?? ""),
            labels: neutralised(t.labels.join(", ")),
            updated_at: t.updatedAt,
          })),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("never lets a cell start with = + - @ tab or carriage return, and starts with the byte-order mark", () => {
    fc.assert(
      fc.property(fc.array(task, { minLength: 1, maxLength: 5 }), (tasks) => {
        const csv = tasksToCsv(tasks);
        expect(csv.startsWith("\uFEFFid,title,")).toBe(true);
        for (const row of readBack(csv))
          for (const [column, value] of Object.entries(row))
            expect(
              FORMULA_START.some((c) => value.startsWith(c)),
              `${column}: ${JSON.stringify(value)}`,
            ).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps one record per task, whatever line breaks the text holds", () => {
    fc.assert(
      fc.property(fc.array(task, { maxLength: 8 }), (tasks) => {
        expect(readBack(tasksToCsv(tasks)).map((r) => r.id)).toEqual(tasks.map((t) => t.id));
      }),
    );
  });
});
