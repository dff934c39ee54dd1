// Accuracy on the synthetic B2B sample (default size, seed 42): the learned hybrid against its components.
// The full figures (2,000 accounts, 3 seeds, cold accounts, MovieLens, CRM) are in `npm run bench:hybrid`.
import { describe, expect, it } from "vitest";
import { fitPopularity, popularityRecommender } from "../../src/baselines/index.ts";
import {
  contentRecommender,
  fitContentRecommender,
  fitFirmographicProjection,
  fitIntentModel,
  intentRecommender,
} from "../../src/content/index.ts";
import { createInteractions, interactionsToRows, splitTemporal, type Interactions } from "../../src/data/index.ts";
import { b2bPurchaseInteractions, b2bSampleFeatures, generateB2bSample } from "../../src/datasets/index.ts";
import { evaluateRanking } from "../../src/evaluation/index.ts";
import { blendFromSpec, explainBlend, learnBlendWeights, learnBlendWeightsLogistic, type BlendComponentFactory } from "../../src/hybrid/index.ts";
import { fitItemItemImplicit, itemItemImplicitRecommender } from "../../src/neighbors/index.ts";
import { recommend, type Recommender } from "../../src/recommend/index.ts";

describe("hybrid on the synthetic B2B sample (500 accounts, seed 42, temporal 80/20)", () => {
  const sample = generateB2bSample({ seed: 42 });
  const data = b2bPurchaseInteractions(sample.purchases);
  const { train, test } = splitTemporal(data, { testFraction: 0.2, coldStart: "keep" });
  const known = new Set(train.users.ids);
  const warmTest = createInteractions(interactionsToRows(test).filter((r) => known.has(r.user)));
  const { products: catalog, accounts, productTopics: topics } = b2bSampleFeatures(sample);
  const latest = (t: Interactions) => Math.max(...interactionsToRows(t).map((r) => r.timestamp!));
  const factories: BlendComponentFactory[] = [
    { name: "popularity", factory: (t) => popularityRecommender(fitPopularity(t)) },
    { name: "cf", factory: (t) => itemItemImplicitRecommender(fitItemItemImplicit(t)) },
    {
      name: "content",
      factory: (t) => {
        const model = fitContentRecommender(t, catalog, { timeUnit: "milliseconds", halfLifeDays: 365 });
        return contentRecommender(model, { accounts, projection: fitFirmographicProjection(model, accounts) });
      },
    },
    {
      name: "intent",
      factory: (t) => intentRecommender(fitIntentModel(sample.intent, topics, { asOf: latest(t), timeUnit: "milliseconds", purchases: t })),
    },
  ];
  const ndcg = (r: Recommender) => evaluateRanking(r, warmTest, { k: 10, metrics: ["ndcg"] }).mean["ndcg@10"]!;
  const learned = learnBlendWeights(splitTemporal(train, { testFraction: 0.2, coldStart: "keep" }), factories, { metric: "ndcg@10" });
  const components = new Map(factories.map((f) => [f.name, f.factory(train)] as const));
  const hybrid = blendFromSpec(learned.spec, components);

  it("the learned hybrid beats every component and popularity by a wide margin", () => {
    const figures = new Map([...components].map(([name, r]) => [name, ndcg(r)]));
    const value = ndcg(hybrid);
    // Measured: hybrid 0.303; intent 0.242, popularity 0.223, cf 0.222, content 0.193.
    for (const [name, figure] of figures) expect(value, name).toBeGreaterThan(figure);
    expect(value).toBeGreaterThan(1.25 * figures.get("popularity")!);
  });

  it("weights from logistic regression on held-out purchases also beat every component", () => {
    const logistic = learnBlendWeightsLogistic(splitTemporal(train, { testFraction: 0.2, coldStart: "keep" }), factories, { seed: 1 });
    const blend = blendFromSpec(logistic.spec, components);
    const value = ndcg(blend);
    for (const [name, recommender] of components) expect(value, name).toBeGreaterThan(ndcg(recommender));
    expect(logistic.coefficients.get("intent")).toBeGreaterThan(0);
    expect(logistic.spec.components.reduce((sum, c) => sum + c.weight, 0)).toBeCloseTo(1, 12);
  });

  it("every recommendation splits into per-component contributions that sum to its score", () => {
    const account = warmTest.users.ids[0]!;
    for (const entry of recommend(hybrid, account, { k: 5 }).items) {
      const why = explainBlend(hybrid, account, entry.item);
      expect(why.base + why.contributions.reduce((s, c) => s + c.contribution, 0)).toBeCloseTo(entry.score, 10);
      expect(why.contributions.map((c) => c.name)).toEqual(["popularity", "cf", "content", "intent"]);
    }
  });
});
