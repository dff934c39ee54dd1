// Parameter names that would change the params' prototype (a grid or space parsed from JSON) are rejected.
import { describe, expect, it } from "vitest";

describe("search parameter names", () => {
  it("reject __proto__ and constructor from a grid or space parsed from JSON", async () => {
    const { gridSearch, randomSearch } = await import("../../src/evaluation/index.ts");
    const { createInteractions } = await import("../../src/data/index.ts");
    const { fitPopularity, popularityRecommender } = await import("../../src/baselines/index.ts");
    const data = createInteractions([{ user: "u", item: "a" }, { user: "v", item: "b" }, { user: "w", item: "a" }]);
    const factory = () => (train: typeof data) => popularityRecommender(fitPopularity(train));
    const grid = JSON.parse('{"__proto__": [1, 2]}') as Record<string, number[]>;
    expect(() => gridSearch(data, factory, { grid, metric: "ndcg@2", validation: { split: "holdout", testFraction: 0.3, seed: 1 } })).toThrow('gridSearch: options.grid must not have a parameter named "__proto__"');
    expect(() => randomSearch(data, factory, { space: { constructor: [1] } as never, trials: 1, seed: 1, metric: "ndcg@2", validation: { split: "holdout", testFraction: 0.3, seed: 1 } })).toThrow('randomSearch: options.space must not have a parameter named "constructor"');
  });
});
