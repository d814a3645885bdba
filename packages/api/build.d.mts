// Types of build.mjs, for test/global-setup.ts (build.mjs stays plain JavaScript: `pnpm build` runs it with Node alone).
import type { BuildResult } from "esbuild";

/** The bundles production runs, by output name. */
export declare const entryPoints: Readonly<Record<string, string>>;
/** Bundles every entry into `outdir` (default `dist`), which must be inside packages/api. */
export declare function buildApi(outdir?: string): Promise<BuildResult>;
