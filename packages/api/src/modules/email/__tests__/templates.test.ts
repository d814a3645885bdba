import { translate } from "@samakki/shared/i18n/index";
import { describe, expect, it } from "vitest";
import type { EmailMessage, Language } from "../email.types.ts";
import { formatDateTime } from "../templates/format.ts";
import { renderEmail } from "../templates/render.tsx";

const url = "https://samakki.example/accept?token=abc123&from=email";
const messages: EmailMessage[] = [
  {
    template: "invitation_organisation",
    data: {
      coalition: "Alliance <AFE>",
      organisation: "CCHR",
      inviter: "Sok Chea",
      url,
      expiresAt: "2026-12-01T09:30:00Z",
      timeZone: "Asia/Phnom_Penh",
    },
  },
  {
    template: "invitation_person",
    data: { organisation: "CCHR", inviter: "Sok Chea", url, expiresAt: "2026-12-01T09:30:00Z", timeZone: "Asia/Phnom_Penh" },
  },
  { template: "password_reset", data: { url } },
  { template: "email_verification", data: { url } },
  { template: "new_sign_in", data: { device: "Firefox on Linux", time: "2026-11-28T23:05:00Z", timeZone: "Asia/Phnom_Penh" } },
  { template: "lockout", data: {} },
];

function expectedSubject(message: EmailMessage, lang: Language): string {
  const params: Record<string, string> = Object.fromEntries(Object.entries(message.data).map(([k, v]) => [k, String(v)]));
  return translate(lang, `email.${message.template}.subject`, params);
}

describe("email templates", () => {
  for (const lang of ["en", "km"] as const) {
    for (const message of messages) {
      it(`renders ${message.template} in ${lang}`, async () => {
        const email = await renderEmail(message, lang);
        expect(email.subject).toBe(expectedSubject(message, lang));
        expect(email.subject).not.toMatch(/[{}]/);
        expect(email.html).toContain(`<html dir="ltr" lang="${lang}">`);
        expect(email.html).toContain("Noto Sans Khmer");
        // Everything is translated: the greeting and intro of the recipient's language, no leftover placeholders.
        expect(email.text).toContain(translate(lang, "email.common.greeting"));
        expect(email.text).not.toMatch(/\{\w+\}/);
        expect(email.text).not.toContain("email.");
        // Nothing is loaded from elsewhere: no images, stylesheets, fonts or scripts.
        expect(email.html).not.toMatch(/<img|<link|<script|@import|url\(/i);
        if ("url" in message.data) {
          const escaped = url.replace(/&/g, "&amp;");
          // The button and the plain link fallback, in both versions.
          expect(email.html.split(`href="${escaped}"`).length - 1).toBe(2);
          expect(email.html).toContain(translate(lang, "email.common.linkFallback"));
          expect(email.text).toContain(url);
          expect(email.text).toContain(translate(lang, "email.common.linkFallback"));
        }
      });
    }
  }

  it("escapes data and names the coalition in the footer of a coalition's email", async () => {
    const [invitation] = messages;
    if (!invitation) throw new Error("no message");
    const email = await renderEmail(invitation, "en");
    expect(email.html).toContain("Alliance &lt;AFE&gt;");
    expect(email.html).not.toContain("Alliance <AFE>");
    expect(email.text).toContain(translate("en", "email.common.footer", { coalition: "Alliance <AFE>" }));
    const reset = await renderEmail({ template: "password_reset", data: { url } }, "km");
    expect(reset.text).toContain(translate("km", "email.common.footerGeneric"));
  });

  it("formats dates in the recipient's language and time zone", async () => {
    // 09:30 UTC is 16:30 in Phnom Penh (UTC+7).
    expect(formatDateTime("2026-12-01T09:30:00Z", "en", "Asia/Phnom_Penh")).toBe("1 December 2026 at 16:30 GMT+7");
    const km = formatDateTime("2026-12-01T09:30:00Z", "km", "Asia/Phnom_Penh");
    // Khmer digits and a 24-hour clock: no "4:30 PM" inside Khmer text.
    expect(km).toBe("១ ធ្នូ ២០២៦ ម៉ោង ១៦:៣០ (ម៉ោងសកល +៧)");
    expect(formatDateTime("2026-12-01T09:30:00Z", "en", "Europe/Paris")).toContain("10:30");
    // An unknown zone falls back to Phnom Penh, and the offset says so.
    expect(formatDateTime("2026-12-01T09:30:00Z", "en", "Not/AZone")).toBe("1 December 2026 at 16:30 GMT+7");

    const invitation = await renderEmail(messages[1] as EmailMessage, "km");
    expect(invitation.text).toContain(translate("km", "email.invitation_person.expires", { date: km }).replace(/\u200b/g, " "));
    const signIn = await renderEmail(messages[4] as EmailMessage, "en");
    // 23:05 UTC on the 28th is 06:05 on the 29th in Phnom Penh.
    expect(signIn.text).toContain("Firefox on Linux, at 29 November 2026 at 06:05 GMT+7");
  });

  it("writes Khmer emails with Khmer digits only, no AM/PM and no English device words", async () => {
    const LATIN_DIGIT = /[0-9]/;
    const reminder: EmailMessage = {
      template: "digest",
      data: {
        timeZone: "Asia/Phnom_Penh",
        settingsUrl: "https://samakki.example/account",
        items: [
          { messageKey: "notifications.task_due_soon", params: { task: "Ribbons" }, url, createdAt: "2026-11-30T01:27:00Z" },
          { messageKey: "notifications.task_due_soon", params: { task: "Banners" }, url, createdAt: "2026-11-30T13:05:00Z" },
        ],
      },
    };
    const signIn: EmailMessage = {
      template: "new_sign_in",
      data: { device: "Unknown browser · Linux", time: "2026-11-30T13:27:00Z", timeZone: "Asia/Phnom_Penh" },
    };
    for (const message of [messages[0] as EmailMessage, messages[1] as EmailMessage, reminder, signIn]) {
      const email = await renderEmail(message, "km");
      // The link is the only place digits may stay Latin (a URL is code); everything read is Khmer.
      const read = email.text.replaceAll(url, "");
      expect(read, message.template).not.toMatch(LATIN_DIGIT);
      expect(read).not.toMatch(/\b(AM|PM)\b/);
      expect(email.subject).not.toMatch(LATIN_DIGIT);
    }
    const digest = await renderEmail(reminder, "km");
    expect(digest.subject).toContain("២");
    expect(digest.text).toContain("៣០ វិច្ឆិកា ២០២៦ ម៉ោង ០៨:២៧");
    expect(digest.text).toContain("៣០ វិច្ឆិកា ២០២៦ ម៉ោង ២០:០៥");
    const sign = await renderEmail(signIn, "km");
    expect(sign.text).toContain(`${translate("km", "account.unknownBrowser")} · Linux`);
    expect(sign.text).not.toContain("Unknown");
  });

  it("counts the digest's notifications in the subject, in the singular for one", async () => {
    const item = { messageKey: "notifications.task_due_soon", params: { task: "Ribbons" }, url, createdAt: "2026-11-30T01:27:00Z" };
    const digest = (items: (typeof item)[]): EmailMessage => ({
      template: "digest",
      data: { timeZone: "Asia/Phnom_Penh", settingsUrl: "https://samakki.example/account", items },
    });
    expect((await renderEmail(digest([item]), "en")).subject).toBe("Your Samakki digest: 1 new notification");
    expect((await renderEmail(digest([item, item]), "en")).subject).toBe("Your Samakki digest: 2 new notifications");
    expect((await renderEmail(digest([item]), "km")).subject).toBe("សេចក្តីសង្ខេបសាមគ្គីរបស់អ្នក៖ ការជូនដំណឹងថ្មីចំនួន ១");
  });
});
