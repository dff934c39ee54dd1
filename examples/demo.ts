// npm run demo: nextbest end to end. Real wholesale accounts first when ../shared/data is beside the repository
// (0. Online Retail II: the recommended pipeline, a real account's next best products with reasons, evaluation), then
// the embedded synthetic B2B sample (no files needed) for the parts real data cannot show (intent, deals, the book).
//
// 1. The book: a seeded synthetic B2B sample (nextbest/datasets) of accounts, products, purchases and intent.
// 2. Next best product: item-item CF, product content with firmographics, buyer intent and look-alikes fitted with a
//    progress bar, blended with weights learned on a validation split, evaluated on a temporal split against
//    popularity and random (NDCG@k for k = 1..20), one account's list with each component's part of the score.
// 3. The account scorer: upsell and churn by logistic regression on spend and intent features without look-ahead,
//    AUC and top-decile lift against "rank by current spend".
// 4. The ranked account book: expected value of a call, next best product and the top reason in plain words.
// 5. demo-output/report.html: the account book as a call list with a card per top account (real accounts when
//    ../shared/data is there), made by renderAccountReport.
// 6. Real data (when ../shared/data is there): MovieLens 100K, the collaborative filters against popularity.
// 7. The linear-algebra kernels scoring 100,000 products × 64 factors.
// 8. Stages (when ../shared/data is there): the next step and the days to it on a real event log (Helpdesk tickets),
//    the stage model against Markov chains on the later third of the cases, and one open case's forecast.
import { makeProgress } from "../src/cli/shared.ts";
import type { ProgressCallback } from "../src/core/progress.ts";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  accountFeatures,
  accountReportExplanation,
  findNarrativeProblems,
  reportAccount,
  fitAccountScorers,
  labelSpendOutcomes,
  narrateAccountScore,
  rankAccountBook,
  renderAccountReport,
  rfmScores,
  type AccountReportInput,
  type SpendEvent,
} from "../src/accounts/index.ts";
import { fitPopularity, fitRandom, popularityRecommender, randomRecommender } from "../src/baselines/index.ts";
import { fitLogisticRegression, predictLogisticRegression } from "../src/classifiers/index.ts";
import {
  contentRecommender,
  fitContentRecommender,
  fitFirmographicProjection,
  fitIntentModel,
  fitLookAlikeModel,
  intentRecommender,
  lookAlikeRecommender,
} from "../src/content/index.ts";
import { createRandom, fillNormal } from "../src/core/index.ts";
import { interactionsSummary, interactionsToRows, splitLeaveLastOut, splitTemporal, splitTemporalWindow, type Interactions } from "../src/data/index.ts";
import { b2bPurchaseInteractions, b2bSampleFeatures, generateB2bSample } from "../src/datasets/index.ts";
import { compareModels, evaluateNextPurchases, evaluateRanking, formatComparisonTable } from "../src/evaluation/index.ts";
import { bprRecommender, fitBpr, fitImplicitAls, implicitAlsRecommender } from "../src/factorization/index.ts";
import { blendByFormula, blendFromSpec, explainBlend, learnBlendWeights, type BlendComponentFactory } from "../src/hybrid/index.ts";
import { denseMatrix, prepareFactorScoring, topK, topKAgainstFactors } from "../src/linalg/index.ts";
import { liftAtDecile, rocAuc } from "../src/metrics/index.ts";
import { fitItemItemImplicit, itemItemImplicitRecommender } from "../src/neighbors/index.ts";
import { readMovieLens100k, readOnlineRetail } from "../src/node/index.ts";
import { onlineRetailInteractions } from "../src/datasets/index.ts";
import { fitNextBestProducts, nextBestProductsRecommender, recommendNextBestProducts } from "../src/pipeline/index.ts";
import { buyAgainRecommender, fitBuyAgain } from "../src/repeat/index.ts";
import { recommend, type Recommender } from "../src/recommend/index.ts";
import { lstmEventLogModel, parseEventLogCsv, scoreEventLogProtocol, type EventLogCase, type EventLogModel, type MarkovMixtureChoice } from "../src/sequence/index.ts";

const repository = resolve(import.meta.dirname, "..");
const movieLensDirectory = resolve(repository, "../shared/data/movielens-100k");
const onlineRetailFile = resolve(repository, "../shared/data/online-retail-ii-2009-2010/online_retail_II_year_2009_2010.csv.gz");
const helpdeskFile = resolve(repository, "../shared/data/process-event-logs-tax2017/helpdesk.csv");
const outputDirectory = resolve(repository, "demo-output");
const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

// Bold titles on a terminal only: a log file or a pipe gets plain text, never raw escape codes.
const terminal = process.stdout.isTTY === true;

function section(title: string): void {
  console.log(terminal ? `\n\u001b[1m${title}\u001b[0m` : `\n${title}`);
}

/** "80,000" and "0.1234": one number format in every table and line. */
function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toLocaleString("en-US", { maximumFractionDigits: 4 });
}

/** The demo's one table style: a header, aligned columns, numbers right-aligned in one format. */
function printTable(rows: readonly Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  // Numbers of a column share their decimals (0.060 under 0.145, not 0.06), at most 4.
  const decimals = columns.map((column) =>
    Math.min(4, Math.max(0, ...rows.map((row) => (typeof row[column] === "number" ? (String(row[column]).split(".")[1] ?? "").length : 0)))),
  );
  const cells = rows.map((row) => columns.map((column, c) => {
    const value = row[column];
    if (value === undefined) return "";
    if (typeof value === "string") return value;
    return decimals[c] === 0 ? formatNumber(value) : value.toLocaleString("en-US", { minimumFractionDigits: decimals[c], maximumFractionDigits: decimals[c] });
  }));
  const numeric = columns.map((column) => rows.every((row) => row[column] === undefined || typeof row[column] === "number"));
  const widths = columns.map((column, c) => Math.max(column.length, ...cells.map((line) => line[c]!.length)));
  const line = (values: readonly string[]) => `  ${values.map((value, c) => (numeric[c] ? value.padStart(widths[c]!) : value.padEnd(widths[c]!))).join("  ")}`.trimEnd();
  console.log(line(columns));
  for (const values of cells) console.log(line(values));
}

// The CLI's progress display: a bar with an ETA on a terminal; off a terminal (`--progress`) one line per quarter.
const cliProgress = makeProgress({ stdout: (text) => process.stdout.write(text), stderr: (text) => process.stdout.write(text), isTTY: terminal }, new Map([["progress", true]]));
const bars = new Map<string, ProgressCallback>();

/** One step of a labelled task, shown the way `nextbest` shows a fit's progress. */
function progress(label: string, done: number, total: number, what: string): void {
  if (!bars.has(label) || done === 1) bars.set(label, cliProgress.steps(label));
  bars.get(label)!({ phase: what, step: done, total });
}


/**
 * Real wholesale accounts first (Online Retail II, when ../shared/data is there): the recommended pipeline fitted on
 * the invoices before 2010-09-01, one real account's next best products with their reasons, and the pipeline against
 * popularity and buy-again on what the accounts bought from 2010-09-01 to 2010-12-09.
 */
async function realAccounts(): Promise<AccountReportInput | undefined> {
  section("0. Real wholesale accounts: Online Retail II, a UK gift-ware wholesaler (UCI, CC BY 4.0)");
  if (!existsSync(onlineRetailFile)) {
    console.log(`  skipped: ${onlineRetailFile} not found; the synthetic sample below runs without it.`);
    return undefined;
  }
  const data = await readOnlineRetail(onlineRetailFile);
  const purchases = onlineRetailInteractions(data.lines);
  const { report } = data;
  console.log(`  ${report.rowsRead.toLocaleString("en-US")} invoice lines read, ${report.rowsKept.toLocaleString("en-US")} kept after the standard cleaning;`);
  console.log(`  ${purchases.users.ids.length.toLocaleString("en-US")} accounts, ${purchases.items.ids.length.toLocaleString("en-US")} products, 2009-12-01 to 2010-12-09`);
  const split = splitTemporalWindow(purchases, { cutoff: Date.UTC(2010, 8, 1) / 1000 });
  const started = performance.now();
  const model = fitNextBestProducts(split.train);
  console.log(`  fitNextBestProducts on the invoices before 2010-09-01: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const weights = (task: "new-products" | "all-products") => model.blends[task].components.filter((c) => c.weight > 0).map((c) => `${c.name} ${c.weight.toFixed(2)}`).join(", ");
  console.log(`  learned on its last 90 days: new products ${weights("new-products")}; all products ${weights("all-products")}`);
  const names = new Map(data.products.map((p) => [p.id, titleCase(p.description ?? p.id)] as const));
  // The account with the most orders before the cut-off.
  const { indptr } = split.train.byUser;
  let account = split.train.users.ids[0]!;
  let most = -1;
  for (let u = 0; u < split.train.users.ids.length; u++) {
    let orders = 0;
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) orders += split.train.byUser.values[p]!;
    if (orders > most) {
      most = orders;
      account = split.train.users.ids[u]!;
    }
  }
  const country = data.accounts.find((a) => a.id === account)?.country ?? "unknown country";
  for (const task of ["all-products", "new-products"] as const) {
    const next = recommendNextBestProducts(model, account, { k: 5, task, productNames: names });
    console.log(`\n  account ${account} (${country}), ${task === "all-products" ? "what it will order next" : "what to offer that it never bought"}:`);
    for (const [rank, item] of next.items.entries()) {
      console.log(`   ${rank + 1}. ${names.get(String(item.product)) ?? item.product}`);
      for (const reason of item.reasons) console.log(`      - ${reason.sentence}`);
    }
  }
  console.log("\n  NDCG@10 on what the accounts bought from 2010-09-01 to 2010-12-09 (npm run bench:b2b has every model):");
  const rows: [string, Recommender, Recommender][] = [
    ["popularity", popularityRecommender(fitPopularity(split.train)), popularityRecommender(fitPopularity(split.train))],
    ["buy-again", buyAgainRecommender(fitBuyAgain(split.train)), buyAgainRecommender(fitBuyAgain(split.train))],
    ["pipeline", nextBestProductsRecommender(model, { task: "new-products" }), nextBestProductsRecommender(model, { task: "all-products" })],
  ];
  printTable(
    rows.map(([name, forNew, forAll]) => ({
      model: name,
      "ndcg@10, new products": Number(evaluateNextPurchases(forNew, split, { task: "new-products", metrics: ["ndcg"], bootstrap: false }).mean["ndcg@10"]!.toFixed(3)),
      "ndcg@10, all products": Number(evaluateNextPurchases(forAll, split, { task: "all-products", metrics: ["ndcg"], bootstrap: false }).mean["ndcg@10"]!.toFixed(3)),
    })),
  );
  return realAccountBook(data, model, names);
}

/**
 * The real account book at 2010-09-01: upsell and churn scorers trained on 2010-05-02 and 2010-06-01 (their 90-day
 * outcome windows end before the cut-off; the setting bench:accounts chooses on its validation date), ranked by the
 * expected value of a call, each account's next best products from the pipeline with their sentences.
 */
function realAccountBook(data: Awaited<ReturnType<typeof readOnlineRetail>>, model: ReturnType<typeof fitNextBestProducts>, names: ReadonlyMap<string, string>): AccountReportInput {
  const { lines } = data;
  const events: SpendEvent[] = lines.accounts.map((account, k) => ({ account, product: lines.products[k]!, amount: lines.quantities[k]! * lines.unitPrices[k]!, timestamp: lines.timestamps[k]! }));
  const cutoff = Date.UTC(2010, 8, 1) / 1000;
  const { upsell, today, upsellProbability: pUp, churnProbability: pChurn } = fitAccountScorers(events, { date: cutoff, windowDays: 90 });
  const d = today.info.length;
  const spend = today.info.findIndex((f) => f.name === "spend_90d");
  const rowOf = new Map(today.rows.map((row, r) => [row.account, r]));
  const book = rankAccountBook(today.rows.map((row, r) => ({ account: row.account, upsellProbability: pUp[r]!, churnProbability: pChurn[r]!, spend: today.raw.data[r * d + spend]! })), { limit: 25 });
  const titled = new Map([...names].map(([id, name]) => [id, titleCase(name)] as const));
  const country = new Map(data.accounts.map((a) => [a.id, a.country] as const));
  let problems = 0;
  const accounts = book.map((entry) => {
    const r = rowOf.get(entry.account)!;
    const up = narrateAccountScore(upsell, today, r, { currency: "GBP", locale: "en-GB", maxReasons: 3, maxRisks: 2 });
    problems += findNarrativeProblems(up).length;
    const products = recommendNextBestProducts(model, entry.account, { k: 3, task: "new-products", productNames: titled }).items;
    const where = country.get(String(entry.account));
    return reportAccount(entry, up, {
      name: `Account ${String(entry.account)}${where ? ` (${where})` : ""}`,
      products: products.map((p) => ({ product: titled.get(String(p.product)) ?? String(p.product), reasons: p.reasons.map((reason) => reason.sentence) })),
      explanation: accountReportExplanation(upsell, today, r),
    });
  });
  const rfm = new Map(rfmScores(events, { date: cutoff }).map((score) => [score.account, score.score]));
  console.log(`\n  account book at 2010-09-01: ${book.length} accounts with a positive expected value (top 25 kept), ${problems} narrative problems; RFM scored ${rfm.size.toLocaleString("en-US")} accounts`);
  return {
    title: "Account book: Online Retail II accounts to call from 2010-09-01",
    dataCutoff: "2010-08-31",
    generated: "2010-09-01 (npm run demo)",
    currency: "GBP",
    locale: "en-GB",
    cards: 6,
    accounts,
    modelCard: {
      dataWindow: "invoices 2009-12-01 to 2010-08-31; scorers trained on 2010-05-02 and 2010-06-01 with 90-day outcomes (logistic regression, balanced)",
      metrics: [
        { metric: "Upsell, ROC AUC on outcomes after 2010-09-01 (npm run bench:accounts)", value: 0.663, baselines: [{ name: "RFM", value: 0.574 }, { name: "current spend", value: 0.48 }] },
        { metric: "Churn, ROC AUC", value: 0.67, baselines: [{ name: "RFM", value: 0.64 }, { name: "current spend", value: 0.579 }] },
      ],
      notes: ["Effects that run against a seller's expectation are marked in the reasons (\"unusually, …\"); accountModelReport lists them."],
    },
  };
}

// "WHITE HANGING HEART T-LIGHT HOLDER" → "White Hanging Heart T-Light Holder".
function titleCase(text: string): string {
  return text.trim().toLowerCase().replace(/(^|[\s(/-])([a-z])/g, (_, space: string, letter: string) => space + letter.toUpperCase());
}

async function main(): Promise<void> {
  const realReport = await realAccounts();

  section("1. The book (synthetic B2B sample, seed 42)");
  const sample = generateB2bSample({ months: 36, seed: 42 });
  const purchases = b2bPurchaseInteractions(sample.purchases);
  const summary = interactionsSummary(purchases);
  console.log(`  ${formatNumber(sample.accounts.length)} accounts, ${formatNumber(sample.products.length)} products, ${formatNumber(sample.purchases.length)} purchases over 36 months,`);
  console.log(`  ${formatNumber(sample.intent.length)} intent signals, ${formatNumber(sample.opportunities.length)} opportunities; density ${(summary.density * 100).toFixed(1)}%`);

  section("2. Next best product: a hybrid of purchase history, product fit, look-alikes and buyer intent");
  const { train, test } = splitTemporal(purchases, { testFraction: 0.2 });
  const { products, accounts, productTopics } = b2bSampleFeatures(sample);
  const asOf = (data: Interactions) => Math.max(...interactionsToRows(data).map((r) => r.timestamp!));
  const factories: BlendComponentFactory[] = [
    { name: "popularity", factory: (data) => popularityRecommender(fitPopularity(data)) },
    { name: "cf", factory: (data) => itemItemImplicitRecommender(fitItemItemImplicit(data)) },
    {
      name: "content",
      factory: (data) => {
        const model = fitContentRecommender(data, products, { timeUnit: "milliseconds", halfLifeDays: 365 });
        return contentRecommender(model, { accounts, projection: fitFirmographicProjection(model, accounts) });
      },
    },
    { name: "lookAlike", factory: (data) => lookAlikeRecommender(fitLookAlikeModel(data, accounts)) },
    {
      name: "intent",
      factory: (data) => intentRecommender(fitIntentModel(sample.intent, productTopics, { asOf: asOf(data), timeUnit: "milliseconds", purchases: data })),
    },
  ];
  let fitted = 0;
  const withProgress = factories.map((f) => ({
    name: f.name,
    factory: (data: Interactions) => {
      const recommender = f.factory(data);
      progress("fitting components", ++fitted, factories.length * 2, f.name);
      return recommender;
    },
  }));
  // Weights learned on the last 20% of the training part (by time); every component then refitted on all of it.
  const learned = learnBlendWeights(splitTemporal(train, { testFraction: 0.2 }), withProgress, { metric: "ndcg@10" });
  const components = new Map(withProgress.map((f) => [f.name, f.factory(train)] as const));
  const hybrid = blendFromSpec(learned.spec, components);
  console.log(`  learned weights: ${learned.spec.components.map((c) => `${c.name} ${c.weight.toFixed(2)}`).join(", ")}`);
  const ks = Array.from({ length: 20 }, (_, i) => i + 1);
  const models = new Map<string, Recommender>([["random", randomRecommender(fitRandom(train, { seed: 42 }))], ...components, ["hybrid", hybrid]]);
  const curves = [...models].map(([name, recommender]) => {
    const result = evaluateRanking(recommender, test, { k: ks, metrics: ["ndcg", "hitRate", "recall"] });
    return { name, result, values: ks.map((k) => result.mean[`ndcg@${k}`]!) };
  });
  printTable(
    curves.map(({ name, result }) => ({
      model: name,
      "ndcg@10": Number(result.mean["ndcg@10"]!.toFixed(4)),
      "hitRate@10": Number(result.mean["hitRate@10"]!.toFixed(4)),
      "recall@10": Number(result.mean["recall@10"]!.toFixed(4)),
    })),
  );
  const account = test.users.ids.find((id) => components.get("cf")!.users.lookup.has(id))!;
  console.log(`  Next best products for ${String(account)}, and where each score comes from:`);
  printTable(
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
  const formula = blendByFormula("0.5 * cf + 0.2 * content + 0.3 * intent", new Map(["cf", "content", "intent"].map((n) => [n, components.get(n)!] as const)));
  const formulaNdcg = evaluateRanking(formula, test, { k: 10, metrics: ["ndcg"] }).mean["ndcg@10"]!;
  console.log(`  The same idea as a rule anyone can edit, "${formula.spec.formula}": ndcg@10 ${formulaNdcg.toFixed(4)}`);

  section("3. The account scorer: upsell and churn over the next 180 days");
  const events = sample.purchases.map((p) => ({ account: p.account, product: p.product, amount: p.amount, timestamp: p.timestamp }));
  const month = (m: number) => Date.UTC(2023, m, 1);
  const common = { windows: [90, 180, 365], intent: sample.intent, timeUnit: "milliseconds" as const };
  const labelled = (dates: number[]) => {
    const table = accountFeatures(events, { ...common, dates });
    const labels = new Map(labelSpendOutcomes(events, { dates, windowDays: 180, timeUnit: "milliseconds" }).map((l) => [`${l.date}|${String(l.account)}`, l.outcome]));
    const d = table.info.length;
    const rows = table.rows.flatMap((r, i) => (labels.has(`${r.date}|${String(r.account)}`) ? [i] : []));
    const x = denseMatrix(rows.length, d, Float64Array.from(rows.flatMap((i) => Array.from(table.matrix.data.subarray(i * d, (i + 1) * d)))));
    const outcome = rows.map((i) => labels.get(`${table.rows[i]!.date}|${String(table.rows[i]!.account)}`)!);
    const spend = rows.map((i) => table.raw.data[i * d + table.info.findIndex((f) => f.name === "spend_180d")]!);
    return { table, x, outcome, spend };
  };
  // Temporal check: train on dates whose outcome window ends by month 24, test at month 24.
  const trainPart = labelled([9, 12, 15, 18].map(month));
  const testPart = labelled([month(24)]);
  const names = trainPart.table.info.map((f) => f.name);
  const fitFor = (part: typeof trainPart, outcome: string) =>
    fitLogisticRegression(part.x, part.outcome.map((o) => (o === outcome ? 1 : 0)), { classWeights: "balanced", featureNames: names });
  const scorerRows = (["upsell", "churn"] as const).map((outcome, i) => {
    progress("fitting scorers", i + 1, 2, outcome);
    const model = fitFor(trainPart, outcome);
    const y = testPart.outcome.map((o) => (o === outcome ? 1 : 0));
    const p = predictLogisticRegression(model, testPart.x);
    const baseline = testPart.spend.map((s) => (outcome === "upsell" ? s : -s));
    return {
      outcome,
      "test rows": y.length,
      AUC: Number(rocAuc(p, y).toFixed(3)),
      "AUC, rank by spend": Number(rocAuc(baseline, y).toFixed(3)),
      "lift top 10%": Number(liftAtDecile(p, y, { decile: 1 }).toFixed(2)),
    };
  });
  printTable(scorerRows);

  section("4. The ranked account book: who to call, what to bring up, and why");
  const allPart = labelled([9, 12, 15, 18, 21, 24, 27, 30].map(month));
  const upsell = fitFor(allPart, "upsell");
  const churn = fitFor(allPart, "churn");
  const today = accountFeatures(events, { ...common, dates: [sample.period.end] });
  const pUp = predictLogisticRegression(upsell, today.matrix);
  const pChurn = predictLogisticRegression(churn, today.matrix);
  const d = today.info.length;
  const spendColumn = names.indexOf("spend_180d");
  const rowOf = new Map(today.rows.map((r, i) => [r.account, i]));
  const book = rankAccountBook(
    today.rows.map((r, i) => ({ account: r.account, upsellProbability: pUp[i]!, churnProbability: pChurn[i]!, spend: today.raw.data[i * d + spendColumn]! })),
    {
      limit: 8,
      nextBestProduct: (id) => recommend(hybrid, id, { k: 1 }).items[0] ?? null,
      // Reasons from the upsell model, risks from the churn model: sentences from raw values, never weights.
      explain: (id) => {
        const i = rowOf.get(id)!;
        return {
          reasons: narrateAccountScore(upsell, today, i, { maxReasons: 2, maxRisks: 0 }).reasons.map((r) => r.text),
          risks: narrateAccountScore(churn, today, i, { maxReasons: 1, maxRisks: 0 }).reasons.map((r) => r.text),
        };
      },
    },
  );
  printTable(
    book.map((e) => ({
      account: e.account,
      "next best product": e.nextBestProduct?.item ?? "-",
      "expected value": money.format(e.expectedValue),
      "P(upsell)": Number(e.upsellProbability.toFixed(2)),
      "P(churn)": Number(e.churnProbability.toFixed(2)),
      "top reason": e.reasons[0] ?? "-",
    })),
  );

  section("5. The report");
  mkdirSync(outputDirectory, { recursive: true });
  // The real accounts when ../shared/data is there; the synthetic book otherwise.
  const reportInput: AccountReportInput = realReport ?? {
    title: "Account book: synthetic B2B sample (seed 42)",
    dataCutoff: new Date(sample.period.end).toISOString().slice(0, 10),
    generated: "npm run demo",
    cards: 3,
    accounts: book.map((entry) => {
      const i = rowOf.get(entry.account)!;
      const product = entry.nextBestProduct?.item;
      return reportAccount(entry, narrateAccountScore(upsell, today, i), {
        products: product === undefined ? [] : [{ product: String(product), reasons: [] }],
        explanation: accountReportExplanation(upsell, today, i),
      });
    }),
    modelCard: { dataWindow: "synthetic purchases, scorers trained on months 9 to 30" },
  };
  const html = renderAccountReport(reportInput);
  const reportPath = resolve(outputDirectory, "report.html");
  writeFileSync(reportPath, html);
  console.log(`  wrote ${reportPath} (${(html.length / 1024).toFixed(0)} kB: the call list, a card per top account with reasons and a waterfall, the model card)`);

  section("6. Real data: MovieLens 100K, collaborative filters against popularity");
  if (existsSync(movieLensDirectory)) {
    const ratings = await readMovieLens100k(movieLensDirectory);
    const split = splitLeaveLastOut(ratings, { count: 1 });
    const cf: [string, (data: Interactions) => Recommender][] = [
      ["popularity", (data) => popularityRecommender(fitPopularity(data))],
      ["item-knn", (data) => itemItemImplicitRecommender(fitItemItemImplicit(data))],
      ["als", (data) => implicitAlsRecommender(fitImplicitAls(data, { seed: 1 }))],
      ["bpr", (data) => bprRecommender(fitBpr(data, { seed: 1 }))],
    ];
    const comparison = compareModels(split, new Map(cf.map(([name, factory], index) => [name, (data: Interactions) => {
      const model = factory(data);
      progress("fitting", index + 1, cf.length, name);
      return model;
    }])), { metrics: ["hitRate@10", "ndcg@10", "auc"] });
    console.log("  each user's latest rating held out, seen items filtered, k = 10:");
    console.log(formatComparisonTable(comparison).replace(/^/gm, "  "));
  } else {
    console.log(`  skipped: ${movieLensDirectory} not found (the datasets' licences forbid shipping them).`);
  }

  section("7. Serving speed: one account against 100,000 products x 64 factors, top 10");
  const table = { rows: 100_000, cols: 64, data: fillNormal(new Float32Array(100_000 * 64), createRandom(1), { standardDeviation: 0.1 }) };
  const accountVector = fillNormal(new Float64Array(64), createRandom(2));
  const scorer = prepareFactorScoring(table); // the table held once in WebAssembly memory (float32)
  const scores = new Float64Array(table.rows);
  const bestOf = (run: () => unknown): number => {
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < 10; r++) {
      const started = performance.now();
      run();
      best = Math.min(best, performance.now() - started);
    }
    return best;
  };
  const prepared = bestOf(() => topK(scorer.score(accountVector, scores), { k: 10 }));
  const inPlace = bestOf(() => topKAgainstFactors({ rows: 1, cols: 64, data: Float32Array.from(accountVector) }, table, { k: 10, kernels: "javascript" }));
  console.log(`  ${prepared.toFixed(2)} ms with prepareFactorScoring (${scorer.kernels} kernels), ${inPlace.toFixed(2)} ms reading the table in JavaScript (best of 10 each);`);
  console.log("  `npm run bench` measures every kernel against its peers (implicit, Surprise, numpy) in the same run.");

  section("8. Stages: the next step of a case and the days to it (Helpdesk tickets, a real event log)");
  if (existsSync(helpdeskFile)) stages(parseEventLogCsv(readFileSync(helpdeskFile, "utf8")));
  else console.log(`  skipped: ${helpdeskFile} not found (npm run bench:sequence has this log, BPI'13 and MovieLens as a log).`);
}

/**
 * The stage model on a real log: lstmEventLogModel at its defaults scored by scoreEventLogProtocol on the later third
 * of the cases (by start time) against Markov chains and the median gap, then one of those cases cut mid-way, as a rep
 * would see an open deal: the next step and the days to it.
 */
function stages(cases: readonly EventLogCase[]): void {
  let chosen: MarkovMixtureChoice | undefined;
  let predict: ReturnType<EventLogModel["fit"]> | undefined;
  const model = lstmEventLogModel({ seed: 0, onMixture: (choice) => (chosen = choice) });
  // The scorer fits the model once on the earlier two thirds; keep what it fitted to forecast one case below.
  const keep: EventLogModel = { name: model.name, fit: (train, context) => (predict = model.fit(train, context)) };
  const score = scoreEventLogProtocol(cases, keep, { protocol: "time-split" });
  console.log(`  ${cases.length.toLocaleString("en-US")} tickets; trained on the first ${score.trainCases.toLocaleString("en-US")} by start time, scored on every step of the other ${score.testCases.toLocaleString("en-US")}:`);
  printTable([
    { model: "LSTM + Markov blend (defaults)", "next-step accuracy": Number(score.accuracy.toFixed(4)), "days-to-next MAE": Number(score.timeToNextEventMaeDays!.toFixed(3)) },
    ...score.markov.map((m) => ({ model: `Markov chain, order ${m.order}`, "next-step accuracy": Number(m.accuracy.toFixed(4)) })),
    { model: "median gap after the step", "days-to-next MAE": Number(score.medianGapMaeDays.toFixed(3)) },
  ]);
  if (chosen !== undefined) {
    console.log(`  chosen on the last 20% of the training cases: the most recent ${chosen.window * 100}% of cases, Markov weight ${chosen.markovWeight} (order ${chosen.markovOrder}), median-gap weight ${chosen.medianGapWeight}`);
  }
  // The latest ticket (by start) with at least four steps, cut after its second.
  const open = [...cases].sort((a, b) => b.times[0]! - a.times[0]!).find((c) => c.activities.length >= 4)!;
  const steps = 2;
  const soFar = { ...open, activities: open.activities.slice(0, steps), times: open.times.slice(0, steps) };
  const forecast = predict!(soFar);
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  console.log(`  case ${open.id}, open after ${soFar.activities.map((a, t) => `${a} (${day(soFar.times[t]!)})`).join(" → ")}:`);
  console.log(`    next: ${forecast.nextStages[steps - 1]} in about ${forecast.daysToNext![steps - 1]!.toFixed(1)} days; it was ${open.activities[steps]} after ${((open.times[steps]! - open.times[steps - 1]!) / 86_400_000).toFixed(1)} days`);
}

await main();
