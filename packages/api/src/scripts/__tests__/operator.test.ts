import { describe, expect, it } from "vitest";
import { childDatabase, killAll, runCli } from "../../../test/server-process.ts";

describe("pnpm --filter @samakki/api operator", () => {
  it("the person who set up is the first operator; add, remove, list, coalitions and create-coalition", async () => {
    const database = await childDatabase();
    try {
      const setup = await runCli(
        "setup",
        ["--coalition", "First Coalition", "--organisation", "Secretariat", "--name", "Founder", "--email", "founder@example.org"],
        { ...database.env, SETUP_PASSWORD: "a long and unusual passphrase 42" },
      );
      expect(setup.code, setup.output).toBe(0);

      const created = await runCli(
        "operator",
        [
          "create-coalition",
          "--name",
          "Second Coalition",
          "--organisation",
          "Its Secretariat",
          "--coordinator-email",
          "second@example.org",
        ],
        database.env,
      );
      expect(created.code, created.output).toBe(0);
      expect(created.output).toContain('Created the coalition "Second Coalition"');
      expect(created.output).toContain("Invited second@example.org");
      expect(created.output).toContain("/dev/mailbox");

      // In production without Resend nothing is sent and the dev mailbox is not served: the link itself.
      const inProduction = await runCli(
        "operator",
        ["create-coalition", "--name", "Third Coalition", "--organisation", "Its Office", "--coordinator-email", "third@example.org"],
        { ...database.env, NODE_ENV: "production" },
      );
      expect(inProduction.code, inProduction.output).toBe(0);
      expect(inProduction.output).not.toContain("/dev/mailbox");
      const link = inProduction.output.match(/https?:\/\/\S+\/invitations\/(\S+)/);
      expect(link, inProduction.output).not.toBeNull();
      expect((await runCli("operator", ["coalitions"], database.env)).output).toMatch(/Third Coalition\tpending/);

      const removed = await runCli("operator", ["remove", "founder@example.org"], database.env);
      expect(removed.output).toContain("founder@example.org is no longer an instance operator.");
      const unknown = await runCli("operator", ["add", "nobody@example.org"], database.env);
      expect(unknown.code).toBe(1);
      expect(unknown.output).toContain("No account has that email");

      // Both coalitions, the second waiting for its coordinator.
      const state = await runCli("operator", ["coalitions"], database.env);
      expect(state.code, state.output).toBe(0);
      expect(state.output).toMatch(/First Coalition\tactive\t1 organisations, 1 coordinators/);
      expect(state.output).toMatch(/Second Coalition\tpending\t0 organisations, 0 coordinators/);
      const added = await runCli("operator", ["add", "FOUNDER@example.org"], database.env);
      expect(added.output).toContain("founder@example.org is now an instance operator.");
      const listed = await runCli("operator", ["list"], database.env);
      expect(listed.output).toContain("founder@example.org");
    } finally {
      await killAll();
      await database.cleanup();
    }
  }, 420_000);
});
