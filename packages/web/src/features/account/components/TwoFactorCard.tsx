import type { Me, TwoFactorSetup } from "@samakki/shared/auth";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field } from "../../../components/Field.tsx";
import { FormProblem, Notice, useForm } from "../../../components/Form.tsx";
import { ErrorNotice } from "../../../components/Status.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { meQuery } from "../../../lib/session.ts";
import { twoFactorRequirementQuery } from "../api/account.ts";
import { disableTwoFactor, enableTwoFactor, regenerateRecoveryCodes, sessionsQuery, setupTwoFactor } from "../api/settings.ts";
import { QrCode } from "./QrCode.tsx";
import { StepUpField, stepUpProof } from "./StepUpField.tsx";

/** The secret in groups of four, easier to type into an authenticator app. */
function grouped(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

/** The codes as a text file: one per line, with a heading saying what they are. */
function recoveryCodesText(codes: string[], heading: string): string {
  return `${heading}\n\n${codes.join("\n")}\n`;
}

/** Save the codes as a .txt file, made in the page (Blob) so they are never sent anywhere. */
function downloadRecoveryCodes(codes: string[], heading: string) {
  const url = URL.createObjectURL(new Blob([recoveryCodesText(codes, heading)], { type: "text/plain;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = "samakki-recovery-codes.txt";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Shown once, right after they were made: the server keeps only their hashes. */
function RecoveryCodesNotice({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const t = useT();
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = () => {
    navigator.clipboard
      .writeText(recoveryCodesText(codes, t("twoFactorSetup.recoveryFileHeading")))
      .then(() => setCopied("yes"))
      .catch(() => setCopied("no"));
  };
  return (
    <Notice kind="warning" title={t("twoFactorSetup.recoveryTitle")}>
      <p>{t("twoFactorSetup.recoveryInstruction")}</p>
      <ul className="recovery-codes" aria-label={t("twoFactorSetup.recoveryTitle")}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <p className="form-actions">
        <Button variant="secondary" small onClick={copy}>
          {t("twoFactorSetup.recoveryCopy")}
        </Button>
        <Button variant="secondary" small onClick={() => downloadRecoveryCodes(codes, t("twoFactorSetup.recoveryFileHeading"))}>
          {t("twoFactorSetup.recoveryDownload")}
        </Button>
        {copied ? (
          <span role="status" className="muted">
            {t(copied === "yes" ? "twoFactorSetup.recoveryCopied" : "twoFactorSetup.recoveryCopyFailed")}
          </span>
        ) : null}
      </p>
      <p>
        <Button variant="secondary" small onClick={onDone}>
          {t("twoFactorSetup.recoveryDone")}
        </Button>
      </p>
    </Notice>
  );
}

function SetupForm({ setup, onEnabled }: { setup: TwoFactorSetup; onEnabled: (codes: string[]) => void }) {
  const t = useT();
  const form = useForm((v) => enableTwoFactor(v.code ?? ""), {
    required: ["code"],
    onSuccess: (result, el) => {
      el.reset();
      onEnabled(result.recoveryCodes);
    },
  });
  return (
    <form noValidate onSubmit={form.onSubmit}>
      <p>{t("twoFactorSetup.step1")}</p>
      <div className="two-factor-key">
        <QrCode value={setup.uri} label={t("twoFactorSetup.qrLabel")} />
        <div>
          <p className="muted">{t("twoFactorSetup.qrHint")}</p>
          <p className="two-factor-secret">
            <span className="field-label">{t("twoFactorSetup.secretLabel")}</span>{" "}
            <code data-testid="two-factor-secret">{grouped(setup.secret)}</code>
          </p>
        </div>
      </div>
      <p>
        <a href={setup.uri}>{t("twoFactorSetup.openInApp")}</a>
      </p>
      <p className="muted">{t("twoFactorSetup.uriHint")}</p>
      <p>{t("twoFactorSetup.step2")}</p>
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
      <Field
        label={t("twoFactor.codeLabel")}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={7}
        hint={t("twoFactorSetup.codeHint")}
        error={form.fieldErrors.code}
      />
      <div className="form-actions">
        <Button type="submit" pending={form.pending}>
          {t("twoFactorSetup.confirm")}
        </Button>
      </div>
    </form>
  );
}

/** New recovery codes need the password or a code in the same request, even right after signing in. */
function RegenerateForm({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const t = useT();
  const form = useForm((v) => regenerateRecoveryCodes(stepUpProof(v)), {
    onSuccess: (result, el) => {
      el.reset();
      onCodes(result.recoveryCodes);
    },
  });
  return (
    <form noValidate onSubmit={form.onSubmit} aria-label={t("twoFactorSetup.regenerate")}>
      <p className="muted">{t("twoFactorSetup.regenerateHint")}</p>
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
      <StepUpField canUseCode error={form.fieldErrors} />
      <div className="form-actions">
        <Button type="submit" variant="secondary" small pending={form.pending}>
          {t("twoFactorSetup.regenerate")}
        </Button>
      </div>
    </form>
  );
}

function DisableForm({ onDisabled }: { onDisabled: () => void }) {
  const t = useT();
  const form = useForm((v) => disableTwoFactor(v.code ?? ""), {
    required: ["code"],
    onSuccess: (_r, el) => {
      el.reset();
      onDisabled();
    },
  });
  return (
    <form noValidate onSubmit={form.onSubmit}>
      <h3>{t("twoFactorSetup.disableTitle")}</h3>
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
      <Field
        label={t("twoFactorSetup.disableCodeLabel")}
        name="code"
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellCheck={false}
        error={form.fieldErrors.code}
      />
      <div className="form-actions">
        <Button type="submit" variant="danger" pending={form.pending}>
          {t("twoFactorSetup.disable")}
        </Button>
      </div>
    </form>
  );
}

/** Personal two-factor authentication: set up with an authenticator app, recovery codes, turn off. */
export function TwoFactorCard({ me }: { me: Me }) {
  const t = useT();
  const client = useQueryClient();
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [message, setMessage] = useState<"enabled" | "disabled" | null>(null);
  const enabled = me.person.twoFactorEnabled;
  const refresh = () => {
    void client.invalidateQueries({ queryKey: meQuery.queryKey });
    void client.invalidateQueries({ queryKey: sessionsQuery.queryKey });
    void client.invalidateQueries({ queryKey: twoFactorRequirementQuery.queryKey });
  };
  const start = useMutation({
    mutationFn: setupTwoFactor,
    onSuccess: (result) => {
      setMessage(null);
      setSetup(result);
    },
  });

  return (
    <Card
      title={t("twoFactorSetup.title")}
      actions={
        <span className={`badge ${enabled ? "badge-active" : "badge-invited"}`}>
          {t(enabled ? "twoFactorSetup.statusOn" : "twoFactorSetup.statusOff")}
        </span>
      }
    >
      {message ? <Notice kind="success" title={t(message === "enabled" ? "twoFactorSetup.enabled" : "twoFactorSetup.disabled")} /> : null}
      {codes ? <RecoveryCodesNotice codes={codes} onDone={() => setCodes(null)} /> : null}
      {enabled ? (
        <>
          <p className="muted">{t("twoFactorSetup.onHint")}</p>
          <RegenerateForm onCodes={setCodes} />
          <DisableForm
            onDisabled={() => {
              setCodes(null);
              setMessage("disabled");
              refresh();
            }}
          />
        </>
      ) : (
        <>
          <p className="muted">{t("twoFactorSetup.intro")}</p>
          {setup ? (
            <SetupForm
              setup={setup}
              onEnabled={(recoveryCodes) => {
                setSetup(null);
                setCodes(recoveryCodes);
                setMessage("enabled");
                refresh();
              }}
            />
          ) : (
            <p>
              <Button variant="secondary" pending={start.isPending} onClick={() => start.mutate()}>
                {t("twoFactorSetup.start")}
              </Button>
            </p>
          )}
          {start.isError ? <ErrorNotice error={start.error} /> : null}
        </>
      )}
    </Card>
  );
}
