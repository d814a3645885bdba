import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { DEVICE_SEPARATOR, UNKNOWN_BROWSER, UNKNOWN_DEVICE } from "@samakki/shared/i18n/device";
import Bowser from "bowser";
import { generateToken } from "../../lib/crypto.ts";
import type { Executor } from "../../lib/transaction.ts";
import { insertSecretIfMissing, readSecret } from "./device.repository.ts";

/**
 * "Firefox · Android", from a User-Agent header; never more precise than browser and OS. The generic
 * words ("Unknown browser") are translated where they are shown (localiseDevice, shared/i18n/device.ts).
 */
export function describeDevice(userAgent: string): string {
  if (!userAgent) return UNKNOWN_DEVICE;
  try {
    const parsed = Bowser.parse(userAgent);
    const browser = parsed.browser.name ?? UNKNOWN_BROWSER;
    const os = parsed.os.name;
    return os ? `${browser}${DEVICE_SEPARATOR}${os}` : browser;
  } catch {
    return UNKNOWN_DEVICE;
  }
}

/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a successful
 * sign-in leaves an HMAC-signed cookie binding the account (its normalised email) to a random
 * nonce on this browser. Sign-in attempts that carry a valid cookie for the account being tried
 * are limited per cookie; every other attempt (no cookie, forged cookie, another account's cookie)
 * counts against the account's "unknown devices" limit. So someone who only knows an email can lock
 * out unknown devices, never the owner's own browser. See docs/security/lockout.md.
 */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
const SECRET_NAME = "device_cookie";

/** The HMAC key, generated once per database at first use and shared by every instance. */
const secrets = new WeakMap<object, Promise<Buffer>>();
function deviceCookieSecret(db: Executor): Promise<Buffer> {
  let secret = secrets.get(db);
  if (!secret) {
    secret = (async () => {
      await insertSecretIfMissing(db, SECRET_NAME, randomBytes(32).toString("base64url"));
      return Buffer.from(await readSecret(db, SECRET_NAME), "base64url");
    })();
    secret.catch(() => secrets.delete(db));
    secrets.set(db, secret);
  }
  return secret;
}

function sign(secret: Buffer, email: string, nonce: string): string {
  return createHmac("sha256", secret).update(`device:${email}:${nonce}`).digest("base64url");
}

/** A new cookie value for this account: `<nonce>.<hmac>`. */
export async function issueDeviceCookie(db: Executor, email: string): Promise<string> {
  const nonce = generateToken(16);
  return `${nonce}.${sign(await deviceCookieSecret(db), email.toLowerCase(), nonce)}`;
}

/** The cookie's nonce if it is a genuine cookie for this account, else null (an unknown device). */
export async function knownDeviceNonce(db: Executor, email: string, cookie: string | undefined): Promise<string | null> {
  if (!cookie) return null;
  const [nonce, mac, ...rest] = cookie.split(".");
  if (!nonce || !mac || rest.length > 0 || !/^[a-z2-7]{26}$/.test(nonce)) return null;
  const expected = Buffer.from(sign(await deviceCookieSecret(db), email.toLowerCase(), nonce));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? nonce : null;
}
