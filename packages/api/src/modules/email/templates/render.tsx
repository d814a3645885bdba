import { render } from "@react-email/render";
import type { Language } from "@samakki/shared/i18n/index";
import type { ReactElement } from "react";
import type { EmailMessage, RenderedEmail } from "../email.types.ts";
import { EmailVerificationEmail, emailVerificationSubject } from "./email-verification.tsx";
import { InvitationOrganisationEmail, invitationOrganisationSubject } from "./invitation-organisation.tsx";
import { InvitationPersonEmail, invitationPersonSubject } from "./invitation-person.tsx";
import { LockoutEmail, lockoutSubject } from "./lockout.tsx";
import { NewSignInEmail, newSignInSubject } from "./new-sign-in.tsx";
import { DigestEmail, digestSubject, NotificationEmail, notificationSubject } from "./notification.tsx";
import { PasswordResetEmail, passwordResetSubject } from "./password-reset.tsx";
import { PetitionConfirmationEmail, petitionConfirmationSubject } from "./petition-confirmation.tsx";
import { SignupConfirmationEmail, signupConfirmationSubject } from "./signup-confirmation.tsx";

function compose(message: EmailMessage, lang: Language): { subject: string; element: ReactElement } {
  switch (message.template) {
    case "invitation_organisation":
      return {
        subject: invitationOrganisationSubject(lang, message.data),
        element: <InvitationOrganisationEmail lang={lang} data={message.data} />,
      };
    case "invitation_person":
      return { subject: invitationPersonSubject(lang, message.data), element: <InvitationPersonEmail lang={lang} data={message.data} /> };
    case "password_reset":
      return { subject: passwordResetSubject(lang), element: <PasswordResetEmail lang={lang} data={message.data} /> };
    case "email_verification":
      return { subject: emailVerificationSubject(lang), element: <EmailVerificationEmail lang={lang} data={message.data} /> };
    case "new_sign_in":
      return { subject: newSignInSubject(lang), element: <NewSignInEmail lang={lang} data={message.data} /> };
    case "lockout":
      return { subject: lockoutSubject(lang), element: <LockoutEmail lang={lang} /> };
    case "notification":
      return { subject: notificationSubject(lang, message.data), element: <NotificationEmail lang={lang} data={message.data} /> };
    case "petition_confirmation":
      return {
        subject: petitionConfirmationSubject(lang, message.data),
        element: <PetitionConfirmationEmail lang={lang} data={message.data} />,
      };
    case "digest":
      return { subject: digestSubject(lang, message.data), element: <DigestEmail lang={lang} data={message.data} /> };
    case "signup_confirmation":
      return {
        subject: signupConfirmationSubject(lang, message.data),
        element: <SignupConfirmationEmail lang={lang} data={message.data} />,
      };
  }
}

/**
 * Render an email in the recipient's language: subject, HTML and the plain-text alternative
 * (derived from the same React tree, so the two never drift apart). React escapes every value.
 */
export async function renderEmail(message: EmailMessage, lang: Language): Promise<RenderedEmail> {
  const { subject, element } = compose(message, lang);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject, html, text };
}
