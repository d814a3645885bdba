import { type Language, translate } from "@samakki/shared/i18n/index";
import type { EmailData } from "../email.types.ts";
import { formatDateTime } from "./format.ts";
import { ActionButton, EmailLayout, footerText, Note, Paragraph } from "./layout.tsx";

type Data = EmailData<"invitation_organisation">;

/** A member organisation's invitation, or (`coordinator`) a new coalition's first coordinator's. */
const keys = (data: Data) => (data.coordinator ? "email.invitation_coordinator" : "email.invitation_organisation");

export const invitationOrganisationSubject = (lang: Language, data: Data) =>
  translate(lang, `${keys(data)}.subject`, { organisation: data.organisation, coalition: data.coalition });

export function InvitationOrganisationEmail({ lang, data }: { lang: Language; data: Data }) {
  const intro = translate(lang, `${keys(data)}.intro`, {
    inviter: data.inviter,
    organisation: data.organisation,
    coalition: data.coalition,
  });
  return (
    <EmailLayout lang={lang} preview={intro} footer={footerText(lang, data.coalition)}>
      <Paragraph lang={lang}>{translate(lang, "email.common.greeting")}</Paragraph>
      <Paragraph lang={lang}>{intro}</Paragraph>
      <Paragraph lang={lang}>{translate(lang, `${keys(data)}.body`)}</Paragraph>
      <ActionButton lang={lang} href={data.url} label={translate(lang, "email.invitation_organisation.action")} />
      <Note lang={lang}>
        {translate(lang, "email.invitation_organisation.expires", { date: formatDateTime(data.expiresAt, lang, data.timeZone) })}
      </Note>
      <Note lang={lang}>{translate(lang, "email.common.ignore")}</Note>
    </EmailLayout>
  );
}
