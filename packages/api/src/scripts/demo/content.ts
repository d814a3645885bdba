/**
 * The demo alliance at work: the yellow-ribbon campaign with its metrics and each organisation's
 * contributions, the 314 km march from Phnom Penh to Angkor Wat with letters to MPs, tasks in every
 * status (some overdue), and statements with several versions, one vote open and one published.
 *
 * Everything goes through the services the routes call, so their rules, audit events and
 * notifications hold. Dates are relative to today in the coalition's time zone, so that what is
 * overdue stays overdue and the open vote stays open whenever the demo is loaded.
 */
import { ActivityInput, ContributionInput, CreateCampaignInput, MetricInput } from "@samakki/shared/campaigns";
import { CastBallotInput, CreateStatementInput, OpenVoteInput } from "@samakki/shared/statements";
import { CreateTaskInput, type TaskStatus } from "@samakki/shared/tasks";
import { type AppDeps, now } from "../../lib/context.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { findCoalitionAccess } from "../../modules/access/access.repository.ts";
import { createActivity } from "../../modules/campaigns/activities.service.ts";
import { createCampaign } from "../../modules/campaigns/campaigns.service.ts";
import { createMetric, reportContribution } from "../../modules/campaigns/metrics.service.ts";
import { postUpdate } from "../../modules/campaigns/updates.service.ts";
import { createStatement, publishStatement, saveVersion } from "../../modules/statements/statements.service.ts";
import { addComment as addTaskComment } from "../../modules/tasks/tasks.comments.ts";
import { changeStatus, createTask } from "../../modules/tasks/tasks.service.ts";
import { castBallot, closeVoteEarly, openVote } from "../../modules/votes/votes.commands.ts";
import { type DemoPeople, ORGANISATIONS, PEOPLE } from "./people.ts";

/** A calendar date (YYYY-MM-DD) `days` after `date`. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Today's date in a time zone. */
export function todayIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** The march along National Road 6: 13 walking days over three weeks, 314 km in all. */
export const MARCH_STAGES: { day: number; from: string; to: string; distanceKm: number }[] = [
  { day: 0, from: "Phnom Penh / ភ្នំពេញ", to: "Prek Kdam / ព្រែកក្ដាម", distanceKm: 30 },
  { day: 1, from: "Prek Kdam / ព្រែកក្ដាម", to: "Skun / ស្គន់", distanceKm: 25 },
  { day: 2, from: "Skun / ស្គន់", to: "Baray / បារាយណ៍", distanceKm: 28 },
  { day: 4, from: "Baray / បារាយណ៍", to: "Kampong Thmar / កំពង់ថ្ម", distanceKm: 26 },
  { day: 5, from: "Kampong Thmar / កំពង់ថ្ម", to: "Santuk / សន្ទុក", distanceKm: 24 },
  { day: 6, from: "Santuk / សន្ទុក", to: "Kampong Thom / កំពង់ធំ", distanceKm: 27 },
  { day: 8, from: "Kampong Thom / កំពង់ធំ", to: "Stoung / ស្ទោង", distanceKm: 25 },
  { day: 10, from: "Stoung / ស្ទោង", to: "Chi Kraeng / ជីក្រែង", distanceKm: 24 },
  { day: 11, from: "Chi Kraeng / ជីក្រែង", to: "Kampong Kdei / កំពង់ក្ដី", distanceKm: 26 },
  { day: 13, from: "Kampong Kdei / កំពង់ក្ដី", to: "Dam Dek / ដំដែក", distanceKm: 23 },
  { day: 15, from: "Dam Dek / ដំដែក", to: "Roluos / រលួស", distanceKm: 24 },
  { day: 17, from: "Roluos / រលួស", to: "Siem Reap / សៀមរាប", distanceKm: 22 },
  { day: 20, from: "Siem Reap / សៀមរាប", to: "Angkor Wat / អង្គរវត្ត", distanceKm: 10 },
];

/** The march set off eight days ago, so it is under way: day 8 of 21. */
const MARCH_STARTED_DAYS_AGO = 8;

/** Yellow ribbons handed out by each active organisation, one entry per distribution (about 40% of the target). */
const RIBBONS: Record<string, number[]> = {
  cimn: [1200, 800],
  kja: [950],
  drwc: [600, 400],
  yvd: [2500, 1800, 1100],
  wimf: [1300],
  crac: [700, 650],
  lafs: [400],
  aoe: [900],
  mbc: [350],
  ppfn: [1600, 1200],
  lic: [1000],
};

/** Letters handed to members of the National Assembly (125 seats), by organisation. */
const LETTERS: Record<string, number> = { cimn: 14, kja: 9, yvd: 21, wimf: 8, lafs: 12, ppfn: 17, lic: 6 };

const STATEMENT_PUBLISHED = {
  title: "Joint statement: free expression is not a crime",
  versions: [
    {
      bodyEn: "We, the member organisations of the Alliance, call for the release of everyone detained for peaceful expression.",
      bodyKm: "យើងជាអង្គការសមាជិកនៃសម្ព័ន្ធ សូមអំពាវនាវឱ្យដោះលែងអ្នកទាំងអស់ដែលត្រូវបានឃុំខ្លួនដោយសារការបញ្ចេញមតិដោយសន្តិវិធី។",
    },
    {
      bodyEn:
        "We, the member organisations of the Alliance, call for the immediate release of everyone detained for peaceful expression, and for the charges against them to be dropped.\n\nFree expression is not a crime.",
      bodyKm:
        "យើងជាអង្គការសមាជិកនៃសម្ព័ន្ធ សូមអំពាវនាវឱ្យដោះលែងជាបន្ទាន់នូវអ្នកទាំងអស់ដែលត្រូវបានឃុំខ្លួនដោយសារការបញ្ចេញមតិដោយសន្តិវិធី និងឱ្យទម្លាក់ការចោទប្រកាន់មកលើពួកគេ។\n\nការបញ្ចេញមតិដោយសេរីមិនមែនជាបទឧក្រិដ្ឋទេ។",
    },
    {
      bodyEn:
        "We, the member organisations of the Alliance for Freedom of Expression in Cambodia, call for the immediate release of everyone detained for peaceful expression, and for the charges against them to be dropped.\n\nWe wear the yellow ribbon until they are free. Free expression is not a crime.",
      bodyKm:
        "យើងជាអង្គការសមាជិកនៃសម្ព័ន្ធដើម្បីសេរីភាពនៃការបញ្ចេញមតិនៅកម្ពុជា សូមអំពាវនាវឱ្យដោះលែងជាបន្ទាន់នូវអ្នកទាំងអស់ដែលត្រូវបានឃុំខ្លួនដោយសារការបញ្ចេញមតិដោយសន្តិវិធី និងឱ្យទម្លាក់ការចោទប្រកាន់មកលើពួកគេ។\n\nយើងពាក់ខ្សែបូពណ៌លឿងរហូតដល់ពួកគេមានសេរីភាព។ ការបញ្ចេញមតិដោយសេរីមិនមែនជាបទឧក្រិដ្ឋទេ។",
    },
  ],
};

const STATEMENT_VOTING = {
  title: "Open letter to the Members of the National Assembly",
  versions: [
    {
      bodyEn: "Dear Members of the National Assembly,\n\nWe ask you to meet the marchers when they reach your province.",
      bodyKm: "ជូនចំពោះសមាជិកសភា\n\nយើងសូមស្នើឱ្យលោក លោកស្រី ជួបជាមួយអ្នកដើរក្បួន នៅពេលពួកគេមកដល់ខេត្តរបស់លោក លោកស្រី។",
    },
    {
      bodyEn:
        "Dear Members of the National Assembly,\n\nThe 314 km march from Phnom Penh to Angkor Wat passes through your constituencies. We ask you to meet the marchers when they reach your province, and to support the review of the laws used against journalists.",
      bodyKm:
        "ជូនចំពោះសមាជិកសភា\n\nក្បួនដង្ហែ ៣១៤ គីឡូម៉ែត្រ ពីភ្នំពេញទៅអង្គរវត្ត ឆ្លងកាត់មណ្ឌលបោះឆ្នោតរបស់លោក លោកស្រី។ យើងសូមស្នើឱ្យលោក លោកស្រី ជួបជាមួយអ្នកដើរក្បួន និងគាំទ្រការពិនិត្យឡើងវិញនូវច្បាប់ដែលត្រូវបានប្រើប្រឆាំងនឹងអ្នកសារព័ត៌មាន។",
    },
  ],
};

const STATEMENT_DRAFT = {
  title: "សេចក្តីថ្លែងការណ៍ស្តីពីសិទ្ធិវិទ្យុសហគមន៍ / Statement on community radio licences",
  versions: [
    {
      bodyEn: "Community radio stations need licences that are granted fairly and on time.",
      bodyKm: "ស្ថានីយវិទ្យុសហគមន៍ត្រូវការអាជ្ញាប័ណ្ណដែលផ្តល់ដោយយុត្តិធម៌ និងទាន់ពេលវេលា។",
    },
    {
      bodyEn: "Community radio stations in the provinces need licences that are granted fairly, on time and without political conditions.",
      bodyKm: "ស្ថានីយវិទ្យុសហគមន៍នៅតាមខេត្តត្រូវការអាជ្ញាប័ណ្ណដែលផ្តល់ដោយយុត្តិធម៌ ទាន់ពេលវេលា និងគ្មានលក្ខខណ្ឌនយោបាយ។",
    },
  ],
};

function version(statement: { versions: { bodyEn: string; bodyKm: string }[] }, index: number) {
  const v = statement.versions[index];
  if (!v) throw new Error(`demo statement has no version ${index + 1}`);
  return v;
}

type DemoTask = {
  title: string;
  status: TaskStatus;
  /** Days from today; negative is in the past. */
  due: number | null;
  org: string;
  priority: "low" | "normal" | "high" | "urgent";
  march?: boolean;
  labels?: string[];
  comment?: { by: string; body: string };
};

const TASKS: DemoTask[] = [
  { title: "Print 20,000 more yellow ribbons", status: "done", due: -12, org: "cimn", priority: "high", labels: ["ribbons"] },
  { title: "ចែកខ្សែបូពណ៌លឿងនៅផ្សារថ្មី", status: "done", due: -6, org: "yvd", priority: "normal", labels: ["ribbons"] },
  {
    title: "Book guesthouses for the marchers in Kampong Thom",
    status: "done",
    due: -4,
    org: "ppfn",
    priority: "high",
    march: true,
    labels: ["logistics"],
  },
  {
    title: "Water and first aid for the Stoung to Chi Kraeng stage",
    status: "in_progress",
    due: 1,
    org: "crac",
    priority: "urgent",
    march: true,
    labels: ["logistics"],
    comment: { by: "crac.admin", body: "ក្រុមពេទ្យស្ម័គ្រចិត្តពីរនាក់បានយល់ព្រមហើយ។ Two volunteer medics confirmed." },
  },
  {
    title: "Deliver letters to the MPs of Siem Reap",
    status: "todo",
    due: 9,
    org: "lafs",
    priority: "normal",
    march: true,
    labels: ["letters"],
  },
  {
    title: "Translate the open letter to MPs into Khmer",
    status: "in_progress",
    due: -2,
    org: "kja",
    priority: "high",
    labels: ["letters"],
    comment: { by: "kja.member2", body: "កំពុងបកប្រែកថាខណ្ឌទីពីរ។" },
  },
  {
    title: "Police permission for the rally at Angkor Wat",
    status: "blocked",
    due: -3,
    org: "lafs",
    priority: "urgent",
    march: true,
    comment: { by: "lafs.admin", body: "The provincial office has not answered our request of last week." },
  },
  { title: "Photo story of the first week of the march", status: "todo", due: -1, org: "aoe", priority: "normal", march: true },
  { title: "រៀបចំសន្និសីទសារព័ត៌មាននៅសៀមរាប", status: "todo", due: 12, org: "wimf", priority: "normal", march: true },
  { title: "Live radio coverage from each stage", status: "in_progress", due: 12, org: "crac", priority: "normal", march: true },
  { title: "Hire a sound system for the closing rally", status: "cancelled", due: -5, org: "mbc", priority: "low", march: true },
  { title: "Ribbon count for the monthly report", status: "todo", due: null, org: "drwc", priority: "low", labels: ["ribbons"] },
  { title: "Brief new volunteers on safety and digital security", status: "blocked", due: 3, org: "drwc", priority: "high" },
];

/** The demo content, loaded into a coalition that `loadDemoPeople` created (inside its transaction). */
export async function loadDemoContent(deps: AppDeps, people: DemoPeople) {
  const { coalitionId } = people;
  const idOf = (map: Map<string, string>, key: string) => {
    const id = map.get(key);
    if (!id) throw new Error(`demo data refers to unknown key ${key}`);
    return id;
  };
  const org = (key: string) => idOf(people.orgIds, key);
  const ctxs = new Map<string, CoalitionCtx>();
  const as = async (local: string): Promise<CoalitionCtx> => {
    const cached = ctxs.get(local);
    if (cached) return cached;
    const p = PEOPLE.find((x) => x.local === local);
    if (!p) throw new Error(`demo data refers to unknown person ${local}`);
    const id = idOf(people.personIds, local);
    const access = await findCoalitionAccess(deps.db, id, coalitionId);
    if (!access) throw new Error("demo coalition missing");
    const person = await deps.db.selectFrom("person").where("id", "=", id).select("email").executeTakeFirstOrThrow();
    const ctx = { deps, access, person: { id, email: person.email, displayName: p.name, language: p.language, emailVerified: true } };
    ctxs.set(local, ctx);
    return ctx;
  };
  const adminOf = (orgKey: string) => {
    const admin = PEOPLE.find((p) => p.org === orgKey && p.role === "admin");
    if (!admin) throw new Error(`no admin in ${orgKey}`);
    return admin.local;
  };

  const coordinator = await as("coordinator");
  const today = todayIn(coordinator.access.timeZone, now(deps));
  const active = ORGANISATIONS.filter((o) => o.status === "active").map((o) => o.key);

  // The yellow-ribbon campaign, co-owned by the secretariat and two organisations, with everyone else taking part.
  const ribbon = await createCampaign(
    coordinator,
    CreateCampaignInput.parse({
      title: "Yellow Ribbon for Free Expression",
      slug: "yellow-ribbon",
      summary: "ខ្សែបូពណ៌លឿងដើម្បីសេរីភាពនៃការបញ្ចេញមតិ — wear a yellow ribbon until every detained journalist is free.",
      description:
        "Member organisations hand out yellow ribbons in markets, schools and pagodas, collect petition signatures, and march 314 km from Phnom Penh to Angkor Wat, delivering letters to Members of the National Assembly on the way.\n\nអង្គការសមាជិកចែកខ្សែបូពណ៌លឿងនៅតាមផ្សារ សាលារៀន និងវត្តអារាម ប្រមូលហត្ថលេខាលើញត្តិ និងដើរក្បួន ៣១៤ គីឡូម៉ែត្រ ពីភ្នំពេញទៅអង្គរវត្ត។",
      goals: "- 50,000 ribbons worn\n- A letter to each of the 125 Members of the National Assembly\n- 100,000 petition signatures",
      status: "active",
      visibility: "public",
      startsOn: addDays(today, -45),
      endsOn: addDays(today, 60),
      ownerOrganisationIds: [org("cimn"), org("yvd"), org("lafs")],
      participantOrganisationIds: active.filter((k) => !["cimn", "yvd", "lafs"].includes(k)).map(org),
    }),
  );

  const ribbons = await createMetric(
    coordinator,
    ribbon.id,
    MetricInput.parse({ name: "ខ្សែបូដែលបានចែក / Ribbons handed out", unit: "ribbons", target: 50000 }),
  );
  const letters = await createMetric(
    coordinator,
    ribbon.id,
    MetricInput.parse({ name: "Letters delivered to MPs", unit: "letters", target: 125 }),
  );
  const signatures = await createMetric(
    coordinator,
    ribbon.id,
    MetricInput.parse({ name: "ហត្ថលេខាលើញត្តិ / Petition signatures", unit: "signatures", target: 100000 }),
  );
  let contributions = 0;
  for (const [key, amounts] of Object.entries(RIBBONS)) {
    const reporter = await as(adminOf(key));
    for (const [i, amount] of amounts.entries()) {
      const input = {
        organisationId: org(key),
        amount,
        date: addDays(today, -40 + i * 14 + (key.length % 5)),
        note: i === 0 ? "" : "Second distribution",
      };
      await reportContribution(reporter, ribbon.id, ribbons.id, ContributionInput.parse(input));
      contributions++;
    }
    const signed = 2000 + amounts.reduce((a, b) => a + b, 0) * 2;
    await reportContribution(
      reporter,
      ribbon.id,
      signatures.id,
      ContributionInput.parse({ organisationId: org(key), amount: signed, date: addDays(today, -3), note: "" }),
    );
    contributions++;
  }
  for (const [key, count] of Object.entries(LETTERS)) {
    await reportContribution(
      await as(adminOf(key)),
      ribbon.id,
      letters.id,
      ContributionInput.parse({
        organisationId: org(key),
        amount: count,
        date: addDays(today, -MARCH_STARTED_DAYS_AGO + 2),
        note: "Handed over during the march",
      }),
    );
    contributions++;
  }

  // Activities: the launch, the march with its stages, letters to MPs, and what comes next.
  const marchStart = addDays(today, -MARCH_STARTED_DAYS_AGO);
  const activities = [
    ActivityInput.parse({
      kind: "press",
      title: "Launch of the yellow-ribbon campaign",
      startsAt: `${addDays(today, -45)}T09:00`,
      endsAt: `${addDays(today, -45)}T11:00`,
      location: "Phnom Penh / ភ្នំពេញ",
      description: "Press conference with all member organisations.",
    }),
    ActivityInput.parse({
      kind: "march",
      title: "ការដង្ហែក្បួន ៣១៤ គីឡូម៉ែត្រ / The 314 km march: Phnom Penh to Angkor Wat",
      startsAt: `${marchStart}T06:30`,
      endsAt: `${addDays(marchStart, 20)}T17:00`,
      location: "National Road 6 / ផ្លូវជាតិលេខ៦",
      description: "Three weeks on foot along National Road 6, with rest days in Baray, Kampong Thom and Siem Reap.",
      stages: MARCH_STAGES.map((s) => ({ date: addDays(marchStart, s.day), from: s.from, to: s.to, distanceKm: s.distanceKm })),
    }),
    ActivityInput.parse({
      kind: "letter",
      title: "Letters to the MPs of Kampong Thom",
      startsAt: `${addDays(marchStart, 7)}T14:00`,
      location: "Kampong Thom / កំពង់ធំ",
      description: "Marchers hand the open letter to the province's Members of the National Assembly.",
    }),
    ActivityInput.parse({
      kind: "letter",
      title: "លិខិតជូនសមាជិកសភាខេត្តសៀមរាប / Letters to the MPs of Siem Reap",
      startsAt: `${addDays(marchStart, 18)}T14:00`,
      location: "Siem Reap / សៀមរាប",
    }),
    ActivityInput.parse({
      kind: "distribution",
      title: "Ribbons at Orussey market",
      startsAt: `${addDays(today, 3)}T07:00`,
      endsAt: `${addDays(today, 3)}T10:00`,
      location: "Orussey market, Phnom Penh / ផ្សារអូរឫស្សី",
    }),
    ActivityInput.parse({
      kind: "demonstration",
      title: "Closing rally at Angkor Wat",
      startsAt: `${addDays(marchStart, 20)}T16:00`,
      endsAt: `${addDays(marchStart, 20)}T18:00`,
      location: "Angkor Wat / អង្គរវត្ត",
    }),
  ];
  for (const input of activities) await createActivity(coordinator, ribbon.id, input);

  await postUpdate(coordinator, ribbon.id, "The march has left Phnom Penh: 120 people set off at dawn. ក្បួនដង្ហែបានចេញដំណើរពីភ្នំពេញហើយ។");
  await postUpdate(await as("ppfn.admin"), ribbon.id, "Arrived in Kampong Thom. Local radio interviewed three marchers.");

  // Tasks in every status, some overdue.
  for (const t of TASKS) {
    const task = await createTask(
      coordinator,
      CreateTaskInput.parse({
        campaignId: ribbon.id,
        title: t.title,
        priority: t.priority,
        dueOn: t.due === null ? null : addDays(today, t.due),
        assigneeOrganisationId: org(t.org),
        labels: [...(t.labels ?? []), ...(t.march ? ["march"] : [])],
      }),
    );
    // Those who do the work move it along, as they would in the app.
    const admin = await as(adminOf(t.org));
    if (t.status === "done" || t.status === "blocked") await changeStatus(admin, task.id, "in_progress");
    if (t.status !== "todo") await changeStatus(admin, task.id, t.status);
    if (t.comment) await addTaskComment(await as(t.comment.by), task.id, t.comment.body);
  }

  // Statements: one published after an adopted vote, one with its vote open, one draft.
  const published = await createStatement(
    coordinator,
    CreateStatementInput.parse({ campaignId: ribbon.id, title: STATEMENT_PUBLISHED.title, ...STATEMENT_PUBLISHED.versions[0] }),
  );
  let lastVersion = "";
  for (const v of STATEMENT_PUBLISHED.versions.slice(1)) {
    lastVersion = (await saveVersion(coordinator, published.id, { title: STATEMENT_PUBLISHED.title, ...v })).versionId;
  }
  const closesAt = `${addDays(today, 5)}T17:00`;
  await openVote(coordinator, published.id, OpenVoteInput.parse({ versionId: lastVersion, closesAt, threshold: "two_thirds" }));
  for (const key of active) {
    const choice = key === "lic" ? "abstain" : "endorse";
    await castBallot(
      await as(adminOf(key)),
      published.id,
      CastBallotInput.parse({
        organisationId: org(key),
        choice,
        named: key !== "drwc",
        comment: key === "lic" ? "We support it but did not consult our members in time." : "",
      }),
    );
  }
  await closeVoteEarly(coordinator, published.id);
  await publishStatement(coordinator, published.id);

  const voting = await createStatement(
    await as("coordinator2"),
    CreateStatementInput.parse({ campaignId: ribbon.id, title: STATEMENT_VOTING.title, ...STATEMENT_VOTING.versions[0] }),
  );
  const votingVersion = await saveVersion(await as("coordinator2"), voting.id, {
    title: STATEMENT_VOTING.title,
    ...version(STATEMENT_VOTING, 1),
  });
  await openVote(coordinator, voting.id, OpenVoteInput.parse({ versionId: votingVersion.versionId, closesAt, totalsVisible: true }));
  for (const [key, choice] of [
    ["cimn", "endorse"],
    ["yvd", "endorse"],
    ["lafs", "endorse"],
    ["ppfn", "object"],
  ] as const) {
    await castBallot(
      await as(adminOf(key)),
      voting.id,
      CastBallotInput.parse({ organisationId: org(key), choice, comment: choice === "object" ? "Name the laws we want reviewed." : "" }),
    );
  }

  const draft = await createStatement(
    coordinator,
    CreateStatementInput.parse({ title: STATEMENT_DRAFT.title, ...STATEMENT_DRAFT.versions[0] }),
  );
  await saveVersion(coordinator, draft.id, { title: STATEMENT_DRAFT.title, ...version(STATEMENT_DRAFT, 1) });

  return {
    campaigns: 1,
    activities: activities.length,
    metrics: 3,
    contributions,
    tasks: TASKS.length,
    statements: 3,
    publishedStatementId: published.id,
  };
}
