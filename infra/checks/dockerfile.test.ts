import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDockerfile, readDockerfile, type Stage } from "./dockerfile.ts";
import { here } from "./kustomize.ts";

/**
 * Issue 12, item 4: the rules the Dockerfile must keep, checked without Docker (hadolint is not
 * installable from the registries this project uses). A subset of hadolint's rules (DL3000
 * absolute WORKDIR, DL3002 last USER not root, DL3004 no sudo, DL3006/DL3007 tagged images, not
 * latest, DL3015 --no-install-recommends, DL3020 COPY not ADD, DL3025 JSON CMD, DL4001-like no
 * piping into a shell) plus this project's: multi-stage, a maintained Node LTS (22, 24) slim or distroless glibc runtime, production dependencies only,
 * the built web app, a HEALTHCHECK on /healthz, HOST=0.0.0.0, the pinned pnpm version, and a
 * .dockerignore that keeps secrets, node_modules and build output out of the context.
 */

const root = join(here, "../..");
const dockerfile = readDockerfile(join(root, "Dockerfile"));
const dockerignore = readFileSync(join(root, ".dockerignore"), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));
const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { packageManager: string; engines: { node: string } };

function rules(stages: Stage[]): string[] {
  const problems: string[] = [];
  if (stages.length < 2) problems.push("not multi-stage");
  for (const stage of stages) {
    if (!/:[^:]+$/.test(stage.image) || stage.image.endsWith(":latest")) problems.push(`${stage.image}: pin a tag, not latest`);
  }
  const runtime = stages.at(-1);
  if (!runtime) return ["no stage"];
  // A maintained LTS line only: 22 (until April 2027) or 24 (until April 2028); 20 ended in April 2026.
  if (!/^(node:(22|24)[.\d]*-(bookworm|trixie)-slim|gcr\.io\/distroless\/nodejs(22|24)-debian1[23](:nonroot)?)/.test(runtime.image)) {
    problems.push(`runtime ${runtime.image}: not a maintained Node LTS (22, 24) slim or distroless (glibc) image`);
  }
  const all = stages.flatMap((s) => s.instructions);
  for (const i of all) {
    if (i.keyword === "ADD") problems.push(`line ${i.line}: ADD (use COPY)`);
    if (i.keyword === "WORKDIR" && !i.args.startsWith("/")) problems.push(`line ${i.line}: relative WORKDIR`);
    if (i.keyword === "RUN" && /\bapt-get install\b/.test(i.args) && !/--no-install-recommends/.test(i.args)) {
      problems.push(`line ${i.line}: apt-get install without --no-install-recommends`);
    }
    if (i.keyword === "RUN" && /\|\s*(sh|bash)\b/.test(i.args)) problems.push(`line ${i.line}: piping into a shell`);
    if (i.keyword === "RUN" && /\bsudo\b/.test(i.args)) problems.push(`line ${i.line}: sudo`);
  }
  const users = runtime.instructions.filter((i) => i.keyword === "USER");
  const lastUser = users.at(-1)?.args;
  if (!lastUser || /^(root|0)(:|$)/.test(lastUser)) problems.push("the runtime's last USER must be a non-root user");
  const cmdIndex = runtime.instructions.findIndex((i) => i.keyword === "CMD" || i.keyword === "ENTRYPOINT");
  const userIndex = runtime.instructions.findIndex((i) => i.keyword === "USER");
  if (cmdIndex < 0) problems.push("no CMD");
  else if (userIndex > cmdIndex) problems.push("USER after CMD");
  for (const i of runtime.instructions.filter((x) => x.keyword === "CMD" || x.keyword === "ENTRYPOINT")) {
    if (!i.args.startsWith("[")) problems.push(`line ${i.line}: ${i.keyword} not in JSON (exec) form: signals would not reach node`);
  }
  const healthchecks = runtime.instructions.filter((i) => i.keyword === "HEALTHCHECK");
  if (healthchecks.length !== 1 || !healthchecks[0]?.args.includes("/healthz")) problems.push("one HEALTHCHECK on /healthz");
  const env = runtime.instructions
    .filter((i) => i.keyword === "ENV")
    .map((i) => i.args)
    .join(" ");
  for (const setting of ["NODE_ENV=production", "HOST=0.0.0.0"]) if (!env.includes(setting)) problems.push(`runtime ENV lacks ${setting}`);
  // Production dependencies only: the runtime installs nothing and copies the `pnpm deploy --prod` output.
  if (runtime.instructions.some((i) => i.keyword === "RUN" && /\b(npm|pnpm|yarn)\b/.test(i.args)))
    problems.push("the runtime stage installs packages");
  if (!all.some((i) => i.keyword === "RUN" && /pnpm (--filter @samakki\/api )?deploy --prod/.test(i.args))) {
    problems.push("no `pnpm deploy --prod` of the API");
  }
  const build = all.map((i) => i.args).join("\n");
  if (!/web\/dist/.test(build) || !/WEB_DIST=/.test(env)) problems.push("the built web app is not copied, or WEB_DIST not set");
  return problems;
}

describe("the Dockerfile", () => {
  it("keeps every rule", () => {
    expect(rules(dockerfile.stages)).toEqual([]);
  });

  it("installs the pnpm of package.json's packageManager, and builds and runs on one Node that engines allows", () => {
    const pnpm = rootPackage.packageManager.replace("pnpm@", "");
    const text = readFileSync(join(root, "Dockerfile"), "utf8");
    expect(text).toContain(`pnpm@${pnpm}`);
    const images = new Set(dockerfile.stages.map((stage) => stage.image));
    expect(images.size).toBe(1);
    const version = /^node:(\d+)\.(\d+)\.\d+-/.exec([...images][0] ?? "");
    const minimum = /^>=(\d+)\.(\d+)$/.exec(rootPackage.engines.node);
    expect(version && minimum).toBeTruthy();
    const [major, minor] = [Number(version?.[1]), Number(version?.[2])];
    const [minMajor, minMinor] = [Number(minimum?.[1]), Number(minimum?.[2])];
    expect(major > minMajor || (major === minMajor && minor >= minMinor)).toBe(true);
  });

  it("names the Node version that CI's PostgreSQL run fetches, as .ci/run reads it, with a pinned SHA-256", () => {
    const image = dockerfile.stages.at(-1)?.image ?? "";
    const version = /^node:(\d+\.\d+\.\d+)-/.exec(image)?.[1];
    expect(version).toBeTruthy();
    // The very line .ci/run runs, run here in the repository root.
    const ci = readFileSync(join(root, ".ci/run"), "utf8");
    const line = ci.split("\n").find((l) => l.startsWith("PROD_NODE_VERSION=$(sed "));
    expect(line).toBeTruthy();
    const read = execFileSync("bash", ["-c", `${line}; printf %s "$PROD_NODE_VERSION"`], { cwd: root, encoding: "utf8" });
    expect(read).toBe(version);
    expect(ci).toContain(`${version}-x64) echo `);
  });

  it("copies only paths that exist and that .dockerignore lets through", () => {
    const sources = dockerfile.stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.keyword === "COPY" && !i.args.startsWith("--from"))
      .flatMap((i) =>
        i.args
          .replace(/--\S+\s+/g, "")
          .split(/\s+/)
          .slice(0, -1),
      );
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(join(root, source)), source).toBe(true);
      expect(
        dockerignore.some((pattern) => pattern === source || pattern === source.split("/")[0]),
        `${source} is ignored`,
      ).toBe(false);
    }
  });

  it("has a .dockerignore that keeps out secrets, dependencies, build output, data and git", () => {
    for (const pattern of ["**/node_modules", "**/dist", "**/data", "**/.env", ".git"]) expect(dockerignore).toContain(pattern);
  });
});

describe("the Dockerfile rules can fail", () => {
  const bad = (text: string) => rules(parseDockerfile(text).stages);
  it("on a single-stage root image with a shell-form CMD and no healthcheck", () => {
    expect(bad("FROM node:latest\nRUN npm install\nCMD node dist/server.js\n")).toEqual(
      expect.arrayContaining([
        "not multi-stage",
        "node:latest: pin a tag, not latest",
        "the runtime's last USER must be a non-root user",
        "line 3: CMD not in JSON (exec) form: signals would not reach node",
        "one HEALTHCHECK on /healthz",
      ]),
    );
  });
  it("on an Alpine (musl) runtime and USER root", () => {
    const problems = bad(
      'ARG N=node:20.20.2-alpine\nFROM node:20.20.2-bookworm-slim AS build\nRUN pnpm --filter @samakki/api deploy --prod /out\nFROM $N\nUSER root\nCMD ["node"]\n',
    );
    expect(problems).toContain("runtime node:20.20.2-alpine: not a maintained Node LTS (22, 24) slim or distroless (glibc) image");
    const ended = bad(
      'FROM node:24.22.3-bookworm-slim AS build\nRUN pnpm --filter @samakki/api deploy --prod /out\nFROM node:20.20.2-bookworm-slim\nCMD ["node"]\n',
    );
    expect(ended).toContain("runtime node:20.20.2-bookworm-slim: not a maintained Node LTS (22, 24) slim or distroless (glibc) image");
    expect(problems).toContain("the runtime's last USER must be a non-root user");
  });
});
