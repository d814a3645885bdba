import type { InfiniteQueryObserverResult, QueryObserverResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ErrorNotice, Loading } from "./Status.tsx";

type Props<T> = {
  /** A `useQuery` or `useInfiniteQuery` result. */
  query: QueryObserverResult<T, unknown> | InfiniteQueryObserverResult<T, unknown>;
  /** Shown instead of the data when it is empty: a text becomes a muted paragraph, an element is shown as it is. */
  empty?: ReactNode;
  /** When the data counts as empty; without it, an empty array does (only when `empty` is given). */
  isEmpty?: (data: T) => boolean;
  /** Offer the "Retry" button under an error (default true). */
  retry?: boolean | undefined;
  /** Shown for some errors instead of the error notice: return undefined to keep the notice. */
  renderError?: ((error: unknown) => ReactNode | undefined) | undefined;
  /** The data, once it has come and is not empty. */
  children: (data: T) => ReactNode;
};

/** The states of one query, as every list shows them: loading, the error (with a retry), the empty text, or the data. */
export function QueryView<T>({ query, empty, isEmpty, retry = true, renderError, children }: Props<T>) {
  if (query.isPending) return <Loading />;
  if (query.isError) {
    const special = renderError?.(query.error);
    if (special !== undefined) return <>{special}</>;
    return <ErrorNotice error={query.error} onRetry={retry ? () => void query.refetch() : undefined} />;
  }
  const data = query.data;
  if (empty !== undefined && (isEmpty ? isEmpty(data) : Array.isArray(data) && data.length === 0))
    return typeof empty === "string" || typeof empty === "number" ? <p className="muted">{empty}</p> : empty;
  return <>{children(data)}</>;
}

type QueryState = { isPending: boolean; fetchStatus: "fetching" | "paused" | "idle" };

/**
 * Whether each of a page's queries has its first answer (or has failed, or is not asked for).
 * A page shows <Loading /> until then: its cards ask together, and each reads its own answer
 * from the cache once drawn. A card filled in after the page was drawn pushed the cards below it
 * down, moving the control a finger was about to tap (e2e/layout-stability.e2e.test.ts).
 */
export function allAnswered(...queries: readonly QueryState[]): boolean {
  return queries.every((q) => !q.isPending || q.fetchStatus === "idle");
}
