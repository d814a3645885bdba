import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { describe, expect, it } from "vitest";
import { generateToken, hashToken, sha256Hex } from "../crypto.ts";

describe("token hashes", () => {
  it("are SHA-256 in lower-case hex (the standard test vector)", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("are the bytes @oslojs/crypto stored before, so sessions and links issued then stay valid", () => {
    const oslo = (text: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
    for (const text of [generateToken(), generateToken(32), "", "សម្ពន្ធភាព ✊ coalition@example.org"]) {
      expect(hashToken(text)).toBe(oslo(text));
      expect(sha256Hex(text)).toBe(oslo(text));
    }
  });
});
