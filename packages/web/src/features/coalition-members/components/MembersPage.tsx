import type { CoalitionMember } from "@samakki/shared/coalitions";
import { SettableMemberStatus } from "@samakki/shared/coalitions";
import * as paths from "@samakki/shared/paths";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { ComboboxField } from "../../../components/Combobox.tsx";
import { useConfirm } from "../../../components/ConfirmDialog.tsx";
import { Field, LanguageSelectField, SelectField } from "../../../components/Field.tsx";
import { FormProblem, Notice, oneOf, optional, useForm } from "../../../components/Form.tsx";
import { InvitationList } from "../../../components/InvitationList.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { allAnswered, QueryView } from "../../../components/QueryView.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { useCurrentCoalition } from "../../../lib/coalition.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { useEnumLabel, useLanguage, useT } from "../../../lib/i18n.tsx";
import { useLocalName } from "../../../lib/local-name.ts";
import { meQuery } from "../../../lib/session.ts";
import {
  appointCoordinator,
  changeMemberStatus,
  coalitionKey,
  coalitionSettingsQuery,
  coordinatorsQuery,
  inviteOrganisation,
  membersQuery,
  pendingInvitationsQuery,
  peopleQuery,
  removeCoordinator,
  revokeOrganisationInvitation,
} from "../api/members.ts";
import { CoalitionExportCard } from "./CoalitionExportCard.tsx";
import { CoalitionNameCard } from "./CoalitionNameCard.tsx";
import { CoalitionSecurityCard } from "./CoalitionSecurityCard.tsx";

function StatusBadge({ status }: { status: string }) {
  const label = useEnumLabel();
  return <span className={`badge badge-${status}`}>{label("status", status)}</span>;
}

function MemberRow({
  coalitionId,
  member,
  canManage,
  timeZone,
}: {
  coalitionId: string;
  member: CoalitionMember;
  canManage: boolean;
  timeZone: string;
}) {
  const t = useT();
  const local = useLocalName();
  const label = useEnumLabel();
  const client = useQueryClient();
  const { date } = useDateFormat(timeZone);
  const [saved, setSaved] = useState(false);
  const form = useForm(
    (v) => changeMemberStatus(coalitionId, member.organisation.id, oneOf(SettableMemberStatus.options, v.status ?? "")),
    {
      onSuccess: () => {
        setSaved(true);
        void client.invalidateQueries({ queryKey: coalitionKey(coalitionId) });
      },
    },
  );
  const named = local(member.organisation);
  const name = member.organisation.shortName ? `${named} (${member.organisation.shortName})` : named;
  return (
    <li className="row">
      <div className="row-main">
        <Link href={paths.organisation(member.organisation.id)} className="row-title">
          {name}
        </Link>
        <p className="row-meta">
          <StatusBadge status={member.status} /> <span>{t("members.since", { date: date(member.updatedAt) })}</span>
        </p>
      </div>
      {canManage && member.status !== "invited" ? (
        <form noValidate onSubmit={form.onSubmit} className="row-form" onChange={() => setSaved(false)}>
          <SelectField
            label={t("members.changeStatus")}
            name="status"
            defaultValue={member.status}
            error={form.fieldErrors.status}
            className="field-inline"
          >
            {SettableMemberStatus.options.map((s) => (
              <option key={s} value={s}>
                {label("status", s)}
              </option>
            ))}
          </SelectField>
          <Button type="submit" variant="secondary" small pending={form.pending}>
            {t("common.save")}
          </Button>
          {saved ? (
            <span className="saved" role="status">
              {t("common.saved")}
            </span>
          ) : null}
          <FormProblem problem={form.problem} unmatched={form.unmatched} />
        </form>
      ) : null}
    </li>
  );
}

function InviteOrganisationForm({ coalitionId }: { coalitionId: string }) {
  const t = useT();
  const { lang } = useLanguage();
  const client = useQueryClient();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm(
    (v) =>
      inviteOrganisation(coalitionId, {
        organisationName: v.organisationName ?? "",
        shortName: optional(v, "shortName"),
        contactEmail: v.contactEmail ?? "",
        language: v.language === "km" ? "km" : "en",
      }).then(() => v.contactEmail ?? ""),
    {
      required: ["organisationName", "contactEmail"],
      onSuccess: (email, el) => {
        el.reset();
        setSentTo(email);
        void client.invalidateQueries({ queryKey: coalitionKey(coalitionId) });
      },
    },
  );
  return (
    <Card title={t("members.inviteTitle")}>
      <p className="muted">{t("members.inviteIntro")}</p>
      {sentTo ? <Notice kind="success" title={t("members.invited", { email: sentTo })} /> : null}
      <form noValidate onSubmit={form.onSubmit} onInput={() => setSentTo(null)}>
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        <Field label={t("organisation.name")} name="organisationName" error={form.fieldErrors.organisationName} autoComplete="off" />
        <Field
          label={t("organisation.shortName")}
          name="shortName"
          optionalLabel={t("common.optional")}
          hint={t("organisation.shortNameHint")}
          error={form.fieldErrors.shortName}
          autoComplete="off"
        />
        <Field
          label={t("organisation.contactEmail")}
          name="contactEmail"
          type="email"
          inputMode="email"
          hint={t("members.contactEmailHint")}
          error={form.fieldErrors.contactEmail}
          autoComplete="off"
        />
        <LanguageSelectField label={t("members.invitationLanguage")} defaultValue={lang} error={form.fieldErrors.language} />
        <div className="form-actions">
          <Button type="submit" pending={form.pending}>
            {t("members.inviteSubmit")}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function PendingInvitations({ coalitionId, timeZone }: { coalitionId: string; timeZone: string }) {
  const t = useT();
  const client = useQueryClient();
  const { date } = useDateFormat(timeZone);
  const query = useQuery(pendingInvitationsQuery(coalitionId));
  const revoke = useMutation({
    mutationFn: (id: string) => revokeOrganisationInvitation(coalitionId, id),
    onSuccess: () => client.invalidateQueries({ queryKey: coalitionKey(coalitionId) }),
  });
  const [dialog, confirm] = useConfirm();
  return (
    <Card title={t("members.pendingTitle")}>
      {dialog}
      <InvitationList
        query={query}
        empty={t("members.pendingEmpty")}
        title={(inv) => inv.organisationName}
        meta={(inv) => (
          <>
            <span>{inv.email}</span>{" "}
            {inv.expired ? (
              <span className="badge badge-suspended">{t("common.expired")}</span>
            ) : (
              <span>{t("invitation.validUntilDate", { date: date(inv.expiresAt) })}</span>
            )}
          </>
        )}
        confirmRevoke={(inv) =>
          confirm({
            title: t("members.revokeConfirm", { organisation: inv.organisationName }),
            consequence: t("members.revokeConsequence", { organisation: inv.organisationName }),
            confirmLabel: t("common.revoke"),
          })
        }
        revoke={revoke}
      />
    </Card>
  );
}

function Coordinators({ coalitionId, canManage }: { coalitionId: string; canManage: boolean }) {
  const t = useT();
  const client = useQueryClient();
  const coordinators = useQuery(coordinatorsQuery(coalitionId));
  const people = useQuery({ ...peopleQuery(coalitionId), enabled: canManage });
  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: coalitionKey(coalitionId) }),
      client.invalidateQueries({ queryKey: meQuery.queryKey }),
    ]);
  const remove = useMutation({ mutationFn: (personId: string) => removeCoordinator(coalitionId, personId), onSuccess: refresh });
  const [dialog, confirm] = useConfirm();
  const appoint = useForm((v) => appointCoordinator(coalitionId, v.personId ?? ""), {
    required: ["personId"],
    onSuccess: () => void refresh(),
  });

  const current = new Set((coordinators.data ?? []).map((c) => c.personId));
  const candidates = (people.data ?? []).filter((p) => !current.has(p.personId));

  return (
    <Card title={t("members.coordinatorsTitle")}>
      {dialog}
      <QueryView query={coordinators} retry={false}>
        {(data) => (
          <ul className="rows">
            {data.map((c) => (
              <li key={c.personId} className="row">
                <div className="row-main">
                  <span className="row-title">{c.displayName}</span>
                  {/* Addresses only reach coordinators and the coordinator's own organisation. */}
                  {c.email ? <p className="row-meta">{c.email}</p> : null}
                </div>
                {canManage && data.length > 1 ? (
                  <Button
                    variant="danger"
                    small
                    pending={remove.isPending && remove.variables === c.personId}
                    onClick={() => {
                      void confirm({
                        title: t("members.removeCoordinatorConfirm", { name: c.displayName }),
                        consequence: t("members.removeCoordinatorConsequence", { name: c.displayName }),
                        confirmLabel: t("common.remove"),
                      }).then((ok) => ok && remove.mutate(c.personId));
                    }}
                  >
                    {t("common.remove")}
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      {remove.isError ? <ErrorNotice error={remove.error} /> : null}
      {canManage && candidates.length > 0 ? (
        <form noValidate onSubmit={appoint.onSubmit} className="inline-form">
          <FormProblem problem={appoint.problem} unmatched={appoint.unmatched} />
          <ComboboxField
            label={t("members.appointLabel")}
            name="personId"
            error={appoint.fieldErrors.personId}
            options={[
              { value: "", label: t("common.choose") },
              ...candidates.map((p) => ({ value: p.personId, label: p.email ? `${p.displayName} — ${p.email}` : p.displayName })),
            ]}
          />
          <Button type="submit" variant="secondary" pending={appoint.pending}>
            {t("members.appoint")}
          </Button>
        </form>
      ) : null}
    </Card>
  );
}

export function MembersPage({ coalitionId }: { coalitionId: string }) {
  const t = useT();
  const localName = useLocalName();
  const coalition = useCurrentCoalition();
  const members = useQuery(membersQuery(coalitionId));
  const canManage = coalition?.isCoordinator ?? false;
  const timeZone = coalition?.timeZone ?? "Asia/Phnom_Penh";
  // The cards' answers, asked together; the page is drawn once all are in (see allAnswered).
  const cards = allAnswered(
    members,
    useQuery({ ...pendingInvitationsQuery(coalitionId), enabled: canManage }),
    useQuery(coordinatorsQuery(coalitionId)),
    useQuery({ ...peopleQuery(coalitionId), enabled: canManage }),
    useQuery({ ...coalitionSettingsQuery(coalitionId), enabled: canManage }),
  );
  const header = <PageHeader title={t("members.title")} subtitle={coalition ? localName(coalition) : undefined} />;
  if (!cards)
    return (
      <>
        {header}
        <Loading />
      </>
    );
  return (
    <>
      {header}
      <div className="grid">
        <Card title={t("members.listTitle")} className="span-2">
          <QueryView query={members} empty={t("members.empty")}>
            {(data) => (
              <ul className="rows">
                {data.map((m) => (
                  <MemberRow key={m.organisation.id} coalitionId={coalitionId} member={m} canManage={canManage} timeZone={timeZone} />
                ))}
              </ul>
            )}
          </QueryView>
        </Card>
        {canManage ? <InviteOrganisationForm coalitionId={coalitionId} /> : null}
        {canManage ? <PendingInvitations coalitionId={coalitionId} timeZone={timeZone} /> : null}
        <Coordinators coalitionId={coalitionId} canManage={canManage} />
        {canManage ? <CoalitionNameCard coalitionId={coalitionId} /> : null}
        {canManage ? <CoalitionSecurityCard coalitionId={coalitionId} /> : null}
        {canManage ? <CoalitionExportCard coalitionId={coalitionId} /> : null}
        <Card title={t("letters.targets.title")}>
          <p className="muted">{t("letters.targets.intro")}</p>
          <Link href={paths.letterTargets(coalitionId)} className="btn btn-secondary btn-small">
            {t("letters.targets.title")}
          </Link>
        </Card>
      </div>
    </>
  );
}
