#!/usr/bin/env node
// Khmer names of the time zones, from Node's ICU data (full-icu), for browsers that ship none
// (Chromium answers "km" with US English). Run after a Node upgrade; the output is committed:
//   node packages/web/scripts/time-zone-names.mjs
import { writeFileSync } from "node:fs";

// Node 20 lists some zones under their older names; the newer ones a browser may list are added.
const extra = ["UTC", "Europe/Kyiv", "America/Ciudad_Juarez", "Pacific/Kanton"];
const zones = [...new Set([...Intl.supportedValuesOf("timeZone"), ...extra])].sort();
const names = {};
// Which name a zone carries depends on the date (Kyiv kept Moscow time until 1990): take a recent one.
const at = new Date(Date.UTC(2026, 0, 1));
const khmerDigits = (text) => text.replace(/[0-9]/g, (d) => String.fromCharCode(0x17e0 + Number(d)));
for (const timeZone of zones) {
  const part = new Intl.DateTimeFormat("km", { timeZone, timeZoneName: "longGeneric" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  // A name in Latin letters is no Khmer name: the id stays alone then. Offsets get Khmer digits.
  if (part && /[\u1780-\u17ff]/.test(part.value) && !/[A-Za-z]/.test(part.value))
    names[timeZone] = khmerDigits(part.value.replaceAll("\u200b", ""));
}
const file = new URL("../src/lib/time-zone-names.km.json", import.meta.url);
writeFileSync(file, `${JSON.stringify(names, null, 0)}\n`);
console.log(`${Object.keys(names).length} of ${zones.length} zones named`);
