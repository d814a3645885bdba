import type { MeCoalition } from "@samakki/shared/auth";
import { Route, Switch } from "wouter";
import { NotFoundPage } from "../../../components/NotFound.tsx";
import { CampaignFormPage } from "./CampaignFormPage.tsx";
import { CampaignList } from "./CampaignList.tsx";
import { CampaignPage } from "./CampaignPage.tsx";

/** The campaigns pages under /c/:coalitionId/campaigns (nested routes). */
export function CampaignsSection({ coalition }: { coalition: MeCoalition }) {
  return (
    <Switch>
      <Route path="/">
        <CampaignList coalition={coalition} />
      </Route>
      <Route path="/new">
        <CampaignFormPage coalition={coalition} />
      </Route>
      <Route path="/:campaignId/edit">{(p) => <CampaignFormPage coalition={coalition} campaignId={p.campaignId} />}</Route>
      <Route path="/:campaignId">{(p) => <CampaignPage coalition={coalition} campaignId={p.campaignId} />}</Route>
      <Route>
        <NotFoundPage />
      </Route>
    </Switch>
  );
}
