import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** The bundles production runs (`dist/`), and the ones the tests' child processes run (test/global-setup.ts). */
export const entryPoints = {
  server: "src/server.ts",
  migrate: "src/scripts/migrate.ts",
  setup: "src/scripts/setup.ts",
  demo: "src/scripts/demo.ts",
  "audit-verify": "src/scripts/audit-verify.ts",
  operator: "src/scripts/operator.ts",
};

/**
 * Bundle the API (and the shared package's sources) into one file per entry; node_modules stay
 * external, so `outdir` must be inside packages/api (Node finds the packages from there).
 */
export function buildApi(outdir = "dist") {
  return build({
    entryPoints,
    absWorkingDir: fileURLToPath(new URL(".", import.meta.url)),
    outdir,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    sourcemap: true,
    packages: "external",
    alias: {},
    plugins: [
      {
        name: "bundle-workspace",
        setup(b) {
          // Our own workspace package is TypeScript source: bundle it instead of leaving it external.
          b.onResolve({ filter: /^@samakki\/shared/ }, async (args) => {
            const sub = args.path.replace(/^@samakki\/shared\/?/, "");
            const file = sub.endsWith(".json") ? sub : `${sub}.ts`;
            return { path: fileURLToPath(new URL(`../shared/src/${file}`, import.meta.url)) };
          });
        },
      },
    ],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: "warning",
  });
}

// `node build.mjs` (the package's build script); imported, it only exports.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildApi();
