import type { Migration, MigrationProvider } from "kysely/migration";
import * as foundation from "./20261128T120000Z-foundation.ts";
import * as campaignsAndTasks from "./20261128T150000Z-campaigns-and-tasks.ts";

/** Every migration, in order. Append only; never edit a migration that has landed. */
const migrations: Record<string, Migration> = {
  "20261128T120000Z-foundation": foundation,
  "20261128T150000Z-campaigns-and-tasks": campaignsAndTasks,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
