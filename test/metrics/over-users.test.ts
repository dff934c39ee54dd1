import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  RANKING_METRIC_NAMES,
  averagePrecisionAtK,
  f1AtK,
  hitRateAtK,
  meanOverUsers,
  ndcgAtK,
  precisionAtK,
  rankingMetricsOverUsers,
  recallAtK,
  reciprocalRank,
  type RankingMetricName,
} from "../../src/metrics/index.ts";
import type { Id } from "../../src/core/index.ts";
import { expectError } from "../helpers.ts";

describe("rankingMetricsOverUsers: hand-computed example", () => {
  // ann: list [a, b, c], relevant {a, c}  → hits at 1, 3
  // bob: list [x, y, z], relevant {y}     → hit at 2
  // cy:  list [a], relevant {}            → skipped by default
  // dee: no list, relevant {q}            → every slot a miss
  const lists = new Map<Id, Id[]>([["ann", ["a", "b", "c"]], ["bob", ["x", "y", "z"]], ["cy", ["a"]]]);
  const relevant = new Map<Id, Id[]>([["ann", ["a", "c"]], ["bob", ["y"]], ["cy", []], ["dee", ["q"]]]);

  it("computes per-user values and means by hand (k = 3)", () => {
    const result = rankingMetricsOverUsers(lists, relevant, { k: 3 });
    expect(result.users).toEqual(["ann", "bob", "dee"]);
    expect(result.skippedUsers).toEqual(["cy"]);
    // precision: 2/3, 1/3, 0 → mean 1/3
    expect(Array.from(result.perUser.precision)).toEqual([2 / 3, 1 / 3, 0]);
    expect(result.mean.precision).toBeCloseTo(1 / 3, 15);
    // recall: 1, 1, 0 → 2/3
    expect(result.mean.recall).toBeCloseTo(2 / 3, 15);
    // reciprocal rank: 1, 1/2, 0 → 1/2
    expect(result.mean.reciprocalRank).toBeCloseTo(0.5, 15);
    // AP (min(k, |rel|)): ann (1 + 2/3)/2 = 5/6; bob (1/2)/1; dee 0 → (5/6 + 1/2) / 3 = 4/9
    expect(result.mean.averagePrecision).toBeCloseTo(4 / 9, 15);
    // nDCG: ann (1 + 1/2) / (1 + 1/log2 3); bob (1/log2 3) / 1; dee 0
    const annNdcg = 1.5 / (1 + 1 / Math.log2(3));
    expect(result.perUser.ndcg[0]).toBeCloseTo(annNdcg, 15);
    expect(result.perUser.ndcg[1]).toBeCloseTo(1 / Math.log2(3), 15);
    expect(result.mean.ndcg).toBeCloseTo((annNdcg + 1 / Math.log2(3)) / 3, 15);
    // hit rate 1, 1, 0; f1 = 2·hits/(k + |rel|): 4/5, 2/4, 0
    expect(result.mean.hitRate).toBeCloseTo(2 / 3, 15);
    expect(Array.from(result.perUser.f1)).toEqual([4 / 5, 0.5, 0]);
    // pooled: hits 3 over Σ k = 9; Σ min(k, |rel|) = 2 + 1 + 1 = 4; Σ |rel| = 4
    expect(result.pooled.precision).toBeCloseTo(3 / 9, 15);
    expect(result.pooled.recall).toBeCloseTo(3 / 4, 15);
    expect(rankingMetricsOverUsers(lists, relevant, { k: 3, precisionDenominator: "min-k-relevant" }).pooled.precision).toBeCloseTo(3 / 4, 15);
  });

  it('emptyRelevant: "zero" counts users without relevant items as 0', () => {
    const result = rankingMetricsOverUsers(lists, relevant, { k: 3, emptyRelevant: "zero" });
    expect(result.users).toEqual(["ann", "bob", "cy", "dee"]);
    expect(result.skippedUsers).toEqual([]);
    expect(result.mean.precision).toBeCloseTo(1 / 4, 15);
    for (const name of RANKING_METRIC_NAMES) expect(result.perUser[name][2]).toBe(0);
  });

  it("options.users picks and orders the evaluated users", () => {
    const result = rankingMetricsOverUsers(lists, relevant, { k: 3, users: ["bob", "ann"] });
    expect(result.users).toEqual(["bob", "ann"]);
    expect(Array.from(result.perUser.recall)).toEqual([1, 1]);
  });

  it("users only in lists have no relevant items and are skipped; no users gives NaN means", () => {
    const result = rankingMetricsOverUsers(new Map([["u", ["a"]]]), new Map(), { k: 1 });
    expect(result.users).toEqual([]);
    expect(result.skippedUsers).toEqual(["u"]);
    expect(result.mean.ndcg).toBeNaN();
    expect(result.pooled.precision).toBeNaN();
  });

  it("graded gains per user feed nDCG like ndcgAtK", () => {
    const gains = new Map([["ann", new Map([["a", 1], ["c", 3]])]]);
    const result = rankingMetricsOverUsers(lists, relevant, { k: 3, gains, gain: "exponential" });
    expect(result.perUser.ndcg[0]).toBeCloseTo(ndcgAtK(["a", "b", "c"], ["a", "c"], { k: 3, gains: gains.get("ann")!, gain: "exponential" }), 15);
    // bob has no grades: binary
    expect(result.perUser.ndcg[1]).toBeCloseTo(1 / Math.log2(3), 15);
  });

  it("names the user, the id and the positions of a repeated id", () => {
    expectError(
      () => rankingMetricsOverUsers(new Map([["ann", ["a", "b", "a"]]]), new Map([["ann", ["a"]]]), { k: 2 }),
      "E_DUPLICATE",
      'rankingMetricsOverUsers: lists.get("ann") must not repeat an id, got "a" at positions 0 and 2',
    );
    expectError(() => rankingMetricsOverUsers(lists, relevant, { k: 0 }), "E_BAD_INPUT", "options.k must be an integer >= 1");
    expectError(() => rankingMetricsOverUsers({} as never, relevant, { k: 1 }), "E_BAD_INPUT", "lists must be a Map");
    expectError(
      () => rankingMetricsOverUsers(lists, relevant, { k: 1, emptyRelevant: "drop" as never }),
      "E_BAD_INPUT",
      'options.emptyRelevant must be one of "skip", "zero", got "drop"',
    );
  });
});

describe("meanOverUsers", () => {
  it("skips NaN values by default and counts them as 0 on request", () => {
    expect(meanOverUsers([1, Number.NaN, 0.5])).toBe(0.75);
    expect(meanOverUsers([1, Number.NaN, 0.5], { emptyRelevant: "zero" })).toBe(0.5);
    expect(meanOverUsers([Number.NaN])).toBeNaN();
    expect(meanOverUsers(new Float64Array(0))).toBeNaN();
  });
  it("rejects infinities and non-numbers", () => {
    expectError(() => meanOverUsers([1, Number.POSITIVE_INFINITY]), "E_NON_FINITE", "meanOverUsers: values[1] must be finite or NaN, got Infinity");
    expectError(() => meanOverUsers(["1"] as never), "E_BAD_INPUT", "values[0] must be a number");
  });
  it("uses a compensated sum (0.1 repeated sums exactly to the mean 0.1)", () => {
    expect(meanOverUsers(new Float64Array(1000).fill(0.1))).toBe(0.1);
  });
});

// Random users: lists of distinct ids, relevant subsets (some empty), some users with no list at all.
const userData = fc.array(
  fc.record({
    list: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 25 }), { maxLength: 15 }), { nil: undefined }),
    relevant: fc.option(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 8 }), { nil: undefined }),
    grades: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 31, maxLength: 31 }),
    graded: fc.boolean(),
  }),
  { maxLength: 25 },
);

const perUserFunction: Record<RankingMetricName, (list: Id[], relevant: Id[], k: number, gains?: Map<Id, number>) => number> = {
  precision: (list, relevant, k) => precisionAtK(list, relevant, { k }),
  recall: (list, relevant, k) => recallAtK(list, relevant, { k }),
  f1: (list, relevant, k) => f1AtK(list, relevant, { k }),
  hitRate: (list, relevant, k) => hitRateAtK(list, relevant, { k }),
  ndcg: (list, relevant, k, gains) => ndcgAtK(list, relevant, gains === undefined ? { k } : { k, gains }),
  averagePrecision: (list, relevant, k) => averagePrecisionAtK(list, relevant, { k }),
  reciprocalRank: (list, relevant, k) => reciprocalRank(list, relevant, { k }),
};

describe("rankingMetricsOverUsers: properties", () => {
  it("per-user values equal the per-user functions and means equal the mean of per-user values", () => {
    fc.assert(
      fc.property(userData, fc.integer({ min: 1, max: 20 }), fc.constantFrom("skip" as const, "zero" as const), (data, k, policy) => {
        const lists = new Map<Id, Id[]>();
        const relevant = new Map<Id, Id[]>();
        const gains = new Map<Id, Map<Id, number>>();
        data.forEach((user, u) => {
          if (user.list !== undefined) lists.set(u, user.list);
          if (user.relevant !== undefined) relevant.set(u, user.relevant);
          if (user.graded) gains.set(u, new Map(user.grades.map((g, item) => [item, g])));
        });
        const result = rankingMetricsOverUsers(lists, relevant, { k, emptyRelevant: policy, gains });
        expect(result.users.length + result.skippedUsers.length).toBe(new Set([...lists.keys(), ...relevant.keys()]).size);
        for (const name of RANKING_METRIC_NAMES) {
          const values = result.perUser[name];
          expect(values.length).toBe(result.users.length);
          const expected = result.users.map((user) => {
            const list = lists.get(user) ?? [];
            const rel = relevant.get(user) ?? [];
            if (new Set(rel).size === 0) return 0; // only present with "zero"
            return perUserFunction[name](list, rel, k, gains.get(user));
          });
          values.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
          const mean = result.mean[name];
          if (values.length === 0) expect(mean).toBeNaN();
          else expect(mean).toBeCloseTo(values.reduce((s, v) => s + v, 0) / values.length, 12);
          // meanOverUsers over the per-user functions' raw output (NaN for empty relevant) gives the same mean
          const raw = [...new Set([...lists.keys(), ...relevant.keys()])].map((user) =>
            perUserFunction[name](lists.get(user) ?? [], relevant.get(user) ?? [], k, gains.get(user)),
          );
          const viaMean = meanOverUsers(raw, { emptyRelevant: policy });
          if (Number.isNaN(mean)) expect(viaMean).toBeNaN();
          else expect(viaMean).toBeCloseTo(mean, 12);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
