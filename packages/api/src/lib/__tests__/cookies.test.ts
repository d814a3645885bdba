import fc from "fast-check";
import { parse } from "hono/utils/cookie";
import { describe, expect, it } from "vitest";
import { readCookie } from "../cookies.ts";

const NAME = "__Host-samakki_session";

describe("readCookie", () => {
  it("finds the session cookie among others, as a browser sends them", () => {
    const header = `samakki-language=km; ${NAME}=abcdefghijklmnopqrstuvwxyz234567; __Host-samakki_device=xyz`;
    expect(readCookie(header, NAME)).toBe("abcdefghijklmnopqrstuvwxyz234567");
    expect(readCookie(header, "__Host-samakki_device")).toBe("xyz");
    expect(readCookie(header, "samakki_session")).toBeUndefined();
    expect(readCookie(undefined, NAME)).toBeUndefined();
    expect(readCookie("", NAME)).toBeUndefined();
  });

  it("does not take a cookie whose name only ends or begins with the one asked for", () => {
    expect(readCookie(`x${NAME}=forged; other=1`, NAME)).toBeUndefined();
    expect(readCookie(`${NAME}x=forged`, NAME)).toBeUndefined();
    expect(readCookie(`a=${NAME}=forged`, NAME)).toBeUndefined();
  });

  it("takes the first occurrence with a valid value, unquoted and decoded", () => {
    expect(readCookie(`${NAME}=first; ${NAME}=second`, NAME)).toBe("first");
    expect(readCookie(`${NAME}=bad\\value; ${NAME}=good`, NAME)).toBe("good");
    expect(readCookie(`${NAME}="quoted"`, NAME)).toBe("quoted");
    expect(readCookie(`${NAME}=%E1%9E%81`, NAME)).toBe("ខ");
    expect(readCookie(`${NAME}=%zz`, NAME)).toBe("%zz");
    expect(readCookie(`  ${NAME} \t=  spaced  ;`, NAME)).toBe("spaced");
  });

  it("answers as Hono's cookie parser on any header", () => {
    // Headers built from the pieces that matter: the name and near misses, separators, blanks,
    // quotes, escapes and characters a cookie value may not hold.
    const piece = fc.constantFrom(
      NAME,
      "samakki_session",
      "__Host-",
      "x",
      "=",
      ";",
      " ",
      "\t",
      '"',
      "%",
      "%41",
      "%E1%9E",
      "\\",
      ",",
      "abc",
      "ខ",
    );
    const header = fc.array(piece, { maxLength: 14 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(header, fc.constantFrom(NAME, "samakki_session", "x"), (h, name) => {
        expect(readCookie(h, name)).toBe(parse(h, name)[name]);
      }),
      { numRuns: 20_000 },
    );
  });
});
