import type { MeCoalition } from "@samakki/shared/auth";
import { StatementStatus } from "@samakki/shared/statements";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { SelectField } from "../../../components/Field.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { QueryView } from "../../../components/QueryView.tsx";
import { ErrorNotice } from "../../../components/Status.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { useT } from "../../../lib/i18n.tsx";
import { useLocalName } from "../../../lib/local-name.ts";
import { statementListQuery } from "../api/statements.ts";
import { useStatementLabel } from "../hooks/use-labels.ts";
import { StatementStatusBadge } from "./StatusBadge.tsx";

export function StatementList({ coalition }: { coalition: MeCoalition }) {
  const t = useT();
  const local = useLocalName();
  const label = useStatementLabel();
  const { dateTime } = useDateFormat(coalition.timeZone);
  const [search, setSearch] = useSearchParams();
  const parsed = StatementStatus.safeParse(search.get("status"));
  const status = parsed.success ? parsed.data : undefined;
  const list = useInfiniteQuery(statementListQuery(coalition.id, status));
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title={t("statements.title")}
        subtitle={local(coalition)}
        actions={
          <Link href="/new" className="btn btn-primary">
            {t("statements.propose")}
          </Link>
        }
      />
      <Card>
        <div className="filters">
          <SelectField
            label={t("statements.filterStatus")}
            name="status"
            value={status ?? ""}
            onChange={(event) => setSearch(event.target.value ? { status: event.target.value } : {}, { replace: true })}
          >
            <option value="">{t("statements.allStatuses")}</option>
            {StatementStatus.options.map((s) => (
              <option key={s} value={s}>
                {label("statementStatus", s)}
              </option>
            ))}
          </SelectField>
        </div>
        <QueryView query={list} empty={status ? t("statements.emptyFiltered") : t("statements.empty")} isEmpty={() => items.length === 0}>
          {() => (
            <ul className="rows" aria-label={t("statements.title")}>
              {items.map((s) => (
                <li key={s.id} className="row">
                  <div className="row-main">
                    <Link href={`/${s.id}`} className="row-title">
                      {s.title}
                    </Link>
                    <p className="row-meta">
                      <StatementStatusBadge status={s.status} /> <span>{t("statements.versionCount", { count: s.versionCount })}</span>
                      {" · "}
                      <span>
                        {s.publishedAt
                          ? t("statements.publishedAt", { date: dateTime(s.publishedAt) })
                          : t("statements.updatedAt", { date: dateTime(s.updatedAt) })}
                      </span>
                    </p>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </QueryView>
        {list.hasNextPage ? (
          <div className="form-actions">
            <Button variant="secondary" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {t("common.loadMore")}
            </Button>
          </div>
        ) : null}
        {list.isFetchNextPageError ? <ErrorNotice error={list.error} /> : null}
      </Card>
    </>
  );
}
