import { createHash } from "node:crypto";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";

/** A secret token of `bytes` random bytes from the CSPRNG, base32 (Lucia's session guide). */
export function generateToken(bytes = 20): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return encodeBase32LowerCaseNoPadding(buffer);
}

/**
 * SHA-256 of a token, hex: what is stored instead of the token. Every authenticated request hashes
 * its session cookie, so this is Node's native hash (the same bytes as @oslojs/crypto's sha256, a
 * third of the CPU).
 */
export function hashToken(token: string): string {
  return sha256Hex(token);
}

/** SHA-256 of the text's UTF-8 bytes, lower-case hex. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
