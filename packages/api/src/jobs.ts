import type { AppDeps } from "./lib/context.ts";
import { periodic } from "./lib/periodic.ts";
import { systemTimers, type Timers } from "./lib/timers.ts";
import { processPasswordResetRequests } from "./modules/auth/email-links.service.ts";
import { pruneRateLimits } from "./modules/auth/rate-limit.ts";
import { pruneExpiredChallenges } from "./modules/auth/two-factor.service.ts";
import type { EmailTransport } from "./modules/email/email.types.ts";
import { createOutboxWorker } from "./modules/email/outbox.worker.ts";
import { devMailboxTransport } from "./modules/email/transports/dev-mailbox.ts";
import { resendTransport } from "./modules/email/transports/resend.ts";
import { pruneIdempotencyKeys } from "./modules/idempotency/idempotency.ts";
import { sendLetterFollowUps } from "./modules/letters/letters.follow-up.ts";
import { sendNotificationEmails } from "./modules/notifications/notifications.email.ts";
import { deleteDueCoalitions } from "./modules/operators/operators.service.ts";
import { pruneExpiredWebauthnChallenges } from "./modules/passkeys/passkeys.repository.ts";
import { purgeDuePetitions } from "./modules/petitions/petitions.service.ts";
import { pruneUsedPowChallenges } from "./modules/petitions/pow.repository.ts";
import { eraseSignupsAfterEvents } from "./modules/signups/signups.service.ts";
import { sendTaskReminders } from "./modules/tasks/tasks.reminders.ts";
import { closeDueVotes, remindClosingVotes } from "./modules/votes/votes.closing.ts";

/** The email transport the configuration asks for: Resend with a key, the dev mailbox without. */
export function emailTransport(deps: AppDeps): EmailTransport {
  return deps.devMailbox ? devMailboxTransport(deps.db) : resendTransport(deps.config.email);
}

/**
 * Start the background workers (outbox, …); returns a function that stops them and waits.
 * `timers` schedules the jobs (the process's own unless a test passes its clock).
 */
export function startBackgroundJobs(deps: AppDeps, options: { timers?: Timers } = {}): () => Promise<void> {
  const timers = options.timers ?? systemTimers;
  if (deps.devMailbox && deps.config.env === "production") {
    deps.logger.warn("RESEND_API_KEY is not set: emails are kept in the database and not delivered");
  }
  const outbox = createOutboxWorker({ db: deps.db, transport: emailTransport(deps), logger: deps.logger.child({ job: "outbox" }), timers });
  const log = deps.logger.child({ job: "scheduler" });
  const jobs = [
    periodic("votes.close", 5_000, () => closeDueVotes(deps), log, timers),
    periodic("votes.remind", 60_000, () => remindClosingVotes(deps), log, timers),
    periodic("tasks.remind", 60_000, () => sendTaskReminders(deps.db), log, timers),
    periodic("letters.follow-up", 60_000, () => sendLetterFollowUps(deps.db), log, timers),
    periodic("notifications.email", 5_000, () => sendNotificationEmails(deps.db, deps.config.publicUrl), log, timers),
    periodic("auth.password-reset", 1_000, () => processPasswordResetRequests(deps), log, timers),
    periodic("rate-limit.prune", 3_600_000, () => pruneRateLimits(deps.db), log, timers),
    periodic("two-factor.prune", 3_600_000, () => pruneExpiredChallenges(deps.db), log, timers),
    periodic("passkeys.prune", 3_600_000, () => pruneExpiredWebauthnChallenges(deps.db), log, timers),
    periodic("signups.erase", 3_600_000, () => eraseSignupsAfterEvents(deps), log, timers),
    periodic("petitions.purge", 60_000, () => purgeDuePetitions(deps.db), log, timers),
    periodic("petitions.pow-prune", 3_600_000, () => pruneUsedPowChallenges(deps.db), log, timers),
    periodic("coalitions.delete", 3_600_000, () => deleteDueCoalitions(deps), log, timers),
    periodic("idempotency.prune", 3_600_000, () => pruneIdempotencyKeys(deps.db), log, timers),
  ];
  outbox.start();
  for (const job of jobs) job.start();
  return async () => {
    await Promise.all([outbox.stop(), ...jobs.map((job) => job.stop())]);
  };
}
