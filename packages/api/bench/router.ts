/**
 * `npx tsx bench/router.ts`: how long Hono takes to match a request to the app's routes and
 * middleware, with RegExpRouter (one regular expression per method; what the app uses, see
 * src/__tests__/router.test.ts) and with TrieRouter (a walk down a tree of path segments; what Hono
 * falls back to when RegExpRouter refuses a route). Both routers get every entry of `app.routes`;
 * each path is matched BENCH_MATCHES times per round, alternately, BENCH_ROUNDS times, after a
 * warm-up, and the table gives the medians in µs a match. Hot, in a loop: between the round trips
 * of a real request the same code costs a few times more (docs/architecture.md §5). A benchmark,
 * not a test.
 *
 *   BENCH_ROUNDS    alternations (default 7)
 *   BENCH_MATCHES   matches of each path per round and router (default 50000)
 */
import { RegExpRouter } from "hono/router/reg-exp-router";
import type { SmartRouter } from "hono/router/smart-router";
import { TrieRouter } from "hono/router/trie-router";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createDatabase } from "../src/db/client.ts";
import { createDeps } from "../src/deps.ts";
import { createLogger } from "../src/lib/logger.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS || 7);
const MATCHES = Number(process.env.BENCH_MATCHES || 50_000);

const config = loadConfig({ NODE_ENV: "production", PUBLIC_URL: "http://localhost:3000", WORKERS: "false" });
const app = createApp(createDeps(config, createLogger("silent"), createDatabase({})));
await app.request("/healthz");

const regExp = new RegExpRouter<unknown>();
const trie = new TrieRouter<unknown>();
for (const route of app.routes) {
  regExp.add(route.method, route.path, route.handler);
  trie.add(route.method, route.path, route.handler);
}
const routers = { RegExpRouter: regExp, TrieRouter: trie };

const id = "3f0c1e9a-1111-4222-8333-944445555666";
const paths = {
  "/healthz": "/healthz",
  "campaign list": `/api/coalitions/${id}/campaigns`,
  "task list": `/api/coalitions/${id}/tasks`,
  statement: `/api/coalitions/${id}/statements/${id}`,
  "public statement page": `/statements/${id}`,
};

function microseconds(router: { match(method: string, path: string): unknown }, path: string): number {
  const start = performance.now();
  for (let i = 0; i < MATCHES; i++) router.match("GET", path);
  return ((performance.now() - start) * 1000) / MATCHES;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

console.log(
  `${app.routes.length} route and middleware entries; the app matches with ${(app.router as SmartRouter<unknown>).activeRouter.name}`,
);
console.log(`${"path".padEnd(24)}${"RegExpRouter µs".padStart(17)}${"TrieRouter µs".padStart(15)}`);
for (const [name, path] of Object.entries(paths)) {
  for (const router of Object.values(routers)) microseconds(router, path);
  const times: Record<keyof typeof routers, number[]> = { RegExpRouter: [], TrieRouter: [] };
  for (let round = 0; round < ROUNDS; round++)
    for (const [label, router] of Object.entries(routers)) times[label as keyof typeof routers].push(microseconds(router, path));
  console.log(`${name.padEnd(24)}${median(times.RegExpRouter).toFixed(2).padStart(17)}${median(times.TrieRouter).toFixed(2).padStart(15)}`);
}
