import type { CalendarFeedLink } from "@samakki/shared/calendar-feeds";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { useConfirm } from "../../../components/ConfirmDialog.tsx";
import { Field } from "../../../components/Field.tsx";
import { Notice } from "../../../components/Form.tsx";
import { QueryView } from "../../../components/QueryView.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { useCatalogArea } from "../../../lib/catalog-areas.ts";
import { useCurrentCoalition } from "../../../lib/coalition.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { useT } from "../../../lib/i18n.tsx";
import { calendarFeedQuery, createCalendarFeed, revokeCalendarFeed } from "../api/calendar-feed.ts";

/** The new link, shown this once: copy it, or open it in the calendar app (webcal:). */
function NewLink({ link }: { link: CalendarFeedLink }) {
  const t = useT();
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = () => {
    navigator.clipboard
      .writeText(link.url)
      .then(() => setCopied("yes"))
      .catch(() => setCopied("no"));
  };
  return (
    <Notice kind="warning" title={t("calendarFeed.shownOnce")}>
      <Field
        label={t("calendarFeed.linkLabel")}
        name="calendarFeedUrl"
        type="url"
        readOnly
        value={link.url}
        data-testid="calendar-feed-url"
        onFocus={(e) => e.currentTarget.select()}
      />
      <p className="form-actions">
        <Button variant="secondary" small onClick={copy}>
          {t("calendarFeed.copy")}
        </Button>
        <a className="btn btn-secondary btn-small" href={link.webcalUrl}>
          {t("calendarFeed.openInApp")}
        </a>
        {copied ? (
          <span role="status" className="muted">
            {t(copied === "yes" ? "calendarFeed.copied" : "calendarFeed.copyFailed")}
          </span>
        ) : null}
      </p>
    </Notice>
  );
}

/** A secret link a calendar app subscribes to (issue 10, item 13): make, replace or revoke it. */
export function CalendarFeedCard() {
  // The card's strings are a catalog area of their own (lib/catalog-areas.ts), fetched when it renders.
  const ready = useCatalogArea("calendarFeed");
  return ready ? <CalendarFeedCardBody /> : <Loading />;
}

function CalendarFeedCardBody() {
  const t = useT();
  const client = useQueryClient();
  const coalition = useCurrentCoalition();
  const { dateTime } = useDateFormat(coalition?.timeZone);
  const feed = useQuery(calendarFeedQuery);
  const [link, setLink] = useState<CalendarFeedLink | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: calendarFeedQuery.queryKey });
  const create = useMutation({
    mutationFn: createCalendarFeed,
    onSuccess: (made) => {
      setLink(made);
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: revokeCalendarFeed,
    onSuccess: () => {
      setLink(null);
      void refresh();
    },
  });
  const [dialog, confirm] = useConfirm();
  const active = feed.data?.active ?? false;
  return (
    <Card title={t("calendarFeed.title")}>
      {dialog}
      <p className="muted">{t("calendarFeed.hint")}</p>
      <QueryView query={feed} retry={false}>
        {(data) => (
          <p data-testid="calendar-feed-status">
            {!data.active || !data.createdAt
              ? t("calendarFeed.none")
              : data.lastFetchedAt
                ? t("calendarFeed.fetched", { created: dateTime(data.createdAt), fetched: dateTime(data.lastFetchedAt) })
                : t("calendarFeed.made", { created: dateTime(data.createdAt) })}
          </p>
        )}
      </QueryView>
      {link ? <NewLink link={link} /> : null}
      {feed.isSuccess ? (
        <div className="form-actions">
          {active ? (
            <>
              <Button
                variant="secondary"
                pending={create.isPending}
                onClick={() =>
                  void confirm({
                    title: t("calendarFeed.rotateConfirm"),
                    consequence: t("calendarFeed.rotateConsequence"),
                    confirmLabel: t("calendarFeed.rotate"),
                  }).then((ok) => ok && create.mutate())
                }
              >
                {t("calendarFeed.rotate")}
              </Button>
              <Button
                variant="danger"
                pending={revoke.isPending}
                onClick={() =>
                  void confirm({
                    title: t("calendarFeed.revokeConfirm"),
                    consequence: t("calendarFeed.revokeConsequence"),
                    confirmLabel: t("calendarFeed.revoke"),
                  }).then((ok) => ok && revoke.mutate())
                }
              >
                {t("calendarFeed.revoke")}
              </Button>
            </>
          ) : (
            <Button pending={create.isPending} onClick={() => create.mutate()}>
              {t("calendarFeed.create")}
            </Button>
          )}
        </div>
      ) : null}
      {create.isError ? <ErrorNotice error={create.error} /> : null}
      {revoke.isError ? <ErrorNotice error={revoke.error} /> : null}
    </Card>
  );
}
