import { describe, expect, it } from "vitest";
import { inOrder } from "../in-order.ts";

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const failsAfter = (ms: number, error: Error) => new Promise<never>((_, reject) => setTimeout(() => reject(error), ms));

describe("inOrder", () => {
  it("gives every value, in the list's order, whatever order they arrive in", async () => {
    expect(await inOrder([after(20, "a"), after(0, 1), Promise.resolve(true)])).toEqual(["a", 1, true]);
  });

  it("fails with the first failure in the list, not the first to arrive", async () => {
    const notFound = new Error("404");
    const forbidden = new Error("403");
    await expect(inOrder([failsAfter(20, notFound), failsAfter(0, forbidden)])).rejects.toBe(notFound);
  });

  it("waits for every read before it fails, so none is left running", async () => {
    let finished = false;
    const slow = after(20, "x").then((value) => {
      finished = true;
      return value;
    });
    await expect(inOrder([Promise.reject(new Error("at once")), slow])).rejects.toThrow("at once");
    expect(finished).toBe(true);
  });
});
