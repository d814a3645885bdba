import { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, ORIGIN, type TestClient, type TestContext } from "../../../../test/app.ts";
import { createPerson, DEFAULT_PASSWORD, signInAs } from "../../../../test/factories/index.ts";
import { SoftAuthenticator } from "./authenticator.ts";

/** A passkey is accepted by the auth module's step-up (verifyStepUp) as the proof a sensitive change needs. */
type Options = { challenge: string; rp: { id?: string } };

let ctx: TestContext;
beforeAll(async () => {
  ctx = await buildTestApp();
});

async function withPasskey() {
  const person = await createPerson(ctx);
  await ctx.db
    .updateTable("person")
    .set({ totp_key: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", totp_enabled_at: new Date() })
    .where("id", "=", person.id)
    .execute();
  const client = await signInAs(ctx, person);
  const authenticator = new SoftAuthenticator();
  const options = await client.post<Options>("/api/me/passkeys/registration-options");
  const added = await client.post("/api/me/passkeys", {
    name: "Key",
    response: authenticator.register(options.body, ORIGIN),
    password: DEFAULT_PASSWORD,
  });
  expect(added.status, added.text).toBe(201);
  return { person, client, authenticator };
}

async function passkeyProof(client: TestClient, authenticator: SoftAuthenticator, tamper = false) {
  const options = await client.post<Options>("/api/me/passkeys/authentication-options");
  expect(options.status).toBe(200);
  return authenticator.assert(options.body, ORIGIN, { tamper });
}

const recoveryHashes = async (personId: string) =>
  (await ctx.db.selectFrom("recovery_code").where("person_id", "=", personId).select("code_hash").execute()).map((r) => r.code_hash).sort();

describe("a passkey as step-up proof", () => {
  it("regenerates recovery codes with a passkey in the same request", async () => {
    const { person, client, authenticator } = await withPasskey();
    const before = await recoveryHashes(person.id);
    const res = await client.post<{ recoveryCodes: string[] }>("/api/me/two-factor/recovery-codes", {
      passkey: await passkeyProof(client, authenticator),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.recoveryCodes).toHaveLength(10);
    expect(await recoveryHashes(person.id)).not.toEqual(before);
  });

  it("refuses a wrong passkey answer and changes nothing", async () => {
    const { person, client, authenticator } = await withPasskey();
    await client.post("/api/me/two-factor/recovery-codes", { password: DEFAULT_PASSWORD });
    const before = await recoveryHashes(person.id);
    const res = await client.post("/api/me/two-factor/recovery-codes", { passkey: await passkeyProof(client, authenticator, true) });
    expect({ status: res.status, code: res.json(Problem).code }).toEqual({ status: 400, code: "passkey_invalid" });
    expect(await recoveryHashes(person.id)).toEqual(before);
  });
});
