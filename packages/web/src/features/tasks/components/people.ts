import type { MeCoalition } from "@samakki/shared/auth";
import { useQuery } from "@tanstack/react-query";
import { directoryQuery } from "../api/tasks.ts";

export type PersonChoice = { id: string; displayName: string };

/** People of the coalition, for mentions (names only, loaded when the picker first opens). */
export function useCoalitionPeople(coalition: MeCoalition, enabled: boolean): { people: PersonChoice[]; pending: boolean } {
  const directory = useQuery({ ...directoryQuery(coalition.id), enabled });
  return {
    people: (directory.data ?? []).map((p) => ({ id: p.personId, displayName: p.displayName })),
    pending: enabled && directory.isPending,
  };
}
