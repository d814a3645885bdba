import type { Context } from "hono";
import type { AppDeps, AppEnv, CoalitionAccess, CurrentPerson } from "./context.ts";
import { AppError } from "./errors.ts";

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
