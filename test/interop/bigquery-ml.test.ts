import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createInteractions } from "../../src/data/index.ts";
import { implicitAlsRecommender } from "../../src/factorization/index.ts";
import { parseBigQueryMfWeights } from "../../src/interop/index.ts";
import { recommend } from "../../src/recommend/index.ts";
import { expectError } from "../helpers.ts";

// Rows in the layout of BigQuery ML's ML.WEIGHTS for matrix factorization (processed_input, feature, factor_weights,
// intercept), one JSON object per line as EXPORT DATA (format JSON) writes them; INT64 fields as JSON strings.
function row(input: string, feature: string | number, weights: number[], intercept: number | null = null, order = weights.map((_, k) => k)): string {
  return JSON.stringify({ processed_input: input, feature, factor_weights: order.map((k) => ({ factor: String(k + 1), weight: weights[k] })), intercept });
}

describe("parseBigQueryMfWeights", () => {
  it("reads users and items by processed_input, factors sorted by number, ids as strings (hand-computed scores)", () => {
    const text = [row("user", 17, [1, 2], null, [1, 0]), row("item", "crm", [0.5, 0.25]), row("user", "acme", [0, 1]), row("item", 42, [3, -1], 0)].join("\n");
    const model = parseBigQueryMfWeights(text);
    expect(model.users.ids).toEqual(["17", "acme"]);
    expect(model.items.ids).toEqual(["crm", "42"]);
    expect(model.factors).toBe(2);
    expect(Array.from(model.userFactors)).toEqual([1, 2, 0, 1]);
    expect(Array.from(model.itemFactors)).toEqual([0.5, 0.25, 3, -1]);
    // user 17: crm 1·0.5 + 2·0.25 = 1, item 42: 1·3 + 2·(−1) = 1; acme: crm 0.25, 42 −1
    const result = recommend(implicitAlsRecommender(model), "acme", { k: 2 });
    expect(result.items.map((s) => [s.item, s.score])).toEqual([
      ["crm", 0.25],
      ["42", -1],
    ]);
    expect([model.alpha, model.regularization]).toEqual([40, 1]);
  });

  it("folds non-zero intercepts into two factors so scores are dot + b_user + b_item, or ignores them on request", () => {
    const text = [row("account", "a", [1, 0], 0.5), row("account", "b", [0, 1], -1), row("product", "x", [2, 1], 0.25), row("product", "y", [1, 3], 2)];
    const model = parseBigQueryMfWeights(text, { userColumn: "account", itemColumn: "product", alpha: 1, regularization: 0.1 });
    expect(model.factors).toBe(4);
    const score = (u: number, i: number): number => {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += model.userFactors[u * 4 + k]! * model.itemFactors[i * 4 + k]!;
      return sum;
    };
    // a·x = 2 + 0.5 + 0.25, a·y = 1 + 0.5 + 2, b·x = 1 − 1 + 0.25, b·y = 3 − 1 + 2
    expect([score(0, 0), score(0, 1), score(1, 0), score(1, 1)]).toEqual([2.75, 3.5, 0.25, 4]);
    const ignored = parseBigQueryMfWeights(text, { userColumn: "account", itemColumn: "product", intercepts: "ignore" });
    expect(ignored.factors).toBe(2);
    expectError(() => parseBigQueryMfWeights(text, { userColumn: "account", itemColumn: "product", intercepts: "error" }), "E_BAD_INPUT", 'parseBigQueryMfWeights: text 0 line 1 intercept must be 0 under options.intercepts "error", got 0.5');
  });

  it("fills seen items from string-id interactions and reads several exported files", () => {
    const history = createInteractions([{ user: "17", item: "crm" }]);
    const model = parseBigQueryMfWeights([row("user", 17, [1]), `${row("item", "crm", [1])}\n\n${row("item", "erp", [0.5])}\n`], { interactions: history });
    expect(recommend(implicitAlsRecommender(model), "17", { k: 5 }).items.map((s) => s.item)).toEqual(["erp"]);
  });

  it("names the line of a missing factor, an uneven factor count, an unknown processed_input and malformed rows", () => {
    const user = row("user", "u", [1, 2, 3]);
    expectError(() => parseBigQueryMfWeights([user, row("item", "i", [1, 2])].join("\n")), "E_SHAPE", "parseBigQueryMfWeights: line 2 factor_weights must have the 3 factors of line 1, got 2");
    const missing = JSON.stringify({ processed_input: "item", feature: "i", factor_weights: [{ factor: 1, weight: 1 }, { factor: 2, weight: 1 }, { factor: 4, weight: 1 }] });
    expectError(() => parseBigQueryMfWeights([user, missing].join("\n")), "E_BAD_INPUT", "parseBigQueryMfWeights: line 2 factor_weights must have factor 3 (as line 1 does), got factors [1, 2, 4]");
    expectError(() => parseBigQueryMfWeights([user, row("customer", "i", [1, 2, 3])]), "E_BAD_INPUT", 'parseBigQueryMfWeights: text 1 line 1 processed_input must be "user" or "item" (options.userColumn, options.itemColumn), got "customer"');
    const twice = JSON.stringify({ processed_input: "item", feature: "i", factor_weights: [{ factor: 1, weight: 1 }, { factor: 1, weight: 2 }, { factor: 2, weight: 1 }] });
    expectError(() => parseBigQueryMfWeights([user, twice].join("\n")), "E_BAD_INPUT", "line 2 factor_weights must name each factor once, got factor 1 twice");
    expectError(() => parseBigQueryMfWeights([user, row("item", "i", [1, Number.NaN, 3])].join("\n")), "E_BAD_INPUT", "line 2 factor_weights[1].weight must be a finite float32, got null");
    expectError(() => parseBigQueryMfWeights([user, row("item", "i", [1, 1e39, 3])].join("\n")), "E_NON_FINITE", "line 2 factor_weights[1].weight must be a finite float32, got 1e+39");
    expectError(() => parseBigQueryMfWeights(`${user}\n{oops`), "E_BAD_INPUT", "line 2 must be a JSON object");
    expectError(() => parseBigQueryMfWeights(user), "E_EMPTY", 'text must hold rows whose processed_input is "item", got none');
    expectError(() => parseBigQueryMfWeights([user, user, row("item", "i", [1, 2, 3])].join("\n")), "E_DUPLICATE");
    expectError(() => parseBigQueryMfWeights(42 as never), "E_BAD_INPUT", "text must be a string of JSON lines or an array of them");
    expectError(() => parseBigQueryMfWeights(user, { intercepts: "keep" as never }), "E_BAD_INPUT", 'options.intercepts must be "fold", "ignore" or "error", got "keep"');
  });

  it("property: rows in any order, factors listed in any order, give each id its weights in factor order", () => {
    fc.assert(
      fc.property(
        fc.record({ rank: fc.integer({ min: 1, max: 5 }), userCount: fc.integer({ min: 1, max: 6 }), itemCount: fc.integer({ min: 1, max: 6 }), seed: fc.nat() }),
        ({ rank, userCount, itemCount, seed }) => {
          const weight = (side: number, r: number, k: number): number => Math.fround(Math.sin(seed + side * 1000 + r * 31 + k * 7) * 4);
          const shuffled = (r: number): number[] => Array.from({ length: rank }, (_, k) => (k + r) % rank);
          const lines = [
            ...Array.from({ length: userCount }, (_, r) => row("user", `u${r}`, Array.from({ length: rank }, (_, k) => weight(0, r, k)), 0, shuffled(r))),
            ...Array.from({ length: itemCount }, (_, r) => row("item", r, Array.from({ length: rank }, (_, k) => weight(1, r, k)), null, shuffled(r + seed))),
          ];
          const swapped = seed % 2 === 0 ? lines : [...lines].reverse();
          const model = parseBigQueryMfWeights(swapped.join("\n"));
          expect(model.factors).toBe(rank);
          for (let r = 0; r < userCount; r++) {
            const u = model.users.lookup.get(`u${r}`)!;
            expect(Array.from(model.userFactors.subarray(u * rank, (u + 1) * rank))).toEqual(Array.from({ length: rank }, (_, k) => weight(0, r, k)));
          }
          for (let r = 0; r < itemCount; r++) {
            const i = model.items.lookup.get(String(r))!;
            expect(Array.from(model.itemFactors.subarray(i * rank, (i + 1) * rank))).toEqual(Array.from({ length: rank }, (_, k) => weight(1, r, k)));
          }
        },
      ),
      { seed: 18, numRuns: 100 },
    );
  });
});
