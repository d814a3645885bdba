import { createServer, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createDrainer } from "../shutdown.ts";

/** The drainer on a bare node:http server, driven by raw sockets (what the SIGTERM process tests rely on). */

let server: Server | undefined;
const sockets: Socket[] = [];

afterEach(() => {
  for (const socket of sockets) socket.destroy();
  sockets.length = 0;
  server?.closeAllConnections();
  server?.close();
});

async function start(handler: Parameters<typeof createServer>[1]) {
  const s = createServer(handler);
  server = s;
  const drainer = createDrainer(s);
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const address = s.address();
  const port = typeof address === "object" && address ? address.port : 0;
  let accepted = 0;
  s.on("connection", () => accepted++);
  return { drainer, port, accepted: () => accepted };
}

/** A raw client connection: what it received so far, and whether it closed. */
async function open(port: number) {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  let received = "";
  let closed = false;
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    received += chunk;
  });
  socket.on("error", () => {});
  socket.on("close", () => {
    closed = true;
  });
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, received: () => received, closed: () => closed };
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`;

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("createDrainer", () => {
  it("closes idle keep-alive connections at once, answers the busy and the not-yet-asked with Connection: close, then stops", async () => {
    let release = () => {};
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { drainer, port, accepted } = await start((req, res) => {
      if (req.url === "/slow") void slow.then(() => res.end("slow"));
      else res.end("fast");
    });

    const idle = await open(port);
    idle.socket.write(get("/fast"));
    await until(() => idle.received().includes("fast"), "the idle connection's first answer");
    expect(idle.received().toLowerCase()).toContain("connection: keep-alive");

    const busy = await open(port);
    busy.socket.write(get("/slow"));
    const quiet = await open(port);
    await until(() => accepted() === 3 && drainer.inFlight === 1, "the server to hold three connections, one busy");

    const drained = drainer.drain(20_000);
    expect(drainer.draining).toBe(true);
    await until(idle.closed, "the idle keep-alive connection to close");
    expect(busy.closed()).toBe(false);
    expect(quiet.closed()).toBe(false);

    // The connection that had not asked yet is served, and told to close.
    quiet.socket.write(get("/fast"));
    await until(quiet.closed, "the late request's connection to close");
    expect(quiet.received()).toMatch(/^HTTP\/1\.1 200/);
    expect(quiet.received().toLowerCase()).toContain("connection: close");

    // The busy one finishes its response, says close, and closes.
    release();
    await until(busy.closed, "the busy connection to close");
    expect(busy.received()).toContain("slow");
    expect(busy.received().toLowerCase()).toContain("connection: close");

    expect(await drained).toEqual({ timedOut: false, destroyed: 0 });
    expect(drainer.inFlight).toBe(0);
    // Drained means no longer listening: a newcomer is refused (safe to retry elsewhere), not cut off.
    const refused = await new Promise<string>((resolve) => {
      const late = connect(port, "127.0.0.1");
      late.once("connect", () => resolve("connected"));
      late.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    });
    expect(refused).toBe("ECONNREFUSED");
  });

  it("destroys what is still open at the deadline", async () => {
    const { drainer, port } = await start(() => {
      // Never answers.
    });
    const stuck = await open(port);
    stuck.socket.write(get("/never"));
    await until(() => drainer.inFlight === 1, "the request to arrive");
    expect(await drainer.drain(300)).toEqual({ timedOut: true, destroyed: 1 });
    await until(stuck.closed, "the stuck connection to be closed");
  });
});
