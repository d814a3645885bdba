import type { Me, MeCoalition } from "@samakki/shared/auth";

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
  timeZone: "Asia/Phnom_Penh",
  isCoordinator: true,
  organisations: [{ id: ids.organisation, name: "Mekong Friends", shortName: "MF", role: "admin", representative: true }],
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
  };
}
