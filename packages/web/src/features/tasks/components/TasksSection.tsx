import type { MeCoalition } from "@samakki/shared/auth";
import { Route, Switch } from "wouter";
import { NotFoundPage } from "../../../components/NotFound.tsx";
import { TaskBoard } from "./TaskBoard.tsx";
import { TaskFormPage } from "./TaskFormPage.tsx";
import { TaskListPage } from "./TaskListPage.tsx";
import { TaskPage } from "./TaskPage.tsx";

/** The tasks pages under /c/:coalitionId/tasks (nested routes). */
export function TasksSection({ coalition }: { coalition: MeCoalition }) {
  return (
    <Switch>
      <Route path="/">
        <TaskListPage coalition={coalition} />
      </Route>
      <Route path="/new">
        <TaskFormPage coalition={coalition} />
      </Route>
      <Route path="/board/:campaignId">{(p) => <TaskBoard coalition={coalition} campaignId={p.campaignId} />}</Route>
      <Route path="/:taskId">{(p) => <TaskPage coalition={coalition} taskId={p.taskId} />}</Route>
      <Route>
        <NotFoundPage />
      </Route>
    </Switch>
  );
}
