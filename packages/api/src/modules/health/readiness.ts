import type { AppDeps } from "../../lib/context.ts";

/** A database that does not answer within this time counts as unreachable: /readyz must answer promptly. */
export const READY_TIMEOUT_MS = 2000;
/** /healthz fails once readiness has failed continuously this long, so a supervisor restarts a wedged process. */
export const LIVENESS_GRACE_MS = 30_000;
/** /healthz starts a readiness check when the latest one is older than this. */
export const LIVENESS_REFRESH_MS = 1000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  // A ping that settles after the timeout must not surface as an unhandled rejection.
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

type ReadinessResult = { ok: true } | { ok: false; error: unknown };

/**
 * The outcome of the latest readiness checks of one app: since when they have failed without
 * interruption. `now` is the clock (tests replace it rather than wait 30 s).
 */
class ReadinessMonitor {
  now: () => number = Date.now;
  /** When the current run of failed checks began; undefined while the last check succeeded. */
  failingSince: number | undefined;
  /** When the latest failed check of the current run settled. */
  private lastFailureAt: number | undefined;
  private running: Promise<ReadinessResult> | undefined;

  constructor(private readonly ping: () => Promise<void>) {}

  /** When the latest check settled (by `now`). */
  private checkedAt: number | undefined;

  /**
   * A check unless one is running or one settled less than `maxAgeMs` ago: /healthz keeps the
   * record current without a database round trip (and a timer) on every request.
   */
  refresh(maxAgeMs: number): void {
    if (this.running || (this.checkedAt !== undefined && this.now() - this.checkedAt < maxAgeMs)) return;
    void this.check();
  }

  /** Ping the database (bounded by READY_TIMEOUT_MS); concurrent callers share one ping. */
  check(): Promise<ReadinessResult> {
    this.running ??= withTimeout(this.ping(), READY_TIMEOUT_MS)
      .then((): ReadinessResult => {
        this.failingSince = undefined;
        this.lastFailureAt = undefined;
        return { ok: true };
      })
      .catch((error: unknown): ReadinessResult => {
        this.failingSince ??= this.now();
        this.lastFailureAt = this.now();
        return { ok: false, error };
      })
      .finally(() => {
        this.running = undefined;
        this.checkedAt = this.now();
      });
    return this.running;
  }

  /**
   * Whether readiness has failed continuously for LIVENESS_GRACE_MS or more: checks that failed
   * from the first to the latest over that span. Not the time since the first failure: one failed
   * check, then none for 30 s while the database came back, once made /healthz fail with the
   * database healthy (the check /healthz starts then answers the next probe).
   */
  wedged(): boolean {
    return (
      this.failingSince !== undefined && this.lastFailureAt !== undefined && this.lastFailureAt - this.failingSince >= LIVENESS_GRACE_MS
    );
  }
}

const monitors = new WeakMap<AppDeps, ReadinessMonitor>();

/** The readiness monitor of the app built over these dependencies (one per app). */
export function readinessMonitor(deps: AppDeps): ReadinessMonitor {
  let monitor = monitors.get(deps);
  if (!monitor) {
    monitor = new ReadinessMonitor(() => deps.ping());
    monitors.set(deps, monitor);
  }
  return monitor;
}
