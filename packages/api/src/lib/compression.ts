import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { Context } from "hono";
import { compress } from "hono/compress";
import { parseAccept } from "hono/utils/accept";
import type { AppEnv } from "./context.ts";
import { headerIn, lightParts, withHeaders } from "./light-response.ts";

/** Below this, compression costs more than it saves (and the answer fits in one packet anyway). */
export const COMPRESS_THRESHOLD = 1024;

/**
 * Answers that carry a credential (2FA secret and recovery codes, passkey challenges, the session
 * list) are never compressed. BREACH needs a secret and attacker-chosen text in the same
 * compressed body, sent many times with the victim's cookie while the attacker watches sizes; our
 * session cookie is SameSite=Lax and mutations need our Origin, so a cross-site page cannot make
 * those requests anyway. Still, these answers are small: leaving them plain costs nothing and
 * removes the question. Everything else (lists, dashboards, public pages) has no secret in it.
 */
const CREDENTIAL_PATHS = /^\/api\/(?:auth|me)(?:\/|$)/;

/** Bodies we build in memory (JSON, problem+json, server-rendered HTML): safe to measure. */
const MEASURABLE = /^(?:application\/(?:[\w.+-]+\+)?json|text\/html)\b/i;

const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;
const VARIES_BY_ENCODING = /(?:^|,)\s*accept-encoding\s*(?:,|$)/i;

/**
 * The encoders of in-memory answers, in the server's order of preference. zlib's own functions, on
 * libuv's thread pool: a web CompressionStream costs more in promises and chunks than the
 * compression itself (a 6 KB list took twice the CPU of the whole request uncompressed). Brotli at
 * quality 4, as CDNs use for dynamic answers: about as fast as gzip's default level on a campaign
 * list of 10 to 27 KB, and 12 to 15% smaller, which is what a slow mobile network feels. Quality
 * 11, zlib's default, is for files built once (static.routes.ts serves those precompressed).
 */
const ENCODERS = {
  br: promisify((input: Uint8Array, done: (error: Error | null, result: Buffer) => void) =>
    brotliCompress(
      input,
      {
        params: {
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_QUALITY]: 4,
          [constants.BROTLI_PARAM_SIZE_HINT]: input.byteLength,
        },
      },
      done,
    ),
  ),
  gzip: promisify(gzip) as (input: Uint8Array) => Promise<Buffer>,
} as const;
type Encoding = keyof typeof ENCODERS;

/**
 * The encoding to send: the first of ours the client accepts with the highest weight (RFC 9110
 * §12.5.3; `gzip;q=0` refuses gzip, `*` stands for any encoding not named).
 */
export function chooseEncoding(header: string | undefined): Encoding | undefined {
  if (!header) return undefined;
  const accepted = parseAccept(header);
  const anyOther = accepted.find((a) => a.type === "*")?.q ?? 0;
  let best: { encoding: Encoding; q: number } | undefined;
  for (const encoding of Object.keys(ENCODERS) as Encoding[]) {
    const q = accepted.find((a) => a.type.toLowerCase() === encoding)?.q ?? anyOther;
    if (q > 0 && (!best || q > best.q)) best = { encoding, q };
  }
  return best?.encoding;
}

/**
 * The common answer, a JSON body or page with only its content type (lib/light-response.ts) that is
 * not to be compressed, gets its `Vary` and its length on the plain record, without turning its
 * headers into Headers. True when it was such an answer and nothing more is to be done; false for
 * any other (then compression's general path below decides, with the same rules).
 */
function uncompressedLight(c: Context<AppEnv>, res: Response): boolean {
  const light = lightParts(res);
  if (!light) return false;
  const [status, body, headers] = light;
  if (!MEASURABLE.test(headerIn(headers, "content-type") ?? "") || headerIn(headers, "vary") !== undefined) return false;
  if (body === null) {
    light[2] = withHeaders(headers, { vary: "Accept-Encoding" });
    return true;
  }
  if (typeof body !== "string" || headerIn(headers, "content-length") !== undefined) return false;
  const compressible = chooseEncoding(c.req.header("accept-encoding")) !== undefined && status !== 206 && c.req.method !== "HEAD";
  if (compressible && Buffer.byteLength(body) >= COMPRESS_THRESHOLD) return false;
  let bytes: number;
  if (body.length < COMPRESS_THRESHOLD) bytes = Buffer.byteLength(body);
  else {
    // Encoded once, here. JSON.stringify gives a long text with Khmer in it as a string in pieces
    // (a cons string): measuring it, then node:http joining it to the status line, each copied it whole.
    const encoded = Buffer.from(body);
    light[1] = encoded;
    bytes = encoded.byteLength;
  }
  light[2] = withHeaders(headers, { vary: "Accept-Encoding", "content-length": String(bytes) });
  return true;
}

/**
 * An entity tag as the answer had it before compression: a compressed answer's tag is the same tag
 * with its encoding (`"x-br"`, `"x-gzip"`, from compressGeneral below) or weakened (`W/"x"`, by the
 * streaming compressor). For `If-None-Match`, which compares tags weakly.
 */
export const uncompressedTag = (tag: string): string =>
  tag
    .trim()
    .replace(/^W\//, "")
    .replace(/-(?:br|gzip)"$/, '"');

/** Streams of unknown length (CSV exports, calendar feeds): compressed as they go, with gzip. */
const streamed = compress({ encoding: "gzip", threshold: COMPRESS_THRESHOLD });
const nothingMore = async () => {};

/**
 * Brotli or gzip for dynamic answers above 1 KB, once the route has answered (request-pipeline.ts);
 * static files come precompressed (static.routes.ts). An answer built in memory is read once and
 * compressed in one call, then sent with its length. Every such answer says `Vary: Accept-Encoding`,
 * compressed or not, so that a cache (a CDN keeps the public pages) never hands one client's
 * encoding to another.
 */
export function compressAnswer(c: Context<AppEnv>): Promise<void> | undefined {
  // Never compressed: a credential.
  if (CREDENTIAL_PATHS.test(c.req.path)) return undefined;
  // The common answer is done here, without a promise; undefined then.
  return uncompressedLight(c, c.res) ? undefined : compressGeneral(c, c.res);
}

async function compressGeneral(c: Context<AppEnv>, res: Response): Promise<void> {
  const headers = res.headers;
  if (!MEASURABLE.test(headers.get("content-type") ?? "")) {
    await streamed(c, nothingMore);
    return;
  }
  const vary = headers.get("vary");
  if (vary !== "*" && !(vary && VARIES_BY_ENCODING.test(vary))) headers.set("vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");

  const encoding = chooseEncoding(c.req.header("accept-encoding"));
  if (!encoding || !res.body || c.req.method === "HEAD" || res.status === 206 || headers.has("content-encoding")) return;
  if (NO_TRANSFORM.test(headers.get("cache-control") ?? "")) return;
  const length = Number(headers.get("content-length") ?? Number.NaN);
  if (length < COMPRESS_THRESHOLD) return;

  const body = new Uint8Array(await res.arrayBuffer());
  const out = new Headers(headers);
  let sent: Uint8Array = body;
  if (body.byteLength >= COMPRESS_THRESHOLD) {
    sent = await ENCODERS[encoding](body);
    out.set("content-encoding", encoding);
    const etag = out.get("etag");
    // Still strong, but another representation's tag (RFC 9110 §8.8.3): the encoding joins it, as
    // lib/if-match.ts reads it back, so that If-Match with it works (a weak tag never matches).
    if (etag && !etag.startsWith("W/")) out.set("etag", `${etag.slice(0, -1)}-${encoding}"`);
  }
  out.set("content-length", String(sent.byteLength));
  // Unset first: assigning over an answer would copy its old headers back onto the new one.
  c.res = undefined;
  c.res = new Response(sent, { status: res.status, statusText: res.statusText, headers: out });
}
