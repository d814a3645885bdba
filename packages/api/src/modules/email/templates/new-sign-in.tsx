import { localiseDevice } from "@samakki/shared/i18n/device";
import { type Language, translate } from "@samakki/shared/i18n/index";
import type { EmailData } from "../email.types.ts";
import { formatDateTime } from "./format.ts";
import { EmailLayout, footerText, Paragraph } from "./layout.tsx";

type Data = EmailData<"new_sign_in">;

export const newSignInSubject = (lang: Language) => translate(lang, "email.new_sign_in.subject");

export function NewSignInEmail({ lang, data }: { lang: Language; data: Data }) {
  const intro = translate(lang, "email.new_sign_in.intro", {
    device: localiseDevice(data.device, (key) => translate(lang, key)),
    time: formatDateTime(data.time, lang, data.timeZone),
  });
  return (
    <EmailLayout lang={lang} preview={intro} footer={footerText(lang)}>
      <Paragraph lang={lang}>{translate(lang, "email.common.greeting")}</Paragraph>
      <Paragraph lang={lang}>{intro}</Paragraph>
      <Paragraph lang={lang}>{translate(lang, "email.new_sign_in.advice")}</Paragraph>
    </EmailLayout>
  );
}
