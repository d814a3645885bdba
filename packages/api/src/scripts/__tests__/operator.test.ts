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

      // A coalition's deletion from the terminal: scheduled, cancelled, each in the instance log.
      const second = state.output.match(/^([0-9a-f-]{36})\tSecond Coalition\t/m)?.[1] ?? "";
      expect(second, state.output).not.toBe("");
      const scheduled = await runCli("operator", ["schedule-deletion", second], database.env);
      expect(scheduled.code, scheduled.output).toBe(0);
      expect(scheduled.output).toMatch(/"Second Coalition" will be deleted after \d{4}-\d{2}-\d{2}T/);
      expect((await runCli("operator", ["coalitions"], database.env)).output).toMatch(
        /Second Coalition\tdeletion_scheduled \(deleted after /,
      );
      const cancelled = await runCli("operator", ["cancel-deletion", second], database.env);
      expect(cancelled.output).toContain('The deletion of "Second Coalition" is cancelled.');
      const again = await runCli("operator", ["cancel-deletion", second], database.env);
      expect(again.output).toContain('No deletion of "Second Coalition" is scheduled.');
      const unknownCoalition = await runCli("operator", ["schedule-deletion", "00000000-0000-4000-8000-000000000000"], database.env);
      expect(unknownCoalition.code).toBe(1);
      expect((await runCli("operator", ["schedule-deletion", "not-an-id"], database.env)).code).toBe(2);
      const log = await runCli("operator", ["log", "--limit", "3"], database.env);
      expect(log.code, log.output).toBe(0);
      const entries = log.output
        .split("\n")
        .filter((line) => /^\d{4}-/.test(line))
        .map((line) => line.split("\t").slice(1, 4));
      expect(entries).toEqual([
        ["coalition.deletion_cancelled", "command line", second],
        ["coalition.deletion_scheduled", "command line", second],
        ["operator.granted", "command line", "-"],
      ]);
    } finally {
      await killAll();
      await database.cleanup();
    }
  }, 420_000);
});
