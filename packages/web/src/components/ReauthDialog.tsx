import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { api, setReauthHandler } from "../lib/api-client.ts";
import { useT } from "../lib/i18n.tsx";
import { passkeysSupported, reauthenticateWithPasskey } from "../lib/passkey-reauth.ts";
import { useMe } from "../lib/session.ts";
import { Button } from "./Button.tsx";
import { Field } from "./Field.tsx";
import { FormProblem, useForm } from "./Form.tsx";
import { ErrorNotice } from "./Status.tsx";

/**
 * A closing modal dialog gives focus back to what had it, but not to the action's button while it
 * is disabled, its request waiting on the prompt: focus it once it is enabled again.
 */
function refocus(el: Element | null) {
  if (!(el instanceof HTMLElement && el.matches(":disabled"))) return;
  const watch = new MutationObserver(() => {
    if (el.matches(":disabled")) return;
    watch.disconnect();
    if (document.activeElement === document.body) el.focus();
  });
  watch.observe(el, { attributeFilter: ["disabled"] });
}

/** A request for the password: how to answer it, and what had focus when it was asked. */
export type ReauthRequest = { resolve: (ok: boolean) => void; opener: Element | null };

/**
 * The password prompt for sensitive actions: the API client calls it on `reauthentication_required`
 * and retries the original request once the password was confirmed. People with two-factor
 * authentication may enter a code from their authenticator app instead. Its code loads the first
 * time a request asks (app/providers.tsx), which it answers as `first`; it then takes every later one.
 */
export function ReauthDialog({ first }: { first?: ReauthRequest | undefined }) {
  const t = useT();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const resolveRef = useRef<((ok: boolean) => void) | null>(null);
  const [open, setOpen] = useState(false);
  const me = useMe();
  const canUseCode = me.data?.person.twoFactorEnabled === true;
  const [useCode, setUseCode] = useState(false);
  const codeMode = canUseCode && useCode;

  useEffect(() => {
    const ask = ({ resolve, opener }: ReauthRequest) => {
      resolveRef.current = (ok) => {
        resolve(ok);
        refocus(opener);
      };
      setOpen(true);
    };
    if (first) ask(first);
    setReauthHandler(() => new Promise<boolean>((resolve) => ask({ resolve, opener: document.activeElement })));
    return () => setReauthHandler(null);
  }, [first]);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const finish = (ok: boolean) => {
    resolveRef.current?.(ok);
    resolveRef.current = null;
    setOpen(false);
  };

  // A passkey instead of the password (people without one get 409 and the form stays).
  const passkey = useMutation({ mutationFn: reauthenticateWithPasskey, onSuccess: () => finish(true) });

  const form = useForm(
    (values) => api.post("/api/auth/reauthenticate", codeMode ? { code: values.code ?? "" } : { password: values.password ?? "" }),
    {
      required: [codeMode ? "code" : "password"],
      onSuccess: (_result, el) => {
        el.reset();
        finish(true);
      },
    },
  );

  return (
    <dialog ref={dialogRef} className="dialog" aria-labelledby="reauth-title" onCancel={() => finish(false)}>
      {open ? (
        <form noValidate onSubmit={form.onSubmit}>
          <h2 id="reauth-title">{t(codeMode ? "twoFactor.reauthCodeTitle" : "errors.reauthentication_required.title")}</h2>
          <p>{t(codeMode ? "twoFactor.reauthCodeDetail" : "errors.reauthentication_required.detail")}</p>
          <FormProblem problem={form.problem} unmatched={form.unmatched} />
          {codeMode ? (
            <Field
              key="code"
              label={t("twoFactor.codeLabel")}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              error={form.fieldErrors.code}
              autoFocus
            />
          ) : (
            <Field
              key="password"
              label={t("auth.password")}
              name="password"
              type="password"
              autoComplete="current-password"
              error={form.fieldErrors.password}
              autoFocus
            />
          )}
          {canUseCode ? (
            <p>
              <Button
                variant="link"
                onClick={() => {
                  form.reset();
                  setUseCode(!useCode);
                }}
              >
                {t(codeMode ? "twoFactor.reauthUsePassword" : "twoFactor.reauthUseCode")}
              </Button>
            </p>
          ) : null}
          {passkeysSupported() ? (
            <p>
              <Button variant="link" pending={passkey.isPending} onClick={() => passkey.mutate()}>
                {t("passkeys.reauthUsePasskey")}
              </Button>
            </p>
          ) : null}
          {passkey.isError ? <ErrorNotice error={passkey.error} /> : null}
          <div className="form-actions">
            <Button type="submit" pending={form.pending}>
              {t("common.confirm")}
            </Button>
            <Button variant="secondary" onClick={() => finish(false)}>
              {t("common.cancel")}
            </Button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
