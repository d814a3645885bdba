import { createRouter } from "../../lib/route.ts";

// The dev mailbox (/dev/mailbox, /api/dev/mailbox) is added by the email module's worker work.
export const devMailboxRoutes = createRouter();
