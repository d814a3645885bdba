import pino from "pino";

export type Logger = pino.Logger;

/** Fields whose values are secrets, wherever they appear (top level and up to three levels down). */
const SECRET_KEYS = [
  "password",
  "currentPassword",
  "newPassword",
  "token",
  "passwordHash",
  "password_hash",
  "cookie",
  "authorization",
  "set-cookie",
  "x-api-key",
  "apiKey",
];

export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const join = (prefix: string) => (segment.startsWith("[") ? `${prefix}${segment}` : `${prefix}.${segment}`);
  return [segment, join("*"), join("*.*"), join("*.*.*")];
});

/** Structured JSON logs; secrets are redacted wherever they may appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    destination,
  );
}
