import type { Me, MeCoalition } from "@samakki/shared/auth";
import type { Campaign, CampaignSummary } from "@samakki/shared/campaigns";
import type { CoalitionMember } from "@samakki/shared/coalitions";
import type { Target } from "@samakki/shared/letters";
import type { Organisation, OrganisationInvitation, OrganisationPerson } from "@samakki/shared/organisations";
import type { Statement } from "@samakki/shared/statements";
import type { Task } from "@samakki/shared/tasks";

/** Fixed ids (valid UUIDs, as the shared schemas want them). */
export const ids = {
  coalition: "c0a11710-0000-4000-8000-000000000001",
  organisation: "0a9a0000-0000-4000-8000-000000000002",
  otherOrganisation: "0a9a0000-0000-4000-8000-000000000003",
  person: "9e850000-0000-4000-8000-000000000004",
  otherPerson: "9e850000-0000-4000-8000-000000000005",
  statement: "57a7e000-0000-4000-8000-000000000006",
  vote: "7075e000-0000-4000-8000-000000000007",
  version: "7e450000-0000-4000-8000-000000000008",
  task: "7a5c0000-0000-4000-8000-000000000009",
  campaign: "ca3a0000-0000-4000-8000-00000000000a",
  invitation: "1a71e000-0000-4000-8000-00000000000b",
} as const;

export const coalition: MeCoalition = {
  id: ids.coalition,
  slug: "river-coalition",
  name: "River Coalition",
  secondName: null,
  timeZone: "Asia/Phnom_Penh",
  isCoordinator: true,
  organisations: [{ id: ids.organisation, name: "Mekong Friends", shortName: "MF", secondName: null, role: "admin", representative: true }],
  deletionDueAt: null,
};

/** The signed-in person, as `GET /api/me` answers. */
export function me(overrides: Partial<Me["person"]> = {}): Me {
  return {
    person: {
      id: ids.person,
      email: "sokha@example.org",
      displayName: "Sokha",
      language: "en",
      emailVerified: true,
      notifyEmail: "immediate",
      twoFactorEnabled: false,
      ...overrides,
    },
    coalitions: [coalition],
    organisations: coalition.organisations,
    recentAuthUntil: null,
    operator: false,
    twoFactorRequirement: { required: false, satisfied: false },
  };
}

const at = "2026-11-20T03:00:00.000Z";

/** A task as `GET/POST/PATCH …/tasks` answer it. */
export function task(overrides: Partial<Task> = {}): Task {
  return {
    id: ids.task,
    title: "Print the banners",
    status: "todo",
    priority: "normal",
    dueOn: null,
    overdue: false,
    campaign: null,
    assigneeOrganisation: null,
    assigneePerson: null,
    labels: [],
    updatedAt: at,
    coalitionId: ids.coalition,
    description: "",
    descriptionHtml: "",
    watchers: [],
    history: [],
    comments: [],
    permissions: { edit: true, assign: false, delegate: false, changeStatus: false },
    createdAt: at,
    revision: 1,
    ...overrides,
  };
}

/** A draft statement as `POST …/statements` answers it. */
export function statement(overrides: Partial<Statement> = {}): Statement {
  const current = {
    id: ids.version,
    number: 1,
    title: "Protect the river",
    bodyEn: "We ask…",
    bodyKm: "",
    bodyEnHtml: "<p>We ask…</p>",
    bodyKmHtml: "",
    sha256: "ab".repeat(32),
    author: { id: ids.person, displayName: "Sokha" },
    createdAt: at,
  };
  return {
    id: ids.statement,
    title: current.title,
    status: "draft",
    campaignId: null,
    versionCount: 1,
    updatedAt: at,
    publishedAt: null,
    coalitionId: ids.coalition,
    versions: [current],
    current,
    vote: null,
    publicUrl: null,
    publication: null,
    permissions: { edit: true, manage: true },
    ...overrides,
  };
}

export const campaign: CampaignSummary = {
  id: ids.campaign,
  slug: "clean-river",
  title: "Clean river",
  secondTitle: null,
  summary: "",
  status: "active",
  visibility: "members",
  startsOn: null,
  endsOn: null,
  owners: [],
  updatedAt: at,
};

/** The campaign as its own page loads it (`GET …/campaigns/:id`). */
export function campaignDetail(overrides: Partial<Campaign> = {}): Campaign {
  return {
    ...campaign,
    coalitionId: ids.coalition,
    description: "",
    descriptionHtml: "",
    goals: "",
    participants: [],
    canEdit: true,
    createdAt: at,
    revision: 1,
    ...overrides,
  };
}

export const memberOrganisations: CoalitionMember[] = [
  { organisation: { id: ids.organisation, name: "Mekong Friends", shortName: "MF", secondName: null }, status: "active", updatedAt: at },
  {
    organisation: { id: ids.otherOrganisation, name: "Tonle Sap Youth", shortName: null, secondName: null },
    status: "active",
    updatedAt: at,
  },
];

export const organisationPeople: OrganisationPerson[] = [
  { personId: ids.person, displayName: "Sokha", email: "sokha@example.org", role: "admin", representative: true },
  { personId: ids.otherPerson, displayName: "Dara", email: "dara@example.org", role: "member", representative: false },
];

export const organisation: Organisation = {
  id: ids.organisation,
  name: "Mekong Friends",
  shortName: "MF",
  secondName: null,
  description: "",
  website: "",
  contactEmail: "hello@mekong.example.org",
  createdAt: at,
  canAdminister: true,
};

export function invitation(overrides: Partial<OrganisationInvitation> = {}): OrganisationInvitation {
  return {
    id: ids.invitation,
    email: "vanna@example.org",
    displayName: null,
    language: "km",
    role: "member",
    expiresAt: "2026-12-04T03:00:00.000Z",
    createdAt: at,
    ...overrides,
  };
}

/** A person in the coalition's directory of letter recipients (`GET …/letter-targets`). */
export function letterTarget(overrides: Partial<Target> = {}): Target {
  return {
    id: "7a19e700-0000-4000-8000-000000000001",
    nameKm: "សុខ ដារា",
    nameEn: "Sok Dara",
    role: "MP",
    party: "",
    province: null,
    constituency: "",
    email: "",
    phone: "",
    fax: "",
    postalAddress: "",
    archived: false,
    updatedAt: "2026-11-01T00:00:00.000Z",
    ...overrides,
  };
}
