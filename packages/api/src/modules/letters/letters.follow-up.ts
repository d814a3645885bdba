import * as paths from "@samakki/shared/paths";
import type { Executor } from "../../lib/transaction.ts";
import { withTransaction } from "../../lib/transaction.ts";
import { type NotificationInput, notify } from "../notifications/notifications.service.ts";
import { claimDueFollowUps, organisationAdmins } from "./letters.repository.ts";

/**
 * Follow-up of letters without a reply (a background job, safe on several instances): 14 days
 * after a letter was sent (the end of its sent date + 14 in the coalition's time zone) with no
 * reply recorded, the sending organisation's admins are asked whether a reply came, in the app
 * and by email (the notification email job sends it in their language). Letters are claimed
 * with FOR UPDATE SKIP LOCKED and marked in the same statement: once per letter.
 */
export async function sendLetterFollowUps(db: Executor, batch = 200): Promise<number> {
  return withTransaction(db, async (trx) => {
    const letters = await claimDueFollowUps(trx, batch);
    const out: NotificationInput[] = [];
    for (const letter of letters) {
      for (const personId of await organisationAdmins(trx, letter.organisation_id)) {
        out.push({
          personId,
          coalitionId: letter.coalition_id,
          kind: "letter_follow_up",
          messageKey: "notifications.letter_follow_up",
          params: { target: letter.target_name, action: letter.action_title },
          link: paths.campaignLetters(letter.coalition_id, letter.campaign_id),
        });
      }
    }
    await notify(trx, out);
    return letters.length;
  });
}
