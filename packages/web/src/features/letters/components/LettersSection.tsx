import type { MeCoalition } from "@samakki/shared/auth";
import { Route, Switch } from "wouter";
import { NotFoundPage } from "../../../components/NotFound.tsx";
import { CampaignLettersPage } from "./CampaignLettersPage.tsx";
import { TargetsPage } from "./TargetsPage.tsx";

/** The letters pages under /c/:coalitionId/letters (nested routes): the directory of targets, and a campaign's letters. */
export function LettersSection({ coalition }: { coalition: MeCoalition }) {
  return (
    <Switch>
      <Route path="/targets">
        <TargetsPage coalition={coalition} />
      </Route>
      <Route path="/campaign/:campaignId">{(p) => <CampaignLettersPage coalition={coalition} campaignId={p.campaignId} />}</Route>
      <Route>
        <NotFoundPage />
      </Route>
    </Switch>
  );
}
