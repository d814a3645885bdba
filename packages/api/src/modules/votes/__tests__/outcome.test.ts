import { describe, expect, it } from "vitest";
import { type CountedBallot, computeOutcome } from "../outcome.ts";

const ballots = (endorse: number, object: number, abstain: number, anonymous = 0): CountedBallot[] => [
  ...Array.from({ length: endorse }, (_, i) => ({ choice: "endorse" as const, named: i >= anonymous })),
  ...Array.from({ length: object }, () => ({ choice: "object" as const, named: true })),
  ...Array.from({ length: abstain }, () => ({ choice: "abstain" as const, named: true })),
];

describe("computeOutcome", () => {
  it("reaches the quorum exactly at the boundary, and not one ballot below", () => {
    expect(computeOutcome(10, ballots(5, 0, 0), { quorum: 0.5, threshold: "majority" }).outcome).toBe("adopted");
    expect(computeOutcome(10, ballots(4, 0, 0), { quorum: 0.5, threshold: "majority" }).outcome).toBe("no_quorum");
    // 2 of 3 is 66.7 %, a quorum of 2/3 stored as 0.667 is not reached; 0.666 is.
    expect(computeOutcome(3, ballots(2, 0, 0), { quorum: 0.667, threshold: "majority" }).outcome).toBe("no_quorum");
    expect(computeOutcome(3, ballots(2, 0, 0), { quorum: 0.666, threshold: "majority" }).outcome).toBe("adopted");
    expect(computeOutcome(7, ballots(0, 0, 7), { quorum: 1, threshold: "majority" }).tally.quorumMet).toBe(true);
  });

  it("counts abstentions toward the quorum but not the threshold", () => {
    const result = computeOutcome(10, ballots(1, 0, 5), { quorum: 0.5, threshold: "majority" });
    expect(result.outcome).toBe("adopted");
    expect(result.tally).toEqual({ eligible: 10, cast: 6, endorse: 1, object: 0, abstain: 5, named: 1, anonymous: 0, quorumMet: true });
  });

  it("majority: endorse must exceed object", () => {
    expect(computeOutcome(4, ballots(2, 2, 0), { quorum: 0.5, threshold: "majority" }).outcome).toBe("rejected");
    expect(computeOutcome(5, ballots(3, 2, 0), { quorum: 0.5, threshold: "majority" }).outcome).toBe("adopted");
  });

  it("two thirds: adopted exactly at two thirds of endorse + object, rejected just below", () => {
    expect(computeOutcome(3, ballots(2, 1, 0), { quorum: 0.5, threshold: "two_thirds" }).outcome).toBe("adopted");
    expect(computeOutcome(12, ballots(5, 3, 4), { quorum: 0.5, threshold: "two_thirds" }).outcome).toBe("rejected");
    expect(computeOutcome(12, ballots(6, 3, 3), { quorum: 0.5, threshold: "two_thirds" }).outcome).toBe("adopted");
  });

  it("consensus: one objection rejects; needs at least one endorsement", () => {
    expect(computeOutcome(10, ballots(9, 1, 0), { quorum: 0.5, threshold: "consensus" }).outcome).toBe("rejected");
    expect(computeOutcome(10, ballots(1, 0, 9), { quorum: 0.5, threshold: "consensus" }).outcome).toBe("adopted");
  });

  it("all abstain is rejected under every threshold", () => {
    for (const threshold of ["majority", "two_thirds", "consensus"] as const) {
      expect(computeOutcome(4, ballots(0, 0, 4), { quorum: 0.5, threshold }).outcome).toBe("rejected");
    }
  });

  it("no ballots, or no eligible organisations, is no quorum (even with a quorum of 0 for the latter)", () => {
    expect(computeOutcome(10, [], { quorum: 0.5, threshold: "majority" }).outcome).toBe("no_quorum");
    expect(computeOutcome(0, [], { quorum: 0, threshold: "majority" }).outcome).toBe("no_quorum");
    expect(computeOutcome(10, [], { quorum: 0, threshold: "majority" }).outcome).toBe("rejected");
  });

  it("separates named and anonymous endorsements", () => {
    expect(computeOutcome(5, ballots(4, 0, 0, 3), { quorum: 0.5, threshold: "majority" }).tally).toMatchObject({
      endorse: 4,
      named: 1,
      anonymous: 3,
    });
  });
});
