import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Id } from "../../src/core/id-index.ts";
import { createInteractions, splitRandom, type Interactions } from "../../src/data/index.ts";
import { fitPopularity, fitRandom, popularityRecommender, randomRecommender } from "../../src/baselines/index.ts";
import {
  compareModels,
  crossValidate,
  evaluateRanking,
  formatComparisonTable,
  gridSearch,
  pairedComparison,
  randomSearch,
  userValues,
  type ModelComparison,
  type ModelFactory,
} from "../../src/evaluation/index.ts";
import type { Recommender } from "../../src/recommend/index.ts";
import { expectError } from "../helpers.ts";

/** 40 users; user u interacted with items 0..(u mod 9), value 1 + (u + i) mod 5: a popularity-friendly dataset. */
function synthetic(users = 40): Interactions {
  const rows: { user: Id; item: Id; value: number }[] = [];
  for (let u = 0; u < users; u++) for (let i = 0; i <= u % 9; i++) rows.push({ user: `u${u}`, item: `i${i}`, value: 1 + ((u + i) % 5) });
  return createInteractions(rows);
}

/**
 * A rating model over `data`'s ids that predicts each known pair's value plus `shift` (NaN for unknown pairs), so its
 * MAE on any subset of `data` is exactly |shift|.
 */
function shiftedOracle(data: Interactions, shift: number): ModelFactory {
  return (): Recommender => {
    const { indptr, indices, values } = data.byUser;
    const predict = (u: number, i: number): number => {
      for (let p = indptr[u]!; p < indptr[u + 1]!; p++) if (indices[p] === i) return values[p]! + shift;
      return Number.NaN;
    };
    return {
      name: `oracle${shift}`,
      users: data.users,
      items: data.items,
      scoreUser(user, out) {
        for (let i = 0; i < out.length; i++) out[i] = predict(user, i);
      },
      seenItems: () => [],
      predict,
    };
  };
}

const popularity: ModelFactory = (train) => popularityRecommender(fitPopularity(train));
const random: ModelFactory = (train) => randomRecommender(fitRandom(train, { seed: 5 }));

describe("crossValidate", () => {
  it("gives exact per-fold values, mean and sample standard deviation for a model with a known error", () => {
    // The oracle shifted by 0.5 has MAE 0.5 and RMSE 0.5 on every fold: mean 0.5, standard deviation 0.
    const data = synthetic();
    const cv = crossValidate(data, shiftedOracle(data, 0.5), { folds: 4, seed: 1, metrics: ["mae", "rmse"] });
    expect(cv).toMatchObject({ model: "oracle0.5", folds: 4, seed: 1, metrics: ["mae", "rmse"] });
    expect(cv.perFold.map((f) => f.values)).toEqual(Array.from({ length: 4 }, () => ({ mae: 0.5, rmse: 0.5 })));
    expect(cv.mean).toEqual({ mae: 0.5, rmse: 0.5 });
    expect(cv.standardDeviation).toEqual({ mae: 0, rmse: 0 });
  });

  it("summarises each column by the mean and the sample (n - 1) standard deviation of the folds", () => {
    const cv = crossValidate(synthetic(), popularity, { folds: 3, seed: 2, metrics: ["ndcg@5", "recall@5"] });
    for (const column of ["ndcg@5", "recall@5"]) {
      const values = cv.perFold.map((f) => f.values[column]!);
      const mean = values.reduce((a, b) => a + b, 0) / 3;
      const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / 2);
      expect(cv.mean[column]).toBeCloseTo(mean, 14);
      expect(cv.standardDeviation[column]).toBeCloseTo(sd, 14);
    }
    for (const fold of cv.perFold) {
      expect(fold.fitSeconds).toBeGreaterThanOrEqual(0);
      expect(fold.scoringSeconds).toBeGreaterThanOrEqual(0);
    }
    expect(JSON.parse(JSON.stringify(cv))).toEqual(cv);
  });

  it("uses the default metric columns", () => {
    expect(crossValidate(synthetic(), popularity, { folds: 2, seed: 1 }).metrics).toEqual(["precision@10", "recall@10", "ndcg@10", "map@10"]);
  });

  it("folds partition the data and repeat for a seed (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ user: fc.integer({ min: 0, max: 8 }), item: fc.integer({ min: 0, max: 8 }) }), { minLength: 6, maxLength: 50 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer(),
        (rows, folds, seed) => {
          const data = createInteractions(rows);
          const n = data.byUser.indptr[data.byUser.rows]!;
          fc.pre(folds <= n);
          const trains: Set<string>[] = [];
          const recording: ModelFactory = (train) => {
            const pairs = new Set<string>();
            const { indptr, indices } = train.byUser;
            for (let u = 0; u < train.users.ids.length; u++) {
              for (let p = indptr[u]!; p < indptr[u + 1]!; p++) pairs.add(JSON.stringify([train.users.ids[u], train.items.ids[indices[p]!]]));
            }
            trains.push(pairs);
            return popularity(train);
          };
          const options = { folds, seed, metrics: ["hitRate@2" as const], coldStart: "keep" as const };
          const first = crossValidate(data, recording, options);
          // Each interaction is missing from exactly one fold's training set (it is tested exactly once).
          const { indptr, indices } = data.byUser;
          for (let u = 0; u < data.users.ids.length; u++) {
            for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
              const key = JSON.stringify([data.users.ids[u], data.items.ids[indices[p]!]]);
              expect(trains.filter((t) => !t.has(key)).length).toBe(1);
            }
          }
          expect(first.perFold.reduce((a, f) => a + f.testInteractions, 0)).toBe(n);
          const again = crossValidate(data, popularity, options);
          expect(again.perFold.map((f) => [f.values, f.trainInteractions, f.testInteractions])).toEqual(
            first.perFold.map((f) => [f.values, f.trainInteractions, f.testInteractions]),
          );
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  it("rejects bad input with clear errors", () => {
    const data = synthetic(10);
    expectError(() => crossValidate(data, popularity, {} as { seed: number }), "E_BAD_INPUT", "crossValidate: options.seed must be a finite number or a string");
    expectError(() => crossValidate(data, popularity, { seed: 1, folds: 1 }), "E_BAD_INPUT", "crossValidate: options.folds must be an integer in [2, ");
    expectError(() => crossValidate(data, popularity, { seed: 1, metrics: ["ndcg"] as unknown as ["rmse"] }), "E_BAD_INPUT", 'crossValidate: options.metrics[0] must be "mae", "rmse", "mse", "auc" or <metric>@<k>');
    expectError(() => crossValidate(data, popularity, { seed: 1, metrics: ["ndcg@0" as "ndcg@1"] }), "E_BAD_INPUT", 'got "ndcg@0"');
    expectError(() => crossValidate(data, popularity, { seed: 1, ranking: 3 as unknown as object }), "E_BAD_INPUT", "crossValidate: options.ranking must be an object, got 3");
    expectError(() => crossValidate(data, "model" as unknown as ModelFactory, { seed: 1 }), "E_BAD_INPUT", "crossValidate: factory must be a function");
    expectError(() => crossValidate(data, (() => ({})) as unknown as ModelFactory, { seed: 1 }), "E_BAD_INPUT", "crossValidate: factory must return a Recommender");
  });
});

describe("compareModels and formatComparisonTable", () => {
  const data = synthetic();
  const split = splitRandom(data, { testFraction: 0.25, seed: 3 });

  it("runs every model on the same split, equal to evaluating each directly", () => {
    const result = compareModels(split, { popularity, random }, { metrics: ["precision@5", "ndcg@5", "auc"] });
    expect(result.metrics).toEqual(["precision@5", "ndcg@5", "auc"]);
    expect(result.rows.map((r) => r.model)).toEqual(["popularity", "random"]);
    const direct = evaluateRanking(popularity(split.train), split.test, { k: 5, metrics: ["precision", "ndcg", "auc"], train: split.train });
    expect(result.rows[0]!.values).toEqual({ "precision@5": direct.mean["precision@5"], "ndcg@5": direct.mean["ndcg@5"], auc: direct.mean["auc"] });
    expect(result.rows[0]!.ranking!.perUser).toEqual(direct.perUser);
    expect(result.rows[0]!.ratings).toBeNull();
    expect(result.trainInteractions + result.testInteractions + split.droppedTestInteractions).toBe(data.byUser.indptr[data.byUser.rows]);
    // Popularity beats random on this popularity-shaped data, and the paired comparison agrees.
    expect(result.rows[0]!.values["ndcg@5"]!).toBeGreaterThan(result.rows[1]!.values["ndcg@5"]!);
    const paired = pairedComparison(userValues(result.rows[0]!.ranking!, "ndcg@5"), userValues(result.rows[1]!.ranking!, "ndcg@5"), { seed: 1 });
    expect(paired.meanDifference).toBeGreaterThan(0);
    expect(paired.interval.lower).toBeGreaterThan(0);
  });

  it("mixes rating and ranking columns, takes a Map or { data, splitter }, and is plain JSON", () => {
    const factories = new Map<string, ModelFactory>([
      ["exact", shiftedOracle(data, 0)],
      ["off by one", shiftedOracle(data, -1)],
    ]);
    const result = compareModels({ data, splitter: (d) => splitRandom(d, { testFraction: 0.25, seed: 3 }) }, factories, { metrics: ["rmse", "mae", "hitRate@3"] });
    expect(result.rows.map((r) => [r.model, r.values["rmse"], r.values["mae"]])).toEqual([
      ["exact", 0, 0],
      ["off by one", 1, 1],
    ]);
    expect(result.rows[0]!.ratings!.scored).toBe(result.testInteractions);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it("prints an aligned table", () => {
    const result = compareModels(split, { popularity, random }, { metrics: ["precision@5", "recall@5"] });
    const lines = formatComparisonTable(result).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^model\s+precision@5\s+recall@5\s+fit \(s\)\s+scoring \(s\)$/);
    expect(lines[1]!.startsWith("popularity")).toBe(true);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
    expect(lines[1]).toContain(result.rows[0]!.values["precision@5"]!.toFixed(4));
  });

  it("formats NaN and missing values, and custom digits", () => {
    const comparison: ModelComparison = {
      metrics: ["rmse", "ndcg@10"],
      trainInteractions: 1,
      testInteractions: 1,
      rows: [{ model: "m", values: { rmse: Number.NaN }, fitSeconds: 2, scoringSeconds: 0.5, ranking: null, ratings: null }],
    };
    // Widths: model 5, rmse 4, ndcg@10 7, fit (s) 7, scoring (s) 11; cells joined by two spaces; 0.5 s rounds to 1.
    expect(formatComparisonTable(comparison, { digits: 1, secondsDigits: 0 }).split("\n")).toEqual([
      "model  rmse  ndcg@10  fit (s)  scoring (s)",
      "m       NaN        -        2            1",
    ]);
    expectError(() => formatComparisonTable(comparison, { digits: -1 }), "E_BAD_INPUT", "formatComparisonTable: options.digits must be an integer in [0, 20], got -1");
    expectError(() => formatComparisonTable({} as ModelComparison), "E_BAD_INPUT", "formatComparisonTable: comparison must be the result of compareModels");
  });

  it("rejects bad input with clear errors", () => {
    expectError(() => compareModels(split, {}), "E_EMPTY", "compareModels: factories must hold at least one model, got none");
    expectError(() => compareModels(split, { x: 3 as unknown as ModelFactory }), "E_BAD_INPUT", 'compareModels: factories["x"] must be a function');
    expectError(() => compareModels(split, { x: () => null as unknown as Recommender }), "E_BAD_INPUT", 'compareModels: factories["x"] must return a Recommender');
    expectError(() => compareModels({ train: split.train } as never, { popularity }), "E_BAD_INPUT", "compareModels: split.test must be an Interactions dataset");
    expectError(() => compareModels({ data, splitter: () => 1 } as never, { popularity }), "E_BAD_INPUT", "compareModels: split.splitter must return { train, test }");
    expectError(() => compareModels(split, [popularity] as never), "E_BAD_INPUT", "compareModels: factories must be a Map or an object");
  });
});

describe("gridSearch and randomSearch", () => {
  const data = synthetic(30);

  it("tries every combination, last parameter fastest, and picks the lowest RMSE", () => {
    const seen: string[] = [];
    const search = gridSearch(
      data,
      (params: { shift: number; label: string }) => {
        seen.push(`${params.shift}/${params.label}`);
        return shiftedOracle(data, params.shift);
      },
      { grid: { shift: [-2, 0.5, 1], label: ["a", "b"] }, metric: "rmse", validation: { split: "holdout", testFraction: 0.3, seed: 1 } },
    );
    expect(seen).toEqual(["-2/a", "-2/b", "0.5/a", "0.5/b", "1/a", "1/b"]);
    expect(search.rows.map((r) => r.score)).toEqual([2, 2, 0.5, 0.5, 1, 1]);
    expect(search).toMatchObject({ metric: "rmse", direction: "minimize", validation: "holdout", bestIndex: 2 });
    expect(search.best!.params).toEqual({ shift: 0.5, label: "a" });
    expect(search.rows[0]!.standardDeviation).toBeNull();
  });

  it("returns the best row of its own table (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 6 }), fc.constantFrom<"mae" | "rmse">("mae", "rmse"), (shifts, metric) => {
        const search = gridSearch(data, ({ shift }: { shift: number }) => shiftedOracle(data, shift), {
          grid: { shift: shifts },
          metric,
          validation: { split: "holdout", seed: 2 },
          metrics: ["mse"],
        });
        const scores = search.rows.map((r) => r.score);
        const bestScore = Math.min(...scores);
        expect(search.best).toBe(search.rows[search.bestIndex]);
        expect(search.best!.score).toBe(bestScore);
        expect(search.bestIndex).toBe(scores.indexOf(bestScore));
        expect(search.metrics).toEqual([metric, "mse"]);
        search.rows.forEach((row, j) => {
          expect(row.params).toEqual({ shift: shifts[j] });
          expect(row.score).toBeCloseTo(Math.abs(shifts[j]!), 12);
          expect(row.values[metric]).toBe(row.score);
        });
      }),
      { seed: 42, numRuns: 30 },
    );
  });

  it("maximises ranking metrics and cross-validates on shared folds", () => {
    const search = gridSearch(data, ({ model }: { model: string }) => (model === "popularity" ? popularity : random), {
      grid: { model: ["random", "popularity"] },
      metric: "ndcg@5",
      validation: { folds: 3, seed: 4 },
    });
    expect(search).toMatchObject({ direction: "maximize", validation: "k-fold", bestIndex: 1 });
    expect(search.rows.every((r) => r.standardDeviation !== null && r.standardDeviation >= 0)).toBe(true);
    const cv = crossValidate(data, popularity, { folds: 3, seed: 4, metrics: ["ndcg@5"] });
    expect(search.rows[1]!.score).toBeCloseTo(cv.mean["ndcg@5"]!, 15);
    // An explicit direction overrides the default.
    expect(gridSearch(data, ({ model }: { model: string }) => (model === "popularity" ? popularity : random), {
      grid: { model: ["random", "popularity"] },
      metric: "ndcg@5",
      direction: "minimize",
      validation: { folds: 3, seed: 4 },
    }).bestIndex).toBe(0);
  });

  it("random search draws seeded candidates from choices and distributions", () => {
    const options = {
      space: {
        shift: { kind: "uniform", min: -1, max: 1 },
        rate: { kind: "log-uniform", min: 0.001, max: 0.1 },
        factors: { kind: "integer", min: 2, max: 4 },
        loss: ["a", "b"],
      },
      trials: 12,
      seed: 11,
      metric: "mae",
      validation: { split: "holdout", seed: 1 },
    } as const;
    const factoryFor = ({ shift }: { shift: number; rate: number; factors: number; loss: string }) => shiftedOracle(data, shift);
    const search = randomSearch(data, factoryFor, options);
    expect(search.rows).toHaveLength(12);
    for (const { params } of search.rows) {
      expect(params.shift).toBeGreaterThanOrEqual(-1);
      expect(params.shift).toBeLessThan(1);
      expect(params.rate).toBeGreaterThanOrEqual(0.001);
      expect(params.rate).toBeLessThan(0.1);
      expect([2, 3, 4]).toContain(params.factors);
      expect(["a", "b"]).toContain(params.loss);
    }
    expect(new Set(search.rows.map((r) => r.params.factors)).size).toBe(3);
    const shifts = search.rows.map((r) => Math.abs(r.params.shift));
    expect(search.best!.params.shift).toBe(search.rows[shifts.indexOf(Math.min(...shifts))]!.params.shift);
    expect(randomSearch(data, factoryFor, options).rows.map((r) => r.params)).toEqual(search.rows.map((r) => r.params));
    expect(randomSearch(data, factoryFor, { ...options, seed: 12 }).rows.map((r) => r.params)).not.toEqual(search.rows.map((r) => r.params));
  });

  it("has no best row when every score is NaN", () => {
    const stranger: ModelFactory = () => randomRecommender(fitRandom(createInteractions([{ user: "zz", item: "qq" }]), { seed: 1 }));
    const search = gridSearch(data, () => stranger, { grid: { a: [1, 2] }, metric: "recall@3", validation: { split: "holdout", seed: 1 } });
    expect(search.best).toBeNull();
    expect(search.bestIndex).toBe(-1);
  });

  it("rejects bad input with clear errors", () => {
    const base = { metric: "rmse" as const, validation: { split: "holdout" as const, seed: 1 } };
    const factoryFor = () => popularity;
    expectError(() => gridSearch(data, factoryFor, { ...base, grid: { a: [] } }), "E_EMPTY", 'gridSearch: options.grid["a"] must hold at least one value, got none');
    expectError(() => gridSearch(data, factoryFor, { ...base, grid: { a: 3 } as never }), "E_BAD_INPUT", 'gridSearch: options.grid["a"] must be an array of values, got 3');
    expectError(() => gridSearch(data, factoryFor, { ...base, grid: {}, validation: { seed: 1 } as never }), "E_BAD_INPUT", "gridSearch: options.validation must be { split: \"holdout\", testFraction, seed } or { folds, seed }");
    expectError(() => gridSearch(data, factoryFor, { ...base, grid: {}, validation: { folds: 1, seed: 1 } }), "E_BAD_INPUT", "gridSearch: options.validation.folds must be an integer in [2, ");
    expectError(() => gridSearch(data, factoryFor, { ...base, grid: {}, metric: "rsme" as "rmse" }), "E_BAD_INPUT", 'gridSearch: options.metric must be "mae", "rmse"');
    expectError(() => gridSearch(data, factoryFor, { ...base, grid: {}, direction: "up" as "minimize" }), "E_BAD_INPUT", 'gridSearch: options.direction must be "minimize" or "maximize", got "up"');
    expectError(() => gridSearch(data, (() => 3) as never, { ...base, grid: {} }), "E_BAD_INPUT", "gridSearch: factoryFor(params) must return a factory");
    expectError(() => randomSearch(data, factoryFor, { ...base, space: { a: { kind: "log-uniform", min: 0, max: 1 } }, trials: 1, seed: 1 }), "E_BAD_INPUT", 'randomSearch: options.space["a"] ("log-uniform") must have min > 0, got 0');
    expectError(() => randomSearch(data, factoryFor, { ...base, space: { a: { kind: "normal" } as never }, trials: 1, seed: 1 }), "E_BAD_INPUT", 'randomSearch: options.space["a"] must be an array of choices or { kind: "uniform" | "log-uniform" | "integer", min, max }');
    expectError(() => randomSearch(data, factoryFor, { ...base, space: { a: { kind: "integer", min: 1.5, max: 3 } }, trials: 1, seed: 1 }), "E_BAD_INPUT", "must have integer bounds");
    expectError(() => randomSearch(data, factoryFor, { ...base, space: { a: [1] }, trials: 0, seed: 1 }), "E_BAD_INPUT", "randomSearch: options.trials must be an integer in [1, 100000], got 0");
    expectError(() => randomSearch(data, factoryFor, { ...base, space: { a: [] }, trials: 1, seed: 1 }), "E_EMPTY", 'randomSearch: options.space["a"] must hold at least one choice, got none');
  });
});
