import { type SecondName, secondNameOf } from "@samakki/shared/names";
import type { Organisation, OrganisationPerson } from "@samakki/shared/organisations";
import * as paths from "@samakki/shared/paths";
import type { AppDeps, CurrentPerson } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { isoTime } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { VISIBLE_STATUSES } from "../access/access.repository.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { notify } from "../notifications/notifications.service.ts";
import { endWatchesWithoutAccess } from "../tasks/tasks.repository.ts";
import * as repo from "./organisations.repository.ts";

/**
 * The key two organisation names are compared by: Unicode NFC, case-folded (upper then lower
 * case, so "ß" meets "SS"), invisible format characters (soft hyphen, zero-width spaces and
 * joiners, BOM) dropped and runs of white space collapsed, so no name can pass for another that
 * looks the same. Computed here rather than in SQL: the database's lower() depends on its locale
 * (ASCII only under the C locale PGlite uses).
 */
export function nameKey(name: string): string {
  return name
    .normalize("NFC")
    .replace(/[\u00AD\u200B-\u200F\u2060-\u2064\uFEFF]/g, "")
    .replace(/\s+/gu, " ")
    .trim()
    .toUpperCase()
    .toLowerCase()
    .normalize("NFC");
}

/**
 * Organisation names, short names and second names are unique within each coalition: no member
 * may take a name, short name or second name another member of one of its coalitions already uses
 * (as any of the three), so a second name cannot pass for another member either.
 * The rule spans the membership join, so no unique index can hold it; it is kept by locking the
 * coalition rows first (lockCoalitions) and only then reading the other members' names, inside the
 * caller's transaction. Every path that gives a coalition member a name (rename, invitation of a
 * new organisation) goes through here, so two of them for one coalition run one after the other,
 * and the second sees the first's committed name. Refuses with 409 organisation_name_taken and a
 * field error on each field that collides.
 */
export async function assertNamesFree(
  trx: Executor,
  input: {
    coalitionIds: string[];
    organisationId: string | null;
    name?: { value: string; path: string } | undefined;
    shortName?: { value: string; path: string } | undefined;
    secondName?: { value: string; path: string } | undefined;
  },
): Promise<void> {
  if (input.coalitionIds.length === 0) return;
  await repo.lockCoalitions(trx, input.coalitionIds);
  const candidates = [input.name, input.shortName, input.secondName].filter((c): c is { value: string; path: string } =>
    Boolean(c?.value.trim()),
  );
  if (candidates.length === 0) return;
  const others = await repo.otherMemberNames(trx, input.coalitionIds, input.organisationId);
  const taken = new Set(
    others.flatMap((o) => [o.name, o.short_name, o.second_name].filter((n): n is string => Boolean(n?.trim())).map(nameKey)),
  );
  const fieldErrors = candidates
    .filter((c) => taken.has(nameKey(c.value)))
    .map((c) => ({ path: c.path, message: "validation.organisation_name_taken" }));
  if (fieldErrors.length > 0) throw new AppError("organisation_name_taken", "name used by another member", { fieldErrors });
}

export async function getOrganisation(db: Executor, organisationId: string, viewerId: string): Promise<Organisation> {
  const [row, membership] = await Promise.all([
    repo.findOrganisation(db, organisationId),
    repo.findMembership(db, organisationId, viewerId),
  ]);
  return {
    id: row.id,
    name: row.name,
    shortName: row.short_name,
    secondName: secondNameOf(row.second_name, row.second_name_language),
    description: row.description,
    website: row.website,
    contactEmail: row.contact_email,
    createdAt: isoTime(row.created_at),
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
    secondName?: SecondName | null | undefined;
    description?: string | undefined;
    website?: string | undefined;
    contactEmail?: string | undefined;
  },
) {
  return withTransaction(deps.db, async (trx) => {
    const before = await getOrganisation(trx, organisationId, actor.id);
    const changed = (next: string | undefined, current: string | null) =>
      next !== undefined && nameKey(next) !== nameKey(current ?? "") ? next : undefined;
    const name = changed(input.name, before.name);
    const shortName = changed(input.shortName, before.shortName);
    const secondName = input.secondName ? changed(input.secondName.name, before.secondName?.name ?? null) : undefined;
    if (name !== undefined || shortName !== undefined || secondName !== undefined)
      await assertNamesFree(trx, {
        coalitionIds: await repo.coalitionsOf(trx, organisationId),
        organisationId,
        name: name === undefined ? undefined : { value: name, path: "name" },
        shortName: shortName === undefined ? undefined : { value: shortName, path: "shortName" },
        secondName: secondName === undefined ? undefined : { value: secondName, path: "secondName.name" },
      });
    await repo.updateOrganisationRow(trx, organisationId, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.shortName !== undefined ? { short_name: input.shortName || null } : {}),
      ...(input.secondName !== undefined
        ? { second_name: input.secondName?.name ?? null, second_name_language: input.secondName?.language ?? null }
        : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.website !== undefined ? { website: input.website } : {}),
      ...(input.contactEmail !== undefined ? { contact_email: input.contactEmail } : {}),
    });
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

/**
 * What the viewer may see of an organisation's people (docs/security.md §19: members see other
 * organisations' people by name and role, not their email addresses):
 * - "contacts" (names, roles and addresses): its own people, and coordinators of a coalition it is
 *   an active, observer or suspended member of;
 * - "names": people who see a coalition where it is an active or observer member;
 * - nothing: people of a suspended or departed organisation are not listed to other members.
 */
async function peopleVisibility(db: Executor, organisationId: string, viewerId: string): Promise<"contacts" | "names" | null> {
  // Both at once: one wait for the database instead of two for a viewer from another organisation.
  const [membership, statuses] = await Promise.all([
    repo.findMembership(db, organisationId, viewerId),
    repo.visibleMemberships(db, organisationId, viewerId),
  ]);
  if (membership) return "contacts";
  if (statuses.some((r) => r.coordinates && ["active", "observer", "suspended"].includes(r.status))) return "contacts";
  if (statuses.some((r) => (VISIBLE_STATUSES as readonly string[]).includes(r.status))) return "names";
  return null;
}

export async function listPeople(db: Executor, organisationId: string, viewerId: string): Promise<OrganisationPerson[]> {
  // The list is read alongside the viewer's visibility, and only returned when they may see it.
  const [visibility, rows] = await Promise.all([peopleVisibility(db, organisationId, viewerId), repo.peopleOf(db, organisationId)]);
  if (!visibility) throw notFound("organisation");
  return rows.map((r) => ({
    personId: r.id,
    displayName: r.display_name,
    email: visibility === "contacts" ? r.email : null,
    role: r.role,
    representative: r.representative,
  }));
}

/**
 * Lock the organisation's admin rows so that concurrent demotions and removals are decided one
 * after the other: two admins demoting each other at once cannot leave the organisation without one.
 */
async function lockAdmins(trx: Executor, organisationId: string, actorId: string) {
  const admins = await repo.lockAdminRows(trx, organisationId);
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
    const current = await repo.lockMembership(trx, organisationId, personId);
    if (!current) throw notFound("person");
    if (current.role === "admin" && input.role === "member" && admins.length <= 1) throw new AppError("last_admin");
    const next = {
      role: input.role ?? current.role,
      // Admins are representatives by default when promoted.
      representative: input.representative ?? (input.role === "admin" && current.role !== "admin" ? true : current.representative),
    };
    if (next.role === current.role && next.representative === current.representative) return;
    await repo.updateMembership(trx, organisationId, personId, next);
    await recordAudit(trx, {
      actorId: actor.id,
      action: "organisation.person_updated",
      targetType: "organisation",
      targetId: organisationId,
      before: { personId, ...current },
      after: { personId, ...next },
    });
    // Something changed (an unchanged membership returned above): the person is told.
    const org = await repo.findOrganisation(trx, organisationId);
    await notify(trx, [
      {
        personId,
        kind: "role_changed",
        messageKey: next.representative && !current.representative ? "notifications.representative_named" : "notifications.role_changed",
        params: { organisation: org.name, role: next.role },
        link: paths.organisation(organisationId),
      },
    ]);
  });
}

export async function removePerson(deps: AppDeps, actor: CurrentPerson, organisationId: string, personId: string) {
  await withTransaction(deps.db, async (trx) => {
    const admins = await lockAdmins(trx, organisationId, actor.id);
    const current = await repo.lockMembership(trx, organisationId, personId);
    if (!current) throw notFound("person");
    if (current.role === "admin" && admins.length <= 1) throw new AppError("last_admin");
    await repo.deleteMembership(trx, organisationId, personId);
    // Watches end with access: tasks of coalitions the person no longer sees through another organisation.
    await endWatchesWithoutAccess(trx, [personId]);
    await recordAudit(trx, {
      actorId: actor.id,
      action: "organisation.person_removed",
      targetType: "organisation",
      targetId: organisationId,
      before: { personId, ...current },
    });
  });
}
