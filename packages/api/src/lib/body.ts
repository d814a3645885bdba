import type { IncomingMessage } from "node:http";
import type { Context, MiddlewareHandler, Next } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";

/** Bodies over this are refused with 413, with or without a Content-Length. */
export const MAX_BODY_BYTES = 256 * 1024;

const tooLarge = () => new AppError("payload_too_large");

const limited = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw tooLarge();
  },
});

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;
// Decodes as the Fetch API's text() does: UTF-8, a leading byte-order mark dropped, bad bytes as U+FFFD.
const utf8 = new TextDecoder();

/** The request as @hono/node-server received it; undefined in tests that call app.request(). */
function incomingOf(c: Context<AppEnv>): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

/** Reads the whole body of a request whose Content-Length is at most MAX_BODY_BYTES. */
async function readIncoming(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of incoming) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      // Node's parser stops at the Content-Length; this only guards a header that lied.
      if (size > MAX_BODY_BYTES) throw tooLarge();
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    // The client went away mid-body: nothing was read, and nobody is left to answer.
    throw new AppError("validation_failed", "the request body was cut off");
  }
  return utf8.decode(Buffer.concat(chunks, size));
}

/**
 * Request bodies, on /api/*. GET and HEAD have none: hono/body-limit would still build a full
 * Request to find out (about 5% of a read's CPU), so they pass.
 *
 * A JSON body announced by its Content-Length, as every browser and API client sends one, is
 * refused at once over MAX_BODY_BYTES, else read straight from Node's request into Hono's body
 * cache, where guardInput and the route's validator read it (`c.req.text()`, `c.req.json()`).
 * Reading it through the Fetch API's Request instead (a web stream over Node's stream, then a
 * decoder) made a task status change take 1,700 to 2,600 µs of CPU rather than 1,400 to 1,850
 * (`LOADTEST_ENDPOINTS=status pnpm loadtest`, alternating, three pairs).
 * Anything else (a chunked body, a form, a test's app.request()) goes through hono/body-limit,
 * which counts a chunked body as it streams, around `next`. A middleware, also called as a plain
 * function by the request pipeline (request-pipeline.ts): a GET only calls `next`.
 */
export const readBody: MiddlewareHandler<AppEnv> = (c, next) => {
  const method = c.req.method;
  return method === "GET" || method === "HEAD" ? next() : readThen(c, next);
};

async function readThen(c: Context<AppEnv>, next: Next): Promise<void> {
  const incoming = incomingOf(c);
  const length = c.req.header("content-length");
  const type = c.req.header("content-type")?.split(";")[0]?.trim() ?? "";
  if (!incoming || length === undefined || !/^\d+$/.test(length) || !JSON_TYPE.test(type) || "text" in c.req.bodyCache) {
    await limited(c, next);
    return;
  }
  if (Number(length) > MAX_BODY_BYTES) throw tooLarge();
  // Read before anything runs: a body cut off answers here, never reaches a route half-read.
  const text = await readIncoming(incoming);
  // Hono keeps the promise of each body it read (its type says the value).
  (c.req.bodyCache as unknown as { text?: Promise<string> }).text = Promise.resolve(text);
  await next();
}
