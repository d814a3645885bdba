import type { MeCoalition } from "@samakki/shared/auth";
import { Route, Switch } from "wouter";
import { NotFoundPage } from "../../../components/NotFound.tsx";
import { ErrorBoundary } from "../../../components/Status.tsx";
import { NewStatementPage } from "./NewStatementPage.tsx";
import { StatementList } from "./StatementList.tsx";
import { StatementPage } from "./StatementPage.tsx";

/** The statements pages under /c/:coalitionId/statements (nested routes: paths here are relative). */
export function StatementsSection({ coalition }: { coalition: MeCoalition }) {
  return (
    <ErrorBoundary>
      <Switch>
        <Route path="/">
          <StatementList coalition={coalition} />
        </Route>
        <Route path="/new">
          <NewStatementPage coalition={coalition} />
        </Route>
        <Route path="/:statementId">{(params) => <StatementPage coalition={coalition} statementId={params.statementId} />}</Route>
        <Route>
          <NotFoundPage />
        </Route>
      </Switch>
    </ErrorBoundary>
  );
}
