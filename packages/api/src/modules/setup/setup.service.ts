import type { SetupInput } from "@samakki/shared/auth";
import { sql } from "kysely";
import type { AppDeps } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { slugify } from "../../lib/slug.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { sendEmailVerification } from "../auth/email-links.service.ts";
import { assertStrongPassword } from "../auth/passwords.ts";
import { createSession } from "../auth/sessions.service.ts";
import { insertInstanceLog, insertOperator } from "../operators/operators.repository.ts";

export async function isSetupNeeded(db: Executor): Promise<boolean> {
  const row = await db.selectFrom("coalition").select("id").limit(1).executeTakeFirst();
  return !row;
}

/**
 * First run: the first coalition, its first organisation, and the person who sets it up as
 * coordinator, organisation admin and first instance operator. Refused once any coalition exists, even under a race.
 */
export async function runSetup(deps: AppDeps, input: SetupInput, userAgent = "") {
  assertStrongPassword(input.password);
  const passwordHash = await deps.passwords.hash(input.password);
  return withTransaction(deps.db, async (trx) => {
    await sql`LOCK TABLE coalition IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
    if (!(await isSetupNeeded(trx))) throw new AppError("setup_already_done");
    const taken = await trx.selectFrom("person").where("email", "=", input.email).select("id").executeTakeFirst();
    if (taken) throw new AppError("email_taken", "email taken", { fieldErrors: [{ path: "email", message: "taken" }] });

    const coalition = await trx
      .insertInto("coalition")
      .values({ name: input.coalitionName, slug: slugify(input.coalitionName), time_zone: input.timeZone })
      .returning(["id", "name", "slug"])
      .executeTakeFirstOrThrow();
    const organisation = await trx
      .insertInto("organisation")
      .values({ name: input.organisationName, short_name: input.organisationShortName || null, contact_email: input.email })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("coalition_member")
      .values({ coalition_id: coalition.id, organisation_id: organisation.id, status: "active" })
      .execute();
    const person = await trx
      .insertInto("person")
      .values({
        email: input.email,
        display_name: input.displayName,
        language: input.language,
        password_hash: passwordHash,
        email_verified_at: null,
        disabled_at: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("membership")
      .values({ organisation_id: organisation.id, person_id: person.id, role: "admin", representative: true })
      .execute();
    await trx.insertInto("coordinator").values({ coalition_id: coalition.id, person_id: person.id }).execute();
    // Whoever sets the instance up runs it: the first instance operator (more with `pnpm --filter @samakki/api operator add`).
    await insertOperator(trx, person.id, null);
    await insertInstanceLog(trx, {
      action: "operator.granted",
      actorId: null,
      coalitionId: null,
      detail: { personId: person.id, by: "setup" },
    });
    await recordAudit(trx, {
      coalitionId: coalition.id,
      actorId: person.id,
      action: "coalition.setup",
      targetType: "coalition",
      targetId: coalition.id,
      after: { coalition: coalition.name, organisationId: organisation.id, coordinatorId: person.id },
    });
    await sendEmailVerification(deps, trx, person.id, input.email, input.language);
    const session = await createSession(trx, deps.config, person.id, userAgent);
    return { coalition, organisationId: organisation.id, personId: person.id, session };
  });
}
