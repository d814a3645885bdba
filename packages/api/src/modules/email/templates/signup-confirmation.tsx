import { type Language, translate } from "@samakki/shared/i18n/index";
import type { EmailData } from "../email.types.ts";
import { ActionButton, EmailLayout, Note, Paragraph } from "./layout.tsx";

type Data = EmailData<"signup_confirmation">;

export const signupConfirmationSubject = (lang: Language, data: Data) =>
  translate(lang, data.alreadyConfirmed ? "email.signup_confirmation.alreadySubject" : "email.signup_confirmation.subject", {
    activity: data.activity,
  });

/**
 * Sent to the person who signed up (only to them), in the language of the form they used. Nothing
 * typed into the form is in it (not the name): anyone may type anyone's address, and the email must
 * not carry their words to it.
 */
export function SignupConfirmationEmail({ lang, data }: { lang: Language; data: Data }) {
  const intro = translate(lang, data.alreadyConfirmed ? "email.signup_confirmation.alreadyIntro" : "email.signup_confirmation.intro", {
    activity: data.activity,
    campaign: data.campaign,
  });
  return (
    <EmailLayout lang={lang} preview={intro} footer={translate(lang, "email.signup_confirmation.footer", { coalition: data.coalition })}>
      <Paragraph lang={lang}>{translate(lang, "email.common.greeting")}</Paragraph>
      <Paragraph lang={lang}>{intro}</Paragraph>
      {data.parts.map((part) => (
        <Paragraph key={part} lang={lang}>{`• ${part}`}</Paragraph>
      ))}
      <Paragraph lang={lang}>{translate(lang, "email.signup_confirmation.people", { count: data.people })}</Paragraph>
      {data.confirmUrl && data.cancelUrl ? (
        <>
          <ActionButton lang={lang} href={data.confirmUrl} label={translate(lang, "email.signup_confirmation.action")} />
          <Note lang={lang}>{translate(lang, "email.signup_confirmation.expires")}</Note>
          <Note lang={lang}>{translate(lang, "email.signup_confirmation.cancel")}</Note>
          <Note lang={lang}>{data.cancelUrl}</Note>
        </>
      ) : (
        <>
          <Note lang={lang}>{translate(lang, "email.signup_confirmation.alreadyChange")}</Note>
          <Note lang={lang}>{translate(lang, "email.signup_confirmation.alreadyIgnore")}</Note>
        </>
      )}
      <Note lang={lang}>{translate(lang, "email.signup_confirmation.privacy")}</Note>
    </EmailLayout>
  );
}
