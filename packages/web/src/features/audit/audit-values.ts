/**
 * The catalog keys that put a recorded code into words in the audit log: "two_thirds" is "Two
 * thirds", "in_progress" is "In progress". A field's codes depend on what the event is about (a
 * task's status is not a vote's), so the prefix is chosen by the event's target type and the field.
 *
 * Where the app already names a code (a task's status, a threshold), its own catalog area is used,
 * which every signed-in page has loaded; the codes nothing else shows in words are under
 * `auditLog.value`, which comes with the audit page. Never from a section's lazy area (`letters`):
 * the audit page does not load those. `audit-values.test.ts` checks every code of every field here,
 * in both languages.
 */

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
  visibility: "auditLog.value.visibility",
  stance: "auditLog.value.stance",
  channel: "auditLog.value.channel",
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
  const prefix = BY_FIELD[field];
  return prefix ? `${prefix}.${value}` : undefined;
}
