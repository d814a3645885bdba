import { tryDecodeURIComponent } from "hono/utils/url";

/** A cookie value as RFC 6265 allows it, plus the space (Hono's `validCookieValueRegEx`). */
const VALID_VALUE = /^[ !#-:<-[\]-~]*$/;

const isBlank = (code: number) => code === 32 || code === 9;

/**
 * The value of the cookie `name` in a Cookie header, or undefined: the same answer as Hono's
 * `getCookie(c, name)` (its `parse(header, name)`), found without splitting the header.
 *
 * Every API request reads its session cookie. Hono's parser splits the whole header, trims and
 * tests each pair with two regular expressions and builds an object, about 8 µs of a read's CPU
 * in a profile (docs/architecture.md §5); this looks only where `name` occurs. Same rules: a
 * pair is `name=value` with blanks (space, tab) allowed around both; the first occurrence with a
 * valid value wins; a value in double quotes loses them; a value with `%` is percent-decoded as
 * Hono does (a malformed escape is kept as it is). `cookies.test.ts` checks it against Hono's
 * parser on generated headers.
 */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (let at = header.indexOf(name); at !== -1; at = header.indexOf(name, at + 1)) {
    // The name starts its pair: at the header's start or after a ';', blanks between.
    let before = at - 1;
    while (before >= 0 && isBlank(header.charCodeAt(before))) before--;
    if (before >= 0 && header.charCodeAt(before) !== 59) continue;
    const semicolon = header.indexOf(";", at);
    const end = semicolon === -1 ? header.length : semicolon;
    let i = at + name.length;
    while (i < end && isBlank(header.charCodeAt(i))) i++;
    if (header.charCodeAt(i) !== 61) continue;
    let start = i + 1;
    let stop = end;
    while (start < stop && isBlank(header.charCodeAt(start))) start++;
    while (stop > start && isBlank(header.charCodeAt(stop - 1))) stop--;
    let value = header.slice(start, stop);
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!VALID_VALUE.test(value)) continue;
    return value.includes("%") ? tryDecodeURIComponent(value) : value;
  }
  return undefined;
}
