import type { SignupCounts } from "@samakki/shared/signups";
import { expect } from "vitest";
import type { TestClient, TestContext } from "../../../../test/app.ts";
import { createWorld, unique } from "../../../../test/factories/index.ts";

export type World = Awaited<ReturnType<typeof createWorld>>;

/**
 * A calendar date `days` from today in the test coalition's zone (Asia/Phnom_Penh, UTC+7), YYYY-MM-DD:
 * stages are days of that zone, so a UTC date would be a day early from 17:00 UTC, and the erasure
 * test's "not yet on day 19" would fail in those hours.
 */
const coalitionDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Phnom_Penh" });
export const day = (days: number) => coalitionDay.format(new Date(Date.now() + days * 86_400_000));

export interface Setup {
  w: World;
  base: string;
  campaign: { id: string; slug: string };
  march: { id: string };
  meeting: { id: string };
  joinPath: string;
  activityBase: string;
}

/**
 * A world with a public campaign co-owned by orgA: a march in 10 days with three stages
 * (days 10, 11, 12) and a meeting in 5 days.
 */
export async function setUp(ctx: TestContext, visibility: "public" | "members" = "public"): Promise<Setup> {
  const w = await createWorld(ctx);
  const base = `/api/coalitions/${w.coalition.id}`;
  const created = await w.clients.coordinator.post<{ id: string; slug: string }>(`${base}/campaigns`, {
    title: unique("Campaign"),
    ownerOrganisationIds: [w.orgA.id],
    visibility,
    status: "active",
  });
  expect(created.status, created.text).toBe(201);
  const campaign = created.body;
  const march = await w.clients.coordinator.post<{ id: string }>(`${base}/campaigns/${campaign.id}/activities`, {
    kind: "march",
    title: "Walk for the river",
    startsAt: `${day(10)}T07:00`,
    endsAt: `${day(12)}T17:00`,
    location: "Phnom Penh",
    stages: [
      { date: day(10), from: "Phnom Penh", to: "Kandal", distanceKm: 20 },
      { date: day(11), from: "Kandal", to: "Takeo", distanceKm: 25 },
      { date: day(12), from: "Takeo", to: "Kampot", distanceKm: 30 },
    ],
  });
  expect(march.status, march.text).toBe(201);
  const meeting = await w.clients.coordinator.post<{ id: string }>(`${base}/campaigns/${campaign.id}/activities`, {
    kind: "meeting",
    title: "Public meeting",
    startsAt: `${day(5)}T18:00`,
    location: "Community hall",
  });
  expect(meeting.status, meeting.text).toBe(201);
  const coalition = await ctx.db.selectFrom("coalition").where("id", "=", w.coalition.id).select("slug").executeTakeFirstOrThrow();
  return {
    w,
    base,
    campaign,
    march: march.body,
    meeting: meeting.body,
    joinPath: `/coalitions/${coalition.slug}/campaigns/${campaign.slug}/join`,
    activityBase: `${base}/campaigns/${campaign.id}/activities`,
  };
}

let addressCounter = 0;

/** POST the public form like a browser without JavaScript (each call from its own address unless told). */
export function postForm(client: TestClient, path: string, fields: Record<string, string | string[]>, address?: string) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  return client.request("POST", path, params.toString(), {
    "content-type": "application/x-www-form-urlencoded",
    "x-forwarded-for": address ?? `203.0.113.${++addressCounter % 250}`,
  });
}

/** The confirm and cancel tokens of the last sign-up email to `to`. */
export async function linksFor(ctx: TestContext, to: string) {
  const row = await ctx.db
    .selectFrom("outbox_email")
    .where("to_address", "=", to)
    .where("template", "=", "signup_confirmation")
    .orderBy("created_at", "desc")
    .select(["text", "language", "subject"])
    .executeTakeFirstOrThrow();
  const confirm = /\/signups\/confirm\/([a-z2-7]+)/.exec(row.text)?.[1];
  const cancel = /\/signups\/cancel\/([a-z2-7]+)/.exec(row.text)?.[1];
  if (!confirm || !cancel) throw new Error(`no links in ${row.text}`);
  return { confirm, cancel, language: row.language, subject: row.subject, text: row.text };
}

export type CountsBody = SignupCounts;

export const peopleAt = (body: CountsBody, position: number | null) => body.counts.find((c) => c.position === position)?.people ?? 0;
export const pendingAt = (body: CountsBody, position: number | null) =>
  body.counts.find((c) => c.position === position)?.pendingPeople ?? 0;
