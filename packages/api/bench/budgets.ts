/**
 * Samakki's performance budgets, in one place: every benchmark prints its figures against these
 * and says which are over. A budget changes here, in a commit that says why.
 *
 * Ratios compare the app with the bare node:http + postgres.js handlers doing the same database
 * work in the same run (bench/request-path.ts, bench/loadtest.ts), so they hold on any machine.
 * The latencies are those of a 2-core machine that the app, PostgreSQL and the load generator share.
 *
 * A benchmark never fails on a figure by default: timings move with the machine's other load.
 * BENCH_ENFORCE=1 makes it exit with status 3 when a figure is over its budget, for a performance
 * job on known hardware.
 */
export const BUDGETS = {
  /** /healthz requests per second against a bare node:http server sending the same headers: at least. */
  healthzThroughput: 0.8,
  /** An authenticated read's requests per second against its bare handler: at least. */
  readThroughput: 0.9,
  /** Node CPU per request against the bare handler's: at most. */
  cpuPerRequest: 1.2,
  /** /healthz's CPU per request against the bare server's: at most. Derived from its throughput budget,
   * since a CPU-bound server at 0.8× the requests spends 1/0.8 the CPU on each. */
  healthzCpuPerRequest: 1 / 0.8,
  /** p95 latency in ms at 50 concurrent clients (`pnpm loadtest`): at most. */
  writeP95Ms: { status: 200, ballot: 300 } as Record<string, number>,
  /** Two instances on one PostgreSQL against one, in requests per second: at least. */
  twoInstances: 1.7,
  /** Latency (p50, or a plan's execution time) at 10× the data against 1×: at most. */
  growthAt10x: 1.3,
  /** Event-loop delay p99 in ms under 50 concurrent clients (`pnpm bench`): at most. */
  eventLoopP99Ms: 200,
} as const;

interface Verdict {
  what: string;
  shown: string;
  within: boolean;
}

const ratio = (value: number) => `${value.toFixed(2)}×`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** The figures of one benchmark run against their budgets. */
export class BudgetReport {
  readonly #verdicts: Verdict[] = [];

  /** `value` must be at least `limit` (a throughput ratio). */
  atLeast(what: string, value: number, limit: number, format: (n: number) => string = ratio): void {
    this.#add(what, value, value >= limit, `${format(value)} (budget: at least ${format(limit)})`);
  }

  /** `value` must be at most `limit` (a latency, a CPU ratio, a growth). */
  atMost(what: string, value: number, limit: number, format: (n: number) => string = ratio): void {
    this.#add(what, value, value <= limit, `${format(value)} (budget: at most ${format(limit)})`);
  }

  /** The same, for a latency in milliseconds. */
  msAtMost(what: string, value: number, limit: number): void {
    this.atMost(what, value, limit, ms);
  }

  get over(): number {
    return this.#verdicts.filter((v) => !v.within).length;
  }

  /** One line per figure, then the count over; with BENCH_ENFORCE=1, exit 3 when any is over. */
  print(): void {
    if (this.#verdicts.length === 0) return;
    const width = Math.max(...this.#verdicts.map((v) => v.what.length));
    console.log("\nBudgets (bench/budgets.ts):");
    for (const v of this.#verdicts) console.log(`  ${v.within ? "within" : "OVER  "}  ${v.what.padEnd(width)}  ${v.shown}`);
    console.log(`${this.#verdicts.length - this.over} of ${this.#verdicts.length} within budget.`);
    if (this.over > 0 && process.env.BENCH_ENFORCE === "1") {
      console.error(`${this.over} figure(s) over budget, BENCH_ENFORCE=1: exit 3.`);
      process.exitCode = 3;
    }
  }

  #add(what: string, value: number, within: boolean, shown: string): void {
    // A figure that could not be measured (NaN) is never within its budget.
    this.#verdicts.push({ what, shown, within: within && Number.isFinite(value) });
  }
}
