#!/usr/bin/env node
// Draws the PNG icons of the web app manifest from their SVGs (public/icons/*.svg) with the system
// Chromium, so the PNGs are committed and the build needs no image library. Run after changing an
// SVG: `node scripts/icons.mjs` (the system Chromium, /usr/bin/chromium).
// icon.svg is the favicon; maskable.svg fills the square and keeps the mark inside the central 80 %
// circle that launchers may crop to.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const icons = join(dirname(fileURLToPath(import.meta.url)), "../public/icons");
const drawn = [
  ["icon.svg", 192, "icon-192.png"],
  ["icon.svg", 512, "icon-512.png"],
  ["maskable.svg", 512, "maskable-512.png"],
];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
try {
  for (const [svg, size, png] of drawn) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const data = Buffer.from(readFileSync(join(icons, svg))).toString("base64");
    await page.setContent(
      `<html><body style="margin:0;background:transparent"><img src="data:image/svg+xml;base64,${data}" width="${size}" height="${size}"></body></html>`,
    );
    await page.screenshot({ path: join(icons, png), omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
