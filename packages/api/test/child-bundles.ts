import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildApi } from "../build.mjs";

/*
 * The bundles of the server and the CLIs that test/server-process.ts starts as child processes,
 * made with build.mjs as production's `dist/` is. Inside packages/api, where Node finds the
 * packages a bundle leaves external. Each is named after the test run's main process (a test
 * worker's parent): test/global-setup.ts removes the run's own at its end, and at its start any
 * left by a run that no longer exists (killed before its teardown). Two runs at once (CI's) never
 * remove each other's.
 */

const PARENT = fileURLToPath(new URL("../node_modules/.cache/", import.meta.url));
const PREFIX = "samakki-test-build-";

/** A new bundle for a test worker of the run whose main process is `runPid`; resolves to its directory. */
export async function buildChildBundle(runPid: number): Promise<string> {
  mkdirSync(PARENT, { recursive: true });
  const dir = mkdtempSync(join(PARENT, `${PREFIX}${runPid}-`));
  await buildApi(dir);
  return dir;
}

/** Removes the bundles of the run `runPid`, or with no argument those of runs whose process has ended. */
export function removeChildBundles(runPid?: number): void {
  let names: string[];
  try {
    names = readdirSync(PARENT);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^samakki-test-build-(\d+)-/.exec(name)?.[1]);
    if (!pid) continue;
    if (runPid === undefined ? !alive(pid) : pid === runPid) rmSync(join(PARENT, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
