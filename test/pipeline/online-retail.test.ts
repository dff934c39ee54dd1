// The recommended pipeline on real B2B purchases: UCI Online Retail II, protocol P-dev of bench:b2b (fit on the
// invoices before 2010-09-01, judge what each known account bought from 2010-09-01 to 2010-12-09). The pipeline chose
// its weights on its own last 90 days; these assertions only check the figures bench:b2b reports.
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fitPopularity, popularityRecommender } from "../../src/baselines/index.ts";
import { splitTemporalWindow, type TemporalWindowSplit } from "../../src/data/index.ts";
import { onlineRetailInteractions, type OnlineRetailData } from "../../src/datasets/index.ts";
import { evaluateNextPurchases, type NextPurchaseTask } from "../../src/evaluation/index.ts";
import { readOnlineRetail } from "../../src/node/index.ts";
import { fitNextBestProducts, nextBestProductsRecommender, recommendNextBestProducts, type NextBestProductsModel } from "../../src/pipeline/index.ts";
import type { Recommender } from "../../src/recommend/index.ts";
import { buyAgainRecommender, fitBuyAgain } from "../../src/repeat/index.ts";

const file = path.resolve(import.meta.dirname, "../../../shared/data/online-retail-ii-2009-2010/online_retail_II_year_2009_2010.csv.gz");
const hasData = existsSync(file);
if (!hasData) console.warn(`Online Retail II not found at ${file}: skipping the real-data tests of nextbest/pipeline.`);

const ndcg = (recommender: Recommender, split: TemporalWindowSplit, task: NextPurchaseTask): number =>
  evaluateNextPurchases(recommender, split, { task, metrics: ["ndcg"], bootstrap: false }).mean["ndcg@10"]!;

describe.skipIf(!hasData)("fitNextBestProducts on Online Retail II (P-dev, real data read from ../shared)", () => {
  let data: OnlineRetailData;
  let split: TemporalWindowSplit;
  let model: NextBestProductsModel;
  beforeAll(async () => {
    data = await readOnlineRetail(file);
    split = splitTemporalWindow(onlineRetailInteractions(data.lines), { cutoff: Date.UTC(2010, 8, 1) / 1000 });
    model = fitNextBestProducts(split.train);
  }, 240_000);

  it("beats popularity on new products and buy-again on all products (NDCG@10 0.133 and 0.410 measured)", () => {
    const popularity = popularityRecommender(fitPopularity(split.train));
    const buyAgain = buyAgainRecommender(fitBuyAgain(split.train));
    const newProducts = ndcg(nextBestProductsRecommender(model, { task: "new-products" }), split, "new-products");
    const allProducts = ndcg(nextBestProductsRecommender(model, { task: "all-products" }), split, "all-products");
    console.log(`pipeline on Online Retail II P-dev: new products ${newProducts.toFixed(4)}, all products ${allProducts.toFixed(4)}`);
    expect(newProducts).toBeGreaterThan(2 * ndcg(popularity, split, "new-products"));
    expect(newProducts).toBeGreaterThan(0.125);
    expect(allProducts).toBeGreaterThan(1.05 * ndcg(buyAgain, split, "all-products"));
    expect(model.dropped).toEqual([]);
  });

  it("gives every recommended product of real accounts a reason, with product names", () => {
    const names = new Map(data.products.map((p) => [p.id, p.description ?? p.id] as const));
    for (const account of split.train.users.ids.slice(0, 25)) {
      for (const task of ["new-products", "all-products"] as const) {
        const next = recommendNextBestProducts(model, account, { k: 5, task, productNames: names });
        expect(next.items.length).toBe(5);
        for (const item of next.items) {
          expect(item.reasons.length).toBeGreaterThan(0);
          for (const reason of item.reasons) expect(reason.sentence).not.toMatch(/undefined|NaN|null/);
        }
      }
    }
  });
});
