import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  averagePrecisionAtK,
  f1AtK,
  hitRateAtK,
  ndcgAtK,
  precisionAtK,
  recallAtK,
  reciprocalRank,
} from "../../src/metrics/index.ts";
import { expectError } from "../helpers.ts";

// Arbitraries: a ranked list of distinct ids from a small pool (so hits are frequent), relevant ids from the same
// pool plus ids no list can contain (relevant items absent from the catalog), and a cutoff.
const pool = 30;
const rankedList = fc.uniqueArray(fc.integer({ min: 0, max: pool - 1 }), { maxLength: 25 });
const relevantIds = fc.array(fc.integer({ min: 0, max: pool + 5 }), { maxLength: 15 });
const cutoff = fc.integer({ min: 1, max: 30 });

describe("per-user ranking metrics: hand-computed examples", () => {
  // Shared example: recommended a b c d e, relevant {a, c, f} ("f" was never recommended).
  // Hits at ranks 1 and 3.
  const recommended = ["a", "b", "c", "d", "e"];
  const relevant = new Set(["a", "c", "f"]);

  it("precisionAtK is hits / k, or hits / min(k, |relevant|) with implicit's denominator", () => {
    expect(precisionAtK(recommended, relevant, { k: 3 })).toBeCloseTo(2 / 3, 15); // 2 hits in 3 slots
    expect(precisionAtK(recommended, relevant, { k: 5 })).toBeCloseTo(2 / 5, 15);
    expect(precisionAtK(recommended, relevant, { k: 1 })).toBe(1);
    expect(precisionAtK(recommended, relevant, { k: 5, denominator: "min-k-relevant" })).toBeCloseTo(2 / 3, 15);
    expect(precisionAtK(recommended, relevant, { k: 2, denominator: "min-k-relevant" })).toBe(0.5); // 1 / min(2, 3)
  });

  it("a list shorter than k counts the missing slots as misses", () => {
    expect(precisionAtK(["a"], relevant, { k: 4 })).toBe(0.25); // 1 hit / 4 slots, not 1 / 1
    expect(ndcgAtK(["a"], ["a", "c"], { k: 4 })).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 15);
  });

  it("recallAtK is hits / |relevant|, with relevant items outside any list still counted", () => {
    expect(recallAtK(recommended, relevant, { k: 1 })).toBeCloseTo(1 / 3, 15);
    expect(recallAtK(recommended, relevant, { k: 5 })).toBeCloseTo(2 / 3, 15); // "f" is missed
  });

  it("f1AtK is the harmonic mean of precision and recall", () => {
    // k = 3: P = 2/3, R = 2/3 → F1 = 2/3; k = 5: P = 2/5, R = 2/3 → 2·(4/15)/(16/15) = 1/2
    expect(f1AtK(recommended, relevant, { k: 3 })).toBeCloseTo(2 / 3, 15);
    expect(f1AtK(recommended, relevant, { k: 5 })).toBeCloseTo(0.5, 15);
    expect(f1AtK(["x", "y"], relevant, { k: 2 })).toBe(0);
  });

  it("hitRateAtK is 1 when any relevant item is in the top k", () => {
    expect(hitRateAtK(["b", "c"], relevant, { k: 1 })).toBe(0);
    expect(hitRateAtK(["b", "c"], relevant, { k: 2 })).toBe(1);
  });

  it("ndcgAtK (binary) uses gain 1 and the 1/log2(rank + 1) discount, IDCG truncated at k", () => {
    // DCG@5 = 1/log2(2) + 1/log2(4) = 1.5; IDCG@5 (3 relevant) = 1 + 1/log2(3) + 1/log2(4) = 2.1309298
    expect(ndcgAtK(recommended, relevant, { k: 5 })).toBeCloseTo(1.5 / (1.5 + 1 / Math.log2(3)), 15);
    // k = 2: DCG = 1; IDCG = 1 + 1/log2(3)
    expect(ndcgAtK(recommended, relevant, { k: 2 })).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 15);
  });

  it("ndcgAtK (graded) reproduces Wikipedia's worked DCG example: 6.861 / 8.740 = 0.785", () => {
    // Wikipedia, "Discounted cumulative gain", Example: documents D1..D6 ranked with relevance 3, 2, 3, 0, 1, 2;
    // D7 (3) and D8 (2) are relevant but not retrieved, so the ideal top 6 is 3, 3, 3, 2, 2, 2.
    // DCG6 = 6.861, IDCG6 = 8.740, nDCG6 = 0.785 (linear gains, log2(i + 1) discount).
    const grades = new Map([["D1", 3], ["D2", 2], ["D3", 3], ["D4", 0], ["D5", 1], ["D6", 2], ["D7", 3], ["D8", 2]]);
    const value = ndcgAtK(["D1", "D2", "D3", "D4", "D5", "D6"], [...grades.keys()], { k: 6, gains: grades });
    expect(value).toBeCloseTo(6.8611 / 8.7403, 3);
    expect(value.toFixed(3)).toBe("0.785");
  });

  it("ndcgAtK (graded) reproduces sklearn's ndcg_score documentation example (0.69...)", () => {
    // sklearn.metrics.ndcg_score docs: true_relevance [10, 0, 0, 1, 5], scores [.1, .2, .3, 4, 70] → 0.69...
    // Ranked by score: i4 (5), i3 (1), i2 (0), i1 (0), i0 (10). DCG = 5 + 1/log2 3 + 10/log2 6 = 9.4994;
    // IDCG = 10 + 5/log2 3 + 1/2 = 13.6546; ratio 0.69569.
    const grades = new Map([["i0", 10], ["i1", 0], ["i2", 0], ["i3", 1], ["i4", 5]]);
    const value = ndcgAtK(["i4", "i3", "i2", "i1", "i0"], ["i0", "i3", "i4"], { k: 5, gains: grades });
    expect(value).toBeCloseTo(0.69569, 5);
  });

  it("ndcgAtK exponential gains use 2^grade − 1", () => {
    // grades a: 2, c: 1 → gains 3, 1. List a b c: DCG = 3 + 1/2 = 3.5; IDCG = 3 + 1/log2(3)
    const gains = new Map([["a", 2], ["c", 1]]);
    expect(ndcgAtK(["a", "b", "c"], ["a", "c"], { k: 3, gains, gain: "exponential" })).toBeCloseTo(
      3.5 / (3 + 1 / Math.log2(3)),
      15,
    );
    // linear: DCG = 2 + 1/2; IDCG = 2 + 1/log2(3)
    expect(ndcgAtK(["a", "b", "c"], ["a", "c"], { k: 3, gains })).toBeCloseTo(2.5 / (2 + 1 / Math.log2(3)), 15);
  });

  it("ndcgAtK is 0 when every relevant grade is 0 (sklearn's convention)", () => {
    expect(ndcgAtK(["a"], ["a"], { k: 1, gains: new Map([["a", 0]]) })).toBe(0);
  });

  it("averagePrecisionAtK divides by min(k, |relevant|) by default, or by |relevant|", () => {
    // hits at ranks 1 and 3: precisions 1/1 and 2/3, sum 5/3
    expect(averagePrecisionAtK(recommended, relevant, { k: 5 })).toBeCloseTo(5 / 3 / 3, 15);
    expect(averagePrecisionAtK(recommended, relevant, { k: 2 })).toBeCloseTo(1 / 2, 15); // 1 / min(2, 3)
    expect(averagePrecisionAtK(recommended, relevant, { k: 2, denominator: "relevant" })).toBeCloseTo(1 / 3, 15);
  });

  it("reciprocalRank is 1 / rank of the first hit, within k when given", () => {
    expect(reciprocalRank(["b", "c", "a"], relevant)).toBe(0.5);
    expect(reciprocalRank(["b", "c", "a"], relevant, { k: 1 })).toBe(0);
    expect(reciprocalRank(["b", "d"], relevant)).toBe(0);
  });

  it("every per-user metric is NaN for a user without relevant items", () => {
    for (const metric of [precisionAtK, recallAtK, f1AtK, hitRateAtK, ndcgAtK, averagePrecisionAtK]) {
      expect(metric(["a"], [], { k: 1 })).toBeNaN();
    }
    expect(reciprocalRank(["a"], new Set())).toBeNaN();
  });

  it("does not mutate its inputs", () => {
    const list = ["a", "b"];
    const set = new Set(["a"]);
    const gains = new Map([["a", 2]]);
    ndcgAtK(list, set, { k: 2, gains });
    precisionAtK(list, set, { k: 2 });
    expect(list).toEqual(["a", "b"]);
    expect([...set]).toEqual(["a"]);
    expect([...gains]).toEqual([["a", 2]]);
  });
});

describe("per-user ranking metrics: caller bugs", () => {
  it("rejects k <= 0 and non-integer k", () => {
    expectError(() => precisionAtK(["a"], ["a"], { k: 0 }), "E_BAD_INPUT", "precisionAtK: options.k must be an integer >= 1, got 0");
    expectError(() => recallAtK(["a"], ["a"], { k: 2.5 }), "E_BAD_INPUT", "recallAtK: options.k must be an integer >= 1, got 2.5");
    expectError(() => reciprocalRank(["a"], ["a"], { k: -1 }), "E_BAD_INPUT", "reciprocalRank: options.k");
    expectError(() => ndcgAtK(["a"], ["a"], undefined as never), "E_BAD_INPUT", "ndcgAtK: options must be an object");
  });

  it("rejects a ranked list that repeats an id, naming the id and both positions", () => {
    expectError(
      () => ndcgAtK(["a", "b", "c", "b"], ["a"], { k: 2 }),
      "E_DUPLICATE",
      'ndcgAtK: recommended must not repeat an id, got "b" at positions 1 and 3',
    );
    // long lists take the Map path
    const long = Array.from({ length: 100 }, (_, i) => i);
    long[90] = 7;
    expectError(() => hitRateAtK(long, [1], { k: 5 }), "E_DUPLICATE", "got 7 at positions 7 and 90");
  });

  it("rejects a relevant argument that is neither a Set nor an array, and unknown option values", () => {
    expectError(() => precisionAtK(["a"], "a" as never, { k: 1 }), "E_BAD_INPUT", "precisionAtK: relevant must be a Set or an array of ids");
    expectError(
      () => precisionAtK(["a"], ["a"], { k: 1, denominator: "relevant" as never }),
      "E_BAD_INPUT",
      'precisionAtK: options.denominator must be one of "k", "min-k-relevant", got "relevant"',
    );
    expectError(() => ndcgAtK(["a"], ["a"], { k: 1, gain: "log" as never }), "E_BAD_INPUT", "options.gain");
  });

  it("rejects graded relevance without a grade for a relevant item, or with a bad grade", () => {
    expectError(
      () => ndcgAtK(["a"], ["a", "b"], { k: 1, gains: new Map([["a", 1]]) }),
      "E_BAD_INPUT",
      'ndcgAtK: options.gains must have a gain for every relevant item, got none for "b"',
    );
    expectError(() => ndcgAtK(["a"], ["a"], { k: 1, gains: new Map([["a", Number.NaN]]) }), "E_NON_FINITE", 'options.gains.get("a")');
    expectError(() => ndcgAtK(["a"], ["a"], { k: 1, gains: new Map([["a", -1]]) }), "E_BAD_INPUT", "must be a finite number >= 0, got -1");
  });
});

describe("per-user ranking metrics: properties", () => {
  it("every metric lies in [0, 1] (or is NaN exactly when relevant is empty)", () => {
    fc.assert(
      fc.property(rankedList, relevantIds, cutoff, (list, relevant, k) => {
        const values = [
          precisionAtK(list, relevant, { k }),
          precisionAtK(list, relevant, { k, denominator: "min-k-relevant" }),
          recallAtK(list, relevant, { k }),
          f1AtK(list, relevant, { k }),
          hitRateAtK(list, relevant, { k }),
          ndcgAtK(list, relevant, { k }),
          averagePrecisionAtK(list, relevant, { k }),
          averagePrecisionAtK(list, relevant, { k, denominator: "relevant" }),
          reciprocalRank(list, relevant, { k }),
        ];
        for (const value of values) {
          if (relevant.length === 0) expect(value).toBeNaN();
          else {
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(1 + 1e-12);
          }
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("ndcgAtK is 1 for an ideal ranking, binary and graded", () => {
    fc.assert(
      fc.property(
        // up to 45 relevant items: both the insertion-sort (<= 32) and native-sort paths of the ideal order
        fc.uniqueArray(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 45 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 45, maxLength: 45 }),
        fc.array(fc.integer({ min: 51, max: 80 }), { maxLength: 10 }),
        fc.integer({ min: 1, max: 60 }),
        (relevant, grades, others, k) => {
          const gains = new Map(relevant.map((id, i) => [id, grades[i]!]));
          const ideal = [...relevant].sort((a, b) => gains.get(b)! - gains.get(a)!);
          const list = [...ideal, ...new Set(others)];
          expect(ndcgAtK(list, relevant, { k })).toBeCloseTo(1, 12);
          expect(ndcgAtK(list, relevant, { k, gains })).toBeCloseTo(1, 12);
          expect(ndcgAtK(list, relevant, { k, gains, gain: "exponential" })).toBeCloseTo(1, 12);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("recallAtK and hitRateAtK are non-decreasing in k", () => {
    fc.assert(
      fc.property(rankedList, fc.array(fc.integer({ min: 0, max: pool + 5 }), { minLength: 1, maxLength: 15 }), (list, relevant) => {
        let previousRecall = 0;
        let previousHit = 0;
        for (let k = 1; k <= 30; k++) {
          const recall = recallAtK(list, relevant, { k });
          const hit = hitRateAtK(list, relevant, { k });
          expect(recall).toBeGreaterThanOrEqual(previousRecall);
          expect(hit).toBeGreaterThanOrEqual(previousHit);
          previousRecall = recall;
          previousHit = hit;
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("precision and recall do not depend on the order of relevant, nor on Set vs array", () => {
    fc.assert(
      fc.property(rankedList, relevantIds, cutoff, fc.integer(), (list, relevant, k, salt) => {
        const shuffled = [...relevant].sort((a, b) => ((a * 7919 + salt) % 101) - ((b * 7919 + salt) % 101));
        const set = new Set(relevant);
        for (const metric of [precisionAtK, recallAtK, averagePrecisionAtK, ndcgAtK]) {
          const a = metric(list, relevant, { k });
          expect(metric(list, shuffled, { k })).toEqual(a);
          expect(metric(list, set, { k })).toEqual(a);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("f1AtK equals 2PR / (P + R) of precision@k and recall@k", () => {
    fc.assert(
      fc.property(rankedList, fc.array(fc.integer({ min: 0, max: pool + 5 }), { minLength: 1, maxLength: 15 }), cutoff, (list, relevant, k) => {
        const p = precisionAtK(list, relevant, { k });
        const r = recallAtK(list, relevant, { k });
        const expected = p + r === 0 ? 0 : (2 * p * r) / (p + r);
        expect(f1AtK(list, relevant, { k })).toBeCloseTo(expected, 12);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("binary ndcgAtK equals graded ndcgAtK with every grade 1", () => {
    fc.assert(
      fc.property(rankedList, fc.array(fc.integer({ min: 0, max: pool + 5 }), { minLength: 1, maxLength: 15 }), cutoff, (list, relevant, k) => {
        const gains = new Map(relevant.map((id) => [id, 1]));
        expect(ndcgAtK(list, relevant, { k, gains })).toBeCloseTo(ndcgAtK(list, relevant, { k }), 12);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
