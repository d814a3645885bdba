import type { Campaign, CampaignStatus, CampaignSummary, CreateCampaignInput, UpdateCampaignInput } from "@samakki/shared/campaigns";
import type { Language } from "@samakki/shared/i18n/index";
import { localName, type SecondName, secondNameOf } from "@samakki/shared/names";
import * as paths from "@samakki/shared/paths";
import type { z } from "zod";
import { uniqueViolation } from "../../db/errors.ts";
import { encodeCursor, type KeysetCursor } from "../../lib/cursor.ts";
import { AppError, validationFailed } from "../../lib/errors.ts";
import { requireMatch } from "../../lib/if-match.ts";
import { renderMarkdown } from "../../lib/markdown.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { slugify } from "../../lib/slug.ts";
import { isoTime } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { notify } from "../notifications/notifications.service.ts";
import { canEditCampaign, loadCampaign, requireCampaignEditor } from "./campaigns.access.ts";
import * as repo from "./campaigns.repository.ts";

/** The service context of coalition-scoped calls (see lib/service-context.ts). */
export type Ctx = CoalitionCtx;

const CAMPAIGN_SLUG_KEY = "campaign_coalition_slug_key";
type OrgRow = Awaited<ReturnType<typeof repo.campaignOrganisations>>[number];
const orgRef = (o: OrgRow) => ({
  id: o.id,
  name: o.name,
  shortName: o.short_name,
  secondName: secondNameOf(o.second_name, o.second_name_language),
});

export async function listCampaigns(
  ctx: Ctx,
  query: {
    status?: CampaignStatus | undefined;
    organisationId?: string | undefined;
    q?: string | undefined;
    cursor?: KeysetCursor | undefined;
    limit: number;
  },
) {
  const { cursor } = query;
  const rows = await repo.listCampaigns(ctx.deps.db, ctx.access.coalitionId, {
    ...query,
    cursor: cursor ? { updatedAt: cursor.at, id: cursor.id } : undefined,
  });
  const page = rows.slice(0, query.limit);
  const orgs = await repo.campaignOrganisations(
    ctx.deps.db,
    page.map((c) => c.id),
  );
  // Grouped once: filtering every organisation row for every campaign grows with their product.
  const ownersOf = new Map<string, ReturnType<typeof orgRef>[]>();
  for (const o of orgs) {
    if (o.role !== "owner") continue;
    const owners = ownersOf.get(o.campaign_id);
    if (owners) owners.push(orgRef(o));
    else ownersOf.set(o.campaign_id, [orgRef(o)]);
  }
  const items: CampaignSummary[] = page.map((c) => ({
    id: c.id,
    slug: c.slug,
    title: c.title,
    secondTitle: secondNameOf(c.second_title, c.second_title_language),
    summary: c.summary,
    status: c.status,
    visibility: c.visibility,
    startsOn: c.starts_on,
    endsOn: c.ends_on,
    owners: ownersOf.get(c.id) ?? [],
    updatedAt: isoTime(c.updated_at),
  }));
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.updated_at, last.id) : null };
}

export async function getCampaign(ctx: Ctx, campaignId: string): Promise<Campaign> {
  const { db } = ctx.deps;
  const c = await loadCampaign(db, ctx.access, campaignId);
  const [orgs, canEdit] = await Promise.all([repo.campaignOrganisations(db, [c.id]), canEditCampaign(db, ctx.access, c.id)]);
  return {
    id: c.id,
    coalitionId: c.coalition_id,
    slug: c.slug,
    title: c.title,
    secondTitle: secondNameOf(c.second_title, c.second_title_language),
    summary: c.summary,
    description: c.description,
    descriptionHtml: renderMarkdown(c.description),
    goals: c.goals,
    status: c.status,
    visibility: c.visibility,
    startsOn: c.starts_on,
    endsOn: c.ends_on,
    owners: orgs.filter((o) => o.role === "owner").map(orgRef),
    participants: orgs.filter((o) => o.role === "participant").map(orgRef),
    canEdit,
    createdAt: isoTime(c.created_at),
    updatedAt: isoTime(c.updated_at),
    revision: c.revision,
  };
}

async function assertMemberOrganisations(db: Executor, coalitionId: string, ids: string[], path: string) {
  const members = await repo.memberOrganisationIds(db, coalitionId, ids);
  const bad = ids.map((id, i) => ({ id, i })).filter(({ id }) => !members.has(id));
  if (bad.length > 0) throw validationFailed(bad.map(({ i }) => ({ path: `${path}.${i}`, message: "validation.not_member_organisation" })));
}

function assertDates(startsOn: string | null | undefined, endsOn: string | null | undefined) {
  if (startsOn && endsOn && endsOn < startsOn) throw validationFailed([{ path: "endsOn", message: "validation.before_start" }]);
}

export async function createCampaign(ctx: Ctx, input: CreateCampaignInput) {
  if (!ctx.access.isCoordinator) throw new AppError("forbidden", "coordinators only");
  assertDates(input.startsOn, input.endsOn);
  const owners = [...new Set(input.ownerOrganisationIds)];
  const participants = [...new Set(input.participantOrganisationIds)].filter((id) => !owners.includes(id));
  try {
    return await withTransaction(ctx.deps.db, async (trx) => {
      // Checked on the lists as sent, so the error paths point at the right entries.
      await assertMemberOrganisations(trx, ctx.access.coalitionId, input.ownerOrganisationIds, "ownerOrganisationIds");
      await assertMemberOrganisations(trx, ctx.access.coalitionId, input.participantOrganisationIds, "participantOrganisationIds");
      const campaign = await repo.insertCampaign(trx, {
        coalition_id: ctx.access.coalitionId,
        title: input.title,
        second_title: input.secondTitle?.name ?? null,
        second_title_language: input.secondTitle?.language ?? null,
        slug: input.slug ?? (await freeSlug(trx, ctx.access.coalitionId, slugify(input.title, `campaign-${Date.now().toString(36)}`))),
        summary: input.summary,
        description: input.description,
        goals: input.goals,
        status: input.status,
        visibility: input.visibility,
        starts_on: input.startsOn ?? null,
        ends_on: input.endsOn ?? null,
        created_by: ctx.person.id,
      });
      await repo.addCampaignOrganisations(trx, campaign.id, [
        ...owners.map((id) => ({ organisationId: id, role: "owner" as const })),
        ...participants.map((id) => ({ organisationId: id, role: "participant" as const })),
      ]);
      await recordAudit(trx, {
        coalitionId: ctx.access.coalitionId,
        actorId: ctx.person.id,
        action: "campaign.create",
        targetType: "campaign",
        targetId: campaign.id,
        after: { title: input.title, secondTitle: input.secondTitle ?? null, owners, participants },
      });
      await notifyNewOwners(trx, ctx, campaign.id, campaign, owners);
      return campaign;
    });
  } catch (error) {
    if (uniqueViolation(error) === CAMPAIGN_SLUG_KEY)
      throw new AppError("slug_taken", "slug taken", { fieldErrors: [{ path: "slug", message: "taken" }] });
    throw error;
  }
}

/**
 * A slug generated from the title must not clash with an existing one (the person did not choose
 * it, so a 409 would make no sense to them): the first free one of base, base-2, base-3, …
 */
async function freeSlug(trx: Executor, coalitionId: string, base: string): Promise<string> {
  const taken = new Set(await repo.slugsLike(trx, coalitionId, base));
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

type Titled = { title: string; second_title: string | null; second_title_language: Language | null };

/** Tell the admins of organisations newly added as co-owners, each with the campaign's title in their language. */
async function notifyNewOwners(trx: Executor, ctx: Ctx, campaignId: string, campaign: Titled, organisationIds: string[]) {
  if (organisationIds.length === 0) return;
  const admins = await repo.adminsOf(trx, organisationIds, ctx.person.id);
  const secondTitle = secondNameOf(campaign.second_title, campaign.second_title_language);
  await notify(
    trx,
    admins.map((a) => ({
      personId: a.person_id,
      coalitionId: ctx.access.coalitionId,
      kind: "campaign_co_owner",
      messageKey: "notifications.campaign_co_owner",
      params: { campaign: localName({ title: campaign.title, secondTitle }, a.language) },
      link: paths.campaign(ctx.access.coalitionId, campaignId),
    })),
  );
}

export async function updateCampaign(ctx: Ctx, campaignId: string, input: z.infer<typeof UpdateCampaignInput>, ifMatch?: string) {
  try {
    return await withTransaction(ctx.deps.db, async (trx) => {
      // Locked: of two edits based on the same revision, the second finds it moved on (lib/if-match.ts).
      const before = await requireCampaignEditor(trx, ctx.access, campaignId, true);
      requireMatch(ifMatch, before.revision);
      assertDates(
        input.startsOn === undefined ? before.starts_on : input.startsOn,
        input.endsOn === undefined ? before.ends_on : input.endsOn,
      );
      const changes = {
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.secondTitle !== undefined
          ? { second_title: input.secondTitle?.name ?? null, second_title_language: input.secondTitle?.language ?? null }
          : {}),
        ...(input.slug !== undefined ? { slug: input.slug } : {}),
        ...(input.summary !== undefined ? { summary: input.summary } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.goals !== undefined ? { goals: input.goals } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
        ...(input.startsOn !== undefined ? { starts_on: input.startsOn } : {}),
        ...(input.endsOn !== undefined ? { ends_on: input.endsOn } : {}),
      };
      await repo.updateCampaignRow(trx, campaignId, changes);
      // The title and the second title are audited together, before and after, like an organisation's names.
      const titles = (title: string, secondTitle: SecondName | null) => ({ title, secondTitle });
      const titlesBefore = titles(before.title, secondNameOf(before.second_title, before.second_title_language));
      const titlesAfter = titles(
        input.title ?? titlesBefore.title,
        input.secondTitle === undefined ? titlesBefore.secondTitle : input.secondTitle,
      );
      if (JSON.stringify(titlesBefore) !== JSON.stringify(titlesAfter)) {
        await recordAudit(trx, {
          coalitionId: ctx.access.coalitionId,
          actorId: ctx.person.id,
          action: "campaign.renamed",
          targetType: "campaign",
          targetId: campaignId,
          before: titlesBefore,
          after: titlesAfter,
        });
      }
      if (input.status !== undefined && input.status !== before.status) {
        await recordAudit(trx, {
          coalitionId: ctx.access.coalitionId,
          actorId: ctx.person.id,
          action: "campaign.status",
          targetType: "campaign",
          targetId: campaignId,
          before: { status: before.status },
          after: { status: input.status },
        });
      }
    });
  } catch (error) {
    if (uniqueViolation(error) === CAMPAIGN_SLUG_KEY)
      throw new AppError("slug_taken", "slug taken", { fieldErrors: [{ path: "slug", message: "taken" }] });
    throw error;
  }
}

/**
 * Replace the co-owners or the participants. Co-owners: at least one always remains; the
 * campaign row is locked so two concurrent removals cannot leave it without an owner.
 */
export async function setOrganisations(ctx: Ctx, campaignId: string, role: "owner" | "participant", organisationIds: string[]) {
  const wanted = [...new Set(organisationIds)];
  await withTransaction(ctx.deps.db, async (trx) => {
    const campaign = await requireCampaignEditor(trx, ctx.access, campaignId);
    await repo.lockCampaign(trx, campaignId);
    if (role === "owner" && wanted.length === 0)
      throw validationFailed([{ path: "organisationIds", message: "validation.at_least_one_owner" }]);
    await assertMemberOrganisations(trx, ctx.access.coalitionId, organisationIds, "organisationIds");
    const current = await repo.campaignRoles(trx, campaignId);
    if (role === "participant") {
      // A co-owner stays a co-owner: demoting one through the participant list would get around
      // "at least one co-owner remains" (remove it from the co-owners instead).
      const ownerSet = new Set(current.filter((r) => r.role === "owner").map((r) => r.organisation_id));
      const clashes = organisationIds.map((id, i) => ({ id, i })).filter(({ id }) => ownerSet.has(id));
      if (clashes.length > 0)
        throw validationFailed(clashes.map(({ i }) => ({ path: `organisationIds.${i}`, message: "validation.already_owner" })));
    }
    const currentIds = current.filter((r) => r.role === role).map((r) => r.organisation_id);
    const added = wanted.filter((id) => !currentIds.includes(id));
    const removed = currentIds.filter((id) => !wanted.includes(id));
    await repo.removeCampaignOrganisations(trx, campaignId, role, removed);
    await repo.addCampaignOrganisations(
      trx,
      campaignId,
      added.map((id) => ({ organisationId: id, role })),
    );
    await repo.touchCampaign(trx, campaignId);
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: `campaign.${role}s`,
      targetType: "campaign",
      targetId: campaignId,
      before: currentIds,
      after: wanted,
    });
    if (role === "owner") await notifyNewOwners(trx, ctx, campaignId, campaign, added);
  });
}
