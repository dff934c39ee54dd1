import { existsSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitPopularity, popularityRecommender } from "../../src/baselines/index.ts";
import { createInteractions, splitRandom, type InteractionRow, type Interactions } from "../../src/data/index.ts";
import { evaluateRanking } from "../../src/evaluation/index.ts";
import { explainItemWeightsScore } from "../../src/explain/index.ts";
import { easeFromJSON, easeRecommender, easeToJSON, fitEase, type EaseModel } from "../../src/neighbors/index.ts";
import { readMovieLens100k } from "../../src/node/index.ts";
import { recommend, scoreItems } from "../../src/recommend/index.ts";
import { expectError } from "../helpers.ts";
import { ratings } from "./fixtures.ts";

const roundTrip = (model: EaseModel): EaseModel => easeFromJSON(JSON.parse(JSON.stringify(easeToJSON(model))));

// Purchases: items crm(0), erp(1), bi(2)
//           crm erp bi
//   acme     1   1  .
//   globex   1   1  1
//   initech  1   .  .
const rows: InteractionRow[] = [
  { user: "acme", item: "crm" },
  { user: "acme", item: "erp" },
  { user: "globex", item: "crm" },
  { user: "globex", item: "erp" },
  { user: "globex", item: "bi" },
  { user: "initech", item: "crm" },
];
const data = createInteractions(rows);

/** X (users × items, dense) as the model saw it: its stored input values. */
function denseX(model: EaseModel): Float64Array {
  const n = model.items.ids.length;
  const X = new Float64Array(model.users.ids.length * n);
  for (let u = 0; u < model.users.ids.length; u++) {
    for (let p = model.seenIndptr[u]!; p < model.seenIndptr[u + 1]!; p++) X[u * n + model.seenIndices[p]!] = model.seenValues[p]!;
  }
  return X;
}

/** G + λI = XᵀX + λI from the model's own X and λ. */
function regularizedGram(model: EaseModel): Float64Array {
  const n = model.items.ids.length;
  const m = model.users.ids.length;
  const X = denseX(model);
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let u = 0; u < m; u++) s += X[u * n + i]! * X[u * n + j]!;
      G[i * n + j] = s + (i === j ? model.regularization : 0);
    }
  }
  return G;
}

describe("fitEase, by hand", () => {
  it("B_ij = −P_ij / P_jj with P = (XᵀX + λI)⁻¹ and a zero diagonal (3 × 3, λ = 1)", () => {
    // XᵀX + I = [[4, 2, 1], [2, 3, 1], [1, 1, 2]], P = [[5, −3, −1], [−3, 7, −2], [−1, −2, 8]] / 13
    const model = fitEase(data, { regularization: 1 });
    const expected = [0, 3 / 7, 1 / 8, 3 / 5, 0, 1 / 4, 1 / 5, 2 / 7, 0];
    expected.forEach((w, k) => expect(model.weights[k]).toBe(Math.fround(w)));
    expect(model.kind).toBe("ease");
    expect(model.regularization).toBe(1);
    expect(Object.isFrozen(model)).toBe(true);
  });

  it("λ defaults to 10 × the mean diagonal of XᵀX; relativeRegularization scales it; regularization is absolute", () => {
    // diagonal of XᵀX: buyers per item 3, 2, 1 → mean 2
    expect(fitEase(data).regularization).toBe(20);
    expect(fitEase(data, { relativeRegularization: 2 }).regularization).toBe(4);
    expect(fitEase(data, { regularization: 7 }).regularization).toBe(7);
    // counts: raw values change the scale and λ follows it
    const counts = createInteractions(rows.map((r) => ({ ...r, value: 10 })));
    expect(fitEase(counts, { values: "raw" }).regularization).toBe(10 * ((300 + 200 + 100) / 3));
    // the relative default makes binary and scaled raw values give the same weights
    const a = fitEase(data);
    const b = fitEase(counts, { values: "raw" });
    for (let k = 0; k < 9; k++) expect(b.weights[k]).toBeCloseTo(a.weights[k]!, 6);
  });

  it("values: binary by default; raw and log1p keep the counts; X is what the model stores", () => {
    const counts = createInteractions([{ user: "a", item: "x", value: 4 }, { user: "a", item: "y", value: 1 }, { user: "b", item: "x", value: 2 }]);
    expect(Array.from(fitEase(counts).seenValues)).toEqual([1, 1, 1]);
    expect(Array.from(fitEase(counts, { values: "raw" }).seenValues)).toEqual([4, 1, 2]);
    expect(Array.from(fitEase(counts, { values: "log1p" }).seenValues)).toEqual([Math.log1p(4), Math.log1p(1), Math.log1p(2)]);
    expect(fitEase(counts, { values: "log1p" }).values).toBe("log1p");
  });

  it("dropNegative leaves net returns out of X but keeps them seen", () => {
    const returns = createInteractions([
      { user: "a", item: "x", value: 2 },
      { user: "a", item: "y", value: -1 },
      { user: "b", item: "x", value: 1 },
      { user: "b", item: "y", value: 3 },
    ]);
    const model = fitEase(returns, { dropNegative: true });
    expect(Array.from(model.seenValues)).toEqual([1, 0, 1, 1]);
    expect(model.dropNegative).toBe(true);
    const recommender = easeRecommender(model);
    expect(Array.from(recommender.seenItems(0))).toEqual([0, 1]);
    // a's score for y comes from x only: B(x, y)
    expect(scoreItems(recommender, "a").scores[1]).toBe(model.weights[1]);
    // binary without dropNegative counts the pair as bought; log1p refuses a negative value
    expect(Array.from(fitEase(returns).seenValues)).toEqual([1, 1, 1, 1]);
    expectError(() => fitEase(returns, { values: "log1p" }), "E_BAD_INPUT", 'fitEase: interactions values must be >= 0 with options.values "log1p" unless options.dropNegative, got -1 for user "a", item "y"');
    expect(Array.from(fitEase(returns, { values: "log1p", dropNegative: true }).seenValues)).toEqual([Math.log1p(2), 0, Math.log1p(1), Math.log1p(3)]);
  });

  it("recommends by Σ x_ui B_ij and falls back to popularity for unknown users", () => {
    const recommender = easeRecommender(fitEase(data, { regularization: 1 }));
    const result = recommend(recommender, "initech");
    expect(result.items.map((r) => r.item)).toEqual(["erp", "bi"]);
    expect(result.items[0]!.score).toBe(Math.fround(3 / 7));
    const cold = scoreItems(recommender, "hooli");
    expect(cold.fallback).toEqual({ reason: "unknown-user", source: "popularity" });
    expect(Array.from(cold.scores)).toEqual([3, 2, 1]);
    expect(recommender.name).toBe("ease");
    expect(recommender.predict).toBeUndefined();
  });
});

describe("fitEase, properties", () => {
  it("diag(B) = 0 and (XᵀX + λI)(I − B) is diagonal (the constrained least-squares optimum)", () => {
    fc.assert(
      fc.property(ratings, fc.constantFrom<"binary" | "raw" | "log1p">("binary", "raw", "log1p"), fc.constantFrom(0.1, 0.5, 2), (interactions, values, relative) => {
        const model = fitEase(interactions, { values, relativeRegularization: relative });
        const n = model.items.ids.length;
        const A = regularizedGram(model);
        let scale = 0;
        for (const v of A) scale = Math.max(scale, Math.abs(v));
        for (let i = 0; i < n; i++) {
          expect(model.weights[i * n + i]).toBe(0);
          for (let j = 0; j < n; j++) {
            if (i === j) continue;
            // ((G + λI)(I − B))_ij = A_ij − Σ_k A_ik B_kj
            let s = A[i * n + j]!;
            for (let k = 0; k < n; k++) s -= A[i * n + k]! * model.weights[k * n + j]!;
            expect(Math.abs(s)).toBeLessThan(1e-5 * scale * n);
          }
        }
      }),
      { seed: 21, numRuns: 80 },
    );
  });

  it("scores are the user's sparse row of X times B, and the explanation's parts add up to them exactly", () => {
    fc.assert(
      fc.property(ratings, (interactions) => {
        const model = fitEase(interactions, { values: "raw" });
        const recommender = easeRecommender(model);
        const n = model.items.ids.length;
        const X = denseX(model);
        for (const user of model.users.ids) {
          const u = model.users.lookup.get(user)!;
          const scores = scoreItems(recommender, user).scores;
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let i = 0; i < n; i++) s += X[u * n + i]! * model.weights[i * n + j]!;
            expect(scores[j]).toBeCloseTo(s, 10);
            const why = explainItemWeightsScore(model, user, model.items.ids[j]!);
            expect(why.output).toBe(scores[j]);
            let sum = why.baseValue;
            for (const v of why.values) sum += v;
            expect(sum).toBe(scores[j]);
          }
        }
      }),
      { seed: 22, numRuns: 60 },
    );
  });

  it("the JSON round trip is identical and scores the same", () => {
    fc.assert(
      fc.property(ratings, fc.boolean(), (interactions, dropNegative) => {
        const model = fitEase(interactions, { values: "log1p", dropNegative });
        const back = roundTrip(model);
        expect(back).toEqual(model);
        expect(easeToJSON(back)).toEqual(easeToJSON(model));
        const user = model.users.ids[0]!;
        expect(scoreItems(easeRecommender(back), user).scores).toEqual(scoreItems(easeRecommender(model), user).scores);
      }),
      { seed: 23, numRuns: 40 },
    );
  });

  it("does not change its input", () => {
    fc.assert(
      fc.property(ratings, (interactions: Interactions) => {
        const values = interactions.byUser.values.slice();
        fitEase(interactions, { values: "raw" });
        expect(interactions.byUser.values).toEqual(values);
      }),
      { seed: 24, numRuns: 20 },
    );
  });
});

describe("fitEase and its JSON, errors", () => {
  it("rejects bad options naming the field", () => {
    expectError(() => fitEase(data, { regularization: 0 }), "E_BAD_INPUT", "fitEase: options.regularization must be > 0, got 0");
    expectError(() => fitEase(data, { threads: 0 }), "E_BAD_INPUT", "fitEase: options.threads");
    expectError(() => fitEase(data, { regularization: Number.NaN }), "E_NON_FINITE", "fitEase: options.regularization must be finite, got NaN");
    expectError(() => fitEase(data, { relativeRegularization: -1 }), "E_BAD_INPUT", "fitEase: options.relativeRegularization must be > 0, got -1");
    expectError(() => fitEase(data, { regularization: 1, relativeRegularization: 1 }), "E_BAD_INPUT", "fitEase: options.regularization and options.relativeRegularization must not both be given, got 1 and 1");
    expectError(() => fitEase(data, { values: "counts" as never }), "E_BAD_INPUT", 'fitEase: options.values must be one of "raw", "binary", "log1p", "bm25", "tfidf", got "counts"');
    expectError(() => fitEase(data, { dropNegative: "yes" as never }), "E_BAD_INPUT", 'fitEase: options.dropNegative must be a boolean, got "yes"');
    expectError(() => fitEase(data, null as never), "E_BAD_INPUT", "fitEase: options must be an object, got null");
    expectError(() => fitEase({} as never), "E_BAD_INPUT", "fitEase: interactions must be an Interactions dataset");
    const infinite = createInteractions([{ user: "a", item: "x", value: 1 }]);
    (infinite.byUser.values as Float64Array)[0] = Number.POSITIVE_INFINITY;
    expectError(() => fitEase(infinite, { values: "raw" }), "E_NON_FINITE", "fitEase: interactions.byUser.values[0] (user row 0) must be finite, got Infinity");
  });

  it("a λ far too small for a singular XᵀX is E_NOT_CONVERGED, naming the item whose pivot vanished", () => {
    const twins = createInteractions([{ user: "a", item: "x" }, { user: "a", item: "y" }]);
    expectError(() => fitEase(twins, { regularization: 1e-20 }), "E_NOT_CONVERGED", 'fitEase: options.regularization must make XᵀX + λI positive definite to working precision, got λ = 1e-20 (pivot of item "y")');
    expect(fitEase(twins, { regularization: 1e-6 }).weights[1]).toBeCloseTo(1, 5);
  });

  it("rejects malformed JSON naming the first offending field", () => {
    const json = easeToJSON(fitEase(data, { regularization: 1 }));
    expectError(() => easeFromJSON({ ...json, kind: "rp3beta" }), "E_BAD_MODEL", 'easeFromJSON: json.kind must be "ease", got "rp3beta"');
    expectError(() => easeFromJSON({ ...json, version: 2 }), "E_BAD_MODEL", "easeFromJSON: json.version must be 1");
    expectError(() => easeFromJSON({ ...json, values: "counts" }), "E_BAD_MODEL", 'easeFromJSON: json.values must be one of "raw", "binary", "log1p", "bm25", "tfidf", got "counts"');
    expectError(() => easeFromJSON({ ...json, dropNegative: 0 }), "E_BAD_MODEL", "easeFromJSON: json.dropNegative must be a boolean, got 0");
    expectError(() => easeFromJSON({ ...json, regularization: -1 }), "E_BAD_MODEL", "easeFromJSON: json.regularization must be a finite number > 0, got -1");
    expectError(() => easeFromJSON({ ...json, weights: json.weights.slice(1) }), "E_BAD_MODEL", "easeFromJSON: json.weights must have length 9 (items × items), got length 8");
    expectError(() => easeFromJSON({ ...json, weights: json.weights.map((w, k) => (k === 1 ? null : w)) }), "E_BAD_MODEL", "easeFromJSON: json.weights[1] must be a finite number, got null");
    expectError(() => easeFromJSON({ ...json, weights: json.weights.map((w, k) => (k === 2 ? 1e39 : w)) }), "E_BAD_MODEL", "easeFromJSON: json.weights[2] must be a finite number that fits a 32-bit float, got 1e+39");
    expectError(() => easeFromJSON({ ...json, weights: json.weights.map((w, k) => (k === 4 ? 0.5 : w)) }), "E_BAD_MODEL", "easeFromJSON: json.weights[4] must be 0 (the diagonal B(1, 1)), got 0.5");
    expectError(() => easeFromJSON({ ...json, seenIndices: [0, 1, 0, 1, 2, 3] }), "E_BAD_MODEL", "easeFromJSON: json.seenIndices[5] must be an integer in [0, 2], got 3");
    expectError(() => easeFromJSON({ ...json, seenValues: [1, 1] }), "E_BAD_MODEL", "easeFromJSON: json.seenValues must have length 6 (one per interaction), got length 2");
    expectError(() => easeFromJSON({ ...json, weights: new Float32Array(9) }), "E_BAD_MODEL", "easeFromJSON: json.weights must be an array of numbers (serialize models with easeToJSON), got Float32Array of length 9");
    expectError(() => easeFromJSON("ease"), "E_BAD_MODEL", 'easeFromJSON: json must be an object (a parsed model), got "ease"');
  });

  it("the adapter and the JSON writer reject what is not an EASE model", () => {
    const model = fitEase(data, { regularization: 1 });
    expectError(() => easeRecommender({ kind: "rp3beta" } as never), "E_BAD_MODEL", 'easeRecommender: model must be an EASE model (kind "ease"), got kind "rp3beta"');
    expectError(() => easeRecommender({ ...model, weights: new Float32Array(4) }), "E_BAD_MODEL", "easeRecommender: model.weights must be a Float32Array of length 9 (items × items), got Float32Array of length 4");
    expectError(() => easeToJSON({ ...model, version: 2 } as never), "E_BAD_MODEL", "easeToJSON: model.version must be 1, got 2");
    const recommender = easeRecommender(model);
    expectError(() => recommender.scoreUser(3, new Float64Array(3)), "E_BAD_INPUT", "easeRecommender.scoreUser: user must be a user index in [0, 3), got 3");
    expectError(() => recommender.scoreUser(0, new Float64Array(2)), "E_SHAPE", "easeRecommender.scoreUser: out must be a Float64Array of length 3");
  });
});

describe("explainItemWeightsScore on EASE", () => {
  it("by hand: a purchase's part is x_ui · B(i, item); parts may be negative", () => {
    const model = fitEase(data, { regularization: 1 });
    const why = explainItemWeightsScore(model, "globex", "crm");
    expect(why.featureNames).toEqual(["crm", "erp", "bi"]);
    expect(why.values).toEqual([0, Math.fround(3 / 5), Math.fround(1 / 5)]);
    expect(why.data).toEqual([1, 1, 1]);
    expect(why.method).toBe("item-item");
    expect(why.output).toBe(scoreItems(easeRecommender(model), "globex").scores[0]);
  });

  it("rejects unknown ids and other models", () => {
    const model = fitEase(data, { regularization: 1 });
    expectError(() => explainItemWeightsScore(model, "hooli", "crm"), "E_UNKNOWN_ID", 'explainItemWeightsScore: user must be a user the model knows (the popularity fallback has no purchases to attribute), got "hooli"');
    expectError(() => explainItemWeightsScore(model, "acme", "hr"), "E_UNKNOWN_ID", 'explainItemWeightsScore: item must be an item the model knows, got "hr"');
    expectError(() => explainItemWeightsScore({ kind: "knn" } as never, "acme", "crm"), "E_BAD_MODEL", 'explainItemWeightsScore: model must be an EASE or RP3β model (kind "ease" or "rp3beta"), got kind "knn"');
    expectError(() => explainItemWeightsScore({ ...model, weights: new Float32Array(1) }, "acme", "crm"), "E_BAD_MODEL", "explainItemWeightsScore: model.weights must be a Float32Array of length 9 (items × items), got Float32Array of length 1");
  });
});

const movieLens = path.resolve(import.meta.dirname, "../../../shared/data/movielens-100k");
if (!existsSync(movieLens)) console.log(`skipping the MovieLens 100K EASE test: ${movieLens} not found`);

describe.skipIf(!existsSync(movieLens))("MovieLens 100K as implicit data (real data)", () => {
  it("EASE at its defaults beats popularity on NDCG@10 by far (0.446 vs 0.215 measured with seed 42)", async () => {
    // Protocol as the item-item test: every rating an interaction of value 1; 80/20 random split (seed 42); users
    // with a test item; top 10 with train items filtered; NDCG@10 with binary gain.
    const ml = await readMovieLens100k(movieLens);
    const all: InteractionRow[] = [];
    for (let u = 0; u < ml.byUser.rows; u++) {
      for (let p = ml.byUser.indptr[u]!; p < ml.byUser.indptr[u + 1]!; p++) all.push({ user: ml.users.ids[u]!, item: ml.items.ids[ml.byUser.indices[p]!]! });
    }
    const { train, test } = splitRandom(createInteractions(all), { seed: 42, testFraction: 0.2 });
    const ease = evaluateRanking(easeRecommender(fitEase(train)), test, { k: 10, metrics: ["ndcg"] });
    const popularity = evaluateRanking(popularityRecommender(fitPopularity(train)), test, { k: 10, metrics: ["ndcg"] });
    expect(ease.users.evaluated).toBeGreaterThan(900);
    expect(ease.mean["ndcg@10"]).toBeGreaterThanOrEqual(0.43);
    expect(ease.mean["ndcg@10"]! / popularity.mean["ndcg@10"]!).toBeGreaterThan(1.9);
  });
});

describe("fitEase recencyHalfLifeDays", () => {
  const day = 86_400;
  const rows = [
    { user: "acme", item: "crm", timestamp: 0 },
    { user: "acme", item: "erp", timestamp: 30 * day },
    { user: "globex", item: "crm", timestamp: 60 * day },
    { user: "globex", item: "bi", timestamp: 90 * day },
    { user: "initech", item: "erp", timestamp: 80 * day },
    { user: "initech", item: "bi", timestamp: 85 * day },
  ];
  it("is classic EASE on X weighted by 0.5^(age of the last purchase / half-life), and round-trips", () => {
    const data = createInteractions(rows);
    const model = fitEase(data, { recencyHalfLifeDays: 30, regularization: 0.5 });
    expect(model.recency).toEqual({ halfLifeDays: 30, asOf: 90 * day, timeUnit: "seconds" });
    const weighted = createInteractions(rows.map((r) => ({ ...r, value: Math.pow(0.5, (90 * day - r.timestamp) / (30 * day)) })));
    const manual = fitEase(weighted, { values: "raw", regularization: 0.5 });
    for (let p = 0; p < model.weights.length; p++) expect(model.weights[p]).toBeCloseTo(manual.weights[p]!, 6);
    for (let p = 0; p < model.seenValues.length; p++) expect(model.seenValues[p]).toBeCloseTo(manual.seenValues[p]!, 12);
    const copy = easeFromJSON(JSON.parse(JSON.stringify(easeToJSON(model))));
    expect(copy.recency).toEqual(model.recency);
    const classic = easeFromJSON(JSON.parse(JSON.stringify(easeToJSON(fitEase(data)))));
    expect(classic.recency.halfLifeDays).toBe(Number.POSITIVE_INFINITY);
  });

  it("needs timestamps and a positive half-life", () => {
    expectError(() => fitEase(createInteractions([{ user: "a", item: "x" }]), { recencyHalfLifeDays: 30 }), "E_BAD_INPUT", "interactions must have timestamps with options.recencyHalfLifeDays");
    expectError(() => fitEase(createInteractions(rows), { recencyHalfLifeDays: 0 }), "E_BAD_INPUT", "options.recencyHalfLifeDays must be a number > 0");
  });
});
