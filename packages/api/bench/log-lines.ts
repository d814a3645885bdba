/**
 * `pnpm --filter @samakki/api bench:log-lines`: what one request line costs the server's CPU, from
 * the call to its bytes on stdout, written to a pipe as under a supervisor. Three ways in one run,
 * each in a child process of its own whose stdout this process reads and drops:
 *
 *   - build:    the line is built by the same code and dropped (the floor: the text itself);
 *   - sonic:    the line goes to pino's destination (sonic-boom) as the server used to give it,
 *               one line at a time, sonic-boom batching (minLength 16 KiB, maxWrite 64 KiB);
 *   - batched:  the server's logger as it is (logger.ts, createServerLogger): lines gathered
 *               into batches before sonic-boom sees them.
 *
 * Each child writes BENCH_LINES lines, yielding to the event loop every BENCH_EVERY lines (as a
 * server between requests), waits for its writes to finish, and reports its process.cpuUsage() per
 * line (its threads and the system calls included). The modes alternate, BENCH_PAIRS rounds; the
 * table gives the medians. A benchmark, not a test: it never fails on numbers.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { createLogger, createServerLogger, type Logger, writeRequestLine } from "../src/lib/logger.ts";
import { formatTable, median } from "./format.ts";

const LINES = Number(process.env.BENCH_LINES || 200_000);
const EVERY = Number(process.env.BENCH_EVERY || 20);
const PAIRS = Number(process.env.BENCH_PAIRS || 5);
const MODES = ["build", "sonic", "batched"] as const;
type Mode = (typeof MODES)[number];

const LINE = { requestId: "q3Vb0mC8xLr2TnWa7KdYhE", method: "GET", path: "/api/coalitions/6cde70d8/campaigns", status: 200, ms: 3 };

/** The destination of each way: what the line is handed to. */
async function loggerFor(mode: Mode): Promise<Logger> {
  if (mode === "sonic")
    return createLogger("info", pino.destination({ dest: 1, sync: false, minLength: 16 * 1024, maxWrite: 64 * 1024, periodicFlush: 1000 }));
  if (mode === "batched") return createServerLogger("info");
  return createLogger("info", { write: () => undefined });
}

async function child(mode: Mode): Promise<void> {
  const logger = await loggerFor(mode);
  const start = process.cpuUsage();
  for (let i = 0; i < LINES; i++) {
    writeRequestLine(logger, "info", LINE);
    if (i % EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  // The last batch's write, on libuv's thread pool, counted too: flush calls back once it is done
  // (sonic-boom's flush waits for the write under way); a file system request still pending would
  // be one more, waited for without spinning.
  while (process.getActiveResourcesInfo().includes("FSReqCallback")) await new Promise((resolve) => setTimeout(resolve, 1));
  const used = process.cpuUsage(start);
  process.send?.({ mode, cpuUs: (used.user + used.system) / LINES });
}

function run(mode: Mode): Promise<{ cpuUs: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const worker = fork(fileURLToPath(import.meta.url), [mode], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    });
    let bytes = 0;
    let cpuUs = Number.NaN;
    worker.stdout?.on("data", (chunk: Buffer) => {
      bytes += chunk.byteLength;
    });
    worker.on("message", (message: { cpuUs: number }) => {
      cpuUs = message.cpuUs;
    });
    worker.on("error", reject);
    worker.on("exit", (code) => (code === 0 ? resolve({ cpuUs, bytes }) : reject(new Error(`${mode}: exit ${code}`))));
  });
}

async function main() {
  const mode = process.argv[2] as Mode | undefined;
  if (mode) return child(mode);
  console.log(`log lines: ${LINES} lines a run, a yield every ${EVERY}, ${PAIRS} rounds, stdout to a pipe`);
  const results = new Map<Mode, { cpuUs: number[]; bytes: number }>(MODES.map((m) => [m, { cpuUs: [], bytes: 0 }]));
  for (let round = 0; round < PAIRS; round++) {
    const order = round % 2 === 0 ? MODES : [...MODES].reverse();
    for (const m of order) {
      const r = await run(m);
      const entry = results.get(m);
      entry?.cpuUs.push(r.cpuUs);
      if (entry) entry.bytes = r.bytes;
      console.log(`  round ${round + 1} ${m}: ${r.cpuUs.toFixed(2)} µs/line, ${r.bytes} bytes on stdout`);
    }
  }
  const head = ["way", "CPU µs/line (median)", "lines on stdout"];
  const rows = MODES.map((m) => {
    const entry = results.get(m);
    const lines =
      m === "build"
        ? "-"
        : String(Math.round((entry?.bytes ?? 0) / (JSON.stringify({ level: 30, time: Date.now(), ...LINE, msg: "request" }).length + 1)));
    return [m, median(entry?.cpuUs ?? []).toFixed(2), lines];
  });
  console.log(`\n${formatTable(head, rows)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
