import type { AppDeps } from "../../lib/context.ts";
import { withTransaction } from "../../lib/transaction.ts";
import { loadDemoContent } from "./content.ts";
import { loadDemoPeople } from "./people.ts";

/**
 * Load the whole demo coalition in one transaction: its people (people.ts), then its campaign,
 * march, tasks and statements through the services (content.ts). Either all of it lands or none.
 */
export async function loadDemo(deps: AppDeps, options: { slug: string; email: (local: string) => string; passwordHash: string }) {
  return withTransaction(deps.db, async (trx) => {
    const people = await loadDemoPeople(trx, options);
    const content = await loadDemoContent({ ...deps, db: trx }, people);
    return { ...people, ...content };
  });
}
