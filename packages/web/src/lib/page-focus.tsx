import { createContext, type ReactNode, type RefObject, useContext, useEffect, useMemo, useState } from "react";
import { useLocation } from "wouter";

/**
 * Where the focus goes when a new page is shown after a navigation. The app is a single page: a link
 * does not load a document, so a screen reader says nothing when the page changes, and the focus falls
 * to <body> whenever the control that had it went away with the old page (a header tab's whole shell
 * is drawn anew on another section: app/router.tsx; a list's row once its page opens; a form once its
 * record is created). The new page's heading (components/Page.tsx) then takes the focus, so the
 * screen reader reads the new page's title and the next Tab goes on from the top of the page.
 *
 * Never on the first page the app shows (the browser loaded it: the reader is told), and never away
 * from something that has the focus: a control still on the page (a tab of a header that stayed) or
 * what the new page focused itself (a field).
 */
type Arrivals = {
  /** The full location (outside any nested route), as the top router sees it. */
  location: string;
  /** Kept across renders: the location of the last page heading shown, and the heading this focused. */
  record: { shown: string | null; focused: HTMLElement | null };
};

const PageArrivals = createContext<Arrivals | null>(null);

/** Above every page, inside the router (app/providers.tsx). */
export function PageArrivalProvider({ children }: { children: ReactNode }) {
  const [location] = useLocation();
  const [record] = useState<Arrivals["record"]>(() => ({ shown: null, focused: null }));
  const value = useMemo(() => ({ location, record }), [location, record]);
  return <PageArrivals.Provider value={value}>{children}</PageArrivals.Provider>;
}

const focusLost = () => document.activeElement === null || document.activeElement === document.body;

/**
 * For a page's heading (`tabIndex={-1}`): focus it when it is added after a navigation and nothing
 * has the focus. Also when the page draws its heading again at the same address (once its data is
 * in) and the heading this focused went away with the focus.
 */
export function useFocusOnArrival(heading: RefObject<HTMLElement | null>) {
  const arrivals = useContext(PageArrivals);
  // The location when the heading was added; a title that changes on the same heading changes nothing.
  const location = arrivals?.location;
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the heading is added (the location it was added at)
  useEffect(() => {
    const element = heading.current;
    if (!arrivals || !element) return;
    const { record } = arrivals;
    const first = record.shown === null;
    const arrived = record.shown !== location;
    const replaced = !arrived && record.focused !== null && !record.focused.isConnected;
    record.shown = location ?? null;
    if (first || !(arrived || replaced) || !focusLost()) return;
    element.focus();
    record.focused = element;
  }, []);
}
