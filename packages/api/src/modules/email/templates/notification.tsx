import { type Language, translate } from "@samakki/shared/i18n/index";
import type { EmailData } from "../email.types.ts";
import { formatDateTime } from "./format.ts";
import { ActionButton, EmailLayout, footerText, Note, Paragraph } from "./layout.tsx";

/** A notification's own text (the same catalog entry as in the app), in the recipient's language. */
const message = (lang: Language, item: { messageKey: string; params: Record<string, string | number> }) =>
  translate(lang, item.messageKey, item.params);

export const notificationSubject = (lang: Language, data: EmailData<"notification">) => message(lang, data);

export function NotificationEmail({ lang, data }: { lang: Language; data: EmailData<"notification"> }) {
  const text = message(lang, data);
  return (
    <EmailLayout lang={lang} preview={text} footer={footerText(lang)}>
      <Paragraph lang={lang}>{text}</Paragraph>
      <ActionButton lang={lang} href={data.url} label={translate(lang, "email.notification.action")} />
      <Note lang={lang}>{translate(lang, "email.notification.settings")}</Note>
    </EmailLayout>
  );
}

export const digestSubject = (lang: Language, data: EmailData<"digest">) =>
  translate(lang, "email.digest.subject", { count: data.items.length });

export function DigestEmail({ lang, data }: { lang: Language; data: EmailData<"digest"> }) {
  return (
    <EmailLayout lang={lang} preview={digestSubject(lang, data)} footer={footerText(lang)}>
      <Paragraph lang={lang}>{translate(lang, "email.digest.intro")}</Paragraph>
      {data.items.map((item) => (
        <Paragraph key={`${item.createdAt}-${item.messageKey}-${item.url}`} lang={lang}>
          {`${formatDateTime(item.createdAt, lang, data.timeZone)} — ${message(lang, item)}`}
          {"\n"}
          {item.url}
        </Paragraph>
      ))}
      <Note lang={lang}>{translate(lang, "email.notification.settings")}</Note>
      <Note lang={lang}>{data.settingsUrl}</Note>
    </EmailLayout>
  );
}
