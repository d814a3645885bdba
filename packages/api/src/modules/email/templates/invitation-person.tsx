import { type Language, translate } from "@samakki/shared/i18n/index";
import type { EmailData } from "../email.types.ts";
import { formatDateTime } from "./format.ts";
import { ActionButton, EmailLayout, footerText, Note, Paragraph } from "./layout.tsx";

type Data = EmailData<"invitation_person">;

export const invitationPersonSubject = (lang: Language, data: Data) =>
  translate(lang, "email.invitation_person.subject", { organisation: data.organisation });

export function InvitationPersonEmail({ lang, data }: { lang: Language; data: Data }) {
  const intro = translate(lang, "email.invitation_person.intro", { inviter: data.inviter, organisation: data.organisation });
  return (
    <EmailLayout lang={lang} preview={intro} footer={footerText(lang)}>
      <Paragraph lang={lang}>{translate(lang, "email.common.greeting")}</Paragraph>
      <Paragraph lang={lang}>{intro}</Paragraph>
      <ActionButton lang={lang} href={data.url} label={translate(lang, "email.invitation_person.action")} />
      <Note lang={lang}>
        {translate(lang, "email.invitation_person.expires", { date: formatDateTime(data.expiresAt, lang, data.timeZone) })}
      </Note>
      <Note lang={lang}>{translate(lang, "email.common.ignore")}</Note>
    </EmailLayout>
  );
}
