import { type Language, translate } from "@samakki/shared/i18n/index";
import type { EmailData } from "../email.types.ts";
import { ActionButton, EmailLayout, footerText, Note, Paragraph } from "./layout.tsx";

type Data = EmailData<"email_verification">;

export const emailVerificationSubject = (lang: Language) => translate(lang, "email.email_verification.subject");

export function EmailVerificationEmail({ lang, data }: { lang: Language; data: Data }) {
  const intro = translate(lang, "email.email_verification.intro");
  return (
    <EmailLayout lang={lang} preview={intro} footer={footerText(lang)}>
      <Paragraph lang={lang}>{translate(lang, "email.common.greeting")}</Paragraph>
      <Paragraph lang={lang}>{intro}</Paragraph>
      <ActionButton lang={lang} href={data.url} label={translate(lang, "email.email_verification.action")} />
      <Note lang={lang}>{translate(lang, "email.email_verification.expires")}</Note>
      <Note lang={lang}>{translate(lang, "email.common.ignore")}</Note>
    </EmailLayout>
  );
}
