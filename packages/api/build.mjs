import { build } from "esbuild";

// Bundle the API (and the shared package's sources) into one file; node_modules stay external.
await build({
  entryPoints: {
    server: "src/server.ts",
    migrate: "src/scripts/migrate.ts",
    setup: "src/scripts/setup.ts",
    demo: "src/scripts/demo.ts",
    "audit-verify": "src/scripts/audit-verify.ts",
    operator: "src/scripts/operator.ts",
  },
  outdir: "dist",
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
          return { path: new URL(`../shared/src/${file}`, import.meta.url).pathname };
        });
      },
    },
  ],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: "warning",
});
