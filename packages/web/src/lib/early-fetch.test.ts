import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { api, fetchEarly } from "./api-client.ts";

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
const Value = z.object({ n: z.number() });

describe("answers fetched early (fetchEarly)", () => {
  let calls: string[];
  let n: number;
  beforeEach(() => {
    calls = [];
    n = 0;
    vi.stubGlobal(
      "fetch",
      vi.fn(async (path: string, init: RequestInit) => {
        calls.push(`${init.method} ${path}`);
        return json({ n: ++n });
      }),
    );
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("hands the early answer to the first read of the same path, and only to it", async () => {
    fetchEarly("/api/x");
    fetchEarly("/api/x");
    expect(calls).toEqual(["GET /api/x"]);
    expect(await api.get("/api/x", Value)).toEqual({ n: 1 });
    expect(await api.get("/api/x", Value)).toEqual({ n: 2 });
    expect(calls).toEqual(["GET /api/x", "GET /api/x"]);
  });

  it("is not used for another path", async () => {
    fetchEarly("/api/x");
    expect(await api.get("/api/x?page=2", Value)).toEqual({ n: 2 });
  });

  it("is dropped by any change sent from the tab (an answer from before a sign-in is not read after it)", async () => {
    fetchEarly("/api/me");
    await api.post("/api/auth/sign-in", { email: "a@b.c" });
    expect(await api.get("/api/me", Value)).toEqual({ n: 3 });
  });

  it("is not used once it is old", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    fetchEarly("/api/x");
    vi.setSystemTime(Date.now() + 11_000);
    expect(await api.get("/api/x", Value)).toEqual({ n: 2 });
  });

  it("passes a failed early request to its reader as the offline error", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("Failed to fetch");
      }),
    );
    fetchEarly("/api/x");
    await expect(api.get("/api/x", Value)).rejects.toMatchObject({ status: 0 });
  });
});
