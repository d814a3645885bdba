import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { buildTestApp, TestClient } from "../../../test/app.ts";
import { createPerson } from "../../../test/factories/index.ts";
import { createApp } from "../../app.ts";
import { createLogger } from "../logger.ts";

function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  const logger = createLogger("info", stream);
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const SECRETS = {
  cookie: "__Host-samakki_session=abcdefghijklmnopqrstuvwxyz234567",
  token: "tokentokentokentokentokentoken22",
  password: "my secret passphrase 1",
  authorization: "Bearer sk_live_supersecretkey",
  hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
};

describe("logger", () => {
  it("writes one JSON object per line; user input cannot forge a line", () => {
    const { logger, lines, parsed } = memoryLogger();
    logger.info({ path: '/x\n{"level":50,"msg":"forged"}' }, "request");
    expect(lines.length).toBe(1);
    expect(parsed()[0]).toMatchObject({ msg: "request", level: 30 });
  });

  it("redacts cookies, authorization headers, passwords and tokens wherever they appear", () => {
    const { logger, lines } = memoryLogger();
    logger.info(
      {
        req: { headers: { cookie: SECRETS.cookie, authorization: SECRETS.authorization } },
        res: { headers: { "set-cookie": SECRETS.cookie } },
      },
      "request",
    );
    logger.info({ headers: { cookie: SECRETS.cookie, authorization: SECRETS.authorization, "set-cookie": SECRETS.cookie } }, "raw headers");
    logger.info({ password: SECRETS.password, token: SECRETS.token, cookie: SECRETS.cookie }, "top level");
    logger.info(
      { body: { password: SECRETS.password, currentPassword: SECRETS.password, newPassword: SECRETS.password, token: SECRETS.token } },
      "one level down",
    );
    logger.info({ req: { body: { password: SECRETS.password, token: SECRETS.token } } }, "two levels down");
    logger.info({ person: { passwordHash: SECRETS.hash, password_hash: SECRETS.hash }, session: { token: SECRETS.token } }, "rows");
    logger.child({ token: SECRETS.token }).info("child bindings");
    expect(lines.length).toBe(7);
    const all = lines.join("\n");
    for (const [name, secret] of Object.entries(SECRETS)) expect(all, name).not.toContain(secret);
    expect(all).not.toContain("abcdefghijklmnopqrstuvwxyz234567");
    expect(all).toContain("[redacted]");
  });

  it("keeps what is not secret", () => {
    const { logger, parsed } = memoryLogger();
    logger.info({ requestId: "r-12345678", method: "POST", path: "/api/auth/sign-in", status: 401 }, "request");
    expect(parsed()[0]).toMatchObject({ requestId: "r-12345678", method: "POST", path: "/api/auth/sign-in", status: 401 });
  });

  it("the app's own logs of sign-in, reset and failing requests hold no password, token or cookie", async () => {
    const ctx = await buildTestApp();
    const { logger, lines, parsed } = memoryLogger();
    const app = createApp({ ...ctx.deps, logger });
    const person = await createPerson(ctx);
    const client = new TestClient(app);
    expect((await client.post("/api/auth/sign-in", { email: person.email, password: person.password })).status).toBe(200);
    const token = client.cookie?.split("=")[1] ?? "";
    expect(token.length).toBeGreaterThan(20);
    await client.post("/api/auth/sign-in", { email: person.email, password: "a wrong password" });
    await client.post("/api/auth/password-reset/confirm", { token: "tokentokentokentokentoken", password: "a fresh long passphrase" });
    await client.request("PATCH", "/api/me", "{ broken json");
    await client.get("/api/me", { authorization: "Bearer sk_live_supersecretkey" });
    const all = lines.join("\n");
    expect(parsed().filter((l) => l.msg === "request").length).toBeGreaterThanOrEqual(5);
    for (const secret of [
      person.password,
      "a wrong password",
      token,
      "tokentokentokentokentoken",
      "a fresh long passphrase",
      "sk_live_supersecretkey",
    ])
      expect(all).not.toContain(secret);
  });
});
