import type { Executor } from "../../lib/transaction.ts";

/** The server secret that signs device cookies (device.ts): made once per database, then read. */

export function insertSecretIfMissing(db: Executor, name: string, secret: string) {
  return db
    .insertInto("server_secret")
    .values({ name, secret })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
}

export async function readSecret(db: Executor, name: string) {
  return (await db.selectFrom("server_secret").where("name", "=", name).select("secret").executeTakeFirstOrThrow()).secret;
}
