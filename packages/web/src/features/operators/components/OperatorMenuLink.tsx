import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { useT } from "../../../lib/i18n.tsx";
import { isOperatorQuery } from "../api/operators.ts";

/** The account menu's link to the operator page, for instance operators only. */
export function OperatorMenuLink({ onClick }: { onClick: () => void }) {
  const t = useT();
  const operator = useQuery(isOperatorQuery);
  if (!operator.data?.operator) return null;
  return (
    <Link href="/operator" className="menu-item" onClick={onClick}>
      {t("nav.operator")}
    </Link>
  );
}
