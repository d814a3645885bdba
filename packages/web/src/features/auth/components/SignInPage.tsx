import { useQueryClient } from "@tanstack/react-query";
import { Link, Redirect, useLocation, useSearchParams } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field } from "../../../components/Field.tsx";
import { FormProblem, useForm } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { Loading } from "../../../components/Status.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { meQuery, useMe, useSetupStatus } from "../../../lib/session.ts";
import { safeNext, signIn } from "../api/auth.ts";

export function SignInPage() {
  const t = useT();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const me = useMe();
  const setup = useSetupStatus();

  const form = useForm((v) => signIn({ email: v.email ?? "", password: v.password ?? "" }), {
    required: ["email", "password"],
    onSuccess: (result) => {
      client.setQueryData(meQuery.queryKey, result);
      navigate(next, { replace: true });
    },
  });

  if (setup.data?.needed) return <Redirect to="/setup" />;
  if (me.isPending) return <Loading />;
  if (me.data && !form.pending) return <Redirect to={next} />;

  return (
    <>
      <PageHeader title={t("signIn.title")} subtitle={t("signIn.intro")} />
      <Card>
        <form noValidate onSubmit={form.onSubmit}>
          <FormProblem problem={form.problem} unmatched={form.unmatched} />
          <Field
            label={t("auth.email")}
            name="email"
            type="email"
            inputMode="email"
            autoComplete="username"
            error={form.fieldErrors.email}
          />
          <Field
            label={t("auth.password")}
            name="password"
            type="password"
            autoComplete="current-password"
            error={form.fieldErrors.password}
          />
          <div className="form-actions">
            <Button type="submit" pending={form.pending}>
              {t("signIn.submit")}
            </Button>
            <Link href="/forgot-password">{t("signIn.forgot")}</Link>
          </div>
        </form>
      </Card>
    </>
  );
}
