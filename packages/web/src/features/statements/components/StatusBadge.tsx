import { useStatementLabel } from "../hooks/use-labels.ts";

export function StatementStatusBadge({ status }: { status: string }) {
  const label = useStatementLabel();
  return <span className={`badge badge-statement-${status}`}>{label("statementStatus", status)}</span>;
}
