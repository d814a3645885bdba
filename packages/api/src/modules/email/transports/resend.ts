import { Resend } from "resend";
import type { Config } from "../../../config.ts";
import type { EmailTransport, OutgoingEmail, SendOptions } from "../email.types.ts";

const DEFAULT_BASE_URL = "https://api.resend.com";
/**
 * The longest one request may take when the caller gives no signal. The outbox worker passes
 * its own signal (its send timeout, shorter than its lease, and its claim on the row).
 */
const SEND_TIMEOUT_MS = 15_000;

class EmailSendError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | null,
  ) {
    super(message);
    this.name = "EmailSendError";
  }
}

/**
 * Delivery through Resend. The SDK would read RESEND_BASE_URL from the environment when the
 * client is constructed; we pass the base URL from the configuration instead (config.ts is the
 * only reader of the environment), which is also how tests point it at a fake server.
 * The outbox row id is the Idempotency-Key, the same on every attempt: Resend keeps keys for
 * 24 hours, so a retry after a crash between sending and recording the result is not
 * delivered twice. (Not every Resend-compatible endpoint deduplicates; the worker's lease,
 * heartbeat and per-send timeout keep such repeats to sends cut short by a crash.)
 */
export function resendTransport(email: Config["email"]): EmailTransport {
  if (!email.resendApiKey) throw new Error("resendTransport needs RESEND_API_KEY");
  const client = new Resend(email.resendApiKey, { baseUrl: (email.resendBaseUrl ?? DEFAULT_BASE_URL).replace(/\/$/, "") });
  return {
    async send(message: OutgoingEmail, options: SendOptions = {}) {
      const signal = options.signal
        ? AbortSignal.any([options.signal, AbortSignal.timeout(SEND_TIMEOUT_MS)])
        : AbortSignal.timeout(SEND_TIMEOUT_MS);
      // The SDK does not throw on HTTP or network failures: it answers { data: null, error }.
      const { data, error } = await client.emails.send(
        { from: email.from, to: [message.to], subject: message.subject, html: message.html, text: message.text },
        { idempotencyKey: message.id, signal },
      );
      if (error)
        throw new EmailSendError(`${error.name}${error.statusCode ? ` (${error.statusCode})` : ""}: ${error.message}`, error.statusCode);
      if (!data) throw new EmailSendError("empty answer from Resend", null);
      return { providerId: data.id };
    },
  };
}
