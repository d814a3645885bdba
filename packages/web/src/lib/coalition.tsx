import type { MeCoalition } from "@samakki/shared/auth";
import { createContext, type ReactNode, useContext } from "react";

const STORAGE_KEY = "samakki.coalition";

function rememberedCoalitionId(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function rememberCoalition(id: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, id);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

/** The coalition shown: the one in the address, else the remembered one, else the first. */
export function pickCoalition(coalitions: readonly MeCoalition[], fromRoute: string | null): MeCoalition | null {
  const wanted = fromRoute ?? rememberedCoalitionId();
  return coalitions.find((c) => c.id === wanted) ?? coalitions[0] ?? null;
}

const CoalitionContext = createContext<MeCoalition | null>(null);

export function CurrentCoalitionProvider({ coalition, children }: { coalition: MeCoalition | null; children: ReactNode }) {
  return <CoalitionContext.Provider value={coalition}>{children}</CoalitionContext.Provider>;
}

/** The coalition the person is working in (its time zone formats dates), or null if they have none. */
export function useCurrentCoalition(): MeCoalition | null {
  return useContext(CoalitionContext);
}
