// Issue 16, "models users can keep": a whole hybrid saved as one document and read back scores identically.
import { describe, expect, it } from "vitest";
import { createInteractions } from "../../src/data/index.ts";
import { denseFromRows } from "../../src/linalg/index.ts";
import { biasRecommender, fitBiases, fitPopularity, fitRandom, popularityRecommender, randomRecommender } from "../../src/baselines/index.ts";
import { easeRecommender, fitEase, fitItemItemImplicit, fitItemKnn, fitRp3Beta, itemItemImplicitRecommender, knnRecommender, rp3BetaRecommender } from "../../src/neighbors/index.ts";
import { bprRecommender, fitBpr, fitImplicitAls, fitMatrixFactorization, fitSvdPlusPlus, implicitAlsRecommender, matrixFactorizationRecommender, svdPlusPlusRecommender } from "../../src/factorization/index.ts";
import { contentRecommender, fitContentRecommender, fitIntentModel, fitLookAlikeModel, intentRecommender, lookAlikeRecommender } from "../../src/content/index.ts";
import { buyAgainRecommender, fitBuyAgain, fitRepeatPurchases, repeatPurchaseRecommender } from "../../src/repeat/index.ts";
import { blendFromSpec, blendRecommenders } from "../../src/hybrid/index.ts";
import { hybridModelFromJSON, hybridModelToJSON, type SavableModel } from "../../src/pipeline/index.ts";
import { recommendMany, type Recommender } from "../../src/recommend/index.ts";
import { expectError } from "../helpers.ts";

const DAY = 86_400;
const rows = [];
for (let u = 0; u < 8; u++) for (let i = 0; i < 6; i++) if ((u * 7 + i * 3) % 4 !== 0) rows.push({ user: `u${u}`, item: `p${i}`, value: 1 + ((u + i) % 3), timestamp: (u * 11 + i * 37) * DAY });
rows.push({ user: "u1", item: "p1", value: 2, timestamp: 400 * DAY }, { user: "u2", item: "p2", value: 1, timestamp: 420 * DAY });
const data = createInteractions(rows, { timeUnit: "seconds" });
const catalog = { ids: ["p0", "p1", "p2", "p3", "p4", "p5"], features: denseFromRows([[1, 0], [0, 1], [1, 1], [0.5, 2], [2, 0.1], [0.3, 0.3]]) };
const accounts = { ids: data.users.ids.map(String), features: denseFromRows(data.users.ids.map((_, u) => [u % 3, (u + 1) % 2])) };

const models: ReadonlyMap<string, SavableModel> = new Map<string, SavableModel>([
  ["popularity", fitPopularity(data)],
  ["random", fitRandom(data, { seed: 3 })],
  ["biases", fitBiases(data)],
  ["item-item", fitItemItemImplicit(data)],
  ["knn", fitItemKnn(data)],
  ["ease", fitEase(data)],
  ["rp3beta", fitRp3Beta(data)],
  ["als", fitImplicitAls(data, { factors: 3, iterations: 3 })],
  ["bpr", fitBpr(data, { factors: 3, epochs: 3, seed: 1 })],
  ["mf", fitMatrixFactorization(data, { factors: 3, epochs: 3, seed: 1 })],
  ["svd++", fitSvdPlusPlus(data, { factors: 3, epochs: 3, seed: 1 })],
  ["content", fitContentRecommender(data, catalog)],
  ["look-alike", fitLookAlikeModel(data, accounts)],
  ["intent", fitIntentModel([{ account: "u1", topic: "t", score: 2, timestamp: 0 }], { ids: ["p3"], topics: [["t"]] }, { purchases: data })],
  ["repeat", fitRepeatPurchases(data, { horizonDays: 60 })],
  ["buy-again", fitBuyAgain(data)],
]);

describe("hybridModelToJSON / hybridModelFromJSON", () => {
  it("round-trips a blend of every model kind to identical recommendations", () => {
    const original = blendOf(models);
    const saved = JSON.stringify(hybridModelToJSON(original, models));
    const loaded = hybridModelFromJSON(JSON.parse(saved));
    expect([...loaded.models.keys()]).toEqual([...models.keys()]);
    expect([...loaded.models.values()].map((m) => m.kind)).toEqual([...models.values()].map((m) => m.kind));
    const users = [...data.users.ids, "prospect"];
    expect(recommendMany(loaded.recommender, users, { k: 4 })).toEqual(recommendMany(original, users, { k: 4 }));
    expect(loaded.recommender.spec).toEqual(original.spec);
  });

  it("keeps learned weights and options (blendFromSpec), and takes a hook for components needing more than their model", () => {
    const spec = { kind: "blend" as const, version: 1 as const, name: "mine", normalization: "min-max" as const, missing: "zero" as const, components: [{ name: "ease", weight: 0.8 }, { name: "popularity", weight: 0.2 }] };
    const picked = new Map([...models].filter(([name]) => name === "ease" || name === "popularity"));
    const hybrid = blendFromSpec(spec, new Map([...picked].map(([name]) => [name, recommenderOf(name)] as const)));
    let hooked = 0;
    const loaded = hybridModelFromJSON(JSON.parse(JSON.stringify(hybridModelToJSON(hybrid, picked))), {
      recommender: (name) => {
        hooked++;
        return name === "ease" ? recommenderOf("ease") : undefined;
      },
    });
    expect(hooked).toBe(2);
    expect(loaded.recommender.spec).toEqual(spec);
    expect(recommendMany(loaded.recommender, data.users.ids, { k: 3 })).toEqual(recommendMany(hybrid, data.users.ids, { k: 3 }));
  });

  it("names what is wrong: a component without its model, an unknown kind, a damaged component", () => {
    const hybrid = blendOf(new Map([...models].slice(0, 2)));
    expectError(() => hybridModelToJSON(hybrid, new Map([...models].slice(0, 1))), "E_BAD_INPUT", 'hybridModelToJSON: models must hold the model of every component, got none for "random"');
    expectError(() => hybridModelToJSON(recommenderOf("ease") as never, models), "E_BAD_INPUT", "hybridModelToJSON: hybrid must be a blend");
    const json = JSON.parse(JSON.stringify(hybridModelToJSON(hybrid, new Map([...models].slice(0, 2)))));
    expectError(() => hybridModelFromJSON({ ...json, components: [json.components[0]] }), "E_BAD_MODEL", 'hybridModelFromJSON: json.components must hold the model of every spec component, got none for "random"');
    const unknown = structuredClone(json);
    unknown.components[1].model.kind = "tfidf";
    expectError(() => hybridModelFromJSON(unknown), "E_BAD_MODEL", 'hybridModelFromJSON: json.components[1].model.kind must be one of');
    const damaged = structuredClone(json);
    damaged.components[0].model.version = 7;
    expectError(() => hybridModelFromJSON(damaged), "E_BAD_MODEL", "hybridModelFromJSON: json.components[0].model: popularityFromJSON: json.version");
    expectError(() => hybridModelFromJSON({ kind: "blend" }), "E_BAD_MODEL", 'hybridModelFromJSON: json.kind must be "hybrid"');
  });
});

function recommenderOf(name: string): Recommender {
  const model = models.get(name)!;
  switch (model.kind) {
    case "popularity":
      return popularityRecommender(model);
    case "random":
      return randomRecommender(model);
    case "biases":
      return biasRecommender(model);
    case "item-item-implicit":
      return itemItemImplicitRecommender(model);
    case "knn":
      return knnRecommender(model);
    case "ease":
      return easeRecommender(model);
    case "rp3beta":
      return rp3BetaRecommender(model);
    case "implicit-als":
      return implicitAlsRecommender(model);
    case "bpr":
      return bprRecommender(model);
    case "matrix-factorization":
      return matrixFactorizationRecommender(model);
    case "svd-plus-plus":
      return svdPlusPlusRecommender(model);
    case "content":
      return contentRecommender(model);
    case "look-alike":
      return lookAlikeRecommender(model);
    case "intent":
      return intentRecommender(model);
    case "repeat-purchases":
      return repeatPurchaseRecommender(model);
    case "buy-again":
      return buyAgainRecommender(model);
  }
}

function blendOf(parts: ReadonlyMap<string, SavableModel>) {
  return blendRecommenders([...parts.keys()].map((name, c) => ({ name, recommender: recommenderOf(name), weight: 1 + (c % 3) })));
}
