import { isLanguage } from "@samakki/shared/i18n/index";
import * as paths from "@samakki/shared/paths";
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field } from "../../../components/Field.tsx";
import { FormProblem, Notice, useForm } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { confirmPasswordReset } from "../api/auth.ts";

export function ResetPasswordPage() {
  const t = useT();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  // The link says the person's language (their account's): the page opens in it, whatever the phone's
  // language, unless they chose one in this browser.
  const linkLanguage = params.get("lang");
  const { lang, setLang, chosen } = useLanguage();
  useEffect(() => {
    if (isLanguage(linkLanguage) && !chosen && linkLanguage !== lang) setLang(linkLanguage);
  }, [linkLanguage, chosen, lang, setLang]);
  const [done, setDone] = useState(false);
  const form = useForm((v) => confirmPasswordReset({ token, password: v.password ?? "" }), {
    required: ["password"],
    onSuccess: () => setDone(true),
  });

  return (
    <>
      <PageHeader title={t("reset.title")} />
      <Card>
        {!token ? (
          <Notice kind="error" title={t("errors.token_invalid.title")}>
            <p>{t("errors.token_invalid.detail")}</p>
          </Notice>
        ) : done ? (
          <Notice kind="success" title={t("reset.doneTitle")}>
            <p>{t("reset.doneDetail")}</p>
          </Notice>
        ) : (
          <form noValidate onSubmit={form.onSubmit}>
            <FormProblem problem={form.problem} unmatched={form.unmatched} />
            <Field
              label={t("reset.newPassword")}
              name="password"
              type="password"
              autoComplete="new-password"
              hint={t("auth.passwordHint")}
              error={form.fieldErrors.password}
            />
            <div className="form-actions">
              <Button type="submit" pending={form.pending}>
                {t("reset.submit")}
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
