import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { generateToken, hashToken } from "../../../lib/crypto.ts";
import type { BigWorld } from "../../campaigns/__tests__/helpers.ts";
import { countSignatureRows, upsertSignature } from "../petitions.repository.ts";
import { petitionCounts } from "../petitions.service.ts";
import { CONFIRM_TTL_MS, confirm } from "../petitions.signing.ts";
import { makePetition, type PetitionBody, petitionWorld, uniqueEmail } from "./helpers.ts";

/**
 * Confirmations racing each other. Run with DATABASE_URL for true parallelism (PGlite serialises
 * statements, so there the same tests check the logic). Counting is exact by construction: the
 * count is a COUNT of confirmed rows, one row per (petition, email_key), and confirming is one
 * conditional UPDATE.
 */
describe("exact counts under concurrent confirmations", () => {
  let ctx: TestContext;
  let w: BigWorld;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await petitionWorld(ctx);
  });

  async function pending(petitionId: string, email = uniqueEmail()) {
    const token = generateToken();
    await upsertSignature(ctx.db, {
      petitionId,
      emailKey: email,
      email,
      name: "Racer",
      province: "KH-8",
      comment: "",
      showName: false,
      language: "en",
      confirmTokenHash: hashToken(token),
      confirmExpiresAt: new Date(Date.now() + CONFIRM_TTL_MS),
      withdrawTokenHash: hashToken(generateToken()),
    });
    return token;
  }

  it("50 parallel confirmations of one token count once", async () => {
    const { petition } = await makePetition(w);
    for (let round = 0; round < 3; round++) {
      const token = await pending(petition.id);
      const outcomes = await Promise.all(Array.from({ length: 50 }, () => confirm(ctx.db, token)));
      expect(outcomes.filter((o) => o === "confirmed")).toHaveLength(1);
      expect(outcomes.filter((o) => o === "already_confirmed")).toHaveLength(49);
    }
    const rows = await countSignatureRows(ctx.db, petition.id);
    expect(rows).toEqual({ all: 3, confirmed: 3 });
    expect((await petitionCounts(ctx.db, petition.id)).online).toBe(3);
  });

  it("50 parallel confirmations of 50 tokens count 50, and the count equals the rows", async () => {
    const { petition, path } = await makePetition(w);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => pending(petition.id)));
    // Each token twice, interleaved, so every row sees a race too.
    const outcomes = await Promise.all([...tokens, ...tokens].map((t) => confirm(ctx.db, t)));
    expect(outcomes.filter((o) => o === "confirmed")).toHaveLength(50);
    expect(await countSignatureRows(ctx.db, petition.id)).toEqual({ all: 50, confirmed: 50 });
    expect((await w.clients.coordinator.get<PetitionBody>(path)).body.counts.online).toBe(50);
  });

  it("50 parallel signatures with one address make one row", async () => {
    const { petition } = await makePetition(w);
    const email = uniqueEmail();
    await Promise.all(Array.from({ length: 50 }, () => pending(petition.id, email)));
    expect(await countSignatureRows(ctx.db, petition.id)).toEqual({ all: 1, confirmed: 0 });
  });
});
