// Real-data tests of the protocols on the official MovieLens 100K u1 split (u1.base / u1.test), read from ../shared.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Id } from "../../src/core/id-index.ts";
import type { InteractionsSplit } from "../../src/data/index.ts";
import { fitPopularity, fitRandom, popularityRecommender, randomRecommender } from "../../src/baselines/index.ts";
import {
  bootstrapConfidenceInterval,
  compareModels,
  evaluateRanking,
  evaluateRatings,
  formatComparisonTable,
  pairedComparison,
  userValues,
} from "../../src/evaluation/index.ts";
import { readMovieLens100kSplit } from "../../src/node/index.ts";
import type { Recommender } from "../../src/recommend/index.ts";

const movieLens = path.resolve(import.meta.dirname, "../../../shared/data/movielens-100k");
const hasMovieLens = existsSync(path.join(movieLens, "u1.base"));
if (!hasMovieLens) {
  console.warn(`MovieLens 100K not found at ${movieLens}: skipping the real-data tests of nextbest/evaluation.`);
}

/** Tab-separated "user item rating timestamp" lines, parsed independently of the library's readers. */
function readLines(file: string): { user: number; item: number; rating: number }[] {
  return readFileSync(path.join(movieLens, file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [user, item, rating] = line.split("\t").map(Number);
      return { user: user!, item: item!, rating: rating! };
    });
}

/** A hand-written rating model: each item's mean train rating (the global mean for an item without ratings). */
function itemMeanRecommender(split: InteractionsSplit): Recommender {
  const { train } = split;
  const { indptr, values } = train.byItem;
  const n = train.items.ids.length;
  const means = new Float64Array(n);
  let total = 0;
  for (let p = 0; p < indptr[n]!; p++) total += values[p]!;
  const globalMean = total / indptr[n]!;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let p = indptr[i]!; p < indptr[i + 1]!; p++) sum += values[p]!;
    means[i] = indptr[i + 1]! > indptr[i]! ? sum / (indptr[i + 1]! - indptr[i]!) : globalMean;
  }
  return {
    name: "item-mean",
    users: train.users,
    items: train.items,
    scoreUser: (_user, out) => out.set(means),
    seenItems: (user) => train.byUser.indices.subarray(train.byUser.indptr[user]!, train.byUser.indptr[user + 1]!),
    predict: (_user, item) => means[item]!,
  };
}

describe.skipIf(!hasMovieLens)("MovieLens 100K u1 (real data, read from ../shared)", () => {
  let split: InteractionsSplit;
  let popular: Recommender;
  let random: Recommender;
  beforeAll(async () => {
    split = await readMovieLens100kSplit(movieLens, { split: "u1" });
    popular = popularityRecommender(fitPopularity(split.train));
    random = randomRecommender(fitRandom(split.train, { seed: 1 }));
  });

  it("popularity's precision@10 is far above random's, and random's matches its expected value", () => {
    const options = { k: 10, metrics: ["precision", "recall", "ndcg", "map", "hitRate", "mrr"] } as const;
    const pop = evaluateRanking(popular, split.test, options);
    const rnd = evaluateRanking(random, split.test, options);
    // u1.test: 459 users, none cold; every user gets 10 unseen items.
    expect(pop.users).toEqual({ evaluated: 459, noRelevantItems: 0, unknown: 0 });
    expect(pop.excludedSeen).toBe(rnd.excludedSeen);
    // A uniformly random list of unseen items has expected precision |relevant| / |unseen| per user; compute that
    // from the raw files (independent of the library) and compare: 459 users × 10 slots give a standard error
    // of about 0.003 around it.
    const base = readLines("u1.base");
    const trainItems = new Set(base.map((r) => r.item));
    const seen = new Map<number, Set<number>>();
    for (const r of base) (seen.get(r.user) ?? seen.set(r.user, new Set()).get(r.user)!).add(r.item);
    const relevant = new Map<number, number>();
    for (const r of readLines("u1.test")) if (trainItems.has(r.item)) relevant.set(r.user, (relevant.get(r.user) ?? 0) + 1);
    let expected = 0;
    for (const [user, count] of relevant) expected += count / (trainItems.size - (seen.get(user)?.size ?? 0));
    expected /= relevant.size;
    expect(relevant.size).toBe(459);
    expect(Math.abs(rnd.mean["precision@10"]! - expected)).toBeLessThan(0.012);
    // Popularity: 0.305 measured on u1 with all test ratings relevant (about 11 times random's 0.027).
    expect(pop.mean["precision@10"]!).toBeGreaterThan(0.15);
    expect(pop.mean["precision@10"]!).toBeLessThan(0.35);
    expect(pop.mean["precision@10"]!).toBeGreaterThan(4 * rnd.mean["precision@10"]!);
    for (const column of ["recall@10", "ndcg@10", "map@10", "hitRate@10", "mrr@10"]) {
      expect(pop.mean[column]!).toBeGreaterThan(rnd.mean[column]!);
    }
    // The difference is far beyond noise, per user.
    const paired = pairedComparison(userValues(pop, "ndcg@10"), userValues(rnd, "ndcg@10"), { seed: 1 });
    expect(paired.n).toBe(459);
    expect(paired.test.pValue).toBeLessThan(1e-10);
    expect(paired.interval.lower).toBeGreaterThan(0);
    const ci = bootstrapConfidenceInterval(userValues(pop, "precision@10"), { seed: 1 });
    expect(ci.lower).toBeLessThan(pop.mean["precision@10"]!);
    expect(ci.upper).toBeGreaterThan(pop.mean["precision@10"]!);
    expect(ci.upper - ci.lower).toBeLessThan(0.05);
  });

  it("with a relevance threshold of 4, fewer items are relevant and popularity still wins; AUC of random is about 0.5", () => {
    const pop = evaluateRanking(popular, split.test, { k: 10, metrics: ["precision", "auc", "coverage"], relevanceThreshold: 4 });
    const rnd = evaluateRanking(random, split.test, { k: 10, metrics: ["precision", "auc", "coverage"], relevanceThreshold: 4 });
    const countAtLeast4 = readLines("u1.test").filter((r) => r.rating >= 4).length;
    expect(pop.relevantItems).toBeLessThanOrEqual(countAtLeast4);
    expect(pop.relevantItems).toBeGreaterThan(0.5 * countAtLeast4);
    expect(pop.mean["precision@10"]!).toBeGreaterThan(4 * rnd.mean["precision@10"]!);
    expect(Math.abs(rnd.mean["auc"]! - 0.5)).toBeLessThan(0.02);
    expect(pop.mean["auc"]!).toBeGreaterThan(0.8);
    // Popularity recommends the same few items to everyone; random covers most of the catalog.
    expect(pop.mean["coverage@10"]!).toBeLessThan(0.1);
    expect(rnd.mean["coverage@10"]!).toBeGreaterThan(0.8);
  });

  it("evaluateRatings of an item-mean model equals a direct computation on the raw files", () => {
    const result = evaluateRatings(itemMeanRecommender(split), split.test);
    // Direct: item means of u1.base, errors on u1.test ratings of items u1.base has.
    const base = readLines("u1.base");
    const sums = new Map<Id, [number, number]>();
    for (const r of base) {
      const s = sums.get(r.item) ?? [0, 0];
      s[0] += r.rating;
      s[1]++;
      sums.set(r.item, s);
    }
    let absolute = 0;
    let squared = 0;
    let count = 0;
    for (const r of readLines("u1.test")) {
      const s = sums.get(r.item);
      if (s === undefined) continue;
      const error = s[0] / s[1] - r.rating;
      absolute += Math.abs(error);
      squared += error * error;
      count++;
    }
    expect(result.scored).toBe(count);
    expect(result.scored + split.droppedTestInteractions).toBe(20_000);
    expect(result.mae).toBeCloseTo(absolute / count, 10);
    expect(result.rmse).toBeCloseTo(Math.sqrt(squared / count), 10);
    // The item-mean baseline is known to give an RMSE of about 1.03 on u1 (between the global mean's ~1.15 and
    // Surprise's BaselineOnly ~0.95).
    expect(result.rmse).toBeGreaterThan(0.95);
    expect(result.rmse).toBeLessThan(1.1);
    expect(result.perUser.users).toHaveLength(459);
  });

  it("popularity and random scores are not ratings: evaluateRatings still runs and reports large errors", () => {
    const randomErrors = evaluateRatings(random, split.test);
    // Random scores lie in [0, 1) against ratings 1..5 (mean about 3.5): the MAE is about 3.
    expect(randomErrors.scored).toBe(20_000 - split.droppedTestInteractions);
    expect(randomErrors.mae).toBeGreaterThan(2.5);
    expect(randomErrors.mae).toBeLessThan(3.5);
    expect(evaluateRatings(popular, split.test).mae).toBeGreaterThan(10);
  });

  it("compareModels runs both baselines on u1 and prints the table", () => {
    const result = compareModels(split, { popularity: () => popular, random: () => random }, { metrics: ["precision@10", "ndcg@10", "coverage@10"] });
    expect(result.rows[0]!.values["precision@10"]!).toBeGreaterThan(result.rows[1]!.values["precision@10"]!);
    const table = formatComparisonTable(result);
    expect(table.split("\n")).toHaveLength(3);
    expect(table).toContain("popularity");
  });
});
