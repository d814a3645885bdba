// @vitest-environment happy-dom
import type { AuditEvent } from "@samakki/shared/audit";
import { CampaignStatus, Visibility } from "@samakki/shared/campaigns";
import { MemberStatus } from "@samakki/shared/coalitions";
import { catalogs, type Language, translate } from "@samakki/shared/i18n/index";
import { LetterChannel, Stance } from "@samakki/shared/letters";
import { PetitionStatus } from "@samakki/shared/petitions";
import { Outcome, StatementStatus, Threshold, VoteInfo } from "@samakki/shared/statements";
import { TaskPriority, TaskStatus } from "@samakki/shared/tasks";
import { describe, expect, it } from "vitest";
import { LAZY_AREAS } from "../../../../catalog-split.ts";
import { renderApp } from "../../../test/render.tsx";
import { AUDIT_AREAS, valueKey } from "../audit-values.ts";
import { AuditChanges } from "../components/AuditEventText.tsx";

/** Every code the API records in a field the audit log shows, with the target types it records it on. */
const RECORDED: Array<[targetType: string, field: string, codes: readonly string[]]> = [
  ["task", "status", TaskStatus.options],
  ["task", "priority", TaskPriority.options],
  ["statement", "status", StatementStatus.options],
  ["campaign", "status", CampaignStatus.options],
  ["campaign", "visibility", Visibility.options],
  ["vote", "status", VoteInfo.shape.status.options],
  ["vote", "threshold", Threshold.options],
  ["vote", "outcome", Outcome.options],
  ["petition", "status", PetitionStatus.options],
  ["organisation", "status", MemberStatus.options],
  ["organisation", "role", ["admin"]],
  ["person", "role", ["admin", "member", "coordinator"]],
  ["person", "language", Object.keys(catalogs)],
  ["letter", "channel", LetterChannel.options],
  ["letter", "stance", Stance.options],
  // packages/api/src/modules/auth/two-factor.service.ts, StepUpMethod.
  ["person", "method", ["password", "totp", "recovery_code", "passkey"]],
  ["person", "secondFactor", ["totp", "recovery_code", "passkey"]],
  ["passkey", "proof", ["password", "totp", "recovery_code", "passkey"]],
];

describe("the audit log's codes in words", () => {
  it("has every recorded code in both languages, in an area the audit page has loaded", () => {
    for (const [targetType, field, codes] of RECORDED)
      for (const code of codes) {
        const key = valueKey(targetType, field, code);
        expect(key, `${targetType} ${field} ${code}`).toBeDefined();
        const area = (key as string).split(".")[0] as string;
        // The audit page loads the signed-in part and AUDIT_AREAS, never another section's area.
        expect((AUDIT_AREAS as readonly string[]).includes(area) || !LAZY_AREAS.includes(area), key).toBe(true);
        for (const lang of Object.keys(catalogs) as Language[]) expect(translate(lang, key as string), `${lang} ${key}`).not.toBe(key);
      }
  });

  it("tells a task's status from a vote's, and leaves what is not a code as it is", () => {
    expect(valueKey("task", "status", "cancelled")).toBe("taskStatus.cancelled");
    expect(valueKey("vote", "status", "cancelled")).toBe("auditLog.value.voteStatus.cancelled");
    expect(valueKey("task", "title", "done")).toBeUndefined();
    expect(valueKey("letter_target", "status", "open")).toBeUndefined();
  });
});

const event = (targetType: string, before: unknown, after: unknown): AuditEvent => ({
  id: "1",
  action: "vote.close",
  actor: null,
  targetType,
  targetId: null,
  target: null,
  before,
  after,
  mentions: [],
  createdAt: "2026-12-01T08:00:00.000Z",
});

describe("an event's changes, in Khmer", () => {
  it("names the codes in Khmer, not as the API records them", async () => {
    const events: Record<string, AuditEvent> = {
      vote: event("vote", { status: "open" }, { status: "closed", outcome: "adopted", threshold: "two_thirds" }),
      task: event("task", null, { status: "in_progress", priority: "urgent" }),
      reply: event("letter", null, { stance: "opposed", channel: "fax" }),
      // A petition's edit lists the fields it changed, named as the rows are.
      edit: event("petition", null, { fields: ["target", "closesOn"] }),
    };
    await renderApp(
      <>
        {Object.entries(events).map(([name, e]) => (
          <section key={name} id={name}>
            <AuditChanges event={e} coalitionId="c" />
          </section>
        ))}
      </>,
      { lang: "km" },
    );
    const shown = (name: string) => document.getElementById(name)?.textContent ?? "";
    for (const key of ["auditLog.value.voteStatus.open", "auditLog.value.voteStatus.closed", "outcome.adopted", "threshold.two_thirds"])
      expect(shown("vote")).toContain(translate("km", key));
    expect(shown("task")).toContain(translate("km", "taskStatus.in_progress"));
    expect(shown("task")).toContain(translate("km", "priority.urgent"));
    expect(shown("reply")).toContain(translate("km", "letters.stance.opposed"));
    expect(shown("reply")).toContain(translate("km", "letters.channel.fax"));
    expect(shown("edit")).toContain(translate("km", "auditLog.field.target"));
    expect(shown("edit")).toContain(translate("km", "auditLog.field.closesOn"));
    for (const name of Object.keys(events)) {
      expect(shown(name), name).not.toBe("");
      expect(shown(name), name).not.toMatch(/\b(open|closed|adopted|two_thirds|in_progress|urgent|opposed|fax|target|closesOn)\b/);
    }
  });
  it("writes numbers in Khmer digits, a date as a date, a quorum as a percent, and Khmer's colon", async () => {
    const e = event("vote", null, { version: 2, quorum: 0.5, tally: { cast: 11, object: 0 }, sentOn: "2026-12-02" });
    await renderApp(<AuditChanges event={e} coalitionId="c" />, { lang: "km" });
    const text = document.body.textContent ?? "";
    expect(text).toContain("២");
    expect(text).toContain("៥០%");
    expect(text).toContain("១១");
    // "Cast៖ ១១", not "Cast: 11".
    expect(text).toContain("៖ ១១");
    expect(text).not.toContain(": ");
    expect(text).not.toMatch(/[0-9]/);
    expect(text).not.toContain("2026-12-02");
  });
});
