import { useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { Field } from "../../../components/Field.tsx";
import { useT } from "../../../lib/i18n.tsx";
import type { Proof } from "../api/settings.ts";

/**
 * The password, or (with two-factor authentication) a code from the app or a recovery code: the
 * proof a sensitive change needs in the same request. A recent sign-in does not replace it, so a
 * stolen session alone cannot change the email or make new recovery codes.
 */
export function StepUpField({ canUseCode, error }: { canUseCode: boolean; error: Record<string, string> }) {
  const t = useT();
  const [useCode, setUseCode] = useState(false);
  const codeMode = canUseCode && useCode;
  return (
    <>
      {codeMode ? (
        <Field
          key="code"
          label={t("account.stepUpCode")}
          name="code"
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          hint={t("account.stepUpHint")}
          error={error.code}
        />
      ) : (
        <Field
          key="password"
          label={t("account.stepUpPassword")}
          name="password"
          type="password"
          autoComplete="current-password"
          hint={t("account.stepUpHint")}
          error={error.password}
        />
      )}
      {canUseCode ? (
        <p>
          <Button variant="link" onClick={() => setUseCode(!useCode)}>
            {t(codeMode ? "twoFactor.reauthUsePassword" : "twoFactor.reauthUseCode")}
          </Button>
        </p>
      ) : null}
    </>
  );
}

/** The proof from the form's values: the code field when shown, else the password. */
export function stepUpProof(values: Record<string, string>): Proof {
  return values.code !== undefined ? { code: values.code } : { password: values.password ?? "" };
}
