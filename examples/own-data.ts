// Your own deals and products: next best products with a reason each, a check against popularity on the last 90 days,
// a saved model. Run: npx tsx examples/own-data.ts [deals.csv] [products.csv] (default: the real CRM set in ../shared).
import { readFile } from "node:fs/promises";
import { parseCsv, splitTemporalWindow } from "../src/data/index.ts";
import { readInteractionsFile } from "../src/node/index.ts";
import { fitNextBestProducts, nextBestProductsFromJSON, nextBestProductsRecommender, nextBestProductsToJSON, recommendNextBestProducts } from "../src/pipeline/index.ts";
import { fitPopularity, popularityRecommender } from "../src/baselines/index.ts";
import { evaluateNextPurchases } from "../src/evaluation/index.ts";

const crm = new URL("../../shared/data/crm-sales-opportunities/", import.meta.url);
const [dealsPath = new URL("sales_pipeline.csv", crm).pathname, productsPath = new URL("products.csv", crm).pathname] = process.argv.slice(2);
const deals = await readInteractionsFile(dealsPath, {
  columns: { user: "account", item: "product", value: "close_value", timestamp: "close_date" },
  where: { deal_stage: "Won" }, // open and lost deals are not purchases; add dateFormat: "MM/dd/yyyy" for US dates
});
const products = parseCsv(await readFile(productsPath, "utf8"), { header: true });
const productNames = new Map(products.map((row) => [String(row.get("product")), `${row.get("product")} (${row.get("series")})`]));
const task = "all-products"; // repeat purchases count: B2B accounts reorder
const split = splitTemporalWindow(deals, { cutoff: deals.timestamps!.reduce((a, b) => Math.max(a, b)) - 90 * 86_400_000 });
for (const [name, recommender] of [["pipeline", nextBestProductsRecommender(fitNextBestProducts(split.train), { task })], ["popularity", popularityRecommender(fitPopularity(split.train))]] as const) {
  const { mean } = evaluateNextPurchases(recommender, split, { task, k: 5, metrics: ["precision", "recall"], bootstrap: false });
  console.log(`${name.padEnd(10)} precision@5 ${mean["precision@5"]!.toFixed(3)}  recall@5 ${mean["recall@5"]!.toFixed(3)}`);
}
const model = fitNextBestProducts(deals);
for (const account of deals.users.ids.slice(0, 3)) {
  const { items } = recommendNextBestProducts(model, account, { k: 2, task, productNames });
  console.log(`${String(account)}: ${items.map((item) => `${productNames.get(String(item.product)) ?? item.product}: ${item.reasons[0]?.sentence ?? "a best-seller"}`).join("; ")}`);
}
const reloaded = nextBestProductsFromJSON(JSON.parse(JSON.stringify(nextBestProductsToJSON(model))));
const same = deals.users.ids.every((a) => JSON.stringify(recommendNextBestProducts(reloaded, a, { task }).items) === JSON.stringify(recommendNextBestProducts(model, a, { task }).items));
console.log(`saved and reloaded: ${same ? "identical lists for every account" : "LISTS DIFFER"}`);
if (!same) process.exit(1);
