import { useQuery } from "@tanstack/react-query";
import { Notice } from "../../../components/Form.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { useT } from "../../../lib/i18n.tsx";
import { coalitionDeletionQuery } from "../api/operators.ts";

/** Tells the coalition's people when an operator has scheduled its deletion. */
export function DeletionBanner({ coalitionId, timeZone }: { coalitionId: string; timeZone: string }) {
  const t = useT();
  const { date } = useDateFormat(timeZone);
  const deletion = useQuery(coalitionDeletionQuery(coalitionId));
  if (!deletion.data?.dueAt) return null;
  return <Notice kind="warning" title={t("coalitionDeletion.banner", { date: date(deletion.data.dueAt) })} />;
}
