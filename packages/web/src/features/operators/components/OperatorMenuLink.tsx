import * as paths from "@samakki/shared/paths";
import { Link } from "wouter";
import { useT } from "../../../lib/i18n.tsx";
import { useMe } from "../../../lib/session.ts";

/** The account menu's link to the operator page, for instance operators only (`/api/me` says who is one). */
export function OperatorMenuLink({ onClick }: { onClick: () => void }) {
  const t = useT();
  const me = useMe();
  if (!me.data?.operator) return null;
  return (
    <Link href={paths.operator()} className="menu-item" onClick={onClick}>
      {t("nav.operator")}
    </Link>
  );
}
