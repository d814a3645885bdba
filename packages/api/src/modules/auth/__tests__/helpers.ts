import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { Problem } from "@samakki/shared/problem";
import { expect } from "vitest";
import type { TestClient, TestContext, TestResponse } from "../../../../test/app.ts";

export const COOKIE_NAME = "__Host-samakki_session";

/** Sign in through the API; the client keeps the new session cookie. */
export async function signInOverHttp(client: TestClient, email: string, password: string, headers?: Record<string, string>) {
  return client.post<{ person: { id: string; email: string } }>("/api/auth/sign-in", { email, password }, headers);
}

/** The token in the client's session cookie. */
export function cookieToken(client: TestClient): string {
  const value = client.cookie?.split("=")[1];
  if (!value) throw new Error("the client has no session cookie");
  return value;
}

/** The person's sessions in the database. */
export function sessionRows(ctx: TestContext, personId: string) {
  return ctx.db.selectFrom("session").where("person_id", "=", personId).selectAll().orderBy("created_at").execute();
}

export function outboxFor(ctx: TestContext, to: string) {
  return ctx.db.selectFrom("outbox_email").where("to_address", "=", to).selectAll().orderBy("created_at").execute();
}

/** The token of the link in the newest email to `to` of a template: read like a person reading their mail. */
export async function tokenFromNewestEmail(ctx: TestContext, to: string, template: string): Promise<string> {
  const rows = (await outboxFor(ctx, to)).filter((r) => r.template === template);
  const newest = rows.at(-1);
  if (!newest) throw new Error(`no ${template} email to ${to}`);
  const match = /[?&]token=([a-z0-9]+)/.exec(newest.text);
  if (!match?.[1]) throw new Error(`no token link in ${template} email`);
  expect(newest.html).toContain(match[1]);
  return match[1];
}

/** Assert a problem+json answer with the given status and code. */
export function expectProblem(res: TestResponse, status: number, code: string) {
  expect({ status: res.status, code: res.json(Problem).code }).toEqual({ status, code });
  expect(res.headers.get("content-type")).toContain("application/problem+json");
}

/** The problem body without the per-request id, to compare two answers. */
export function withoutRequestId(body: unknown) {
  const { requestId: _requestId, ...rest } = body as Record<string, unknown>;
  return rest;
}

/** The code an authenticator app shows at `at` for this secret, or `steps` 30-second steps away. */
export function totpCodeAt(secret: string, at: Date, steps = 0): string {
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(at.getTime() / 30_000) + steps), 6);
}
