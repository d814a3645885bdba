import type { MeCoalition } from "@samakki/shared/auth";
import { Notice } from "../../../components/Form.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { useT } from "../../../lib/i18n.tsx";

/** Tells the coalition's people when an operator has scheduled its deletion (the date comes with `/api/me`). */
export function DeletionBanner({ coalition }: { coalition: MeCoalition }) {
  const t = useT();
  const { date } = useDateFormat(coalition.timeZone);
  if (!coalition.deletionDueAt) return null;
  return <Notice kind="warning" title={t("coalitionDeletion.banner", { date: date(coalition.deletionDueAt) })} />;
}
