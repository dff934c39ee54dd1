import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createIdIndex } from "../../src/core/id-index.ts";
import { alignToTrain, createInteractions, type Interactions } from "../../src/data/index.ts";
import { evaluateRatings, userValues } from "../../src/evaluation/index.ts";
import type { Recommender } from "../../src/recommend/index.ts";
import { fixedRecommender } from "../recommend/fixtures.ts";
import { expectError } from "../helpers.ts";

// Predicts 4 for every item of "ann", 2 for "bob"; the fallback predicts 3 for everyone.
const model = fixedRecommender({
  users: ["ann", "bob"],
  items: ["x", "y", "w"],
  scores: [
    [4, 4, Number.NaN],
    [2, 2, 2],
  ],
  seen: [[], []],
  fallback: [3, 3, 3],
});

// ann: x 5, y 3, w 1 (the model cannot predict w); bob: x 4, z 1 (z unknown); cat: x 2 (unknown user).
const test = createInteractions([
  { user: "ann", item: "x", value: 5 },
  { user: "ann", item: "y", value: 3 },
  { user: "ann", item: "w", value: 1 },
  { user: "bob", item: "x", value: 4 },
  { user: "bob", item: "z", value: 1 },
  { user: "cat", item: "x", value: 2 },
]);

// Train values 5, 4, 3: global mean 4.
const train = createInteractions([
  { user: "ann", item: "w", value: 5 },
  { user: "bob", item: "y", value: 4 },
  { user: "bob", item: "w", value: 3 },
]);

/** A model that predicts exactly the values of `data` (NaN elsewhere), through predict(u, i). */
function oracle(data: Interactions, noise: (user: number, item: number) => number = () => 0): Recommender {
  const { indptr, indices, values } = data.byUser;
  const valueOf = (u: number, i: number): number => {
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) if (indices[p] === i) return values[p]! + noise(u, i);
    return Number.NaN;
  };
  return {
    name: "oracle",
    users: data.users,
    items: data.items,
    scoreUser(user, out) {
      for (let i = 0; i < out.length; i++) out[i] = valueOf(user, i);
    },
    seenItems: () => [],
    predict: valueOf,
  };
}

describe("evaluateRatings: hand-computed", () => {
  it("skips unpredictable pairs by default and counts them by cause", () => {
    // Predicted pairs: ann x (4 vs 5), ann y (4 vs 3), bob x (2 vs 4): absolute errors 1, 1, 2.
    // MAE = 4/3, MSE = (1 + 1 + 4)/3 = 2, RMSE = √2. Unpredictable: ann w (NaN), bob z (unknown item), cat (unknown user).
    const result = evaluateRatings(model, test);
    expect(result.protocol).toBe("ratings");
    expect(result.model).toBe("fixed");
    expect(result.mae).toBeCloseTo(4 / 3, 15);
    expect(result.mse).toBeCloseTo(2, 15);
    expect(result.rmse).toBeCloseTo(Math.SQRT2, 15);
    expect(result).toMatchObject({ pairs: 6, scored: 3, fallbackPairs: 0 });
    expect(result.unpredictable).toEqual({ total: 3, unknownItem: 1, unknownUser: 1, noPrediction: 1, treatment: "skip", fillValue: null });
    // Per user: ann errors 1, 1 (MAE 1, MSE 1); bob error 2 (MAE 2, MSE 4, RMSE 2); cat has no scored pair.
    expect(result.perUser).toEqual({ users: ["ann", "bob"], values: { mae: [1, 2], rmse: [1, 2], mse: [1, 4], count: [2, 1] } });
  });

  it('fills unpredictable pairs with the train mean under "global-mean" (Surprise and cornac convention)', () => {
    // Fill 4: ann w (4 vs 1: 3), bob z (4 vs 1: 3), cat x (4 vs 2: 2), plus 1, 1, 2 as above.
    // MAE = (1 + 1 + 3 + 2 + 3 + 2)/6 = 2, MSE = (1 + 1 + 9 + 4 + 9 + 4)/6 = 28/6.
    const result = evaluateRatings(model, test, { unpredictable: "global-mean", train });
    expect(result.mae).toBeCloseTo(2, 15);
    expect(result.mse).toBeCloseTo(28 / 6, 14);
    expect(result.scored).toBe(6);
    expect(result.unpredictable).toMatchObject({ total: 3, treatment: "global-mean", fillValue: 4 });
    expect(result.perUser.users).toEqual(["ann", "bob", "cat"]);
    expect(result.perUser.values["count"]).toEqual([3, 2, 1]);
  });

  it("uses the fallback for unknown users only when asked", () => {
    // cat x: fallback 3 vs 2, error 1: MAE (1 + 1 + 2 + 1)/4 = 5/4.
    const result = evaluateRatings(model, test, { useFallback: true });
    expect(result.mae).toBeCloseTo(5 / 4, 15);
    expect(result).toMatchObject({ scored: 4, fallbackPairs: 1 });
    expect(result.unpredictable).toMatchObject({ total: 2, unknownUser: 0 });
  });

  it("matches users and items by external id, not by index", () => {
    // The same pairs with the test set's indexes in another order.
    const shuffled = createInteractions([
      { user: "cat", item: "z", value: 1 },
      { user: "bob", item: "z", value: 1 },
      { user: "bob", item: "x", value: 4 },
      { user: "ann", item: "w", value: 1 },
      { user: "ann", item: "y", value: 3 },
      { user: "ann", item: "x", value: 5 },
    ]);
    expect(evaluateRatings(model, shuffled).mae).toBeCloseTo(4 / 3, 15);
  });

  it("calls recommender.predict when present, never scoreUser", () => {
    let scored = 0;
    let predicted = 0;
    const ratingModel: Recommender = {
      name: "rating",
      users: createIdIndex(["ann", "bob"]),
      items: createIdIndex(["x", "y"]),
      scoreUser(_user, out) {
        scored++;
        out.fill(0);
      },
      seenItems: () => [],
      predict(user, item) {
        predicted++;
        return user + item + 3;
      },
    };
    // ann x 3 vs 5, ann y 4 vs 3, bob x 4 vs 4: MAE (2 + 1 + 0)/3 = 1.
    expect(evaluateRatings(ratingModel, test).mae).toBeCloseTo(1, 15);
    expect(predicted).toBe(3);
    expect(scored).toBe(0);
  });

  it("scores each test user once without recommender.predict", () => {
    const counting = fixedRecommender({ users: ["ann", "bob"], items: ["x", "y", "w"], scores: [[4, 4, 4], [2, 2, 2]], seen: [[], []] });
    evaluateRatings(counting, test);
    expect(counting.calls).toHaveLength(2);
  });

  it("gives NaN errors when nothing could be predicted", () => {
    const stranger = createInteractions([{ user: "zed", item: "x", value: 3 }]);
    expect(evaluateRatings(model, stranger)).toMatchObject({ mae: Number.NaN, rmse: Number.NaN, scored: 0, perUser: { users: [] } });
  });
});

describe("evaluateRatings: errors", () => {
  it("rejects bad arguments with clear errors", () => {
    expectError(() => evaluateRatings({} as Recommender, test), "E_BAD_INPUT", "evaluateRatings: recommender.name must be a string");
    expectError(() => evaluateRatings(model, {} as Interactions), "E_BAD_INPUT", "evaluateRatings: test must be an Interactions dataset");
    expectError(() => evaluateRatings(model, test, { unpredictable: "zero" as "skip" }), "E_BAD_INPUT", 'evaluateRatings: options.unpredictable must be "skip" or "global-mean", got "zero"');
    expectError(() => evaluateRatings(model, test, { unpredictable: "global-mean" }), "E_BAD_INPUT", 'evaluateRatings: options.train must be given with unpredictable: "global-mean"');
    expectError(() => evaluateRatings(model, test, { useFallback: "yes" as unknown as boolean }), "E_BAD_INPUT", 'evaluateRatings: options.useFallback must be a boolean, got "yes"');
    expectError(() => evaluateRatings(model, test, 5 as unknown as object), "E_BAD_INPUT", "evaluateRatings: options must be an object, got 5");
    // Every test pair is cold, so aligning to train (coldStart "drop") leaves an empty test set.
    const empty = alignToTrain(train, createInteractions([{ user: "zed", item: "q", value: 1 }])).test;
    expectError(() => evaluateRatings(model, empty), "E_EMPTY", "evaluateRatings: test must hold at least one interaction, got none");
  });

  it("rejects an infinite prediction, naming the pair", () => {
    const broken = fixedRecommender({ users: ["ann", "bob"], items: ["x", "y"], scores: [[Infinity, 1], [1, 1]], seen: [[], []] });
    expectError(() => evaluateRatings(broken, test), "E_NON_FINITE", 'evaluateRatings: the prediction for user "ann" and item "x" must be finite');
  });
});

describe("evaluateRatings: properties", () => {
  const dataArb = fc
    .array(fc.record({ user: fc.integer({ min: 0, max: 6 }), item: fc.integer({ min: 0, max: 8 }), value: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 40 })
    .map((rows) => createInteractions(rows, { duplicates: "last" }));

  it("is 0 for perfect predictions, and RMSE >= MAE >= 0 otherwise", () => {
    fc.assert(
      fc.property(dataArb, fc.integer({ min: -3, max: 3 }), (data, shift) => {
        expect(evaluateRatings(oracle(data), data)).toMatchObject({ mae: 0, rmse: 0, mse: 0, scored: interactionTotal(data) });
        const noisy = evaluateRatings(oracle(data, (u, i) => ((u * 7 + i * 3) % 5) - 2 + shift), data);
        expect(noisy.mae).toBeGreaterThanOrEqual(0);
        expect(noisy.rmse).toBeGreaterThanOrEqual(noisy.mae - 1e-12);
        expect(noisy.mse).toBeCloseTo(noisy.rmse ** 2, 10);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("the overall MSE is the count-weighted mean of the per-user MSE, and userValues gives the per-user column", () => {
    fc.assert(
      fc.property(dataArb, (data) => {
        const result = evaluateRatings(oracle(data, (u, i) => (u - i) / 3), data);
        const counts = result.perUser.values["count"]!;
        const mses = result.perUser.values["mse"]!;
        let weighted = 0;
        for (let j = 0; j < counts.length; j++) weighted += counts[j]! * mses[j]!;
        expect(counts.reduce((a, b) => a + b, 0)).toBe(result.scored);
        expect(weighted / result.scored).toBeCloseTo(result.mse, 10);
        expect(userValues(result, "mse")).toEqual({ users: result.perUser.users, values: mses });
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

function interactionTotal(data: Interactions): number {
  return data.byUser.indptr[data.byUser.rows]!;
}
