import type { Me } from "@samakki/shared/auth";
import { localiseDevice } from "@samakki/shared/i18n/device";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { useConfirm } from "../../../components/ConfirmDialog.tsx";
import { Field } from "../../../components/Field.tsx";
import { FormProblem, Notice, useForm } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { allAnswered, QueryView } from "../../../components/QueryView.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { useCatalogArea } from "../../../lib/catalog-areas.ts";
import { useCurrentCoalition } from "../../../lib/coalition.tsx";
import { useDrawnOnce } from "../../../lib/drawn-once.ts";
import { useDateFormat } from "../../../lib/format.ts";
import { type Language, useLanguage, useT } from "../../../lib/i18n.tsx";
import { meQuery, useMe } from "../../../lib/session.ts";
import { calendarFeedQuery } from "../api/calendar-feed.ts";
import {
  changeEmail,
  changePassword,
  passkeysQuery,
  resendVerification,
  revokeOtherSessions,
  revokeSession,
  sessionsQuery,
  updateProfile,
} from "../api/settings.ts";
import { CalendarFeedCard } from "./CalendarFeedCard.tsx";
import { PasskeysCard } from "./PasskeysCard.tsx";
import { StepUpField, stepUpProof } from "./StepUpField.tsx";
import { TwoFactorCard } from "./TwoFactorCard.tsx";
import { TwoFactorRequiredNotice, useTwoFactorGate } from "./TwoFactorGate.tsx";

function ProfileCard({ me }: { me: Me }) {
  const t = useT();
  const client = useQueryClient();
  const [saved, setSaved] = useState(false);
  const form = useForm((v) => updateProfile({ displayName: v.displayName ?? "" }), {
    required: ["displayName"],
    onSuccess: (updated) => {
      client.setQueryData(meQuery.queryKey, updated);
      setSaved(true);
    },
  });
  return (
    <Card title={t("account.profileTitle")}>
      <form noValidate onSubmit={form.onSubmit} onInput={() => setSaved(false)}>
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        {saved ? <Notice kind="success" title={t("common.saved")} /> : null}
        <Field
          label={t("auth.displayName")}
          name="displayName"
          defaultValue={me.person.displayName}
          autoComplete="name"
          error={form.fieldErrors.displayName}
        />
        <div className="form-actions">
          <Button type="submit" pending={form.pending}>
            {t("common.save")}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function LanguageCard() {
  const t = useT();
  const { lang, setLang } = useLanguage();
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (language: Language) => updateProfile({ language }),
    onSuccess: (updated) => client.setQueryData(meQuery.queryKey, updated),
  });
  return (
    <Card title={t("account.languageTitle")}>
      <p className="muted">{t("account.languageHint")}</p>
      <fieldset className="choices">
        <legend className="visually-hidden">{t("common.language")}</legend>
        {(["en", "km"] as const).map((code) => (
          <label key={code} className="choice" lang={code}>
            <input
              type="radio"
              name="language"
              value={code}
              checked={lang === code}
              onChange={() => {
                // At once on screen; back to the saved language if the server does not keep the choice,
                // so the page never shows one language while the account (and the next visit) has another.
                const previous = lang;
                setLang(code);
                save.mutate(code, { onError: () => setLang(previous) });
              }}
            />
            <span>{code === "en" ? "English" : "ខ្មែរ"}</span>
          </label>
        ))}
      </fieldset>
      {save.isSuccess ? (
        <p className="saved" role="status">
          {t("common.saved")}
        </p>
      ) : null}
      {save.isError ? <ErrorNotice error={save.error} /> : null}
    </Card>
  );
}

const NOTIFY_CHOICES = ["immediate", "daily", "off"] as const;

/** Notification emails: each at once, a daily digest, or none (in-app notifications always stay). */
function NotificationEmailCard({ me }: { me: Me }) {
  const t = useT();
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (notifyEmail: (typeof NOTIFY_CHOICES)[number]) => updateProfile({ notifyEmail }),
    onSuccess: (updated) => client.setQueryData(meQuery.queryKey, updated),
  });
  return (
    <Card title={t("account.notifyTitle")}>
      <p className="muted">{t("account.notifyHint")}</p>
      <fieldset className="choices">
        <legend className="visually-hidden">{t("account.notifyTitle")}</legend>
        {NOTIFY_CHOICES.map((choice) => (
          <label key={choice} className="choice">
            <input
              type="radio"
              name="notify-email"
              value={choice}
              checked={me.person.notifyEmail === choice}
              onChange={() => save.mutate(choice)}
            />
            <span>{t(`account.notify_${choice}`)}</span>
          </label>
        ))}
      </fieldset>
      {save.isError ? <ErrorNotice error={save.error} /> : null}
    </Card>
  );
}

function EmailCard({ me }: { me: Me }) {
  const t = useT();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const resend = useMutation({ mutationFn: resendVerification });
  const form = useForm((v) => changeEmail(v.email ?? "", stepUpProof(v)).then(() => v.email ?? ""), {
    required: ["email"],
    onSuccess: (email, el) => {
      el.reset();
      setSentTo(email);
    },
  });
  return (
    <Card title={t("account.emailTitle")}>
      <p>
        <strong>{me.person.email}</strong>{" "}
        {me.person.emailVerified ? (
          <span className="badge badge-active">{t("account.verified")}</span>
        ) : (
          <span className="badge badge-invited">{t("account.notVerified")}</span>
        )}
      </p>
      {!me.person.emailVerified ? (
        <p>
          <Button variant="secondary" small pending={resend.isPending} disabled={resend.isSuccess} onClick={() => resend.mutate()}>
            {resend.isSuccess ? t("account.verificationSent") : t("account.resendVerification")}
          </Button>
        </p>
      ) : null}
      {resend.isError ? <ErrorNotice error={resend.error} /> : null}
      {sentTo ? <Notice kind="success" title={t("account.emailChangeSent", { email: sentTo })} /> : null}
      <form noValidate onSubmit={form.onSubmit}>
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        <Field
          label={t("account.newEmail")}
          name="email"
          type="email"
          inputMode="email"
          autoComplete="email"
          hint={t("account.newEmailHint")}
          error={form.fieldErrors.email}
        />
        <StepUpField canUseCode={me.person.twoFactorEnabled} error={form.fieldErrors} />
        <div className="form-actions">
          <Button type="submit" variant="secondary" pending={form.pending}>
            {t("account.changeEmail")}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function PasswordCard() {
  const t = useT();
  const client = useQueryClient();
  const [done, setDone] = useState(false);
  const form = useForm((v) => changePassword({ currentPassword: v.currentPassword ?? "", newPassword: v.newPassword ?? "" }), {
    required: ["currentPassword", "newPassword"],
    onSuccess: (_r, el) => {
      el.reset();
      setDone(true);
      void client.invalidateQueries({ queryKey: sessionsQuery.queryKey });
    },
  });
  return (
    <Card title={t("account.passwordTitle")}>
      {done ? <Notice kind="success" title={t("account.passwordChanged")} /> : null}
      <form noValidate onSubmit={form.onSubmit} onInput={() => setDone(false)}>
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        <Field
          label={t("account.currentPassword")}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          error={form.fieldErrors.currentPassword}
        />
        <Field
          label={t("account.newPassword")}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          hint={t("auth.passwordHint")}
          error={form.fieldErrors.newPassword}
        />
        <div className="form-actions">
          <Button type="submit" variant="secondary" pending={form.pending}>
            {t("account.changePassword")}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function SessionsCard() {
  const t = useT();
  const client = useQueryClient();
  const coalition = useCurrentCoalition();
  const { dateTime } = useDateFormat(coalition?.timeZone);
  const sessions = useQuery(sessionsQuery);
  const refresh = () => client.invalidateQueries({ queryKey: sessionsQuery.queryKey });
  const revoke = useMutation({ mutationFn: revokeSession, onSuccess: refresh });
  const revokeOthers = useMutation({ mutationFn: revokeOtherSessions, onSuccess: refresh });
  const [dialog, confirm] = useConfirm();
  const others = (sessions.data ?? []).filter((s) => !s.current).length;
  return (
    <Card
      title={t("account.sessionsTitle")}
      actions={
        others > 0 ? (
          <Button
            variant="secondary"
            small
            pending={revokeOthers.isPending}
            onClick={() =>
              void confirm({
                title: t("account.signOutOthersConfirm"),
                consequence: t("account.signOutOthersConsequence"),
                confirmLabel: t("account.signOutOthers"),
              }).then((ok) => ok && revokeOthers.mutate())
            }
          >
            {t("account.signOutOthers")}
          </Button>
        ) : null
      }
    >
      {dialog}
      <p className="muted">{t("account.sessionsHint")}</p>
      <QueryView query={sessions} retry={false}>
        {(data) => (
          <ul className="rows">
            {data.map((s) => (
              <li key={s.id} className="row">
                <div className="row-main">
                  <span className="row-title">
                    {localiseDevice(s.device, t)} {s.current ? <span className="badge badge-active">{t("account.thisDevice")}</span> : null}
                  </span>
                  <p className="row-meta">{t("account.sessionTimes", { created: dateTime(s.createdAt), used: dateTime(s.lastUsedAt) })}</p>
                </div>
                {!s.current ? (
                  <Button
                    variant="danger"
                    small
                    pending={revoke.isPending && revoke.variables === s.id}
                    onClick={() =>
                      void confirm({
                        title: t("account.endSessionConfirm", { device: localiseDevice(s.device, t) }),
                        consequence: t("account.endSessionConsequence"),
                        confirmLabel: t("account.endSession"),
                      }).then((ok) => ok && revoke.mutate(s.id))
                    }
                  >
                    {t("account.endSession")}
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      {revoke.isError ? <ErrorNotice error={revoke.error} /> : null}
      {revokeOthers.isError ? <ErrorNotice error={revokeOthers.error} /> : null}
    </Card>
  );
}

export function AccountPage() {
  const t = useT();
  const me = useMe();
  const gate = useTwoFactorGate(Boolean(me.data));
  // The cards' answers (and the feed card's strings), asked together; the page is drawn once all
  // are in (see allAnswered), the gate's answer too, since it decides the cards' order.
  const feedStrings = useCatalogArea("calendarFeed");
  const cards = allAnswered(
    useQuery({ ...passkeysQuery, enabled: Boolean(me.data) }),
    useQuery({ ...calendarFeedQuery, enabled: Boolean(me.data) && !gate.pending && !gate.blocked }),
    useQuery({ ...sessionsQuery, enabled: Boolean(me.data) }),
  );
  // Once drawn, never drawn again as Loading: when a passkey or TOTP opens the gate, the calendar
  // feed's card is asked for, and the page drawn again lost the notice that it had just been added.
  const drawn = useDrawnOnce(!me.isPending && !gate.pending && cards && (gate.blocked || feedStrings));
  if (!drawn) return <Loading />;
  if (me.isError) return <ErrorNotice error={me.error} />;
  if (!me.data) return null;
  // One keyed list, so that when the gate opens the setup cards move without being remounted
  // (a remount would drop the notice that a passkey or TOTP was just added).
  const security = [<TwoFactorCard key="two-factor" me={me.data} />, <PasskeysCard key="passkeys" me={me.data} />];
  const rest = [
    <ProfileCard key="profile" me={me.data} />,
    <LanguageCard key="language" />,
    <NotificationEmailCard key="notification-email" me={me.data} />,
    <EmailCard key="email" me={me.data} />,
    <PasswordCard key="password" />,
    // The feed carries coalition data, which the API refuses while the gate is closed.
    // Its strings are in before the page is first drawn, unless the gate opened since: then it comes once they are.
    ...(gate.blocked || !feedStrings ? [] : [<CalendarFeedCard key="calendar-feed" />]),
  ];
  return (
    <>
      <PageHeader title={t("account.title")} subtitle={me.data.person.displayName} />
      <TwoFactorRequiredNotice />
      <div className="grid">
        {/* While a coalition requires a second factor they lack, its setup comes first. */}
        {gate.blocked ? [...security, ...rest] : [...rest, ...security]}
        <SessionsCard />
      </div>
    </>
  );
}
