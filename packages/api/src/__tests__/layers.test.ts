import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The layering rules of AGENTS.md ("Layers"), checked over the source: every query lives in a
 * repository (`*.repository.ts`, one function per query, the db handle first), and a route reaches
 * data only through a service. A file that breaks a rule fails here with its name and line.
 */

const src = fileURLToPath(new URL("..", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "__tests__" ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** A Kysely query builder or a raw SQL template. */
export const QUERY = /\.(selectFrom|insertInto|updateTable|deleteFrom|mergeInto)\(|\bsql(<[^`\n]*>)?`/;

/** Where queries may be built besides repositories, and why. */
const ALLOWED: Record<string, string> = {
  "db/": "the database layer itself: the connection, its settings, the migrator and the migrations",
  "scripts/": "command-line scripts (demo data, setup) that write their rows directly",
  "lib/jsonb.ts": "a value helper (a JSON parameter cast to jsonb), used by repositories",
  "deps.ts": "the readiness probe's `select 1`",
};
const allowed = (file: string) => file.endsWith(".repository.ts") || Object.keys(ALLOWED).some((prefix) => file.startsWith(prefix));

export function queriesOutsideRepositories(files: { path: string; text: string }[]): string[] {
  return files
    .filter((f) => !allowed(f.path))
    .flatMap((f) =>
      f.text
        .split("\n")
        .flatMap((line, i) =>
          QUERY.test(line) && !line.trim().startsWith("*") && !line.trim().startsWith("//") ? [`${f.path}:${i + 1}: ${line.trim()}`] : [],
        ),
    );
}

const files = sources(src).map((path) => ({ path: relative(src, path), text: readFileSync(path, "utf8") }));

describe("layers", () => {
  it("sees the queries it is looking for (a check that finds nothing proves nothing)", () => {
    const probe = [
      { path: "modules/x/x.service.ts", text: 'const a = await db.selectFrom("task").execute();\nconst b = sql<number>`select 1`;' },
      { path: "modules/x/x.repository.ts", text: 'db.deleteFrom("task")' },
    ];
    expect(queriesOutsideRepositories(probe)).toEqual([
      'modules/x/x.service.ts:1: const a = await db.selectFrom("task").execute();',
      "modules/x/x.service.ts:2: const b = sql<number>`select 1`;",
    ]);
    expect(files.filter((f) => f.path.endsWith(".repository.ts")).length).toBeGreaterThan(30);
  });

  it("builds every query in a repository", () => {
    expect(queriesOutsideRepositories(files)).toEqual([]);
  });

  it("lets routes reach data only through services: no route imports a repository", () => {
    const routes = files.filter((f) => /\.routes\.tsx?$/.test(f.path));
    expect(routes.length).toBeGreaterThan(20);
    const offenders = routes.flatMap((f) => (/from "[^"]*\.repository\.ts"/.test(f.text) || QUERY.test(f.text) ? [f.path] : []));
    expect(offenders).toEqual([]);
  });
});
