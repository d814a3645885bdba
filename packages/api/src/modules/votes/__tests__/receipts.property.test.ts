import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newNonce, receiptFor } from "../receipts.ts";

/** Ballot receipts: short, readable, deterministic for one ballot, and different when anything about the ballot differs. */

const ballot = fc.record({
  voteId: fc.uuid(),
  organisationId: fc.uuid(),
  choice: fc.constantFrom("endorse", "object", "abstain"),
  named: fc.boolean(),
  castAt: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }).map((ms) => new Date(ms)),
});
const nonce = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("hex"));

describe("ballot receipts (properties)", () => {
  it("are 16 base32 characters in groups of four, the same for the same ballot and nonce", () => {
    fc.assert(
      fc.property(nonce, ballot, (n, b) => {
        const receipt = receiptFor(n, b);
        expect(receipt).toMatch(/^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$/);
        expect(receiptFor(n, { ...b, castAt: new Date(b.castAt.getTime()) })).toBe(receipt);
      }),
    );
  });

  it("change when the nonce or any part of the ballot changes", () => {
    const part = fc.constantFrom("voteId", "organisationId", "choice", "named", "castAt", "nonce");
    fc.assert(
      fc.property(nonce, nonce, ballot, ballot, part, (n, otherNonce, b, other, key) => {
        const receipt = receiptFor(n, b);
        if (key === "nonce") {
          if (otherNonce !== n) expect(receiptFor(otherNonce, b)).not.toBe(receipt);
          return;
        }
        const changed = {
          ...b,
          [key]: key === "named" ? !b.named : key === "choice" && other.choice === b.choice ? "abstain" : other[key],
        };
        if (JSON.stringify(changed) !== JSON.stringify(b)) expect(receiptFor(n, changed)).not.toBe(receipt);
      }),
    );
  });

  it("are the documented construction: HMAC-SHA-256(nonce, vote|organisation|choice|named|time), 80 bits, base32 in groups of four", () => {
    const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const base32 = (bytes: Buffer) => {
      const bits = [...bytes].map((b) => b.toString(2).padStart(8, "0")).join("");
      return (bits.match(/.{5}/g) ?? []).map((chunk) => BASE32[Number.parseInt(chunk, 2)]).join("");
    };
    fc.assert(
      fc.property(nonce, ballot, (n, b) => {
        const message = [b.voteId, b.organisationId, b.choice, b.named ? "named" : "anonymous", b.castAt.toISOString()].join("|");
        const mac = createHmac("sha256", Buffer.from(n, "hex")).update(message).digest().subarray(0, 10);
        expect(receiptFor(n, b)).toBe(base32(mac).match(/.{4}/g)?.join("-"));
      }),
    );
  });

  it("nonces are 32 fresh random bytes in lowercase hex", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const n = newNonce();
      expect(n).toMatch(/^[0-9a-f]{64}$/);
      seen.add(n);
    }
    expect(seen.size).toBe(200);
  });
});
