/** @jsxImportSource hono/jsx */
import * as paths from "@samakki/shared/paths";
import type { PublicCampaignSection } from "../public-site/sections.ts";
import { PetitionCard } from "./petitions.pages.tsx";
import { findPetitionByCampaign } from "./petitions.repository.ts";
import { petitionCounts } from "./petitions.service.ts";

/** The petition's card on the public campaign page: title, count, progress and the link to sign. */
export const petitionSection: PublicCampaignSection = {
  id: "petition",
  async render(ctx) {
    const petition = await findPetitionByCampaign(ctx.db, ctx.campaign.id);
    if (!petition) return null;
    const counts = await petitionCounts(ctx.db, petition.id);
    return <PetitionCard lang={ctx.lang} petition={petition} counts={counts} href={paths.withLang(`${ctx.basePath}/petition`, ctx.lang)} />;
  },
};
