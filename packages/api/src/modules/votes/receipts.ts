import { hmac } from "@oslojs/crypto/hmac";
import { SHA256 } from "@oslojs/crypto/sha2";
import { decodeHex, encodeBase32UpperCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

/** A fresh secret for one ballot (32 random bytes, hex). It never leaves the server. */
export function newNonce(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return encodeHexLowerCase(bytes);
}

/**
 * The receipt: HMAC-SHA-256 keyed by the ballot's secret nonce over the ballot's content,
 * shortened to 80 bits and grouped for reading aloud. Without the nonce it reveals nothing about
 * the ballot; with the published list, an organisation can check that its ballot was counted.
 */
export function receiptFor(
  nonce: string,
  ballot: { voteId: string; organisationId: string; choice: string; named: boolean; castAt: Date },
): string {
  const message = new TextEncoder().encode(
    [ballot.voteId, ballot.organisationId, ballot.choice, ballot.named ? "named" : "anonymous", ballot.castAt.toISOString()].join("|"),
  );
  const mac = hmac(SHA256, decodeHex(nonce), message);
  const code = encodeBase32UpperCaseNoPadding(mac.slice(0, 10));
  return code.match(/.{1,4}/g)?.join("-") ?? code;
}
