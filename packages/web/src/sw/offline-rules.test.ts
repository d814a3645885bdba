import { describe, expect, it } from "vitest";
import { isAuthMutation, isReadableOffline, isStampedWhenKept } from "./offline-rules.ts";

describe("what the service worker keeps for reading offline", () => {
  it("keeps the reads of the dashboard, tasks, campaigns and statements", () => {
    for (const path of [
      "/api/me",
      "/api/coalitions/c1/dashboard",
      "/api/coalitions/c1/tasks",
      "/api/coalitions/c1/tasks/t1",
      "/api/coalitions/c1/campaigns/k1/activities",
      "/api/coalitions/c1/statements",
      "/api/coalitions/c1/statements/s1/versions/2",
      "/api/coalitions/c1/members",
    ])
      expect(isReadableOffline(path), path).toBe(true);
  });

  it("never keeps sign-in, account secrets, ballots, audit logs or exports", () => {
    for (const path of [
      "/api/auth/sign-in",
      "/api/auth/sign-in/two-factor",
      "/api/me/sessions",
      "/api/me/passkeys",
      "/api/me/two-factor/recovery-codes",
      "/api/coalitions/c1/statements/s1/vote/verify",
      "/api/coalitions/c1/statements/s1/vote",
      "/api/coalitions/c1/audit",
      "/api/coalitions/c1/tasks.csv",
      "/api/public/anything",
    ])
      expect(isReadableOffline(path), path).toBe(false);
  });

  it("stamps what it keeps with its time, but not the first setup's status, which outlives a sign-out", () => {
    expect(isStampedWhenKept("/api/me")).toBe(true);
    expect(isStampedWhenKept("/api/coalitions/c1/tasks")).toBe(true);
    expect(isStampedWhenKept("/api/setup")).toBe(false);
  });

  it("forgets the kept answers on every request that can start or end a session", () => {
    expect(isAuthMutation("POST", "/api/auth/sign-out")).toBe(true);
    expect(isAuthMutation("POST", "/api/auth/sign-in")).toBe(true);
    expect(isAuthMutation("POST", "/api/invitations/abc/accept")).toBe(true);
    expect(isAuthMutation("POST", "/api/setup")).toBe(true);
    expect(isAuthMutation("GET", "/api/auth/sign-out")).toBe(false);
    expect(isAuthMutation("POST", "/api/coalitions/c1/tasks")).toBe(false);
  });
});
