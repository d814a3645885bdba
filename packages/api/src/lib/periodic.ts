import type { Logger } from "./logger.ts";
import { jobFailures, jobRuns } from "./metrics.ts";
import { systemTimers, type Timers } from "./timers.ts";

interface PeriodicJob {
  start(): void;
  /** Stop scheduling and wait for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Run `fn` every `intervalMs` (never two runs of one job at once in this process); errors are logged, not thrown.
 * Runs and failures are counted by `name` (samakki_job_runs_total, samakki_job_failures_total).
 */
export function periodic(
  name: string,
  intervalMs: number,
  fn: () => Promise<unknown>,
  logger: Logger,
  timers: Timers = systemTimers,
): PeriodicJob {
  let timer: unknown;
  let running: Promise<void> | undefined;
  let stopped = true;
  const runs = jobRuns.labels(name);
  const failures = jobFailures.labels(name);
  // Exported as 0 from the start, so that a dashboard's increase() sees the first failure.
  failures.inc(0);
  const tick = () => {
    runs.inc();
    running = fn()
      .then(() => undefined)
      .catch((error: unknown) => {
        failures.inc();
        logger.error({ err: error, job: name }, "job failed");
      })
      .finally(() => {
        running = undefined;
        if (!stopped) timer = timers.setTimeout(tick, intervalMs);
      });
  };
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      timer = timers.setTimeout(tick, Math.min(intervalMs, 1000));
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      await running;
    },
  };
}
