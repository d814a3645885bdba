import { request as httpRequest, type IncomingMessage } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { Readable } from "node:stream";
import { serve } from "@hono/node-server";
import { Problem } from "@samakki/shared/problem";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, ORIGIN, type TestContext } from "../../../test/app.ts";
import { createPerson, signInAs } from "../../../test/factories/index.ts";
import { snapshotCounts } from "../../../test/permissions.ts";
import { readBody } from "../body.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.ts";

/**
 * Request bodies over real HTTP, where readBody (lib/body.ts) reads a JSON body with a
 * Content-Length straight from Node's request: it must answer exactly as the Fetch API's reading
 * did (the same 413, 400 and field errors), and a body cut off must not reach a route. Tests
 * through app.request() take the other path, hono/body-limit, and security.test.ts covers it and
 * chunked bodies.
 */

describe("JSON bodies read from Node's request", () => {
  let ctx: TestContext;
  let server: ReturnType<typeof serve>;
  let port: number;
  let cookie: string;
  let displayName: string;

  beforeAll(async () => {
    ctx = await buildTestApp();
    const person = await createPerson(ctx);
    displayName = person.display_name;
    cookie = (await signInAs(ctx, person)).cookie ?? "";
    server = serve({ fetch: ctx.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  /** PATCH /api/me with `body` as given, with its Content-Length, over a connection of its own. */
  function patchMe(body: Buffer | string, headers: Record<string, string> = {}) {
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port,
          method: "PATCH",
          path: "/api/me",
          agent: false,
          headers: { cookie, origin: ORIGIN, "content-type": "application/json", "content-length": bytes.length, ...headers },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            text += chunk;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      req.end(bytes);
    });
  }

  const currentName = async () =>
    (
      await ctx.db
        .selectFrom("person")
        .where("email", "=", (await me()).email)
        .select("display_name")
        .executeTakeFirstOrThrow()
    ).display_name;
  const me = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/me`, { headers: { cookie } });
    return ((await res.json()) as { person: { email: string } }).person;
  };

  it("reaches the route, in UTF-8, Khmer included", async () => {
    const res = await patchMe(JSON.stringify({ displayName: "សុខ ចាន់ Sok Chan" }));
    expect(res.status, res.text).toBe(200);
    expect(await currentName()).toBe("សុខ ចាន់ Sok Chan");
    displayName = "សុខ ចាន់ Sok Chan";
  });

  it("drops a leading byte-order mark, as the Fetch API's text() does", async () => {
    const res = await patchMe(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ displayName: "With a BOM" }))]));
    expect(res.status, res.text).toBe(200);
    expect(await currentName()).toBe("With a BOM");
    displayName = "With a BOM";
  });

  it("refuses a Content-Length over 256 KiB with 413 before reading the body, and changes nothing", async () => {
    const before = await snapshotCounts(ctx);
    const res = await patchMe(JSON.stringify({ displayName: "x".repeat(257 * 1024) }));
    expect(res.status).toBe(413);
    expect(Problem.parse(JSON.parse(res.text)).code).toBe("payload_too_large");
    expect(await snapshotCounts(ctx)).toEqual(before);
    expect(await currentName()).toBe(displayName);
  });

  it("answers malformed JSON with 400 and forbidden characters with their field, as before", async () => {
    const malformed = await patchMe('{"displayName": "unfinished');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text)).toMatchObject({ code: "validation_failed" });
    const nul = await patchMe(JSON.stringify({ displayName: "a\u0000b" }));
    expect(nul.status).toBe(400);
    expect(Problem.parse(JSON.parse(nul.text)).errors?.map((e) => e.path)).toEqual(["displayName"]);
    expect(await currentName()).toBe(displayName);
  });

  it("never runs a route on a body cut off mid-way, and keeps serving", async () => {
    const body = JSON.stringify({ displayName: "Never applied" });
    const head = [
      "PATCH /api/me HTTP/1.1",
      `Host: 127.0.0.1:${port}`,
      `Cookie: ${cookie}`,
      `Origin: ${ORIGIN}`,
      "Content-Type: application/json",
      `Content-Length: ${Buffer.byteLength(body)}`,
      "",
      "",
    ].join("\r\n");
    const socket = connect(port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write(head + body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await currentName()).toBe(displayName);
    const after = await patchMe(JSON.stringify({ displayName: "Applied after" }));
    expect(after.status, after.text).toBe(200);
    expect(await currentName()).toBe("Applied after");
  });
});

describe("readBody, with Node's request given beside a Fetch API Request that holds another body", () => {
  const app = new Hono<AppEnv>()
    .use("*", readBody)
    .post("/echo", async (c) => c.json(await c.req.json()))
    .onError((error, c) =>
      c.text(error instanceof AppError ? error.code : String(error), error instanceof AppError ? (error.status as 413) : 500),
    );
  const request = (headers: Record<string, string>) =>
    new Request("http://localhost/echo", { method: "POST", headers, body: JSON.stringify({ from: "the Fetch API Request" }) });
  const node = (body: string) => Readable.from([Buffer.from(body)]) as unknown as IncomingMessage;
  /** Node's request whose body must not be read. */
  const untouchable = () =>
    new Readable({
      read() {
        throw new Error("read Node's request");
      },
    }) as unknown as IncomingMessage;

  it("reads a JSON body with a Content-Length from Node's request, not from the Fetch API Request", async () => {
    const body = JSON.stringify({ from: "Node's request" });
    const res = await app.fetch(request({ "content-type": "application/json", "content-length": String(body.length) }), {
      incoming: node(body),
    });
    expect(await res.json()).toEqual({ from: "Node's request" });
  });

  it("refuses a Content-Length over 256 KiB without reading the body", async () => {
    const res = await app.fetch(request({ "content-type": "application/json", "content-length": String(256 * 1024 + 1) }), {
      incoming: untouchable(),
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toBe("payload_too_large");
  });

  it("leaves a chunked body, or one that is not JSON, to the Fetch API Request (and hono/body-limit)", async () => {
    const chunked = await app.fetch(request({ "content-type": "application/json" }), { incoming: untouchable() });
    expect(await chunked.json()).toEqual({ from: "the Fetch API Request" });
    const text = await app.fetch(request({ "content-type": "text/plain", "content-length": "40" }), { incoming: untouchable() });
    expect(await text.json()).toEqual({ from: "the Fetch API Request" });
  });
});
