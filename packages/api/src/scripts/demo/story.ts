/**
 * What the demo alliance is doing, as data: the march's stages, the ribbons handed out and the
 * letters sent by each organisation, the statements' texts and the tasks. content.ts loads it
 * through the services.
 */
import type { TaskStatus } from "@samakki/shared/tasks";

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
export const MARCH_STARTED_DAYS_AGO = 8;

/** Yellow ribbons handed out by each active organisation, one entry per distribution (about 40% of the target). */
export const RIBBONS: Record<string, number[]> = {
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
export const LETTERS: Record<string, number> = { cimn: 14, kja: 9, yvd: 21, wimf: 8, lafs: 12, ppfn: 17, lic: 6 };

const FAMILY_NAMES = [
  ["សុខ", "Sok"],
  ["ចាន់", "Chan"],
  ["ហេង", "Heng"],
  ["លី", "Ly"],
  ["កែវ", "Keo"],
  ["ម៉ម", "Mam"],
  ["ស៊ុន", "Sun"],
  ["ពេជ្រ", "Pich"],
  ["ឡុង", "Long"],
  ["អ៊ុំ", "Um"],
  ["ទេព", "Tep"],
  ["នួន", "Nuon"],
  ["ប៊ុន", "Bun"],
] as const;
const GIVEN_NAMES = [
  ["សុភា", "Sophea"],
  ["ដារ៉ា", "Dara"],
  ["វណ្ណា", "Vanna"],
  ["ចន្ថា", "Chantha"],
  ["សុផល", "Sophal"],
  ["រតនា", "Rathana"],
  ["បុប្ផា", "Bopha"],
  ["សំណាង", "Samnang"],
  ["ពិសិដ្ឋ", "Piseth"],
  ["សុវណ្ណ", "Sovann"],
] as const;

/**
 * The 125 members of the National Assembly the letters go to, as the coalition's letter recipients
 * (a CSV in the import format): invented names, a province each in turn.
 */
export function membersOfParliamentCsv(provinceCodes: readonly string[]): string {
  const rows = Array.from({ length: 125 }, (_, i) => {
    const [familyKm, familyEn] = FAMILY_NAMES[i % FAMILY_NAMES.length] ?? ["", ""];
    const [givenKm, givenEn] = GIVEN_NAMES[Math.floor(i / FAMILY_NAMES.length)] ?? ["", ""];
    return [
      `${familyKm} ${givenKm}`,
      `${familyEn} ${givenEn}`,
      // One field, typed by the coalition: both languages in it, as the demo's other bilingual texts.
      "សមាជិករដ្ឋសភា / Member of the National Assembly",
      provinceCodes[i % provinceCodes.length],
    ].join(",");
  });
  return ["name_km,name_en,role,province", ...rows].join("\n");
}

export const OPEN_LETTER = {
  title: "Open letter: free the detained journalists",
  subjectKm: "សំណើសុំដោះលែងអ្នកសារព័ត៌មានដែលត្រូវបានឃុំខ្លួន",
  subjectEn: "Please act for the release of the detained journalists",
  bodyKm:
    "ឯកឧត្តម លោកជំទាវ\n\nយើងខ្ញុំ ជាប្រជាពលរដ្ឋនៃមណ្ឌលរបស់ឯកឧត្តម លោកជំទាវ សូមស្នើឱ្យលើកឡើងនៅក្នុងរដ្ឋសភា នូវការដោះលែងអ្នកសារព័ត៌មានទាំងអស់ដែលត្រូវបានឃុំខ្លួនដោយសារការងាររបស់ពួកគេ។\n\nដោយក្តីគោរព",
  bodyEn:
    "Dear Member of the National Assembly,\n\nAs people of your province, we ask you to raise in the Assembly the release of every journalist detained for their work.\n\nRespectfully,",
};

export const STATEMENT_PUBLISHED = {
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

export const STATEMENT_VOTING = {
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

export const STATEMENT_DRAFT = {
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

export function version(statement: { versions: { bodyEn: string; bodyKm: string }[] }, index: number) {
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

export const TASKS: DemoTask[] = [
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
