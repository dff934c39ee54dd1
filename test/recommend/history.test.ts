// Issue 16, "new users without retraining through the contract": recommendForHistory scores an account from its own
// history. For an account the model was trained on, its training rows as the history give its trained list.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createInteractions, userItems, type Interactions } from "../../src/data/index.ts";
import { fitPopularity, popularityRecommender } from "../../src/baselines/index.ts";
import { easeRecommender, fitEase, fitItemItemImplicit, fitRp3Beta, itemItemImplicitRecommender, rp3BetaRecommender } from "../../src/neighbors/index.ts";
import { bprRecommender, fitBpr, fitImplicitAls, foldInUser, implicitAlsRecommender } from "../../src/factorization/index.ts";
import { blendRecommenders } from "../../src/hybrid/index.ts";
import { contentFromJSON, contentRecommender, contentToJSON, fitContentRecommender } from "../../src/content/index.ts";
import { buyAgainRecommender, fitBuyAgain, fitRepeatPurchases, repeatPurchaseRecommender, repeatPurchasesFromJSON, repeatPurchasesToJSON } from "../../src/repeat/index.ts";
import { NextbestError } from "../../src/core/index.ts";
import { denseFromRows } from "../../src/linalg/index.ts";
import { recommend, recommendForHistory, type Recommender } from "../../src/recommend/index.ts";
import { expectError } from "../helpers.ts";

const entry = fc.record({ user: fc.integer({ min: 0, max: 6 }), item: fc.integer({ min: 0, max: 7 }), value: fc.integer({ min: 1, max: 5 }) });

function catalogOf(data: Interactions) {
  const ids = data.items.ids.map(String);
  return { ids, features: denseFromRows(ids.map((id) => { const i = Number(id.slice(1)); return [1 + (i % 3), i % 2, i / 4]; })) };
}

function historyOf(data: Interactions, user: string) {
  const own = userItems(data, user);
  return { items: [...own.items], values: Array.from(own.values) };
}

/** Each trained account's dated rows, given as a new account's history, give its trained list and scores. */
function expectDatedRowsGiveTrainedLists(recommender: Recommender, data: Interactions, input: readonly { user: string; item: string; timestamp: number }[]): void {
  for (const user of data.users.ids) {
    const own = input.filter((r) => r.user === user);
    const trained = recommend(recommender, user, { k: 6, excludeSeen: false });
    const fromHistory = recommendForHistory(recommender, { items: own.map((r) => r.item), timestamps: own.map((r) => r.timestamp) }, { k: 6, excludeSeen: false, user });
    expect(fromHistory.items.map((item) => item.item)).toEqual(trained.items.map((item) => item.item));
    fromHistory.items.forEach((item, j) => expect(item.score).toBeCloseTo(trained.items[j]!.score, 10));
  }
}

describe("recommendForHistory", () => {
  const exact: ReadonlyArray<readonly [string, (data: Interactions) => Recommender]> = [
    ["EASE", (d) => easeRecommender(fitEase(d))],
    ["EASE (raw values)", (d) => easeRecommender(fitEase(d, { values: "raw" }))],
    ["item-kNN", (d) => itemItemImplicitRecommender(fitItemItemImplicit(d, { values: "log1p" }))],
    ["RP3β", (d) => rp3BetaRecommender(fitRp3Beta(d))],
    ["popularity", (d) => popularityRecommender(fitPopularity(d))],
    ["content", (d) => contentRecommender(fitContentRecommender(d, catalogOf(d)))],
    ["content (log1p values), through JSON", (d) => contentRecommender(contentFromJSON(JSON.parse(JSON.stringify(contentToJSON(fitContentRecommender(d, catalogOf(d), { valueWeighting: "log1p" }))))))],
    ["a blend of EASE and popularity", (d) => blendRecommenders([{ name: "ease", recommender: easeRecommender(fitEase(d)), weight: 0.8 }, { name: "pop", recommender: popularityRecommender(fitPopularity(d)), weight: 0.2 }])],
  ];
  for (const [name, fit] of exact) {
    it(`property (${name}): a trained account's own rows give its trained list`, () => {
      fc.assert(
        fc.property(fc.array(entry, { minLength: 3, maxLength: 30 }), (rows) => {
          const data = createInteractions(rows.map((r) => ({ user: `u${r.user}`, item: `p${r.item}`, value: r.value })));
          const recommender = fit(data);
          for (const user of data.users.ids) {
            const trained = recommend(recommender, user, { k: 5 });
            const fromHistory = recommendForHistory(recommender, historyOf(data, String(user)), { k: 5, user });
            expect(fromHistory.items.map((item) => item.item)).toEqual(trained.items.map((item) => item.item));
            fromHistory.items.forEach((item, j) => expect(item.score).toBeCloseTo(trained.items[j]!.score, 10));
            expect(fromHistory.excludedSeen).toBe(trained.excludedSeen);
          }
        }),
        { numRuns: 25 },
      );
    });
  }

  it("ALS folds the account in: scores are the item factors times foldInUser's vector", () => {
    const data = createInteractions([
      { user: "a", item: "x", value: 3 }, { user: "a", item: "y" }, { user: "b", item: "x" }, { user: "b", item: "z", value: 2 }, { user: "c", item: "y" }, { user: "c", item: "z" },
    ]);
    const model = fitImplicitAls(data, { factors: 2, iterations: 5 });
    const history = { items: ["x", "z", "x"], values: [1, 2, 1] };
    const x = foldInUser(model, history.items.map((item, k) => ({ item, value: history.values[k]! })));
    const result = recommendForHistory(implicitAlsRecommender(model), history, { k: 3, excludeSeen: false });
    for (const item of result.items) {
      const i = model.items.lookup.get(item.item)!;
      expect(item.score).toBeCloseTo(x[0]! * model.itemFactors[i * 2]! + x[1]! * model.itemFactors[i * 2 + 1]!, 6);
    }
    expectError(() => recommendForHistory(implicitAlsRecommender(model), { items: ["x"], values: [-1] }), "E_BAD_INPUT", 'implicitAlsRecommender.scoreHistory: history values must be >= 0, got -1 for item "x"');
  });

  it("reports unknown items (or rejects them with strict) and names a model that cannot score a history", () => {
    const data = createInteractions([{ user: "a", item: "crm" }, { user: "a", item: "erp" }, { user: "b", item: "crm" }, { user: "b", item: "erp" }, { user: "c", item: "hr" }]);
    const ease = easeRecommender(fitEase(data));
    const result = recommendForHistory(ease, { items: ["crm", "fax", "fax"] }, { k: 2 });
    expect(result.unknownItems).toEqual(["fax"]);
    expect(result.user).toBe("new account");
    expect(result.items[0]!.item).toBe("erp");
    expectError(() => recommendForHistory(ease, { items: ["fax"] }, { strict: true }), "E_UNKNOWN_ID", 'recommendForHistory: history.items[0] must be an item the model knows (strict), got "fax"');
    expectError(() => recommendForHistory(ease, { items: ["crm"], values: [1, 2] }), "E_SHAPE", "recommendForHistory: history.values must be an array with one number per item (1)");
    const bpr = bprRecommender(fitBpr(data, { factors: 2, epochs: 2 }));
    expectError(() => recommendForHistory(bpr, { items: ["crm"] }), "E_BAD_INPUT", 'recommendForHistory: recommender "bpr" cannot score a new account\'s history');
    const mixed = blendRecommenders([{ name: "ease", recommender: ease, weight: 1 }, { name: "bpr", recommender: bpr, weight: 1 }]);
    expectError(() => recommendForHistory(mixed, { items: ["crm"] }), "E_BAD_INPUT", "cannot score a new account's history");
  });

  it("EASE with a half-life decays dated rows as it decayed training rows", () => {
    const DAY = 86_400;
    const data = createInteractions(
      [
        { user: "a", item: "x", timestamp: 0 }, { user: "a", item: "y", timestamp: 300 * DAY }, { user: "b", item: "x", timestamp: 10 * DAY },
        { user: "b", item: "z", timestamp: 20 * DAY }, { user: "c", item: "y", timestamp: 310 * DAY }, { user: "c", item: "z", timestamp: 320 * DAY },
      ],
      { timeUnit: "seconds" },
    );
    const ease = easeRecommender(fitEase(data, { recencyHalfLifeDays: 30 }));
    const own = userItems(data, "a");
    const fromHistory = recommendForHistory(ease, { items: [...own.items], timestamps: Array.from(own.timestamps!) }, { user: "a" });
    expect(fromHistory.items).toEqual(recommend(ease, "a").items);
  });

  it("content with a half-life decays dated rows as its training did; models written before the weighting still load", () => {
    const DAY = 86_400;
    const data = createInteractions(
      [
        { user: "a", item: "p0", value: 2, timestamp: 0 }, { user: "a", item: "p1", timestamp: 200 * DAY }, { user: "b", item: "p2", timestamp: 10 * DAY },
        { user: "b", item: "p3", value: 3, timestamp: 300 * DAY }, { user: "c", item: "p1", timestamp: 310 * DAY }, { user: "c", item: "p4", timestamp: 320 * DAY },
      ],
      { timeUnit: "seconds" },
    );
    const model = fitContentRecommender(data, catalogOf(data), { halfLifeDays: 45 });
    const content = contentRecommender(model);
    const own = userItems(data, "a");
    const fromHistory = recommendForHistory(content, { items: [...own.items], values: Array.from(own.values), timestamps: Array.from(own.timestamps!) }, { user: "a" });
    expect(fromHistory.items.map((item) => item.item)).toEqual(recommend(content, "a").items.map((item) => item.item));
    fromHistory.items.forEach((item, j) => expect(item.score).toBeCloseTo(recommend(content, "a").items[j]!.score, 10));
    const { profileWeighting: _dropped, ...older } = contentToJSON(model);
    expect(contentFromJSON(older).profileWeighting).toBeUndefined();
    expectError(() => contentFromJSON({ ...contentToJSON(model), profileWeighting: { ...model.profileWeighting!, halfLifeDays: -1 } }), "E_BAD_MODEL", "contentFromJSON: json.profileWeighting.halfLifeDays must be a finite number > 0 or null");
  });

  it("property (buy-again): a trained account's dated rows give its trained list; undated rows are an error naming the need", () => {
    const DAY = 86_400;
    const row = fc.record({ user: fc.integer({ min: 0, max: 4 }), item: fc.integer({ min: 0, max: 5 }), day: fc.integer({ min: 0, max: 400 }) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 3, maxLength: 30 }), (rows) => {
        const input = rows.map((r) => ({ user: `u${r.user}`, item: `p${r.item}`, timestamp: r.day * DAY }));
        const data = createInteractions(input, { timeUnit: "seconds" });
        const recommender = buyAgainRecommender(fitBuyAgain(data, { halfLifeDays: 30 }));
        expectDatedRowsGiveTrainedLists(recommender, data, input);
      }),
      { numRuns: 25 },
    );
    const data = createInteractions([{ user: "a", item: "x", timestamp: 0 }], { timeUnit: "seconds" });
    expectError(() => recommendForHistory(buyAgainRecommender(fitBuyAgain(data)), { items: ["x"] }), "E_BAD_INPUT", "buyAgainRecommender.scoreHistory: history.timestamps must be given for buy-again");
  });

  it("property (repeat purchases): a trained account's dated rows give its trained probabilities, also through JSON", () => {
    const DAY = 86_400;
    const row = fc.record({ user: fc.integer({ min: 0, max: 5 }), item: fc.integer({ min: 0, max: 5 }), day: fc.integer({ min: 0, max: 400 }) });
    let checked = 0;
    fc.assert(
      fc.property(fc.array(row, { minLength: 20, maxLength: 80 }), fc.boolean(), (rows, throughJson) => {
        const input = rows.map((r) => ({ user: `u${r.user}`, item: `p${r.item}`, timestamp: r.day * DAY }));
        const data = createInteractions(input, { timeUnit: "seconds" });
        let model;
        try {
          model = fitRepeatPurchases(data, { horizonDays: 60 });
        } catch (error) {
          // Random rows may hold no reorder (or only reorders) before the horizon: nothing to learn, a documented error.
          if (error instanceof NextbestError && error.code === "E_EMPTY") return;
          throw error;
        }
        if (throughJson) model = repeatPurchasesFromJSON(JSON.parse(JSON.stringify(repeatPurchasesToJSON(model))));
        const recommender = repeatPurchaseRecommender(model);
        checked++;
        expectDatedRowsGiveTrainedLists(recommender, data, input);
      }),
      { numRuns: 40 },
    );
    expect(checked).toBeGreaterThan(10);
  });

  it("repeat purchases: a new account that buys on a cycle is due; one bought once long ago is not; undated rows are an error", () => {
    const DAY = 86_400;
    const rows = [];
    for (let a = 0; a < 12; a++) {
      for (let t = a; t <= 200; t += 20) rows.push({ user: `a${a}`, item: "filters", timestamp: t * DAY });
      rows.push({ user: `a${a}`, item: "drill", timestamp: (5 + 10 * a) * DAY });
    }
    const recommender = repeatPurchaseRecommender(fitRepeatPurchases(createInteractions(rows, { timeUnit: "seconds" }), { horizonDays: 30 }));
    const history = { items: ["filters", "filters", "filters", "drill"], timestamps: [150 * DAY, 170 * DAY, 190 * DAY, 20 * DAY] };
    const result = recommendForHistory(recommender, history, { excludeSeen: false });
    expect(result.items.map((item) => item.item)).toEqual(["filters", "drill"]);
    expect(result.items[0]!.score).toBeGreaterThan(0.9);
    expect(result.items[1]!.score).toBeLessThan(0.1);
    expectError(() => recommendForHistory(recommender, { items: ["filters"] }), "E_BAD_INPUT", "repeatPurchaseRecommender.scoreHistory: history.timestamps must be given for repeat purchases");
  });
});
