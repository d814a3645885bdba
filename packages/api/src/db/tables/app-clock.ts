import type { Generated } from "kysely";

/** The offset of the database clock `app_now()` from the real time (0 except in tests). */
export interface AppClockTable {
  singleton: Generated<boolean>;
  offset_ms: Generated<string>;
}
