/**
 * The catalog keys that put a recorded code into words in the audit log: "two_thirds" is "Two
 * thirds", "in_progress" is "In progress". A field's codes depend on what the event is about (a
 * task's status is not a vote's), so the prefix is chosen by the event's target type and the field.
 *
 * Where the app already names a code (a task's status, a threshold, a letter's channel), its own
 * catalog key is used; the codes nothing else shows in words are under `auditLog.value`. The audit
 * page loads AUDIT_AREAS, the lazy areas these keys may come from, besides the signed-in part every
 * page has. `audit-values.test.ts` checks every code of every field here, in both languages.
 */

/** The lazy catalog areas the audit page loads (lib/catalog-areas.ts): its own, and the letters' names of codes. */
export const AUDIT_AREAS = ["auditLog", "letters"] as const;

const STATUS_BY_TARGET: Readonly<Record<string, string>> = {
  task: "taskStatus",
  statement: "statementStatus",
  campaign: "campaignStatus",
  vote: "auditLog.value.voteStatus",
  petition: "auditLog.value.petitionStatus",
  // An organisation's membership of the coalition.
  organisation: "status",
};

const BY_FIELD: Readonly<Record<string, string>> = {
  threshold: "threshold",
  outcome: "outcome",
  priority: "priority",
  stance: "letters.stance",
  channel: "letters.channel",
  language: "auditLog.value.language",
  // How someone proved who they were: at sign-in, to turn two-factor off, to add or remove a passkey.
  method: "auditLog.value.method",
  secondFactor: "auditLog.value.method",
  proof: "auditLog.value.method",
};

/** The key naming `value` of `field` in an event about a `targetType`, or undefined when that field holds no code. */
export function valueKey(targetType: string, field: string, value: string): string | undefined {
  if (field === "status") {
    const prefix = STATUS_BY_TARGET[targetType];
    return prefix ? `${prefix}.${value}` : undefined;
  }
  // A person's role in an organisation, or a coordinator of the coalition.
  if (field === "role") return value === "coordinator" ? "auditLog.value.role.coordinator" : `role.${value}`;
  // The campaign form's own words: campaigns.visibilityMembers, campaigns.visibilityPublic.
  if (field === "visibility") return `campaigns.visibility${value.charAt(0).toUpperCase()}${value.slice(1)}`;
  const prefix = BY_FIELD[field];
  return prefix ? `${prefix}.${value}` : undefined;
}
