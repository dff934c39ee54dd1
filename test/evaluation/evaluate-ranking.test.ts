import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Id } from "../../src/core/id-index.ts";
import { createInteractions, splitRandom, type Interactions } from "../../src/data/index.ts";
import { fitPopularity, fitRandom, popularityRecommender, randomRecommender } from "../../src/baselines/index.ts";
import { evaluateRanking, userValues } from "../../src/evaluation/index.ts";
import type { Recommender } from "../../src/recommend/index.ts";
import { fixedRecommender } from "../recommend/fixtures.ts";
import { expectError } from "../helpers.ts";

// Everyone's scores rank a > b > c > d > e. Seen in training: ann {a}, bob {}, cy {b}. Fallback ranks e first.
const model = fixedRecommender({
  users: ["ann", "bob", "cy"],
  items: ["a", "b", "c", "d", "e"],
  scores: [
    [5, 4, 3, 2, 1],
    [5, 4, 3, 2, 1],
    [5, 4, 3, 2, 1],
  ],
  seen: [[0], [], [1]],
  fallback: [1, 2, 3, 4, 5],
});

// Test: ann {b, d}, bob {c}, cy {a, e}. Lists at k = 3 (seen left out): ann [b, c, d], bob [a, b, c], cy [a, c, d].
const test = createInteractions([
  { user: "ann", item: "b", value: 5 },
  { user: "ann", item: "d", value: 3 },
  { user: "bob", item: "c", value: 4 },
  { user: "cy", item: "a", value: 2 },
  { user: "cy", item: "e", value: 5 },
]);

const log2 = Math.log2;

describe("evaluateRanking: hand-computed", () => {
  it("computes every per-user metric as the literature defines it", () => {
    // ann: hits b@1, d@3 of 2 relevant: P 2/3, R 1, AP (1/1 + 2/3)/min(3, 2) = 5/6, RR 1,
    //      nDCG (1 + 1/log2 4) / (1 + 1/log2 3).
    // bob: hit c@3 of 1: P 1/3, R 1, AP (1/3)/1, RR 1/3, nDCG (1/log2 4)/1 = 0.5.
    // cy:  hit a@1 of 2: P 1/3, R 1/2, AP 1/min(3, 2) = 1/2, RR 1, nDCG 1 / (1 + 1/log2 3).
    const result = evaluateRanking(model, test, { k: 3, metrics: ["precision", "recall", "f1", "hitRate", "ndcg", "map", "mrr"] });
    const idcg2 = 1 + 1 / log2(3);
    const ndcg = [(1 + 1 / log2(4)) / idcg2, 0.5, 1 / idcg2];
    expect(result.columns).toEqual(["precision@3", "recall@3", "f1@3", "hitRate@3", "ndcg@3", "map@3", "mrr@3"]);
    expect(result.perUser.users).toEqual(["ann", "bob", "cy"]);
    const values = result.perUser.values;
    expect(values["precision@3"]).toEqual([2 / 3, 1 / 3, 1 / 3]);
    expect(values["recall@3"]).toEqual([1, 1, 0.5]);
    expect(values["hitRate@3"]).toEqual([1, 1, 1]);
    expect(values["mrr@3"]).toEqual([1, 1 / 3, 1]);
    // F1 = 2 hits / (k + |relevant|): 4/5, 2/4, 2/5
    expect(values["f1@3"]).toEqual([4 / 5, 2 / 4, 2 / 5]);
    values["map@3"]!.forEach((v, j) => expect(v).toBeCloseTo([5 / 6, 1 / 3, 1 / 2][j]!, 15));
    values["ndcg@3"]!.forEach((v, j) => expect(v).toBeCloseTo(ndcg[j]!, 15));
    expect(result.mean["precision@3"]).toBeCloseTo(4 / 9, 15);
    expect(result.mean["recall@3"]).toBeCloseTo(5 / 6, 15);
    expect(result.mean["map@3"]).toBeCloseTo(5 / 9, 15);
    expect(result.mean["mrr@3"]).toBeCloseTo(7 / 9, 15);
    expect(result.mean["ndcg@3"]).toBeCloseTo((ndcg[0]! + ndcg[1]! + ndcg[2]!) / 3, 15);
    expect(result).toMatchObject({
      protocol: "ranking",
      model: "fixed",
      k: [3],
      users: { evaluated: 3, noRelevantItems: 0, unknown: 0 },
      skippedUsers: [],
      excludeSeen: true,
      // ann's a and cy's b were left out.
      excludedSeen: 2,
      relevanceThreshold: null,
      relevantItems: 5,
      unknownRelevantItems: 0,
    });
  });

  it("reports several cutoffs from one set of lists", () => {
    // k = 1: ann [b] hit, bob [a] miss, cy [a] hit: precision@1 = 2/3.
    const result = evaluateRanking(model, test, { k: [3, 1], metrics: ["precision"] });
    expect(result.k).toEqual([1, 3]);
    expect(result.columns).toEqual(["precision@1", "precision@3"]);
    expect(result.mean["precision@1"]).toBeCloseTo(2 / 3, 15);
    expect(result.mean["precision@3"]).toBeCloseTo(4 / 9, 15);
  });

  it("applies the relevance threshold and skips users left without relevant items", () => {
    // >= 4: ann {b}, bob {c}, cy {e}. Lists at 3: ann [b, c, d] hit@1, bob [a, b, c] hit@3, cy [a, c, d] no hit.
    const result = evaluateRanking(model, test, { k: 3, metrics: ["recall"], relevanceThreshold: 4 });
    expect(result.perUser.values["recall@3"]).toEqual([1, 1, 0]);
    expect(result.relevanceThreshold).toBe(4);
    // >= 5: bob has none.
    const strict = evaluateRanking(model, test, { k: 3, metrics: ["recall"], relevanceThreshold: 5 });
    expect(strict.perUser.users).toEqual(["ann", "cy"]);
    expect(strict.skippedUsers).toEqual([{ user: "bob", reason: "no-relevant-items" }]);
    expect(strict.users).toEqual({ evaluated: 2, noRelevantItems: 1, unknown: 0 });
  });

  it("leaves seen items in the lists only when asked", () => {
    // excludeSeen false: ann [a, b, c] hits b@2; cy [a, b, c] hits a@1.
    const result = evaluateRanking(model, test, { k: 3, metrics: ["mrr"], excludeSeen: false });
    expect(result.perUser.values["mrr@3"]).toEqual([0.5, 1 / 3, 1]);
    expect(result).toMatchObject({ excludeSeen: false, excludedSeen: 0 });
  });

  it("skips unknown users by default, or evaluates them on the fallback list", () => {
    const withCold = createInteractions([
      { user: "ann", item: "b" },
      { user: "dan", item: "e" },
      { user: "dan", item: "zz" },
    ]);
    const skipped = evaluateRanking(model, withCold, { k: 1, metrics: ["recall"] });
    expect(skipped.perUser.users).toEqual(["ann"]);
    expect(skipped.skippedUsers).toEqual([{ user: "dan", reason: "unknown-user" }]);
    expect(skipped.users).toEqual({ evaluated: 1, noRelevantItems: 0, unknown: 1 });
    // dan's fallback list is [e]: recall 1/2 (zz is an item the model does not know: an unavoidable miss).
    const included = evaluateRanking(model, withCold, { k: 1, metrics: ["recall"], coldUsers: "include" });
    expect(included.perUser).toEqual({ users: ["ann", "dan"], values: { "recall@1": [1, 0.5] } });
    expect(included).toMatchObject({ users: { evaluated: 2, unknown: 1 }, unknownRelevantItems: 1, relevantItems: 3 });
  });

  it("computes AUC over the full ranking of the unseen catalog", () => {
    // ann: candidates b, c, d, e; positives b, d: (b,c) (b,e) (d,e) won, (d,c) lost: 3/4.
    // bob: candidates a..e; positive c ranks above d, e: 2/4. cy: candidates a, c, d, e; a above both, e below both: 2/4.
    const result = evaluateRanking(model, test, { k: 2, metrics: ["auc"] });
    expect(result.columns).toEqual(["auc"]);
    expect(result.perUser.values["auc"]).toEqual([0.75, 0.5, 0.5]);
    expect(result.mean["auc"]).toBeCloseTo(1.75 / 3, 15);
  });

  it("computes coverage, novelty and popularity over the lists, with the training popularity", () => {
    // Train: a seen by ann and dan, b by cy; 3 training users.
    const train = createInteractions([
      { user: "ann", item: "a" },
      { user: "cy", item: "b" },
      { user: "dan", item: "a" },
    ]);
    // Lists at 1: ann [b], bob [a], cy [a]. Coverage 2/5. Novelty: b −log2(1/3), a −log2(2/3) twice, mean over lists.
    // Popularity (ARP): (1 + 2 + 2)/3.
    const result = evaluateRanking(model, test, { k: 1, metrics: ["coverage", "novelty", "popularity"], train });
    expect(result.mean["coverage@1"]).toBeCloseTo(0.4, 15);
    expect(result.mean["novelty@1"]).toBeCloseTo((log2(3) + 2 * log2(1.5)) / 3, 14);
    expect(result.mean["popularity@1"]).toBeCloseTo(5 / 3, 15);
    expect(result.perUser.values).toEqual({});
  });

  it("supports graded nDCG and implicit's precision denominator", () => {
    // cy's grades a 2, e 5; list [a, c, d]: DCG 2, ideal (5 + 2/log2 3).
    const graded = evaluateRanking(model, test, { k: 3, metrics: ["ndcg"], gradedNdcg: true });
    expect(graded.perUser.values["ndcg@3"]![2]).toBeCloseTo(2 / (5 + 2 / log2(3)), 14);
    // min(k, |relevant|): ann 2/2, bob 1/1, cy 1/2.
    const implicit = evaluateRanking(model, test, { k: 3, metrics: ["precision"], precisionDenominator: "min-k-relevant" });
    expect(implicit.perUser.values["precision@3"]).toEqual([1, 1, 0.5]);
  });

  it("is plain JSON", () => {
    const result = evaluateRanking(model, test, { k: [1, 2], metrics: ["precision", "auc"] });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

describe("evaluateRanking: errors", () => {
  it("rejects bad options with clear errors", () => {
    expectError(() => evaluateRanking(model, test, { k: 0 }), "E_BAD_INPUT", "evaluateRanking: options.k must be a positive integer, got 0");
    expectError(() => evaluateRanking(model, test, { k: [5, 2.5] }), "E_BAD_INPUT", "evaluateRanking: options.k[1] must be a positive integer, got 2.5");
    expectError(() => evaluateRanking(model, test, { k: [] }), "E_BAD_INPUT", "options.k must be a positive integer or a non-empty array");
    expectError(() => evaluateRanking(model, test, { metrics: ["precision", "ndgc" as "ndcg"] }), "E_BAD_INPUT", 'evaluateRanking: options.metrics[1] must be one of "precision"');
    expectError(() => evaluateRanking(model, test, { metrics: ["novelty"] }), "E_BAD_INPUT", 'evaluateRanking: options.train must be given for "novelty"');
    expectError(() => evaluateRanking(model, test, { relevanceThreshold: Number.NaN }), "E_BAD_INPUT", "options.relevanceThreshold must be a number, got NaN");
    expectError(() => evaluateRanking(model, test, { coldUsers: "fallback" as "skip" }), "E_BAD_INPUT", 'options.coldUsers must be one of "skip", "include", got "fallback"');
    expectError(() => evaluateRanking(model, test, { excludeSeen: 1 as unknown as boolean }), "E_BAD_INPUT", "options.excludeSeen must be a boolean, got 1");
    expectError(() => evaluateRanking(model, {} as Interactions), "E_BAD_INPUT", "evaluateRanking: test must be an Interactions dataset");
    expectError(() => evaluateRanking({ name: "x" } as Recommender, test), "E_BAD_INPUT", "evaluateRanking: recommender.users must be an IdIndex");
  });
});

describe("evaluateRanking: properties", () => {
  const dataArb = fc
    .array(fc.record({ user: fc.integer({ min: 0, max: 11 }), item: fc.integer({ min: 0, max: 14 }), value: fc.integer({ min: 1, max: 5 }) }), { minLength: 12, maxLength: 90 })
    .map((rows) => createInteractions(rows, { duplicates: "last" }));

  it("with excludeSeen, a training item is never a hit (adding train pairs to the test set only adds misses)", () => {
    fc.assert(
      fc.property(dataArb, fc.integer({ min: 1, max: 5 }), fc.integer(), (data, k, seed) => {
        const { train, test } = splitRandom(data, { testFraction: 0.3, seed });
        const recommender = randomRecommender(fitRandom(train, { seed }));
        // The test set plus every training interaction of the test users.
        const rows: { user: Id; item: Id }[] = [];
        const testUsers = new Set<Id>();
        forEachPair(test, (user, item) => {
          rows.push({ user, item });
          testUsers.add(user);
        });
        forEachPair(train, (user, item) => {
          if (testUsers.has(user)) rows.push({ user, item });
        });
        if (rows.length === 0) return;
        const plain = evaluateRanking(recommender, test, { k, metrics: ["precision"] });
        const polluted = evaluateRanking(recommender, createInteractions(rows), { k, metrics: ["precision"] });
        if (plain.perUser.users.length === 0) return;
        expect(polluted.perUser.users).toEqual(plain.perUser.users);
        expect(polluted.perUser.values["precision@" + k]).toEqual(plain.perUser.values["precision@" + k]);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it("means equal the means of the per-user values; recall is non-decreasing in k; values lie in [0, 1]", () => {
    fc.assert(
      fc.property(dataArb, fc.integer(), (data, seed) => {
        const { train, test } = splitRandom(data, { testFraction: 0.3, seed });
        const recommender = popularityRecommender(fitPopularity(train));
        const result = evaluateRanking(recommender, test, { k: [1, 3, 6], metrics: ["precision", "recall", "ndcg", "map", "mrr", "hitRate", "auc"] });
        if (result.users.evaluated === 0) return;
        for (const column of result.columns) {
          const { values } = userValues(result, column);
          for (const v of Array.from(values)) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1 + 1e-12);
          }
          const mean = values.length === 0 ? Number.NaN : Array.from(values).reduce((a, b) => a + b, 0) / values.length;
          if (values.length > 0) expect(result.mean[column]).toBeCloseTo(mean, 12);
        }
        const r1 = result.perUser.values["recall@1"]!;
        const r3 = result.perUser.values["recall@3"]!;
        const r6 = result.perUser.values["recall@6"]!;
        r1.forEach((v, j) => {
          expect(r3[j]!).toBeGreaterThanOrEqual(v);
          expect(r6[j]!).toBeGreaterThanOrEqual(r3[j]!);
        });
      }),
      { seed: 42, numRuns: 60 },
    );
  });
});

function forEachPair(data: Interactions, visit: (user: Id, item: Id) => void): void {
  const { indptr, indices } = data.byUser;
  for (let u = 0; u < data.users.ids.length; u++) {
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) visit(data.users.ids[u]!, data.items.ids[indices[p]!]!);
  }
}
