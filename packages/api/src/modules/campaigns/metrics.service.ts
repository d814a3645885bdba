import type { Contribution, Metric } from "@samakki/shared/campaigns";
import { type SecondName, secondNameOf } from "@samakki/shared/names";
import { AppError, notFound } from "../../lib/errors.ts";
import { inOrder } from "../../lib/in-order.ts";
import { refuseFutureDate } from "../../lib/service-context.ts";
import { isoTime } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { deliveredLettersByOrganisation } from "../letters/letters.repository.ts";
import { organisationRef } from "../organisations/organisation-ref.ts";
import { loadCampaign, requireCampaignEditor } from "./campaigns.access.ts";
import { touchCampaign } from "./campaigns.repository.ts";
import type { Ctx } from "./campaigns.service.ts";
import * as repo from "./metrics.repository.ts";

/** Amounts are numeric(16,2); both drivers return them as strings. Sum in cents to stay exact. */
const toNumber = (value: string | number | null) => (value === null ? null : Number(value));

export async function listMetrics(ctx: Ctx, campaignId: string): Promise<Metric[]> {
  const { db } = ctx.deps;
  // The metrics are filtered by the coalition: read with the campaign, returned only once it is found.
  const [, metrics] = await inOrder([loadCampaign(db, ctx.access, campaignId), metricsOf(db, ctx.access.coalitionId, campaignId)]);
  return metrics;
}

async function metricsOf(db: Executor, coalitionId: string, campaignId: string, metricId?: string): Promise<Metric[]> {
  const metrics = await repo.metricRows(db, coalitionId, campaignId, metricId);
  if (metrics.length === 0) return [];
  // A 'letters' metric counts the delivered letters of the campaign's letter actions, per sending organisation.
  const [shares, delivered] = await Promise.all([
    repo.contributionShares(
      db,
      metrics.map((m) => m.id),
    ),
    metrics.some((m) => m.source === "letters") ? deliveredLettersByOrganisation(db, campaignId) : [],
  ]);
  const letters = delivered.map((r) => ({ ...r, metric_id: "", amount: r.amount }));
  return metrics.map((m) => {
    const own = m.source === "letters" ? letters : shares.filter((s) => s.metric_id === m.id);
    const total = own.reduce((sum, s) => sum + Math.round(Number(s.amount) * 100), 0) / 100;
    const target = toNumber(m.target);
    return {
      id: m.id,
      name: m.name,
      secondName: secondNameOf(m.second_name, m.second_name_language),
      unit: m.unit,
      secondUnit: m.second_unit,
      target,
      total,
      progress: target ? total / target : null,
      shares: own.map((s) => ({
        organisation: {
          id: s.id,
          name: s.name,
          shortName: s.short_name,
          secondName: secondNameOf(s.second_name, s.second_name_language),
        },
        amount: Number(s.amount),
      })),
      source: m.source,
    };
  });
}

export async function createMetric(
  ctx: Ctx,
  campaignId: string,
  input: {
    name: string;
    secondName?: SecondName | null | undefined;
    unit: string;
    secondUnit?: string | undefined;
    target?: number | null | undefined;
    source?: "typed" | "letters" | undefined;
  },
): Promise<Metric> {
  return withTransaction(ctx.deps.db, async (trx) => {
    await requireCampaignEditor(trx, ctx.access, campaignId);
    // The second unit goes with the second name (after the access check: others learn nothing).
    if (input.secondUnit && !input.secondName) throw secondUnitWithoutName();
    const row = await repo.insertMetric(trx, {
      campaign_id: campaignId,
      name: input.name,
      second_name: input.secondName?.name ?? null,
      second_name_language: input.secondName?.language ?? null,
      unit: input.unit,
      second_unit: input.secondUnit || null,
      target: input.target ?? null,
      source: input.source ?? "typed",
    });
    await touchCampaign(trx, campaignId);
    const [metric] = await metricsOf(trx, ctx.access.coalitionId, campaignId, row.id);
    if (!metric) throw notFound("metric");
    return metric;
  });
}

const secondUnitWithoutName = () =>
  new AppError("validation_failed", "a second unit needs a second name", {
    fieldErrors: [{ path: "secondUnit", message: "validation.second_unit_without_name" }],
  });

/** Rename a metric: the same people who may create one (the campaign's editors). */
export async function updateMetric(
  ctx: Ctx,
  campaignId: string,
  metricId: string,
  input: {
    name?: string | undefined;
    secondName?: SecondName | null | undefined;
    unit?: string | undefined;
    secondUnit?: string | undefined;
  },
): Promise<Metric> {
  return withTransaction(ctx.deps.db, async (trx) => {
    await requireCampaignEditor(trx, ctx.access, campaignId);
    const current = await repo.findMetric(trx, campaignId, metricId);
    if (!current) throw notFound("metric");
    // The second unit goes with the second name: it needs one, and goes when it is removed.
    const hasSecondName = input.secondName !== undefined ? input.secondName !== null : current.second_name !== null;
    if (input.secondUnit && !hasSecondName) throw secondUnitWithoutName();
    await repo.updateMetricNames(trx, campaignId, metricId, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.secondName !== undefined
        ? { second_name: input.secondName?.name ?? null, second_name_language: input.secondName?.language ?? null }
        : {}),
      ...(input.unit !== undefined ? { unit: input.unit } : {}),
      ...(!hasSecondName ? { second_unit: null } : input.secondUnit !== undefined ? { second_unit: input.secondUnit || null } : {}),
    });
    await touchCampaign(trx, campaignId);
    const [metric] = await metricsOf(trx, ctx.access.coalitionId, campaignId, metricId);
    if (!metric) throw notFound("metric");
    return metric;
  });
}

async function loadMetric(db: Executor, ctx: Ctx, campaignId: string, metricId: string) {
  await loadCampaign(db, ctx.access, campaignId);
  const metric = await repo.findMetric(db, campaignId, metricId);
  if (!metric) throw notFound("metric");
  return metric;
}

/**
 * An organisation involved in the campaign (co-owner or participant) reports a contribution,
 * through one of its own people. Each report is its own row, so concurrent reports never
 * overwrite each other and the total (a SUM) stays exact.
 */
export async function reportContribution(
  ctx: Ctx,
  campaignId: string,
  metricId: string,
  input: { organisationId: string; amount: number; date: string; note: string },
) {
  return withTransaction(ctx.deps.db, async (trx) => {
    const metric = await loadMetric(trx, ctx, campaignId, metricId);
    // A metric derived from the letters is counted, not typed.
    if (metric.source === "letters")
      throw new AppError("validation_failed", "derived metric", {
        fieldErrors: [{ path: "amount", message: "validation.metric_derived" }],
      });
    const involved = await repo.campaignInvolvement(trx, campaignId, input.organisationId);
    if (!involved)
      throw new AppError("validation_failed", "organisation not involved", {
        fieldErrors: [{ path: "organisationId", message: "validation.not_involved" }],
      });
    // Its own people report for an organisation; a coordinator may record on behalf of any involved one.
    if (!ctx.access.isCoordinator && !ctx.access.organisationIds.includes(input.organisationId))
      throw new AppError("forbidden", "report for your own organisation");
    refuseFutureDate(ctx, input.date, "date");
    const row = await repo.insertContribution(trx, {
      metric_id: metricId,
      organisation_id: input.organisationId,
      amount: input.amount,
      contributed_on: input.date,
      note: input.note,
      created_by: ctx.person.id,
    });
    await repo.insertContributionRevision(trx, {
      contribution_id: row.id,
      revision: 1,
      amount: input.amount,
      contributed_on: input.date,
      note: input.note,
      changed_by: ctx.person.id,
    });
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "metric.contribution",
      targetType: "metric",
      targetId: metric.id,
      after: {
        contributionId: row.id,
        organisationId: input.organisationId,
        amount: input.amount,
        ...(ctx.access.organisationIds.includes(input.organisationId) ? {} : { onBehalf: true }),
      },
    });
    return { id: row.id };
  });
}

/** Its organisation corrects a contribution; the earlier values stay in contribution_revision. */
export async function correctContribution(
  ctx: Ctx,
  campaignId: string,
  metricId: string,
  contributionId: string,
  input: { amount?: number | undefined; date?: string | undefined; note?: string | undefined },
) {
  await withTransaction(ctx.deps.db, async (trx) => {
    await loadMetric(trx, ctx, campaignId, metricId);
    const current = await repo.lockContribution(trx, metricId, contributionId);
    if (!current) throw notFound("contribution");
    if (!ctx.access.isCoordinator && !ctx.access.organisationIds.includes(current.organisation_id))
      throw new AppError("forbidden", "only its organisation or a coordinator corrects a contribution");
    refuseFutureDate(ctx, input.date, "date");
    const next = {
      amount: input.amount ?? Number(current.amount),
      contributed_on: input.date ?? current.contributed_on,
      note: input.note ?? current.note,
      revision: current.revision + 1,
    };
    await repo.updateContribution(trx, contributionId, next);
    await repo.insertContributionRevision(trx, {
      contribution_id: contributionId,
      revision: next.revision,
      amount: next.amount,
      contributed_on: next.contributed_on,
      note: next.note,
      changed_by: ctx.person.id,
    });
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "metric.contribution_corrected",
      targetType: "metric",
      targetId: metricId,
      before: { contributionId, amount: Number(current.amount), date: current.contributed_on },
      after: { contributionId, amount: next.amount, date: next.contributed_on },
    });
  });
}

export async function listContributions(ctx: Ctx, campaignId: string, metricId: string): Promise<Contribution[]> {
  const { db } = ctx.deps;
  // The contributions are filtered by the coalition: read with the metric, returned only once it is found.
  const [, rows] = await inOrder([loadMetric(db, ctx, campaignId, metricId), repo.contributionRows(db, ctx.access.coalitionId, metricId)]);
  return rows.map((r) => ({
    id: r.id,
    organisation: organisationRef(r.organisation_id, r),
    amount: Number(r.amount),
    date: r.contributed_on,
    note: r.note,
    createdAt: isoTime(r.created_at),
    corrected: r.revision > 1,
    recordedBy: { id: r.recorder_id, displayName: r.recorder_name, coordinator: Boolean(r.recorder_coordinates) },
  }));
}
