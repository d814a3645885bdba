/** What the benchmarks share to report their figures. */

/** The median of `xs`: the mean of the two middle values when there is an even number of them. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/**
 * A table as text: the first column left-aligned, the others right-aligned, two spaces between.
 * `rule`: a line of dashes under the head.
 */
export function formatTable(head: readonly string[], rows: readonly (readonly string[])[], { rule = false } = {}): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(head), ...(rule ? [widths.map((w) => "-".repeat(w)).join("  ")] : []), ...rows.map(line)].join("\n");
}
