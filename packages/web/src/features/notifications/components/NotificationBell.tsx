// Numbers only, not the date module: the bell is in the first screen's bundle.
import { formatNumber } from "@samakki/shared/i18n/numbers";
import * as paths from "@samakki/shared/paths";
import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { unreadCountQuery } from "../api/unread-count.ts";

export function NotificationBell() {
  const t = useT();
  const { lang } = useLanguage();
  const unread = useQuery(unreadCountQuery);
  const count = unread.data ?? 0;
  const label = count > 0 ? t("notifications.bellUnread", { count }) : t("notifications.title");
  return (
    <Link href={paths.notifications()} className="bell" aria-label={label} title={label}>
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="bell-icon">
        <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" />
      </svg>
      {count > 0 ? (
        <span className="bell-count" aria-hidden="true">
          {count > 99 ? "99+" : formatNumber(count, lang)}
        </span>
      ) : null}
    </Link>
  );
}
