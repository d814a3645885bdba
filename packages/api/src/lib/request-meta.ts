import type { Context } from "hono";
import type { AppEnv } from "./context.ts";

type NodeBindings = { incoming?: { socket?: { remoteAddress?: string } } };

/** The client's address: the socket's, or the first X-Forwarded-For hop when behind a trusted proxy. */
export function clientAddress(c: Context<AppEnv>): string {
  if (c.get("deps").config.trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress ?? "unknown";
}

export function requestMeta(c: Context<AppEnv>) {
  return { userAgent: c.req.header("user-agent") ?? "", address: clientAddress(c) };
}
