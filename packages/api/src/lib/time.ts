export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const isoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null);
