import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { refetchTwoFactorRequirement } from "./providers.tsx";

describe("a 403 two_factor_required", () => {
  it("refetches /api/me alone, not the gated queries under it (whose 403 would start it again)", async () => {
    const client = new QueryClient();
    client.setQueryData(["me"], { person: null });
    for (const key of ["calendar-feed", "passkeys", "sessions"]) client.setQueryData(["me", key], []);
    await refetchTwoFactorRequirement(client);
    expect(client.getQueryState(["me"])?.isInvalidated).toBe(true);
    for (const key of ["calendar-feed", "passkeys", "sessions"]) expect(client.getQueryState(["me", key])?.isInvalidated, key).toBe(false);
  });
});
