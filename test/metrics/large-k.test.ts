// Work and memory scale with the lists and the relevant sets, not with k (issue: `ndcgAtK(…, { k: 1e8 })` reserved
// 1 GB). Each call below with k = 1e9 must stay within 200 MB of new memory; the values are the small-k values with
// the k-dependent denominators.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  averagePrecisionAtK,
  f1AtK,
  hitRateAtK,
  ndcgAtK,
  precisionAtK,
  rankingMetricsOverUsers,
  recallAtK,
  reciprocalRank,
} from "../../src/metrics/index.ts";
import { createInteractions } from "../../src/data/index.ts";
import { evaluateRanking } from "../../src/evaluation/index.ts";
import { fitPopularity, popularityRecommender } from "../../src/baselines/index.ts";

const HUGE = 1e9;

function newMemory(run: () => unknown): number {
  const before = process.memoryUsage();
  run();
  const after = process.memoryUsage();
  return after.rss - before.rss + (after.arrayBuffers - before.arrayBuffers);
}

describe("ranking metrics with a huge k", () => {
  it("allocate by the list, not by k (regression: k = 1e8 reserved 1 GB)", () => {
    const list = ["a", "b", "c"];
    const relevant = ["b", "z"];
    const memory = newMemory(() => {
      expect(precisionAtK(list, relevant, { k: HUGE })).toBe(1 / HUGE);
      expect(recallAtK(list, relevant, { k: HUGE })).toBe(0.5);
      expect(f1AtK(list, relevant, { k: HUGE })).toBe(2 / (HUGE + 2));
      expect(hitRateAtK(list, relevant, { k: HUGE })).toBe(1);
      expect(ndcgAtK(list, relevant, { k: HUGE })).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 12);
      expect(averagePrecisionAtK(list, relevant, { k: HUGE })).toBe(0.5 / 2);
      expect(reciprocalRank(list, relevant, { k: HUGE })).toBe(0.5);
      const over = rankingMetricsOverUsers(new Map([["u", list]]), new Map([["u", relevant]]), { k: HUGE });
      expect(over.mean.ndcg).toBeCloseTo(ndcgAtK(list, relevant, { k: 3 }), 12);
      const train = createInteractions([{ user: "u", item: "a" }, { user: "v", item: "b" }, { user: "v", item: "c" }]);
      const test = createInteractions([{ user: "u", item: "b" }]);
      expect(evaluateRanking(popularityRecommender(fitPopularity(train)), test, { k: HUGE, metrics: ["ndcg"] }).mean[`ndcg@${HUGE}`]).toBe(1);
    });
    expect(memory).toBeLessThan(200e6);
  });

  it("property: with k at or beyond the list, every metric but the k-denominators equals its value at k = list length", () => {
    const ids = fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(ids, ids, fc.integer({ min: 0, max: 1e6 }), (list, relevant, extra) => {
        const k = list.length + extra;
        const n = list.length;
        expect(recallAtK(list, relevant, { k })).toBe(recallAtK(list, relevant, { k: n }));
        expect(hitRateAtK(list, relevant, { k })).toBe(hitRateAtK(list, relevant, { k: n }));
        expect(reciprocalRank(list, relevant, { k })).toBe(reciprocalRank(list, relevant, { k: n }));
        expect(precisionAtK(list, relevant, { k }) * k).toBeCloseTo(precisionAtK(list, relevant, { k: n }) * n, 9);
        // nDCG's ideal may use more ranks than the list holds: compare with a direct computation.
        const set = new Set(relevant);
        let dcg = 0;
        list.forEach((item, i) => (dcg += set.has(item) ? 1 / Math.log2(i + 2) : 0));
        let ideal = 0;
        for (let i = 0; i < Math.min(k, set.size); i++) ideal += 1 / Math.log2(i + 2);
        expect(ndcgAtK(list, relevant, { k })).toBeCloseTo(dcg / ideal, 12);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("other size options are bounded by the data or a documented maximum", () => {
  it("expectedCalibrationError with a billion bins equals the sparse computation; a bootstrap caps resamples at a million", async () => {
    const { expectedCalibrationError } = await import("../../src/metrics/index.ts");
    const { bootstrapConfidenceInterval } = await import("../../src/evaluation/index.ts");
    const probabilities = [0.1, 0.35, 0.35, 0.8, 0.95];
    const labels = [0, 1, 0, 1, 1];
    const memory = newMemory(() => {
      // Every distinct probability in its own bin: the two 0.35s share one (positive rate 0.5).
      const expected = (0.1 + 2 * Math.abs(0.5 - 0.35) + 0.2 + 0.05) / 5;
      expect(expectedCalibrationError(probabilities, labels, { bins: HUGE })).toBeCloseTo(expected, 12);
      expect(() => bootstrapConfidenceInterval([1, 2, 3], { seed: 1, resamples: HUGE })).toThrow("options.resamples must be an integer in [1, 1000000], got 1000000000");
    });
    expect(memory).toBeLessThan(200e6);
    expect(expectedCalibrationError(probabilities, labels, { bins: 2 })).toBeCloseTo((3 / 5) * Math.abs(1 / 3 - 0.8 / 3) + (2 / 5) * Math.abs(1 - 0.875), 12);
  });
});

describe("ids in ranking metrics", () => {
  it("reject NaN and non-id entries, naming the position (a NaN id never matches, so it was a silent miss)", async () => {
    const { ndcgAtK, rankingMetricsOverUsers } = await import("../../src/metrics/index.ts");
    expect(() => ndcgAtK(["a", Number.NaN], ["a"], { k: 2 })).toThrow("ndcgAtK: recommended[1] must be an id (a string or a finite number), got NaN");
    expect(() => ndcgAtK(["a"], [Number.NaN], { k: 2 })).toThrow("ndcgAtK: relevant[0] must be an id");
    expect(() => ndcgAtK(["a"], new Set([{}] as never[]), { k: 2 })).toThrow("ndcgAtK: relevant[0] must be an id");
    expect(() => rankingMetricsOverUsers(new Map([["u", ["a", Number.NaN]]]), new Map([["u", ["a"]]]), { k: 2 })).toThrow('rankingMetricsOverUsers: lists.get("u")[1] must be an id');
  });
});

