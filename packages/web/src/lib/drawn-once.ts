import { useState } from "react";

/**
 * True once `ready` has been true: a page waits for what it needs before it is first drawn, and is
 * never drawn again as <Loading /> when it needs something more later (a card that what the reader
 * just did brought in, the zones' Khmer names after a switch to Khmer). Drawn again, the page lost
 * what its forms held and the notice of what the reader had just done (e2e/passkeys.e2e.test.ts:
 * the account page, when the two-factor gate opens; time-zones.ts).
 */
export function useDrawnOnce(ready: boolean): boolean {
  const [drawn, setDrawn] = useState(false);
  // Remembered from an earlier drawing (React's pattern for state derived from previous renders).
  if (ready && !drawn) setDrawn(true);
  return ready || drawn;
}
