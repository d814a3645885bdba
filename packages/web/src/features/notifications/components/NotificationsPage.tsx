import type { Notification } from "@samakki/shared/notifications";
import * as paths from "@samakki/shared/paths";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useLocation } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { QueryView } from "../../../components/QueryView.tsx";
import { ErrorNotice } from "../../../components/Status.tsx";
import { useCurrentCoalition } from "../../../lib/coalition.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { type Language, translateDynamic, useLanguage, useT } from "../../../lib/i18n.tsx";
import { markAllRead, markRead, notificationsKey, notificationsQuery } from "../api/notifications.ts";

/** Enum values inside parameters are translated too (`{status}` → "suspended" → ផ្អាក). */
function notificationText(lang: Language, n: Pick<Notification, "messageKey" | "params">): string {
  const params: Record<string, string | number> = { ...n.params };
  for (const [name, prefix] of [
    ["status", "status"],
    ["role", "role"],
  ] as const) {
    const value = params[name];
    if (typeof value === "string") {
      const key = `${prefix}.${value}`;
      const label = translateDynamic(lang, key);
      if (label !== key) params[name] = label;
    }
  }
  return translateDynamic(lang, n.messageKey, params);
}

function Item({ n, timeZone }: { n: Notification; timeZone: string | undefined }) {
  const t = useT();
  const { lang } = useLanguage();
  const { dateTime } = useDateFormat(timeZone);
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const read = useMutation({
    mutationFn: () => markRead(n.id),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationsKey }),
  });
  const unread = n.readAt === null;
  const link = n.link?.startsWith("/") && !n.link.startsWith("//") ? n.link : null;
  return (
    <li className={`row${unread ? " row-unread" : ""}`}>
      <div className="row-main">
        <p className="row-title">
          {unread ? <span className="visually-hidden">{t("notifications.unread")}: </span> : null}
          {notificationText(lang, n)}
        </p>
        <p className="row-meta">{dateTime(n.createdAt)}</p>
      </div>
      <div className="row-actions">
        {link ? (
          <Button
            variant="secondary"
            small
            onClick={() => {
              // A published statement's notice points to its public page, which the server draws: loaded
              // once the notice is marked read (leaving the page would cancel the request).
              if (paths.isServerPage(link)) {
                const go = () => window.location.assign(link);
                if (unread) read.mutateAsync().then(go, go);
                else go();
                return;
              }
              if (unread) read.mutate();
              navigate(link);
            }}
          >
            {t("common.open")}
          </Button>
        ) : null}
        {unread ? (
          <Button variant="link" small pending={read.isPending} onClick={() => read.mutate()}>
            {t("notifications.markRead")}
          </Button>
        ) : null}
      </div>
    </li>
  );
}

export function NotificationsPage() {
  const t = useT();
  const coalition = useCurrentCoalition();
  const client = useQueryClient();
  const list = useInfiniteQuery(notificationsQuery);
  const readAll = useMutation({ mutationFn: markAllRead, onSuccess: () => client.invalidateQueries({ queryKey: notificationsKey }) });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = list.data?.pages[0]?.unreadCount ?? 0;
  return (
    <>
      <PageHeader
        title={t("notifications.title")}
        actions={
          unread > 0 ? (
            <Button variant="secondary" small pending={readAll.isPending} onClick={() => readAll.mutate()}>
              {t("notifications.markAllRead")}
            </Button>
          ) : null
        }
      />
      <Card>
        <QueryView query={list} empty={t("notifications.empty")} isEmpty={() => items.length === 0}>
          {() => (
            <ul className="rows">
              {items.map((n) => (
                <Item key={n.id} n={n} timeZone={coalition?.timeZone} />
              ))}
            </ul>
          )}
        </QueryView>
        {readAll.isError ? <ErrorNotice error={readAll.error} /> : null}
        {list.hasNextPage ? (
          <div className="form-actions">
            <Button variant="secondary" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {t("common.loadMore")}
            </Button>
          </div>
        ) : null}
      </Card>
    </>
  );
}
