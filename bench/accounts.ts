// The accounts suite (`npm run bench:accounts`): upsell and churn scoring on the synthetic B2B book with a temporal
// split, beside "rank by current spend"; won-vs-lost scoring on the real CRM pipeline beside majority and per-agent /
// per-product win-rate baselines.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { accountFeatures, labelSpendOutcomes, type AccountAttributes, type AccountFeatureInfo, type AccountFeatureTable } from "../src/accounts/index.ts";
import { fitLogisticRegression, fitMlpClassifier, predictLogisticRegression, predictMlpClassifier } from "../src/classifiers/index.ts";
import { encodeRows, fitFeatureEncoder, type FeatureRow } from "../src/content/index.ts";
import { generateB2bSample } from "../src/datasets/index.ts";
import { denseMatrix, type DenseMatrix } from "../src/linalg/index.ts";
import { liftAtDecile, rocAuc } from "../src/metrics/index.ts";
import { readCrmSalesOpportunities } from "../src/node/index.ts";
import type { BenchRow, SuiteResult } from "./lib.ts";

const dataDirectory = join(import.meta.dirname, "..", "..", "shared", "data");
const DAY = 86_400_000;
const SEEDS = [1, 2, 3];
const WINDOW_DAYS = 180;

function monthStart(start: number, m: number): number {
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + m, 1);
}

/** Rows of `table` whose (account, date) has a label, with the labels' outcomes. */
function join2(table: AccountFeatureTable, labels: ReturnType<typeof labelSpendOutcomes>): { x: DenseMatrix; outcome: string[]; spend: number[] } {
  const byKey = new Map(labels.map((l) => [`${l.date}|${String(l.account)}`, l]));
  const d = table.info.length;
  const data: number[] = [];
  const outcome: string[] = [];
  const spend: number[] = [];
  const spendColumn = table.info.findIndex((f) => f.name === `spend_${WINDOW_DAYS}d`);
  table.rows.forEach((row, r) => {
    const label = byKey.get(`${row.date}|${String(row.account)}`);
    if (label === undefined) return;
    for (let j = 0; j < d; j++) data.push(table.matrix.data[r * d + j]!);
    outcome.push(label.outcome);
    spend.push(table.raw.data[r * d + spendColumn]!);
  });
  return { x: denseMatrix(outcome.length, d, Float64Array.from(data)), outcome, spend };
}

interface SeedFigures {
  upsellAuc: number;
  upsellAucBaseline: number;
  upsellLift: number;
  upsellLiftBaseline: number;
  churnAuc: number;
  churnAucBaseline: number;
  churnLift: number;
  upsellAucMlp: number;
  trainRows: number;
  testRows: number;
  upsellRate: number;
  churnRate: number;
}

function runSyntheticSeed(seed: number): SeedFigures {
  const months = 36;
  const sample = generateB2bSample({ accounts: 2000, months, seed });
  const events = sample.purchases.map((p) => ({ account: p.account, product: p.product, amount: p.amount, timestamp: p.timestamp }));
  const rows = sample.accounts as unknown as FeatureRow[];
  const encoder = fitFeatureEncoder(rows, [
    { field: "industry", kind: "categorical" },
    { field: "employees", kind: "numeric", transform: "log1p" },
    { field: "revenueGrowth", kind: "numeric" },
  ], { normalize: false });
  const info: AccountFeatureInfo[] = encoder.featureNames.map((name) => ({
    name,
    label: name.startsWith("industry=") ? `Industry: ${name.slice(9)}` : name === "employees" ? "Employees (log)" : "Revenue growth",
    group: "firmographics",
    unit: name.startsWith("industry=") ? "flag" : "score",
    higherIsBetter: true,
    logScale: false,
  }));
  const attributes: AccountAttributes = { ids: sample.accounts.map((a) => a.id), features: encodeRows(encoder, rows), info };
  const trainDates = [12, 15, 18, 21, 24].map((m) => monthStart(sample.period.start, m));
  const testDates = [monthStart(sample.period.start, 30)];
  const common = { windows: [90, WINDOW_DAYS, 365], intent: sample.intent, attributes, timeUnit: "milliseconds" as const };
  const labelOptions = { windowDays: WINDOW_DAYS, upsellThreshold: 0.2, churnThreshold: -0.5, timeUnit: "milliseconds" as const };
  const train = join2(accountFeatures(events, { ...common, dates: trainDates, accounts: attributes.ids }), labelSpendOutcomes(events, { ...labelOptions, dates: trainDates }));
  const test = join2(accountFeatures(events, { ...common, dates: testDates, accounts: attributes.ids }), labelSpendOutcomes(events, { ...labelOptions, dates: testDates }));
  const names = accountFeatures(events, { ...common, dates: testDates.slice(0, 1), accounts: attributes.ids.slice(0, 1) }).info.map((f) => f.name);

  const figures = (outcome: "upsell" | "churn") => {
    const y = train.outcome.map((o) => (o === outcome ? 1 : 0));
    const yTest = test.outcome.map((o) => (o === outcome ? 1 : 0));
    const model = fitLogisticRegression(train.x, y, { l2: 1, classWeights: "balanced", featureNames: names });
    const p = predictLogisticRegression(model, test.x);
    // Baseline: an account director calling the biggest spenders first (for churn: the smallest first).
    const baseline = test.spend.map((s) => (outcome === "upsell" ? s : -s));
    return {
      auc: rocAuc(p, yTest),
      aucBaseline: rocAuc(baseline, yTest),
      lift: liftAtDecile(p, yTest, { decile: 1 }),
      liftBaseline: liftAtDecile(baseline, yTest, { decile: 1 }),
      y,
      yTest,
    };
  };
  const up = figures("upsell");
  const churn = figures("churn");
  const mlp = fitMlpClassifier(train.x, up.y, { hiddenUnits: 16, seed: 1, classWeights: "balanced", featureNames: names });
  const pm = predictMlpClassifier(mlp, test.x);
  const upsellMlp = Array.from({ length: test.x.rows }, (_, i) => pm[i * 2 + 1]!);
  return {
    upsellAuc: up.auc,
    upsellAucBaseline: up.aucBaseline,
    upsellLift: up.lift,
    upsellLiftBaseline: up.liftBaseline,
    churnAuc: churn.auc,
    churnAucBaseline: churn.aucBaseline,
    churnLift: churn.lift,
    upsellAucMlp: rocAuc(upsellMlp, up.yTest),
    trainRows: train.x.rows,
    testRows: test.x.rows,
    upsellRate: up.yTest.reduce((s: number, v: number) => s + v, 0) / test.x.rows,
    churnRate: churn.yTest.reduce((s: number, v: number) => s + v, 0) / test.x.rows,
  };
}

/**
 * Prospect scoring (the seeds' prospect network): each synthetic opportunity is good (won in at most the median time
 * to close), medium (won, slower) or bad (lost); features known when it opens: firmographics, the product's family
 * and tier, the deal amount, intent on the product's family in the 60 days before, and purchases so far.
 */
function runProspects(seed: number): { mlpBadAuc: number; logisticBadAuc: number; mlpAccuracy: number; majorityAccuracy: number; testDeals: number } {
  const sample = generateB2bSample({ accounts: 2000, seed });
  const accountById = new Map(sample.accounts.map((a) => [a.id, a]));
  const productById = new Map(sample.products.map((p) => [p.id, p]));
  const industries = [...new Set(sample.accounts.map((a) => a.industry))];
  const families = [...new Set(sample.products.map((p) => p.family))];
  const tiers = ["entry", "standard", "premium"];
  const intentBy = new Map<string, { t: number; score: number }[]>();
  for (const row of sample.intent) {
    const key = `${row.account}|${row.topic}`;
    const list = intentBy.get(key) ?? [];
    list.push({ t: row.timestamp, score: row.score });
    intentBy.set(key, list);
  }
  const purchaseTimes = new Map<string, number[]>();
  for (const p of sample.purchases) purchaseTimes.set(p.account, [...(purchaseTimes.get(p.account) ?? []), p.timestamp]);
  const deals = [...sample.opportunities].sort((a, b) => a.stages[0]!.timestamp - b.stages[0]!.timestamp);
  const wonDays = deals.filter((d) => d.outcome === "won").map((d) => d.stages[d.stages.length - 1]!.timestamp - d.stages[0]!.timestamp).sort((a, b) => a - b);
  const median = wonDays[Math.floor(wonDays.length / 2)]!;
  const rows = deals.map((d) => {
    const account = accountById.get(d.account)!;
    const product = productById.get(d.product)!;
    const opened = d.stages[0]!.timestamp;
    const intent = (intentBy.get(`${d.account}|${product.family}`) ?? []).filter((r) => r.t < opened && r.t >= opened - 60 * DAY).reduce((s, r) => s + r.score, 0);
    const bought = (purchaseTimes.get(d.account) ?? []).filter((t) => t < opened).length;
    return [
      ...industries.map((i) => (account.industry === i ? 1 : 0)),
      ...families.map((f) => (product.family === f ? 1 : 0)),
      ...tiers.map((t) => (product.priceTier === t ? 1 : 0)),
      Math.log(account.employees),
      account.revenueGrowth,
      Math.log1p(d.amount),
      Math.log1p(intent),
      Math.log1p(bought),
    ];
  });
  const labels = deals.map((d) => (d.outcome === "lost" ? 2 : d.stages[d.stages.length - 1]!.timestamp - d.stages[0]!.timestamp <= median ? 0 : 1));
  const cut = Math.floor(deals.length * 0.8);
  const matrix = (from: number, to: number) => denseMatrix(to - from, rows[0]!.length, Float64Array.from(rows.slice(from, to).flat()));
  const train = matrix(0, cut);
  const test = matrix(cut, deals.length);
  const mlp = fitMlpClassifier(train, labels.slice(0, cut), { hiddenUnits: 32, activation: "tanh", seed: 1, classNames: ["good", "medium", "bad"] });
  const p = predictMlpClassifier(mlp, test);
  const yTest = labels.slice(cut);
  const bad = yTest.map((c) => (c === 2 ? 1 : 0));
  let correct = 0;
  const counts = [0, 0, 0];
  for (const c of labels.slice(0, cut)) counts[c]!++;
  const majority = counts.indexOf(Math.max(...counts));
  let majorityCorrect = 0;
  yTest.forEach((c, i) => {
    const row = [p[i * 3]!, p[i * 3 + 1]!, p[i * 3 + 2]!];
    if (row.indexOf(Math.max(...row)) === c) correct++;
    if (c === majority) majorityCorrect++;
  });
  const logistic = fitLogisticRegression(train, labels.slice(0, cut).map((c) => (c === 2 ? 1 : 0)), { l2: 1 });
  return {
    mlpBadAuc: rocAuc(Array.from({ length: yTest.length }, (_, i) => p[i * 3 + 2]!), bad),
    logisticBadAuc: rocAuc(predictLogisticRegression(logistic, test), bad),
    mlpAccuracy: correct / yTest.length,
    majorityAccuracy: majorityCorrect / yTest.length,
    testDeals: yTest.length,
  };
}

/** CRM: won vs lost from account, product and agent features (temporal split by engage date). */
async function runCrm(directory: string): Promise<{ auc: number; aucRate: number; testDeals: number }> {
  const crm = await readCrmSalesOpportunities(directory);
  const closed = crm.opportunities
    .filter((d) => (d.dealStage === "Won" || d.dealStage === "Lost") && d.engageDate !== null)
    .sort((a, b) => a.engageDate! - b.engageDate!);
  const cut = Math.floor(closed.length * 0.8);
  const trainDeals = closed.slice(0, cut);
  const testDeals = closed.slice(cut);
  const accounts = new Map(crm.accounts.map((a) => [a.account, a]));
  const products = new Map(crm.products.map((p) => [p.product, p]));
  // Win rates per agent, product and sector from the training deals only (smoothed toward the overall rate).
  const overall = trainDeals.filter((d) => d.dealStage === "Won").length / trainDeals.length;
  const rate = (key: (d: (typeof closed)[number]) => string) => {
    const counts = new Map<string, [number, number]>();
    for (const d of trainDeals) {
      const k = key(d);
      const c = counts.get(k) ?? [0, 0];
      c[0] += d.dealStage === "Won" ? 1 : 0;
      c[1] += 1;
      counts.set(k, c);
    }
    return (d: (typeof closed)[number]) => {
      const c = counts.get(key(d)) ?? [0, 0];
      return (c[0] + 10 * overall) / (c[1] + 10);
    };
  };
  const agentRate = rate((d) => d.salesAgent);
  const productRate = rate((d) => d.product);
  const sectorRate = rate((d) => (d.account === null ? "(none)" : (accounts.get(d.account)?.sector ?? "(unknown)")));
  const rows = (deals: typeof closed) =>
    deals.map((d) => {
      const account = d.account === null ? undefined : accounts.get(d.account);
      const product = products.get(d.product);
      return {
        agent: d.salesAgent,
        product: d.product,
        sector: account?.sector ?? "(none)",
        hasAccount: account === undefined ? 0 : 1,
        revenue: account?.revenue ?? 0,
        employees: account?.employees ?? 0,
        price: product?.salesPrice ?? 0,
        agentRate: agentRate(d),
        productRate: productRate(d),
        sectorRate: sectorRate(d),
      } as FeatureRow;
    });
  const encoder = fitFeatureEncoder(rows(trainDeals), [
    { field: "agent", kind: "categorical" },
    { field: "product", kind: "categorical" },
    { field: "sector", kind: "categorical" },
    { field: "hasAccount", kind: "numeric" },
    { field: "revenue", kind: "numeric", transform: "log1p" },
    { field: "employees", kind: "numeric", transform: "log1p" },
    { field: "price", kind: "numeric", transform: "log1p" },
    { field: "agentRate", kind: "numeric" },
    { field: "productRate", kind: "numeric" },
    { field: "sectorRate", kind: "numeric" },
  ], { normalize: false });
  const y = trainDeals.map((d) => (d.dealStage === "Won" ? 1 : 0));
  const yTest = testDeals.map((d) => (d.dealStage === "Won" ? 1 : 0));
  const model = fitLogisticRegression(encodeRows(encoder, rows(trainDeals)), y, { l2: 10 });
  const p = predictLogisticRegression(model, encodeRows(encoder, rows(testDeals)));
  const rateBaseline = testDeals.map((d) => agentRate(d) * productRate(d));
  return { auc: rocAuc(p, yTest), aucRate: rocAuc(rateBaseline, yTest), testDeals: testDeals.length };
}

/** The suite. */
export async function runAccounts(): Promise<SuiteResult> {
  const perSeed = SEEDS.map(runSyntheticSeed);
  const mean = (key: keyof SeedFigures) => perSeed.reduce((s, f) => s + f[key], 0) / perSeed.length;
  const rows: BenchRow[] = [
    { name: "upsell-auc", value: mean("upsellAuc"), unit: "ROC AUC", peer: "rank by current spend", peerValue: mean("upsellAucBaseline") },
    { name: "upsell-auc-baseline", value: mean("upsellAucBaseline"), unit: "ROC AUC (rank by current spend)" },
    { name: "upsell-auc-mlp", value: mean("upsellAucMlp"), unit: "ROC AUC (MLP classifier)" },
    { name: "upsell-lift-top-decile", value: mean("upsellLift"), unit: "lift", peer: "rank by current spend", peerValue: mean("upsellLiftBaseline") },
    { name: "churn-auc", value: mean("churnAuc"), unit: "ROC AUC", peer: "rank by current spend (smallest first)", peerValue: mean("churnAucBaseline") },
    { name: "churn-auc-baseline", value: mean("churnAucBaseline"), unit: "ROC AUC (rank by current spend, smallest first)" },
    { name: "churn-lift-top-decile", value: mean("churnLift"), unit: "lift" },
    { name: "upsell-rate-test", value: mean("upsellRate"), unit: "share of test rows" },
    { name: "churn-rate-test", value: mean("churnRate"), unit: "share of test rows" },
    { name: "train-rows", value: mean("trainRows"), unit: "account-dates (mean per seed)" },
    { name: "test-rows", value: mean("testRows"), unit: "account-dates (mean per seed)" },
  ];
  const prospects = SEEDS.map(runProspects);
  const meanOf = (key: keyof ReturnType<typeof runProspects>) => prospects.reduce((sum, f) => sum + f[key], 0) / prospects.length;
  rows.push(
    { name: "prospect-lost-auc-mlp", value: meanOf("mlpBadAuc"), unit: "ROC AUC (P(bad) of the 3-class MLP)", peer: "logistic regression, lost vs not", peerValue: meanOf("logisticBadAuc") },
    { name: "prospect-accuracy-mlp", value: meanOf("mlpAccuracy"), unit: "accuracy, good / medium / bad", peer: "majority class", peerValue: meanOf("majorityAccuracy") },
    { name: "prospect-test-deals", value: meanOf("testDeals"), unit: "opportunities (mean per seed)" },
  );
  const crmDirectory = join(dataDirectory, "crm-sales-opportunities");
  if (existsSync(crmDirectory)) {
    const crm = await runCrm(crmDirectory);
    rows.push({ name: "crm-won-auc", value: crm.auc, unit: "ROC AUC", peer: "agent × product win rate", peerValue: crm.aucRate });
    rows.push({ name: "crm-won-auc-baseline-majority", value: 0.5, unit: "ROC AUC (majority class: a constant score)" });
    rows.push({ name: "crm-won-auc-baseline-win-rate", value: crm.aucRate, unit: "ROC AUC (agent × product win rate)" });
    rows.push({ name: "crm-test-deals", value: crm.testDeals, unit: "deals" });
  } else console.log(`skipping CRM rows: ${crmDirectory} not found`);
  return {
    suite: "accounts",
    protocol:
      `Synthetic B2B: generateB2bSample({ accounts: 2000, months: 36, seed }) for seeds ${SEEDS.join(", ")} (means reported); ` +
      `spend events = purchases; labels by labelSpendOutcomes (${WINDOW_DAYS}-day windows, upsell >= +20%, churn <= -50%, ` +
      `accounts with spend in the window before the date); features by accountFeatures (spend 90/180/365 days and the ` +
      `window before, 12-month trend, purchases, recency, tenure, products held, intent in the last 30 days and the ` +
      `30 before, industry, log employees, revenue growth) strictly before each date. Temporal split: training dates ` +
      `months 12, 15, 18, 21, 24 (label windows end by month 30), test date month 30. Scorer: fitLogisticRegression ` +
      `(l2 1, balanced class weights); MLP row: fitMlpClassifier (16 tanh/relu units, balanced, seed 1). Baseline: ` +
      `rank by current ${WINDOW_DAYS}-day spend (largest first for upsell, smallest first for churn). Lift = positive ` +
      `rate in the top-scored 10% over the overall rate. CRM (Maven CRM Sales Opportunities): Won and Lost deals ` +
      `sorted by engage date, first 80% train, last 20% test; features agent, product, sector (one-hot), revenue, ` +
      `employees, price (log), and smoothed win rates of agent, product and sector from the training deals; ` +
      `fitLogisticRegression l2 10; baselines: majority class (constant score, AUC 0.5) and agent × product win rate. ` +
      `Prospects: the synthetic opportunities (same seeds, 2,000 accounts) sorted by opening date, first 80% train; ` +
      `class good = won within the median time to close, medium = won later, bad = lost; features known at opening ` +
      `(industry, product family and tier, log employees, revenue growth, log amount, intent on the product's family ` +
      `in the 60 days before, purchases so far); fitMlpClassifier (32 tanh units, seed 1, temperature-calibrated) ` +
      `against fitLogisticRegression (lost vs not, l2 1) and the majority class.`,
    rows,
  };
}
