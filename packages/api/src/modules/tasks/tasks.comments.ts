import * as paths from "@samakki/shared/paths";
import { notFound } from "../../lib/errors.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { withTransaction } from "../../lib/transaction.ts";
import { type NotificationInput, notify } from "../notifications/notifications.service.ts";
import { extractMentions } from "./mentions.ts";
import * as repo from "./tasks.repository.ts";

/** Anyone who sees the task comments; mentioned people of the coalition are notified and start watching. */
export async function addComment(ctx: CoalitionCtx, taskId: string, body: string) {
  return withTransaction(ctx.deps.db, async (trx) => {
    const task = await repo.findTask(trx, ctx.access.coalitionId, taskId);
    if (!task) throw notFound("task");
    const comment = await repo.insertComment(trx, taskId, ctx.person.id, body);
    const inCoalition = await repo.peopleOfCoalition(trx, ctx.access.coalitionId, extractMentions(body));
    const watchersBefore = (await repo.watcherIds(trx, taskId)).map((w) => w.person_id);
    await repo.addWatchers(trx, taskId, [ctx.person.id, ...inCoalition]);
    const link = paths.task(ctx.access.coalitionId, taskId);
    const recipients = new Map<string, NotificationInput>();
    for (const id of watchersBefore)
      recipients.set(id, {
        personId: id,
        coalitionId: ctx.access.coalitionId,
        kind: "task_comment",
        messageKey: "notifications.task_comment",
        params: { task: task.title, author: ctx.person.displayName },
        link,
      });
    for (const id of inCoalition)
      recipients.set(id, {
        personId: id,
        coalitionId: ctx.access.coalitionId,
        kind: "task_mention",
        messageKey: "notifications.task_mention",
        params: { task: task.title, author: ctx.person.displayName },
        link,
      });
    recipients.delete(ctx.person.id);
    await notify(trx, [...recipients.values()]);
    return comment;
  });
}
