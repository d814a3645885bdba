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

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The comment as the API stores it: every "@Name" of a person picked from the list becomes
 * `@[Name](person-id)` (tasks/mentions.ts on the API side), which notifies them and renders as the
 * name only. Longer names first, so "@Sok Dara" is not taken for "@Sok"; a name followed by more
 * letters (or Khmer signs) is another word and stays text.
 */
export function toMentionMarkup(body: string, picked: readonly PersonChoice[]): string {
  const byName = new Map(picked.map((p) => [p.displayName, p.id]));
  const names = [...byName.keys()].filter(Boolean).sort((a, b) => b.length - a.length);
  if (names.length === 0) return body;
  const pattern = new RegExp(`(^|[^\\p{L}\\p{N}\\p{M}_])@(${names.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}\\p{M}_])`, "gu");
  // Brackets would end the mention early: the API accepts any name without them.
  return body.replace(pattern, (_all, before: string, name: string) => `${before}@[${name.replace(/[[\]]/g, "")}](${byName.get(name)})`);
}
