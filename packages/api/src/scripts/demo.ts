/**
 * `pnpm demo`: load a deterministic demo coalition into the configured database (PGlite in
 * ./data, or DATABASE_URL) and print how to sign in.
 *
 * A dozen member organisations with English and Khmer names, two coordinators, an admin and one
 * or two members per organisation (admins are their organisation's representatives), one observer
 * and one suspended organisation. Everyone shares one demo password. All names are invented.
 * The alliance is at work: the yellow-ribbon campaign with its metrics and contributions, the
 * 314 km march from Phnom Penh to Angkor Wat with letters to MPs, tasks in every status (some
 * overdue), statements with several versions, one vote open and one statement published; all
 * built through the services (demo/content.ts), with dates relative to today in Phnom Penh.
 *
 * Refuses when any coalition exists, unless `--force-new` (which adds another demo coalition,
 * with its own email domain, e.g. demo2.samakki.local).
 */
import { parseArgs } from "node:util";
import { slugify } from "../lib/slug.ts";
import { argon2Hasher } from "../modules/auth/passwords.ts";
import { listOperators } from "../modules/operators/operators.repository.ts";
import { grantOperator } from "../modules/operators/operators.service.ts";
import { runCli } from "./bootstrap.ts";
import { loadDemo } from "./demo/load.ts";
import { COALITION, DEMO_PASSWORD, ORGANISATIONS, PEOPLE } from "./demo/people.ts";

const { values: flags } = parseArgs({ options: { "force-new": { type: "boolean" }, help: { type: "boolean", short: "h" } }, strict: true });
if (flags.help) {
  console.log(
    "Usage: pnpm demo [--force-new]\nLoads a demo coalition into the configured database (refused when a coalition exists, unless --force-new).",
  );
  process.exit(0);
}

process.exitCode = await runCli("demo", async ({ config, deps }) => {
  const existing = await deps.db.selectFrom("coalition").select("slug").execute();
  if (existing.length > 0 && !flags["force-new"]) {
    console.error(
      `The database already has ${existing.length === 1 ? "a coalition" : `${existing.length} coalitions`}: not loading the demo into it.\n` +
        "Use an empty database (e.g. DATA_DIR=./data-demo pnpm demo), or add another demo coalition with `pnpm demo --force-new`.",
    );
    return 1;
  }

  // Each extra demo coalition gets its own slug and email domain, so sign-ins never collide.
  const baseSlug = slugify(COALITION.name);
  const slugs = new Set(existing.map((c) => c.slug));
  let n = 1;
  while (slugs.has(n === 1 ? baseSlug : `${baseSlug}-${n}`)) n++;
  const slug = n === 1 ? baseSlug : `${baseSlug}-${n}`;
  const domain = n === 1 ? "demo.samakki.local" : `demo${n}.samakki.local`;
  const email = (local: string) => `${local}@${domain}`;

  const passwordHash = await argon2Hasher.hash(DEMO_PASSWORD);

  const loaded = await loadDemo(deps, { slug, email, passwordHash });
  // On an instance nobody has set up, the demo stands in for setup, whose person is the first
  // operator: its first coordinator is then the operator (the operator page, more coalitions).
  const operator = existing.length === 0 && (await listOperators(deps.db)).length === 0;
  if (operator) await grantOperator(deps.db, email("coordinator"));

  const url = config.publicUrl;
  const rows: [string, string][] = [
    [email("coordinator"), `coordinator (and admin of CIMN, the secretariat${operator ? "; the instance's operator" : ""})`],
    [email("coordinator2"), "coordinator, Khmer interface"],
    [email("admin"), "organisation admin of KJA"],
    [email("member"), "member of KJA"],
    [email("observer"), "admin of IVC, an observer organisation"],
    [email("suspended"), "admin of SDL, a suspended organisation"],
  ];
  const width = Math.max(...rows.map(([e]) => e.length));
  console.log(`
Loaded the demo coalition "${COALITION.name}" (${COALITION.nameKm}):
${ORGANISATIONS.length} organisations, ${PEOPLE.length} people, ${PEOPLE.filter((p) => p.coordinator).length} coordinators;
${loaded.campaigns} campaign with ${loaded.activities} activities (the 314 km march among them), ${loaded.metrics} metrics and
${loaded.contributions} contributions, a petition with its paper sheets, ${loaded.letters} letters to members of parliament,
${loaded.tasks} tasks and ${loaded.statements} statements (one published, one vote open).

Start Samakki (\`pnpm start\`, or \`pnpm dev\`), open ${url} and sign in with any of:

${rows.map(([e, what]) => `  ${e.padEnd(width)}  ${what}`).join("\n")}

Password for everyone: ${DEMO_PASSWORD}

Other people follow the pattern <acronym>.admin@${domain} / <acronym>.member@${domain}
(e.g. drwc.admin@${domain}). This is demo data: do not use these accounts in production.
`);
  return 0;
});
