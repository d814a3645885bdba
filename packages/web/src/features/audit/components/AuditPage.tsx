import { type AuditEvent, auditActionKey, isAuditAction } from "@samakki/shared/audit";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { ComboboxField } from "../../../components/Combobox.tsx";
import { SelectField } from "../../../components/Field.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { QueryView } from "../../../components/QueryView.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { ApiError, fallbackProblem, isApiError } from "../../../lib/api-client.ts";
import { useCatalogAreas } from "../../../lib/catalog-areas.ts";
import { useCurrentCoalition } from "../../../lib/coalition.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { translateDynamic, useLanguage, useT } from "../../../lib/i18n.tsx";
import { AUDIT_ACTIONS, type AuditFilters, auditQuery, deadEmailsQuery, peopleQuery } from "../api/audit.ts";
import { AUDIT_AREAS } from "../audit-values.ts";
import { AuditChanges, AuditSentence, changesOf } from "./AuditEventText.tsx";

function useActionLabel() {
  const { lang } = useLanguage();
  return (action: string) => (isAuditAction(action) ? translateDynamic(lang, auditActionKey(action)) : action);
}

function EventRow({ event, coalitionId, timeZone }: { event: AuditEvent; coalitionId: string; timeZone: string | undefined }) {
  const t = useT();
  const { dateTime } = useDateFormat(timeZone);
  const changes = changesOf(event);
  return (
    <li className="row row-stack">
      <div className="row-main">
        <p className="row-title audit-sentence">
          <AuditSentence event={event} coalitionId={coalitionId} />
        </p>
        <p className="row-meta">
          <time dateTime={event.createdAt}>{dateTime(event.createdAt)}</time>
        </p>
      </div>
      {changes.length > 0 ? (
        <details className="audit-details">
          <summary>{t("auditLog.changes")}</summary>
          <AuditChanges event={event} coalitionId={coalitionId} timeZone={timeZone} />
        </details>
      ) : null}
    </li>
  );
}

/** Shown only when some email could not be delivered after every retry. */
function UndeliveredEmails({ coalitionId }: { coalitionId: string }) {
  const t = useT();
  const coalition = useCurrentCoalition();
  const { dateTime } = useDateFormat(coalition?.timeZone);
  const dead = useQuery(deadEmailsQuery(coalitionId));
  if (!dead.data || dead.data.count === 0) return null;
  return (
    <Card title={t("audit.undeliveredTitle")}>
      <p className="muted">{t("audit.undeliveredIntro", { count: dead.data.count })}</p>
      <ul className="rows">
        {dead.data.items.map((mail) => (
          <li key={mail.id} className="row">
            <div className="row-main">
              <strong>{mail.to}</strong> · <span>{dateTime(mail.createdAt)}</span>
              {mail.lastError ? <p className="muted">{mail.lastError}</p> : null}
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** What someone who may not read the log sees of the page: its title and why, nothing of the log. */
function Refused({ error }: { error?: unknown }) {
  const t = useT();
  const { lang } = useLanguage();
  return (
    <>
      <PageHeader title={t("audit.title")} />
      <ErrorNotice error={error ?? new ApiError(fallbackProblem(403, lang, "forbidden"))} />
    </>
  );
}

/**
 * Coordinators only (the API's policy). The shell draws a page once the session (`/api/me`) has
 * answered, so whether the person is a coordinator of this coalition is known here: someone who is
 * not sees the refusal alone, never the filters first, and nothing of the log is asked for.
 * The log's sentences are a catalog area of their own (lib/catalog-areas.ts), fetched with the page,
 * with the areas its values' names come from.
 */
export function AuditPage({ coalitionId }: { coalitionId: string }) {
  const coalition = useCurrentCoalition();
  if (coalition?.id !== coalitionId || !coalition.isCoordinator) return <Refused />;
  return <AuditAreas coalitionId={coalitionId} />;
}

function AuditAreas({ coalitionId }: { coalitionId: string }) {
  const ready = useCatalogAreas(AUDIT_AREAS);
  return ready ? <AuditLog coalitionId={coalitionId} /> : <Loading />;
}

function AuditLog({ coalitionId }: { coalitionId: string }) {
  const t = useT();
  const actionLabel = useActionLabel();
  const coalition = useCurrentCoalition();
  const [filters, setFilters] = useState<AuditFilters>({ action: "", actorId: "" });
  const people = useQuery(peopleQuery(coalitionId));
  const events = useInfiniteQuery(auditQuery(coalitionId, filters));
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  // No longer a coordinator since the session was read: the API's refusal, alone as above.
  if (isApiError(events.error) && events.error.status === 403) return <Refused error={events.error} />;

  return (
    <>
      <PageHeader title={t("audit.title")} subtitle={t("audit.intro")} />
      <UndeliveredEmails coalitionId={coalitionId} />
      <Card>
        <form
          className="filters"
          onSubmit={(e) => e.preventDefault()}
          onChange={(e) => {
            const data = new FormData(e.currentTarget);
            setFilters({ action: String(data.get("action") ?? ""), actorId: String(data.get("actorId") ?? "") });
          }}
        >
          <SelectField label={t("audit.filterAction")} name="action" defaultValue="">
            <option value="">{t("audit.allActions")}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionLabel(a)}
              </option>
            ))}
          </SelectField>
          <ComboboxField
            label={t("audit.filterActor")}
            name="actorId"
            value={filters.actorId}
            onChange={(actorId) => setFilters((f) => ({ ...f, actorId }))}
            busy={people.isPending}
            options={[
              { value: "", label: t("audit.allPeople") },
              ...(people.data ?? []).map((p) => ({ value: p.personId, label: p.displayName })),
            ]}
          />
        </form>
        <QueryView query={events} empty={t("audit.empty")} isEmpty={() => items.length === 0}>
          {() => (
            <ul className="rows">
              {items.map((e) => (
                <EventRow key={e.id} event={e} coalitionId={coalitionId} timeZone={coalition?.timeZone} />
              ))}
            </ul>
          )}
        </QueryView>
        {events.hasNextPage ? (
          <div className="form-actions">
            <Button variant="secondary" pending={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
              {t("common.loadMore")}
            </Button>
          </div>
        ) : null}
      </Card>
    </>
  );
}
