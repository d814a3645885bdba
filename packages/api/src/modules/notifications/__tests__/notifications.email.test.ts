import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createPerson } from "../../../../test/factories/index.ts";
import { sendNotificationEmails } from "../notifications.email.ts";
import { notify } from "../notifications.service.ts";

describe("notification emails", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  const outboxFor = (email: string) =>
    ctx.db.selectFrom("outbox_email").where("to_address", "=", email).select(["template", "subject", "text", "language"]).execute();

  it("emails each notification once to people who chose immediate emails, in their language, even with jobs racing", async () => {
    const person = await createPerson(ctx, { language: "km" });
    await notify(ctx.db, [
      {
        personId: person.id,
        kind: "vote_opened",
        messageKey: "notifications.vote_opened",
        params: { statement: "សេចក្តីថ្លែងការណ៍" },
        link: "/c/x/statements/y",
      },
    ]);
    await Promise.all([
      sendNotificationEmails(ctx.db, "https://samakki.example"),
      sendNotificationEmails(ctx.db, "https://samakki.example"),
    ]);
    await sendNotificationEmails(ctx.db, "https://samakki.example");
    const mails = await outboxFor(person.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.template).toBe("notification");
    expect(mails[0]?.language).toBe("km");
    expect(mails[0]?.subject).toContain("សេចក្តីថ្លែងការណ៍");
    expect(mails[0]?.text).toContain("https://samakki.example/c/x/statements/y");
  });

  it("sends a daily digest of everything not yet emailed, and nothing to people who turned emails off", async () => {
    const daily = await createPerson(ctx);
    const off = await createPerson(ctx);
    await ctx.db.updateTable("person").set({ notify_email: "daily" }).where("id", "=", daily.id).execute();
    await ctx.db.updateTable("person").set({ notify_email: "off" }).where("id", "=", off.id).execute();
    for (const personId of [daily.id, off.id]) {
      await notify(ctx.db, [
        { personId, kind: "task_overdue", messageKey: "notifications.task_overdue", params: { task: "Print ribbons" } },
        { personId, kind: "task_due_soon", messageKey: "notifications.task_due_soon", params: { task: "Book the hall" } },
      ]);
    }
    await sendNotificationEmails(ctx.db, "https://samakki.example");
    await sendNotificationEmails(ctx.db, "https://samakki.example");
    const digest = await outboxFor(daily.email);
    expect(digest).toHaveLength(1);
    expect(digest[0]?.template).toBe("digest");
    expect(digest[0]?.text).toContain("Print ribbons");
    expect(digest[0]?.text).toContain("Book the hall");
    expect(await outboxFor(off.email)).toHaveLength(0);
  });
});
