import * as paths from "@samakki/shared/paths";
import type {
  CreateStatementInput,
  Statement,
  StatementComment,
  StatementStatus,
  StatementSummary,
  StatementVersion,
} from "@samakki/shared/statements";
import { encodeCursor, type KeysetCursor } from "../../lib/cursor.ts";
import { AppError, notFound, validationFailed } from "../../lib/errors.ts";
import { requireMatch } from "../../lib/if-match.ts";
import { renderMarkdown } from "../../lib/markdown.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { isoOrNull, isoTime } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { loadCampaign } from "../campaigns/campaigns.access.ts";
import { notify } from "../notifications/notifications.service.ts";
import { coalitionPeople, lockStatement } from "../statement-lookups/statement-lookups.repository.ts";
import { getVoteInfo } from "../votes/votes.read.ts";
import { publishedSignatories } from "./public.service.ts";
import { publicationHash, textHash, wordDiff } from "./statement-text.ts";
import * as repo from "./statements.repository.ts";

/** Text can change while a statement is a draft, or after a vote that did not adopt it (which makes it a draft again). */
const EDITABLE = new Set(["draft", "rejected", "no_quorum"]);

/**
 * The author id of a version whose author's account was erased (statement_version.author_id is
 * ON DELETE SET NULL, so the version and its hash stay): the nil UUID, which no person has, with an
 * empty display name. The response schema wants an id, and this one points at nobody.
 */
const ERASED_AUTHOR_ID = "00000000-0000-0000-0000-000000000000";

type VersionRow = Awaited<ReturnType<typeof repo.versionsOf>>[number];

const versionOut = (v: VersionRow): StatementVersion => ({
  id: v.id,
  number: v.number,
  title: v.title,
  bodyEn: v.body_en,
  bodyKm: v.body_km,
  bodyEnHtml: renderMarkdown(v.body_en),
  bodyKmHtml: renderMarkdown(v.body_km),
  sha256: v.sha256,
  author: { id: v.author_id ?? ERASED_AUTHOR_ID, displayName: v.display_name ?? "" },
  createdAt: isoTime(v.created_at),
});

async function loadStatement(db: Executor, ctx: CoalitionCtx, statementId: string) {
  const statement = await repo.findStatement(db, ctx.access.coalitionId, statementId);
  if (!statement) throw notFound("statement");
  return statement;
}

function canEdit(ctx: CoalitionCtx, statement: { created_by: string | null }) {
  return ctx.access.isCoordinator || statement.created_by === ctx.person.id;
}

export async function listStatements(
  ctx: CoalitionCtx,
  query: { status?: StatementStatus | undefined; cursor?: KeysetCursor | undefined; limit: number },
) {
  const rows = await repo.listStatements(ctx.deps.db, ctx.access.coalitionId, {
    status: query.status,
    cursor: query.cursor,
    limit: query.limit,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const items: StatementSummary[] = page.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    campaignId: r.campaign_id,
    versionCount: Number(r.version_count ?? 0),
    updatedAt: isoTime(r.updated_at),
    publishedAt: isoOrNull(r.published_at),
  }));
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.updated_at, last.id) : null };
}

/** Any member proposes a draft; its first version is version 1. */
export async function createStatement(ctx: CoalitionCtx, input: CreateStatementInput) {
  return withTransaction(ctx.deps.db, async (trx) => {
    if (input.campaignId) {
      await loadCampaign(trx, ctx.access, input.campaignId).catch(() => {
        throw validationFailed([{ path: "campaignId", message: "validation.unknown_campaign" }]);
      });
    }
    const statement = await repo.insertStatement(trx, {
      coalition_id: ctx.access.coalitionId,
      campaign_id: input.campaignId ?? null,
      title: input.title,
      created_by: ctx.person.id,
      adopted_vote_id: null,
      published_at: null,
      published_by: null,
    });
    await repo.insertVersion(trx, {
      statement_id: statement.id,
      number: 1,
      title: input.title,
      body_en: input.bodyEn,
      body_km: input.bodyKm,
      sha256: textHash(input),
      author_id: ctx.person.id,
    });
    return statement;
  });
}

/**
 * Saving the text makes a new immutable version. Refused while a vote is open (the voted text
 * is frozen) and once adopted, published or withdrawn. The statement row is locked, so a save
 * and the opening of a vote cannot interleave.
 */
/**
 * A new version of the text. `ifMatch`: the If-Match header, the number of the version the text was
 * edited from; refused (412) when another has been saved since (lib/if-match.ts), on the locked statement.
 */
export async function saveVersion(
  ctx: CoalitionCtx,
  statementId: string,
  input: { title: string; bodyEn: string; bodyKm: string },
  ifMatch?: string,
) {
  return withTransaction(ctx.deps.db, async (trx) => {
    const statement = await lockStatement(trx, ctx.access.coalitionId, statementId);
    if (!statement) throw notFound("statement");
    if (!canEdit(ctx, statement)) throw new AppError("forbidden", "the author and coordinators edit");
    if (!EDITABLE.has(statement.status)) throw new AppError("precondition_failed", `cannot edit a ${statement.status} statement`);
    const latest = await repo.latestVersion(trx, statementId);
    requireMatch(ifMatch, latest?.number ?? 0);
    const sha256 = textHash(input);
    if (latest && latest.sha256 === sha256) return { versionId: latest.id, number: latest.number };
    const number = (latest?.number ?? 0) + 1;
    const version = await repo.insertVersion(trx, {
      statement_id: statementId,
      number,
      title: input.title,
      body_en: input.bodyEn,
      body_km: input.bodyKm,
      sha256,
      author_id: ctx.person.id,
    });
    await repo.setDraftTitle(trx, statementId, input.title);
    return { versionId: version.id, number };
  });
}

export async function getStatement(ctx: CoalitionCtx, statementId: string): Promise<Statement> {
  const { db } = ctx.deps;
  // The statement first: it is what says the id is this coalition's. Then everything else it shows,
  // which needs only its id, at once (one round trip of waiting rather than one per read).
  const s = await loadStatement(db, ctx, statementId);
  const adoptedVoteId = s.status === "published" ? s.adopted_vote_id : null;
  const [versions, vote, signatories, anonymousCount] = await Promise.all([
    repo.versionsWithCurrentText(db, statementId),
    getVoteInfo(ctx, statementId),
    adoptedVoteId ? publishedSignatories(db, adoptedVoteId) : [],
    adoptedVoteId ? repo.anonymousEndorsements(db, adoptedVoteId) : 0,
  ]);
  const current = versions[versions.length - 1];
  // The last version always has its text (the query leaves it out of the earlier ones only).
  if (!current || current.body_en === null || current.body_km === null) throw notFound("version");
  return {
    id: s.id,
    coalitionId: s.coalition_id,
    title: s.title,
    status: s.status,
    campaignId: s.campaign_id,
    versionCount: versions.length,
    updatedAt: isoTime(s.updated_at),
    publishedAt: isoOrNull(s.published_at),
    versions: versions.map((v) => ({
      id: v.id,
      number: v.number,
      title: v.title,
      sha256: v.sha256,
      author: { id: v.author_id ?? ERASED_AUTHOR_ID, displayName: v.display_name ?? "" },
      createdAt: isoTime(v.created_at),
    })),
    current: versionOut({ ...current, body_en: current.body_en, body_km: current.body_km }),
    vote,
    publicUrl: s.status === "published" ? `${ctx.deps.config.publicUrl}${paths.publicStatement(s.id)}` : null,
    publication:
      adoptedVoteId && s.published_at
        ? { publishedAt: isoTime(s.published_at), fingerprint: s.publication_sha256, signatories, anonymousCount }
        : null,
    permissions: { edit: canEdit(ctx, s) && EDITABLE.has(s.status), manage: ctx.access.isCoordinator },
  };
}

/** The statement's versions, read once the statement is found in the coalition. */
async function loadVersions(ctx: CoalitionCtx, statementId: string) {
  await loadStatement(ctx.deps.db, ctx, statementId);
  return repo.versionsOf(ctx.deps.db, statementId);
}

export async function getVersion(ctx: CoalitionCtx, statementId: string, number: number): Promise<StatementVersion> {
  const version = (await loadVersions(ctx, statementId)).find((v) => v.number === number);
  if (!version) throw notFound("version");
  return versionOut(version);
}

export async function diffVersions(ctx: CoalitionCtx, statementId: string, from: number, to: number) {
  const versions = await loadVersions(ctx, statementId);
  const a = versions.find((v) => v.number === from);
  const b = versions.find((v) => v.number === to);
  if (!a || !b) throw notFound("version");
  return { from, to, title: wordDiff(a.title, b.title), bodyEn: wordDiff(a.body_en, b.body_en), bodyKm: wordDiff(a.body_km, b.body_km) };
}

/** The comments on version `number` of the statement. */
export async function listComments(ctx: CoalitionCtx, statementId: string, number: number): Promise<StatementComment[]> {
  const { db } = ctx.deps;
  await loadStatement(db, ctx, statementId);
  // Once the statement is found in the coalition: the version (404 when there is none) and its comments at once.
  const [versions, rows] = await Promise.all([repo.versionsOf(db, statementId), repo.commentsOf(db, statementId, number)]);
  if (!versions.some((v) => v.number === number)) throw notFound("version");
  return rows.map((r) => ({
    id: r.id,
    versionId: r.version_id,
    author: { id: r.author_id, displayName: r.display_name },
    body: r.body,
    bodyHtml: renderMarkdown(r.body),
    createdAt: isoTime(r.created_at),
  }));
}

/** Members comment on a version; earlier commenters on that version are notified. */
export async function addComment(ctx: CoalitionCtx, statementId: string, versionId: string, body: string) {
  return withTransaction(ctx.deps.db, async (trx) => {
    const statement = await loadStatement(trx, ctx, statementId);
    const version = await repo.findVersionOfStatement(trx, statementId, versionId);
    if (!version) throw notFound("version");
    const earlier = await repo.earlierCommenters(trx, versionId, ctx.person.id);
    const comment = await repo.insertComment(trx, versionId, ctx.person.id, body);
    await notify(
      trx,
      earlier.map((e) => ({
        personId: e.author_id,
        coalitionId: ctx.access.coalitionId,
        kind: "statement_comment",
        messageKey: "notifications.statement_comment",
        params: { statement: statement.title, version: version.number, author: ctx.person.displayName },
        link: paths.statement(ctx.access.coalitionId, statementId),
      })),
    );
    return comment;
  });
}

/** Coordinators withdraw a statement that is not being voted on or published; it can never be voted on again. */
export async function withdrawStatement(ctx: CoalitionCtx, statementId: string) {
  await withTransaction(ctx.deps.db, async (trx) => {
    if (!ctx.access.isCoordinator) throw new AppError("forbidden", "coordinators only");
    const statement = await lockStatement(trx, ctx.access.coalitionId, statementId);
    if (!statement) throw notFound("statement");
    if (statement.status === "withdrawn") return;
    if (statement.status === "voting" || statement.status === "published")
      throw new AppError("precondition_failed", `cannot withdraw a ${statement.status} statement`);
    await repo.setStatus(trx, statementId, "withdrawn");
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "statement.withdraw",
      targetType: "statement",
      targetId: statementId,
      before: { status: statement.status },
      after: { status: "withdrawn" },
    });
  });
}

/**
 * A coordinator publishes an adopted statement: its adopted version's text, as voted, becomes
 * public with the signatories as they were named at the close (the `vote_signatory` snapshot).
 * The publication fingerprint, over that text and that list, is stored and chained in the audit log.
 */
export async function publishStatement(ctx: CoalitionCtx, statementId: string) {
  await withTransaction(ctx.deps.db, async (trx) => {
    if (!ctx.access.isCoordinator) throw new AppError("forbidden", "coordinators only");
    const statement = await lockStatement(trx, ctx.access.coalitionId, statementId);
    if (!statement) throw notFound("statement");
    if (statement.status === "published") return;
    if (statement.status !== "adopted" || !statement.adopted_vote_id)
      throw new AppError("precondition_failed", "only adopted statements are published");
    const vote = await repo.votedVersion(trx, statement.adopted_vote_id);
    const signatories = await publishedSignatories(trx, statement.adopted_vote_id);
    const anonymousCount = await repo.anonymousEndorsements(trx, statement.adopted_vote_id);
    const fingerprint = publicationHash({ title: vote.title, bodyEn: vote.body_en, bodyKm: vote.body_km }, signatories, anonymousCount);
    const publishedAt = new Date();
    await repo.markPublished(trx, statementId, ctx.person.id, publishedAt, fingerprint);
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "statement.publish",
      targetType: "statement",
      targetId: statementId,
      before: { status: "adopted" },
      after: {
        status: "published",
        voteId: statement.adopted_vote_id,
        version: vote.number,
        sha256: vote.sha256,
        fingerprint,
        signatories,
        anonymousCount,
      },
    });
    const people = await coalitionPeople(trx, ctx.access.coalitionId);
    await notify(
      trx,
      people.map((personId) => ({
        personId,
        coalitionId: ctx.access.coalitionId,
        kind: "statement_published",
        messageKey: "notifications.statement_published",
        params: { statement: statement.title },
        link: paths.publicStatement(statementId),
      })),
    );
  });
}
