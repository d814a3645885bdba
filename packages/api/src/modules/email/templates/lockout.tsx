import { type Language, translate } from "@samakki/shared/i18n/index";
import { EmailLayout, footerText, Paragraph } from "./layout.tsx";

export const lockoutSubject = (lang: Language) => translate(lang, "email.lockout.subject");

export function LockoutEmail({ lang }: { lang: Language }) {
  const intro = translate(lang, "email.lockout.intro");
  return (
    <EmailLayout lang={lang} preview={intro} footer={footerText(lang)}>
      <Paragraph lang={lang}>{translate(lang, "email.common.greeting")}</Paragraph>
      <Paragraph lang={lang}>{intro}</Paragraph>
      <Paragraph lang={lang}>{translate(lang, "email.lockout.advice")}</Paragraph>
    </EmailLayout>
  );
}
