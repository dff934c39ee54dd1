// npm run demo: an end-to-end run over what nextbest has today.
//
// 1. Loads purchases: MovieLens 100K from ../shared/data when it is there (real ratings), otherwise a seeded
//    synthetic B2B book of accounts and products made below (so a fresh clone still runs).
// 2. Holds out each account's latest interaction (leave-last-out by time).
// 3. Fits random, popularity, implicit item-kNN, ALS and BPR and compares them with nextbest/evaluation
//    (top-10 with seen items filtered: hit rate, NDCG, recall, AUC; fit and scoring seconds).
// 4. Shows one account's list, a cold-start account's fallback and a JSON round trip of the model.
// 5. The B2B hybrid on the seeded synthetic book (nextbest/datasets): purchase history, product fit and buyer intent
//    blended with weights learned on a validation split, compared on a temporal split, one account's next best
//    products with each component's part of the score, and the same blend written as a formula.
// 6. The account book: upsell and churn scored by logistic regression on spend and intent features (no look-ahead),
//    accounts ranked by expected value with their next best product and reasons.
// 7. The linear-algebra kernels scoring 100,000 products × 64 factors.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { createRandom, randomInt } from "../src/core/index.ts";
import {
  createInteractions,
  interactionsSummary,
  splitLeaveLastOut,
  type InteractionRow,
  type Interactions,
} from "../src/data/index.ts";
import { fitPopularity, fitRandom, popularityFromJSON, popularityRecommender, popularityToJSON, randomRecommender } from "../src/baselines/index.ts";
import { recommend, type Recommender } from "../src/recommend/index.ts";
import { compareModels, formatComparisonTable } from "../src/evaluation/index.ts";
import { fitItemItemImplicit, itemItemImplicitRecommender } from "../src/neighbors/index.ts";
import { bprRecommender, fitBpr, fitImplicitAls, implicitAlsRecommender } from "../src/factorization/index.ts";
import { denseMatrix, topKAgainstFactors } from "../src/linalg/index.ts";
import { fillNormal } from "../src/core/index.ts";
import { readMovieLens100k } from "../src/node/index.ts";
import { b2bPurchaseInteractions, b2bSampleFeatures, generateB2bSample } from "../src/datasets/index.ts";
import {
  contentRecommender,
  fitContentRecommender,
  fitFirmographicProjection,
  fitIntentModel,
  intentRecommender,
} from "../src/content/index.ts";
import { splitTemporal, interactionsToRows } from "../src/data/index.ts";
import { blendByFormula, blendFromSpec, explainBlend, learnBlendWeights, type BlendComponentFactory } from "../src/hybrid/index.ts";
import { evaluateRanking } from "../src/evaluation/index.ts";
import { accountFeatures, labelSpendOutcomes, narrateAccountScore, rankAccountBook } from "../src/accounts/index.ts";
import { fitLogisticRegression, predictLogisticRegression } from "../src/classifiers/index.ts";
import type { B2bSample } from "../src/datasets/index.ts";

const movieLensDirectory = resolve(import.meta.dirname, "../../shared/data/movielens-100k");

function section(title: string): void {
  console.log(`\n\u001b[1m${title}\u001b[0m`);
}

function progress(label: string, done: number, total: number): void {
  if (!process.stdout.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stdout.write(`\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stdout.write("\n");
}

/** A seeded synthetic B2B book: accounts in industries buy products, mostly from their industry's favourites. */
function syntheticPurchases(): InteractionRow[] {
  const random = createRandom("nextbest-demo");
  const industries = ["manufacturing", "healthcare", "retail", "finance"];
  const products = Array.from({ length: 40 }, (_, i) => `SKU-${String(i + 1).padStart(3, "0")}`);
  const rows: InteractionRow[] = [];
  const start = Date.UTC(2025, 0, 1);
  for (let a = 0; a < 300; a++) {
    const industry = randomInt(random, industries.length);
    const account = `${industries[industry]}-${String(a + 1).padStart(4, "0")}`;
    const purchases = 3 + randomInt(random, 10);
    for (let p = 0; p < purchases; p++) {
      // 70%: one of the industry's ten favourite products; 30%: anything.
      const product = random() < 0.7 ? industry * 10 + randomInt(random, 10) : randomInt(random, products.length);
      rows.push({
        user: account,
        item: products[product]!,
        value: 1,
        timestamp: start + Math.floor(random() * 365) * 86_400_000,
      });
    }
  }
  return rows;
}

async function main(): Promise<void> {
  section("1. Data");
  let data: Interactions;
  let source: string;
  if (existsSync(movieLensDirectory)) {
    data = await readMovieLens100k(movieLensDirectory);
    source = "MovieLens 100K (real ratings, ../shared/data/movielens-100k)";
  } else {
    data = createInteractions(syntheticPurchases());
    source = "synthetic B2B purchases (../shared/data not found; seeded, 300 accounts x 40 products)";
  }
  const summary = interactionsSummary(data);
  console.log(`  source:       ${source}`);
  console.log(`  users:        ${summary.userCount}`);
  console.log(`  items:        ${summary.itemCount}`);
  console.log(`  interactions: ${summary.interactionCount} (density ${(summary.density * 100).toFixed(2)}%)`);

  section("2. Split: each account's latest interaction held out");
  const split = splitLeaveLastOut(data, { count: 1 });
  console.log(`  train ${interactionsSummary(split.train).interactionCount}, test ${interactionsSummary(split.test).interactionCount}`);

  section("3. Models compared on the held-out interaction (seen items filtered, k = 10)");
  const factories: [string, (train: Interactions) => Recommender][] = [
    ["random", (train) => randomRecommender(fitRandom(train, { seed: 42 }))],
    ["popularity", (train) => popularityRecommender(fitPopularity(train))],
    ["item-knn", (train) => itemItemImplicitRecommender(fitItemItemImplicit(train))],
    ["als", (train) => implicitAlsRecommender(fitImplicitAls(train))],
    ["bpr", (train) => bprRecommender(fitBpr(train))],
  ];
  const comparison = compareModels(split, new Map(factories.map(([name, factory], index) => [name, (train: Interactions) => {
    progress("  fitting", index + 1, factories.length);
    return factory(train);
  }])), { metrics: ["hitRate@10", "ndcg@10", "recall@10", "auc"] });
  console.log(formatComparisonTable(comparison).replace(/^/gm, "  "));
  const popularity = fitPopularity(split.train);

  section("4. Next best products for one account");
  const account = split.train.users.ids[0]!;
  const list = recommend(popularityRecommender(popularity), account, { k: 5 });
  console.table(list.items.map((entry) => ({ rank: entry.rank, product: entry.item, score: entry.score })));
  console.log(`  ${list.excludedSeen} already-owned products were filtered out.`);

  const cold = recommend(popularityRecommender(popularity), "brand-new-account", { k: 3 });
  console.log(
    `  A new account gets a marked fallback: ${JSON.stringify(cold.fallback)} -> ${cold.items.map((e) => e.item).join(", ")}`,
  );

  const restored = popularityFromJSON(JSON.parse(JSON.stringify(popularityToJSON(popularity))));
  const again = recommend(popularityRecommender(restored), account, { k: 5 });
  const same = again.items.every((entry, i) => entry.item === list.items[i]!.item);
  console.log(`  Model saved as JSON and loaded back: same recommendations = ${same}`);

  const { sample, hybrid } = b2bHybrid();
  accountBook(sample, hybrid);

  section("7. Linear algebra: one account against 100,000 products x 64 factors, top 10");
  const factors = denseMatrix(100_000, 64, fillNormal(new Float64Array(100_000 * 64), createRandom(1), { standardDeviation: 0.1 }));
  const accountVector = denseMatrix(1, 64, fillNormal(new Float64Array(64), createRandom(2)));
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 10; r++) {
    const started = performance.now();
    topKAgainstFactors(accountVector, factors, { k: 10 });
    best = Math.min(best, performance.now() - started);
  }
  console.log(`  ${best.toFixed(2)} ms (best of 10); \`npm run bench\` measures every kernel against its peers.`);
}

/** Section 5: the hybrid on the synthetic B2B book. */
function b2bHybrid(): { sample: B2bSample; hybrid: Recommender } {
  section("5. B2B hybrid: purchase history + product fit + buyer intent (synthetic book, temporal split)");
  const sample = generateB2bSample({ seed: 42 });
  const purchases = b2bPurchaseInteractions(sample.purchases);
  const { train, test } = splitTemporal(purchases, { testFraction: 0.2 });
  const { products: catalog, accounts, productTopics: topics } = b2bSampleFeatures(sample);
  const asOf = (data: Interactions) => Math.max(...interactionsToRows(data).map((r) => r.timestamp!));
  const factories: BlendComponentFactory[] = [
    { name: "popularity", factory: (data) => popularityRecommender(fitPopularity(data)) },
    { name: "cf", factory: (data) => itemItemImplicitRecommender(fitItemItemImplicit(data)) },
    {
      name: "content",
      factory: (data) => {
        const model = fitContentRecommender(data, catalog, { timeUnit: "milliseconds", halfLifeDays: 365 });
        return contentRecommender(model, { accounts, projection: fitFirmographicProjection(model, accounts) });
      },
    },
    {
      name: "intent",
      factory: (data) => intentRecommender(fitIntentModel(sample.intent, topics, { asOf: asOf(data), timeUnit: "milliseconds", purchases: data })),
    },
  ];
  // Weights learned on the last 20% of the training part (by time), then every component refitted on all of it.
  const learned = learnBlendWeights(splitTemporal(train, { testFraction: 0.2 }), factories, { metric: "ndcg@10" });
  const components = new Map(factories.map((f) => [f.name, f.factory(train)] as const));
  const hybrid = blendFromSpec(learned.spec, components);
  const ndcg = (r: Recommender) => evaluateRanking(r, test, { k: 10, metrics: ["ndcg"] }).mean["ndcg@10"]!;
  console.log(`  ${sample.accounts.length} accounts, ${sample.products.length} products, ${sample.purchases.length} purchases; learned weights:`);
  console.log(`  ${learned.spec.components.map((c) => `${c.name} ${c.weight.toFixed(2)}`).join(", ")}`);
  console.table([
    ...[...components].map(([name, r]) => ({ model: name, "ndcg@10": Number(ndcg(r).toFixed(4)) })),
    { model: "hybrid", "ndcg@10": Number(ndcg(hybrid).toFixed(4)) },
  ]);
  const account = test.users.ids.find((id) => components.get("cf")!.users.lookup.has(id))!;
  console.log(`  Next best products for ${account}, and where each score comes from:`);
  console.table(
    recommend(hybrid, account, { k: 3 }).items.map((entry) => {
      const why = explainBlend(hybrid, account, entry.item);
      return {
        product: entry.item,
        family: sample.products.find((p) => p.id === entry.item)!.family,
        score: Number(entry.score.toFixed(3)),
        ...Object.fromEntries(why.contributions.map((c) => [c.name, Number(c.contribution.toFixed(3))])),
      };
    }),
  );
  const formula = blendByFormula("0.5 * cf + 0.2 * content + 0.3 * intent", new Map([...components].filter(([name]) => name !== "popularity")));
  console.log(`  The same idea as a rule anyone can edit, "${formula.spec.formula}": ndcg@10 ${ndcg(formula).toFixed(4)}`);
  return { sample, hybrid };
}

/** Section 6: upsell and churn scores, the ranked account book with next best products and reasons. */
function accountBook(sample: B2bSample, hybrid: Recommender): void {
  section("6. The account book: who to call, what to bring up, and why");
  const events = sample.purchases.map((p) => ({ account: p.account, product: p.product, amount: p.amount, timestamp: p.timestamp }));
  const month = (m: number) => Date.UTC(2023, m, 1);
  const common = { windows: [90, 180, 365], intent: sample.intent, timeUnit: "milliseconds" as const };
  // Train on dates whose 180-day outcome window is over; score every account today (the end of the book).
  const trainDates = [9, 12, 15, 18, 21, 24].map(month);
  const table = accountFeatures(events, { ...common, dates: trainDates });
  const labels = new Map(
    labelSpendOutcomes(events, { dates: trainDates, windowDays: 180, timeUnit: "milliseconds" }).map((l) => [`${l.date}|${String(l.account)}`, l.outcome]),
  );
  const d = table.info.length;
  const kept = table.rows.flatMap((row, i) => (labels.has(`${row.date}|${String(row.account)}`) ? [i] : []));
  const x = denseMatrix(kept.length, d, Float64Array.from(kept.flatMap((i) => Array.from(table.matrix.data.subarray(i * d, (i + 1) * d)))));
  const outcomeOf = (i: number) => labels.get(`${table.rows[i]!.date}|${String(table.rows[i]!.account)}`);
  const names = table.info.map((f) => f.name);
  const upsell = fitLogisticRegression(x, kept.map((i) => (outcomeOf(i) === "upsell" ? 1 : 0)), { classWeights: "balanced", featureNames: names });
  const churn = fitLogisticRegression(x, kept.map((i) => (outcomeOf(i) === "churn" ? 1 : 0)), { classWeights: "balanced", featureNames: names });
  console.log(`  Trained on ${kept.length} account-dates (${trainDates.length} dates, 180-day outcomes, no look-ahead).`);

  const today = accountFeatures(events, { ...common, dates: [sample.period.end] });
  const pUp = predictLogisticRegression(upsell, today.matrix);
  const pChurn = predictLogisticRegression(churn, today.matrix);
  const spendColumn = names.indexOf("spend_180d");
  const rowOf = new Map(today.rows.map((r, i) => [r.account, i]));
  const money = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  const book = rankAccountBook(
    today.rows.map((r, i) => ({ account: r.account, upsellProbability: pUp[i]!, churnProbability: pChurn[i]!, spend: today.raw.data[i * d + spendColumn]! })),
    {
      limit: 5,
      nextBestProduct: (account) => recommend(hybrid, account, { k: 1 }).items[0] ?? null,
      // Reasons from the upsell model, risks from the churn model's reasons: sentences from raw values, not weights.
      explain: (account) => {
        const i = rowOf.get(account)!;
        const up = narrateAccountScore(upsell, today, i, { maxReasons: 2, maxRisks: 0 });
        const down = narrateAccountScore(churn, today, i, { maxReasons: 1, maxRisks: 0 });
        return { reasons: up.reasons.map((r) => r.text), risks: down.reasons.map((r) => r.text) };
      },
    },
  );
  console.table(
    book.map((e) => ({
      account: e.account,
      "P(upsell)": Number(e.upsellProbability.toFixed(2)),
      "P(churn)": Number(e.churnProbability.toFixed(2)),
      "expected value": money.format(e.expectedValue),
      "next best product": e.nextBestProduct?.item ?? "-",
      "top reason": e.reasons[0] ?? "-",
    })),
  );
  const first = book[0]!;
  console.log(`  Why ${first.account}: ${first.reasons.join("; ")}.`);
  console.log(`  Watch: ${first.risks.join("; ") || "nothing stands out"}.`);
}

await main();
