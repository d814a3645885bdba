import { Link } from "@react-email/link";
import { type Language, translate } from "@samakki/shared/i18n/index";
import type { EmailData } from "../email.types.ts";
import { ActionButton, EmailLayout, Note, Paragraph } from "./layout.tsx";

type Data = EmailData<"petition_confirmation">;

export const petitionConfirmationSubject = (lang: Language, data: Data) =>
  translate(lang, "email.petition_confirmation.subject", { petition: data.petition });

/**
 * Sent to the signer only, in their language: the confirmation link (double opt-in, 7 days,
 * single use) and the link to withdraw. Nobody else is ever sent a signer's details. Nothing typed
 * into the form is in it (not the name: the page the button opens shows it, before confirming):
 * anyone may type anyone's address, and the email must not carry their words to it. Signed again
 * when confirmed already, it has no new withdrawal link: the first one keeps working.
 */
export function PetitionConfirmationEmail({ lang, data }: { lang: Language; data: Data }) {
  const intro = data.alreadyConfirmed
    ? translate(lang, "email.petition_confirmation.alreadyConfirmed", { petition: data.petition })
    : translate(lang, "email.petition_confirmation.intro", { petition: data.petition });
  return (
    <EmailLayout lang={lang} preview={intro} footer={translate(lang, "email.petition_confirmation.footer", { coalition: data.coalition })}>
      <Paragraph lang={lang}>{translate(lang, "email.common.greeting")}</Paragraph>
      <Paragraph lang={lang}>{intro}</Paragraph>
      {data.alreadyConfirmed ? null : (
        <>
          <ActionButton lang={lang} href={data.confirmUrl} label={translate(lang, "email.petition_confirmation.action")} />
          <Note lang={lang}>{translate(lang, "email.petition_confirmation.expires")}</Note>
        </>
      )}
      {data.withdrawUrl ? (
        <>
          <Note lang={lang}>{translate(lang, "email.petition_confirmation.withdraw")}</Note>
          <Note lang={lang}>
            <Link href={data.withdrawUrl} style={{ color: "#1d4ed8", wordBreak: "break-all" }}>
              {data.withdrawUrl}
            </Link>
          </Note>
        </>
      ) : (
        <Note lang={lang}>{translate(lang, "email.petition_confirmation.withdrawEarlier")}</Note>
      )}
      <Note lang={lang}>{translate(lang, "email.petition_confirmation.ignore")}</Note>
    </EmailLayout>
  );
}
