import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { APP_METRIC_NAMES, METRIC_NAMES } from "../../packages/api/src/lib/metric-names.ts";
import { here } from "./kustomize.ts";

/** Issue 12, item 7: the Grafana dashboard queries only metrics the app exports, and shows every one of the app's own. */

type Target = { expr?: string };
type Panel = { type: string; title: string; targets?: Target[]; panels?: Panel[] };
const dashboard = JSON.parse(readFileSync(join(here, "../grafana/samakki.json"), "utf8")) as {
  uid: string;
  title: string;
  panels: Panel[];
};

const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== "row");
const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ""));

const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;
const PROMQL_WORDS = new Set(["sum", "by", "rate", "increase", "max", "histogram_quantile", "le", "route", "status", "outcome", "name"]);

/** The metric names an expression reads: identifiers followed by a selector, a range or the end, minus PromQL's own words. */
function metricsIn(expr: string): string[] {
  const withoutStrings = expr.replace(/"[^"]*"/g, '""');
  const names = [...withoutStrings.matchAll(/\b([a-zA-Z_:][\w:]*)\b(?=\s*(\{|\[|\)|$))/g)].map((m) => m[1] ?? "");
  return names.filter((n) => !PROMQL_WORDS.has(n) && !n.startsWith("$"));
}

/** The exported metric a series name belongs to (a histogram's _bucket/_sum/_count series belong to the histogram). */
function exported(series: string): boolean {
  return METRIC_NAMES.includes(series) || (HISTOGRAM_SERIES.test(series) && METRIC_NAMES.includes(series.replace(HISTOGRAM_SERIES, "")));
}

describe("infra/grafana/samakki.json", () => {
  it("is a dashboard with panels that all query something", () => {
    expect(dashboard.uid).toBe("samakki");
    expect(panels.length).toBeGreaterThan(5);
    for (const panel of panels) expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    expect(exprs.every((e) => e.length > 0)).toBe(true);
  });

  it("queries only metrics the app exports (packages/api/src/lib/metric-names.ts)", () => {
    const used = exprs.flatMap(metricsIn);
    expect(used.length).toBeGreaterThan(exprs.length - 1);
    expect(used.filter((name) => !exported(name))).toEqual([]);
  });

  it("shows every metric of the app's own", () => {
    const used = new Set(exprs.flatMap(metricsIn).map((n) => (METRIC_NAMES.includes(n) ? n : n.replace(HISTOGRAM_SERIES, ""))));
    expect(APP_METRIC_NAMES.filter((name) => !used.has(name))).toEqual([]);
  });

  it("reads the series of a histogram by its _bucket, _sum or _count, never by its bare name", () => {
    const histograms = ["samakki_http_request_duration_seconds", "samakki_db_query_duration_seconds"];
    expect(exprs.flatMap(metricsIn).filter((name) => histograms.includes(name))).toEqual([]);
  });
});
