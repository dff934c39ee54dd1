// A sentence for every recommended product (issue 14, §1): each model's evidence, numbers recomputed from the data here.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitPopularity, popularityRecommender } from "../../src/baselines/index.ts";
import { fitContentRecommender, fitIntentModel, fitLookAlikeModel, contentRecommender } from "../../src/content/index.ts";
import { createInteractions, type Interactions } from "../../src/data/index.ts";
import { narrateRecommendation, type NarratableModel } from "../../src/explain/index.ts";
import { fitImplicitAls, implicitAlsRecommender } from "../../src/factorization/index.ts";
import { blendRecommenders } from "../../src/hybrid/index.ts";
import { denseFromRows } from "../../src/linalg/index.ts";
import { easeRecommender, fitEase, fitItemItemImplicit, fitRp3Beta, itemItemImplicitRecommender } from "../../src/neighbors/index.ts";
import { recommend } from "../../src/recommend/index.ts";
import { explainRepeatPurchase, fitBuyAgain, fitRepeatPurchases } from "../../src/repeat/index.ts";
import { expectError } from "../helpers.ts";

const DAY = 86_400;
// Who bought what: the co-purchase counts below are recomputed from this list.
const bought: Record<string, string[]> = {
  acme: ["crm", "support"],
  globex: ["crm", "support", "analytics"],
  initech: ["crm", "analytics"],
  umbrella: ["support", "analytics"],
  hooli: ["crm", "support", "training"],
  stark: ["crm"],
};
const purchases = createInteractions(Object.entries(bought).flatMap(([user, items]) => items.map((item, k) => ({ user, item, timestamp: (10 + k) * DAY }))));
const names = new Map([
  ["crm", "CRM suite"],
  ["support", "Support plan"],
  ["analytics", "Analytics"],
  ["training", "Training"],
]);
/** "(n of the m that bought …)" recomputed: of the accounts that bought every item of `items`, how many bought `product`. */
function coBuyers(items: string[], product: string): [number, number] {
  const buyers = Object.values(bought).filter((list) => items.every((i) => list.includes(i)));
  return [buyers.filter((list) => list.includes(product)).length, buyers.length];
}
/** Checks a co-purchase sentence's names and numbers against the purchase list. */
function checkCoPurchase(sentence: string, product: string): void {
  const match = /^Accounts that buy (.+?)(?: and (.+?))? also buy it \((\d+) of the (\d+) that bought (both|it)\)$/.exec(sentence);
  expect(match, sentence).not.toBeNull();
  const idOf = new Map([...names].map(([id, name]) => [name, id]));
  const items = [match![1]!, match![2]].filter((x): x is string => x !== undefined).map((name) => idOf.get(name)!);
  expect(items.every((id) => id !== undefined)).toBe(true);
  expect([Number(match![3]), Number(match![4])]).toEqual(coBuyers(items, product));
  expect(match![5]).toBe(items.length === 2 ? "both" : "it");
}

describe("narrateRecommendation", () => {
  it("item-item kNN, EASE, RP3β and ALS point to the account's purchases, with co-buyer counts from the data", () => {
    const models: NarratableModel[] = [fitItemItemImplicit(purchases), fitEase(purchases), fitRp3Beta(purchases), fitImplicitAls(purchases, { factors: 4, seed: 1 })];
    for (const model of models) {
      // stark bought only crm: its reason for support must be crm.
      const story = narrateRecommendation(model, "stark", "support", { productNames: names });
      expect(story.reasons).toHaveLength(1);
      expect(story.reasons[0]!.sentence).toBe(`Accounts that buy CRM suite also buy it (${coBuyers(["crm"], "support").join(" of the ")} that bought it)`);
      // initech bought crm and analytics; for support, whichever it points to, the numbers hold.
      const two = narrateRecommendation(model, "initech", "support", { productNames: names });
      for (const reason of two.reasons) checkCoPurchase(reason.sentence, "support");
    }
    // By hand: 3 of the 5 accounts that bought crm also bought support.
    expect(narrateRecommendation(fitItemItemImplicit(purchases), "stark", "support", { productNames: names }).text).toBe("Accounts that buy CRM suite also buy it (3 of the 5 that bought it).");
  });

  it("popularity: how many accounts bought it and its place in the catalogue", () => {
    // crm 5 accounts, support 4, analytics 3, training 1
    const model = fitPopularity(purchases);
    expect(narrateRecommendation(model, "nobody-yet", "crm").text).toBe("A best-seller: 5 accounts bought it (#1 of 4 products).");
    expect(narrateRecommendation(model, "nobody-yet", "analytics").text).toBe("Bought by 3 accounts (#3 of 4 products).");
    expect(narrateRecommendation(model, "umbrella", "training", { locale: "de-DE" }).reasons[0]!.sentence).toBe("Bought by 1 account (#4 of 4 products)");
  });

  it("repeat and buy-again tell the account's own history", () => {
    const rows = [0, 30, 60, 90, 120, 150, 180, 210].map((d) => ({ user: "acme", item: "paper", timestamp: d * DAY })).concat([{ user: "globex", item: "paper", timestamp: 5 * DAY }, { user: "globex", item: "pens", timestamp: 100 * DAY }]);
    const history = createInteractions(rows);
    const repeat = fitRepeatPurchases(history);
    expect(narrateRecommendation(repeat, "acme", "paper").reasons[0]!.sentence).toBe(explainRepeatPurchase(repeat, "acme", "paper").sentence);
    expect(narrateRecommendation(fitBuyAgain(history), "acme", "paper").text).toBe("Bought before by this account.");
  });

  it("look-alike: how many of the most similar accounts buy it", () => {
    const bought2 = createInteractions([
      { user: "m1", item: "erp" }, { user: "m2", item: "erp" }, { user: "m2", item: "crm" }, { user: "r1", item: "pos" },
    ]);
    const accounts = { ids: ["m1", "m2", "r1", "m3"], features: denseFromRows([[1, 0], [1, 0.2], [0, 1], [1, 0]]) };
    const model = fitLookAlikeModel(bought2, accounts, { neighbors: 2 });
    // m3's 2 nearest customers are m1 and m2 (r1 is orthogonal): both bought erp, one crm.
    expect(narrateRecommendation(model, "m3", "erp").text).toBe("2 of the 2 most similar accounts buy it.");
    expect(narrateRecommendation(model, "m3", "crm").text).toBe("1 of the 2 most similar accounts buy it.");
  });

  it("intent and content tell the topic and the similar product", () => {
    const intent = fitIntentModel(
      [
        { account: "acme", topic: "security", score: 80, timestamp: 30 * DAY },
        { account: "acme", topic: "analytics", score: 80, timestamp: 0 },
      ],
      { ids: ["firewall", "dashboards"], topics: [["security"], ["analytics"]] },
      { halfLifeDays: 30 },
    );
    expect(narrateRecommendation(intent, "acme", "firewall").text).toBe("Research on security matches it (intent 80).");
    expect(narrateRecommendation(intent, "acme", "dashboards").text).toBe("Research on analytics matches it (intent 40).");
    const catalog = { ids: ["crm", "erp", "crm-ai"], features: denseFromRows([[1, 0], [0, 1], [0.9, 0.1]]) };
    const content = fitContentRecommender(createInteractions([{ user: "acme", item: "crm" }, { user: "globex", item: "erp" }]), catalog);
    // cos((1, 0), (0.9, 0.1)) = 0.9 / √0.82 = 0.9939
    expect(narrateRecommendation(content, "acme", "crm-ai", { productNames: new Map([["crm", "CRM"]]) }).text).toBe("Like CRM, which it buys (similarity 0.99).");
    expect(recommend(contentRecommender(content), "acme", { k: 1 }).items[0]!.item).toBe("crm-ai");
  });

  it("a blend names only the components that moved the product up, each with its own evidence", () => {
    const knn = fitItemItemImplicit(purchases);
    const popularity = fitPopularity(purchases);
    const hybrid = blendRecommenders([
      { name: "cf", recommender: itemItemImplicitRecommender(knn), weight: 0.7 },
      { name: "popular", recommender: popularityRecommender(popularity), weight: 0.3 },
    ]);
    const components = new Map<string, NarratableModel>([["cf", knn], ["popular", popularity]]);
    const story = narrateRecommendation(hybrid, "stark", "support", { productNames: names, components });
    expect(story.reasons.map((r) => r.component)).toEqual(["cf", "popular"].filter((name) => story.reasons.some((r) => r.component === name)));
    for (const reason of story.reasons) expect(reason.share).toBeGreaterThanOrEqual(0.15);
    expect(story.reasons[0]!.sentence).toBe("Accounts that buy CRM suite also buy it (3 of the 5 that bought it)");
    // With minShare 1 only a component holding the whole positive part could be named; here both contribute.
    expect(story.reasons.map((r) => r.component)).toEqual(["cf", "popular"]);
    expect(narrateRecommendation(hybrid, "stark", "support", { components, minShare: 1 }).reasons).toEqual([]);
    // Without the models behind the components there is nothing to tell, never a vague sentence.
    expect(narrateRecommendation(hybrid, "stark", "support").reasons).toEqual([]);
    // A blend of ALS and EASE pointing to the same purchase says it once.
    const als = fitImplicitAls(purchases, { factors: 4, seed: 1 });
    const ease = fitEase(purchases);
    const both = blendRecommenders([
      { name: "als", recommender: implicitAlsRecommender(als), weight: 0.5 },
      { name: "ease", recommender: easeRecommender(ease), weight: 0.5 },
    ]);
    const once = narrateRecommendation(both, "stark", "support", { components: new Map<string, NarratableModel>([["als", als], ["ease", ease]]) });
    expect(new Set(once.reasons.map((r) => r.sentence)).size).toBe(once.reasons.length);
  });

  it("property: deterministic, at most maxSentences, never a raw id where a name exists", () => {
    const models: NarratableModel[] = [fitItemItemImplicit(purchases), fitEase(purchases), fitPopularity(purchases)];
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(bought)), fc.constantFrom("crm", "support", "analytics", "training"), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 }), (account, product, m, maxSentences) => {
        const model = models[m]!;
        const a = narrateRecommendation(model, account, product, { productNames: names, maxSentences });
        const b = narrateRecommendation(model, account, product, { productNames: names, maxSentences });
        expect(a).toEqual(b);
        expect(a.reasons.length).toBeLessThanOrEqual(maxSentences);
        for (const reason of a.reasons) for (const id of names.keys()) expect(reason.sentence).not.toMatch(new RegExp(`\\b${id}\\b`));
      }),
      { seed: 5, numRuns: 100 },
    );
  });

  it("rejects what it cannot tell", () => {
    expectError(() => narrateRecommendation({ kind: "mystery" } as never, "a", "b"), "E_BAD_INPUT", "narrateRecommendation: source must be a fitted model");
    expectError(() => narrateRecommendation(fitEase(purchases), "nobody", "crm"), "E_UNKNOWN_ID", "narrateRecommendation: account must be known to the ease model");
    expectError(() => narrateRecommendation(fitEase(purchases), "acme", "nothing"), "E_UNKNOWN_ID", "product must be in the ease model's catalogue");
    expectError(() => narrateRecommendation(fitEase(purchases), "acme", "crm", { maxSentences: 0 }), "E_BAD_INPUT", "options.maxSentences");
    void (purchases satisfies Interactions);
  });
});
