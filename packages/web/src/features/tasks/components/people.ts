import type { MeCoalition } from "@samakki/shared/auth";
import { useQueries, useQuery } from "@tanstack/react-query";
import { coalitionPeopleQuery, membersQuery, organisationPeopleQuery } from "../api/tasks.ts";

export type PersonChoice = { id: string; displayName: string };

/**
 * People of the coalition, for mentions. Coordinators have one endpoint for it; everyone else
 * assembles it from the people of each active or observer member organisation (one request each).
 */
export function useCoalitionPeople(coalition: MeCoalition, enabled: boolean): { people: PersonChoice[]; pending: boolean } {
  const whole = useQuery({ ...coalitionPeopleQuery(coalition.id), enabled: enabled && coalition.isCoordinator });
  const members = useQuery({ ...membersQuery(coalition.id), enabled: enabled && !coalition.isCoordinator });
  const orgIds = (members.data ?? []).filter((m) => m.status === "active" || m.status === "observer").map((m) => m.organisation.id);
  const perOrg = useQueries({
    queries: orgIds.map((id) => ({ ...organisationPeopleQuery(id), enabled: enabled && !coalition.isCoordinator })),
  });
  if (coalition.isCoordinator)
    return { people: (whole.data ?? []).map((p) => ({ id: p.personId, displayName: p.displayName })), pending: enabled && whole.isPending };
  const seen = new Map<string, PersonChoice>();
  for (const q of perOrg)
    for (const p of q.data ?? []) if (!seen.has(p.personId)) seen.set(p.personId, { id: p.personId, displayName: p.displayName });
  const people = [...seen.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
  return { people, pending: enabled && (members.isPending || perOrg.some((q) => q.isPending)) };
}
