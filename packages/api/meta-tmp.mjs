import { build } from "esbuild";
const dir = process.argv[2];
const r = await build({ entryPoints: [`${dir}/packages/web/src/main.tsx`], bundle: true, splitting: true, format: "esm", outdir: "/tmp/esb-out-" + process.argv[3], metafile: true, minify: true, write: true, jsx: "automatic",
  plugins: [{ name: "v", setup(b) { b.onResolve({ filter: /^virtual:/ }, (a) => ({ path: a.path, external: true })); b.onResolve({ filter: /\.(css|woff2|svg|png)(\?.*)?$/ }, (a) => ({ path: a.path, external: true })); } }],
  loader: { ".json": "json" }, logLevel: "error" });
const out = Object.entries(r.metafile.outputs).find(([k, v]) => v.entryPoint && v.entryPoint.endsWith("main.tsx"));
const inputs = Object.entries(out[1].inputs).map(([k, v]) => [v.bytesInOutput, k.replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, "npm:").replace(dir + "/", "")]);
inputs.sort((a, b) => b[0] - a[0]);
for (const [b, k] of inputs) console.log(b, k);
