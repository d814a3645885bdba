import type { Language } from "@samakki/shared/i18n/index";
import type { Context } from "hono";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import type { AppError } from "./errors.ts";
import type { Logger } from "./logger.ts";
import type { Tracing } from "./tracing.ts";

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** Everything the app needs from the outside world; tests build their own. */
export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  passwords: PasswordHasher;
  /** Whether emails go to the dev mailbox (no Resend key configured). */
  devMailbox: boolean;
  /** Checks the database is reachable, for /readyz. */
  ping(): Promise<void>;
  /** True once the process is shutting down (SIGTERM): /readyz answers 503 so traffic moves elsewhere. */
  isDraining?: () => boolean;
  /** The app's clock (default: the system clock). Tests move it instead of sleeping. */
  clock?: () => Date;
  /** OpenTelemetry, when OTEL_EXPORTER_OTLP_ENDPOINT is set (lib/tracing.ts). */
  tracing?: Tracing | undefined;
  /**
   * A page for an error a browser gets outside the API, or undefined for problem+json
   * (modules/public-site/error-page.tsx; problem.ts asks it first). Without it, every error is problem+json.
   */
  errorPage?: ((c: Context<AppEnv>, error: AppError) => Response | undefined) | undefined;
}

/** The current time by the app's clock. */
export function now(deps: Pick<AppDeps, "clock">): Date {
  return deps.clock ? deps.clock() : new Date();
}

export interface CurrentSession {
  id: string;
  publicId: string;
  personId: string;
  createdAt: Date;
  recentAuthAt: Date | null;
  /** Read with the session: must this person have a second factor (a coalition requires it), and do they. */
  twoFactor: { required: boolean; satisfied: boolean };
}

export interface CurrentPerson {
  id: string;
  email: string;
  displayName: string;
  language: Language;
  emailVerified: boolean;
}

export interface CoalitionAccess {
  coalitionId: string;
  timeZone: string;
  isCoordinator: boolean;
  /** The person's organisations that are active or observer members of the coalition. */
  organisationIds: string[];
}

/**
 * A person's access to a coalition, read with their session on a request to that coalition's
 * routes (sessions.service.ts). Only for that person and that coalition: the policy uses it when
 * both are the ones it checks, and asks the database otherwise. `access` is undefined when the
 * coalition does not exist.
 */
export interface PrefetchedAccess {
  personId: string;
  coalitionId: string;
  access: CoalitionAccess | undefined;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    requestId: string;
    lang: Language;
    session: CurrentSession | null;
    person: CurrentPerson | null;
    coalition: CoalitionAccess;
    prefetchedAccess: PrefetchedAccess | undefined;
  };
};
