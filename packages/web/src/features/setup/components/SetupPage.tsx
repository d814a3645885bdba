import { DEFAULT_TIME_ZONE, TIME_ZONES } from "@samakki/shared/common";
import * as paths from "@samakki/shared/paths";
import { useQueryClient } from "@tanstack/react-query";
import { Redirect, useLocation } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field, SelectField } from "../../../components/Field.tsx";
import { FormProblem, optional, useForm } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { Loading } from "../../../components/Status.tsx";
import { rememberCoalition } from "../../../lib/coalition.tsx";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { meQuery, setupQuery, useSetupStatus } from "../../../lib/session.ts";
import { useTimeZoneLabel, useTimeZoneNamesReady } from "../../../lib/time-zones.ts";
import { runSetup } from "../api/run-setup.ts";

const zones = TIME_ZONES.includes(DEFAULT_TIME_ZONE) ? TIME_ZONES : [DEFAULT_TIME_ZONE, ...TIME_ZONES];

export function SetupPage() {
  const t = useT();
  const { lang } = useLanguage();
  const zoneLabel = useTimeZoneLabel();
  // The zones are named in the reader's language: on a Khmer page, in a file of their own, awaited
  // so that the chosen zone's name does not change under the reader.
  const zoneNames = useTimeZoneNamesReady();
  const status = useSetupStatus();
  const client = useQueryClient();
  const [, navigate] = useLocation();

  const form = useForm(
    (v) =>
      runSetup({
        coalitionName: v.coalitionName ?? "",
        timeZone: v.timeZone ?? DEFAULT_TIME_ZONE,
        organisationName: v.organisationName ?? "",
        organisationShortName: optional(v, "organisationShortName"),
        displayName: v.displayName ?? "",
        email: v.email ?? "",
        password: v.password ?? "",
        language: lang,
      }),
    {
      required: ["coalitionName", "organisationName", "displayName", "email", "password"],
      onSuccess: async ({ coalitionId }) => {
        rememberCoalition(coalitionId);
        client.setQueryData(setupQuery.queryKey, { needed: false });
        await client.invalidateQueries({ queryKey: meQuery.queryKey });
        // The coalition takes the setup form's place in the history: it cannot be set up twice.
        navigate(paths.coalition(coalitionId), { replace: true });
      },
    },
  );

  if (status.isPending || !zoneNames) return <Loading />;
  // Replacing too: this page is left for good once the setup is done (and the form's success leads here first).
  if (status.data && !status.data.needed && !form.pending) return <Redirect to={paths.home()} replace />;

  return (
    <>
      <PageHeader title={t("setup.title")} subtitle={t("setup.intro")} />
      <form noValidate onSubmit={form.onSubmit} className="stack">
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        <Card title={t("setup.coalitionSection")}>
          <Field
            label={t("setup.coalitionName")}
            name="coalitionName"
            error={form.fieldErrors.coalitionName}
            hint={t("setup.coalitionNameHint")}
            autoComplete="off"
          />
          <SelectField
            label={t("setup.timeZone")}
            name="timeZone"
            defaultValue={DEFAULT_TIME_ZONE}
            error={form.fieldErrors.timeZone}
            hint={t("setup.timeZoneHint")}
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zoneLabel(zone)}
              </option>
            ))}
          </SelectField>
        </Card>
        <Card title={t("setup.organisationSection")}>
          <Field
            label={t("organisation.name")}
            name="organisationName"
            error={form.fieldErrors.organisationName}
            autoComplete="organization"
          />
          <Field
            label={t("organisation.shortName")}
            name="organisationShortName"
            optionalLabel={t("common.optional")}
            hint={t("organisation.shortNameHint")}
            error={form.fieldErrors.organisationShortName}
            autoComplete="off"
          />
        </Card>
        <Card title={t("setup.personSection")}>
          <Field label={t("auth.displayName")} name="displayName" error={form.fieldErrors.displayName} autoComplete="name" />
          <Field label={t("auth.email")} name="email" type="email" inputMode="email" error={form.fieldErrors.email} autoComplete="email" />
          <Field
            label={t("auth.password")}
            name="password"
            type="password"
            error={form.fieldErrors.password}
            hint={t("auth.passwordHint")}
            autoComplete="new-password"
          />
        </Card>
        <div className="form-actions">
          <Button type="submit" pending={form.pending}>
            {t("setup.submit")}
          </Button>
        </div>
      </form>
    </>
  );
}
