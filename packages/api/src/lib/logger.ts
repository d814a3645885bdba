import pino from "pino";

export type Logger = pino.Logger;

/** Structured JSON logs; secrets are redacted wherever they may appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          "req.headers.cookie",
          "req.headers.authorization",
          "res.headers['set-cookie']",
          "*.password",
          "*.currentPassword",
          "*.newPassword",
          "*.token",
          "*.passwordHash",
          "*.password_hash",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
