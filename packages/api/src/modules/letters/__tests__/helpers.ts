import type { Campaign } from "@samakki/shared/campaigns";
import type { Letter, LetterAction, Target } from "@samakki/shared/letters";
import { expect } from "vitest";
import type { TestClient, TestContext } from "../../../../test/app.ts";
import { type createWorld, unique } from "../../../../test/factories/index.ts";

export type World = Awaited<ReturnType<typeof createWorld>> & { base: string };

/** Row counts of the letters tables (and audit, notifications, outbox), to show a refused request changed nothing. */
export async function letterCounts(ctx: TestContext) {
  const tables = [
    "letter_target",
    "letter_action",
    "letter_action_target",
    "letter",
    "letter_reply",
    "letter_start_count",
    "metric",
    "audit_event",
    "notification",
    "outbox_email",
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await ctx.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

export type TargetBody = Target;

export async function makeTarget(w: World, input: Record<string, unknown> = {}): Promise<TargetBody> {
  const res = await w.clients.coordinator.post<TargetBody>(`${w.base}/letter-targets`, {
    nameEn: unique("MP"),
    nameKm: "តំណាងរាស្ត្រ",
    party: "Party A",
    province: "KH-12",
    email: "mp@example.org",
    ...input,
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

export type CampaignBody = Campaign;

export async function makeCampaign(w: World, input: Record<string, unknown> = {}): Promise<CampaignBody> {
  const res = await w.clients.coordinator.post<CampaignBody>(`${w.base}/campaigns`, {
    title: unique("Campaign"),
    ownerOrganisationIds: [w.orgA.id],
    ...input,
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

export type ActionBody = LetterAction;

export async function makeAction(w: World, campaignId: string, targetIds: string[], client: TestClient = w.clients.coordinator) {
  const res = await client.post<ActionBody>(`${w.base}/campaigns/${campaignId}/letter-actions`, {
    title: unique("Letter"),
    subjectEn: "Please support the bill",
    subjectKm: "សូមគាំទ្រសេចក្តីព្រាងច្បាប់",
    bodyEn: "Dear {name}, please support the bill.",
    bodyKm: "ជូនចំពោះ {name} សូមគាំទ្រសេចក្តីព្រាងច្បាប់។",
    targetIds,
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

export type LetterBody = Letter;
