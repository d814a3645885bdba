/**
 * Reads sent at once, answered as if they had been made one after the other: like `Promise.all`,
 * but it waits for every read, and when several fail, the error is the first one's in the list's
 * order, not the first to arrive. A service lists its checks first (the campaign is the coalition's:
 * 404; the person may manage it: 403), then what they guard, and the answer does not depend on
 * which the database happened to answer first: another coalition's id is a 404, never a 403.
 * What is read is returned only when nothing failed.
 */
export async function inOrder<T extends readonly unknown[] | []>(reads: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(reads);
  const values: unknown[] = [];
  for (const result of settled) {
    if (result.status === "rejected") throw result.reason;
    values.push(result.value);
  }
  return values as { -readonly [K in keyof T]: Awaited<T[K]> };
}
