import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: { from?: string; to?: string[]; subject?: string; html?: string; text?: string };
}

/**
 * A stand-in for the Resend API on 127.0.0.1 (random port) that records every request.
 * `failing` makes it answer 500 like an outage; otherwise it accepts the email and, like
 * Resend, answers a repeated Idempotency-Key with the id it gave the first time.
 * `hold` keeps the answers to that many next requests until `release()` (a slow provider,
 * or a worker that died waiting for it).
 */
export async function startFakeResend() {
  const requests: RecordedRequest[] = [];
  const ids = new Map<string, string>();
  /** `abandoned` counts held requests the client gave up on (closed before the answer). */
  const state = { failing: false, hold: 0, abandoned: 0 };
  const held: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      requests.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: raw ? (JSON.parse(raw) as RecordedRequest["body"]) : {},
      });
      res.setHeader("content-type", "application/json");
      if (state.hold > 0) {
        state.hold--;
        res.on("close", () => {
          if (!res.writableEnded) state.abandoned++;
        });
        held.push(() => {
          res.statusCode = 500;
          res.end(JSON.stringify({ statusCode: 500, name: "internal_server_error", message: "released" }));
        });
        return;
      }
      if (state.failing) {
        res.statusCode = 500;
        res.end(JSON.stringify({ statusCode: 500, name: "internal_server_error", message: "fake outage" }));
        return;
      }
      const key = String(req.headers["idempotency-key"] ?? "");
      const id = ids.get(key) ?? `re_${requests.length}`;
      if (key) ids.set(key, id);
      res.statusCode = 200;
      res.end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    state,
    /** Answer the held requests (with a 500). */
    release: () => {
      for (const answer of held.splice(0)) answer();
    },
    close: () => {
      for (const answer of held.splice(0)) answer();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
