import type { AppDeps } from "./lib/context.ts";

/** Start the background workers (outbox, …); returns a function that stops them and waits. */
export function startBackgroundJobs(_deps: AppDeps): () => Promise<void> {
  return async () => {};
}
