import { describe, expect, it } from "vitest";
import { createInteractions, splitTemporalWindow } from "../../src/data/index.ts";
import { fitPopularity, popularityRecommender } from "../../src/baselines/index.ts";
import { evaluateNextPurchases, evaluateRanking } from "../../src/evaluation/index.ts";
import { expectError } from "../helpers.ts";

// Four accounts, five products; cut-off at 10, window [10, 20).
const data = createInteractions([
  { user: "acme", item: "tea", timestamp: 1 },
  { user: "acme", item: "mug", timestamp: 2 },
  { user: "acme", item: "tea", timestamp: 12 },
  { user: "acme", item: "jam", timestamp: 13 },
  { user: "bolt", item: "tea", timestamp: 3 },
  { user: "bolt", item: "jam", timestamp: 4 },
  { user: "bolt", item: "mug", timestamp: 14 },
  { user: "crux", item: "pan", timestamp: 5 },
  { user: "crux", item: "pan", timestamp: 15 },
  { user: "dove", item: "tea", timestamp: 6 },
  { user: "dove", item: "cup", timestamp: 25 },
]);
const split = splitTemporalWindow(data, { cutoff: 10, end: 20 });
const model = popularityRecommender(fitPopularity(split.train));

describe("evaluateNextPurchases", () => {
  it("new products: relevant = window products new to the account, seen products left out", () => {
    // popularity: tea 3, jam 1, mug 1, pan 1 (ties by index: tea, mug, jam, pan).
    // acme new {jam}: list without tea, mug → [jam, pan]: hit at 1. bolt new {mug}: list [mug, pan]: hit at 1.
    // crux only reorders pan (no new product): not evaluated; dove buys nothing in the window.
    const result = evaluateNextPurchases(model, split, { task: "new-products", k: 2, metrics: ["ndcg", "hitRate"], bootstrap: false });
    expect(result.users.evaluated).toBe(2);
    expect(result.mean).toEqual({ "ndcg@2": 1, "hitRate@2": 1 });
    expect(result.task).toBe("new-products");
    expect(result.excludeSeen).toBe(true);
  });

  it("all products: relevant = every window product, lists keep bought products (= evaluateRanking without seen filtering)", () => {
    const result = evaluateNextPurchases(model, split, { task: "all-products", k: 3, metrics: ["precision", "recall"], bootstrap: false });
    const direct = evaluateRanking(model, split.test, { k: 3, metrics: ["precision", "recall"], excludeSeen: false });
    expect(result.mean).toEqual(direct.mean);
    expect(result.users.evaluated).toBe(3);
  });

  it("adds bootstrap intervals around each per-account mean", () => {
    const result = evaluateNextPurchases(model, split, { task: "all-products", k: 2, metrics: ["ndcg"], bootstrap: { seed: 3, resamples: 200 } });
    const ci = result.confidence["ndcg@2"]!;
    expect(ci.mean).toBeCloseTo(result.mean["ndcg@2"]!, 12);
    expect(ci.lower).toBeLessThanOrEqual(ci.mean);
    expect(ci.upper).toBeGreaterThanOrEqual(ci.mean);
  });

  it("rejects a missing task and a split that is not a window split", () => {
    expectError(() => evaluateNextPurchases(model, split, {} as never), "E_BAD_INPUT", "evaluateNextPurchases: options.task must be one of");
    expectError(() => evaluateNextPurchases(model, { train: split.train, test: split.test } as never, { task: "new-products" }), "E_BAD_INPUT", "split must be a splitTemporalWindow result");
  });
});
