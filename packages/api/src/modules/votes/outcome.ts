import type { Choice, Outcome, Tally, Threshold } from "@samakki/shared/statements";

export interface CountedBallot {
  choice: Choice;
  named: boolean;
}

export interface Rules {
  /** Share of eligible organisations that must cast any ballot, 0..1. */
  quorum: number;
  threshold: Threshold;
}

/**
 * The outcome of a vote from its counted ballots alone (product.md, "Vote"):
 * - quorum: cast / eligible ≥ quorum (exactly at the quorum counts as reached); no eligible
 *   organisations means no quorum;
 * - majority: endorse > object;
 * - two_thirds: endorse ≥ ⅔ × (endorse + object), with at least one endorsement;
 * - consensus: no objection and at least one endorsement.
 * Integer arithmetic only, so boundaries are exact.
 */
export function computeOutcome(eligible: number, ballots: readonly CountedBallot[], rules: Rules): { outcome: Outcome; tally: Tally } {
  const endorse = ballots.filter((b) => b.choice === "endorse").length;
  const object = ballots.filter((b) => b.choice === "object").length;
  const abstain = ballots.filter((b) => b.choice === "abstain").length;
  const named = ballots.filter((b) => b.choice === "endorse" && b.named).length;
  const cast = ballots.length;
  // Compare cast/eligible ≥ quorum in thousandths (quorum is stored with three decimals).
  const quorumThousandths = Math.round(rules.quorum * 1000);
  const quorumMet = eligible > 0 && cast * 1000 >= quorumThousandths * eligible;
  const tally: Tally = { eligible, cast, endorse, object, abstain, named, anonymous: endorse - named, quorumMet };
  if (!quorumMet) return { outcome: "no_quorum", tally };
  let adopted: boolean;
  switch (rules.threshold) {
    case "majority":
      adopted = endorse > object;
      break;
    case "two_thirds":
      adopted = endorse > 0 && 3 * endorse >= 2 * (endorse + object);
      break;
    case "consensus":
      adopted = object === 0 && endorse >= 1;
      break;
  }
  return { outcome: adopted ? "adopted" : "rejected", tally };
}
