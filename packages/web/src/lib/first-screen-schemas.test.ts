import * as shared from "@samakki/shared/auth";
import { Problem } from "@samakki/shared/problem";
import { describe, expect, it } from "vitest";
import { itMirrors } from "../test/mirrors.ts";
import * as mini from "./first-screen-schemas.ts";

const pairs = {
  MeOrganisation: [mini.MeOrganisation, shared.MeOrganisation],
  MeCoalition: [mini.MeCoalition, shared.MeCoalition],
  Me: [mini.Me, shared.Me],
  TwoFactorChallenge: [mini.TwoFactorChallenge, shared.TwoFactorChallenge],
  SignInResult: [mini.SignInResult, shared.SignInResult],
  SetupStatus: [mini.SetupStatus, shared.SetupStatus],
  PasskeyOptions: [mini.PasskeyOptions, shared.PasskeyOptions],
  Problem: [mini.Problem, Problem],
} as const;

describe("the first screen's zod/mini schemas", () => {
  itMirrors(pairs, mini);

  it("refuse what the shared schemas refuse", () => {
    const me = {
      person: {
        id: "3b0c6f6e-8c2a-4c1e-9a8e-2f4b8a1d6c00",
        email: "sok@example.org",
        displayName: "Sok",
        language: "km",
        emailVerified: true,
        notifyEmail: "daily",
        twoFactorEnabled: false,
      },
      coalitions: [],
      organisations: [],
      recentAuthUntil: null,
      operator: false,
      twoFactorRequirement: { required: true, satisfied: false },
    };
    expect(mini.Me.parse(me)).toEqual(shared.Me.parse(me));
    for (const bad of [
      { ...me, operator: "no" },
      { ...me, twoFactorRequirement: { required: true } },
      { ...me, person: { ...me.person, language: "fr" } },
      { ...me, recentAuthUntil: "yesterday" },
    ]) {
      expect(mini.Me.safeParse(bad).success).toBe(false);
      expect(shared.Me.safeParse(bad).success).toBe(false);
    }
    const problem = { type: "about:blank", title: "Nope", status: 404, code: "not_found" };
    expect(mini.Problem.parse(problem)).toEqual(Problem.parse(problem));
    expect(mini.Problem.safeParse({ ...problem, code: "teapot" }).success).toBe(false);
    expect(mini.Problem.safeParse({ ...problem, status: 404.5 }).success).toBe(false);
  });
});
