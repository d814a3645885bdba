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
import { LetterActionInput, LetterInput, ReplyInput, TargetListQuery } from "@samakki/shared/letters";
import { PaperSheetInput, PetitionInput } from "@samakki/shared/petitions";
import { PROVINCES } from "@samakki/shared/provinces";
import { CastBallotInput, CreateStatementInput, OpenVoteInput } from "@samakki/shared/statements";
import { CreateTaskInput } from "@samakki/shared/tasks";
import { type AppDeps, now } from "../../lib/context.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { localDate } from "../../lib/time.ts";
import { findCoalitionAccess } from "../../modules/access/access.repository.ts";
import { createActivity } from "../../modules/campaigns/activities.service.ts";
import { createCampaign } from "../../modules/campaigns/campaigns.service.ts";
import { createMetric, reportContribution } from "../../modules/campaigns/metrics.service.ts";
import { postUpdate } from "../../modules/campaigns/updates.service.ts";
import { create as createLetterAction } from "../../modules/letters/actions.service.ts";
import { record as recordLetter, reply as replyToLetter } from "../../modules/letters/letters.service.ts";
import { commitImport, list as listTargets } from "../../modules/letters/targets.service.ts";
import { recordPaperSheet } from "../../modules/petitions/petitions.paper-sheets.ts";
import { createPetition } from "../../modules/petitions/petitions.service.ts";
import { createStatement, publishStatement, saveVersion } from "../../modules/statements/statements.service.ts";
import { addComment as addTaskComment } from "../../modules/tasks/tasks.comments.ts";
import { changeStatus, createTask } from "../../modules/tasks/tasks.service.ts";
import { castBallot, closeVoteEarly, openVote } from "../../modules/votes/votes.commands.ts";
import { type DemoPeople, ORGANISATIONS, PEOPLE } from "./people.ts";
import {
  LETTERS,
  MARCH_STAGES,
  MARCH_STARTED_DAYS_AGO,
  membersOfParliamentCsv,
  OPEN_LETTER,
  RIBBONS,
  STATEMENT_DRAFT,
  STATEMENT_PUBLISHED,
  STATEMENT_VOTING,
  TASKS,
  version,
} from "./story.ts";

/** A calendar date (YYYY-MM-DD) `days` after `date`. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

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
  const today = localDate(now(deps), coordinator.access.timeZone);
  const active = ORGANISATIONS.filter((o) => o.status === "active").map((o) => o.key);

  // The yellow-ribbon campaign, co-owned by the secretariat and two organisations, with everyone else taking part.
  const ribbon = await createCampaign(
    coordinator,
    CreateCampaignInput.parse({
      title: "Yellow Ribbon for Free Expression",
      secondTitle: { language: "km", name: "ខ្សែបូលឿងដើម្បីសេរីភាពនៃការបញ្ចេញមតិ" },
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
    MetricInput.parse({
      name: "Ribbons handed out",
      secondName: { language: "km", name: "ខ្សែបូដែលបានចែក" },
      unit: "ribbons",
      secondUnit: "ខ្សែបូ",
      target: 50000,
    }),
  );
  await createMetric(
    coordinator,
    ribbon.id,
    MetricInput.parse({
      name: "Letters delivered to MPs",
      secondName: { language: "km", name: "លិខិតដែលបានប្រគល់ជូនតំណាងរាស្ត្រ" },
      // Counted from the letters recorded below, not typed in.
      source: "letters",
      unit: "letters",
      secondUnit: "លិខិត",
      target: 125,
    }),
  );
  const signatures = await createMetric(
    coordinator,
    ribbon.id,
    MetricInput.parse({
      name: "Petition signatures",
      secondName: { language: "km", name: "ហត្ថលេខាលើញត្តិ" },
      unit: "signatures",
      secondUnit: "ហត្ថលេខា",
      target: 100000,
    }),
  );
  // The petition the signatures metric counts: signed online on the public page, and on the paper
  // sheets each organisation collected (recorded below, with the same counts as their reports).
  await createPetition(
    coordinator,
    ribbon.id,
    PetitionInput.parse({
      titleKm: "ដោះលែងអ្នកសារព័ត៌មានដែលត្រូវបានឃុំខ្លួន",
      titleEn: "Free the detained journalists",
      bodyKm: "យើងខ្ញុំសូមស្នើឱ្យអាជ្ញាធរដោះលែងអ្នកសារព័ត៌មានទាំងអស់ដែលត្រូវបានឃុំខ្លួនដោយសារការងាររបស់ពួកគេ។",
      bodyEn: "We call on the authorities to release every journalist detained for their work.",
      target: 100000,
      opensOn: addDays(today, -45),
      closesOn: addDays(today, 60),
    }),
  );
  const sheetProvinces = ["KH-12", "KH-6", "KH-17", "KH-3", "KH-2"] as const;
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
    await recordPaperSheet(
      reporter,
      ribbon.id,
      PaperSheetInput.parse({
        organisationId: org(key),
        count: signed,
        province: sheetProvinces[contributions % sheetProvinces.length],
        date: addDays(today, -3),
      }),
    );
  }
  // The open letter of the march: the 125 members of the National Assembly as the coalition's letter
  // recipients, and the letters each organisation handed over on the way (the metric counts them).
  await commitImport(coordinator, "en", membersOfParliamentCsv(PROVINCES.map((p) => p.code)));
  const mps = await listTargets(coordinator, TargetListQuery.parse({}));
  const action = await createLetterAction(
    coordinator,
    ribbon.id,
    LetterActionInput.parse({ ...OPEN_LETTER, targetIds: mps.map((t) => t.id) }),
  );
  let sent = 0;
  for (const [key, count] of Object.entries(LETTERS)) {
    const sender = await as(adminOf(key));
    for (let i = 0; i < count; i++, sent++) {
      const target = mps[sent];
      if (!target) throw new Error("more letters than members of parliament");
      const letter = await recordLetter(
        sender,
        ribbon.id,
        action.id,
        LetterInput.parse({
          targetId: target.id,
          organisationId: org(key),
          sentOn: addDays(today, -MARCH_STARTED_DAYS_AGO + (sent % MARCH_STARTED_DAYS_AGO)),
          channel: "hand",
          deliveryConfirmed: true,
        }),
      );
      // A reply from one member of parliament in ten.
      if (sent % 10 === 0)
        await replyToLetter(
          sender,
          ribbon.id,
          action.id,
          letter.id,
          ReplyInput.parse({
            receivedOn: addDays(today, -1),
            summary: "Thanked the marchers and promised to raise the matter with the committee.",
            stance: (["supportive", "undecided", "opposed"] as const)[(sent / 10) % 3],
          }),
        );
    }
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
    letters: sent,
    tasks: TASKS.length,
    statements: 3,
    publishedStatementId: published.id,
  };
}
