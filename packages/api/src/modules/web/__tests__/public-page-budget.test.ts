import type { Statement } from "@samakki/shared/statements";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld, unique } from "../../../../test/factories/index.ts";
import { cast, draftAndOpen, type World } from "../../statements/__tests__/helpers.ts";

const KiB = 1024;
/** Issue 10, item 3: the public statement page at most 60 KiB as sent, Khmer font subset included. */
const PUBLIC_PAGE_BUDGET = 60 * KiB;

const paragraphEn =
  "We, the organisations of this coalition, call on the authorities to protect the right of every community to take part in decisions about the land, water and forests it depends on, and to consult people before any concession is granted. ";
const paragraphKm =
  "យើងខ្ញុំ ជាអង្គការនៃសម្ព័ន្ធនេះ សូមអំពាវនាវដល់អាជ្ញាធរ ឱ្យការពារសិទ្ធិរបស់សហគមន៍គ្រប់រូប ក្នុងការចូលរួមសម្រេចចិត្តលើដី ទឹក និងព្រៃឈើ ដែលខ្លួនពឹងផ្អែក និងពិគ្រោះយោបល់ជាមួយប្រជាជន មុនពេលផ្តល់សម្បទានណាមួយ។ ";

describe("the public statement page fits its budget", () => {
  let ctx: TestContext;
  let w: World;
  let statementId: string;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    // A long statement (about 900 words in each language), as a coalition would publish.
    const text = {
      title: unique("សេចក្តីថ្លែងការណ៍រួម Joint statement"),
      bodyEn: Array.from({ length: 16 }, (_, i) => `${i + 1}. ${paragraphEn}${paragraphEn}`).join("\n\n"),
      bodyKm: Array.from({ length: 16 }, (_, i) => `${i + 1}. ${paragraphKm}${paragraphKm}`).join("\n\n"),
    };
    const opened = await draftAndOpen(w, { text });
    statementId = opened.statementId;
    for (const [client, organisationId] of [
      [w.clients.adminA, w.orgA.id],
      [w.clients.adminB, w.orgB.id],
      [w.clients.coordinator, w.secretariat.id],
    ] as const)
      expect((await cast(client, opened.url, { organisationId, choice: "endorse", named: true })).status).toBe(201);
    expect((await w.clients.coordinator.post<Statement>(`${opened.url}/vote/close`)).body.status).toBe("adopted");
    expect((await w.clients.coordinator.post(`${opened.url}/publish`)).status).toBe(204);
  });

  /** Bytes on the wire for a browser that accepts gzip and brotli, and the decoded size. */
  async function sent(path: string) {
    const res = await ctx.app.request(path, { headers: { "accept-encoding": "gzip, deflate, br", "accept-language": "km" } });
    expect(res.status, path).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    return { bytes: body.length, encoding: res.headers.get("content-encoding") };
  }

  it("is at most 60 KiB with its stylesheet and both weights of the Khmer font, the page itself compressed", async () => {
    const page = await sent(`/statements/${statementId}?lang=km`);
    expect(page.encoding).toBe("br");
    const css = await sent("/public/statement.css");
    const fonts = [await sent("/public/fonts/noto-sans-khmer-400.woff2"), await sent("/public/fonts/noto-sans-khmer-700.woff2")];
    const total = page.bytes + css.bytes + fonts.reduce((n, f) => n + f.bytes, 0);
    const plain = await ctx.app.request(`/statements/${statementId}?lang=km`);
    console.log(`public statement page (km) uncompressed: ${((await plain.arrayBuffer()).byteLength / KiB).toFixed(1)} KiB`);
    console.log(
      `public statement page (km): page ${(page.bytes / KiB).toFixed(1)} KiB, css ${(css.bytes / KiB).toFixed(1)} KiB, fonts ${(
        fonts.reduce((n, f) => n + f.bytes, 0) / KiB
      ).toFixed(1)} KiB, total ${(total / KiB).toFixed(1)} KiB`,
    );
    expect(total).toBeLessThanOrEqual(PUBLIC_PAGE_BUDGET);
  });
});
