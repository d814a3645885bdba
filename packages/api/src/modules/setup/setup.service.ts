import type { SetupInput } from "@samakki/shared/auth";
import type { AppDeps } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { slugify } from "../../lib/slug.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { sendEmailVerification } from "../auth/email-links.service.ts";
import { assertStrongPassword } from "../auth/passwords.ts";
import { createSession } from "../auth/sessions.service.ts";
import { insertInstanceLog, insertOperator } from "../operators/operators.repository.ts";
import { insertOrganisation } from "../organisations/organisations.repository.ts";
import * as repo from "./setup.repository.ts";

export async function isSetupNeeded(db: Executor): Promise<boolean> {
  return !(await repo.anyCoalition(db));
}

/**
 * First run: the first coalition, its first organisation, and the person who sets it up as
 * coordinator, organisation admin and first instance operator. Refused once any coalition exists, even under a race.
 */
export async function runSetup(deps: AppDeps, input: SetupInput, userAgent = "") {
  assertStrongPassword(input.password);
  const passwordHash = await deps.passwords.hash(input.password);
  return withTransaction(deps.db, async (trx) => {
    await repo.lockCoalitions(trx);
    if (!(await isSetupNeeded(trx))) throw new AppError("setup_already_done");
    if (await repo.emailTaken(trx, input.email))
      throw new AppError("email_taken", "email taken", { fieldErrors: [{ path: "email", message: "taken" }] });

    const coalition = await repo.insertCoalition(trx, {
      name: input.coalitionName,
      slug: slugify(input.coalitionName),
      timeZone: input.timeZone,
    });
    const organisation = await insertOrganisation(trx, {
      name: input.organisationName,
      shortName: input.organisationShortName || null,
      contactEmail: input.email,
    });
    await repo.insertActiveMember(trx, coalition.id, organisation.id);
    const person = await repo.insertPerson(trx, {
      email: input.email,
      displayName: input.displayName,
      language: input.language,
      passwordHash,
    });
    await repo.insertAdmin(trx, organisation.id, person.id);
    await repo.insertCoordinator(trx, coalition.id, person.id);
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
