import type { AppDeps } from "./lib/context.ts";
import { createOutboxWorker } from "./modules/email/outbox.worker.ts";
import { devMailboxTransport } from "./modules/email/transports/dev-mailbox.ts";
import { resendTransport } from "./modules/email/transports/resend.ts";
import type { EmailTransport } from "./modules/email/email.types.ts";

/** The email transport the configuration asks for: Resend with a key, the dev mailbox without. */
export function emailTransport(deps: AppDeps): EmailTransport {
  return deps.devMailbox ? devMailboxTransport(deps.db) : resendTransport(deps.config.email);
}

/** Start the background workers (outbox, …); returns a function that stops them and waits. */
export function startBackgroundJobs(deps: AppDeps): () => Promise<void> {
  if (deps.devMailbox && deps.config.env === "production") {
    deps.logger.warn("RESEND_API_KEY is not set: emails are kept in the database and not delivered");
  }
  const outbox = createOutboxWorker({ db: deps.db, transport: emailTransport(deps), logger: deps.logger.child({ job: "outbox" }) });
  outbox.start();
  return async () => {
    await outbox.stop();
  };
}
