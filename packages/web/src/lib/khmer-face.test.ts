import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

/** A browser whose Khmer face comes when `arrive` is called; each load asked for is counted. */
function browserWithLateFace() {
  let arrive: () => void = () => undefined;
  const face = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  const load = vi.fn((_font: string, _text: string) => face.then(() => []));
  vi.stubGlobal("document", { fonts: { load }, documentElement: { setAttribute: () => undefined } });
  return { load, arrive: () => arrive() };
}

/** The API client as a page first loads it (the face not asked for yet). */
async function freshClient() {
  vi.resetModules();
  return (await import("./api-client.ts")).api;
}

const answer = (body: unknown) =>
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(JSON.stringify(body), { status: 200 })),
  );

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("an API answer with Khmer in it", () => {
  it("is handed over once the Khmer face is there, and the face is asked for once", async () => {
    const browser = browserWithLateFace();
    const api = await freshClient();
    answer({ title: "យុទ្ធនាការខ្សែបូរលឿង" });
    let handed = false;
    const first = api.get("/api/x", z.object({ title: z.string() })).then((value) => {
      handed = true;
      return value;
    });
    await vi.waitFor(() => expect(browser.load).toHaveBeenCalledTimes(2));
    expect(browser.load.mock.calls.map(([font]) => font)).toEqual(['400 1em "Samakki Khmer"', '700 1em "Samakki Khmer"']);
    // Everything else has run: only the face is left to wait for.
    await new Promise(setImmediate);
    expect(handed).toBe(false);
    browser.arrive();
    expect(await first).toEqual({ title: "យុទ្ធនាការខ្សែបូរលឿង" });
    // Once there, the face is not asked for again.
    answer({ title: "ក" });
    await api.get("/api/y", z.object({ title: z.string() }));
    expect(browser.load).toHaveBeenCalledTimes(2);
  });

  it("is handed over after three seconds at most when the face does not come", async () => {
    browserWithLateFace();
    const api = await freshClient();
    answer({ title: "ខ្មែរ" });
    vi.useFakeTimers();
    const pending = api.get("/api/x", z.object({ title: z.string() }));
    await vi.advanceTimersByTimeAsync(3000);
    expect(await pending).toEqual({ title: "ខ្មែរ" });
  });
});

describe("an API answer without Khmer", () => {
  it("is handed over at once, without asking for the face", async () => {
    const browser = browserWithLateFace();
    const api = await freshClient();
    answer({ title: "Yellow ribbons" });
    expect(await api.get("/api/x", z.object({ title: z.string() }))).toEqual({ title: "Yellow ribbons" });
    expect(browser.load).not.toHaveBeenCalled();
  });
});
