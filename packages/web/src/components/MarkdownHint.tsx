import { useT } from "../lib/i18n.tsx";

/**
 * The hint under a text that takes Markdown: what to type beside what it gives, so that someone
 * who has never heard of Markdown sees `**bold**` become bold, in their language. Phrasing content
 * only: it sits in a field's hint paragraph (Field.tsx).
 */
export function MarkdownHint() {
  const t = useT();
  const bold = t("campaigns.formatBold");
  const italic = t("campaigns.formatItalic");
  const item = t("campaigns.formatListItem");
  const link = t("campaigns.formatLinkText");
  return (
    <span className="markdown-hint">
      {t("campaigns.formatting")}{" "}
      <span className="markdown-example">
        <code>**{bold}**</code> → <strong>{bold}</strong>
      </span>{" "}
      <span className="markdown-example">
        <code>*{italic}*</code> → <em>{italic}</em>
      </span>{" "}
      <span className="markdown-example">
        <code>- {item}</code> → • {item}
      </span>{" "}
      <span className="markdown-example">
        <code>[{link}](https://…)</code> → <span className="link-like">{link}</span>
      </span>
    </span>
  );
}
