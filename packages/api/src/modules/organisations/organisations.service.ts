import type { Organisation, OrganisationPerson } from "@samakki/shared/organisations";
import type { AppDeps, CurrentPerson } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { notify } from "../notifications/notifications.service.ts";

export async function getOrganisation(db: Executor, organisationId: string, viewerId: string): Promise<Organisation> {
  const row = await db.selectFrom("organisation").where("id", "=", organisationId).selectAll().executeTakeFirstOrThrow();
  const membership = await db
    .selectFrom("membership")
    .where("organisation_id", "=", organisationId)
    .where("person_id", "=", viewerId)
    .select("role")
    .executeTakeFirst();
  return {
    id: row.id,
    name: row.name,
    shortName: row.short_name,
    description: row.description,
    website: row.website,
    contactEmail: row.contact_email,
    createdAt: row.created_at.toISOString(),
    canAdminister: membership?.role === "admin",
  };
}

export async function updateOrganisation(
  deps: AppDeps,
  actor: CurrentPerson,
  organisationId: string,
  input: {
    name?: string | undefined;
    shortName?: string | undefined;
    description?: string | undefined;
    website?: string | undefined;
    contactEmail?: string | undefined;
  },
) {
  return withTransaction(deps.db, async (trx) => {
    const before = await getOrganisation(trx, organisationId, actor.id);
    await trx
      .updateTable("organisation")
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.shortName !== undefined ? { short_name: input.shortName || null } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.website !== undefined ? { website: input.website } : {}),
        ...(input.contactEmail !== undefined ? { contact_email: input.contactEmail } : {}),
      })
      .where("id", "=", organisationId)
      .execute();
    const after = await getOrganisation(trx, organisationId, actor.id);
    await recordAudit(trx, {
      actorId: actor.id,
      action: "organisation.update",
      targetType: "organisation",
      targetId: organisationId,
      before,
      after,
    });
    return after;
  });
}

export async function listPeople(db: Executor, organisationId: string): Promise<OrganisationPerson[]> {
  const rows = await db
    .selectFrom("membership as m")
    .innerJoin("person as p", "p.id", "m.person_id")
    .where("m.organisation_id", "=", organisationId)
    .select(["p.id", "p.display_name", "p.email", "m.role", "m.representative"])
    .orderBy("p.display_name")
    .execute();
  return rows.map((r) => ({ personId: r.id, displayName: r.display_name, email: r.email, role: r.role, representative: r.representative }));
}

/**
 * Lock the organisation's admin rows so that concurrent demotions and removals are decided one
 * after the other: two admins demoting each other at once cannot leave the organisation without one.
 */
async function lockAdmins(trx: Executor, organisationId: string, actorId: string) {
  const admins = await trx
    .selectFrom("membership")
    .where("organisation_id", "=", organisationId)
    .where("role", "=", "admin")
    .select("person_id")
    .forUpdate()
    .execute();
  if (!admins.some((a) => a.person_id === actorId)) throw new AppError("forbidden", "no longer an admin");
  return admins.map((a) => a.person_id);
}

export async function updatePerson(
  deps: AppDeps,
  actor: CurrentPerson,
  organisationId: string,
  personId: string,
  input: { role?: "admin" | "member" | undefined; representative?: boolean | undefined },
) {
  await withTransaction(deps.db, async (trx) => {
    const admins = await lockAdmins(trx, organisationId, actor.id);
    const current = await trx
      .selectFrom("membership")
      .where("organisation_id", "=", organisationId)
      .where("person_id", "=", personId)
      .select(["role", "representative"])
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound("person");
    if (current.role === "admin" && input.role === "member" && admins.length <= 1) throw new AppError("last_admin");
    const next = {
      role: input.role ?? current.role,
      // Admins are representatives by default when promoted.
      representative: input.representative ?? (input.role === "admin" && current.role !== "admin" ? true : current.representative),
    };
    if (next.role === current.role && next.representative === current.representative) return;
    await trx.updateTable("membership").set(next).where("organisation_id", "=", organisationId).where("person_id", "=", personId).execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "organisation.person_updated",
      targetType: "organisation",
      targetId: organisationId,
      before: { personId, ...current },
      after: { personId, ...next },
    });
    if (next.role !== current.role || next.representative !== current.representative) {
      const org = await trx.selectFrom("organisation").where("id", "=", organisationId).select("name").executeTakeFirstOrThrow();
      await notify(trx, [
        {
          personId,
          kind: "role_changed",
          messageKey: next.representative && !current.representative ? "notifications.representative_named" : "notifications.role_changed",
          params: { organisation: org.name, role: next.role },
          link: `/organisations/${organisationId}`,
        },
      ]);
    }
  });
}

export async function removePerson(deps: AppDeps, actor: CurrentPerson, organisationId: string, personId: string) {
  await withTransaction(deps.db, async (trx) => {
    const admins = await lockAdmins(trx, organisationId, actor.id);
    const current = await trx
      .selectFrom("membership")
      .where("organisation_id", "=", organisationId)
      .where("person_id", "=", personId)
      .select(["role", "representative"])
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound("person");
    if (current.role === "admin" && admins.length <= 1) throw new AppError("last_admin");
    await trx.deleteFrom("membership").where("organisation_id", "=", organisationId).where("person_id", "=", personId).execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "organisation.person_removed",
      targetType: "organisation",
      targetId: organisationId,
      before: { personId, ...current },
    });
  });
}
