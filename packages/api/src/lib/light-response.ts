/**
 * An answer's headers while they are still a plain record, before anything turns them into Headers.
 *
 * @hono/node-server (pinned in package.json) replaces the global Response with a light one. It keeps
 * `[status, body, headers]` under a private symbol, and writes a plain headers record straight to
 * node:http. Hono's `c.json`, `c.html` and `c.body` give it a record of one Content-Type. But reading
 * `res.headers` turns that record into an undici Headers, and @hono/node-server converts it back
 * when it writes the answer: a third of a minimal Hono app's CPU on `/healthz`, more than the rest
 * of Hono's work (docs/architecture.md §5, "The answer's headers").
 *
 * So the two steps that add headers to every answer, compression.ts (`vary` and the length)
 * and request-log.ts (the security headers and the request id), add them to the record instead when
 * it holds only `content-type`, `vary` and `content-length`. Every other answer goes through
 * `res.headers` as before:
 *   - one that sets a cookie, a cache policy or a CSP of its own;
 *   - a stream, or a compressed body;
 *   - any Response that is not @hono/node-server's (undici's own, as `app.request` gives in tests).
 * `light-response.test.ts` checks that both paths give the same headers, through a real server, and
 * compression.test.ts runs under both Response classes (test/responses.ts).
 */

/** What the light Response keeps: the status, the body and the headers as given to its constructor. */
export type LightParts = [status: number, body: unknown, headers: Readonly<Record<string, string>>];

const OWN = new Set(["content-type", "vary", "content-length"]);
let partsKey: symbol | undefined;

/**
 * The answer's parts, when `res` is @hono/node-server's light Response and its headers are a plain
 * record of `content-type`, `vary` and `content-length` only; undefined otherwise. Assign a new
 * record to `[2]` to change the headers. Never change the record in place: a handler may have
 * passed a shared object.
 */
export function lightParts(res: Response): LightParts | undefined {
  partsKey ??= Object.getOwnPropertySymbols(res).find((symbol) => symbol.description === "cache");
  if (partsKey === undefined) return undefined;
  const parts: unknown = (res as unknown as Record<symbol, unknown>)[partsKey];
  if (!Array.isArray(parts) || parts.length !== 3) return undefined;
  const headers: unknown = parts[2];
  if (typeof headers !== "object" || headers === null || Object.getPrototypeOf(headers) !== Object.prototype) return undefined;
  const record = headers as Record<string, unknown>;
  for (const name in record) if (!OWN.has(name.toLowerCase()) || typeof record[name] !== "string") return undefined;
  return parts as LightParts;
}

/** A header of a plain record, whatever the case of its name. */
export function headerIn(record: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const key in record) if (key.toLowerCase() === name) return record[key];
  return undefined;
}

/**
 * A new plain record: the headers of `record`, then those of each of `more`, later ones winning.
 * Copied a property at a time, never with a spread: V8 takes a slow path for a spread followed by
 * more properties (`{ ...record, vary }`). In a micro-benchmark that cost 0.5 µs for three headers
 * and 6 to 12 µs for fifteen; copying them one by one cost 15 to 180 ns.
 */
export function withHeaders(
  record: Readonly<Record<string, string>>,
  ...more: ReadonlyArray<Readonly<Record<string, string>>>
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in record) out[name] = record[name] as string;
  for (const headers of more) for (const name in headers) out[name] = headers[name] as string;
  return out;
}
