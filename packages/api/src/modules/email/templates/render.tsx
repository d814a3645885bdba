import { translate, type Language } from "@samakki/shared/i18n/index";
import type { EmailMessage, RenderedEmail } from "../email.types.ts";

// Interim renderer; replaced by React Email templates.
export async function renderEmail(message: EmailMessage, lang: Language): Promise<RenderedEmail> {
  const data = message.data as Record<string, string>;
  const t = (key: string) => translate(lang, `email.${message.template}.${key}`, data);
  const subject = t("subject");
  const lines = [t("intro"), "url" in data ? data.url ?? "" : ""];
  return { subject, text: lines.join("\n\n"), html: `<p>${lines.join("</p><p>")}</p>` };
}
