import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRandom } from "../../src/core/index.ts";
import { createInteractions, splitKFold, splitRandom, type InteractionRow, type Interactions } from "../../src/data/index.ts";
import { evaluateRanking, evaluateRatings } from "../../src/evaluation/index.ts";
import {
  bprFromJSON,
  bprRecommender,
  bprToJSON,
  fitBpr,
  fitImplicitAls,
  fitMatrixFactorization,
  implicitAlsFromJSON,
  implicitAlsRecommender,
  implicitAlsToJSON,
  matrixFactorizationFromJSON,
  matrixFactorizationRecommender,
  matrixFactorizationToJSON,
  tuneBpr,
  tuneImplicitAls,
  tuneMatrixFactorization,
  type FactorizationTuning,
} from "../../src/factorization/index.ts";
import { fitPopularity, popularityRecommender } from "../../src/baselines/index.ts";
import { expectError } from "../helpers.ts";
import { hasMovieLens, ndcgAt, shortHistorySplit } from "./local-metrics.ts";

// Rank-2 ratings with noise: 60 users × 40 items, each pair rated with probability 0.5 (seeded), values in 1..5.
function syntheticRatings(seed: number): Interactions {
  const random = createRandom(seed);
  const userTaste = Array.from({ length: 60 }, () => [random() * 2 - 1, random() * 2 - 1]);
  const itemTrait = Array.from({ length: 40 }, () => [random() * 2 - 1, random() * 2 - 1]);
  const rows: InteractionRow[] = [];
  for (let u = 0; u < 60; u++) {
    for (let i = 0; i < 40; i++) {
      if (random() < 0.5) continue;
      const signal = 3 + 1.5 * (userTaste[u]![0]! * itemTrait[i]![0]! + userTaste[u]![1]! * itemTrait[i]![1]!) + 0.3 * (random() - 0.5);
      rows.push({ user: `u${u}`, item: `i${i}`, value: Math.min(5, Math.max(1, signal)) });
    }
  }
  return createInteractions(rows);
}

// Four planted blocks: 80 users × 40 items, user u interacts with each item of block u % 4 with probability 0.6 and
// with any other item with probability 0.02 (seeded). A rank-1 model cannot separate four blocks; rank 4 can.
function syntheticPurchases(seed: number): Interactions {
  const random = createRandom(seed);
  const rows: InteractionRow[] = [];
  for (let u = 0; u < 80; u++) {
    for (let i = 0; i < 40; i++) {
      const inBlock = Math.floor(i / 10) === u % 4;
      if (random() < (inBlock ? 0.6 : 0.02)) rows.push({ user: `u${u}`, item: `i${i}` });
    }
  }
  return createInteractions(rows);
}

const ratings = syntheticRatings(7);
const purchases = syntheticPurchases(11);

function bestRow(tuning: FactorizationTuning) {
  return tuning.rows[tuning.bestIndex]!;
}

/** The best row is the first optimal one by the tuning's direction. */
function expectBestIsOptimal(tuning: FactorizationTuning): void {
  const scores = tuning.rows.map((row) => row.score ?? Number.NaN);
  const finite = scores.filter((s) => !Number.isNaN(s));
  const optimum = tuning.direction === "minimize" ? Math.min(...finite) : Math.max(...finite);
  expect(scores[tuning.bestIndex]).toBe(optimum);
  expect(scores.indexOf(optimum)).toBe(tuning.bestIndex);
}

describe("tuneMatrixFactorization", () => {
  const options = { epochs: 15, learningRate: 0.01, seed: 3, tune: { factors: [1, 4], regularization: [0.02, 0.2] } };
  const model = tuneMatrixFactorization(ratings, options);
  const tuning = model.tuning!;

  it("tries every combination in grid order (factors slowest) and records the objective and validation", () => {
    expect(tuning.rows.map((row) => [row.factors, row.regularization])).toEqual([[1, 0.02], [1, 0.2], [4, 0.02], [4, 0.2]]);
    expect(tuning).toMatchObject({ metric: "rmse", direction: "minimize", validation: "holdout", testFraction: 0.2, folds: null, seed: 3 });
    for (const row of tuning.rows) {
      expect(row.standardDeviation).toBeNull();
      expect(row.score).toBeGreaterThan(0);
    }
  });

  it("picks the row with the lowest validation RMSE and applies its values", () => {
    expectBestIsOptimal(tuning);
    expect(model.factors).toBe(bestRow(tuning).factors);
    expect(model.hyperparameters.regularization).toBe(bestRow(tuning).regularization);
    expect(model.hyperparameters.epochs).toBe(15);
  });

  it("the best row's score is the RMSE of the chosen values fitted on the seeded 80/20 holdout (recomputed independently)", () => {
    const { train, test } = splitRandom(ratings, { seed: 3, testFraction: 0.2 });
    const best = bestRow(tuning);
    const fitted = fitMatrixFactorization(train, { epochs: 15, learningRate: 0.01, seed: 3, factors: best.factors, regularization: best.regularization });
    expect(evaluateRatings(matrixFactorizationRecommender(fitted), test, { train }).rmse).toBe(best.score);
  });

  it("refits on all of the data: the model equals fitMatrixFactorization with the chosen values", () => {
    const best = bestRow(tuning);
    const refit = fitMatrixFactorization(ratings, { epochs: 15, learningRate: 0.01, seed: 3, factors: best.factors, regularization: best.regularization });
    expect(Array.from(model.userFactors)).toEqual(Array.from(refit.userFactors));
    expect(Array.from(model.itemBias)).toEqual(Array.from(refit.itemBias));
    expect(model.users).toBe(ratings.users);
  });

  it("a factors or regularization fixed in the options is not searched unless tune lists it", () => {
    const fixed = tuneMatrixFactorization(ratings, { epochs: 2, factors: 3, tune: { regularization: [0.01, 0.1] } });
    expect(fixed.tuning!.rows.map((row) => row.factors)).toEqual([3, 3]);
    const both = tuneMatrixFactorization(ratings, { epochs: 1, factors: 3, regularization: 0.07 });
    expect(both.tuning!.rows.map((row) => [row.factors, row.regularization])).toEqual([[3, 0.07]]);
  });

  it("defaults to factors {50, 100, 200} × regularization {0.02, 0.05, 0.1}", () => {
    const defaults = tuneMatrixFactorization(ratings, { epochs: 1 });
    // The first nine rows are the default grid; rows after them come from widening past an edge.
    expect(defaults.tuning!.rows.slice(0, 9).map((row) => [row.factors, row.regularization])).toEqual([
      [50, 0.02], [50, 0.05], [50, 0.1], [100, 0.02], [100, 0.05], [100, 0.1], [200, 0.02], [200, 0.05], [200, 0.1],
    ]);
    expect(defaults.tuning!.seed).toBe(0);
  });

  it("round-trips through JSON with its tuning record, and still reads models without one", () => {
    const copy = matrixFactorizationFromJSON(JSON.parse(JSON.stringify(matrixFactorizationToJSON(model))));
    expect(copy.tuning).toEqual(tuning);
    const plain = fitMatrixFactorization(ratings, { factors: 2, epochs: 1 });
    const json = matrixFactorizationToJSON(plain);
    expect("tuning" in json).toBe(false);
    expect(matrixFactorizationFromJSON(JSON.parse(JSON.stringify(json))).tuning).toBeUndefined();
  });

  it("rejects a malformed tuning record in JSON, naming the field", () => {
    const json = matrixFactorizationToJSON(model);
    const t = json.tuning!;
    const other = (tuning.bestIndex + 1) % tuning.rows.length;
    expectError(() => matrixFactorizationFromJSON({ ...json, tuning: { ...t, bestIndex: 9 } }), "E_BAD_MODEL", "json.tuning.bestIndex must be an integer in [0, 4)");
    expectError(() => matrixFactorizationFromJSON({ ...json, tuning: { ...t, bestIndex: other } }), "E_BAD_MODEL", "json.tuning.bestIndex must point at the row of the model's factors");
    expectError(() => matrixFactorizationFromJSON({ ...json, tuning: { ...t, rows: [{ ...t.rows[0], score: "x" }, ...t.rows.slice(1)] } }), "E_BAD_MODEL", "json.tuning.rows[0].score");
    expectError(() => matrixFactorizationFromJSON({ ...json, tuning: { ...t, direction: "up" } }), "E_BAD_MODEL", "json.tuning.direction");
    expectError(() => matrixFactorizationFromJSON({ ...json, tuning: { ...t, folds: 3 } }), "E_BAD_MODEL", "json.tuning.folds must be null under holdout validation");
    expectError(() => matrixFactorizationFromJSON({ ...json, tuning: [] }), "E_BAD_MODEL", "json.tuning must be an object");
  });

  it("throws clear errors for a malformed tune option", () => {
    expectError(() => tuneMatrixFactorization(ratings, { tune: true as never }), "E_BAD_INPUT", "tuneMatrixFactorization: options.tune must be an object");
    expectError(() => tuneMatrixFactorization(ratings, { tune: { factors: [4, 0] } }), "E_BAD_INPUT", "tuneMatrixFactorization: options.tune.factors[1] must be an integer in [1, 4096], got 0");
    expectError(() => tuneMatrixFactorization(ratings, { tune: { regularization: [] } }), "E_EMPTY", "options.tune.regularization must be a non-empty array");
    expectError(() => tuneMatrixFactorization(ratings, { tune: { regularization: [Number.NaN] } }), "E_NON_FINITE", "options.tune.regularization[0] must be a finite number >= 0");
    expectError(() => tuneMatrixFactorization(ratings, { factors: 2.5 }), "E_BAD_INPUT", "tuneMatrixFactorization: options.factors must be an integer in [1, 4096], got 2.5");
    expectError(() => tuneMatrixFactorization(ratings, { seed: Number.NaN }), "E_BAD_INPUT", "tuneMatrixFactorization: options.seed");
    expectError(() => tuneMatrixFactorization(ratings, { tune: { factors: [2], metric: "rmse@3" as never } }), "E_BAD_INPUT", "options.metric");
    expectError(() => tuneMatrixFactorization(ratings, { tune: { factors: [2], validation: { split: "holdout" } as never } }), "E_BAD_INPUT", "options.validation.seed");
    expectError(() => tuneMatrixFactorization(null as never), "E_BAD_INPUT", "tuneMatrixFactorization");
  });
});

describe("tuneImplicitAls", () => {
  const options = { iterations: 8, seed: 5, tune: { factors: [1, 4], regularization: [0.05, 500] } };
  const model = tuneImplicitAls(purchases, options);
  const tuning = model.tuning!;

  it("finds the planted rank-4 structure with light regularization (best row 4 factors, λ 0.05)", () => {
    expect(tuning).toMatchObject({ metric: "ndcg@10", direction: "maximize", validation: "holdout", testFraction: 0.2, seed: 5 });
    expectBestIsOptimal(tuning);
    expect([bestRow(tuning).factors, bestRow(tuning).regularization]).toEqual([4, 0.05]);
    expect([model.factors, model.regularization]).toEqual([4, 0.05]);
    expect(model.hyperparameters.iterations).toBe(8);
  });

  it("the best row's score is NDCG@10 (seen items left out) of the chosen values on the seeded holdout", () => {
    const { train, test } = splitRandom(purchases, { seed: 5, testFraction: 0.2 });
    const fitted = fitImplicitAls(train, { iterations: 8, seed: 5, factors: 4, regularization: 0.05 });
    const evaluation = evaluateRanking(implicitAlsRecommender(fitted), test, { k: 10, metrics: ["ndcg"], train });
    expect(evaluation.mean["ndcg@10"]).toBe(bestRow(tuning).score);
  });

  it("refits on all of the data with the chosen values", () => {
    const refit = fitImplicitAls(purchases, { iterations: 8, seed: 5, factors: 4, regularization: 0.05 });
    expect(Array.from(model.itemFactors)).toEqual(Array.from(refit.itemFactors));
  });

  it("is deterministic for a seed", () => {
    const again = tuneImplicitAls(purchases, options);
    expect(again.tuning).toEqual(tuning);
    expect(Array.from(again.userFactors)).toEqual(Array.from(model.userFactors));
  });

  it("defaults to factors {32, 64, 128} × λ₀ · {0.25, 1, 4} with λ₀ = 0.25 · interactions / users", () => {
    const lambda0 = (0.25 * purchases.byUser.indptr[purchases.byUser.rows]!) / purchases.users.ids.length;
    const defaults = tuneImplicitAls(purchases, { iterations: 1 });
    const grid = defaults.tuning!.rows.slice(0, 9).map((row) => [row.factors, row.regularization / lambda0]);
    expect(grid.map(([f]) => f)).toEqual([32, 32, 32, 64, 64, 64, 128, 128, 128]);
    grid.forEach(([, scale], j) => expect(scale).toBeCloseTo([0.25, 1, 4][j % 3]!, 12));
  });

  it("cross-validates under { folds, seed }: per-row standard deviations, the mean over folds as score", () => {
    const cv = tuneImplicitAls(purchases, { iterations: 4, factors: 4, tune: { regularization: [0.05, 5], validation: { folds: 3, seed: 2 }, metric: "recall@5" } });
    const t = cv.tuning!;
    expect(t).toMatchObject({ validation: "k-fold", folds: 3, testFraction: null, seed: 2, metric: "recall@5" });
    for (const row of t.rows) expect(row.standardDeviation).toBeGreaterThanOrEqual(0);
    const folds = splitKFold(purchases, { folds: 3, seed: 2 });
    const best = bestRow(t);
    let sum = 0;
    for (const { train, test } of folds) {
      const fitted = fitImplicitAls(train, { iterations: 4, factors: 4, regularization: best.regularization });
      sum += evaluateRanking(implicitAlsRecommender(fitted), test, { k: 5, metrics: ["recall"], train }).mean["recall@5"]!;
    }
    expect(best.score).toBeCloseTo(sum / 3, 12);
  });

  it("round-trips through JSON with its tuning record; a record disagreeing with the model is rejected", () => {
    const json = implicitAlsToJSON(model);
    const copy = implicitAlsFromJSON(JSON.parse(JSON.stringify(json)));
    expect(copy.tuning).toEqual(tuning);
    expectError(() => implicitAlsFromJSON({ ...json, regularization: 0.5 }), "E_BAD_MODEL", "json.tuning.bestIndex must point at the row of the model's factors 4 and regularization 0.5");
  });

  it("throws E_EMPTY when the validation split leaves no user to evaluate", () => {
    // Every user has one interaction: a random holdout leaves each test user without training data, so all are dropped.
    const single = createInteractions([{ user: "a", item: "x" }, { user: "b", item: "y" }, { user: "c", item: "x" }]);
    expectError(() => tuneImplicitAls(single, { iterations: 1, tune: { factors: [1], validation: { split: "holdout", testFraction: 0.5, seed: 1 } } }), "E_EMPTY", "tuneImplicitAls: options.tune.validation must leave at least one test user");
  });

  it("property: the best row is optimal and its values are the model's, for any small dataset and grid", () => {
    const datasets = fc
      .uniqueArray(fc.record({ user: fc.integer({ min: 0, max: 11 }), item: fc.integer({ min: 0, max: 9 }) }), {
        minLength: 20,
        maxLength: 70,
        selector: (r) => `${r.user}:${r.item}`,
      })
      .map((list) => createInteractions(list.map((r) => ({ user: `u${r.user}`, item: `i${r.item}` }))));
    const grids = fc.record({
      factors: fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }),
      regularization: fc.uniqueArray(fc.constantFrom(0.01, 0.1, 1, 10), { minLength: 1, maxLength: 2 }),
    });
    fc.assert(
      fc.property(datasets, grids, fc.integer({ min: 0, max: 99 }), (data, grid, seed) => {
        let tuned;
        try {
          tuned = tuneImplicitAls(data, { iterations: 2, seed, tune: grid });
        } catch (error) {
          expect((error as { code?: string }).code).toBe("E_EMPTY");
          return;
        }
        const t = tuned.tuning!;
        expect(t.rows.length).toBe(grid.factors.length * grid.regularization.length);
        expectBestIsOptimal(t);
        expect([tuned.factors, tuned.regularization]).toEqual([bestRow(t).factors, bestRow(t).regularization]);
      }),
      { seed: 42, numRuns: 25 },
    );
  });
});

describe("tuneBpr", () => {
  it("picks the best regularization by NDCG@10, applies it and round-trips through JSON", () => {
    const model = tuneBpr(purchases, { epochs: 20, seed: 1, factors: 4, tune: { regularization: [0.001, 0.05] } });
    const tuning = model.tuning!;
    expectBestIsOptimal(tuning);
    expect(model.factors).toBe(4);
    expect(model.hyperparameters.regularization).toBe(bestRow(tuning).regularization);
    const { train, test } = splitRandom(purchases, { seed: 1, testFraction: 0.2 });
    const fitted = fitBpr(train, { epochs: 20, seed: 1, factors: 4, regularization: bestRow(tuning).regularization });
    expect(evaluateRanking(bprRecommender(fitted), test, { k: 10, metrics: ["ndcg"], train }).mean["ndcg@10"]).toBe(bestRow(tuning).score);
    expect(bprFromJSON(JSON.parse(JSON.stringify(bprToJSON(model)))).tuning).toEqual(tuning);
  });

  it("defaults to factors {32, 64, 128} × regularization {0.0025, 0.01, 0.04}", () => {
    const model = tuneBpr(purchases, { epochs: 1 });
    expect(model.tuning!.rows.slice(0, 9).map((row) => [row.factors, row.regularization])).toEqual([
      [32, 0.0025], [32, 0.01], [32, 0.04], [64, 0.0025], [64, 0.01], [64, 0.04], [128, 0.0025], [128, 0.01], [128, 0.04],
    ]);
  });

  it("widens a default grid past the edge its best sits on, warns when still on an edge, and compares with popularity", () => {
    const model = tuneBpr(purchases, { epochs: 1, factors: 8 });
    const t = model.tuning!;
    const regularizations = t.rows.map((row) => row.regularization);
    expect(regularizations.slice(0, 3)).toEqual([0.0025, 0.01, 0.04]);
    // Each widening adds one value beyond the edge the best was on, by the ratio of the two outermost values (4).
    for (const extra of regularizations.slice(3)) expect([0.0025 / 4, 0.0025 / 16, 0.16, 0.64]).toContain(extra);
    expect(regularizations.length).toBeLessThanOrEqual(5);
    const best = t.rows[t.bestIndex]!;
    for (const row of t.rows) expect(best.score!).toBeGreaterThanOrEqual(row.score!);
    const onEdge = best.regularization === Math.min(...regularizations) || best.regularization === Math.max(...regularizations);
    expect(t.warnings.some((w) => w.kind === "edge-of-grid" && w.parameter === "regularization")).toBe(onEdge);
    expect(t.popularityScore).not.toBeNull();
    expect(t.warnings.some((w) => w.kind === "below-popularity")).toBe(best.score! < t.popularityScore!);
    // A list given in tune is searched as given (no widening), but an edge is still reported.
    const given = tuneBpr(purchases, { epochs: 1, factors: 8, tune: { regularization: [0.01, 0.04] } }).tuning!;
    expect(given.rows.map((row) => row.regularization)).toEqual([0.01, 0.04]);
    expect(given.warnings.filter((w) => w.kind === "edge-of-grid").map((w) => w.parameter)).toEqual(["regularization"]);
    expect(given.warnings[0]!.message).toMatch(/^tuneBpr: the best regularization \(0\.0[14]\) is the (smallest|largest) value tried \(0\.01, 0\.04\)/);
    expectError(() => tuneBpr(purchases, { tune: { widen: -1 } }), "E_BAD_INPUT", "tuneBpr: options.tune.widen must be an integer in [0, 10], got -1");
  });
});

describe.skipIf(!hasMovieLens)("tuned ALS on MovieLens 100K cut to each user's last 3 interactions", () => {
  it("at least matches popularity on the held-out last interaction (NDCG@10)", async () => {
    const { train, test } = await shortHistorySplit();
    const model = tuneImplicitAls(train, { tune: { factors: [32, 64] } });
    const tuned = ndcgAt(implicitAlsRecommender(model), test);
    const popularity = ndcgAt(popularityRecommender(fitPopularity(train)), test);
    console.log(
      `tuned ALS (factors ${model.factors}, λ ${model.regularization}) NDCG@10 ${tuned.toFixed(4)}, popularity ${popularity.toFixed(4)}; ` +
        `validation rows ${model.tuning!.rows.map((row) => `${row.factors}/${row.regularization}: ${row.score!.toFixed(4)}`).join(", ")}`,
    );
    expectBestIsOptimal(model.tuning!);
    expect(tuned).toBeGreaterThanOrEqual(popularity);
  });
});
