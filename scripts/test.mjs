#!/usr/bin/env node
// `pnpm test`: typecheck, lint, unit + integration tests, then the browser tests against a built app.
// Keeps going after a failing step so every result is shown, writes .test-results/summary.json and
// ends with `N passed, N failed` alone on the last line (exit 1 if anything failed).
//
// Environment (passed through to every step):
//   DATABASE_URL            integration tests run against this PostgreSQL server instead of PGlite
//   CHROMIUM_PATH           Chromium for the browser tests (default /usr/bin/chromium-headless-shell, Debian's
//                           headless build of Chromium, at half the full browser's CPU; else /usr/bin/chromium)
//   REQUIRE_BROWSER_TESTS=1 a missing Chromium (or missing browser tests) fails the run (CI sets it)
//   TEST_STEP_TIMEOUT_MIN   minutes after which a hanging step is killed (default 20)
//   TEST_RESULTS_DIR        where the JSON reports and summary.json go (default .test-results): two
//                           runs at once (CI's) each write their own
//   TEST_SCOPE=database     run only what can differ between database engines or needs PostgreSQL (the
//                           API's tests, and infra's, whose backup script runs pg_dump against it):
//                           CI's second run, on PostgreSQL, after a full run on PGlite. Typecheck, lint,
//                           the web tests, the build, its size budget and the browser tests do not
//                           depend on the engine, so they run once.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const resultsDir = process.env.TEST_RESULTS_DIR ? resolve(process.env.TEST_RESULTS_DIR) : join(root, ".test-results");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1" };
// Plain output in logs (CI, files): Vitest colours whenever CI is set.
if (!process.stdout.isTTY && !env.FORCE_COLOR) env.NO_COLOR = "1";
const requireBrowser = ["1", "true"].includes(process.env.REQUIRE_BROWSER_TESTS ?? "");
const stepTimeoutMs = Number(process.env.TEST_STEP_TIMEOUT_MIN || 20) * 60_000;
const databaseOnly = process.env.TEST_SCOPE === "database";
if (process.env.TEST_SCOPE && !["all", "database"].includes(process.env.TEST_SCOPE)) {
  console.error(`!! TEST_SCOPE must be "all" or "database", not "${process.env.TEST_SCOPE}".`);
  process.exit(2);
}
const database = process.env.DATABASE_URL ? `PostgreSQL (${redact(process.env.DATABASE_URL)})` : "PGlite (embedded)";

/** @type {{ name: string; status: "passed" | "failed" | "not run"; passed: number; failed: number; skipped: number; seconds: number; counted?: boolean; note?: string }[]} */
const steps = [];

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

function banner(text) {
  const line = "=".repeat(78);
  console.log(`\n${line}\n== ${text}\n${line}`);
}

/** Run a command with inherited output; resolves to its exit code (124 on timeout). */
function run(command, args, options = {}) {
  return new Promise((resolvePromise) => {
    console.log(`$ ${[command, ...args].join(" ")}`);
    const child = spawn(command, args, {
      cwd: options.cwd ?? root,
      env: options.env ?? env,
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n!! ${command} ${args.join(" ")} did not finish in ${stepTimeoutMs / 60_000} minutes: killing it.`);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, stepTimeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      console.error(`!! could not start ${command}: ${error.message}`);
      resolvePromise(127);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise(timedOut ? 124 : (code ?? (signal ? 128 : 1)));
    });
  });
}

/** A step that is not a test runner: one failure when it fails, nothing counted when it passes. */
async function commandStep(name, command, args, options) {
  banner(name);
  const started = Date.now();
  const code = await run(command, args, options);
  const ok = code === 0;
  steps.push({
    name,
    status: ok ? "passed" : "failed",
    passed: 0,
    failed: ok ? 0 : 1,
    skipped: 0,
    seconds: (Date.now() - started) / 1000,
    note: ok ? undefined : `exit code ${code}`,
  });
  return ok;
}

function readVitestJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

/** A Vitest run whose counts come from its JSON report. */
async function vitestStep(name, pkgDir, args) {
  banner(name);
  const started = Date.now();
  const jsonFile = join(resultsDir, `${name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.json`);
  rmSync(jsonFile, { force: true });
  const reporters = ["--reporter=default", "--reporter=json", `--outputFile.json=${jsonFile}`];
  const code = await run("pnpm", [...args, ...reporters], { cwd: pkgDir });
  const report = readVitestJson(jsonFile);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let note;
  if (report) {
    passed = report.numPassedTests ?? 0;
    failed = report.numFailedTests ?? 0;
    skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A file that failed to load (syntax error, failing hook) fails no single test: count it.
    const brokenFiles = (report.testResults ?? []).filter(
      (f) => f.status === "failed" && (f.assertionResults ?? []).every((a) => a.status !== "failed"),
    ).length;
    failed += brokenFiles;
    if (brokenFiles) note = `${brokenFiles} test file(s) failed outside any test`;
  }
  if (code !== 0 && failed === 0) {
    failed = 1;
    note = report ? `exit code ${code} with no failed test reported` : `exit code ${code}, no JSON report`;
  }
  steps.push({
    name,
    status: code === 0 && failed === 0 ? "passed" : "failed",
    passed,
    failed,
    skipped,
    seconds: (Date.now() - started) / 1000,
    counted: true,
    note,
  });
  return code === 0;
}

function hasTests(pkgDir) {
  // Cheap check so a package without tests is reported as such rather than run.
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const entry of entries) {
      if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (walk(full)) return true;
      } else if (/\.test\.tsx?$/.test(entry.name) && !/\.e2e\.test\.tsx?$/.test(entry.name) && !full.includes(`${pkgDir}/e2e/`)) {
        return true;
      }
    }
    return false;
  };
  return walk(pkgDir);
}

function notRun(name, note, fail) {
  steps.push({ name, status: fail ? "failed" : "not run", passed: 0, failed: fail ? 1 : 0, skipped: 0, seconds: 0, note });
}

function readPackageScripts(pkgDir) {
  try {
    return JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).scripts ?? {};
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------------------------------------

const startedAt = Date.now();
mkdirSync(resultsDir, { recursive: true });
rmSync(join(resultsDir, "summary.json"), { force: true });
console.log(`Samakki tests — database: ${database}${databaseOnly ? " — only the tests that depend on it (TEST_SCOPE=database)" : ""}`);

// (a) typecheck, (b) lint
if (!databaseOnly) {
  await commandStep("typecheck", "pnpm", ["-r", "--no-bail", "typecheck"]);
  await commandStep("lint", "pnpm", ["exec", "biome", "check", "."]);
}

// (c) unit + integration tests, package by package
const packages = [
  { name: "shared", dir: join(root, "packages/shared"), extra: [] },
  // Every worker keeps its module graph from one file to the next (--no-isolate): importing the whole
  // app again for each of 113 files costs about 6 s of CPU each, a third of the suite. A file must
  // therefore close what it opens: test/setup.ts closes the databases a file left open and, on
  // PostgreSQL, fails a file whose connections are still open after it. (Before it did, no file's
  // database was ever closed, and on PGlite a worker grew by about 250 MB a file, past 12 GB: the
  // suite ran in four shards. Now the whole suite peaks at about 1.6 GB a worker.) `vitest run`
  // alone, as a developer runs it, isolates every file.
  { name: "api", dir: join(root, "packages/api"), extra: ["--no-isolate"], database: true },
  // The browser tests run later, against a built app: keep them out of the unit run.
  { name: "web (unit)", dir: join(root, "packages/web"), extra: ["--exclude", "e2e/**", "--exclude", "**/*.e2e.test.*"] },
  // Dockerfile rules, compose and Kubernetes manifests against their schemas (no Docker, no cluster);
  // on PostgreSQL also the nightly backup script, for real (it was skipped in CI's runs before).
  { name: "infra", dir: join(root, "infra"), extra: [], database: true },
];
for (const pkg of packages.filter((p) => p.database || !databaseOnly)) {
  const stepName = `tests: ${pkg.name}`;
  if (!existsSync(pkg.dir)) {
    notRun(stepName, "package missing", false);
    continue;
  }
  if (!hasTests(pkg.dir)) {
    notRun(stepName, "no test files", false);
    continue;
  }
  await vitestStep(stepName, pkg.dir, ["exec", "vitest", "run", ...pkg.extra]);
}

// (d) browser tests against the built app
const chromium =
  process.env.CHROMIUM_PATH ||
  ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].find((path) => existsSync(path)) ||
  "/usr/bin/chromium";
const webDir = join(root, "packages/web");
let browserTests = "not run";
if (databaseOnly) {
  browserTests = "not in scope (TEST_SCOPE=database)";
} else if (existsSync(chromium)) {
  const built = await commandStep("build (web + api)", "sh", [
    "-c",
    "pnpm --filter @samakki/web build && pnpm --filter @samakki/api build",
  ]);
  const e2eConfig = join(webDir, "vitest.e2e.config.ts");
  // The size budget over the built files, as the API sends them (brotli): counted like any test.
  if (built) await vitestStep("size budget (web build)", webDir, ["exec", "vitest", "run", "--config", "vitest.budget.config.ts"]);
  else notRun("size budget (web build)", "not run: the build failed", true);
  if (!built) {
    notRun("browser tests", "not run: the build failed", true);
  } else if (!existsSync(e2eConfig)) {
    console.log(`\n!! No browser tests found (${e2eConfig} does not exist).`);
    notRun("browser tests", "no browser tests found", requireBrowser);
  } else {
    const e2eEnv = { ...env, CHROMIUM_PATH: chromium };
    const scripts = readPackageScripts(webDir);
    const args = scripts["test:e2e"] ? ["run", "test:e2e"] : ["exec", "vitest", "run", "--config", "vitest.e2e.config.ts"];
    banner(`browser tests (Chromium: ${chromium})`);
    const started = Date.now();
    const jsonFile = join(resultsDir, "browser.json");
    rmSync(jsonFile, { force: true });
    const code = await run("pnpm", [...args, "--reporter=default", "--reporter=json", `--outputFile.json=${jsonFile}`], {
      cwd: webDir,
      env: e2eEnv,
    });
    const report = readVitestJson(jsonFile);
    let passed = report?.numPassedTests ?? 0;
    let failed = report?.numFailedTests ?? 0;
    const skipped = (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0);
    let note;
    if (code !== 0 && failed === 0) {
      failed = 1;
      note = !report
        ? `exit code ${code}, no JSON report`
        : report.numTotalTestSuites === 0
          ? "no browser test files found"
          : `exit code ${code} with no failed test reported`;
    }
    if (code === 0 && passed === 0 && requireBrowser) {
      failed = 1;
      note = "no browser test ran";
    }
    passed = Math.max(passed, 0);
    steps.push({
      name: "browser tests",
      status: failed ? "failed" : "passed",
      passed,
      failed,
      skipped,
      seconds: (Date.now() - started) / 1000,
      counted: true,
      note,
    });
    browserTests = "ran";
  }
} else {
  const line = "#".repeat(78);
  console.log(`
${line}
#
#   BROWSER TESTS WERE NOT RUN: no Chromium at ${chromium}
#
#   Everything else ran. To run the browser tests too, install Debian's Chromium:
#
#       sudo apt-get update && sudo apt-get install -y chromium-headless-shell
#
#   or point CHROMIUM_PATH at a Chromium/Chrome binary, then run \`pnpm test\` again.
#   (Never \`npx playwright install\`: the tests use the system Chromium.)
#${requireBrowser ? "\n#   REQUIRE_BROWSER_TESTS is set: this counts as a FAILURE.\n#" : ""}
${line}
`);
  notRun("browser tests", `Chromium not found at ${chromium}`, requireBrowser);
}

// ---------------------------------------------------------------------------------------------

const totals = steps.reduce((t, s) => ({ passed: t.passed + s.passed, failed: t.failed + s.failed, skipped: t.skipped + s.skipped }), {
  passed: 0,
  failed: 0,
  skipped: 0,
});
const ok = totals.failed === 0 && steps.every((s) => s.status !== "failed");

banner(`Summary — database: ${database}`);
const width = Math.max(...steps.map((s) => s.name.length));
for (const s of steps) {
  const mark = s.status === "passed" ? "ok  " : s.status === "failed" ? "FAIL" : "--  ";
  const counts = s.counted ? `  ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ""}` : "";
  console.log(`  ${mark} ${s.name.padEnd(width)}  ${s.seconds.toFixed(1).padStart(6)} s${counts}${s.note ? `  (${s.note})` : ""}`);
}
if (browserTests !== "ran" && !databaseOnly) console.log("\n  !! Browser tests were NOT run (see above).");
console.log(`\n  Total time ${((Date.now() - startedAt) / 1000).toFixed(0)} s. ${ok ? "All green." : "FAILED."}`);

writeFileSync(
  join(resultsDir, "summary.json"),
  `${JSON.stringify({ ...totals, ok, database: process.env.DATABASE_URL ? "postgres" : "pglite", scope: databaseOnly ? "database" : "all", browserTests, steps }, null, 2)}\n`,
);

console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exitCode = ok ? 0 : 1;
