import type { Threshold } from "@samakki/shared/statements";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CountedBallot, computeOutcome, type Rules } from "../outcome.ts";

/** Properties of the vote outcome that must hold for every vote, not just the examples of outcome.test.ts. */

const ballot = fc.record({ choice: fc.constantFrom("endorse" as const, "object" as const, "abstain" as const), named: fc.boolean() });
const threshold = fc.constantFrom<Threshold>("majority", "two_thirds", "consensus");
/** Quorums as stored: three decimals, 0..1. */
const quorum = fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000);
const rules = fc.record({ quorum, threshold });
/** A vote: eligible organisations, at most one counted ballot each. */
const vote = fc
  .array(ballot, { maxLength: 40 })
  .chain((ballots) => fc.record({ eligible: fc.integer({ min: ballots.length, max: 60 }), ballots: fc.constant(ballots), rules }));

const count = (ballots: readonly CountedBallot[], choice: CountedBallot["choice"]) => ballots.filter((b) => b.choice === choice).length;
const RANK = { no_quorum: 0, rejected: 1, adopted: 2 } as const;

describe("computeOutcome (properties)", () => {
  it("tallies every ballot once: endorse + object + abstain = cast, named + anonymous = endorse", () => {
    fc.assert(
      fc.property(vote, ({ eligible, ballots, rules }) => {
        const { tally } = computeOutcome(eligible, ballots, rules);
        expect(tally.cast).toBe(ballots.length);
        expect(tally.endorse + tally.object + tally.abstain).toBe(tally.cast);
        expect(tally.named + tally.anonymous).toBe(tally.endorse);
        expect(tally.named).toBe(ballots.filter((b) => b.choice === "endorse" && b.named).length);
        expect(tally.anonymous).toBeGreaterThanOrEqual(0);
        expect(tally.eligible).toBe(eligible);
      }),
    );
  });

  it("does not depend on the order in which ballots were cast", () => {
    fc.assert(
      fc.property(
        vote.chain((v) => fc.record({ v: fc.constant(v), shuffled: fc.shuffledSubarray(v.ballots, { minLength: v.ballots.length }) })),
        ({ v, shuffled }) => {
          expect(computeOutcome(v.eligible, shuffled, v.rules)).toEqual(computeOutcome(v.eligible, v.ballots, v.rules));
        },
      ),
    );
  });

  it("reaches the quorum exactly when cast / eligible ≥ quorum (exact rational comparison), never with no eligible organisation", () => {
    fc.assert(
      fc.property(vote, ({ eligible, ballots, rules }) => {
        const { outcome, tally } = computeOutcome(eligible, ballots, rules);
        const q = Math.round(rules.quorum * 1000);
        const expected = eligible > 0 && ballots.length * 1000 >= q * eligible;
        expect(tally.quorumMet).toBe(expected);
        expect(outcome === "no_quorum").toBe(!expected);
      }),
    );
    fc.assert(
      fc.property(fc.array(ballot, { maxLength: 5 }), rules, (ballots, r) => {
        expect(computeOutcome(0, ballots, r).outcome).toBe("no_quorum");
      }),
    );
  });

  it("counts a turnout exactly at the quorum as reached, and one thousandth short as not", () => {
    const divisorsOf1000 = fc.constantFrom(1, 2, 4, 5, 8, 10, 20, 25, 40, 50);
    fc.assert(
      fc.property(
        divisorsOf1000.chain((eligible) => fc.record({ eligible: fc.constant(eligible), cast: fc.integer({ min: 1, max: eligible }) })),
        threshold,
        ({ eligible, cast }, t) => {
          const ballots = Array.from({ length: cast }, () => ({ choice: "abstain" as const, named: true }));
          const exact = (cast * 1000) / eligible;
          expect(computeOutcome(eligible, ballots, { quorum: exact / 1000, threshold: t }).tally.quorumMet).toBe(true);
          if (exact < 1000)
            expect(computeOutcome(eligible, ballots, { quorum: (exact + 1) / 1000, threshold: t }).tally.quorumMet).toBe(false);
        },
      ),
    );
  });

  it("decides by the threshold's definition once the quorum is met", () => {
    fc.assert(
      fc.property(vote, ({ eligible, ballots, rules }) => {
        const { outcome, tally } = computeOutcome(eligible, ballots, rules);
        if (!tally.quorumMet) return;
        const e = count(ballots, "endorse");
        const o = count(ballots, "object");
        const adopted = { majority: e > o, two_thirds: e > 0 && 3 * e >= 2 * (e + o), consensus: o === 0 && e >= 1 }[rules.threshold];
        expect(outcome).toBe(adopted ? "adopted" : "rejected");
      }),
    );
  });

  it("never adopts a tie by majority, and adopts exactly two thirds by two_thirds (boundaries)", () => {
    const met = { quorum: 0 };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 10 }), (n, abstain) => {
        const tie = [
          ...Array.from({ length: n }, () => ({ choice: "endorse" as const, named: true })),
          ...Array.from({ length: n }, () => ({ choice: "object" as const, named: true })),
          ...Array.from({ length: abstain }, () => ({ choice: "abstain" as const, named: true })),
        ];
        const eligible = Math.max(1, tie.length);
        expect(computeOutcome(eligible, tie, { ...met, threshold: "majority" }).outcome).toBe("rejected");
        // 2n endorsements against n objections is exactly two thirds: adopted; 2n - 1 is not.
        const twoThirds = [...tie, ...Array.from({ length: n }, () => ({ choice: "endorse" as const, named: false }))];
        const twoThirdsOutcome = computeOutcome(Math.max(1, twoThirds.length), twoThirds, { ...met, threshold: "two_thirds" }).outcome;
        expect(twoThirdsOutcome).toBe(n > 0 ? "adopted" : "rejected");
        if (n > 0) {
          const lessThan = [...tie, ...Array.from({ length: n - 1 }, () => ({ choice: "endorse" as const, named: true }))];
          expect(computeOutcome(Math.max(1, lessThan.length), lessThan, { ...met, threshold: "two_thirds" }).outcome).toBe("rejected");
        }
      }),
    );
  });

  it("orders the thresholds: adopted by consensus ⇒ by two thirds ⇒ by majority", () => {
    fc.assert(
      fc.property(vote, ({ eligible, ballots, rules: { quorum } }) => {
        const adopted = (t: Threshold) => computeOutcome(eligible, ballots, { quorum, threshold: t }).outcome === "adopted";
        if (adopted("consensus")) expect(adopted("two_thirds")).toBe(true);
        if (adopted("two_thirds")) expect(adopted("majority")).toBe(true);
      }),
    );
  });

  it("is monotonic: one more endorsement never hurts, one more objection never helps, and a higher quorum is never easier", () => {
    const withRoom = vote.filter((v) => v.ballots.length < v.eligible);
    fc.assert(
      fc.property(withRoom, fc.boolean(), ({ eligible, ballots, rules }, named) => {
        const before = RANK[computeOutcome(eligible, ballots, rules).outcome];
        const endorsed = RANK[computeOutcome(eligible, [...ballots, { choice: "endorse", named }], rules).outcome];
        const objected = computeOutcome(eligible, [...ballots, { choice: "object", named }], rules);
        expect(endorsed).toBeGreaterThanOrEqual(before);
        // An objection adds to the turnout (it may reach the quorum) but can never turn a rejection into an adoption.
        if (before >= RANK.rejected) expect(RANK[objected.outcome]).toBeLessThanOrEqual(before);
        // An abstention never changes the decision once the quorum is met.
        const abstained = computeOutcome(eligible, [...ballots, { choice: "abstain", named }], rules);
        if (before >= RANK.rejected) expect(abstained.outcome).toBe(computeOutcome(eligible, ballots, rules).outcome);
      }),
    );
    fc.assert(
      fc.property(vote, quorum, ({ eligible, ballots, rules }, other) => {
        const [low, high] = rules.quorum <= other ? [rules.quorum, other] : [other, rules.quorum];
        const metHigh = computeOutcome(eligible, ballots, { ...rules, quorum: high }).tally.quorumMet;
        if (metHigh) expect(computeOutcome(eligible, ballots, { ...rules, quorum: low }).tally.quorumMet).toBe(true);
      }),
    );
  });

  it("at a unanimous full turnout, endorsements adopt and objections reject under every threshold and quorum", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), rules, fc.constantFrom("endorse" as const, "object" as const), (n, r: Rules, choice) => {
        const all = Array.from({ length: n }, () => ({ choice, named: true }));
        expect(computeOutcome(n, all, r).outcome).toBe(choice === "endorse" ? "adopted" : "rejected");
      }),
    );
  });
});
