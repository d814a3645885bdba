import { type Language, translate } from "@samakki/shared/i18n/index";
import type { EmailData } from "../email.types.ts";
import { ActionButton, EmailLayout, footerText, Note, Paragraph } from "./layout.tsx";

type Data = EmailData<"password_reset">;

export const passwordResetSubject = (lang: Language) => translate(lang, "email.password_reset.subject");

export function PasswordResetEmail({ lang, data }: { lang: Language; data: Data }) {
  const intro = translate(lang, "email.password_reset.intro");
  return (
    <EmailLayout lang={lang} preview={intro} footer={footerText(lang)}>
      <Paragraph lang={lang}>{translate(lang, "email.common.greeting")}</Paragraph>
      <Paragraph lang={lang}>{intro}</Paragraph>
      <ActionButton lang={lang} href={data.url} label={translate(lang, "email.password_reset.action")} />
      <Note lang={lang}>{translate(lang, "email.password_reset.expires")}</Note>
      <Note lang={lang}>{translate(lang, "email.common.ignore")}</Note>
    </EmailLayout>
  );
}
