// Accuracy of the repeat models on real B2B purchases: UCI Online Retail II (2009-12 to 2010-12), read from
// ../shared/data. Validation protocol only (the data from 2010-09-01 on is never looked at here): fit on the purchases
// before 2010-06-01 and judge, for every account with a training purchase, the products it bought from 2010-06-01 to
// 2010-09-01 ("all products": repeat purchases count, lists may hold products bought before), NDCG@10 and HR@10.
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { splitTemporalWindow, type Interactions, type TemporalWindowSplit } from "../../src/data/index.ts";
import { onlineRetailInteractions } from "../../src/datasets/index.ts";
import { readOnlineRetail } from "../../src/node/index.ts";
import { evaluateNextPurchases } from "../../src/evaluation/index.ts";
import { fitPopularity, popularityRecommender } from "../../src/baselines/index.ts";
import type { Recommender } from "../../src/recommend/index.ts";
import { buyAgainRecommender, explainRepeatPurchase, fitBuyAgain, fitRepeatPurchases, repeatPurchaseRecommender } from "../../src/repeat/index.ts";

const file = path.resolve(import.meta.dirname, "../../../shared/data/online-retail-ii-2009-2010/online_retail_II_year_2009_2010.csv.gz");
const hasData = existsSync(file);
if (!hasData) console.warn(`Online Retail II not found at ${file}: skipping the real-data tests of nextbest/repeat.`);

/** "YYYY-MM-DD HH:MM:SS" read as UTC, in seconds. */
function seconds(text: string): number {
  return Date.UTC(+text.slice(0, 4), +text.slice(5, 7) - 1, +text.slice(8, 10), +text.slice(11, 13), +text.slice(14, 16), +text.slice(17, 19)) / 1000;
}

/** nextbest's reader with the standard cleaning; one purchase per (invoice, product) at the invoice time. */
async function readPurchases(): Promise<Interactions> {
  return onlineRetailInteractions((await readOnlineRetail(file)).lines);
}

function judge(recommender: Recommender, split: TemporalWindowSplit): { ndcg: number; hitRate: number; accounts: number } {
  const result = evaluateNextPurchases(recommender, split, { task: "all-products", k: 10, metrics: ["ndcg", "hitRate"], bootstrap: false });
  return { ndcg: result.mean["ndcg@10"]!, hitRate: result.mean["hitRate@10"]!, accounts: result.users.evaluated };
}

describe.skipIf(!hasData)("Online Retail II, validation window (real data, read from ../shared)", () => {
  let split: TemporalWindowSplit | undefined;
  beforeAll(async () => {
    split = splitTemporalWindow(await readPurchases(), { cutoff: seconds("2010-06-01 00:00:00"), end: seconds("2010-09-01 00:00:00") });
  }, 120_000);

  it("the repeat model beats buy-again, and buy-again beats popularity, on every product bought in the next three months", () => {
    const train = split!.train;
    const popularity = judge(popularityRecommender(fitPopularity(train)), split!);
    const buyAgain = judge(buyAgainRecommender(fitBuyAgain(train)), split!);
    const repeat = judge(repeatPurchaseRecommender(fitRepeatPurchases(train, { fill: "popularity" })), split!);
    console.log(
      `Online Retail II validation (all products, ${repeat.accounts} accounts), NDCG@10 / HR@10: popularity ${popularity.ndcg.toFixed(4)} / ${popularity.hitRate.toFixed(4)}, ` +
        `buy-again ${buyAgain.ndcg.toFixed(4)} / ${buyAgain.hitRate.toFixed(4)}, repeat purchases ${repeat.ndcg.toFixed(4)} / ${repeat.hitRate.toFixed(4)}`,
    );
    // Measured: popularity 0.157, buy-again 0.391, repeat purchases 0.443 (1,339 accounts).
    expect(repeat.accounts).toBe(buyAgain.accounts);
    expect(buyAgain.ndcg).toBeGreaterThan(popularity.ndcg + 0.15);
    expect(repeat.ndcg).toBeGreaterThan(buyAgain.ndcg + 0.03);
    expect(repeat.hitRate).toBeGreaterThan(buyAgain.hitRate);
  });

  it("with fill none it recommends only an account's own products, each with a plain-words reason", () => {
    const model = fitRepeatPurchases(split!.train);
    const recommender = repeatPurchaseRecommender(model);
    for (let u = 0; u < model.users.ids.length; u += 97) {
      const own = model.seenIndptr[u + 1]! - model.seenIndptr[u]!;
      const scores = new Float64Array(model.items.ids.length);
      recommender.scoreUser(u, scores);
      expect(scores.filter((v) => !Number.isNaN(v)).length).toBe(own);
      for (let k = model.seenIndptr[u]!; k < model.seenIndptr[u + 1]!; k++) {
        const reason = explainRepeatPurchase(model, model.users.ids[u]!, model.items.ids[model.seenIndices[k]!]!);
        expect(reason.sentence).toMatch(/^(Bought once, \d+ (days?|weeks|months) ago|Bought (twice|\d+ times); last order .+|Reorders about every .+; last order .+)$/);
        expect(reason.values.probability).toBe(model.probabilities[k]);
      }
    }
  });
});
