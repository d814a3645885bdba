import pino from "pino";

export type Logger = pino.Logger;

/*
 * Redaction by exact paths (issue 12): pino compiles each path into a direct property check, while
 * wildcards made it walk every object of every line (35% of busy CPU with 44 of them). The paths
 * are those of the log calls that can carry a secret (the logger test walks every call site):
 *   - top level: a secret logged by name ({ token }, { password }, child bindings);
 *   - `err`: errors are logged with their enumerable properties; postgres.js puts the query's
 *     parameters (which can be a token hash or a password hash) on `parameters`/`args` in debug;
 *     an HTTP client's error can carry the request headers;
 *   - `headers`, `req.headers`, `res.headers`: the shapes of pino's standard request/response
 *     serializers, should a request or response ever be logged;
 *   - `body`, `req.body`: a request body logged for debugging;
 *   - `person`, `session`, `row`: database rows.
 * A new log call with another shape must add its paths here: the logger test fails otherwise.
 */
const SECRET_KEYS = [
  "password",
  "currentPassword",
  "newPassword",
  "token",
  "passwordHash",
  "password_hash",
  "cookie",
  "authorization",
  "set-cookie",
  "x-api-key",
  "apiKey",
];
const HEADER_KEYS = ["cookie", "authorization", "set-cookie", "x-api-key"];
const BODY_KEYS = ["password", "currentPassword", "newPassword", "token"];
const ROW_KEYS = ["token", "passwordHash", "password_hash", "token_hash", "secret"];

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`;
}
const under = (prefix: string, names: string[]) => names.map((name) => `${prefix}${key(name)}`);

export const REDACT_PATHS = [
  ...SECRET_KEYS.map((name) => key(name).replace(/^\./, "")),
  "err.parameters",
  "err.args",
  ...under("err.headers", HEADER_KEYS),
  ...under("err.request.headers", HEADER_KEYS),
  ...under("headers", HEADER_KEYS),
  ...under("req.headers", HEADER_KEYS),
  ...under("res.headers", HEADER_KEYS),
  ...under("body", BODY_KEYS),
  ...under("req.body", BODY_KEYS),
  ...under("person", ROW_KEYS),
  ...under("session", ROW_KEYS),
  ...under("row", ROW_KEYS),
];

/**
 * Structured JSON logs; secrets are redacted at the paths above. `mixin` adds fields to every
 * line: the trace and span ids when tracing is on (lib/tracing.ts); none otherwise.
 */
export function createLogger(level: string, destination?: pino.DestinationStream, mixin?: () => object): Logger {
  const logger = pino(
    {
      level,
      base: null,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      ...(mixin ? { mixin } : {}),
    },
    destination,
  );
  // Without a mixin pino writes only the fields it is given, so writeRequestLine may write the same
  // line itself; not to a stream that wants each line's level beside it (pino.multistream).
  const metadata = (destination as Record<symbol, unknown> | undefined)?.[pino.symbols.needsMetadataGsym];
  if (!mixin && metadata !== true) plainLoggers.add(logger);
  return logger;
}

/** Loggers made by createLogger whose lines are the fields given and nothing else, written as they are. */
const plainLoggers = new WeakSet<Logger>();

const LEVEL_NUMBER = { info: 30, warn: 40, error: 50 } as const;

/** The fields of the request line (request-log.ts), in the order pino writes them. */
export type RequestLine = { requestId: string; method: string; path: string; status: number; ms: number };

/**
 * The request line, written as pino writes `logger[level](fields, "request")` from a logger of
 * createLogger's, but serialised here: it is the one line of every request, and pino's general path
 * (the redaction of every path above, its string building) cost about as much as the rest of a
 * `/healthz` answer (docs/architecture.md §5). None of its fields can hold a secret: the request id
 * is ours or matched `[\w-]{8,64}`, the method is one Node's parser knows, the path is the one
 * loggablePath gives (a token's route is logged by its pattern), the rest are numbers. The path is
 * JSON-escaped whatever it holds, so no request can forge a line. Any other logger (a child, one
 * with a mixin such as tracing's trace ids, a test's own pino) goes through pino itself.
 */
export function writeRequestLine(logger: Logger, level: keyof typeof LEVEL_NUMBER, line: RequestLine): void {
  if (!logger.isLevelEnabled(level)) return;
  if (!plainLoggers.has(logger)) {
    logger[level](line, "request");
    return;
  }
  const stream = (logger as unknown as Record<symbol, pino.DestinationStream>)[pino.symbols.streamSym];
  stream?.write(
    `{"level":${LEVEL_NUMBER[level]},"time":${Date.now()},"requestId":${JSON.stringify(line.requestId)},"method":${JSON.stringify(line.method)},"path":${JSON.stringify(line.path)},"status":${line.status},"ms":${line.ms},"msg":"request"}\n`,
  );
}

/**
 * Lines are written to stdout in batches of at least this many bytes, or every LOG_FLUSH_MS. One
 * write per line cost about 25 µs of a read's CPU behind a pipe (the write, and waking the reader on
 * the other end). A batch of 4 KB (~30 request lines) still cost about 3 µs a request on /healthz
 * in a CPU profile; 16 KB (~130 lines) is a quarter of that. A line waits at most LOG_FLUSH_MS
 * however busy the server is, and what is left is written synchronously when the process exits (a
 * SIGTERM, or a crash it logs).
 */
const LOG_BATCH_BYTES = 16 * 1024;
const LOG_MAX_WRITE = 64 * 1024;
const LOG_FLUSH_MS = 1000;

type SonicBoom = ReturnType<typeof pino.destination>;

/**
 * Lines gathered into batches before pino's destination (sonic-boom) sees them. Given lines one at a
 * time, sonic-boom measures the UTF-8 length of all the text it holds on every write (a
 * Buffer.byteLength of a string that grows to the batch's size, flattened anew after each line):
 * 3.5 µs of CPU a request line, where a batch at once costs 1.4 µs a line and building the line
 * 0.3 (`pnpm --filter @samakki/api bench:log-lines`: stdout to a pipe, a yield to the event loop
 * every 20 lines); 8 to 10 µs a line when the lines pile up behind a write under way. Lines keep
 * their order: every line of the logger passes through here.
 */
export class LineBatches implements pino.DestinationStream {
  #lines: string[] = [];
  /** Characters held: the bytes for ASCII lines, fewer for others; a batch only needs to be about this size. */
  #held = 0;

  constructor(
    private readonly out: SonicBoom,
    private readonly minLength: number,
  ) {}

  write(line: string): void {
    this.#lines.push(line);
    this.#held += line.length;
    if (this.#held >= this.minLength) this.pass();
  }

  /** What is held, to sonic-boom, which writes it at once or after the write under way. */
  pass(): void {
    if (this.#lines.length === 0) return;
    const text = this.#lines.length === 1 ? (this.#lines[0] as string) : this.#lines.join("");
    this.#lines = [];
    this.#held = 0;
    this.out.write(text);
  }

  /** pino's `logger.flush()`: what is held goes out now. */
  flush(done?: (error?: Error) => void): void {
    this.pass();
    this.out.flush(done);
  }

  /** Everything, before this call returns: for the process's exit. */
  flushSync(): void {
    this.pass();
    // Ended already (pino ends it when the event loop empties): nothing more can be written.
    if (!(this.out as SonicBoom & { destroyed?: boolean }).destroyed) this.out.flushSync();
  }
}

/** Batches whose lines must be written when the process exits. */
const batchesToFlushOnExit = new Set<LineBatches>();

/** Each batch's lines go to sonic-boom, and at exit to stdout before the process ends. */
function passAll(): void {
  for (const batches of batchesToFlushOnExit) batches.pass();
}
function flushAll(): void {
  for (const batches of batchesToFlushOnExit) batches.flushSync();
}

/**
 * A batching destination on stdout (fd 1): sonic-boom, asynchronous, writing each batch at once
 * (its own minLength 0). pino flushes the sonic-boom when the process exits, and ends it when the
 * event loop empties; the listeners here, added before pino's, first hand it what the batches hold.
 */
function batchedStdout(): LineBatches {
  if (batchesToFlushOnExit.size === 0) {
    process.on("beforeExit", passAll);
    process.once("exit", flushAll);
  }
  const out = pino.destination({ dest: 1, sync: false, minLength: 0, maxWrite: LOG_MAX_WRITE });
  const batches = new LineBatches(out, LOG_BATCH_BYTES);
  batchesToFlushOnExit.add(batches);
  setInterval(() => batches.pass(), LOG_FLUSH_MS).unref();
  return batches;
}

/**
 * The server's logger: JSON on stdout through pino's asynchronous destination (lines are buffered
 * and written by the event loop in batches, instead of one blocking write each; pino flushes it on exit).
 * `pretty`: readable lines through pino-pretty instead, for a person at a terminal in development;
 * loaded only then, so production never pays for it. Redaction applies before either.
 */
export async function createServerLogger(
  level: string,
  { pretty = false, output, mixin }: { pretty?: boolean; output?: NodeJS.WritableStream; mixin?: (() => object) | undefined } = {},
): Promise<Logger> {
  if (pretty) {
    const { default: prettyStream } = await import("pino-pretty");
    return createLogger(
      level,
      prettyStream({
        colorize: !output,
        translateTime: "SYS:HH:MM:ss.l",
        ignore: "pid,hostname",
        sync: true,
        ...(output ? { destination: output } : {}),
      }),
      mixin,
    );
  }
  return createLogger(level, batchedStdout(), mixin);
}
