import { afterEach, describe, expect, it, vi } from "vitest";
import { BUDGETS, BudgetReport } from "../bench/budgets.ts";

describe("benchmark budgets (bench/budgets.ts)", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  const printed = () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
    return lines;
  };

  it("names each figure within or over its budget, at its limit included", () => {
    const lines = printed();
    const report = new BudgetReport();
    report.atLeast("list: requests/s app/bare", 0.9, BUDGETS.readThroughput);
    report.atLeast("healthz: requests/s app/bare", 0.46, BUDGETS.healthzThroughput);
    report.atMost("list: CPU/request app/bare", 1.51, BUDGETS.cpuPerRequest);
    report.msAtMost("ballot: p95", 76.1, 300);
    report.print();
    expect(report.over).toBe(2);
    const text = lines.join("\n");
    expect(text).toMatch(/within\s+list: requests\/s app\/bare\s+0\.90× \(budget: at least 0\.90×\)/);
    expect(text).toMatch(/OVER\s+healthz: requests\/s app\/bare\s+0\.46× \(budget: at least 0\.80×\)/);
    expect(text).toMatch(/OVER\s+list: CPU\/request app\/bare\s+1\.51× \(budget: at most 1\.20×\)/);
    expect(text).toMatch(/within\s+ballot: p95\s+76\.1 ms \(budget: at most 300\.0 ms\)/);
    expect(text).toContain("2 of 4 within budget.");
    expect(process.exitCode).toBeUndefined();
  });

  it("counts a figure that could not be measured as over", () => {
    printed();
    const report = new BudgetReport();
    report.atMost("statement: CPU/request app/bare", Number.NaN, BUDGETS.cpuPerRequest);
    report.atLeast("statement: requests/s app/bare", Number.NaN, BUDGETS.readThroughput);
    expect(report.over).toBe(2);
  });

  it("exits 3 under BENCH_ENFORCE=1 when a figure is over, and not when all are within", () => {
    printed();
    vi.stubEnv("BENCH_ENFORCE", "1");
    const within = new BudgetReport();
    within.msAtMost("status: p95", 150, BUDGETS.writeP95Ms.status ?? 0);
    within.print();
    expect(process.exitCode).toBeUndefined();
    const over = new BudgetReport();
    over.msAtMost("status: p95", 250, BUDGETS.writeP95Ms.status ?? 0);
    over.print();
    expect(process.exitCode).toBe(3);
  });
});
