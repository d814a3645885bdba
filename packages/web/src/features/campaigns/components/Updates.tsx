import type { MeCoalition } from "@samakki/shared/auth";
import type { Campaign, CampaignUpdate } from "@samakki/shared/campaigns";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { ConfirmButton } from "../../../components/ConfirmDialog.tsx";
import { TextAreaField } from "../../../components/Field.tsx";
import { FormProblem, useForm } from "../../../components/Form.tsx";
import { MarkdownHint } from "../../../components/MarkdownHint.tsx";
import { QueryView } from "../../../components/QueryView.tsx";
import { ErrorNotice } from "../../../components/Status.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { useT } from "../../../lib/i18n.tsx";
import { postUpdate, removeUpdate, updatesQuery } from "../api/campaigns.ts";
import { ApiHtml } from "./shared.tsx";

/** One update; its author, the campaign's co-owners and the coordinators may remove it, after a question. */
function UpdateRow({ coalition, campaign, update }: { coalition: MeCoalition; campaign: Campaign; update: CampaignUpdate }) {
  const t = useT();
  const client = useQueryClient();
  const { dateTime } = useDateFormat(coalition.timeZone);
  const remove = useMutation({
    mutationFn: () => removeUpdate(coalition.id, campaign.id, update.id),
    onSuccess: () => client.invalidateQueries({ queryKey: updatesQuery(coalition.id, campaign.id).queryKey }),
  });
  return (
    <li className="row row-stack">
      <p className="row-meta">
        <strong>{update.author.displayName}</strong> · <time dateTime={update.createdAt}>{dateTime(update.createdAt)}</time>
      </p>
      <ApiHtml html={update.bodyHtml} />
      {update.canRemove ? (
        <div className="row-actions">
          <ConfirmButton
            label={t("campaigns.removeUpdate")}
            title={t("campaigns.removeUpdateTitle")}
            consequence={t("campaigns.removeUpdateConsequence")}
            pending={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        </div>
      ) : null}
      {remove.isError ? <ErrorNotice error={remove.error} /> : null}
    </li>
  );
}

/** Short Markdown posts by members, newest first. */
export function Updates({ coalition, campaign }: { coalition: MeCoalition; campaign: Campaign }) {
  const t = useT();
  const client = useQueryClient();
  const query = useInfiniteQuery(updatesQuery(coalition.id, campaign.id));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const form = useForm((v) => postUpdate(coalition.id, campaign.id, v.body ?? ""), {
    required: ["body"],
    onSuccess: (_r, el) => {
      el.reset();
      void client.invalidateQueries({ queryKey: updatesQuery(coalition.id, campaign.id).queryKey });
    },
  });
  return (
    <Card title={t("campaigns.updates")} className="span-2">
      <form noValidate onSubmit={form.onSubmit}>
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        <TextAreaField
          label={t("campaigns.updateBody")}
          name="body"
          rows={3}
          maxLength={5000}
          hint={
            campaign.visibility === "public" ? (
              // Posting is open to every member: say before they post that anyone can read it.
              <>
                <strong className="public-note">{t("campaigns.updatePublicNote")}</strong> <MarkdownHint />
              </>
            ) : (
              <MarkdownHint />
            )
          }
          error={form.fieldErrors.body}
        />
        <div className="form-actions">
          <Button type="submit" variant="secondary" pending={form.pending}>
            {t("campaigns.post")}
          </Button>
        </div>
      </form>
      <QueryView query={query} empty={t("campaigns.updatesEmpty")} isEmpty={() => items.length === 0}>
        {() => (
          <ul className="rows">
            {items.map((u) => (
              <UpdateRow key={u.id} coalition={coalition} campaign={campaign} update={u} />
            ))}
          </ul>
        )}
      </QueryView>
      {query.hasNextPage ? (
        <div className="form-actions">
          <Button variant="secondary" small pending={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {t("common.loadMore")}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
