import { CALENDAR_FEED_TOKEN, type CalendarFeed, type CalendarFeedLink } from "@samakki/shared/calendar-feeds";
import type { Language } from "@samakki/shared/i18n/index";
import { translate } from "@samakki/shared/i18n/index";
import * as paths from "@samakki/shared/paths";
import type { AppDeps } from "../../lib/context.ts";
import { generateToken, hashToken } from "../../lib/crypto.ts";
import { notFound } from "../../lib/errors.ts";
import { withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { keyedCounter, take } from "../auth/rate-limit.ts";
import { activityEvents, calendarText, dayParts, type EventAttributes, utcParts } from "../campaigns/activities.calendar.ts";
import { stageRows } from "../campaigns/activities.repository.ts";
import * as repo from "./calendar-feeds.repository.ts";

/** 32 random bytes: 256 bits. */
const TOKEN_BYTES = 32;

/**
 * Calendar apps poll a feed every few minutes to hours; people behind one address (an office, a
 * phone network) share its allowance. Counted per address before anything is looked up, and per
 * person's feed.
 */
export const FEED_WINDOW_SECONDS = 15 * 60;
export const FEED_LIMITS = { address: 600, feed: 120 } as const;

const feedPath = (token: string) => `/calendar/${token}.ics`;

export async function feedStatus(deps: AppDeps, personId: string): Promise<CalendarFeed> {
  const row = await repo.findFeed(deps.db, personId);
  return {
    active: Boolean(row),
    createdAt: row ? row.created_at.toISOString() : null,
    lastFetchedAt: row?.last_fetched_at ? row.last_fetched_at.toISOString() : null,
  };
}

/**
 * A new secret link: 256 random bits, of which only the SHA-256 is kept; the link is answered
 * this once. Made again, it replaces the old one, which stops working at once.
 */
export async function createFeed(deps: AppDeps, personId: string): Promise<CalendarFeedLink> {
  const token = generateToken(TOKEN_BYTES);
  const createdAt = await withTransaction(deps.db, async (trx) => {
    const existing = await repo.lockFeed(trx, personId);
    const row = await repo.upsertFeed(trx, personId, hashToken(token));
    await recordAudit(trx, {
      actorId: personId,
      action: existing ? "calendar_feed.rotated" : "calendar_feed.created",
      targetType: "person",
      targetId: personId,
    });
    return row.created_at;
  });
  const url = `${deps.config.publicUrl}${feedPath(token)}`;
  return { url, webcalUrl: url.replace(/^https?:/, "webcal:"), createdAt: createdAt.toISOString() };
}

/** Revoke the link (nothing to do when there is none). */
export async function revokeFeed(deps: AppDeps, personId: string): Promise<void> {
  await withTransaction(deps.db, async (trx) => {
    if ((await repo.deleteFeed(trx, personId)) === 0) return;
    await recordAudit(trx, { actorId: personId, action: "calendar_feed.revoked", targetType: "person", targetId: personId });
  });
}

/**
 * The feed of a `<token>.ics` path segment: what its person sees now, across the coalitions they
 * belong to (only those): activities and march stages of the coalitions' campaigns (not archived),
 * the open tasks with a due date assigned to them or to one of their organisations, and the open
 * votes' closing times. Titles in the account's language. Anything else (malformed, unknown,
 * revoked, a disabled account) is the same 404.
 */
export async function feedCalendar(deps: AppDeps, segment: string, address: string): Promise<string> {
  await take(
    deps.db,
    [{ key: keyedCounter(deps.config, "calendar-feed:address", address), limit: FEED_LIMITS.address }],
    FEED_WINDOW_SECONDS,
  );
  const token = segment.endsWith(".ics") ? segment.slice(0, -".ics".length) : "";
  if (!CALENDAR_FEED_TOKEN.test(token)) throw notFound("calendar feed");
  const feed = await repo.findFeedByHash(deps.db, hashToken(token));
  if (!feed) throw notFound("calendar feed");
  await take(deps.db, [{ key: `calendar-feed:person:${feed.person_id}`, limit: FEED_LIMITS.feed }], FEED_WINDOW_SECONDS);
  await repo.markFetched(deps.db, feed.person_id);
  return buildFeed(deps, feed.person_id, feed.language);
}

async function buildFeed(deps: AppDeps, personId: string, language: Language): Promise<string> {
  const { db } = deps;
  const base = deps.config.publicUrl;
  const coalitionIds = (await repo.feedCoalitions(db, personId)).map((c) => c.id);
  const activities = await repo.feedActivities(db, coalitionIds);
  const stages = await stageRows(
    db,
    activities.filter((a) => a.kind === "march").map((a) => a.id),
  );
  const tasks = await repo.feedTasks(db, personId, coalitionIds);
  const votes = await repo.feedVotes(db, coalitionIds);
  const calName = translate(language, "calendarFeed.calendarName");

  const events: EventAttributes[] = [];
  const campaigns = new Map<string, typeof activities>();
  for (const a of activities) campaigns.set(a.campaign_id, [...(campaigns.get(a.campaign_id) ?? []), a]);
  for (const [campaignId, own] of campaigns) {
    const first = own[0];
    if (!first) continue;
    const ids = new Set(own.map((a) => a.id));
    events.push(
      ...activityEvents(
        own,
        stages.filter((s) => ids.has(s.activity_id)),
        { language, calName, url: `${base}${paths.campaign(first.coalition_id, campaignId)}` },
      ),
    );
  }
  for (const t of tasks) {
    if (!t.due_on) continue;
    events.push({
      uid: `task-${t.id}@samakki`,
      title: translate(language, "calendarFeed.taskDue", { title: t.title }),
      start: dayParts(t.due_on),
      duration: { days: 1 },
      url: `${base}${paths.task(t.coalition_id, t.id)}`,
      categories: ["task"],
    });
  }
  for (const v of votes) {
    events.push({
      uid: `vote-${v.id}@samakki`,
      title: translate(language, "calendarFeed.voteCloses", { title: v.title }),
      start: utcParts(v.closes_at),
      startInputType: "utc",
      startOutputType: "utc",
      end: utcParts(v.closes_at),
      endInputType: "utc",
      endOutputType: "utc",
      url: `${base}${paths.statement(v.coalition_id, v.statement_id)}`,
      categories: ["vote"],
    });
  }
  // DTSTAMP: the newest change among what the feed shows, so the same content is the same bytes (ETag).
  const changes = [
    ...activities.map((a) => a.campaign_updated_at.getTime()),
    ...tasks.map((t) => t.updated_at.getTime()),
    ...votes.map((v) => v.opened_at.getTime()),
  ];
  const stamp = new Date(changes.reduce((max, t) => Math.max(max, t), 0));
  return calendarText(events, { header: { productId: "samakki", calName }, stamp });
}
