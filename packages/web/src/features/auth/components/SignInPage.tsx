import type { Me, SecondFactorMethod } from "@samakki/shared/auth";
import * as paths from "@samakki/shared/paths";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, Redirect, useLocation, useSearchParams } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field } from "../../../components/Field.tsx";
import { FormProblem, Notice, useForm } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { isApiError } from "../../../lib/api-client.ts";
import { useT } from "../../../lib/i18n.tsx";
import { meQuery, useMe, useSetupStatus } from "../../../lib/session.ts";
import { safeNext, signIn, signInTwoFactor } from "../api/auth.ts";
import { PasskeySignInButton } from "./PasskeySignInButton.tsx";

/**
 * The second step for accounts with two-factor authentication: a code from the authenticator app,
 * or a recovery code. A challenge that expired or had too many wrong codes sends back to the password.
 */
function TwoFactorStep({
  challenge,
  methods,
  onSignedIn,
  onEnded,
}: {
  challenge: string;
  methods: SecondFactorMethod[];
  onSignedIn: (me: Me) => void;
  onEnded: () => void;
}) {
  const t = useT();
  const [recovery, setRecovery] = useState(false);
  // Codes (TOTP and its recovery codes) only for accounts with an authenticator app; passkey-only accounts see the button alone.
  const codes = methods.includes("totp");
  const form = useForm(
    async (v) => {
      try {
        return await signInTwoFactor({ challenge, code: v.code ?? "" });
      } catch (error) {
        if (isApiError(error) && error.code === "token_invalid") {
          onEnded();
          return null;
        }
        throw error;
      }
    },
    {
      required: ["code"],
      onSuccess: (me) => {
        if (me) onSignedIn(me);
      },
    },
  );
  return (
    <>
      <PageHeader
        title={t("twoFactor.signInTitle")}
        subtitle={t(!codes ? "passkeys.signInIntro" : recovery ? "twoFactor.signInRecoveryIntro" : "twoFactor.signInIntro")}
      />
      <Card>
        {codes ? (
          <form noValidate onSubmit={form.onSubmit}>
            <FormProblem problem={form.problem} unmatched={form.unmatched} />
            {recovery ? (
              <Field
                key="recovery"
                label={t("twoFactor.recoveryLabel")}
                name="code"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                error={form.fieldErrors.code}
                autoFocus
              />
            ) : (
              <Field
                key="totp"
                label={t("twoFactor.codeLabel")}
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={7}
                error={form.fieldErrors.code}
                autoFocus
              />
            )}
            <div className="form-actions">
              <Button type="submit" pending={form.pending}>
                {t("twoFactor.verify")}
              </Button>
              <Button
                variant="link"
                onClick={() => {
                  form.reset();
                  setRecovery(!recovery);
                }}
              >
                {t(recovery ? "twoFactor.useApp" : "twoFactor.useRecovery")}
              </Button>
            </div>
            <p>
              <Button variant="link" onClick={onEnded}>
                {t("twoFactor.restart")}
              </Button>
            </p>
          </form>
        ) : (
          <>
            <PasskeySignInButton challenge={challenge} onSignedIn={onSignedIn} onEnded={onEnded} />
            <p>
              <Button variant="link" onClick={onEnded}>
                {t("twoFactor.restart")}
              </Button>
            </p>
          </>
        )}
        {codes && methods.includes("passkey") ? (
          <PasskeySignInButton challenge={challenge} onSignedIn={onSignedIn} onEnded={onEnded} />
        ) : null}
      </Card>
    </>
  );
}

export function SignInPage() {
  const t = useT();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const me = useMe();
  const setup = useSetupStatus();
  const [challenge, setChallenge] = useState<{ challenge: string; methods: SecondFactorMethod[] } | null>(null);
  const [ended, setEnded] = useState(false);

  const finish = (result: Me) => {
    // A session check sent before this sign-in (the form shows while it is on its way) answers for
    // the old cookie: signed out, or another person on a shared phone. It must not overwrite this one.
    void client.cancelQueries({ queryKey: meQuery.queryKey }).then(() => {
      client.setQueryData(meQuery.queryKey, result);
      navigate(next, { replace: true });
    });
  };

  const form = useForm((v) => signIn({ email: v.email ?? "", password: v.password ?? "" }), {
    required: ["email", "password"],
    onSuccess: (result, el) => {
      if ("twoFactor" in result) {
        el.reset();
        setEnded(false);
        setChallenge(result.twoFactor);
      } else {
        finish(result);
      }
    },
  });

  if (setup.data?.needed) return <Redirect to={paths.setup()} />;
  // The form shows at once, without waiting for the session: a person already signed in (rare
  // here) is sent on as soon as the answer arrives.
  if (me.data && !form.pending) return <Redirect to={next} />;

  if (challenge) {
    return (
      <TwoFactorStep
        challenge={challenge.challenge}
        methods={challenge.methods}
        onSignedIn={finish}
        onEnded={() => {
          setChallenge(null);
          setEnded(true);
        }}
      />
    );
  }

  return (
    <>
      <PageHeader title={t("signIn.title")} subtitle={t("signIn.intro")} />
      <Card>
        <form noValidate onSubmit={form.onSubmit}>
          {ended ? <Notice kind="warning" title={t("twoFactor.challengeEnded")} /> : null}
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
            <Link href={paths.forgotPassword()}>{t("signIn.forgot")}</Link>
          </div>
        </form>
      </Card>
    </>
  );
}
