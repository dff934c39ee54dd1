import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRandom } from "../../src/core/random.ts";
import { createIdIndex } from "../../src/core/id-index.ts";
import { createInteractions, type Interactions } from "../../src/data/index.ts";
import type { Recommender } from "../../src/recommend/types.ts";
import { evaluateRanking } from "../../src/evaluation/index.ts";
import { blendFromSpec, learnBlendWeights, learnBlendWeightsLogistic } from "../../src/hybrid/index.ts";
import { expectError } from "../helpers.ts";

// 40 accounts, 15 products; every account bought p0 and p1 (train) and one target product (validation).
const USERS = Array.from({ length: 40 }, (_, u) => `acct-${u}`);
const ITEMS = Array.from({ length: 15 }, (_, i) => `p${i}`);
const target = (u: number): string => `p${2 + ((u * 7) % 13)}`;
const train = createInteractions(USERS.flatMap((user) => [{ user, item: "p0" }, { user, item: "p1" }]));
const test = createInteractions(USERS.map((user, u) => ({ user, item: target(u) })));

// A component whose scores are `signal` × (1 for the target) + seeded noise.
const noisy = (name: string, signal: number, seed: number) => (data: Interactions): Recommender => {
  const random = createRandom(seed);
  const scores = USERS.map((_, u) => ITEMS.map((item) => (item === target(u) ? signal : 0) + random()));
  const items = createIdIndex(ITEMS);
  return {
    name,
    users: data.users,
    items,
    scoreUser(user, out) {
      out.set(scores[user]!);
    },
    seenItems() {
      return [0, 1];
    },
  };
};
const components = [
  { name: "signal", factory: noisy("signal", 0.6, 1) },
  { name: "noise", factory: noisy("noise", 0, 2) },
];

describe("learnBlendWeights", () => {
  it("never ends below the equal-weight blend, and weights the informative component more", () => {
    const learned = learnBlendWeights({ train, test }, components, { metric: "ndcg@5", seed: 7 });
    expect(learned.metric).toBe("ndcg@5");
    expect(learned.value).toBeGreaterThanOrEqual(learned.baseline);
    const [signal, noise] = learned.spec.components;
    expect(signal!.name).toBe("signal");
    expect(signal!.weight).toBeGreaterThan(noise!.weight);
    expect(signal!.weight + noise!.weight).toBeCloseTo(1, 12);
    // The learned spec rebuilt with the fitted components scores what the search reported.
    const rebuilt = blendFromSpec(JSON.parse(JSON.stringify(learned.spec)), learned.recommenders);
    expect(evaluateRanking(rebuilt, test, { k: 5, metrics: ["ndcg"] }).mean["ndcg@5"]).toBeCloseTo(learned.value, 12);
  });

  it("never ends below any component alone, whose validation figures it reports", () => {
    const three = [...components, { name: "weak", factory: noisy("weak", 0.2, 3) }];
    for (const metric of ["ndcg@3", "hitRate@1", "map@10"]) {
      const learned = learnBlendWeights({ train, test }, three, { metric, seed: 1, steps: 1, grid: [0, 1] });
      expect([...learned.alone.keys()]).toEqual(["signal", "noise", "weak"]);
      const column = learned.metric;
      for (const c of three) {
        const alone = evaluateRanking(c.factory(train), test, { k: Number(column.split("@")[1]), metrics: [column.split("@")[0] as "ndcg"] }).mean[column];
        expect(learned.alone.get(c.name)).toBeCloseTo(alone!, 12);
        expect(learned.value).toBeGreaterThanOrEqual(alone!);
      }
    }
  });

  it("scores each trial from cached candidates exactly as a full evaluation of the blend (candidates ≥ catalog)", () => {
    // With every item a candidate the cached scorer must reproduce evaluateRanking on the rebuilt blend, for any grid.
    const three = [...components, { name: "weak", factory: noisy("weak", 0.2, 3) }];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 0.3, 1, 2.5), { minLength: 3, maxLength: 3 }), fc.constantFrom("ndcg@3", "precision@2", "mrr@5"), (grid, metric) => {
        const learned = learnBlendWeights({ train, test }, three, { metric, seed: 2, steps: 1, grid: [...new Set(grid)], candidates: Number.POSITIVE_INFINITY });
        const rebuilt = blendFromSpec(learned.spec, learned.recommenders);
        const [name, k] = metric.split("@") as ["ndcg", string];
        expect(evaluateRanking(rebuilt, test, { k: Number(k), metrics: [name] }).mean[metric]).toBeCloseTo(learned.value, 12);
      }),
      { seed: 42, numRuns: 20 },
    );
    // Few candidates (k = 5 per component) still evaluate the learned blend as reported on this small catalogue.
    const few = learnBlendWeights({ train, test }, components, { metric: "ndcg@5", seed: 7, candidates: 5 });
    const rebuilt = blendFromSpec(few.spec, few.recommenders);
    expect(evaluateRanking(rebuilt, test, { k: 5, metrics: ["ndcg"] }).mean["ndcg@5"]).toBeCloseTo(few.value, 12);
    expectError(() => learnBlendWeights({ train, test }, components, { metric: "ndcg@5", candidates: 4 }), "E_BAD_INPUT", "options.candidates must be an integer >= k (5)");
  });

  it("is deterministic for a seed, and records every accepted move", () => {
    const a = learnBlendWeights({ train, test }, components, { metric: "map@10", seed: 3, steps: 2 });
    const b = learnBlendWeights({ train, test }, components, { metric: "map@10", seed: 3, steps: 2 });
    expect(a.spec).toEqual(b.spec);
    expect(a.history).toEqual(b.history);
    for (let j = 1; j < a.history.length; j++) expect(a.history[j]!.value).toBeGreaterThanOrEqual(a.history[j - 1]!.value);
    if (a.history.length > 0) expect(a.history[a.history.length - 1]!.value).toBe(a.value);
  });

  it("rejects bad metrics, grids and components", () => {
    expectError(() => learnBlendWeights({ train, test }, components, { metric: "rmse" }), "E_BAD_INPUT", 'options.metric must be "auc" or <metric>@<k>');
    expectError(() => learnBlendWeights({ train, test }, components, { grid: [-1] }), "E_BAD_INPUT", "options.grid must be");
    expectError(() => learnBlendWeights({ train, test }, []), "E_EMPTY");
    expectError(() => learnBlendWeights({ train, test }, [components[0]!, components[0]!]), "E_DUPLICATE");
  });
});

describe("learnBlendWeightsLogistic", () => {
  it("weights the informative component more, is deterministic for a seed, and reports its rows", () => {
    const a = learnBlendWeightsLogistic({ train, test }, components, { seed: 3, negativesPerUser: 5 });
    const b = learnBlendWeightsLogistic({ train, test }, components, { seed: 3, negativesPerUser: 5 });
    expect(a.spec).toEqual(b.spec);
    expect(a.coefficients.get("signal")!).toBeGreaterThan(a.coefficients.get("noise")!);
    expect(a.spec.components[0]!.weight).toBeGreaterThan(a.spec.components[1]!.weight);
    expect(a.rows).toEqual({ positives: 40, negatives: 200 });
    const rebuilt = blendFromSpec(a.spec, a.recommenders);
    expect(evaluateRanking(rebuilt, test, { k: 10, metrics: ["ndcg"], train }).mean["ndcg@10"]).toBeCloseTo(a.value, 12);
  });

  it("rejects bad options and empty validation parts", () => {
    expectError(() => learnBlendWeightsLogistic({ train, test }, components, { negativesPerUser: 0 }), "E_BAD_INPUT", "options.negativesPerUser");
    expectError(() => learnBlendWeightsLogistic({ train, test }, components, { l2: -1 }), "E_BAD_INPUT", "options.l2");
    expectError(() => learnBlendWeightsLogistic({ train, test }, components, { metric: "ndcg" }), "E_BAD_INPUT", "options.metric");
    expectError(() => learnBlendWeightsLogistic({ train, test }, []), "E_EMPTY");
    const stranger = createInteractions([{ user: "stranger", item: "p3" }]);
    expectError(() => learnBlendWeightsLogistic({ train, test: stranger }, components), "E_EMPTY", "validation part");
  });
});
