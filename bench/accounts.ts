// The accounts suite (`npm run bench:accounts`): upsell and churn scoring on the synthetic B2B book with a temporal
// split, beside "rank by current spend"; won-vs-lost scoring on the real CRM pipeline beside majority and per-agent /
// per-product win-rate baselines.
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  accountFeatures,
  accountModelReport,
  fitAccountScorers,
  findNarrativeProblems,
  labelSpendOutcomes,
  narrateAccountScore,
  rankAccountBook,
  rfmScores,
  type AccountAttributes,
  type AccountFeatureInfo,
  type AccountFeatureTable,
  type SpendEvent,
} from "../src/accounts/index.ts";
import { fitLogisticRegression, fitMlpClassifier, predictLogisticRegression, predictMlpClassifier } from "../src/classifiers/index.ts";
import { encodeRows, fitFeatureEncoder, type FeatureRow } from "../src/content/index.ts";
import { generateB2bSample } from "../src/datasets/index.ts";
import { denseMatrix, type DenseMatrix } from "../src/linalg/index.ts";
import { liftAtDecile, rocAuc } from "../src/metrics/index.ts";
import { readCrmSalesOpportunities } from "../src/node/index.ts";
import type { BenchRow, SuiteResult } from "./lib.ts";
import { loadOnlineRetail } from "./online-retail.ts";

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

// The account book on the real wholesaler (Online Retail II 2009-2010): labels 90 days after a date, features strictly
// before it, a logistic scorer per outcome, against rank-by-spend and RFM on the same accounts. The scorer's
// settings are chosen on a validation date inside the training period, then the chosen settings are refitted on
// dates whose label windows end before the test date and scored once on the test date.
const OR_LABEL_DAYS = 90;
const utcSeconds = (year: number, month: number, day = 1) => Date.UTC(year, month - 1, day) / 1000;
const OR_VALIDATION_DATE = utcSeconds(2010, 6, 1);
const OR_TEST_DATE = utcSeconds(2010, 9, 1);

interface OnlineRetailSetting {
  readonly name: string;
  readonly windows: readonly number[];
  readonly ranks: boolean;
  /** Training dates: how many, and days between them (the last one's label window ends before the scored date). */
  readonly trainingDates: number;
  readonly stepDays: number;
}

const onlineRetailSettings: readonly OnlineRetailSetting[] = [
  { name: "levels, windows 30/90, 2 monthly dates", windows: [30, 90], ranks: false, trainingDates: 2, stepDays: 30 },
  { name: "levels, windows 90/180, 2 monthly dates", windows: [90, 180], ranks: false, trainingDates: 2, stepDays: 30 },
  { name: "levels, windows 30/90, 5 half-monthly dates", windows: [30, 90], ranks: false, trainingDates: 5, stepDays: 15 },
  { name: "ranks within date, windows 30/90, 2 monthly dates", windows: [30, 90], ranks: true, trainingDates: 2, stepDays: 30 },
  { name: "ranks within date, windows 90/180, 2 monthly dates", windows: [90, 180], ranks: true, trainingDates: 2, stepDays: 30 },
  { name: "ranks within date, windows 30/90, 5 half-monthly dates", windows: [30, 90], ranks: true, trainingDates: 5, stepDays: 15 },
];

interface OnlineRetailFigures {
  upsellAuc: number;
  churnAuc: number;
  upsellAucRfm: number;
  churnAucRfm: number;
  upsellAucSpend: number;
  churnAucSpend: number;
  upsellLift: number;
  upsellLiftRfm: number;
  churnLift: number;
  churnLiftRfm: number;
  trainRows: number;
  testRows: number;
  upsellRate: number;
  churnRate: number;
}

/** Fits the setting (fitAccountScorers) for `date` and keeps the accounts labelled at `date`. */
function scoreOnlineRetail(events: readonly SpendEvent[], attributes: AccountAttributes, setting: OnlineRetailSetting, date: number) {
  const scorers = fitAccountScorers(events, { date, windowDays: OR_LABEL_DAYS, windows: setting.windows, ranks: setting.ranks, trainingDates: setting.trainingDates, stepDays: setting.stepDays, attributes });
  const testTable = scorers.today;
  const labels = new Map(labelSpendOutcomes(events, { dates: [date], windowDays: OR_LABEL_DAYS }).map((l) => [String(l.account), l.outcome]));
  const rows = testTable.rows.flatMap((row, r) => (labels.has(String(row.account)) ? [r] : []));
  const test = { rows, outcome: rows.map((r) => labels.get(String(testTable.rows[r]!.account))!) };
  return {
    train: { rows: scorers.training.rows },
    test,
    testTable,
    upsell: scorers.upsell,
    churn: scorers.churn,
    pUpsell: Float64Array.from(rows, (r) => scorers.upsellProbability[r]!),
    pChurn: Float64Array.from(rows, (r) => scorers.churnProbability[r]!),
  };
}

async function runOnlineRetail(): Promise<{ figures: OnlineRetailFigures; chosen: string; validation: string; accounts: number; conflicts: string; narratives: number; problems: string[] } | undefined> {
  const loaded = await loadOnlineRetail();
  if (loaded === undefined) return undefined;
  const { lines, accounts } = loaded.data;
  const events: SpendEvent[] = lines.accounts.map((account, k) => ({ account, product: lines.products[k]!, amount: lines.quantities[k]! * lines.unitPrices[k]!, timestamp: lines.timestamps[k]! }));
  // Country as the firmographic: one flag per country with at least 1% of the accounts, the rest together.
  const counts = new Map<string, number>();
  for (const account of accounts) counts.set(account.country ?? "unknown", (counts.get(account.country ?? "unknown") ?? 0) + 1);
  const countries = [...counts].filter(([, n]) => n >= 0.01 * accounts.length).map(([c]) => c).sort();
  const info: AccountFeatureInfo[] = countries.map((country) => ({ name: `country=${country}`, label: `In ${country}`, group: "country", unit: "flag", higherIsBetter: true, logScale: false }));
  const flags = new Float64Array(accounts.length * countries.length);
  accounts.forEach((account, a) => {
    const c = countries.indexOf(account.country ?? "unknown");
    if (c >= 0) flags[a * countries.length + c] = 1;
  });
  const attributes: AccountAttributes = { ids: accounts.map((a) => a.id), features: denseMatrix(accounts.length, countries.length, flags), info };
  const aucOf = (scores: readonly number[], outcome: readonly string[], kind: string) => rocAuc(scores, outcome.map((o) => (o === kind ? 1 : 0)));

  // Choose the setting on the validation date (mean of the upsell and churn AUCs); the test date is not looked at.
  const validation = onlineRetailSettings.map((setting) => {
    const run = scoreOnlineRetail(events, attributes, setting, OR_VALIDATION_DATE);
    return { setting, upsell: aucOf(Array.from(run.pUpsell), run.test.outcome, "upsell"), churn: aucOf(Array.from(run.pChurn), run.test.outcome, "churn") };
  });
  const best = validation.reduce((a, b) => (b.upsell + b.churn > a.upsell + a.churn ? b : a));
  const run = scoreOnlineRetail(events, attributes, best.setting, OR_TEST_DATE);
  const { test, testTable } = run;
  const d = testTable.info.length;
  const spendColumn = testTable.info.findIndex((f) => f.name === `spend_${best.setting.windows[0]}d`);
  const spend = test.rows.map((r) => testTable.raw.data[r * d + spendColumn]!);
  const rfm = new Map(rfmScores(events, { date: OR_TEST_DATE }).map((s) => [s.account, s.score]));
  const rfmScore = test.rows.map((r) => rfm.get(testTable.rows[r]!.account) ?? 0);
  const y = (kind: string) => test.outcome.map((o) => (o === kind ? 1 : 0));
  const figures: OnlineRetailFigures = {
    upsellAuc: aucOf(Array.from(run.pUpsell), test.outcome, "upsell"),
    churnAuc: aucOf(Array.from(run.pChurn), test.outcome, "churn"),
    upsellAucRfm: aucOf(rfmScore, test.outcome, "upsell"),
    churnAucRfm: aucOf(rfmScore.map((v) => -v), test.outcome, "churn"),
    upsellAucSpend: aucOf(spend, test.outcome, "upsell"),
    churnAucSpend: aucOf(spend.map((v) => -v), test.outcome, "churn"),
    upsellLift: liftAtDecile(run.pUpsell, y("upsell"), { decile: 1 }),
    upsellLiftRfm: liftAtDecile(rfmScore, y("upsell"), { decile: 1 }),
    churnLift: liftAtDecile(run.pChurn, y("churn"), { decile: 1 }),
    churnLiftRfm: liftAtDecile(rfmScore.map((v) => -v), y("churn"), { decile: 1 }),
    trainRows: run.train.rows.length,
    testRows: test.rows.length,
    upsellRate: y("upsell").reduce((a: number, b) => a + b, 0) / test.rows.length,
    churnRate: y("churn").reduce((a: number, b) => a + b, 0) / test.rows.length,
  };

  // The ranked book at the test date, every entry narrated (upsell model, spend at risk = spend in the first window);
  // each narrative must pass findNarrativeProblems.
  const rowOf = new Map(test.rows.map((r, i) => [testTable.rows[r]!.account, { r, i }] as const));
  const problems: string[] = [];
  let narratives = 0;
  const book = rankAccountBook(
    test.rows.map((r, i) => ({ account: testTable.rows[r]!.account, upsellProbability: run.pUpsell[i]!, churnProbability: run.pChurn[i]!, spend: spend[i]! })),
    {
      explain: (account) => {
        const { r } = rowOf.get(account)!;
        const up = narrateAccountScore(run.upsell, testTable, r, { currency: "GBP" });
        const down = narrateAccountScore(run.churn, testTable, r, { currency: "GBP", higherScoreIsBetter: false });
        narratives += 2;
        for (const [which, story] of [["P(upsell)", up], ["P(churn)", down]] as const) {
          for (const problem of findNarrativeProblems(story)) problems.push(`${String(account)} ${which}: ${problem}`);
        }
        return { reasons: up.reasons.map((item) => item.text), risks: down.reasons.map((item) => item.text) };
      },
    },
  );
  const conflicts = [
    ...accountModelReport(run.upsell, testTable.info).map((c) => `P(upsell): ${c.label} (${c.declared}) ${c.learned}`),
    ...accountModelReport(run.churn, testTable.info, { higherScoreIsBetter: false }).map((c) => `P(churn): ${c.label} (${c.declared}) ${c.learned}`),
  ];
  return {
    figures,
    chosen: best.setting.name,
    validation: validation.map((v) => `${v.setting.name}: upsell ${v.upsell.toFixed(3)}, churn ${v.churn.toFixed(3)}`).join("; "),
    accounts: book.length,
    conflicts: conflicts.length === 0 ? "none" : conflicts.join("; "),
    narratives,
    problems,
  };
}

/** The suite. */
export async function runAccounts(): Promise<SuiteResult> {
  const real = await runOnlineRetail();
  const realRows: BenchRow[] = [];
  let realProtocol = "Online Retail II: ../shared/data absent, its rows were skipped. ";
  if (real !== undefined) {
    const f = real.figures;
    realRows.push(
      { name: "or-upsell-auc", value: f.upsellAuc, unit: "ROC AUC", peer: "RFM score", peerValue: f.upsellAucRfm },
      { name: "or-upsell-auc-rfm", value: f.upsellAucRfm, unit: "ROC AUC (RFM score, highest first)" },
      { name: "or-upsell-auc-spend", value: f.upsellAucSpend, unit: "ROC AUC (rank by current spend, largest first)" },
      { name: "or-churn-auc", value: f.churnAuc, unit: "ROC AUC", peer: "RFM score", peerValue: f.churnAucRfm },
      { name: "or-churn-auc-rfm", value: f.churnAucRfm, unit: "ROC AUC (RFM score, lowest first)" },
      { name: "or-churn-auc-spend", value: f.churnAucSpend, unit: "ROC AUC (rank by current spend, smallest first)" },
      { name: "or-upsell-lift-top-decile", value: f.upsellLift, unit: "lift", peer: "RFM score", peerValue: f.upsellLiftRfm },
      { name: "or-churn-lift-top-decile", value: f.churnLift, unit: "lift", peer: "RFM score", peerValue: f.churnLiftRfm },
      { name: "or-upsell-rate-test", value: f.upsellRate, unit: "share of test accounts" },
      { name: "or-churn-rate-test", value: f.churnRate, unit: "share of test accounts" },
      { name: "or-train-rows", value: f.trainRows, unit: "account-dates" },
      { name: "or-test-accounts", value: f.testRows, unit: "accounts labelled at the test date" },
      { name: "or-book-accounts", value: real.accounts, unit: "accounts in the book (expected value > 0)" },
      { name: "or-narrative-problems", value: real.problems.length, unit: `problems found by findNarrativeProblems in ${real.narratives} narratives` },
    );
    if (real.problems.length > 0) console.log(`narrative problems:\n  ${real.problems.slice(0, 10).join("\n  ")}`);
    realProtocol =
      "Online Retail II 2009-2010 (UCI, CC BY 4.0; readOnlineRetail with the standard cleaning): account = customer, " +
      "spend event = invoice line (quantity × price, GBP), country as the firmographic (one flag per country with >= 1% " +
      `of the accounts). Labels by labelSpendOutcomes over ${OR_LABEL_DAYS} days after a date against the ${OR_LABEL_DAYS} ` +
      "before (upsell >= +20%, churn <= -50%, the default absolute floors), features by accountFeatures strictly before " +
      "each date; logistic regression per outcome (l2 1, balanced). Settings chosen on the validation date 2010-06-01 " +
      "(training dates whose label windows end before it) by the mean of the upsell and churn AUCs, among: " +
      `${real.validation}. Chosen: ${real.chosen}; refitted on the same number of dates ending before the test date ` +
      "2010-09-01 and scored once on the accounts labelled there. Baselines on the same accounts: rfmScores at the test " +
      "date (recency, frequency in purchase days and spend over 365 days, quintiles summed; highest first for upsell, " +
      "lowest first for churn) and the current spend in the first feature window. Lift = positive rate in the top 10% " +
      "over the overall rate. Book: rankAccountBook at the test date (expected value > 0), each entry narrated for " +
      "P(upsell) and P(churn) with narrateAccountScore and checked with findNarrativeProblems. Effects against the " +
      `declared direction (accountModelReport): ${real.conflicts}. `;
  }
  const perSeed = SEEDS.map(runSyntheticSeed);
  const mean = (key: keyof SeedFigures) => perSeed.reduce((s, f) => s + f[key], 0) / perSeed.length;
  const rows: BenchRow[] = [
    ...realRows,
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
      realProtocol +
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
