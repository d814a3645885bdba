import { describe, expect, it } from "vitest";
import * as paths from "./paths.ts";

const C = "0b7c6f2e-4d1a-4c1e-9a55-2f5e8c9d1a01";
const X = "7a1d2c3b-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

describe("paths", () => {
  it("builds the signed-out pages", () => {
    expect(paths.home()).toBe("/");
    expect(paths.setup()).toBe("/setup");
    expect(paths.signIn()).toBe("/sign-in");
    expect(paths.signIn("/invitations/abc")).toBe("/sign-in?next=%2Finvitations%2Fabc");
    expect(paths.forgotPassword()).toBe("/forgot-password");
    expect(paths.resetPassword("tok")).toBe("/reset-password?token=tok");
    expect(paths.verifyEmail("tok")).toBe("/verify-email?token=tok");
    expect(paths.undoEmailChange("tok")).toBe("/undo-email-change?token=tok");
    expect(paths.invitation("tok")).toBe("/invitations/tok");
  });

  it("builds the signed-in pages", () => {
    expect(paths.account()).toBe("/account");
    expect(paths.notifications()).toBe("/notifications");
    expect(paths.operator()).toBe("/operator");
    expect(paths.organisation(X)).toBe(`/organisations/${X}`);
    expect(paths.coalition(C)).toBe(`/c/${C}`);
    expect(paths.members(C)).toBe(`/c/${C}/members`);
    expect(paths.audit(C)).toBe(`/c/${C}/audit`);
    expect(paths.campaigns(C)).toBe(`/c/${C}/campaigns`);
    expect(paths.campaign(C, X)).toBe(`/c/${C}/campaigns/${X}`);
    expect(paths.campaignPetition(C, X)).toBe(`/c/${C}/campaigns/${X}/petition`);
    expect(paths.letters(C)).toBe(`/c/${C}/letters`);
    expect(paths.campaignLetters(C, X)).toBe(`/c/${C}/letters/campaign/${X}`);
    expect(paths.letterTargets(C)).toBe(`/c/${C}/letters/targets`);
    expect(paths.tasks(C)).toBe(`/c/${C}/tasks`);
    expect(paths.task(C, X)).toBe(`/c/${C}/tasks/${X}`);
    expect(paths.taskBoard(C, X)).toBe(`/c/${C}/tasks/board/${X}`);
    expect(paths.newTask(C)).toBe(`/c/${C}/tasks/new`);
    expect(paths.newTask(C, X)).toBe(`/c/${C}/tasks/new?campaignId=${X}`);
    expect(paths.statements(C)).toBe(`/c/${C}/statements`);
    expect(paths.statement(C, X)).toBe(`/c/${C}/statements/${X}`);
  });

  it("builds the public site's pages", () => {
    expect(paths.publicCoalition("ccc")).toBe("/coalitions/ccc");
    expect(paths.publicCampaign("ccc", "land")).toBe("/coalitions/ccc/campaigns/land");
    expect(paths.publicPetition("ccc", "land")).toBe("/coalitions/ccc/campaigns/land/petition");
    expect(paths.publicLetter("ccc", "land")).toBe("/coalitions/ccc/campaigns/land/letter");
    expect(paths.publicJoin("ccc", "land")).toBe("/coalitions/ccc/campaigns/land/join");
    expect(paths.publicStatement(X)).toBe(`/statements/${X}`);
    expect(paths.publicStatementText(X)).toBe(`/statements/${X}/text`);
    expect(paths.publicStatementPublication(X)).toBe(`/statements/${X}/publication`);
    expect(paths.statementsFeed("ccc")).toBe("/coalitions/ccc/statements.atom");
    expect(paths.signupLink("confirm", "tok")).toBe("/signups/confirm/tok");
    expect(paths.signupLink("cancel", "tok")).toBe("/signups/cancel/tok");
    expect(paths.petitionLink("confirm", "tok")).toBe("/petitions/confirm/tok");
    expect(paths.petitionLink("withdraw", "tok")).toBe("/petitions/withdraw/tok");
  });

  it("URL-encodes every id, token and slug", () => {
    const odd = "a/b?c#d e&f";
    const enc = "a%2Fb%3Fc%23d%20e%26f";
    expect(paths.resetPassword(odd)).toBe(`/reset-password?token=${enc}`);
    expect(paths.verifyEmail(odd)).toBe(`/verify-email?token=${enc}`);
    expect(paths.undoEmailChange(odd)).toBe(`/undo-email-change?token=${enc}`);
    expect(paths.invitation(odd)).toBe(`/invitations/${enc}`);
    expect(paths.organisation(odd)).toBe(`/organisations/${enc}`);
    expect(paths.coalition(odd)).toBe(`/c/${enc}`);
    expect(paths.members(odd)).toBe(`/c/${enc}/members`);
    expect(paths.campaign(odd, odd)).toBe(`/c/${enc}/campaigns/${enc}`);
    expect(paths.campaignPetition(odd, odd)).toBe(`/c/${enc}/campaigns/${enc}/petition`);
    expect(paths.campaignLetters(odd, odd)).toBe(`/c/${enc}/letters/campaign/${enc}`);
    expect(paths.task(odd, odd)).toBe(`/c/${enc}/tasks/${enc}`);
    expect(paths.taskBoard(odd, odd)).toBe(`/c/${enc}/tasks/board/${enc}`);
    expect(paths.newTask(odd, odd)).toBe(`/c/${enc}/tasks/new?campaignId=${enc}`);
    expect(paths.statement(odd, odd)).toBe(`/c/${enc}/statements/${enc}`);
    expect(paths.publicCampaign(odd, odd)).toBe(`/coalitions/${enc}/campaigns/${enc}`);
    expect(paths.publicJoin(odd, odd)).toBe(`/coalitions/${enc}/campaigns/${enc}/join`);
    expect(paths.publicStatementText(odd)).toBe(`/statements/${enc}/text`);
    expect(paths.statementsFeed(odd)).toBe(`/coalitions/${enc}/statements.atom`);
    expect(paths.signupLink("confirm", odd)).toBe(`/signups/confirm/${enc}`);
    expect(paths.petitionLink("withdraw", odd)).toBe(`/petitions/withdraw/${enc}`);
  });

  it("adds the language to a path's query", () => {
    expect(paths.withLang("/coalitions/ccc", "km")).toBe("/coalitions/ccc?lang=km");
    expect(paths.withLang("/coalitions/ccc/campaigns/land/letter?action=1", "en")).toBe(
      "/coalitions/ccc/campaigns/land/letter?action=1&lang=en",
    );
  });

  it("tells the server's pages from the web app's", () => {
    for (const path of [
      paths.publicStatement("s1"),
      paths.publicCampaign("alliance", "yellow-ribbon"),
      paths.publicCoalition("alliance"),
      paths.signupLink("confirm", "abc"),
    ])
      expect(paths.isServerPage(path), path).toBe(true);
    for (const path of [
      paths.home(),
      paths.notifications(),
      paths.statement("c1", "s1"),
      paths.campaign("c1", "k1"),
      paths.statements("c1"),
    ])
      expect(paths.isServerPage(path), path).toBe(false);
  });
});
