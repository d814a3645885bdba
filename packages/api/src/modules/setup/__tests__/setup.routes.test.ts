import { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { snapshotCounts } from "../../../../test/permissions.ts";

const input = {
  coalitionName: "Alliance for Freedom of Expression",
  timeZone: "Asia/Phnom_Penh",
  organisationName: "Cambodian Center for Human Rights",
  organisationShortName: "CCHR",
  displayName: "Sok Chea",
  email: "Sok.Chea@example.org",
  password: "a long and unusual passphrase",
  language: "km",
};

describe("first-run setup", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("refuses bad input without changing anything", async () => {
    const before = await snapshotCounts(ctx);
    const res = await ctx.anonymous().post("/api/setup", { ...input, email: "not an email", password: "short", extra: 1 });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const paths = res
      .json(Problem)
      .errors?.map((e) => e.path)
      .sort();
    expect(paths).toEqual(["email", "extra", "password"]);
    expect(await snapshotCounts(ctx)).toEqual(before);
  });

  it("creates the coalition, organisation and coordinator, signs them in, then refuses a second run", async () => {
    const client = ctx.anonymous();
    expect((await client.get("/api/setup")).body).toEqual({ needed: true });
    const res = await client.post("/api/setup", input);
    expect(res.status).toBe(201);
    const me = await client.get<{ person: { email: string; language: string }; coalitions: { isCoordinator: boolean; name: string }[] }>(
      "/api/me",
    );
    expect(me.status).toBe(200);
    expect(me.body.person).toMatchObject({ email: "sok.chea@example.org", language: "km" });
    expect(me.body.coalitions).toEqual([expect.objectContaining({ name: input.coalitionName, isCoordinator: true })]);

    expect((await client.get("/api/setup")).body).toEqual({ needed: false });
    const again = await ctx.anonymous().post("/api/setup", { ...input, email: "other@example.org" });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: "setup_already_done" });
  });
});
