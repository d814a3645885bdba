import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";

/**
 * Areas of the catalogs that the first screens (sign-in, password reset, invitation, the
 * redirecting home page) use, shipped first; the rest arrives with the first signed-in page
 * (src/lib/catalogs.ts). A key of another area on a first screen shows raw until then: the
 * browser tests would show it, and the unit test in src/lib/i18n.test.tsx checks these areas exist.
 */
export const FIRST_SCREEN_AREAS = [
  "app",
  "auth",
  "common",
  "errors",
  "forgot",
  "home",
  "invitation",
  "nav",
  "notFound",
  "passkeys",
  "reset",
  "role",
  "signIn",
  "status",
  "twoFactor",
  "twoFactorGate",
  "undoEmailChange",
  "validation",
  "verify",
];

/**
 * Areas only the server renders (emails, the server-rendered public pages): the web app never
 * shows them, so neither part carries them (about 2 KiB as sent, on every signed-in page).
 */
export const SERVER_ONLY_AREAS = ["email", "public", "publicLetters", "publicSite"];

/**
 * Areas a lazily loaded page or card fetches for itself, when it renders
 * (`virtual:samakki-catalog/<lang>/area/<name>`, see loadCatalogArea in src/lib/catalogs.ts): in
 * neither part, so they cost the first screen and the dashboard nothing. The server reads them
 * from the full catalogs as always.
 */
export const LAZY_AREAS = [
  "auditLog",
  "calendarFeed",
  // The sections' own strings, loaded with the section (app/router.tsx), not with the dashboard.
  "statements",
  "votes",
  "petitions",
  "letters",
  "signups",
];

const PREFIX = "virtual:samakki-catalog/";

/**
 * `virtual:samakki-catalog/<en|km>/<core|rest>`: one language's catalog cut in two by top-level
 * area, so the first screen downloads a fifth of it. Built from the shared catalogs, which stay
 * the single source (never split by hand).
 * `virtual:samakki-catalog/km/whole` is both Khmer parts in one file, for a visit that starts on a
 * signed-in page: over HTTP/1.1 a browser opens six connections to a host, and the Khmer
 * dashboard's first screen needed seven files and answers, the last waiting half a second for a
 * free connection (src/lib/catalogs.ts). English needs no such file: its core is in the entry.
 */
export function catalogSplit(): Plugin {
  return {
    name: "samakki-catalog-split",
    resolveId(id) {
      return id.startsWith(PREFIX) ? `\0${id}` : undefined;
    },
    load(id) {
      if (!id.startsWith(`\0${PREFIX}`)) return undefined;
      const [lang, part, name] = id.slice(PREFIX.length + 1).split("/");
      const lazy = part === "area" && name !== undefined && LAZY_AREAS.includes(name);
      const whole = part === "whole" && lang === "km";
      if ((lang !== "en" && lang !== "km") || (part !== "core" && part !== "rest" && !whole && !lazy))
        throw new Error(`unknown catalog ${id}`);
      const file = fileURLToPath(new URL(`../shared/src/i18n/${lang}.json`, import.meta.url));
      this.addWatchFile(file);
      const catalog = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      const picked = Object.fromEntries(
        Object.entries(catalog).filter(([area]) =>
          lazy
            ? area === name
            : !SERVER_ONLY_AREAS.includes(area) &&
              !LAZY_AREAS.includes(area) &&
              (whole || FIRST_SCREEN_AREAS.includes(area) === (part === "core")),
        ),
      );
      // JSON.parse of a string literal parses faster than the same object as JavaScript.
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(picked))});`;
    },
  };
}
