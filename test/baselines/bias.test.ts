import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createInteractions, type InteractionRow } from "../../src/data/index.ts";
import {
  biasesFromJSON,
  biasesToJSON,
  biasRecommender,
  fitBiases,
  predictBiases,
  type BiasModel,
} from "../../src/baselines/index.ts";
import { predict, recommend, scoreItems } from "../../src/recommend/index.ts";
import { evaluateRatings } from "../../src/evaluation/index.ts";
import { readMovieLens100kSplit } from "../../src/node/index.ts";
import { expectError } from "../helpers.ts";

const roundTrip = (model: BiasModel): BiasModel => biasesFromJSON(JSON.parse(JSON.stringify(biasesToJSON(model))));

// acme: crm 5, erp 3; globex: crm 4; μ = 12 / 3 = 4.
const rows: InteractionRow[] = [
  { user: "acme", item: "crm", value: 5 },
  { user: "acme", item: "erp", value: 3 },
  { user: "globex", item: "crm", value: 4 },
];
const data = createInteractions(rows);

describe("fitBiases (ALS)", () => {
  it("one unregularized epoch gives the hand-computed least-squares biases", () => {
    // items first: b_crm = ((5-4) + (4-4)) / 2 = 0.5, b_erp = (3-4) / 1 = -1;
    // then users: b_acme = ((5-4-0.5) + (3-4+1)) / 2 = 0.25, b_globex = (4-4-0.5) / 1 = -0.5.
    const model = fitBiases(data, { epochs: 1, itemRegularization: 0, userRegularization: 0 });
    expect(model.kind).toBe("biases");
    expect(model.version).toBe(1);
    expect(model.method).toBe("als");
    expect(model.globalMean).toBe(4);
    expect(Array.from(model.itemBiases)).toEqual([0.5, -1]);
    expect(Array.from(model.userBiases)).toEqual([0.25, -0.5]);
  });

  it("regularization divides by λ + count (Surprise's baseline_als)", () => {
    // λ_i = 1, λ_u = 2: b_crm = 1 / (1 + 2) = 1/3, b_erp = -1 / (1 + 1) = -0.5;
    // b_acme = ((5-4-1/3) + (3-4+0.5)) / (2 + 2) = (2/3 - 0.5) / 4 = 1/24; b_globex = (0 - 1/3) / (2 + 1) = -1/9.
    const model = fitBiases(data, { epochs: 1, itemRegularization: 1, userRegularization: 2 });
    expect(model.itemBiases[0]).toBeCloseTo(1 / 3, 12);
    expect(model.itemBiases[1]).toBeCloseTo(-0.5, 12);
    expect(model.userBiases[0]).toBeCloseTo(1 / 24, 12);
    expect(model.userBiases[1]).toBeCloseTo(-1 / 9, 12);
  });

  it("zero epochs leave every bias at 0 (the predictor is the global mean)", () => {
    const model = fitBiases(data, { epochs: 0 });
    expect(Array.from(model.userBiases)).toEqual([0, 0]);
    expect(Array.from(model.itemBiases)).toEqual([0, 0]);
  });

  it("defaults: ALS, 10 epochs, λ_i = λ_u = 5, clipping to the training range", () => {
    const model = fitBiases(data);
    expect(model.method).toBe("als");
    expect(model.clip).toBe(true);
    expect([model.ratingMin, model.ratingMax]).toEqual([3, 5]);
    const explicit = fitBiases(data, { method: "als", epochs: 10, itemRegularization: 5, userRegularization: 5 });
    expect(Array.from(model.userBiases)).toEqual(Array.from(explicit.userBiases));
    expect(Array.from(model.itemBiases)).toEqual(Array.from(explicit.itemBiases));
  });
});

describe("fitBiases (SGD)", () => {
  it("one epoch follows the hand-computed updates in user order", () => {
    // lr 0.1, reg 0: acme/crm: e = 5 - 4 = 1 -> b_acme = 0.1, b_crm = 0.1;
    // acme/erp: e = 3 - (4 + 0.1 + 0) = -1.1 -> b_acme = 0.1 - 0.11 = -0.01, b_erp = -0.11;
    // globex/crm: e = 4 - (4 + 0 + 0.1) = -0.1 -> b_globex = -0.01, b_crm = 0.1 - 0.01 = 0.09.
    const model = fitBiases(data, { method: "sgd", epochs: 1, learningRate: 0.1, regularization: 0 });
    expect(model.userBiases[0]).toBeCloseTo(-0.01, 12);
    expect(model.userBiases[1]).toBeCloseTo(-0.01, 12);
    expect(model.itemBiases[0]).toBeCloseTo(0.09, 12);
    expect(model.itemBiases[1]).toBeCloseTo(-0.11, 12);
  });

  it("regularization shrinks each update toward 0", () => {
    const model = fitBiases(createInteractions([{ user: "a", item: "x", value: 2 }, { user: "b", item: "x", value: 4 }]), {
      method: "sgd",
      epochs: 1,
      learningRate: 0.1,
      regularization: 0.5,
    });
    // μ = 3; a/x: e = -1 -> b_a = -0.1, b_x = -0.1; b/x: e = 4 - (3 + 0 - 0.1) = 1.1 -> b_b = 0.11,
    // b_x = -0.1 + 0.1 * (1.1 - 0.5 * -0.1) = -0.1 + 0.115 = 0.015
    expect(model.userBiases[0]).toBeCloseTo(-0.1, 12);
    expect(model.userBiases[1]).toBeCloseTo(0.11, 12);
    expect(model.itemBiases[0]).toBeCloseTo(0.015, 12);
  });
});

describe("predictions and cold start", () => {
  const model = fitBiases(data, { epochs: 1, itemRegularization: 0, userRegularization: 0, clip: false });

  it("predict is μ + b_u + b_i and agrees with scoreUser", () => {
    const recommender = biasRecommender(model);
    expect(recommender.name).toBe("biases");
    expect(recommender.predict!(0, 0)).toBe(4 + 0.25 + 0.5);
    expect(recommender.predict!(1, 1)).toBe(4 - 0.5 - 1);
    const out = new Float64Array(2);
    recommender.scoreUser(1, out);
    expect(Array.from(out)).toEqual([4 - 0.5 + 0.5, 4 - 0.5 - 1]);
  });

  it("an unknown item gets μ + b_u, an unknown user μ + b_i, both unknown μ, each marked", () => {
    expect(predictBiases(model, "acme", "hr")).toEqual({ user: "acme", item: "hr", value: 4.25, fallback: { reason: "unknown-item", source: "biases" } });
    expect(predictBiases(model, "hooli", "erp")).toEqual({ user: "hooli", item: "erp", value: 3, fallback: { reason: "unknown-user", source: "biases" } });
    expect(predictBiases(model, "hooli", "hr").value).toBe(4);
    expect(predictBiases(model, "hooli", "hr").fallback).toEqual({ reason: "unknown-user-and-item", source: "biases" });
    expect(predictBiases(model, "acme", "crm").fallback).toBeNull();
  });

  it("the generic predict and evaluateRatings use the model's cold-pair estimate for an unknown item", () => {
    const recommender = biasRecommender(model);
    expect(predict(recommender, "acme", "hr")).toEqual(predictBiases(model, "acme", "hr"));
    expect(predict(recommender, "hooli", "hr")).toEqual(predictBiases(model, "hooli", "hr"));
    // One known pair (acme, crm: 4.75 vs 5) and one with an unknown item (acme, hr: μ + b_u = 4.25 vs 4).
    const test = createInteractions([
      { user: "acme", item: "crm", value: 5 },
      { user: "acme", item: "hr", value: 4 },
    ]);
    const result = evaluateRatings(recommender, test);
    expect(result.scored).toBe(2);
    expect(result.fallbackPairs).toBe(1);
    expect(result.unpredictable.unknownItem).toBe(0);
    expect(result.mae).toBeCloseTo((0.25 + 0.25) / 2, 12);
  });

  it("an unknown user gets the μ + b_i ranking through recommend, marked", () => {
    const result = recommend(biasRecommender(model), "hooli", { k: 2 });
    expect(result.fallback).toEqual({ reason: "unknown-user", source: "biases" });
    expect(result.items.map((r) => [r.item, r.score])).toEqual([["crm", 4.5], ["erp", 3]]);
    expect(() => recommend(biasRecommender(model), "hooli", { strict: true })).toThrow(/hooli/);
  });

  it("clipping keeps predictions inside the rating range", () => {
    const clipped = fitBiases(data, { epochs: 1, itemRegularization: 0, userRegularization: 0, ratingRange: [1, 4.5] });
    expect(biasRecommender(clipped).predict!(0, 0)).toBe(4.5);
    expect(biasRecommender(clipped).predict!(1, 1)).toBe(2.5);
    expect(predictBiases(clipped, "acme", "crm").value).toBe(4.5);
  });

  it("a known user's seen items are the training items", () => {
    expect(Array.from(biasRecommender(model).seenItems(0))).toEqual([0, 1]);
    expect(recommend(biasRecommender(model), "globex").items.map((r) => r.item)).toEqual(["erp"]);
  });
});

describe("validation", () => {
  it("rejects bad options and models with named errors", () => {
    expectError(() => fitBiases(data, { method: "newton" as "als" }), "E_BAD_INPUT", /^fitBiases: options\.method must be one of "als", "sgd", got "newton"$/);
    expectError(() => fitBiases(data, { epochs: -1 }), "E_BAD_INPUT", "options.epochs");
    expectError(() => fitBiases(data, { learningRate: Number.NaN }), "E_NON_FINITE", "options.learningRate");
    expectError(() => fitBiases(data, { ratingRange: [5, 1] }), "E_BAD_INPUT", "options.ratingRange");
    expectError(() => fitBiases({} as never), "E_BAD_INPUT", "fitBiases: interactions must be an Interactions dataset");
    expectError(() => biasRecommender({ kind: "popularity" } as never), "E_BAD_MODEL", 'kind "popularity"');
    expectError(() => biasRecommender(model()).predict!(0, 7), "E_BAD_INPUT", "item must be an item index in [0, 2)");
    expectError(() => predictBiases(model(), Number.NaN, "crm"), "E_NON_FINITE", "predictBiases: user");
  });

  it("fromJSON names the broken field", () => {
    const json = biasesToJSON(model());
    expectError(() => biasesFromJSON({ ...json, kind: "knn" }), "E_BAD_MODEL", "json.kind");
    expectError(() => biasesFromJSON({ ...json, itemBiases: [0, "x"] }), "E_BAD_MODEL", "json.itemBiases[1]");
    expectError(() => biasesFromJSON({ ...json, ratingMin: 9 }), "E_BAD_MODEL", "json.ratingMax must be >= json.ratingMin = 9");
    expectError(() => biasesFromJSON({ ...json, method: "adam" }), "E_BAD_MODEL", "json.method");
    expectError(() => biasesFromJSON({ ...json, clip: 1 }), "E_BAD_MODEL", "json.clip must be a boolean");
  });

  function model(): BiasModel {
    return fitBiases(data);
  }
});

const ratingRows = fc
  .array(fc.record({ user: fc.integer({ min: 0, max: 6 }), item: fc.integer({ min: 0, max: 6 }), value: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 40 })
  .map((list) => createInteractions(list.map((r) => ({ user: `u${r.user}`, item: `i${r.item}`, value: r.value })), { duplicates: "last" }));

describe("properties", () => {
  it("JSON round trip gives identical predictions (ALS and SGD)", () => {
    fc.assert(
      fc.property(ratingRows, fc.constantFrom("als" as const, "sgd" as const), (d, method) => {
        const model = fitBiases(d, { method });
        const a = biasRecommender(model);
        const b = biasRecommender(roundTrip(model));
        for (let u = 0; u < d.users.ids.length; u++) {
          expect(Array.from(scoreItems(b, d.users.ids[u]!).scores)).toEqual(Array.from(scoreItems(a, d.users.ids[u]!).scores));
        }
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it("clipped predictions stay within the rating range and predict agrees with scoreUser", () => {
    fc.assert(
      fc.property(ratingRows, (d) => {
        const model = fitBiases(d, { itemRegularization: 0, userRegularization: 0 });
        const r = biasRecommender(model);
        const out = new Float64Array(d.items.ids.length);
        for (let u = 0; u < d.users.ids.length; u++) {
          r.scoreUser(u, out);
          for (let i = 0; i < out.length; i++) {
            expect(out[i]).toBeGreaterThanOrEqual(model.ratingMin);
            expect(out[i]).toBeLessThanOrEqual(model.ratingMax);
            expect(r.predict!(u, i)).toBe(out[i]);
          }
        }
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it("unregularized ALS never fits the training ratings worse than the global mean", () => {
    // each ALS half-step is the exact least-squares minimizer given the other biases, so the training squared error
    // cannot rise above that of the all-zero start (the global mean)
    fc.assert(
      fc.property(ratingRows, fc.integer({ min: 1, max: 5 }), (d, epochs) => {
        const model = fitBiases(d, { epochs, itemRegularization: 0, userRegularization: 0, clip: false });
        let fitted = 0;
        let mean = 0;
        const { indptr, indices, values } = d.byUser;
        for (let u = 0; u < d.byUser.rows; u++) {
          for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
            fitted += (model.globalMean + model.userBiases[u]! + model.itemBiases[indices[p]!]! - values[p]!) ** 2;
            mean += (model.globalMean - values[p]!) ** 2;
          }
        }
        expect(fitted).toBeLessThanOrEqual(mean + 1e-9);
      }),
      { seed: 42, numRuns: 60 },
    );
  });
});

const movieLens = path.resolve(import.meta.dirname, "../../../shared/data/movielens-100k");
if (!existsSync(movieLens)) console.log(`skipping the MovieLens 100K baseline test: ${movieLens} not found`);

describe.skipIf(!existsSync(movieLens))("MovieLens 100K fold u1 (real data)", () => {
  it("the baseline predictor reaches RMSE <= 0.960 on u1.test (0.955 measured; 0.960 with Surprise's regularization)", async () => {
    // Protocol: train on u1.base, predict every rating of u1.test (cold items and users kept, with the documented
    // fallbacks), RMSE. Mean over u1..u5 is in bench/neighbors-accuracy.ts.
    const { train, test } = await readMovieLens100kSplit(movieLens, { split: "u1", coldStart: "keep" });
    const model = fitBiases(train);
    const { indptr, indices, values } = test.byUser;
    let squared = 0;
    let count = 0;
    for (let u = 0; u < test.byUser.rows; u++) {
      for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
        const predicted = predictBiases(model, test.users.ids[u]!, test.items.ids[indices[p]!]!).value;
        squared += (predicted - values[p]!) ** 2;
        count++;
      }
    }
    expect(count).toBe(20000);
    expect(Math.sqrt(squared / count)).toBeLessThanOrEqual(0.96);
  });
});

describe("fitBiases SGD divergence (issue 15)", () => {
  it("throws E_NON_FINITE naming the learning rate when SGD diverges (learningRate 5 gave biases near 1e136)", () => {
    const ratings = createInteractions([
      { user: "a", item: "x", value: 5 }, { user: "a", item: "y", value: 1 }, { user: "b", item: "x", value: 4 },
      { user: "b", item: "z", value: 2 }, { user: "c", item: "y", value: 3 }, { user: "c", item: "z", value: 5 },
    ]);
    expectError(() => fitBiases(ratings, { method: "sgd", learningRate: 5 }), "E_NON_FINITE", "fitBiases: SGD training must stay within the ratings' range");
    const fine = fitBiases(ratings, { method: "sgd" });
    for (const b of [...fine.userBiases, ...fine.itemBiases]) expect(Math.abs(b)).toBeLessThan(5);
  });
});
