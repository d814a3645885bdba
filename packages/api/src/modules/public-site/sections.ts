import type { Language } from "@samakki/shared/i18n/index";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { Executor } from "../../lib/transaction.ts";
import { letterSection } from "../letters/letters.public.tsx";
import { petitionSection } from "../petitions/petitions.section.tsx";
import { signupSection } from "../signups/signups.section.tsx";

/** What a section of the public campaign page knows: the campaign is public and belongs to the coalition. */
export interface PublicCampaignContext {
  db: Executor;
  lang: Language;
  coalition: { id: string; slug: string; name: string; timeZone: string };
  campaign: { id: string; slug: string; title: string };
  /** The campaign page's path, `/coalitions/:coalitionSlug/campaigns/:campaignSlug`. */
  basePath: string;
}

/**
 * A part of the public campaign page that another feature renders (petition, letter, join),
 * placed after the updates in the registry's order. `null` when it has nothing to show.
 */
export interface PublicCampaignSection {
  /** The section's anchor on the page (`#petition`) and its name in "how to join". */
  id: string;
  render(ctx: PublicCampaignContext): Promise<JSX.Element | null>;
}

/** The registered sections, in page order: petition, letter, join. */
export const publicCampaignSections: PublicCampaignSection[] = [petitionSection, letterSection, signupSection];
