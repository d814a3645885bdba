import * as paths from "@samakki/shared/paths";
import { useState } from "react";
import { Link } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field } from "../../../components/Field.tsx";
import { FormProblem, Notice, useForm } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { requestPasswordReset } from "../api/auth.ts";

export function ForgotPasswordPage() {
  const t = useT();
  const [sent, setSent] = useState(false);
  const form = useForm((v) => requestPasswordReset(v.email ?? ""), { required: ["email"], onSuccess: () => setSent(true) });
  return (
    <>
      <PageHeader title={t("forgot.title")} subtitle={t("forgot.intro")} />
      <Card>
        {sent ? (
          <Notice kind="success" title={t("forgot.sentTitle")}>
            <p>{t("forgot.sentDetail")}</p>
          </Notice>
        ) : (
          <form noValidate onSubmit={form.onSubmit}>
            <FormProblem problem={form.problem} unmatched={form.unmatched} />
            <Field
              label={t("auth.email")}
              name="email"
              type="email"
              inputMode="email"
              autoComplete="email"
              error={form.fieldErrors.email}
            />
            <div className="form-actions">
              <Button type="submit" pending={form.pending}>
                {t("forgot.submit")}
              </Button>
            </div>
          </form>
        )}
        <p>
          <Link className="lone-link" href={paths.signIn()}>
            {t("common.backToSignIn")}
          </Link>
        </p>
      </Card>
    </>
  );
}
