import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { Server as NetServer, type Socket } from "node:net";

/**
 * Graceful draining of an HTTP server on SIGTERM, without dropping a request in flight.
 *
 * `server.close()` alone is not enough: it stops accepting at once, so connections still waiting
 * in the listen backlog are reset, and a keep-alive connection that stays busy is never closed.
 * While draining:
 * - the server keeps accepting while any connection open when draining began is still open, and
 *   for at least ACCEPT_GRACE_MS, so requests already on their way (in the listen backlog too:
 *   measured, a busy server accepts those tens of milliseconds late) are served, and readiness can
 *   answer 503 so a load balancer stops sending new ones; then it stops accepting, so a client that
 *   keeps sending is refused (safe to retry) rather than cut off mid-request at the deadline;
 * - every response not yet started carries `Connection: close`, so each connection closes after
 *   its response;
 * - idle keep-alive connections (a request served, none in progress) are closed at once;
 * - a connection that has not yet sent its first request is left to send it.
 * Draining ends when the server no longer accepts and no connection is left, or at the deadline,
 * when the remaining ones are destroyed.
 */

/**
 * Keep accepting at least this long after the signal (at most the deadline), by default: queued
 * connections are accepted late on a busy machine. Behind a load balancer that polls readiness,
 * SHUTDOWN_ACCEPT_MS raises it to the time the balancer takes to stop sending (a connection it sends
 * once the listener is closed is refused or reset).
 */
export const ACCEPT_GRACE_MS = 500;

interface Connection {
  /** Requests received and not yet answered (more than one only with pipelining). */
  active: number;
  /** Requests answered on this connection. */
  served: number;
}

interface DrainResult {
  /** The deadline passed before every connection closed. */
  timedOut: boolean;
  /** Connections destroyed at the deadline. */
  destroyed: number;
}

interface Drainer {
  /** True from the moment draining starts (readiness reports it). */
  readonly draining: boolean;
  /** Requests being answered right now. */
  readonly inFlight: number;
  /** Start draining; resolves once every connection is closed, or at the deadline. Idempotent. */
  drain(timeoutMs: number): Promise<DrainResult>;
}

export function createDrainer(server: Server, acceptGraceMs = ACCEPT_GRACE_MS): Drainer {
  const connections = new Map<Socket, Connection>();
  const responses = new Set<ServerResponse>();
  let draining = false;
  let drained: Promise<DrainResult> | undefined;
  let onEmpty: (() => void) | undefined;
  let accepting = true;
  /** Drained: no longer accepting (so nothing can still wait in the backlog) and no connection left. */
  const checkDone = () => {
    if (!accepting && connections.size === 0) onEmpty?.();
  };

  const closeAfterResponse = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader("connection", "close");
  };

  server.on("connection", (socket: Socket) => {
    connections.set(socket, { active: 0, served: 0 });
    socket.once("close", () => {
      connections.delete(socket);
      checkDone();
    });
  });

  // Before the app's listener, so the header is set before the app writes its response.
  server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const connection = connections.get(socket);
    if (connection) connection.active++;
    responses.add(res);
    if (draining) closeAfterResponse(res);
    res.once("close", () => {
      responses.delete(res);
      if (!connection) return;
      connection.active--;
      connection.served++;
      // A response whose headers went out before draining began said keep-alive: end it here.
      if (draining && connection.active === 0 && !socket.destroyed && !socket.writableEnded) socket.end();
    });
  });

  /** Close the listening socket only: http.Server#close would also destroy connections whose first request is still unread. */
  const stopAccepting = () => {
    if (!accepting) return;
    accepting = false;
    NetServer.prototype.close.call(server);
    checkDone();
  };

  const drain = (timeoutMs: number): Promise<DrainResult> => {
    drained ??= new Promise<DrainResult>((resolve) => {
      draining = true;
      for (const res of responses) closeAfterResponse(res);
      let timer: NodeJS.Timeout | undefined;
      const finish = (result: DrainResult) => {
        clearTimeout(timer);
        onEmpty = undefined;
        resolve(result);
      };
      onEmpty = () => finish({ timedOut: false, destroyed: 0 });
      timer = setTimeout(() => {
        const destroyed = connections.size;
        onEmpty = undefined;
        stopAccepting();
        for (const socket of connections.keys()) socket.destroy();
        finish({ timedOut: destroyed > 0, destroyed });
      }, timeoutMs);
      // Let the event loop first read what already arrived (a request sent just before the
      // signal), so a connection is only called idle when it really is.
      setImmediate(() => {
        for (const [socket, connection] of connections) {
          if (connection.active === 0 && connection.served > 0) socket.destroy();
        }
        // Accept until every connection already there (the backlog included, accepted by now) has closed.
        const before = new Set(connections.keys());
        let graceOver = false;
        const maybeStop = () => {
          if (graceOver && before.size === 0) stopAccepting();
        };
        const forget = (socket: Socket) => {
          before.delete(socket);
          maybeStop();
        };
        for (const socket of before) socket.once("close", () => forget(socket));
        setTimeout(
          () => {
            graceOver = true;
            maybeStop();
          },
          Math.min(acceptGraceMs, timeoutMs),
        );
      });
    });
    return drained;
  };

  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return responses.size;
    },
    drain,
  };
}

/** The promise's value, or a rejection when it takes longer than `ms` (a shutdown step must not hang). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
