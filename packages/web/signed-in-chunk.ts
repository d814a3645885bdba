import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";

/** The name of the chunk, as Vite's manifest gives it (`name`): packages/api page hints and scripts/bundle-size.mjs look for it. */
export const SIGNED_IN_CHUNK = "signed-in";

/**
 * The modules every signed-in visit draws first: the signed-in frame (header, bell, account menu,
 * the 2FA gate) and the dashboard, the page people land on.
 */
export const SIGNED_IN_FIRST_SCREEN = ["src/app/shell.tsx", "src/features/dashboard/components/DashboardPage.tsx"];

/**
 * The English catalog's second part (catalog-split.ts), which every signed-in page waits for, in
 * Khmer too (English is every key's fallback): in the same file, it is not a request of its own.
 */
export const ENGLISH_REST_CATALOG = "\0virtual:samakki-catalog/en/rest";

/**
 * One chunk for the signed-in first screen (issue 10, LCP). Left to the bundler, the frame and the
 * dashboard came as 13 files of 1 to 12 KiB, split along what the other pages share, and the
 * English catalog's second part as one more. On a slow
 * mobile network each file costs a round trip, and over HTTP/1.1 a browser opens six connections
 * to a host: the dashboard waited for three rounds of half a second.
 *
 * `group(id)` is true for that catalog part and every module the two import statically, at any
 * depth (not into a library's own imports). The build puts
 * them in one chunk (vite.config.ts `codeSplitting.groups`), after the entry's group has taken what
 * the entry itself carries. Pages loaded later that share one of these modules import it from
 * that chunk, which the frame has already loaded. The set is computed from the module graph once
 * the build has read it (`buildEnd`), before the chunks are made.
 */
export function signedInChunk(root: string = fileURLToPath(new URL(".", import.meta.url))) {
  const members = new Set<string>();
  const plugin: Plugin = {
    name: "samakki-signed-in-chunk",
    apply: "build",
    buildEnd() {
      members.clear();
      const roots = [...SIGNED_IN_FIRST_SCREEN.map((path) => `${root}${path}`), ENGLISH_REST_CATALOG];
      const missing = roots.filter((id) => !this.getModuleInfo(id));
      if (missing.length > 0) this.error(`signed-in chunk: ${missing.join(", ")} not in the build`);
      const pending = [...roots];
      for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
        const info = members.has(id) ? null : this.getModuleInfo(id);
        if (!info) continue;
        members.add(id);
        // A library's own imports are left to the bundler: the group takes a library module the app
        // imports, not everything that module can reach (zod's JSON Schema code, used by other pages only).
        if (!id.includes("/node_modules/")) pending.push(...info.importedIds);
      }
    },
  };
  return { plugin, group: (id: string) => members.has(id) };
}
