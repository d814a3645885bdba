import type { AuditEvent, AuditRef } from "@samakki/shared/audit";
import type { Language } from "@samakki/shared/i18n/index";
import { isUuid } from "../../lib/params.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { isoTime } from "../../lib/time.ts";
import { organisationRef } from "../organisations/organisation-ref.ts";
import { type AuditListFilter, type AuditRefType, listAuditEvents, resolveAuditRefs } from "./audit.repository.ts";

const REF_TYPES: readonly AuditRefType[] = ["task", "campaign", "statement", "vote", "organisation", "person", "petition", "coalition"];
const isRefType = (value: string): value is AuditRefType => (REF_TYPES as readonly string[]).includes(value);

/** Fields that name organisations or people by id without saying so in their name. */
const FIELD_ALIASES: Record<string, AuditRefType> = {
  eligible: "organisation",
  owners: "organisation",
  participants: "organisation",
  coordinatorId: "person",
};

/** Which kind of thing a field of before/after names by id: `organisationId`, `assigneePersonId`, `voteId`, `owners`… */
function refTypeOfField(field: string): AuditRefType | null {
  const alias = FIELD_ALIASES[field];
  if (alias) return alias;
  const name = field.replace(/Ids?$/, "").toLowerCase();
  for (const type of REF_TYPES) if (name === type || name.endsWith(type)) return type;
  return null;
}

/**
 * Fields never shown in the log, whatever an event recorded: how an organisation voted and whether it
 * endorsed by name. The ballot events record neither today (votes.service.ts); this keeps it so.
 */
const SECRET_FIELDS = new Set(["choice", "named"]);

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (SECRET_FIELDS.has(k) ? [] : [[k, withoutSecrets(v)]])));
  return value;
}

type Mention = { type: AuditRefType; id: string };

/** The ids an event's before/after names: fields named after a kind, and the organisation lists of campaign roles. */
function mentionsOf(action: string, value: unknown): Mention[] {
  if (Array.isArray(value))
    return action === "campaign.owners" || action === "campaign.participants"
      ? value.filter((v): v is string => isUuid(v)).map((id) => ({ type: "organisation", id }))
      : [];
  if (!value || typeof value !== "object") return [];
  const found: Mention[] = [];
  for (const [field, v] of Object.entries(value)) {
    const type = refTypeOfField(field);
    if (!type) continue;
    const ids = Array.isArray(v) ? v : [v];
    for (const id of ids) if (isUuid(id)) found.push({ type, id });
  }
  return found;
}

/**
 * A page of the coalition's audit log for a coordinator, each event with what its sentence needs:
 * the actor and their organisation in this coalition, the target's name, and the names of what the
 * changes mention. Two queries per page whatever its length (the events, then every name at once);
 * names are looked up only inside the coalition, so the log names nothing the reader could not see.
 */
export async function listAuditLog(ctx: CoalitionCtx, filter: AuditListFilter, lang: Language) {
  const { db } = ctx.deps;
  const coalitionId = ctx.access.coalitionId;
  const rows = await listAuditEvents(db, coalitionId, filter);
  const page = rows.slice(0, filter.limit);
  const events = page.map((r) => {
    const before = withoutSecrets(r.before ?? null);
    const after = withoutSecrets(r.after ?? null);
    const target: Mention | null =
      r.target_id && isRefType(r.target_type) && isUuid(r.target_id) ? { type: r.target_type, id: r.target_id } : null;
    return { row: r, before, after, target, mentions: [...mentionsOf(r.action, before), ...mentionsOf(r.action, after)] };
  });
  const wanted: Partial<Record<AuditRefType, Set<string>>> = {};
  for (const e of events)
    for (const m of e.target ? [e.target, ...e.mentions] : e.mentions) {
      const set = wanted[m.type] ?? new Set<string>();
      set.add(m.id.toLowerCase());
      wanted[m.type] = set;
    }
  const resolved = await resolveAuditRefs(
    db,
    coalitionId,
    Object.fromEntries(Object.entries(wanted).map(([type, ids]) => [type, [...ids]])),
    lang,
  );
  const byKey = new Map(resolved.map((r) => [`${r.type}:${r.id}`, r]));
  const ref = (m: Mention): AuditRef => {
    const found = byKey.get(`${m.type}:${m.id.toLowerCase()}`);
    return { type: m.type, id: m.id, label: found?.label ?? null, parentId: found?.parent_id ?? null };
  };
  const items: AuditEvent[] = events.map(({ row: r, before, after, target, mentions }) => ({
    id: r.id,
    action: r.action,
    actor: r.actor_id
      ? {
          id: r.actor_id,
          displayName: r.display_name ?? "",
          organisation:
            r.org_id && r.org_name
              ? organisationRef(r.org_id, {
                  name: r.org_name,
                  short_name: r.org_short_name ?? null,
                  second_name: r.org_second_name ?? null,
                  second_name_language: r.org_second_name_language ?? null,
                })
              : null,
        }
      : null,
    targetType: r.target_type,
    targetId: r.target_id,
    target: target ? ref(target) : r.target_id ? { type: r.target_type, id: r.target_id, label: null, parentId: null } : null,
    before,
    after,
    mentions: [...new Map(mentions.map((m) => [`${m.type}:${m.id}`, ref(m)])).values()],
    createdAt: isoTime(r.created_at),
  }));
  return { items, nextCursor: rows.length > filter.limit ? (page[page.length - 1]?.id ?? null) : null };
}
