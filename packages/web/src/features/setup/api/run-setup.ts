import type { SetupInput } from "@samakki/shared/auth";
import { z } from "zod";
import { api } from "../../../lib/api-client.ts";

const SetupResult = z.object({ coalitionId: z.uuid() });

/** Creates the first coalition, organisation and coordinator, and signs the coordinator in. */
export function runSetup(input: z.input<typeof SetupInput>) {
  return api.postFor("/api/setup", input, SetupResult);
}
