import { expect, it } from "vitest";
import { z } from "zod";

/** A zod/mini mirror and the shared (full zod) schema it stands in for. */
export type MirrorPairs = Record<string, readonly [z.core.$ZodType, z.core.$ZodType]>;

/**
 * The tests every set of zod/mini mirrors needs (lib/first-screen-schemas.ts, lib/signed-in-schemas.ts):
 * each export of the module has a pair, and each mirror has its shared schema's JSON Schema, so it
 * accepts and refuses exactly what that schema does. Call inside a `describe`.
 */
export function itMirrors(pairs: MirrorPairs, module: Record<string, unknown>): void {
  it("mirror every schema they stand in for", () => {
    expect(Object.keys(pairs).sort()).toEqual(Object.keys(module).sort());
  });
  for (const [name, [mirror, original]] of Object.entries(pairs)) {
    it(`${name} has the shared schema's JSON Schema`, () => {
      expect(z.toJSONSchema(mirror, { io: "output" })).toEqual(z.toJSONSchema(original, { io: "output" }));
    });
  }
}
