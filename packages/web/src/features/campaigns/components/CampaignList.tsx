import type { MeCoalition } from "@samakki/shared/auth";
import { CampaignStatus } from "@samakki/shared/campaigns";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link, useLocation, useSearch } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { ComboboxField } from "../../../components/Combobox.tsx";
import { Field, SelectField } from "../../../components/Field.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { QueryView } from "../../../components/QueryView.tsx";
import { withQuery } from "../../../lib/api-client.ts";
import { useT } from "../../../lib/i18n.tsx";
import { useLocalName, useOrganisationName } from "../../../lib/local-name.ts";
import { type CampaignFilters, campaignListQuery, membersQuery } from "../api/campaigns.ts";
import { CampaignStatusBadge, DateRange } from "./shared.tsx";

function readFilters(search: string): CampaignFilters {
  const params = new URLSearchParams(search);
  return { status: params.get("status") ?? "", organisationId: params.get("organisationId") ?? "", q: params.get("q") ?? "" };
}

/** The campaign list; filters live in the address so Back and shared links keep them. */
export function CampaignList({ coalition }: { coalition: MeCoalition }) {
  const organisationName = useOrganisationName();
  const t = useT();
  const localName = useLocalName();
  const search = useSearch();
  const [, navigate] = useLocation();
  const filters = readFilters(search);
  const members = useQuery(membersQuery(coalition.id));
  const list = useInfiniteQuery(campaignListQuery(coalition.id, filters));
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(filters.status || filters.organisationId || filters.q);

  return (
    <>
      <PageHeader
        title={t("campaigns.title")}
        subtitle={localName(coalition)}
        actions={
          coalition.isCoordinator ? (
            <Link href="/new" className="btn btn-primary">
              {t("campaigns.new")}
            </Link>
          ) : null
        }
      />
      {/* Folded unless a filter is set: on a phone the list comes first. */}
      <details className="filters-details" open={filtered || undefined}>
        <summary>{t("campaigns.filters")}</summary>
        <form
          key={search}
          className="filters filters-3"
          onSubmit={(event) => {
            event.preventDefault();
            const data = new FormData(event.currentTarget);
            const value = (name: string) => String(data.get(name) ?? "").trim();
            navigate(withQuery("/", { q: value("q"), status: value("status"), organisationId: value("organisationId") }), {
              replace: true,
            });
          }}
        >
          <Field label={t("campaigns.search")} name="q" type="search" defaultValue={filters.q} maxLength={100} />
          <SelectField label={t("campaigns.status")} name="status" defaultValue={filters.status}>
            <option value="">{t("campaigns.anyStatus")}</option>
            {CampaignStatus.options.map((s) => (
              <option key={s} value={s}>
                {t(`campaignStatus.${s}`)}
              </option>
            ))}
          </SelectField>
          <ComboboxField
            label={t("campaigns.filterOrganisation")}
            name="organisationId"
            defaultValue={filters.organisationId}
            busy={members.isPending}
            options={[
              { value: "", label: t("campaigns.anyOrganisation") },
              ...(members.data ?? []).map((m) => ({
                value: m.organisation.id,
                label: organisationName.full(m.organisation),
              })),
            ]}
          />
          <div className="form-actions filters-actions">
            <Button type="submit" variant="secondary">
              {t("campaigns.show")}
            </Button>
            {filtered ? <Link href="/">{t("campaigns.clearFilters")}</Link> : null}
          </div>
        </form>
      </details>
      <section className="card" aria-busy={list.isFetching || undefined}>
        <h2 className="visually-hidden">{t("campaigns.title")}</h2>
        <QueryView query={list} empty={filtered ? t("campaigns.empty") : t("campaigns.none")} isEmpty={() => items.length === 0}>
          {() => (
            <ul className="rows">
              {items.map((c) => (
                <li key={c.id} className="row">
                  <div className="row-main">
                    <Link href={`/${c.id}`} className="row-title">
                      {localName(c)}
                    </Link>
                    {c.summary ? <p className="row-summary">{c.summary}</p> : null}
                    <p className="row-meta">
                      <CampaignStatusBadge status={c.status} /> <DateRange start={c.startsOn} end={c.endsOn} />
                    </p>
                    {c.owners.length > 0 ? (
                      <p className="row-meta">
                        {t("campaigns.coOwners", { names: c.owners.map((o) => organisationName.short(o)).join(", ") })}
                      </p>
                    ) : null}
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
      </section>
    </>
  );
}
