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

  // Each test reads its own paths: an early answer nobody took stays in the client's map.
  it("hands the early answer to the first read of the same path, and only to it", async () => {
    fetchEarly("/api/a");
    fetchEarly("/api/a");
    expect(calls).toEqual(["GET /api/a"]);
    expect(await api.get("/api/a", Value)).toEqual({ n: 1 });
    expect(await api.get("/api/a", Value)).toEqual({ n: 2 });
    expect(calls).toEqual(["GET /api/a", "GET /api/a"]);
  });

  it("is not used for another path", async () => {
    fetchEarly("/api/b");
    expect(await api.get("/api/b?page=2", Value)).toEqual({ n: 2 });
  });

  it("is dropped by any change sent from the tab (an answer from before a sign-in is not read after it)", async () => {
    fetchEarly("/api/f");
    await api.post("/api/auth/sign-in", { email: "a@b.c" });
    expect(await api.get("/api/f", Value)).toEqual({ n: 3 });
  });

  it("is not used once it arrived long ago", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    fetchEarly("/api/c");
    await new Promise((resolve) => setTimeout(resolve, 0));
    vi.setSystemTime(Date.now() + 11_000);
    expect(await api.get("/api/c", Value)).toEqual({ n: 2 });
  });

  it("is used while still on its way, however long that takes (a slow network)", async () => {
    let answer: (response: Response) => void = () => undefined;
    vi.stubGlobal(
      "fetch",
      vi.fn((path: string) => {
        calls.push(`GET ${path}`);
        return new Promise<Response>((resolve) => (answer = resolve));
      }),
    );
    vi.useFakeTimers({ toFake: ["Date"] });
    fetchEarly("/api/d");
    vi.setSystemTime(Date.now() + 60_000);
    const read = api.get("/api/d", Value);
    answer(json({ n: 7 }));
    expect(await read).toEqual({ n: 7 });
    expect(calls).toEqual(["GET /api/d"]);
  });

  it("passes a failed early request to its reader as the offline error", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("Failed to fetch");
      }),
    );
    fetchEarly("/api/e");
    await expect(api.get("/api/e", Value)).rejects.toMatchObject({ status: 0 });
    // The reader took the failed early request rather than asking again.
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
