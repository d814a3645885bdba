import type { SecondName } from "@samakki/shared/names";
import { type ChangeObject, diffWords } from "diff";
import { sha256Hex } from "../../lib/crypto.ts";

interface StatementTextParts {
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

export interface PublishedSignatory {
  name: string;
  shortName: string | null;
  /**
   * The second name as it was at the close (null for votes closed before second names existed):
   * shown in its language on the public pages, but not part of the v1 publication record below.
   */
  secondName?: SecondName | null;
}

/** Code-unit order, not a locale collation: the record must come out the same on any machine and any ICU version. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The canonical publication record: the canonical text, then every named signatory (name and
 * short name as snapshotted at the close, NFC, one JSON array per line so no name can forge a
 * line), then the number of anonymous endorsements. Its SHA-256 is the publication's
 * fingerprint, recorded in the audit chain at publication; changing the text or any signatory
 * changes it. Served as is at /statements/:id/publication so anyone can recompute it.
 */
export function publicationRecord(parts: StatementTextParts, signatories: readonly PublishedSignatory[], anonymousCount: number): string {
  const lines = signatories
    .map((s) => JSON.stringify([s.name.normalize("NFC"), s.shortName === null ? null : s.shortName.normalize("NFC")]))
    .sort(byCodeUnits);
  return `samakki-publication-v1\n${canonicalText(parts)}signatories:${lines.length}\n${lines.map((l) => `${l}\n`).join("")}anonymous:${anonymousCount}\n`;
}

export function publicationHash(parts: StatementTextParts, signatories: readonly PublishedSignatory[], anonymousCount: number): string {
  return sha256Hex(publicationRecord(parts, signatories, anonymousCount));
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
