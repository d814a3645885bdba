import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, auditActionKey, auditSentenceKey } from "./audit.ts";
import en from "./i18n/en.json" with { type: "json" };
import km from "./i18n/km.json" with { type: "json" };

function lookup(catalog: unknown, key: string): string | undefined {
  let node: unknown = catalog;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}
const placeholders = (text: string | undefined) => [...(text ?? "").matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("audit actions in the catalogs", () => {
  it.each(AUDIT_ACTIONS)("%s has a name and a sentence in English and Khmer, with the same placeholders", (action) => {
    for (const key of [auditActionKey(action), auditSentenceKey(action)]) {
      const english = lookup(en, key);
      const khmer = lookup(km, key);
      expect(english, `${key} in en.json`).toMatch(/\S/);
      expect(khmer, `${key} in km.json`).toMatch(/\S/);
      expect(placeholders(khmer), key).toEqual(placeholders(english));
    }
    // A sentence says who did it, or is one of the few written without a person (system events).
    const sentence = lookup(en, auditSentenceKey(action)) ?? "";
    for (const name of placeholders(sentence)) expect(["actor", "target", "person", "organisation"]).toContain(name);
  });
});
