// Each component from its own package: @react-email/components also loads the code block's
// prismjs and the tailwind compiler, a fifth of the server's start-up CPU, for nothing we use.
import { Body } from "@react-email/body";
import { Button } from "@react-email/button";
import { Container } from "@react-email/container";
import { Head } from "@react-email/head";
import { Hr } from "@react-email/hr";
import { Html } from "@react-email/html";
import { Link } from "@react-email/link";
import { Preview } from "@react-email/preview";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import { type Language, translate } from "@samakki/shared/i18n/index";
import type { CSSProperties, ReactNode } from "react";

/**
 * The frame every Samakki email shares. Deliberately plain: no web fonts, no remote images,
 * no tracking pixels. The font stack puts fonts with Khmer glyphs first (installed on most
 * phones and desktops) and falls back to the system UI font, which also covers Latin text.
 */
const FONT_STACK =
  '"Noto Sans Khmer", "Khmer OS System", "Khmer OS Content", "Khmer UI", "Leelawadee UI", system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

// The product's name as the catalogs spell it (a proper noun, not a sentence to translate).
const BRAND: Record<Language, string> = { en: "Samakki", km: "សាមគ្គី" };

const body: CSSProperties = { backgroundColor: "#f4f4f5", margin: 0, padding: "24px 0", fontFamily: FONT_STACK, color: "#18181b" };
const container: CSSProperties = { backgroundColor: "#ffffff", maxWidth: "560px", margin: "0 auto", padding: "32px", borderRadius: "8px" };
const brand: CSSProperties = { fontSize: "18px", fontWeight: 700, color: "#1d4ed8", margin: "0 0 24px" };
const paragraph = (lang: Language): CSSProperties => ({ fontSize: "16px", lineHeight: lang === "km" ? "1.9" : "1.6", margin: "0 0 16px" });
const small = (lang: Language): CSSProperties => ({
  fontSize: "13px",
  lineHeight: lang === "km" ? "1.8" : "1.5",
  color: "#52525b",
  margin: "0 0 8px",
});
const button: CSSProperties = {
  backgroundColor: "#1d4ed8",
  color: "#ffffff",
  borderRadius: "6px",
  padding: "12px 20px",
  fontSize: "16px",
  fontWeight: 600,
  textDecoration: "none",
  display: "inline-block",
};

export function EmailLayout(props: { lang: Language; preview: string; footer: string; children: ReactNode }) {
  const { lang } = props;
  return (
    <Html lang={lang} dir="ltr">
      <Head>
        <meta name="color-scheme" content="light" />
        <meta name="supported-color-schemes" content="light" />
      </Head>
      <Preview>{props.preview}</Preview>
      <Body style={body}>
        <Container style={container}>
          <Text style={brand}>{BRAND[lang]}</Text>
          {props.children}
          <Hr style={{ borderColor: "#e4e4e7", margin: "24px 0 16px" }} />
          <Text style={small(lang)}>{props.footer}</Text>
        </Container>
      </Body>
    </Html>
  );
}

export function Paragraph(props: { lang: Language; children: ReactNode }) {
  return <Text style={paragraph(props.lang)}>{props.children}</Text>;
}

export function Note(props: { lang: Language; children: ReactNode }) {
  return <Text style={small(props.lang)}>{props.children}</Text>;
}

/** The call to action, with the address spelled out for mail clients that break buttons. */
export function ActionButton(props: { lang: Language; href: string; label: string }) {
  return (
    <Section style={{ margin: "8px 0 24px" }}>
      <Button href={props.href} style={button}>
        {props.label}
      </Button>
      <Text style={{ ...small(props.lang), marginTop: "16px" }}>{translate(props.lang, "email.common.linkFallback")}</Text>
      <Text style={{ ...small(props.lang), wordBreak: "break-all" }}>
        <Link href={props.href} style={{ color: "#1d4ed8" }}>
          {props.href}
        </Link>
      </Text>
    </Section>
  );
}

/** The footer line: names the coalition when the email concerns one. */
export function footerText(lang: Language, coalition?: string): string {
  return coalition ? translate(lang, "email.common.footer", { coalition }) : translate(lang, "email.common.footerGeneric");
}
