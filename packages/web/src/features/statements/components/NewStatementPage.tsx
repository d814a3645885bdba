import type { MeCoalition } from "@samakki/shared/auth";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useLocation } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { SelectField } from "../../../components/Field.tsx";
import { FormProblem, optional, useForm } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { useLocalName } from "../../../lib/local-name.ts";
import { campaignChoicesQuery, createStatement, statementsKey } from "../api/statements.ts";
import { readText, TextFields } from "./TextFields.tsx";

export function NewStatementPage({ coalition }: { coalition: MeCoalition }) {
  const t = useT();
  const local = useLocalName();
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const campaigns = useQuery(campaignChoicesQuery(coalition.id));
  const form = useForm(
    async (values) => createStatement(coalition.id, { ...readText(values, t), campaignId: optional(values, "campaignId") }),
    {
      onSuccess: (created) => {
        void client.invalidateQueries({ queryKey: statementsKey(coalition.id) });
        // The draft takes the form's place in the history: Back returns to where the form was opened from.
        navigate(`/${created.id}`, { replace: true });
      },
    },
  );
  const errors = form.fieldErrors;
  const options = campaigns.data ?? [];
  return (
    <>
      <PageHeader title={t("statements.newTitle")} subtitle={local(coalition)} />
      <Card>
        <p className="muted">{t("statements.newIntro")}</p>
        <form noValidate onSubmit={form.onSubmit}>
          <FormProblem problem={form.problem} unmatched={form.unmatched} />
          <TextFields errors={errors} />
          {options.length > 0 ? (
            <SelectField
              label={t("statements.campaign")}
              name="campaignId"
              defaultValue=""
              optionalLabel={t("common.optional")}
              error={errors.campaignId}
            >
              <option value="">{t("statements.noCampaign")}</option>
              {options.map((c) => (
                <option key={c.id} value={c.id}>
                  {local(c)}
                </option>
              ))}
            </SelectField>
          ) : null}
          <div className="form-actions">
            <Button type="submit" pending={form.pending}>
              {t("statements.saveDraft")}
            </Button>
            <Link href="/">{t("common.cancel")}</Link>
          </div>
        </form>
      </Card>
    </>
  );
}
