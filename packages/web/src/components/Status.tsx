import { Component, type ErrorInfo, type ReactNode } from "react";
import { fallbackProblem, isApiError, problemText } from "../lib/api-client.ts";
import { useLanguage, useT } from "../lib/i18n.tsx";

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
  const { title, detail } = problemText(problem, lang);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{title}</p>
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
