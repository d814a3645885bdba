import { sql } from "kysely";
import type { AppDeps } from "../src/lib/context.ts";

/**
 * Move the database clock `app_now()` of this test file's database by `ms` from the real time
 * (0 puts it back). The vote rules read it, so a test crosses a closing time without waiting.
 */
export async function setDatabaseClockOffset(db: AppDeps["db"], ms: number): Promise<void> {
  await sql`UPDATE app_clock SET offset_ms = ${Math.round(ms)} WHERE singleton`.execute(db);
}

/**
 * Hold the app's JavaScript clock (`now(deps)`, which TOTP verification reads) at one instant, by
 * default the middle of the current 30-second TOTP step. A code drawn for that instant is then
 * accepted however long the test takes, instead of racing a step boundary on a busy machine.
 */
export function holdAppClock(deps: Pick<AppDeps, "clock">, at = new Date(Math.floor(Date.now() / 30_000) * 30_000 + 15_000)): Date {
  deps.clock = () => new Date(at);
  return at;
}
