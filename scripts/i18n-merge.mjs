#!/usr/bin/env node
// Merge catalog fragments into packages/shared/src/i18n/{en,km}.json (deep; fragment keys win).
// Usage: node scripts/i18n-merge.mjs fragment.en.json fragment.km.json
// Serialised with a lock file, so several people merging at once never lose each other's keys.
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dir = join(dirname(fileURLToPath(import.meta.url)), "../packages/shared/src/i18n");
const lock = join(dir, ".merge.lock");
const [en, km] = process.argv.slice(2);
if (!en || !km) {
  console.error("usage: node scripts/i18n-merge.mjs fragment.en.json fragment.km.json");
  process.exit(2);
}
const merge = (into, from) => {
  for (const [k, v] of Object.entries(from))
    into[k] = v && typeof v === "object" && !Array.isArray(v) ? merge(into[k] && typeof into[k] === "object" ? into[k] : {}, v) : v;
  return into;
};
const keys = (o, p = "") => Object.entries(o).flatMap(([k, v]) => (v && typeof v === "object" ? keys(v, `${p}${k}.`) : [p + k]));
const fe = JSON.parse(readFileSync(en, "utf8"));
const fk = JSON.parse(readFileSync(km, "utf8"));
const missing = keys(fe).filter((k) => !keys(fk).includes(k));
if (missing.length) {
  console.error(`keys missing in the Khmer fragment: ${missing.join(", ")}`);
  process.exit(1);
}
for (let i = 0; ; i++) {
  try {
    closeSync(openSync(lock, "wx"));
    break;
  } catch {
    if (i > 200) throw new Error(`could not take ${lock}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
try {
  for (const [lang, fragment] of [
    ["en", fe],
    ["km", fk],
  ]) {
    const file = join(dir, `${lang}.json`);
    writeFileSync(file, `${JSON.stringify(merge(JSON.parse(readFileSync(file, "utf8")), fragment), null, 2)}\n`);
  }
} finally {
  rmSync(lock, { force: true });
}
console.log(`merged ${keys(fe).length} keys`);
