import type { Context } from "hono";
import type { AppEnv } from "./context.ts";

type NodeBindings = { incoming?: { socket?: { remoteAddress?: string } } };

/** The address of the TCP peer (the proxy, when there is one); undefined for in-process requests. */
export function socketAddress(c: Context<AppEnv>): string | undefined {
  return (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
}

/**
 * The client's address: the socket's, or, behind a trusted proxy, the last X-Forwarded-For hop —
 * the one that proxy added. Earlier hops are whatever the client chose to send, so trusting the
 * first would let anyone pick a fresh address for each sign-in attempt.
 */
export function clientAddress(c: Context<AppEnv>): string {
  if (c.get("deps").config.trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  return socketAddress(c) ?? "unknown";
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** A request from this machine (or in-process, as in tests); never decided by headers. */
export function isLocalRequest(c: Context<AppEnv>): boolean {
  const address = socketAddress(c);
  return address === undefined || LOOPBACK.test(address);
}

export function requestMeta(c: Context<AppEnv>) {
  return { userAgent: c.req.header("user-agent") ?? "", address: clientAddress(c) };
}
