import { sql } from "kysely";
import type { AppDeps } from "../src/lib/context.ts";

/**
 * Move the database clock `app_now()` of this test file's database by `ms` from the real time
 * (0 puts it back). The vote rules read it, so a test crosses a closing time without waiting.
 */
export async function setDatabaseClockOffset(db: AppDeps["db"], ms: number): Promise<void> {
  await sql`UPDATE app_clock SET offset_ms = ${Math.round(ms)} WHERE singleton`.execute(db);
}
