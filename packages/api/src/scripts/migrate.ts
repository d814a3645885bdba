import { runCli } from "./bootstrap.ts";

process.exitCode = await runCli("migrate", async ({ applied }) => {
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Already up to date.");
  return 0;
});
