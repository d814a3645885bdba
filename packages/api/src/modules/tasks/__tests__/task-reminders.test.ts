import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { addMember, createCoalition, createOrganisation, createPerson, createWorld } from "../../../../test/factories/index.ts";
import { sendTaskReminders } from "../tasks.reminders.ts";

type World = Awaited<ReturnType<typeof createWorld>>;

describe("due-date reminders", () => {
  let ctx: TestContext;
  let w: World;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  /** A date relative to today in the coalition's zone (Asia/Phnom_Penh), as the database sees it. */
  async function localDate(days: number): Promise<string> {
    const result = await sql<{ d: string }>`SELECT ((now() AT TIME ZONE 'Asia/Phnom_Penh')::date + ${days}::int)::text AS d`.execute(
      ctx.db,
    );
    return result.rows[0]?.d ?? "";
  }

  async function task(title: string, dueInDays: number, status = "todo") {
    const res = await w.clients.coordinator.post<{ id: string }>(`/api/coalitions/${w.coalition.id}/tasks`, {
      title,
      dueOn: await localDate(dueInDays),
      status,
      assigneeOrganisationId: w.orgA.id,
      assigneePersonId: w.people.memberA.id,
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const reminders = (kind: string, title: string) =>
    ctx.db
      .selectFrom("notification")
      .where("kind", "=", kind)
      .where(sql<boolean>`params->>'task' = ${title}`)
      .select(["person_id"])
      .execute();

  it("reminds the assignee once within 48 hours of the due time, even when two jobs run at once; never for done or far tasks", async () => {
    // Due at the end of tomorrow (local): between 24 and 48 hours from now.
    await task("Print the ribbons", 1);
    await task("Book the hall", 4);
    await task("Already printed", 1, "done");
    await Promise.all([sendTaskReminders(ctx.db), sendTaskReminders(ctx.db)]);
    await sendTaskReminders(ctx.db);
    expect(await reminders("task_due_soon", "Print the ribbons")).toEqual([{ person_id: w.people.memberA.id }]);
    expect(await reminders("task_due_soon", "Book the hall")).toEqual([]);
    expect(await reminders("task_due_soon", "Already printed")).toEqual([]);
  });

  it("without an assignee person, reminds the assignee organisation's admins; without any assignee, the task's watchers", async () => {
    const post = (title: string, assignee: Record<string, string>) =>
      localDate(1).then((dueOn) =>
        w.clients.coordinator.post<{ id: string }>(`/api/coalitions/${w.coalition.id}/tasks`, { title, dueOn, ...assignee }),
      );
    expect((await post("Hire the sound system", { assigneeOrganisationId: w.orgA.id })).status).toBe(201);
    expect((await post("Find a venue", {})).status).toBe(201);
    await sendTaskReminders(ctx.db);
    expect(await reminders("task_due_soon", "Hire the sound system")).toEqual([{ person_id: w.people.adminA.id }]);
    // The creator watches the task it created.
    expect(await reminders("task_due_soon", "Find a venue")).toEqual([{ person_id: w.people.coordinator.id }]);
  });

  it("sends the overdue notice once on the first day overdue, and a new due date starts over", async () => {
    const id = await task("Deliver the letters", -1);
    await Promise.all([sendTaskReminders(ctx.db), sendTaskReminders(ctx.db)]);
    await sendTaskReminders(ctx.db);
    expect(await reminders("task_overdue", "Deliver the letters")).toHaveLength(1);
    expect(await reminders("task_due_soon", "Deliver the letters")).toHaveLength(0);

    const moved = await w.clients.coordinator.patch(`/api/coalitions/${w.coalition.id}/tasks/${id}`, { dueOn: await localDate(1) });
    expect(moved.status).toBe(200);
    await sendTaskReminders(ctx.db);
    expect(await reminders("task_due_soon", "Deliver the letters")).toHaveLength(1);
  });

  it("finds due and overdue tasks in the time zones furthest ahead of and behind UTC (the claims' index bounds)", async () => {
    const zones = ["Pacific/Kiritimati", "Etc/GMT+12", "Asia/Phnom_Penh"];
    const titles: Record<string, { dueSoon: string[]; overdue: string[]; neither: string[] }> = {};
    for (const zone of zones) {
      const coalition = await createCoalition(ctx, { timeZone: zone });
      const org = await createOrganisation(ctx, coalition.id);
      const person = await createPerson(ctx);
      await addMember(ctx, org.id, person.id);
      const t = (label: string) => `${label} in ${zone}`;
      titles[zone] = {
        dueSoon: [t("due today"), t("due tomorrow")],
        overdue: [t("due yesterday"), t("due a week ago")],
        neither: [t("due in two days")],
      };
      for (const [title, days] of [
        [t("due today"), 0],
        [t("due tomorrow"), 1],
        [t("due yesterday"), -1],
        [t("due a week ago"), -7],
        [t("due in two days"), 2],
      ] as const)
        await sql`INSERT INTO task (coalition_id, title, due_on, assignee_organisation_id, assignee_person_id)
          VALUES (${coalition.id}, ${title}, (now() AT TIME ZONE ${zone})::date + ${days}::int, ${org.id}, ${person.id})`.execute(ctx.db);
    }
    await sendTaskReminders(ctx.db);
    for (const zone of zones) {
      const expected = titles[zone];
      if (!expected) throw new Error("no titles");
      for (const title of expected.dueSoon) expect(await reminders("task_due_soon", title), title).toHaveLength(1);
      for (const title of expected.overdue) expect(await reminders("task_overdue", title), title).toHaveLength(1);
      for (const title of [...expected.dueSoon, ...expected.neither]) expect(await reminders("task_overdue", title), title).toHaveLength(0);
      for (const title of [...expected.overdue, ...expected.neither])
        expect(await reminders("task_due_soon", title), title).toHaveLength(0);
    }
  });
});
