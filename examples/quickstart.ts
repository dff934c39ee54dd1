// The README's five-minute tour, runnable: npx tsx examples/quickstart.ts
import { createInteractions, splitLeaveLastOut } from "../src/data/index.ts";
import { fitPopularity, popularityFromJSON, popularityRecommender, popularityToJSON } from "../src/baselines/index.ts";
import { recommend, recommendMany } from "../src/recommend/index.ts";
import { NextbestError } from "../src/core/index.ts";

const purchases = createInteractions([
  { user: "acme", item: "crm-seat", value: 40, timestamp: Date.UTC(2025, 0, 3) },
  { user: "acme", item: "analytics", value: 1, timestamp: Date.UTC(2025, 3, 9) },
  { user: "globex", item: "crm-seat", value: 12, timestamp: Date.UTC(2025, 1, 1) },
  { user: "globex", item: "support-plus", value: 1, timestamp: Date.UTC(2025, 5, 2) },
  { user: "initech", item: "crm-seat", value: 5, timestamp: Date.UTC(2025, 2, 7) },
]);

const model = fitPopularity(purchases);
const recommender = popularityRecommender(model);
console.log(JSON.stringify(recommend(recommender, "initech", { k: 2 })));
console.log(JSON.stringify(recommend(recommender, "hooli", { k: 1 }).fallback));

const restored = popularityFromJSON(JSON.parse(JSON.stringify(popularityToJSON(model))));
console.log(JSON.stringify(recommend(popularityRecommender(restored), "initech", { k: 2 }).items));

const { train, test } = splitLeaveLastOut(purchases, { count: 1 });
for (const list of recommendMany(popularityRecommender(fitPopularity(train)), test.users.ids, { k: 10 })) {
  console.log(list.user, list.items.map((entry) => entry.item));
}

try {
  createInteractions([{ user: "acme", item: "crm-seat", value: Number.NaN }]);
} catch (error) {
  if (error instanceof NextbestError) console.log(error.code, error.message);
}

// Collaborative filtering and evaluation, on the same contract (the README's second block), on a larger seeded book.
import { splitRandom } from "../src/data/index.ts";
import { fitImplicitAls, implicitAlsRecommender, foldInUser } from "../src/factorization/index.ts";
import { fitItemItemImplicit, itemItemImplicitRecommender } from "../src/neighbors/index.ts";
import { compareModels, formatComparisonTable } from "../src/evaluation/index.ts";
import { createRandom, randomInt } from "../src/core/index.ts";

const random = createRandom(7);
const rows = [];
for (let account = 0; account < 200; account++) {
  const segment = account % 4;
  for (let n = 0; n < 8; n++) rows.push({ user: `acct-${account}`, item: `sku-${random() < 0.8 ? segment * 6 + randomInt(random, 6) : randomInt(random, 24)}` });
}
const book = createInteractions(rows);
const split = splitRandom(book, { testFraction: 0.2, seed: 42 });
const comparison = compareModels(split, {
  popularity: (train) => popularityRecommender(fitPopularity(train)),
  "item-knn": (train) => itemItemImplicitRecommender(fitItemItemImplicit(train)),
  als: (train) => implicitAlsRecommender(fitImplicitAls(train, { seed: 1 })),
}, { metrics: ["precision@10", "ndcg@10", "auc"] });
console.log(formatComparisonTable(comparison));
const als = fitImplicitAls(book);
console.log(foldInUser(als, [{ item: "sku-1" }, { item: "sku-2" }]).length);
import { tuneImplicitAls } from "../src/factorization/index.ts";
const tuned = tuneImplicitAls(book, { tune: { factors: [32, 64], metric: "ndcg@10" } });
console.log(tuned.tuning?.rows.length, tuned.factors);
