import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A built web app of one page and one asset, so the catch-all static route answers as in production (pass as `webDist`). */
export function fakeWebDist(): string {
  const dir = mkdtempSync(join(tmpdir(), "samakki-web-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>Samakki</title>");
  writeFileSync(join(dir, "assets", "app.js"), "export {};");
  return dir;
}
