/**
 * `npx tsx bench/metrics-overhead.ts`: the CPU a /healthz request costs in-process (app.fetch, no
 * sockets), with metrics off (no METRICS_PORT/METRICS_TOKEN: no middleware work) and on (one timer
 * and one histogram observe per request), alternately, BENCH_ROUNDS times; prints the medians.
 * CPU time (process.cpuUsage) rather than wall time, so that other processes on the machine
 * disturb it less. A benchmark, not a test.
 *
 *   BENCH_ROUNDS    alternations (default 7)
 *   BENCH_REQUESTS  requests per round and variant (default 20000)
 */
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createDatabase } from "../src/db/client.ts";
import { createDeps } from "../src/deps.ts";
import { createLogger } from "../src/lib/logger.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS || 7);
const REQUESTS = Number(process.env.BENCH_REQUESTS || 20_000);
const CONCURRENCY = 10;

const handle = createDatabase({});
const logger = createLogger("silent");
const build = (env: Record<string, string>) => {
  const config = loadConfig({ NODE_ENV: "production", PUBLIC_URL: "http://localhost:3000", WORKERS: "false", ...env });
  return createApp(createDeps(config, logger, handle));
};
const variants = {
  off: build({}),
  on: build({ METRICS_TOKEN: "bench-token-0123456789abcdefghijklmnop" }),
};

async function round(app: ReturnType<typeof createApp>): Promise<number> {
  const start = process.cpuUsage();
  let sent = 0;
  const worker = async () => {
    while (sent < REQUESTS) {
      sent++;
      const res = await app.fetch(new Request("http://localhost:3000/healthz"));
      if (res.status !== 200) throw new Error(`healthz ${res.status}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(start);
  return (used.user + used.system) / REQUESTS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const results: Record<keyof typeof variants, number[]> = { off: [], on: [] };
await round(variants.off);
await round(variants.on);
for (let i = 0; i < ROUNDS; i++) {
  for (const name of i % 2 === 0 ? (["off", "on"] as const) : (["on", "off"] as const)) results[name].push(await round(variants[name]));
}
const off = median(results.off);
const on = median(results.on);
console.log(`/healthz in-process CPU per request, medians of ${ROUNDS} rounds x ${REQUESTS} requests`);
console.log(`  metrics off: ${off.toFixed(2)} µs   (rounds: ${results.off.map((x) => x.toFixed(1)).join(" ")})`);
console.log(`  metrics on:  ${on.toFixed(2)} µs   (rounds: ${results.on.map((x) => x.toFixed(1)).join(" ")})`);
console.log(`  difference:  ${(on - off).toFixed(2)} µs per request (${(((on - off) / off) * 100).toFixed(1)}%)`);
await handle.close();
