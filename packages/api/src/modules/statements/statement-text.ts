import { type ChangeObject, diffWords } from "diff";
import { sha256Hex } from "../../lib/crypto.ts";

export interface StatementTextParts {
  title: string;
  bodyEn: string;
  bodyKm: string;
}

const normalise = (text: string) =>
  text
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[ \t]+$/, ""))
    .join("\n")
    .trim();

/**
 * The canonical text of a version: both languages together, Unicode NFC, LF line ends, no
 * trailing spaces. Its SHA-256 is the fingerprint shown while voting and on the published page;
 * anyone can recompute it from the published text.
 */
export function canonicalText(parts: StatementTextParts): string {
  return `samakki-statement-v1\ntitle:${normalise(parts.title)}\nen:\n${normalise(parts.bodyEn)}\nkm:\n${normalise(parts.bodyKm)}\n`;
}

export function textHash(parts: StatementTextParts): string {
  return sha256Hex(canonicalText(parts));
}

/**
 * Word-level diff (the `diff` library). Khmer is written without spaces between words, so words
 * are found with the platform's Intl.Segmenter rather than by splitting on spaces.
 */
const segmenter = typeof Intl.Segmenter === "function" ? new Intl.Segmenter("km", { granularity: "word" }) : undefined;

export function wordDiff(before: string, after: string) {
  const changes: ChangeObject<string>[] = diffWords(before, after, segmenter ? { intlSegmenter: segmenter } : {});
  return changes.map((c) => ({ value: c.value, added: Boolean(c.added), removed: Boolean(c.removed) }));
}
