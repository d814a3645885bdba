import type { Petition } from "@samakki/shared/petitions";
import { expect } from "vitest";
import type { TestContext } from "../../../../test/app.ts";
import { createWorld, unique } from "../../../../test/factories/index.ts";
import { type BigWorld, extendWorld, makeCampaign } from "../../campaigns/__tests__/helpers.ts";
import { findPublicPetition, type PublicPetition, sign } from "../petitions.signing.ts";

export type PetitionBody = Petition;

export async function petitionWorld(ctx: TestContext) {
  return extendWorld(ctx, await createWorld(ctx));
}

/** A public campaign co-owned by orgA with an open petition (created by the coordinator). */
export async function makePetition(w: BigWorld, input: Record<string, unknown> = {}, campaign: Record<string, unknown> = {}) {
  const c = await makeCampaign(w, { visibility: "public", ...campaign });
  const res = await w.clients.coordinator.post<PetitionBody>(`${w.base}/campaigns/${c.id}/petition`, {
    titleKm: "ញត្តិការពារព្រៃឈើ",
    titleEn: "Protect the forest",
    bodyKm: "យើងស្នើសុំ…",
    bodyEn: "We ask…",
    target: 100,
    opensOn: "2020-01-01",
    closesOn: "2099-12-31",
    ...input,
  });
  expect(res.status, res.text).toBe(201);
  return { campaign: c, petition: res.body, path: `${w.base}/campaigns/${c.id}/petition` };
}

export async function publicPetition(ctx: TestContext, w: BigWorld, campaignSlug: string): Promise<PublicPetition> {
  const coalition = await ctx.db.selectFrom("coalition").where("id", "=", w.coalition.id).select("slug").executeTakeFirstOrThrow();
  const p = await findPublicPetition(ctx.db, coalition.slug, campaignSlug);
  if (!p) throw new Error("petition not public");
  return p;
}

/** The links of the newest confirmation email sent to the address. */
export async function linksFor(ctx: TestContext, to: string) {
  const mail = await ctx.db
    .selectFrom("outbox_email")
    .where("to_address", "=", to)
    .selectAll()
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  const confirm = /\/petitions\/confirm\/([a-z2-7]{32})/.exec(mail.text)?.[1];
  const withdraw = /\/petitions\/withdraw\/([a-z2-7]{32})/.exec(mail.text)?.[1] ?? "";
  return { confirm, withdraw, mail };
}

export const uniqueEmail = () => `${unique("signer").toLowerCase()}@example.org`;

export async function signAs(
  ctx: TestContext,
  petition: PublicPetition,
  input: {
    email?: string;
    name?: string;
    province?: string;
    showName?: boolean;
    comment?: string;
    lang?: "en" | "km";
    address?: string;
  } = {},
) {
  const email = input.email ?? uniqueEmail();
  const outcome = await sign(
    ctx.deps,
    petition,
    {
      name: input.name ?? "Sokha",
      email,
      province: (input.province ?? "KH-12") as "KH-12",
      comment: input.comment ?? "",
      showName: input.showName ?? false,
    },
    { lang: input.lang ?? "km", address: input.address ?? `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
  );
  expect(outcome.ok).toBe(true);
  return email;
}
