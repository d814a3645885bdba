import type { MeCoalition } from "@samakki/shared/auth";
import { type Campaign, CampaignStatus, Visibility } from "@samakki/shared/campaigns";
import type { CoalitionMember } from "@samakki/shared/coalitions";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link, useLocation } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field, SelectField, TextAreaField } from "../../../components/Field.tsx";
import { FormProblem, type FormValues, Notice, oneOf, optional, useForm } from "../../../components/Form.tsx";
import { MarkdownHint } from "../../../components/MarkdownHint.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { readSecondName, SecondNameFields } from "../../../components/SecondNameFields.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { ApiError, fallbackProblem } from "../../../lib/api-client.ts";
import { ConflictNotice, compared, useEditConflict } from "../../../lib/edit-conflict.tsx";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { useLocalName, useOrganisationName } from "../../../lib/local-name.ts";
import {
  type CampaignInput,
  campaignQuery,
  campaignsKey,
  createCampaign,
  membersQuery,
  setCampaignOrganisations,
  updateCampaign,
} from "../api/campaigns.ts";

function OrganisationChoices({
  legend,
  hint,
  name,
  members,
  checked,
  error,
}: {
  legend: string;
  hint: string;
  name: string;
  members: readonly CoalitionMember[];
  checked: ReadonlySet<string>;
  error: string | undefined;
}) {
  const organisationName = useOrganisationName();
  const hintId = `${name}-hint`;
  const errorId = `${name}-error`;
  return (
    <fieldset
      className={`field org-choices${error ? " field-invalid" : ""}`}
      aria-describedby={[hintId, error ? errorId : ""].filter(Boolean).join(" ")}
    >
      <legend className="field-label">{legend}</legend>
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
      <div className="check-list">
        {members.map((m) => (
          <label key={m.organisation.id} className="check">
            <input type="checkbox" name={name} value={m.organisation.id} defaultChecked={checked.has(m.organisation.id)} />
            <span>{organisationName.full(m.organisation)}</span>
          </label>
        ))}
      </div>
      <p className="field-hint" id={hintId}>
        {hint}
      </p>
    </fieldset>
  );
}

function campaignInput(v: FormValues): CampaignInput {
  return {
    title: v.title ?? "",
    secondTitle: readSecondName(v, "secondTitle"),
    slug: optional(v, "slug"),
    summary: v.summary ?? "",
    description: v.description ?? "",
    goals: v.goals ?? "",
    status: oneOf(CampaignStatus.options, v.status ?? "planning"),
    visibility: oneOf(Visibility.options, v.visibility ?? "members"),
    startsOn: optional(v, "startsOn") ?? null,
    endsOn: optional(v, "endsOn") ?? null,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

function CampaignForm({
  coalition,
  campaign: loaded,
  members,
}: {
  coalition: MeCoalition;
  campaign?: Campaign | undefined;
  members: readonly CoalitionMember[];
}) {
  const t = useT();
  const { lang } = useLanguage();
  const client = useQueryClient();
  const [, navigate] = useLocation();
  // What the fields start from, kept: the campaign may be read again while the form is open
  // (another tab's change, a conflict), and a changed default would replace what was typed.
  const [campaign] = useState(loaded);
  // The revision the form opened on goes with the edit; someone else's edit first is a conflict, not overwritten.
  type Opened = Campaign | undefined;
  const edit = useEditConflict<Opened>(
    campaign,
    (opened) => opened?.revision ?? 0,
    () => client.fetchQuery({ ...campaignQuery(coalition.id, campaign?.id ?? ""), staleTime: 0 }),
    [
      compared<Opened>(t("campaigns.fieldTitle"), "title", (c) => c?.title ?? ""),
      // Two controls (the name and its language): reported, never merged.
      { label: t("names.secondTitle"), shown: (c) => c?.secondTitle?.name ?? "" },
      compared<Opened>(t("campaigns.slug"), "slug", (c) => c?.slug ?? ""),
      compared<Opened>(t("campaigns.summary"), "summary", (c) => c?.summary ?? ""),
      compared<Opened>(t("campaigns.description"), "description", (c) => c?.description ?? ""),
      compared<Opened>(t("campaigns.goals"), "goals", (c) => c?.goals ?? ""),
      compared<Opened>(
        t("campaigns.status"),
        "status",
        (c) => c?.status ?? "",
        (c) => (c ? t(`campaignStatus.${c.status}`) : ""),
      ),
      compared<Opened>(
        t("campaigns.visibility"),
        "visibility",
        (c) => c?.visibility ?? "",
        (c) => (c?.visibility === "public" ? t("campaigns.visibilityPublic") : t("campaigns.visibilityMembers")),
      ),
      compared<Opened>(t("campaigns.startsOn"), "startsOn", (c) => c?.startsOn ?? ""),
      compared<Opened>(t("campaigns.endsOn"), "endsOn", (c) => c?.endsOn ?? ""),
    ],
  );
  const owners = new Set(campaign ? campaign.owners.map((o) => o.id) : coalition.organisations.map((o) => o.id).slice(0, 1));
  const participants = new Set(campaign?.participants.map((o) => o.id) ?? []);
  const form = useForm(
    async (v, el) => {
      const data = new FormData(el);
      const ownerIds = data.getAll("ownerOrganisationIds").map(String);
      const participantIds = data.getAll("participantOrganisationIds").map(String);
      if (ownerIds.length === 0)
        throw new ApiError({
          ...fallbackProblem(400, lang, "validation_failed"),
          errors: [{ path: "ownerOrganisationIds", message: t("campaigns.ownersRequired") }],
        });
      const input = campaignInput(v);
      if (!campaign)
        return createCampaign(coalition.id, { ...input, ownerOrganisationIds: ownerIds, participantOrganisationIds: participantIds });
      let saved = await edit.send(el, (headers) => updateCampaign(coalition.id, campaign.id, input, headers));
      const wrap = async (field: string, run: () => Promise<Campaign>) => {
        try {
          saved = await run();
        } catch (error) {
          // The API names the field `organisationIds`; point the error at the right checkbox group.
          if (error instanceof ApiError && error.problem.errors)
            throw new ApiError({ ...error.problem, errors: error.problem.errors.map((e) => ({ ...e, path: field })) });
          throw error;
        }
      };
      if (!sameSet(ownerIds, [...owners]))
        await wrap("ownerOrganisationIds", () => setCampaignOrganisations(coalition.id, campaign.id, "owners", ownerIds));
      if (!sameSet(participantIds, [...participants]))
        await wrap("participantOrganisationIds", () => setCampaignOrganisations(coalition.id, campaign.id, "participants", participantIds));
      return saved;
    },
    {
      required: ["title"],
      onSuccess: (saved) => {
        void client.invalidateQueries({ queryKey: campaignsKey(coalition.id) });
        // A new campaign takes the form's place in the history: Back returns to where the form was
        // opened from (the list), not to an empty form.
        navigate(`/${saved.id}`, { replace: !campaign });
      },
    },
  );
  const eligible = members.filter(
    (m) => m.status === "active" || m.status === "observer" || owners.has(m.organisation.id) || participants.has(m.organisation.id),
  );
  return (
    <form noValidate onSubmit={form.onSubmit}>
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
      <ConflictNotice conflict={edit.conflict} />
      <Field label={t("campaigns.fieldTitle")} name="title" defaultValue={campaign?.title} error={form.fieldErrors.title} maxLength={200} />
      <SecondNameFields
        prefix="secondTitle"
        label={t("names.secondTitle")}
        value={campaign?.secondTitle}
        errors={form.fieldErrors}
        maxLength={200}
      />
      <Field
        label={t("campaigns.slug")}
        name="slug"
        defaultValue={campaign?.slug}
        optionalLabel={campaign ? undefined : t("common.optional")}
        hint={t("campaigns.slugHint")}
        error={form.fieldErrors.slug}
        autoCapitalize="none"
        spellCheck={false}
        maxLength={80}
      />
      <TextAreaField
        label={t("campaigns.summary")}
        name="summary"
        rows={2}
        defaultValue={campaign?.summary}
        optionalLabel={t("common.optional")}
        error={form.fieldErrors.summary}
        maxLength={500}
      />
      <TextAreaField
        label={t("campaigns.description")}
        name="description"
        rows={6}
        defaultValue={campaign?.description}
        optionalLabel={t("common.optional")}
        hint={<MarkdownHint />}
        error={form.fieldErrors.description}
      />
      <TextAreaField
        label={t("campaigns.goals")}
        name="goals"
        rows={3}
        defaultValue={campaign?.goals}
        optionalLabel={t("common.optional")}
        error={form.fieldErrors.goals}
      />
      <div className="field-pair">
        <SelectField
          label={t("campaigns.status")}
          name="status"
          defaultValue={campaign?.status ?? "planning"}
          error={form.fieldErrors.status}
        >
          {CampaignStatus.options.map((s) => (
            <option key={s} value={s}>
              {t(`campaignStatus.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t("campaigns.visibility")}
          name="visibility"
          defaultValue={campaign?.visibility ?? "members"}
          error={form.fieldErrors.visibility}
        >
          <option value="members">{t("campaigns.visibilityMembers")}</option>
          <option value="public">{t("campaigns.visibilityPublic")}</option>
        </SelectField>
        <Field
          label={t("campaigns.startsOn")}
          name="startsOn"
          type="date"
          defaultValue={campaign?.startsOn ?? ""}
          optionalLabel={t("common.optional")}
          error={form.fieldErrors.startsOn}
        />
        <Field
          label={t("campaigns.endsOn")}
          name="endsOn"
          type="date"
          defaultValue={campaign?.endsOn ?? ""}
          optionalLabel={t("common.optional")}
          error={form.fieldErrors.endsOn}
        />
      </div>
      <OrganisationChoices
        legend={t("campaigns.owners")}
        hint={t("campaigns.ownersHint")}
        name="ownerOrganisationIds"
        members={eligible}
        checked={owners}
        error={form.fieldErrors.ownerOrganisationIds}
      />
      <OrganisationChoices
        legend={t("campaigns.participants")}
        hint={t("campaigns.participantsHint")}
        name="participantOrganisationIds"
        members={eligible}
        checked={participants}
        error={form.fieldErrors.participantOrganisationIds}
      />
      <div className="form-actions">
        <Button type="submit" pending={form.pending}>
          {campaign ? t("common.save") : t("campaigns.create")}
        </Button>
        <Link href={campaign ? `/${campaign.id}` : "/"}>{t("common.cancel")}</Link>
      </div>
    </form>
  );
}

/** Create a campaign (coordinators) or edit one (coordinators and co-owners). */
export function CampaignFormPage({ coalition, campaignId }: { coalition: MeCoalition; campaignId?: string }) {
  const t = useT();
  const { lang } = useLanguage();
  const members = useQuery(membersQuery(coalition.id));
  const campaign = useQuery({ ...campaignQuery(coalition.id, campaignId ?? ""), enabled: campaignId !== undefined });
  const localName = useLocalName();
  const title = campaignId ? t("campaigns.editTitle") : t("campaigns.createTitle");
  let body: ReactNode;
  if (members.isPending || (campaignId && campaign.isPending)) body = <Loading />;
  else if (members.isError) body = <ErrorNotice error={members.error} onRetry={() => void members.refetch()} />;
  else if (campaignId && campaign.isError) body = <ErrorNotice error={campaign.error} onRetry={() => void campaign.refetch()} />;
  else if (campaignId && campaign.data && !campaign.data.canEdit)
    body = <ErrorNotice error={new ApiError(fallbackProblem(403, lang, "forbidden"))} />;
  else if (!campaignId && !coalition.isCoordinator) body = <Notice kind="warning">{t("errors.forbidden.detail")}</Notice>;
  else body = <CampaignForm coalition={coalition} campaign={campaign.data} members={members.data} />;
  return (
    <>
      <PageHeader title={title} subtitle={localName(campaign.data ?? coalition)} />
      <Card>{body}</Card>
    </>
  );
}
