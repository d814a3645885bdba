import type { Context } from "hono";
import { type AppDeps, type AppEnv, type CoalitionAccess, type CurrentPerson, now } from "./context.ts";
import { AppError } from "./errors.ts";
import { localDate } from "./time.ts";

/** What a coalition-scoped service call needs: the dependencies, who acts, and their access to the coalition. */
export interface CoalitionCtx {
  deps: AppDeps;
  person: CurrentPerson;
  access: CoalitionAccess;
}

/** Build the context inside a route guarded by policies.coalitionMember() or policies.coordinator(). */
export function coalitionCtx(c: Context<AppEnv>): CoalitionCtx {
  const person = c.get("person");
  if (!person) throw new AppError("unauthenticated");
  return { deps: c.get("deps"), person, access: c.get("coalition") };
}

/** The signed-in person, inside a route whose policy already required one. */
export function currentPerson(c: { get(key: "person"): CurrentPerson | null }): CurrentPerson {
  const person = c.get("person");
  if (!person) throw new AppError("unauthenticated");
  return person;
}

/**
 * Refuses a date after the coalition's today, as a field error on `path`: a letter sent, a
 * contribution made or a sheet counted is a record of something done. Undefined passes (not changed).
 */
export function refuseFutureDate(ctx: CoalitionCtx, date: string | undefined, path: string): void {
  if (date !== undefined && date > localDate(now(ctx.deps), ctx.access.timeZone))
    throw new AppError("validation_failed", "a date after today", { fieldErrors: [{ path, message: "validation.date_in_future" }] });
}
