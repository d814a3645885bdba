import type { Organisation, OrganisationPerson } from "@samakki/shared/organisations";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { useConfirm } from "../../../components/ConfirmDialog.tsx";
import { Field, LanguageSelectField, SelectField, TextAreaField } from "../../../components/Field.tsx";
import { FormProblem, Notice, useForm } from "../../../components/Form.tsx";
import { InvitationList } from "../../../components/InvitationList.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { QueryView } from "../../../components/QueryView.tsx";
import { readSecondName, SecondNameFields } from "../../../components/SecondNameFields.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { isApiError } from "../../../lib/api-client.ts";
import { useCurrentCoalition } from "../../../lib/coalition.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { useEnumLabel, useLanguage, useT } from "../../../lib/i18n.tsx";
import { useLocalName } from "../../../lib/local-name.ts";
import { meQuery, useMe } from "../../../lib/session.ts";
import {
  invitePerson,
  organisationInvitationsQuery,
  organisationKey,
  organisationPeopleQuery,
  organisationQuery,
  type ProfileInput,
  removePerson,
  revokePersonInvitation,
  updateOrganisation,
  updatePerson,
} from "../api/organisation.ts";

function Profile({ organisation }: { organisation: Organisation }) {
  const t = useT();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const form = useForm(
    (v) => {
      const input: ProfileInput = {
        name: v.name?.trim() ?? "",
        shortName: v.shortName?.trim() ?? "",
        secondName: readSecondName(v, "secondName"),
        description: v.description ?? "",
        website: v.website?.trim() ?? "",
      };
      if (v.contactEmail?.trim()) input.contactEmail = v.contactEmail.trim();
      return updateOrganisation(organisation.id, input);
    },
    {
      required: ["name"],
      onSuccess: (updated) => {
        client.setQueryData(organisationQuery(organisation.id).queryKey, updated);
        void client.invalidateQueries({ queryKey: meQuery.queryKey });
        setEditing(false);
      },
    },
  );

  if (editing) {
    return (
      <Card title={t("organisation.profileTitle")}>
        <form noValidate onSubmit={form.onSubmit}>
          <FormProblem problem={form.problem} unmatched={form.unmatched} />
          <Field label={t("organisation.name")} name="name" defaultValue={organisation.name} error={form.fieldErrors.name} />
          <Field
            label={t("organisation.shortName")}
            name="shortName"
            defaultValue={organisation.shortName ?? ""}
            optionalLabel={t("common.optional")}
            error={form.fieldErrors.shortName}
          />
          <SecondNameFields
            prefix="secondName"
            label={t("names.secondName")}
            value={organisation.secondName}
            errors={form.fieldErrors}
            maxLength={160}
          />
          <TextAreaField
            label={t("organisation.description")}
            name="description"
            rows={4}
            defaultValue={organisation.description}
            optionalLabel={t("common.optional")}
            error={form.fieldErrors.description}
          />
          <Field
            label={t("organisation.website")}
            name="website"
            type="url"
            inputMode="url"
            placeholder="https://"
            defaultValue={organisation.website}
            optionalLabel={t("common.optional")}
            error={form.fieldErrors.website}
          />
          <Field
            label={t("organisation.contactEmail")}
            name="contactEmail"
            type="email"
            inputMode="email"
            defaultValue={organisation.contactEmail}
            error={form.fieldErrors.contactEmail}
          />
          <div className="form-actions">
            <Button type="submit" pending={form.pending}>
              {t("common.save")}
            </Button>
            <Button variant="secondary" onClick={() => setEditing(false)}>
              {t("common.cancel")}
            </Button>
          </div>
        </form>
      </Card>
    );
  }
  return (
    <Card
      title={t("organisation.profileTitle")}
      actions={
        organisation.canAdminister ? (
          <Button variant="secondary" small onClick={() => setEditing(true)}>
            {t("common.edit")}
          </Button>
        ) : null
      }
    >
      {organisation.description ? (
        <p className="prose">{organisation.description}</p>
      ) : (
        <p className="muted">{t("organisation.noDescription")}</p>
      )}
      <dl className="facts">
        {organisation.secondName ? (
          <>
            <dt>{t("names.secondName")}</dt>
            <dd lang={organisation.secondName.language}>{organisation.secondName.name}</dd>
          </>
        ) : null}
        {organisation.website ? (
          <>
            <dt>{t("organisation.website")}</dt>
            <dd>
              <a href={organisation.website} rel="noopener noreferrer nofollow" target="_blank">
                {organisation.website}
              </a>
            </dd>
          </>
        ) : null}
        {organisation.contactEmail ? (
          <>
            <dt>{t("organisation.contactEmail")}</dt>
            <dd>{organisation.contactEmail}</dd>
          </>
        ) : null}
      </dl>
    </Card>
  );
}

function PersonRow({
  organisationId,
  person,
  canAdminister,
  isSelf,
}: {
  organisationId: string;
  person: OrganisationPerson;
  canAdminister: boolean;
  isSelf: boolean;
}) {
  const t = useT();
  const label = useEnumLabel();
  const client = useQueryClient();
  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: organisationKey(organisationId) }),
      client.invalidateQueries({ queryKey: meQuery.queryKey }),
    ]);
  const update = useMutation({
    mutationFn: (input: { role?: "admin" | "member"; representative?: boolean }) => updatePerson(organisationId, person.personId, input),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: () => removePerson(organisationId, person.personId), onSuccess: refresh });
  const [dialog, confirm] = useConfirm();
  const error = update.error ?? remove.error;
  return (
    <li className="row">
      {dialog}
      <div className="row-main">
        <span className="row-title">
          {person.displayName}
          {isSelf ? <span className="muted"> ({t("organisation.you")})</span> : null}
        </span>
        <p className="row-meta">
          {/* Other organisations' people are shown by name and role, without their addresses. */}
          {person.email ? <span>{person.email} </span> : null}
          <span className="badge">{label("role", person.role)}</span>{" "}
          {person.representative ? <span className="badge badge-active">{t("organisation.representative")}</span> : null}
        </p>
      </div>
      {canAdminister ? (
        <div className="row-actions">
          <label className="inline-control">
            <span>{t("organisation.role")}</span>
            <select
              value={person.role}
              disabled={update.isPending}
              onChange={(e) => update.mutate({ role: e.target.value === "admin" ? "admin" : "member" })}
            >
              <option value="member">{label("role", "member")}</option>
              <option value="admin">{label("role", "admin")}</option>
            </select>
          </label>
          <label className="inline-control">
            <input
              type="checkbox"
              checked={person.representative}
              disabled={update.isPending}
              onChange={(e) => update.mutate({ representative: e.target.checked })}
            />
            <span>{t("organisation.representative")}</span>
          </label>
          <Button
            variant="danger"
            small
            pending={remove.isPending}
            onClick={() => {
              void confirm({
                title: t("organisation.removeConfirm", { name: person.displayName }),
                consequence: t("organisation.removeConsequence", { name: person.displayName }),
                confirmLabel: t("common.remove"),
              }).then((ok) => ok && remove.mutate());
            }}
          >
            {t("common.remove")}
          </Button>
        </div>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
    </li>
  );
}

function People({ organisation }: { organisation: Organisation }) {
  const t = useT();
  const me = useMe();
  const people = useQuery(organisationPeopleQuery(organisation.id));
  return (
    <Card title={t("organisation.peopleTitle")}>
      {organisation.canAdminister ? <p className="muted">{t("organisation.representativesHint")}</p> : null}
      <QueryView
        query={people}
        // A suspended or departed organisation's people are not listed to other members.
        renderError={(error) =>
          isApiError(error) && error.status === 404 ? <p className="muted">{t("organisation.peopleHidden")}</p> : undefined
        }
      >
        {(data) => (
          <ul className="rows">
            {data.map((p) => (
              <PersonRow
                key={p.personId}
                organisationId={organisation.id}
                person={p}
                canAdminister={organisation.canAdminister}
                isSelf={p.personId === me.data?.person.id}
              />
            ))}
          </ul>
        )}
      </QueryView>
    </Card>
  );
}

function Invitations({ organisationId, timeZone }: { organisationId: string; timeZone: string | undefined }) {
  const t = useT();
  const label = useEnumLabel();
  const client = useQueryClient();
  const { date } = useDateFormat(timeZone);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const invitations = useQuery(organisationInvitationsQuery(organisationId));
  const { lang } = useLanguage();
  const form = useForm(
    (v) =>
      invitePerson(organisationId, {
        email: v.email ?? "",
        role: v.role === "admin" ? "admin" : "member",
        ...(v.displayName?.trim() ? { displayName: v.displayName.trim() } : {}),
        language: v.language === "km" ? "km" : "en",
      }),
    {
      required: ["email"],
      onSuccess: (invitation, el) => {
        el.reset();
        setSentTo(invitation.email);
        void client.invalidateQueries({ queryKey: organisationInvitationsQuery(organisationId).queryKey });
      },
    },
  );
  const revoke = useMutation({
    mutationFn: (id: string) => revokePersonInvitation(organisationId, id),
    onSuccess: () => client.invalidateQueries({ queryKey: organisationInvitationsQuery(organisationId).queryKey }),
  });
  const [dialog, confirm] = useConfirm();
  return (
    <>
      {dialog}
      <Card title={t("organisation.inviteTitle")}>
        {sentTo ? <Notice kind="success" title={t("organisation.invited", { email: sentTo })} /> : null}
        <form noValidate onSubmit={form.onSubmit} onInput={() => setSentTo(null)}>
          <FormProblem problem={form.problem} unmatched={form.unmatched} />
          <Field label={t("auth.email")} name="email" type="email" inputMode="email" autoComplete="off" error={form.fieldErrors.email} />
          <Field
            label={t("organisation.inviteName")}
            name="displayName"
            autoComplete="off"
            optionalLabel={t("common.optional")}
            hint={t("organisation.inviteNameHint")}
            error={form.fieldErrors.displayName}
          />
          <LanguageSelectField label={t("organisation.inviteLanguage")} defaultValue={lang} error={form.fieldErrors.language} />
          <SelectField
            label={t("organisation.role")}
            name="role"
            defaultValue="member"
            error={form.fieldErrors.role}
            hint={t("organisation.roleHint")}
          >
            <option value="member">{label("role", "member")}</option>
            <option value="admin">{label("role", "admin")}</option>
          </SelectField>
          <div className="form-actions">
            <Button type="submit" pending={form.pending}>
              {t("organisation.inviteSubmit")}
            </Button>
          </div>
        </form>
      </Card>
      <Card title={t("organisation.pendingTitle")}>
        <InvitationList
          query={invitations}
          retry={false}
          empty={t("organisation.pendingEmpty")}
          testId="pending-invitations"
          title={(inv) => (inv.displayName ? `${inv.displayName} · ${inv.email}` : inv.email)}
          meta={(inv) => (
            <>
              <span className="badge">{label("role", inv.role)}</span>{" "}
              <span>{t("invitation.validUntilDate", { date: date(inv.expiresAt) })}</span>
            </>
          )}
          confirmRevoke={(inv) =>
            confirm({
              title: t("organisation.revokeConfirm", { email: inv.email }),
              consequence: t("organisation.revokeConsequence"),
              confirmLabel: t("common.revoke"),
            })
          }
          revoke={revoke}
        />
      </Card>
    </>
  );
}

export function OrganisationPage({ organisationId }: { organisationId: string }) {
  const coalition = useCurrentCoalition();
  const localName = useLocalName();
  const organisation = useQuery(organisationQuery(organisationId));
  if (organisation.isPending) return <Loading />;
  if (organisation.isError) return <ErrorNotice error={organisation.error} onRetry={() => void organisation.refetch()} />;
  const org = organisation.data;
  return (
    <>
      <PageHeader title={localName(org)} subtitle={org.shortName ?? undefined} />
      <div className="grid">
        <Profile organisation={org} />
        <People organisation={org} />
        {org.canAdminister ? <Invitations organisationId={org.id} timeZone={coalition?.timeZone} /> : null}
      </div>
    </>
  );
}
