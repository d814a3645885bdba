import type { ActivityKind } from "@samakki/shared/campaigns";
import type { Language } from "@samakki/shared/i18n/index";
import { localName, type SecondName, secondNameOf } from "@samakki/shared/names";
import { createEvents, type DateArray, type EventAttributes } from "ics";
import { AppError } from "../../lib/errors.ts";
import { renderMarkdown } from "../../lib/markdown.ts";
import type { Executor } from "../../lib/transaction.ts";
import {
  findCoalitionBySlug,
  findPublicCampaign,
  marchStagesOf,
  metricTotals,
  publicActivities,
  publicCampaignsOf,
  publicUpdates,
  publishedStatementTitles,
} from "./public-site.repository.ts";
import type { DiagramStage } from "./route-diagram.tsx";

/** A coalition's public home: its public campaigns and published statements. 404 for an unknown slug. */
export async function publicHome(db: Executor, coalitionSlug: string) {
  const coalition = await findCoalitionBySlug(db, coalitionSlug);
  if (!coalition) throw new AppError("not_found", "coalition");
  const [campaigns, statements] = await Promise.all([publicCampaignsOf(db, coalition.id), publishedStatementTitles(db, coalition.id)]);
  return { coalition, campaigns, statements };
}

interface PublicActivity {
  id: string;
  kind: ActivityKind;
  title: string;
  location: string;
  /** Markdown, rendered through the sanitiser by the page. */
  description: string;
  startsAt: Date;
  endsAt: Date | null;
  stages: DiagramStage[];
}

export interface PublicMetric {
  id: string;
  name: string;
  /** The name in the other language, if any: the page shows the one in its language (localName). */
  secondName: SecondName | null;
  unit: string;
  /** The unit in the second name's language, shown with it (localUnit). */
  secondUnit: string | null;
  total: number;
  target: number | null;
}

/**
 * A public campaign with what its page shows. Members-only, unknown, and another coalition's
 * campaigns all throw the same 404.
 */
export async function publicCampaign(db: Executor, coalitionSlug: string, campaignSlug: string, updatesLimit = 20) {
  const campaign = await findPublicCampaign(db, coalitionSlug, campaignSlug);
  if (!campaign) throw new AppError("not_found", "campaign");
  const [activityRows, metrics, updates] = await Promise.all([
    publicActivities(db, campaign.id),
    metricTotals(db, campaign.id),
    publicUpdates(db, campaign.id, updatesLimit),
  ]);
  const stages = await marchStagesOf(
    db,
    activityRows.filter((a) => a.kind === "march").map((a) => a.id),
  );
  const activities: PublicActivity[] = activityRows.map((a) => ({
    id: a.id,
    kind: a.kind,
    title: a.title,
    location: a.location,
    description: a.description,
    startsAt: a.starts_at,
    endsAt: a.ends_at,
    stages: stages
      .filter((s) => s.activity_id === a.id)
      .map((s) => ({ position: s.position, date: s.stage_date, from: s.from_place, to: s.to_place, distanceKm: Number(s.distance_km) })),
  }));
  const publicMetrics: PublicMetric[] = metrics.map((m) => ({
    id: m.id,
    name: m.name,
    secondName: secondNameOf(m.second_name, m.second_name_language),
    unit: m.unit,
    secondUnit: m.second_unit,
    total: Number(m.total),
    target: m.target === null ? null : Number(m.target),
  }));
  return {
    campaign,
    activities,
    metrics: publicMetrics,
    updates: updates.map((u) => ({ id: u.id, createdAt: u.created_at, html: renderMarkdown(u.body), text: u.body })),
  };
}

export type PublicCampaignView = Awaited<ReturnType<typeof publicCampaign>>;

/** A coalition's name in the page's language: its second name when that is the page's, else its name. */
export function coalitionName(
  coalition: { name: string; second_name: string | null; second_name_language: Language | null },
  lang: Language,
): string {
  return localName({ name: coalition.name, secondName: secondNameOf(coalition.second_name, coalition.second_name_language) }, lang);
}

/** The same, for a row that carries its coalition's name as `coalition_name` (a campaign's, a petition's, a statement's). */
export function coalitionNameOf(
  row: { coalition_name: string; coalition_second_name: string | null; coalition_second_name_language: Language | null },
  lang: Language,
): string {
  return coalitionName(
    { name: row.coalition_name, second_name: row.coalition_second_name, second_name_language: row.coalition_second_name_language },
    lang,
  );
}

/** A public campaign's title in the page's language: its second title when that is in `lang`, else its title. */
export function campaignTitle(
  campaign: { title: string; second_title: string | null; second_title_language: Language | null },
  lang: Language,
): string {
  return localName({ title: campaign.title, secondTitle: secondNameOf(campaign.second_title, campaign.second_title_language) }, lang);
}

/**
 * The whole percent of the target reached, as every public page shows it (the campaign's progress and
 * the petition's section agree): rounded to the nearest (56.9% is 57%, one letter of 125 is 1%), but
 * never 100% before the target is reached (99.6% is 99%). Multiplied before dividing: 57 of 100 as
 * (57 / 100) * 100 is 56.99999999999999.
 */
export function percentReached(total: number, target: number): number {
  if (target <= 0) return 0;
  const percent = (total * 100) / target;
  return total >= target ? Math.floor(percent) : Math.min(99, Math.round(percent));
}

/** Share of the target reached, 0..1 (null without a target). */
export function progressOf(metric: PublicMetric): number | null {
  if (!metric.target || metric.target <= 0) return null;
  return Math.min(1, Math.max(0, metric.total / metric.target));
}

const utcParts = (d: Date): DateArray => [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
const dayParts = (date: string, plusDays = 0): DateArray => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
};

/** iCalendar text: one event per activity and one all-day event per march stage. */
export function campaignCalendar(
  view: PublicCampaignView,
  pageUrl: string,
  labels: { stage: (s: DiagramStage & { activity: string }) => string },
): string {
  const calName = view.campaign.title;
  const events: EventAttributes[] = [];
  for (const a of view.activities) {
    events.push({
      uid: `${a.id}@samakki`,
      title: a.title,
      ...(a.location ? { location: a.location } : {}),
      start: utcParts(a.startsAt),
      startInputType: "utc",
      startOutputType: "utc",
      ...(a.endsAt ? { end: utcParts(a.endsAt), endInputType: "utc" as const, endOutputType: "utc" as const } : { duration: { hours: 1 } }),
      calName,
      url: `${pageUrl}#activity-${a.id}`,
      categories: [a.kind],
    });
    for (const s of a.stages) {
      events.push({
        uid: `${a.id}-stage-${s.position}@samakki`,
        title: labels.stage({ ...s, activity: a.title }),
        location: `${s.from} – ${s.to}`,
        start: dayParts(s.date),
        end: dayParts(s.date, 1),
        calName,
        url: `${pageUrl}#activity-${a.id}`,
        categories: ["march"],
      });
    }
  }
  if (events.length === 0) return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:samakki\r\nCALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n";
  const { error, value } = createEvents(events, { calName, productId: "samakki" });
  if (error || !value) throw error ?? new Error("calendar generation failed");
  // `ics` stamps DTSTAMP with the clock (its types do not expose the option): stamp it with the
  // campaign's last change instead, so the same calendar gives the same bytes and its ETag holds.
  const stamp = view.campaign.updated_at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  return value.replace(/^DTSTAMP:[0-9TZ]+/gm, `DTSTAMP:${stamp}`);
}
