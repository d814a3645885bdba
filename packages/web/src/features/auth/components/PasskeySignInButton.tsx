import type { Me } from "@samakki/shared/auth";
import { useMutation } from "@tanstack/react-query";
import { Button } from "../../../components/Button.tsx";
import { ErrorNotice } from "../../../components/Status.tsx";
import { ApiError, fallbackProblem, isApiError } from "../../../lib/api-client.ts";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { signInWithPasskey } from "../api/passkey-sign-in.ts";

/** "Use a passkey" on the second step of signing in (for people with a passkey, with or without TOTP). */
export function PasskeySignInButton({
  challenge,
  onSignedIn,
  onEnded,
}: {
  challenge: string;
  onSignedIn: (me: Me) => void;
  onEnded: () => void;
}) {
  const t = useT();
  const { lang } = useLanguage();
  const supported = typeof window !== "undefined" && "PublicKeyCredential" in window;
  const run = useMutation({
    mutationFn: async () => {
      try {
        return await signInWithPasskey(challenge);
      } catch (error) {
        if (isApiError(error)) throw error;
        // The browser refused or the person cancelled (NotAllowedError and the like).
        throw new ApiError(fallbackProblem(400, lang, "passkey_invalid"));
      }
    },
    onSuccess: onSignedIn,
    onError: (error) => {
      if (isApiError(error) && error.code === "token_invalid") onEnded();
    },
  });
  if (!supported) return null;
  return (
    <>
      <p>
        <Button variant="secondary" pending={run.isPending} onClick={() => run.mutate()}>
          {t("passkeys.useForSignIn")}
        </Button>
      </p>
      {run.isError ? <ErrorNotice error={run.error} /> : null}
    </>
  );
}
