import type { InvitationPreview } from "@samakki/shared/coalitions";
import * as paths from "@samakki/shared/paths";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { Link, useLocation } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field } from "../../../components/Field.tsx";
import { FormProblem, Notice, useForm } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { rememberCoalition } from "../../../lib/coalition.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { useLocalName } from "../../../lib/local-name.ts";
import { meQuery, useMe, useSignOut } from "../../../lib/session.ts";
import { acceptInvitation, invitationQuery } from "../api/invitation.ts";

function Intro({ preview }: { preview: InvitationPreview }) {
  const t = useT();
  const { date } = useDateFormat(undefined);
  const localName = useLocalName();
  // Each in the reader's language when it has a name in that one (the page may switch language).
  const names = {
    organisation: localName({ name: preview.organisationName, secondName: preview.organisationSecondName }),
    coalition: preview.coalitionName === null ? "" : localName({ name: preview.coalitionName, secondName: preview.coalitionSecondName }),
  };
  return (
    <>
      <p className="lead">
        {preview.coordinator
          ? t("invitation.coordinatorIntro", names)
          : preview.kind === "organisation"
            ? t("invitation.organisationIntro", names)
            : t("invitation.personIntro", names)}
      </p>
      {preview.coordinator ? (
        <p>{t("invitation.coordinatorRole")}</p>
      ) : preview.kind === "organisation" ? (
        <p>{t("invitation.organisationRole")}</p>
      ) : null}
      <dl className="facts">
        <dt>{t("auth.email")}</dt>
        <dd>{preview.email}</dd>
        <dt>{t("invitation.validUntil")}</dt>
        <dd>{date(preview.expiresAt)}</dd>
      </dl>
    </>
  );
}

export function AcceptInvitationPage({ token }: { token: string }) {
  const t = useT();
  const { lang, setLang, chosen } = useLanguage();
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const me = useMe();
  const signOut = useSignOut();
  const preview = useQuery(invitationQuery(token));
  // The page opens in the language the inviter gave, unless the person already chose one here.
  const invitedLanguage = preview.data?.language;
  useEffect(() => {
    if (invitedLanguage && !chosen && invitedLanguage !== lang) setLang(invitedLanguage);
  }, [invitedLanguage, chosen, lang, setLang]);

  const form = useForm(
    (v) =>
      me.data
        ? acceptInvitation(token, {})
        : acceptInvitation(token, { displayName: v.displayName ?? "", password: v.password ?? "", language: lang }),
    {
      required: me.data ? [] : ["displayName", "password"],
      onSuccess: async (result) => {
        if (result.coalitionId) rememberCoalition(result.coalitionId);
        await client.invalidateQueries({ queryKey: meQuery.queryKey });
        // The organisation takes the used invitation's place in the history: Back does not offer it again.
        navigate(paths.organisation(result.organisationId), { replace: true });
      },
    },
  );

  if (preview.isPending || me.isPending) return <Loading />;

  return (
    <>
      <PageHeader title={t("invitation.title")} />
      <Card>
        {preview.isError ? (
          <ErrorNotice error={preview.error} />
        ) : me.data && me.data.person.email !== preview.data.email ? (
          <>
            <Intro preview={preview.data} />
            <Notice kind="warning" title={t("errors.invitation_email_mismatch.title")}>
              <p>{t("invitation.mismatch", { email: me.data.person.email })}</p>
            </Notice>
            <Button variant="secondary" onClick={() => void signOut()}>
              {t("nav.signOut")}
            </Button>
          </>
        ) : me.data ? (
          <form noValidate onSubmit={form.onSubmit}>
            <Intro preview={preview.data} />
            <FormProblem problem={form.problem} unmatched={form.unmatched} />
            <div className="form-actions">
              <Button type="submit" pending={form.pending}>
                {t("invitation.accept")}
              </Button>
            </div>
          </form>
        ) : preview.data.accountExists ? (
          <>
            <Intro preview={preview.data} />
            <p>{t("invitation.signInToAccept")}</p>
            <Link className="btn btn-primary" href={paths.signIn(paths.invitation(token))}>
              {t("signIn.submit")}
            </Link>
          </>
        ) : (
          <form noValidate onSubmit={form.onSubmit}>
            <Intro preview={preview.data} />
            <p>{t("invitation.createAccount")}</p>
            <FormProblem problem={form.problem} unmatched={form.unmatched} />
            <Field
              label={t("auth.displayName")}
              name="displayName"
              autoComplete="name"
              defaultValue={preview.data.displayName ?? ""}
              error={form.fieldErrors.displayName}
            />
            <Field
              label={t("auth.password")}
              name="password"
              type="password"
              autoComplete="new-password"
              hint={t("auth.passwordHint")}
              error={form.fieldErrors.password}
            />
            <div className="form-actions">
              <Button type="submit" pending={form.pending}>
                {t("invitation.acceptAndCreate")}
              </Button>
            </div>
          </form>
        )}
      </Card>
    </>
  );
}
