import { Component, type ErrorInfo, type ReactNode } from "react";
import { fallbackProblem, isApiError } from "../lib/api-client.ts";
import { translateDynamic, useLanguage, useT } from "../lib/i18n.tsx";

export function Loading() {
  const t = useT();
  return (
    <p className="loading" role="status">
      {t("common.loading")}
    </p>
  );
}

/** Shows why a request failed, in the UI language (the API already translated its problem). */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: (() => void) | undefined }) {
  const t = useT();
  const { lang } = useLanguage();
  const problem = isApiError(error) ? error.problem : fallbackProblem(500, lang, "internal");
  // An answer's problem (status 400 and up) has its code's catalog strings as title and detail (the
  // API's lib/problem.ts, and fallbackProblem here): shown in the reader's language now, not the one
  // the request went out in (a language switch may have happened since). A problem made here for no
  // answer at all (offline, status 0) says so in its own words, kept.
  const inLanguage = (part: "title" | "detail", given: string | undefined) => {
    if (problem.status < 400) return given;
    const key = `errors.${problem.code}.${part}`;
    const text = translateDynamic(lang, key);
    return text === key ? given : text;
  };
  const detail = problem.detail ? inLanguage("detail", problem.detail) : undefined;
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{inLanguage("title", problem.title)}</p>
      {detail ? <p>{detail}</p> : null}
      {onRetry ? (
        <button type="button" className="btn btn-secondary btn-small" onClick={onRetry}>
          {t("common.retry")}
        </button>
      ) : null}
    </div>
  );
}

function Fallback({ error, reset }: { error: unknown; reset: () => void }) {
  return <ErrorNotice error={error} onRetry={reset} />;
}

type BoundaryState = { error: unknown; failed: boolean };

/** Catches a crash in one part of the page so the rest (header, other cards) keeps working. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, BoundaryState> {
  override state: BoundaryState = { error: null, failed: false };

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error, failed: true };
  }

  override componentDidUpdate(prev: { resetKey?: string }) {
    if (this.state.failed && prev.resetKey !== this.props.resetKey) this.setState({ error: null, failed: false });
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override render() {
    if (this.state.failed) return <Fallback error={this.state.error} reset={() => this.setState({ error: null, failed: false })} />;
    return this.props.children;
  }
}
