import { type AuditEvent, type AuditRef, auditSentenceKey, isAuditAction } from "@samakki/shared/audit";
import * as paths from "@samakki/shared/paths";
import { Fragment, type ReactNode } from "react";
import { Link } from "wouter";
import { formatDate, formatNumber, useDateFormat } from "../../../lib/format.ts";
import { translateDynamic, useLanguage, useT } from "../../../lib/i18n.tsx";
import { useLocalName } from "../../../lib/local-name.ts";
import { valueKey } from "../audit-values.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
/** A calendar date (a due date, a letter's date): shown as it is, in no time zone. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Things with a title, quoted in a sentence; people and organisations are named as they are. */
const TITLED = new Set(["task", "campaign", "statement", "vote", "petition"]);

/** The page of the web app that shows `ref`, or null (a person has no page of their own: the coalition's people). */
function refPath(coalitionId: string, ref: AuditRef): string | null {
  if (ref.label === null) return null;
  switch (ref.type) {
    case "task":
      return paths.task(coalitionId, ref.id);
    case "campaign":
      return paths.campaign(coalitionId, ref.id);
    case "statement":
      return paths.statement(coalitionId, ref.id);
    case "vote":
      return ref.parentId ? paths.statement(coalitionId, ref.parentId) : null;
    case "petition":
      return ref.parentId ? paths.campaignPetition(coalitionId, ref.parentId) : null;
    case "organisation":
      return paths.organisation(ref.id);
    case "person":
      return paths.members(coalitionId);
    case "coalition":
      return paths.coalition(coalitionId);
    default:
      return null;
  }
}

/** Fill `{name}` placeholders of a catalog template with React nodes (links), keeping the words' order of each language. */
function fillTemplate(template: string, nodes: Record<string, ReactNode>): ReactNode[] {
  return template.split(/(\{\w+\})/).map((part, i) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one template never move.
    return <Fragment key={i}>{name !== undefined && name in nodes ? nodes[name] : part}</Fragment>;
  });
}

/** `named`, not `ref`: a prop called `ref` is a DOM ref to Preact, which runs this code (docs/architecture.md §7). */
function RefLink({ coalitionId, named: r, fallbackType }: { coalitionId: string; named: AuditRef | null; fallbackType: string }) {
  const t = useT();
  const { lang } = useLanguage();
  if (!r || r.label === null) {
    const key = `auditLog.target.${r?.type ?? fallbackType}`;
    const generic = translateDynamic(lang, key);
    return <>{generic === key ? t("auditLog.target.other") : generic}</>;
  }
  const text = TITLED.has(r.type) ? t("auditLog.quoted", { title: r.label }) : r.label;
  const path = refPath(coalitionId, r);
  return path ? <Link href={path}>{text}</Link> : text;
}

/** The id that a field of `after` (else `before`) ending in `suffix` names: the organisation a task went to, the person it was delegated to. */
function namedIn(event: AuditEvent, type: "person" | "organisation"): { found: boolean; ref: AuditRef | null } {
  for (const side of [event.after, event.before]) {
    if (!side || typeof side !== "object" || Array.isArray(side)) continue;
    for (const [field, value] of Object.entries(side)) {
      if (!field.toLowerCase().endsWith(`${type}id`)) continue;
      if (typeof value !== "string") return { found: true, ref: null };
      return { found: true, ref: event.mentions.find((m) => m.type === type && m.id === value) ?? null };
    }
  }
  return { found: false, ref: null };
}

/** "Sok Dara (LICADHO) delegated the task “Print banners” to Chan Sophea": the event as a sentence, its names linked. */
export function AuditSentence({ event, coalitionId }: { event: AuditEvent; coalitionId: string }) {
  const t = useT();
  const localName = useLocalName();
  const { lang } = useLanguage();
  const actor = event.actor ? (
    event.actor.organisation ? (
      fillTemplate(t("auditLog.actorWithOrganisation"), {
        name: <strong>{event.actor.displayName}</strong>,
        organisation: <Link href={paths.organisation(event.actor.organisation.id)}>{localName(event.actor.organisation)}</Link>,
      })
    ) : (
      <strong>{event.actor.displayName}</strong>
    )
  ) : (
    t("auditLog.system")
  );
  const mentioned = (type: "person" | "organisation") => {
    const { found, ref } = namedIn(event, type);
    if (found && ref === null) return t("auditLog.nobody");
    return <RefLink coalitionId={coalitionId} named={ref} fallbackType={type} />;
  };
  if (!isAuditAction(event.action)) {
    // Recorded by an older version under a name no longer in the list: say who and what, plainly.
    return (
      <>
        {actor} · <code>{event.action}</code>
      </>
    );
  }
  const template = translateDynamic(lang, auditSentenceKey(event.action));
  return (
    <>
      {fillTemplate(template, {
        actor,
        target: <RefLink coalitionId={coalitionId} named={event.target} fallbackType={event.targetType} />,
        person: mentioned("person"),
        organisation: mentioned("organisation"),
      })}
    </>
  );
}

const humanise = (field: string) => field.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());

function useFieldLabel() {
  const { lang } = useLanguage();
  return (field: string) => {
    const key = `auditLog.field.${field}`;
    const label = translateDynamic(lang, key);
    return label === key ? humanise(field) : label;
  };
}

type ValueProps = { value: unknown; event: AuditEvent; coalitionId: string; timeZone?: string | undefined; field?: string | undefined };

function Value({ value, event, coalitionId, timeZone, field }: ValueProps) {
  const t = useT();
  const { lang } = useLanguage();
  const fieldLabel = useFieldLabel();
  const { dateTime } = useDateFormat(timeZone);
  if (value === null || value === undefined || value === "") return <span className="muted">{t("auditLog.empty")}</span>;
  if (typeof value === "boolean") return <>{value ? t("auditLog.yes") : t("auditLog.no")}</>;
  // Numbers in the reader's digits; a vote's quorum, recorded as a share, as a percent as the vote panel shows it.
  if (typeof value === "number") {
    const shown =
      field === "quorum" && value <= 1
        ? t("auditLog.percent", { percent: formatNumber(Math.round(value * 100), lang) })
        : formatNumber(value, lang);
    return <>{shown}</>;
  }
  if (typeof value === "string") {
    if (UUID.test(value)) {
      const ref = event.mentions.find((m) => m.id === value) ?? (event.target?.id === value ? event.target : null);
      return ref?.label ? <RefLink coalitionId={coalitionId} named={ref} fallbackType={ref.type} /> : <code>{value.slice(0, 8)}</code>;
    }
    if (ISO_TIME.test(value) && !Number.isNaN(Date.parse(value))) return <>{dateTime(value)}</>;
    if (ISO_DATE.test(value) && !Number.isNaN(Date.parse(value))) return <>{formatDate(`${value}T00:00:00Z`, lang, "UTC")}</>;
    // A code (a status, a threshold, a letter's channel): in words where the catalogs have it.
    const key = field === undefined ? undefined : valueKey(event.targetType, field, value);
    if (key !== undefined) {
      const label = translateDynamic(lang, key);
      if (label !== key) return <>{label}</>;
    }
    return <>{value}</>;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">{t("auditLog.empty")}</span>;
    if (value.some((v) => v !== null && typeof v === "object")) return <>{t("auditLog.items", { count: value.length })}</>;
    // The fields an edit changed (a petition's target and closing date): named as the rows above are.
    if (field === "fields") return <>{value.map((v) => (typeof v === "string" ? fieldLabel(v) : String(v))).join(", ")}</>;
    return (
      <>
        {value.map((v, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a recorded list never changes.
          <Fragment key={i}>
            {i > 0 ? ", " : null}
            <Value value={v} event={event} coalitionId={coalitionId} timeZone={timeZone} />
          </Fragment>
        ))}
      </>
    );
  }
  if (typeof value === "object")
    return (
      <>
        {Object.entries(value).map(([k, v], i) => (
          <Fragment key={k}>
            {i > 0 ? "; " : null}
            {fieldLabel(k)}
            {t("common.labelSeparator")}
            <Value value={v} event={event} coalitionId={coalitionId} timeZone={timeZone} field={k} />
          </Fragment>
        ))}
      </>
    );
  return <>{String(value)}</>;
}

type Change = { field: string; before: unknown; after: unknown; hasBefore: boolean; hasAfter: boolean };

const asRecord = (value: unknown): Record<string, unknown> | null =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/** The fields an event changed, in the order recorded; a list recorded whole (a campaign's organisations) is one field. */
export function changesOf(event: AuditEvent): Change[] {
  const before = asRecord(event.before);
  const after = asRecord(event.after);
  if ((event.before !== null && !before) || (event.after !== null && !after))
    return [
      {
        field: "organisations",
        before: event.before,
        after: event.after,
        hasBefore: event.before !== null,
        hasAfter: event.after !== null,
      },
    ];
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return fields
    .map((field) => ({
      field,
      before: before?.[field],
      after: after?.[field],
      hasBefore: before !== null && field in before,
      hasAfter: after !== null && field in after,
    }))
    .filter((c) => JSON.stringify(c.before) !== JSON.stringify(c.after))
    .filter((c) => !(opaque(event, c.before) && opaque(event, c.after)));
}

/**
 * An id the reader cannot be shown a name for (a ballot, an invitation, a paper sheet, or something
 * outside their coalition): a bare id tells a person nothing, so a change made only of those is left out.
 */
function opaque(event: AuditEvent, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value !== "string" || !UUID.test(value)) return false;
  const ref = event.mentions.find((m) => m.id === value) ?? (event.target?.id === value ? event.target : null);
  return !ref?.label;
}

/** "Status: draft → withdrawn", one line per field; long values wrap instead of scrolling. */
export function AuditChanges({ event, coalitionId, timeZone }: { event: AuditEvent; coalitionId: string; timeZone?: string | undefined }) {
  const t = useT();
  const fieldLabel = useFieldLabel();
  const changes = changesOf(event);
  if (changes.length === 0) return null;
  const value = (v: unknown, field: string) => (
    <Value value={v} event={event} coalitionId={coalitionId} timeZone={timeZone} field={field} />
  );
  return (
    <dl className="audit-changes">
      {changes.map((c) => (
        <div key={c.field} className="audit-change">
          <dt>{fieldLabel(c.field)}</dt>
          <dd>
            {c.hasBefore && c.hasAfter ? (
              fillTemplate(t("auditLog.changeFromTo"), {
                old: <del>{value(c.before, c.field)}</del>,
                new: <ins>{value(c.after, c.field)}</ins>,
              })
            ) : c.hasAfter ? (
              <ins>{value(c.after, c.field)}</ins>
            ) : (
              <del>{value(c.before, c.field)}</del>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
