// Explanations of nextbest's recommenders on the synthetic B2B sample: every split adds up to the score it explains.
import { describe, expect, it } from "vitest";
import { b2bPurchaseInteractions, generateB2bSample } from "../../src/datasets/index.ts";
import { interactionsToRows } from "../../src/data/index.ts";
import { explainImplicitAlsScore, explainItemItemScore, explanationFromBlend } from "../../src/explain/index.ts";
import { fitImplicitAls, foldInUser, implicitAlsRecommender } from "../../src/factorization/index.ts";
import { blendRecommenders, explainBlend } from "../../src/hybrid/index.ts";
import { fitItemItemImplicit, itemItemImplicitRecommender } from "../../src/neighbors/index.ts";
import { scoreItems } from "../../src/recommend/index.ts";
import { expectError } from "../helpers.ts";
import { componentA, componentB } from "../hybrid/fixtures.ts";
import { sum } from "./games.ts";

const sample = generateB2bSample({ accounts: 120, products: 25, seed: 3 });
const purchases = b2bPurchaseInteractions(sample.purchases);
const someUsers = purchases.users.ids.slice(0, 12);

describe("explainItemItemScore", () => {
  const model = fitItemItemImplicit(purchases, { neighbors: 10 });
  const recommender = itemItemImplicitRecommender(model);

  it("splits each score over the purchases exactly: Σ parts = the recommender's score", () => {
    for (const user of someUsers) {
      const scores = scoreItems(recommender, user).scores;
      for (let i = 0; i < purchases.items.ids.length; i += 3) {
        const why = explainItemItemScore(model, user, purchases.items.ids[i]!);
        expect(why.output).toBe(scores[i]);
        expect(Math.abs(why.baseValue + sum(why.values) - scores[i]!)).toBeLessThan(1e-12);
        expect(why.method).toBe("item-item");
      }
    }
  });

  it("by hand: a purchase's part is its value times its similarity to the item", () => {
    const user = someUsers[0]!;
    const item = purchases.items.ids[1]!;
    const why = explainItemItemScore(model, user, item);
    const u = model.users.lookup.get(user)!;
    const bought = Array.from(model.seenIndices.subarray(model.seenIndptr[u]!, model.seenIndptr[u + 1]!), (j) => String(model.items.ids[j]));
    expect(why.featureNames).toEqual(bought);
    why.featureNames.forEach((name, k) => {
      const j = model.items.lookup.get(name)!;
      const i = model.items.lookup.get(item)!;
      let similarity = 0;
      for (let q = model.neighborIndptr[j]!; q < model.neighborIndptr[j + 1]!; q++) if (model.neighborIndices[q] === i) similarity = model.neighborSimilarities[q]!;
      expect(why.values[k]).toBe(why.data[k]! * similarity);
    });
  });

  it("rejects unknown ids and other models", () => {
    expectError(() => explainItemItemScore(model, "nobody", purchases.items.ids[0]!), "E_UNKNOWN_ID", 'user must be a user the model knows (the popularity fallback has no purchases to attribute), got "nobody"');
    expectError(() => explainItemItemScore(model, someUsers[0]!, "nothing"), "E_UNKNOWN_ID", "item must be an item the model knows");
    expectError(() => explainItemItemScore({ kind: "knn" } as never, "a", "b"), "E_BAD_MODEL", 'model must be an item-item-implicit model (kind "item-item-implicit"), got kind "knn"');
  });
});

describe("explainImplicitAlsScore", () => {
  const model = fitImplicitAls(purchases, { factors: 8, iterations: 8, regularization: 1, seed: 2 });
  const f = model.factors;
  const dot = (x: Float64Array, i: number): number => {
    let s = 0;
    for (let a = 0; a < f; a++) s += x[a]! * model.itemFactors[i * f + a]!;
    return s;
  };

  it("the parts add up to the fold-in score of the user's purchases, and modelScore is the stored-factor score", () => {
    const als = implicitAlsRecommender(model);
    for (const user of someUsers.slice(0, 6)) {
      const u = model.users.lookup.get(user)!;
      const bought = Array.from(model.seenIndices.subarray(model.seenIndptr[u]!, model.seenIndptr[u + 1]!), (j) => ({ item: model.items.ids[j]! }));
      const x = foldInUser(model, bought);
      for (const i of [0, 7, 19]) {
        const why = explainImplicitAlsScore(model, user, model.items.ids[i]!);
        const folded = dot(x, i);
        expect(Math.abs(why.output - folded)).toBeLessThan(1e-9 * Math.max(1, Math.abs(folded)));
        expect(Math.abs(sum(why.values) - why.output)).toBeLessThan(1e-12);
        expect(why.modelScore).toBeCloseTo(als.predict!(u, i), 6);
        expect(why.featureNames.length).toBe(bought.length);
      }
    }
  });

  it("uses interaction strengths when given, also for a user the model does not know", () => {
    const interactions = interactionsToRows(purchases).slice(0, 4).map((r, k) => ({ item: r.item, value: 1 + k }));
    const x = foldInUser(model, interactions);
    const why = explainImplicitAlsScore(model, "a new account", model.items.ids[3]!, { interactions });
    expect(Math.abs(why.output - dot(x, 3))).toBeLessThan(1e-9);
    expect(why.modelScore).toBeNull();
    expect(why.data.every((v) => v >= 1)).toBe(true);
  });

  it("rejects an unknown user without interactions, and bad interactions", () => {
    expectError(() => explainImplicitAlsScore(model, "a new account", model.items.ids[0]!), "E_UNKNOWN_ID", "(or pass options.interactions)");
    expectError(() => explainImplicitAlsScore(model, someUsers[0]!, model.items.ids[0]!, { interactions: [{ item: "x", value: -1 }] }), "E_BAD_INPUT", "options.interactions[0].value must be >= 0, got -1");
  });
});

describe("explanationFromBlend", () => {
  it("one player per component: base + Σ contributions = the hybrid's score", () => {
    const hybrid = blendRecommenders(
      [{ name: "A", recommender: componentA, weight: 0.6 }, { name: "B", recommender: componentB, weight: 0.4 }],
      { normalization: "min-max" },
    );
    for (const item of ["a", "b", "c", "d"]) {
      const blend = explainBlend(hybrid, "u1", item);
      const why = explanationFromBlend(blend);
      expect(why.featureNames).toEqual(["A", "B"]);
      expect(why.output).toBe(blend.score);
      expect(Math.abs(why.baseValue + sum(why.values) - why.output)).toBeLessThan(1e-12);
      expect(why.data).toEqual(blend.contributions.map((c) => c.raw));
    }
  });

  it("rejects what is not a blend explanation", () => {
    expectError(() => explanationFromBlend({} as never), "E_BAD_INPUT", "explanationFromBlend: blend must be the output of explainBlend");
  });
});
