import type { Me, Passkey } from "@samakki/shared/auth";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field } from "../../../components/Field.tsx";
import { FormProblem, Notice, useForm } from "../../../components/Form.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { ApiError, fallbackProblem, isApiError } from "../../../lib/api-client.ts";
import { useDateFormat } from "../../../lib/format.ts";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { twoFactorRequirementQuery } from "../api/account.ts";
import { addPasskey, passkeysQuery, removePasskey, renamePasskey } from "../api/settings.ts";
import { StepUpField, stepUpProof } from "./StepUpField.tsx";

function AddPasskeyForm({ canUseCode, onAdded }: { canUseCode: boolean; onAdded: () => void }) {
  const t = useT();
  const { lang } = useLanguage();
  const form = useForm(
    async (values) => {
      try {
        return await addPasskey(values.name ?? "", stepUpProof(values));
      } catch (error) {
        if (isApiError(error)) throw error;
        // The browser refused or the person cancelled (NotAllowedError and the like).
        throw new ApiError(fallbackProblem(400, lang, "passkey_invalid"));
      }
    },
    {
      required: ["name"],
      onSuccess: (_passkey, el) => {
        el.reset();
        onAdded();
      },
    },
  );
  return (
    <form noValidate onSubmit={form.onSubmit}>
      <h3>{t("passkeys.addTitle")}</h3>
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
      <Field label={t("passkeys.nameLabel")} name="name" maxLength={100} hint={t("passkeys.nameHint")} error={form.fieldErrors.name} />
      <StepUpField canUseCode={canUseCode} error={form.fieldErrors} />
      <div className="form-actions">
        <Button type="submit" pending={form.pending}>
          {t("passkeys.add")}
        </Button>
      </div>
    </form>
  );
}

function PasskeyRow({ passkey, canUseCode, onChanged }: { passkey: Passkey; canUseCode: boolean; onChanged: () => void }) {
  const t = useT();
  const { date } = useDateFormat(undefined);
  const [mode, setMode] = useState<"view" | "rename" | "remove">("view");
  const rename = useForm((v) => renamePasskey(passkey.id, v.name ?? ""), {
    required: ["name"],
    onSuccess: () => {
      setMode("view");
      onChanged();
    },
  });
  const remove = useForm((v) => removePasskey(passkey.id, stepUpProof(v)), {
    onSuccess: () => {
      setMode("view");
      onChanged();
    },
  });
  return (
    <li>
      <span>
        <strong>{passkey.name}</strong>{" "}
        <span className="muted">
          {t("passkeys.added", { date: date(passkey.createdAt) })}
          {passkey.lastUsedAt ? ` · ${t("passkeys.lastUsed", { date: date(passkey.lastUsedAt) })}` : ""}
          {passkey.backedUp ? ` · ${t("passkeys.synced")}` : ""}
        </span>
      </span>
      {mode === "view" ? (
        <span className="form-actions">
          <Button variant="secondary" small onClick={() => setMode("rename")}>
            {t("passkeys.rename")}
          </Button>
          <Button variant="danger" small onClick={() => setMode("remove")}>
            {t("passkeys.remove")}
          </Button>
        </span>
      ) : null}
      {mode === "rename" ? (
        <form noValidate onSubmit={rename.onSubmit}>
          <FormProblem problem={rename.problem} unmatched={rename.unmatched} />
          <Field label={t("passkeys.nameLabel")} name="name" defaultValue={passkey.name} maxLength={100} error={rename.fieldErrors.name} />
          <div className="form-actions">
            <Button type="submit" small pending={rename.pending}>
              {t("common.save")}
            </Button>
            <Button variant="secondary" small onClick={() => setMode("view")}>
              {t("common.cancel")}
            </Button>
          </div>
        </form>
      ) : null}
      {mode === "remove" ? (
        <form noValidate onSubmit={remove.onSubmit}>
          <p>{t("passkeys.removeConfirm", { name: passkey.name })}</p>
          <FormProblem problem={remove.problem} unmatched={remove.unmatched} />
          <StepUpField canUseCode={canUseCode} error={remove.fieldErrors} />
          <div className="form-actions">
            <Button type="submit" variant="danger" small pending={remove.pending}>
              {t("passkeys.remove")}
            </Button>
            <Button variant="secondary" small onClick={() => setMode("view")}>
              {t("common.cancel")}
            </Button>
          </div>
        </form>
      ) : null}
    </li>
  );
}

/** Passkeys: a second factor that only works on this site (phishing-resistant), several per person. */
export function PasskeysCard({ me }: { me: Me }) {
  const t = useT();
  const client = useQueryClient();
  const list = useQuery(passkeysQuery);
  const [added, setAdded] = useState(false);
  const supported = typeof window !== "undefined" && "PublicKeyCredential" in window;
  const canUseCode = me.person.twoFactorEnabled;
  const refresh = () => {
    void client.invalidateQueries({ queryKey: passkeysQuery.queryKey });
    void client.invalidateQueries({ queryKey: twoFactorRequirementQuery.queryKey });
  };
  return (
    <Card title={t("passkeys.title")}>
      <p className="muted">{t("passkeys.intro")}</p>
      {added ? <Notice kind="success" title={t("passkeys.addedNotice")} /> : null}
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ErrorNotice error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data && list.data.length > 0 ? (
        <ul className="passkey-list" aria-label={t("passkeys.title")}>
          {list.data.map((p) => (
            <PasskeyRow
              key={p.id}
              passkey={p}
              canUseCode={canUseCode}
              onChanged={() => {
                setAdded(false);
                refresh();
              }}
            />
          ))}
        </ul>
      ) : null}
      {list.data && list.data.length === 0 ? <p>{t("passkeys.none")}</p> : null}
      {supported ? (
        <AddPasskeyForm
          canUseCode={canUseCode}
          onAdded={() => {
            setAdded(true);
            refresh();
          }}
        />
      ) : (
        <p className="muted">{t("passkeys.unsupported")}</p>
      )}
    </Card>
  );
}
