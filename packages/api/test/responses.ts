import { getRequestListener } from "@hono/node-server";

/*
 * The two Response classes an answer can be made of. undici's is Node's own. @hono/node-server's
 * light one replaces the global Response once a server (or request listener) is made, and in a
 * test worker that can be any earlier test file: so a test of code that reads an answer's headers
 * (compression.ts, request-log.ts: see lib/light-response.ts) says which one it runs under.
 */

/** Node's own Response (undici), whatever the global is now. */
export const UndiciResponse = (await fetch("data:,")).constructor as typeof Response;

/** @hono/node-server's light Response: made the global by a request listener (whatever the global Request is). */
export const LightResponse: typeof Response = (() => {
  // It replaces the globals only when Request is not its own yet.
  Object.defineProperty(globalThis, "Request", { value: class {}, writable: true, configurable: true });
  getRequestListener(() => new UndiciResponse(null));
  return globalThis.Response;
})();

export const RESPONSE_CLASSES = [
  ["undici's Response", UndiciResponse],
  ["@hono/node-server's light Response", LightResponse],
] as const;

/** Makes `cls` the global Response (what Hono's c.json and c.body construct). */
export function useResponseClass(cls: typeof Response): void {
  Object.defineProperty(globalThis, "Response", { value: cls, writable: true, configurable: true });
}
