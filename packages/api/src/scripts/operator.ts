/**
 * Instance operators from a terminal: `pnpm --filter @samakki/api operator <command>`.
 *
 *   add EMAIL            make the account with this email an instance operator
 *   remove EMAIL         take the role back
 *   list                 the operators
 *   coalitions           every coalition: name, id, status and counts (nothing of what is inside)
 *   create-coalition --name NAME --organisation NAME --coordinator-email EMAIL [--time-zone ZONE] [--language en|km]
 *                        create a coalition and email its first coordinator an invitation
 *   schedule-deletion ID delete the coalition with this id after the grace period (its members see the date)
 *   cancel-deletion ID   cancel it during the grace period
 *   log [--limit N]      the instance log, newest first (default 50): coalitions created, deletions
 *                        scheduled, cancelled and carried out, operators added and removed
 *
 * Operators create coalitions and schedule their deletion; they do not see inside coalitions
 * they are not members of. The person who ran setup is the first one.
 */
import { parseArgs } from "node:util";
import { CreateCoalitionInput } from "@samakki/shared/operators";
import * as paths from "@samakki/shared/paths";
import { AppError } from "../lib/errors.ts";
import { parseId } from "../lib/params.ts";
import * as operators from "../modules/operators/operators.service.ts";
import { type CliContext, runCli } from "./bootstrap.ts";

const USAGE = `Usage: pnpm --filter @samakki/api operator (or node dist/operator.js) add EMAIL | remove EMAIL | list | coalitions
       pnpm --filter @samakki/api operator create-coalition --name NAME --organisation NAME --coordinator-email EMAIL
            [--time-zone ZONE] [--language en|km]
       pnpm --filter @samakki/api operator schedule-deletion COALITION_ID | cancel-deletion COALITION_ID
       pnpm --filter @samakki/api operator log [--limit N]`;

const { values: flags, positionals } = parseArgs({
  options: {
    name: { type: "string" },
    organisation: { type: "string" },
    "coordinator-email": { type: "string" },
    "time-zone": { type: "string" },
    language: { type: "string" },
    limit: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
  allowPositionals: true,
  strict: true,
});

if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}

type Deps = CliContext["deps"];

/** The command line acts as an operator without an account (the instance log says "command line"). */
const CLI_ACTOR = { id: null, displayName: "Samakki" };

async function run(deps: Deps, command: string | undefined, args: string[]): Promise<number> {
  switch (command) {
    case "add":
    case "remove": {
      const email = args[0];
      if (!email || args.length !== 1) break;
      if (command === "add") {
        const { person, added } = await operators.grantOperator(deps.db, email);
        console.log(added ? `${person.email} is now an instance operator.` : `${person.email} already is an instance operator.`);
      } else {
        const { person, removed } = await operators.revokeOperator(deps.db, email);
        console.log(removed ? `${person.email} is no longer an instance operator.` : `${person.email} was not an instance operator.`);
      }
      return 0;
    }
    case "list": {
      const rows = await operators.listOperators(deps.db);
      if (rows.length === 0) console.log("No instance operators. Add one with: operator add EMAIL");
      for (const r of rows) console.log(`${r.email}\t${r.display_name}\tsince ${r.granted_at.toISOString()}`);
      return 0;
    }
    case "coalitions": {
      for (const c of await operators.listCoalitions(deps.db))
        console.log(
          `${c.id}\t${c.name}\t${c.status}${c.deletionDueAt ? ` (deleted after ${c.deletionDueAt})` : ""}\t${c.organisations} organisations, ${c.coordinators} coordinators`,
        );
      return 0;
    }
    case "create-coalition": {
      if (args.length > 0) break;
      const parsed = CreateCoalitionInput.safeParse({
        coalitionName: flags.name,
        organisationName: flags.organisation,
        coordinatorEmail: flags["coordinator-email"],
        ...(flags["time-zone"] ? { timeZone: flags["time-zone"] } : {}),
        ...(flags.language ? { language: flags.language } : {}),
      });
      if (!parsed.success) {
        console.error("Cannot create a coalition with these values:");
        for (const issue of parsed.error.issues) console.error(`  ${issue.path.join(".") || "(input)"}: ${issue.message}`);
        return 2;
      }
      const created = await operators.createCoalition(deps, CLI_ACTOR, parsed.data);
      console.log(`Created the coalition "${parsed.data.coalitionName}" (${created.coalitionId}).`);
      const email = parsed.data.coordinatorEmail;
      if (!deps.devMailbox) console.log(`Invited ${email} by email to become its first coordinator (the link is valid 7 days).`);
      else if (deps.config.env === "production") {
        // No email leaves and the dev mailbox is not served in production: the operator hands the link over.
        console.log(`No RESEND_API_KEY: no email is sent. Give ${email} this link yourself, privately: it makes them`);
        console.log(`the coalition's first coordinator, works once and expires in 7 days.`);
        console.log(`  ${deps.config.publicUrl}${paths.invitation(created.token)}`);
      } else {
        console.log(`Invited ${email} to become its first coordinator (the link is valid 7 days).`);
        console.log(`(No RESEND_API_KEY: the invitation is in the dev mailbox, ${deps.config.publicUrl}/dev/mailbox.)`);
      }
      return 0;
    }
    case "schedule-deletion":
    case "cancel-deletion": {
      const id = parseId(args[0]);
      if (!id || args.length !== 1) break;
      const coalition = (await operators.listCoalitions(deps.db)).find((c) => c.id === id);
      if (!coalition) {
        console.error(`No coalition has the id ${args[0]}. See: operator coalitions`);
        return 1;
      }
      if (command === "schedule-deletion") {
        const { dueAt } = await operators.scheduleDeletion(deps, CLI_ACTOR, id);
        console.log(`"${coalition.name}" will be deleted after ${dueAt}, with all it holds. Until then: operator cancel-deletion ${id}`);
      } else {
        await operators.cancelDeletion(deps, CLI_ACTOR, id).then(
          () => console.log(`The deletion of "${coalition.name}" is cancelled.`),
          (error: unknown) => {
            if (!(error instanceof AppError && error.code === "not_found")) throw error;
            console.log(`No deletion of "${coalition.name}" is scheduled.`);
          },
        );
      }
      return 0;
    }
    case "log": {
      const limit = flags.limit === undefined ? 50 : Number(flags.limit);
      if (args.length > 0 || !Number.isInteger(limit) || limit < 1 || limit > 10_000) break;
      for (const entry of await operators.instanceLog(deps.db, limit))
        console.log(
          [entry.at, entry.action, entry.actor ?? "command line", entry.coalitionId ?? "-", JSON.stringify(entry.detail)].join("\t"),
        );
      return 0;
    }
    default:
      break; // no command or an unknown one: the usage, below
  }
  console.error(USAGE);
  return 2;
}

async function main(): Promise<number> {
  const [command, ...args] = positionals;
  if (!command) {
    console.error(USAGE);
    return 2;
  }
  return runCli("operator", async ({ deps }) => {
    try {
      return await run(deps, command, args);
    } catch (error) {
      if (error instanceof AppError && error.code === "not_found") {
        console.error("No account has that email. The person signs up or accepts an invitation first.");
        return 1;
      }
      throw error;
    }
  });
}

process.exitCode = await main();
