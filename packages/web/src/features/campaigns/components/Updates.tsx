import type { MeCoalition } from "@samakki/shared/auth";
import type { Campaign } from "@samakki/shared/campaigns";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { TextAreaField } from "../../../components/Field.tsx";
import { FormProblem, useForm } from "../../../components/Form.tsx";
import { MarkdownHint } from "../../../components/MarkdownHint.tsx";
import { QueryView } from "../../../components/QueryView.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { useT } from "../../../lib/i18n.tsx";
import { postUpdate, updatesQuery } from "../api/campaigns.ts";
import { ApiHtml } from "./shared.tsx";

/** Short Markdown posts by members, newest first. */
export function Updates({ coalition, campaign }: { coalition: MeCoalition; campaign: Campaign }) {
  const t = useT();
  const client = useQueryClient();
  const { dateTime } = useDateFormat(coalition.timeZone);
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
          hint={<MarkdownHint />}
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
              <li key={u.id} className="row row-stack">
                <p className="row-meta">
                  <strong>{u.author.displayName}</strong> · <time dateTime={u.createdAt}>{dateTime(u.createdAt)}</time>
                </p>
                <ApiHtml html={u.bodyHtml} />
              </li>
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
