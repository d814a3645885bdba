/**
 * The demo coalition's people: a dozen member organisations with English and Khmer names, two
 * coordinators, an admin and one or two members per organisation (admins are their organisation's
 * representatives), one observer and one suspended organisation. All names are invented.
 */
import type { MemberStatus } from "@samakki/shared/coalitions";
import type { Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import { recordAudit } from "../../modules/audit/audit.service.ts";

export const DEMO_PASSWORD = "samakki-demo-2026";

export const COALITION = {
  name: "Alliance for Freedom of Expression in Cambodia",
  nameKm: "សម្ព័ន្ធដើម្បីសេរីភាពនៃការបញ្ចេញមតិនៅកម្ពុជា",
  description:
    "A coalition of Cambodian media, legal-aid, youth and community organisations defending freedom of expression. (Demo data: every name is invented.)",
  timeZone: "Asia/Phnom_Penh",
};

export type DemoOrg = { key: string; name: string; nameKm: string; shortName: string; status: MemberStatus; website: string };

/** The first organisation is the secretariat, whose admin is the first coordinator. */
export const ORGANISATIONS: DemoOrg[] = [
  {
    key: "cimn",
    name: "Cambodian Independent Media Network",
    nameKm: "បណ្ដាញប្រព័ន្ធផ្សព្វផ្សាយឯករាជ្យកម្ពុជា",
    shortName: "CIMN",
    status: "active",
    website: "https://cimn.example.org",
  },
  {
    key: "kja",
    name: "Khmer Journalists for Accountability",
    nameKm: "អ្នកសារព័ត៌មានខ្មែរដើម្បីគណនេយ្យភាព",
    shortName: "KJA",
    status: "active",
    website: "https://kja.example.org",
  },
  {
    key: "drwc",
    name: "Digital Rights Watch Cambodia",
    nameKm: "ការឃ្លាំមើលសិទ្ធិឌីជីថលកម្ពុជា",
    shortName: "DRWC",
    status: "active",
    website: "https://drwc.example.org",
  },
  {
    key: "yvd",
    name: "Youth Voices for Democracy",
    nameKm: "សំឡេងយុវជនដើម្បីប្រជាធិបតេយ្យ",
    shortName: "YVD",
    status: "active",
    website: "https://yvd.example.org",
  },
  {
    key: "wimf",
    name: "Women in Media Forum",
    nameKm: "វេទិកាស្ត្រីក្នុងប្រព័ន្ធផ្សព្វផ្សាយ",
    shortName: "WIMF",
    status: "active",
    website: "https://wimf.example.org",
  },
  {
    key: "crac",
    name: "Community Radio Association of Cambodia",
    nameKm: "សមាគមវិទ្យុសហគមន៍កម្ពុជា",
    shortName: "CRAC",
    status: "active",
    website: "https://crac.example.org",
  },
  {
    key: "lafs",
    name: "Legal Aid for Free Speech",
    nameKm: "ជំនួយផ្លូវច្បាប់ដើម្បីសេរីភាពនៃការនិយាយ",
    shortName: "LAFS",
    status: "active",
    website: "https://lafs.example.org",
  },
  {
    key: "aoe",
    name: "Artists for Open Expression",
    nameKm: "សិល្បករដើម្បីការបញ្ចេញមតិដោយសេរី",
    shortName: "AOE",
    status: "active",
    website: "https://aoe.example.org",
  },
  {
    key: "mbc",
    name: "Mekong Bloggers Collective",
    nameKm: "សមូហភាពអ្នកសរសេរប្លុកមេគង្គ",
    shortName: "MBC",
    status: "active",
    website: "https://mbc.example.org",
  },
  {
    key: "ppfn",
    name: "Provincial Press Freedom Network",
    nameKm: "បណ្ដាញសេរីភាពសារព័ត៌មានថ្នាក់ខេត្ត",
    shortName: "PPFN",
    status: "active",
    website: "https://ppfn.example.org",
  },
  {
    key: "lic",
    name: "Labour Information Centre",
    nameKm: "មជ្ឈមណ្ឌលព័ត៌មានការងារ",
    shortName: "LIC",
    status: "active",
    website: "https://lic.example.org",
  },
  {
    key: "ivc",
    name: "Indigenous Voices Cambodia",
    nameKm: "សំឡេងជនជាតិដើមភាគតិចកម្ពុជា",
    shortName: "IVC",
    status: "observer",
    website: "https://ivc.example.org",
  },
  {
    key: "sdl",
    name: "Student Debate League",
    nameKm: "សម្ព័ន្ធវិវាទកម្មនិស្សិត",
    shortName: "SDL",
    status: "suspended",
    website: "https://sdl.example.org",
  },
];

export type DemoPerson = {
  local: string;
  name: string;
  language: "en" | "km";
  org: string;
  role: "admin" | "member";
  representative: boolean;
  coordinator?: boolean;
};

/** Invented names. `local` is the part of the email address before the @. */
export const PEOPLE: DemoPerson[] = [
  { local: "coordinator", name: "Sopheap Chanthy", language: "en", org: "cimn", role: "admin", representative: true, coordinator: true },
  { local: "coordinator2", name: "វណ្ណា រតនា", language: "km", org: "cimn", role: "member", representative: false, coordinator: true },
  { local: "cimn.member", name: "Dara Pheakdey", language: "en", org: "cimn", role: "member", representative: false },
  { local: "admin", name: "Srey Leakhena", language: "en", org: "kja", role: "admin", representative: true },
  { local: "member", name: "Vannak Sokunthea", language: "en", org: "kja", role: "member", representative: false },
  { local: "kja.member2", name: "ច័ន្ទ បុប្ផា", language: "km", org: "kja", role: "member", representative: true },
  { local: "drwc.admin", name: "Rithy Monorom", language: "en", org: "drwc", role: "admin", representative: true },
  { local: "drwc.member", name: "Kanha Vichheka", language: "en", org: "drwc", role: "member", representative: false },
  { local: "yvd.admin", name: "ពិសិដ្ឋ សុវណ្ណ", language: "km", org: "yvd", role: "admin", representative: true },
  { local: "yvd.member", name: "Malis Sreynich", language: "km", org: "yvd", role: "member", representative: false },
  { local: "yvd.member2", name: "Borey Panha", language: "en", org: "yvd", role: "member", representative: false },
  { local: "wimf.admin", name: "Channary Sokleap", language: "en", org: "wimf", role: "admin", representative: true },
  { local: "wimf.member", name: "សុភា ច័ន្ទលក្ខិណា", language: "km", org: "wimf", role: "member", representative: false },
  { local: "crac.admin", name: "Visal Sovannara", language: "km", org: "crac", role: "admin", representative: true },
  { local: "crac.member", name: "Davy Kolab", language: "en", org: "crac", role: "member", representative: false },
  { local: "lafs.admin", name: "Ratanak Sothea", language: "en", org: "lafs", role: "admin", representative: true },
  { local: "lafs.member", name: "Piseth Vireak", language: "en", org: "lafs", role: "member", representative: false },
  { local: "lafs.member2", name: "Serey Mealea", language: "km", org: "lafs", role: "member", representative: false },
  { local: "aoe.admin", name: "សិលា ម៉ានិត", language: "km", org: "aoe", role: "admin", representative: true },
  { local: "aoe.member", name: "Nimol Chantrea", language: "en", org: "aoe", role: "member", representative: false },
  { local: "mbc.admin", name: "Sovann Kimheng", language: "en", org: "mbc", role: "admin", representative: true },
  { local: "mbc.member", name: "Lida Sreypov", language: "en", org: "mbc", role: "member", representative: false },
  { local: "ppfn.admin", name: "Sokha Bunthoeun", language: "km", org: "ppfn", role: "admin", representative: true },
  { local: "ppfn.member", name: "Theary Sopheak", language: "km", org: "ppfn", role: "member", representative: false },
  { local: "ppfn.member2", name: "Vuthy Rachana", language: "en", org: "ppfn", role: "member", representative: false },
  { local: "lic.admin", name: "Chenda Somaly", language: "en", org: "lic", role: "admin", representative: true },
  { local: "lic.member", name: "Samnang Veasna", language: "km", org: "lic", role: "member", representative: false },
  { local: "observer", name: "Kosal Rothana", language: "en", org: "ivc", role: "admin", representative: true },
  { local: "ivc.member", name: "ស្រីពៅ ធារី", language: "km", org: "ivc", role: "member", representative: false },
  { local: "suspended", name: "Makara Vathana", language: "en", org: "sdl", role: "admin", representative: true },
  { local: "sdl.member", name: "Oudom Sreymao", language: "en", org: "sdl", role: "member", representative: false },
];

export interface DemoPeople {
  coalitionId: string;
  /** Organisation ids by key (e.g. "kja"). */
  orgIds: Map<string, string>;
  /** Person ids by the local part of their email (e.g. "kja.member2"). */
  personIds: Map<string, string>;
}

/** Insert the coalition, its organisations and people, with the audit events of their history. */
export async function loadDemoPeople(
  trx: Transaction<DB>,
  options: { slug: string; email: (local: string) => string; passwordHash: string },
): Promise<DemoPeople> {
  const { slug, email, passwordHash } = options;
  const taken = await trx
    .selectFrom("person")
    .where(
      "email",
      "in",
      PEOPLE.map((p) => email(p.local)),
    )
    .select("email")
    .executeTakeFirst();
  if (taken) throw new Error(`${taken.email} already has an account; run with --force-new on a fresh database instead.`);

  const coalition = await trx
    .insertInto("coalition")
    .values({
      name: COALITION.name,
      second_name: COALITION.nameKm,
      second_name_language: "km",
      slug,
      time_zone: COALITION.timeZone,
      description: COALITION.description,
    })
    .returning("id")
    .executeTakeFirstOrThrow();

  const orgIds = new Map<string, string>();
  for (const org of ORGANISATIONS) {
    const row = await trx
      .insertInto("organisation")
      .values({
        name: org.name,
        short_name: org.shortName,
        second_name: org.nameKm,
        second_name_language: "km",
        description: `${org.nameKm} (${org.shortName})`,
        website: org.website,
        contact_email: email(`contact.${org.key}`),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    orgIds.set(org.key, row.id);
  }

  const personIds = new Map<string, string>();
  const now = new Date();
  for (const p of PEOPLE) {
    const row = await trx
      .insertInto("person")
      .values({
        email: email(p.local),
        display_name: p.name,
        language: p.language,
        password_hash: passwordHash,
        email_verified_at: now,
        disabled_at: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    personIds.set(p.local, row.id);
  }
  const idOf = (map: Map<string, string>, key: string) => {
    const id = map.get(key);
    if (!id) throw new Error(`demo data refers to unknown key ${key}`);
    return id;
  };

  // The history, in the order it would have happened, so the audit log reads naturally.
  const [first] = PEOPLE;
  const [secretariat] = ORGANISATIONS;
  if (!first || !secretariat) throw new Error("demo data is empty");
  const founder = idOf(personIds, first.local);
  await trx.insertInto("coordinator").values({ coalition_id: coalition.id, person_id: founder }).execute();
  await recordAudit(trx, {
    coalitionId: coalition.id,
    actorId: founder,
    action: "coalition.setup",
    targetType: "coalition",
    targetId: coalition.id,
    after: { coalition: COALITION.name, organisationId: idOf(orgIds, secretariat.key), coordinatorId: founder },
  });

  for (const org of ORGANISATIONS) {
    const organisationId = idOf(orgIds, org.key);
    // Everyone joined as active; the observer and the suspended organisation changed later.
    await trx
      .insertInto("coalition_member")
      .values({ coalition_id: coalition.id, organisation_id: organisationId, status: "active" })
      .execute();
    const members = PEOPLE.filter((p) => p.org === org.key);
    for (const p of members) {
      const personId = idOf(personIds, p.local);
      await trx
        .insertInto("membership")
        .values({ organisation_id: organisationId, person_id: personId, role: p.role, representative: p.representative })
        .execute();
      if (p === first) continue;
      await recordAudit(trx, {
        coalitionId: coalition.id,
        actorId: personId,
        action: p.role === "admin" ? "coalition.invitation_accepted" : "organisation.invitation_accepted",
        targetType: "organisation",
        targetId: organisationId,
        after: { personId, role: p.role, ...(p.role === "admin" ? { status: "active" } : {}) },
      });
    }
  }

  for (const p of PEOPLE) {
    if (!p.coordinator || p === first) continue;
    const personId = idOf(personIds, p.local);
    await trx.insertInto("coordinator").values({ coalition_id: coalition.id, person_id: personId }).execute();
    await recordAudit(trx, {
      coalitionId: coalition.id,
      actorId: founder,
      action: "coalition.coordinator_appointed",
      targetType: "person",
      targetId: personId,
      after: { role: "coordinator" },
    });
  }

  for (const org of ORGANISATIONS) {
    if (org.status === "active") continue;
    const organisationId = idOf(orgIds, org.key);
    await trx
      .updateTable("coalition_member")
      .set({ status: org.status, updated_at: new Date() })
      .where("coalition_id", "=", coalition.id)
      .where("organisation_id", "=", organisationId)
      .execute();
    await recordAudit(trx, {
      coalitionId: coalition.id,
      actorId: founder,
      action: "coalition.member_status",
      targetType: "organisation",
      targetId: organisationId,
      before: { status: "active" },
      after: { status: org.status },
    });
  }
  return { coalitionId: coalition.id, orgIds, personIds };
}
