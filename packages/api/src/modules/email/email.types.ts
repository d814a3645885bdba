import type { Language } from "@samakki/shared/i18n/index";

/** Every email Samakki sends, with the data its template needs. */
export type EmailMessage =
  | EmailMessageSignups
  | {
      template: "invitation_organisation";
      data: {
        coalition: string;
        organisation: string;
        inviter: string;
        url: string;
        expiresAt: string;
        timeZone: string;
        /** The new coalition's first coordinator (an operator's invitation): the email says so. */
        coordinator?: boolean;
      };
    }
  | { template: "invitation_person"; data: { organisation: string; inviter: string; url: string; expiresAt: string; timeZone: string } }
  | { template: "password_reset"; data: { url: string } }
  | { template: "email_verification"; data: { url: string } }
  | { template: "new_sign_in"; data: { device: string; time: string; timeZone: string } }
  | { template: "lockout"; data: Record<string, never> }
  | { template: "notification"; data: { messageKey: string; params: Record<string, string | number>; url: string } }
  | {
      template: "petition_confirmation";
      data: { petition: string; coalition: string; confirmUrl: string; withdrawUrl: string | null; alreadyConfirmed: boolean };
    }
  | {
      template: "digest";
      data: {
        items: { messageKey: string; params: Record<string, string | number>; url: string; createdAt: string }[];
        timeZone: string;
        settingsUrl: string;
      };
    };

export type EmailMessageSignups = {
  template: "signup_confirmation";
  data: {
    activity: string;
    campaign: string;
    coalition: string;
    parts: string[];
    people: number;
    /** Signed up again with an address whose sign-up is confirmed: nothing changed, and no link. */
    alreadyConfirmed?: boolean;
    confirmUrl: string | null;
    cancelUrl: string | null;
  };
};

export type EmailTemplate = EmailMessage["template"];

/** The data one template needs. */
export type EmailData<T extends EmailTemplate> = Extract<EmailMessage, { template: T }>["data"];

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface OutgoingEmail extends RenderedEmail {
  id: string;
  to: string;
}

export interface SendOptions {
  /**
   * Aborted when the worker's per-send timeout runs out or its claim on the row is lost; a
   * transport that makes a network call passes it on, so no request outlives the claim.
   */
  signal?: AbortSignal;
}

/** Delivers one email; throws on failure. `id` is the idempotency key (the same on every attempt). */
export interface EmailTransport {
  send(email: OutgoingEmail, options?: SendOptions): Promise<{ providerId: string | null }>;
}

export type { Language };
