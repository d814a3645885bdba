import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field } from "../../../components/Field.tsx";
import { FormProblem, Notice, useForm } from "../../../components/Form.tsx";
import { readSecondName, SecondNameFields } from "../../../components/SecondNameFields.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { meQuery } from "../../../lib/session.ts";
import { coalitionSettingsQuery, updateCoalitionSettings } from "../api/members.ts";

/**
 * Coordinators name the coalition, in one language and, if they wish, the other: a Khmer reader sees
 * its Khmer name in the header, on the dashboard and on the public pages (audited by the API).
 */
export function CoalitionNameCard({ coalitionId }: { coalitionId: string }) {
  const t = useT();
  const client = useQueryClient();
  const coalition = useQuery(coalitionSettingsQuery(coalitionId));
  const [saved, setSaved] = useState(false);
  const form = useForm(
    (v) => updateCoalitionSettings(coalitionId, { name: v.name?.trim() ?? "", secondName: readSecondName(v, "secondName") }),
    {
      required: ["name"],
      onSuccess: (updated) => {
        client.setQueryData(coalitionSettingsQuery(coalitionId).queryKey, updated);
        // The header and the dashboard read the name from the session's answer.
        void client.invalidateQueries({ queryKey: meQuery.queryKey });
        setSaved(true);
      },
    },
  );
  return (
    <Card title={t("coalitionName.title")}>
      {coalition.isPending ? <Loading /> : null}
      {coalition.isError ? <ErrorNotice error={coalition.error} onRetry={() => void coalition.refetch()} /> : null}
      {coalition.data ? (
        <form noValidate onSubmit={form.onSubmit} onInput={() => setSaved(false)} aria-label={t("coalitionName.title")}>
          <FormProblem problem={form.problem} unmatched={form.unmatched} />
          {saved ? <Notice kind="success" title={t("common.saved")} /> : null}
          <p className="muted">{t("coalitionName.hint")}</p>
          <Field
            label={t("setup.coalitionName")}
            name="name"
            defaultValue={coalition.data.name}
            error={form.fieldErrors.name}
            maxLength={160}
          />
          <SecondNameFields
            prefix="secondName"
            label={t("names.secondName")}
            value={coalition.data.secondName}
            errors={form.fieldErrors}
            maxLength={160}
          />
          <div className="form-actions">
            <Button type="submit" pending={form.pending}>
              {t("common.save")}
            </Button>
          </div>
        </form>
      ) : null}
    </Card>
  );
}
