/**
 * First-run setup from a terminal: `pnpm --filter @samakki/api run setup` (`run`: pnpm has a `setup`
 * command of its own), or `node dist/setup.js` where the app is built (the container).
 *
 * Interactive when stdin is a terminal; otherwise every answer comes from a flag or its
 * environment variable (the password preferably from SETUP_PASSWORD or --password-stdin, so it
 * does not appear in the process list):
 *
 *   --coalition <name>            SETUP_COALITION_NAME
 *   --time-zone <IANA zone>       SETUP_TIME_ZONE            (default Asia/Phnom_Penh)
 *   --organisation <name>         SETUP_ORGANISATION_NAME
 *   --short-name <acronym>        SETUP_ORGANISATION_SHORT_NAME (optional)
 *   --name <your name>            SETUP_NAME
 *   --email <address>             SETUP_EMAIL
 *   --password <password>         SETUP_PASSWORD             (or --password-stdin)
 *   --language en|km              SETUP_LANGUAGE             (default en)
 *
 * Refuses when a coalition already exists, as the web setup does.
 */
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { SetupInput } from "@samakki/shared/auth";
import { DEFAULT_TIME_ZONE } from "@samakki/shared/common";
import { AppError } from "../lib/errors.ts";
import { isSetupNeeded, runSetup } from "../modules/setup/setup.service.ts";
import { runCli } from "./bootstrap.ts";

const USAGE = `Usage: pnpm --filter @samakki/api run setup (or node dist/setup.js) [--coalition NAME] [--time-zone ZONE] [--organisation NAME]
       [--short-name ACRONYM] [--name NAME] [--email EMAIL] [--password PASSWORD | --password-stdin] [--language en|km]
Without a terminal, every value must come from a flag or from SETUP_* environment variables.`;

const { values: flags } = parseArgs({
  options: {
    coalition: { type: "string" },
    "time-zone": { type: "string" },
    organisation: { type: "string" },
    "short-name": { type: "string" },
    name: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
    "password-stdin": { type: "boolean" },
    language: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});

if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}

const env = process.env;
const given = {
  coalitionName: flags.coalition ?? env.SETUP_COALITION_NAME,
  timeZone: flags["time-zone"] ?? env.SETUP_TIME_ZONE,
  organisationName: flags.organisation ?? env.SETUP_ORGANISATION_NAME,
  organisationShortName: flags["short-name"] ?? env.SETUP_ORGANISATION_SHORT_NAME,
  displayName: flags.name ?? env.SETUP_NAME,
  email: flags.email ?? env.SETUP_EMAIL,
  password: flags.password ?? env.SETUP_PASSWORD,
  language: flags.language ?? env.SETUP_LANGUAGE,
};

async function readStdinLine(): Promise<string> {
  let data = "";
  for await (const chunk of process.stdin) data += String(chunk);
  return data.split(/\r?\n/)[0] ?? "";
}

/** One terminal session for every question; `muted` hides what is typed (the password). */
let muted = false;
const echo = new Writable({
  write(chunk, _encoding, done) {
    if (!muted) process.stdout.write(chunk);
    done();
  },
});
let terminal: ReturnType<typeof createInterface> | undefined;

/** Ask on the terminal; a secret answer is read without echo. */
async function ask(question: string, options: { fallback?: string; secret?: boolean } = {}): Promise<string> {
  terminal ??= createInterface({ input: process.stdin, output: echo, terminal: true });
  const suffix = options.fallback ? ` [${options.fallback}]` : "";
  const prompt = `${question}${suffix}: `;
  // A secret's prompt is printed directly, since everything that goes through readline is muted.
  if (options.secret) process.stdout.write(prompt);
  muted = Boolean(options.secret);
  try {
    const answer = (await terminal.question(options.secret ? "" : prompt)).trim();
    return answer || options.fallback || "";
  } finally {
    if (muted) process.stdout.write("\n");
    muted = false;
  }
}

async function collect(): Promise<unknown> {
  const interactive = Boolean(process.stdin.isTTY) && !flags["password-stdin"];
  if (flags["password-stdin"]) given.password = await readStdinLine();
  if (interactive) {
    console.log("Samakki first-run setup: the first coalition, your organisation and your coordinator account.\n");
    given.coalitionName ??= await ask("Coalition name");
    given.timeZone ??= await ask("Time zone", { fallback: DEFAULT_TIME_ZONE });
    given.organisationName ??= await ask("Your organisation's name");
    given.organisationShortName ??= await ask("Its short name or acronym (optional)");
    given.displayName ??= await ask("Your name");
    given.email ??= await ask("Your email");
    given.language ??= await ask("Language (en or km)", { fallback: "en" });
    if (given.password === undefined) {
      const first = await ask("Password (at least 12 characters)", { secret: true });
      const second = await ask("Password again", { secret: true });
      if (first !== second) throw new UsageError("The two passwords differ.");
      given.password = first;
    }
  }
  terminal?.close();
  return {
    coalitionName: given.coalitionName,
    timeZone: given.timeZone || DEFAULT_TIME_ZONE,
    organisationName: given.organisationName,
    organisationShortName: given.organisationShortName || undefined,
    displayName: given.displayName,
    email: given.email,
    password: given.password,
    language: given.language || "en",
  };
}

class UsageError extends Error {}

process.exitCode = await runCli("setup", async ({ config, deps }) => {
  try {
    if (!(await isSetupNeeded(deps.db))) {
      console.error("Setup has already been done: a coalition exists. Sign in instead, or invite people from the app.");
      return 1;
    }
    const parsed = SetupInput.safeParse(await collect());
    if (!parsed.success) {
      console.error("Cannot set up with these values:");
      for (const issue of parsed.error.issues) console.error(`  ${issue.path.join(".") || "(input)"}: ${issue.message}`);
      console.error(`\n${USAGE}`);
      return 2;
    }
    const result = await runSetup(deps, parsed.data, "samakki-cli");
    // The CLI does not keep the session it was given: end it.
    await deps.db.deleteFrom("session").where("person_id", "=", result.personId).execute();
    console.log(`\nCreated the coalition "${result.coalition.name}" with you as its coordinator.`);
    console.log(`Start Samakki (pnpm start), open ${config.publicUrl} and sign in as ${parsed.data.email}.`);
    if (deps.devMailbox && config.env !== "production")
      console.log(`(No RESEND_API_KEY: the email verification message is in the dev mailbox, ${config.publicUrl}/dev/mailbox.)`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof AppError) {
      const reasons: Partial<Record<string, string>> = {
        setup_already_done: "Setup has already been done.",
        email_taken: "That email already has an account.",
        password_too_weak: "That password is too common: choose a longer, less guessable one.",
      };
      const reason = reasons[error.code] ?? `${error.code}: ${error.message}`;
      console.error(`Setup refused: ${reason}`);
      return 1;
    }
    throw error;
  }
});
