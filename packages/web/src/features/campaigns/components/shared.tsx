import type { CampaignStatus } from "@samakki/shared/campaigns";
import { useCallback } from "react";
import { formatDate, formatDateTime, formatNumber } from "../../../lib/format.ts";
import { useLanguage, useT } from "../../../lib/i18n.tsx";

/**
 * Campaign dates and activity times are wall-clock values in the coalition's zone (no offset):
 * shown as they are, never shifted by the device's zone.
 */
export function useLocalFormat() {
  const { lang } = useLanguage();
  return {
    day: useCallback((date: string) => formatDate(`${date}T00:00:00Z`, lang, "UTC"), [lang]),
    local: useCallback((value: string) => formatDateTime(`${value}:00Z`, lang, "UTC"), [lang]),
    number: useCallback((value: number) => formatNumber(value, lang), [lang]),
  };
}

/** Today in the coalition's zone, as YYYY-MM-DD (the default date of a contribution). */
export function todayIn(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  const t = useT();
  return <span className={`badge badge-campaign-${status}`}>{t(`campaignStatus.${status}`)}</span>;
}

export function DateRange({ start, end }: { start: string | null; end: string | null }) {
  const t = useT();
  const { day } = useLocalFormat();
  if (start && end) return <>{t("campaigns.dateRange", { start: day(start), end: day(end) })}</>;
  if (start) return <>{t("campaigns.dateFrom", { date: day(start) })}</>;
  if (end) return <>{t("campaigns.dateUntil", { date: day(end) })}</>;
  return null;
}

/** Sanitised HTML from the API (its Markdown renderer runs every *Html field through the sanitiser). */
export function ApiHtml({ html, className }: { html: string; className?: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: the API sanitises every *Html field before sending it.
  return <div className={`md-html${className ? ` ${className}` : ""}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
