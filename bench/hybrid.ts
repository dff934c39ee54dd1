// The hybrid suite (`npm run bench:hybrid`): hybrid vs its components on the synthetic B2B sample (warm and cold
// accounts), on MovieLens 100K with genres and year as item content, and on the real CRM pipeline, all measured
// through nextbest/evaluation. Blend weights are always learned on a validation split carved from the training part
// (never on the test part), then the components are refitted on the whole training part.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fitPopularity, popularityRecommender } from "../src/baselines/index.ts";
import {
  contentRecommender,
  encodeRows,
  fitContentRecommender,
  fitFeatureEncoder,
  fitFirmographicProjection,
  fitIntentModel,
  fitLookAlikeModel,
  lookAlikeRecommender,
  intentRecommender,
  type ContentItems,
  type FieldSpec,
  type FeatureRow,
} from "../src/content/index.ts";
import {
  createInteractions,
  interactionsToRows,
  splitRandom,
  splitTemporal,
  type Interactions,
  type InteractionRow,
} from "../src/data/index.ts";
import { b2bPurchaseInteractions, generateB2bSample, type B2bSample } from "../src/datasets/index.ts";
import { evaluateRanking } from "../src/evaluation/index.ts";
import { fitImplicitAls, implicitAlsRecommender } from "../src/factorization/index.ts";
import { blendFromSpec, learnBlendWeights, learnBlendWeightsLogistic, type BlendComponentFactory } from "../src/hybrid/index.ts";
import { fitItemItemImplicit, itemItemImplicitRecommender } from "../src/neighbors/index.ts";
import { readCrmSalesOpportunities, readMovieLens100k } from "../src/node/index.ts";
import type { Recommender } from "../src/recommend/index.ts";
import { readMovieLensItems, type BenchRow, type SuiteResult } from "./lib.ts";

const dataDirectory = join(import.meta.dirname, "..", "..", "shared", "data");
const B2B_SEEDS = [1, 2, 3];
const B2B_ACCOUNTS = 2000;


const ndcg10 = (recommender: Recommender, test: Interactions, train?: Interactions): number =>
  evaluateRanking(recommender, test, { k: 10, metrics: ["ndcg"], ...(train === undefined ? {} : { train }) }).mean["ndcg@10"]!;

const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;

/** Keeps the rows of `data` whose user `keep` accepts. */
function filterUsers(data: Interactions, keep: (user: string) => boolean): Interactions {
  return createInteractions(interactionsToRows(data).filter((row) => keep(String(row.user))));
}

/** Learns blend weights on a temporal (or random) validation split of `train`, then refits every component on `train`. */
/** As learnedHybrid, with the weights from learnBlendWeightsLogistic. */
function logisticHybrid(
  train: Interactions,
  factories: readonly BlendComponentFactory[],
  validation: (train: Interactions) => { train: Interactions; test: Interactions },
): Recommender {
  const learned = learnBlendWeightsLogistic(validation(train), factories, { seed: 1 });
  const components = new Map(factories.map((f) => [f.name, f.factory(train)] as const));
  return blendFromSpec(learned.spec, components);
}

function learnedHybrid(
  train: Interactions,
  factories: readonly BlendComponentFactory[],
  validation: (train: Interactions) => { train: Interactions; test: Interactions },
): { hybrid: Recommender; weights: string; components: Map<string, Recommender> } {
  const inner = validation(train);
  const learned = learnBlendWeights(inner, factories, { metric: "ndcg@10", steps: 4 });
  const components = new Map(factories.map((f) => [f.name, f.factory(train)] as const));
  const weights = learned.spec.components.map((c) => `${c.name} ${c.weight.toFixed(2)}`).join(", ");
  return { hybrid: blendFromSpec(learned.spec, components), weights, components };
}

// ---------- synthetic B2B ----------

const PRODUCT_FIELDS: FieldSpec[] = [
  { field: "family", kind: "categorical" },
  { field: "tags", kind: "tags" },
  { field: "priceTier", kind: "categorical" },
  { field: "description", kind: "text", weight: 0.5 },
];
const ACCOUNT_FIELDS: FieldSpec[] = [
  { field: "industry", kind: "categorical" },
  { field: "employeeBand", kind: "categorical" },
  { field: "region", kind: "categorical", weight: 0.3 },
  { field: "technographics", kind: "tags" },
  { field: "revenueGrowth", kind: "numeric" },
];

interface B2bFigures {
  popularity: number;
  itemKnn: number;
  als: number;
  content: number;
  intent: number;
  hybrid: number;
  hybridLogistic: number;
  coldPopularity: number;
  coldContent: number;
  coldIntent: number;
  coldLookAlike: number;
  lookAlike: number;
  coldContentIntent: number;
  coldContentLookAlike: number;
  coldUsers: number;
  warmUsers: number;
  weights: string;
}

function b2bFactories(sample: B2bSample): BlendComponentFactory[] {
  const rows = (records: readonly object[]) => records as unknown as FeatureRow[];
  const catalog: ContentItems = {
    ids: sample.products.map((p) => p.id),
    features: encodeRows(fitFeatureEncoder(rows(sample.products), PRODUCT_FIELDS), rows(sample.products)),
  };
  const accounts: ContentItems = {
    ids: sample.accounts.map((a) => a.id),
    features: encodeRows(fitFeatureEncoder(rows(sample.accounts), ACCOUNT_FIELDS), rows(sample.accounts)),
  };
  const topics = { ids: sample.products.map((p) => p.id), topics: sample.products.map((p) => [p.family]) };
  const latest = (train: Interactions): number => Math.max(...interactionsToRows(train).map((r) => r.timestamp ?? 0));
  return [
    { name: "popularity", factory: (train) => popularityRecommender(fitPopularity(train)) },
    { name: "itemKnn", factory: (train) => itemItemImplicitRecommender(fitItemItemImplicit(train)) },
    { name: "als", factory: (train) => implicitAlsRecommender(fitImplicitAls(train, { seed: 1 })) },
    {
      name: "content",
      factory: (train) => {
        const model = fitContentRecommender(train, catalog, { halfLifeDays: 365, timeUnit: "milliseconds" });
        return contentRecommender(model, { accounts, projection: fitFirmographicProjection(model, accounts) });
      },
    },
    { name: "lookAlike", factory: (train) => lookAlikeRecommender(fitLookAlikeModel(train, accounts)) },
    {
      name: "intent",
      // Intent as of the end of the training period: what the accounts researched before the cutoff.
      factory: (train) =>
        intentRecommender(
          fitIntentModel(sample.intent, topics, { asOf: latest(train), halfLifeDays: 30, timeUnit: "milliseconds", purchases: train }),
        ),
    },
  ];
}

function runB2bSeed(seed: number): B2bFigures {
  const sample = generateB2bSample({ accounts: B2B_ACCOUNTS, seed });
  const data = b2bPurchaseInteractions(sample.purchases);
  const { train, test } = splitTemporal(data, { testFraction: 0.2, coldStart: "keep" });
  const known = new Set(train.users.ids.map(String));
  const warmTest = filterUsers(test, (u) => known.has(u));
  const coldTest = filterUsers(test, (u) => !known.has(u));
  const factories = b2bFactories(sample);
  const { hybrid, weights, components } = learnedHybrid(train, factories, (t) => splitTemporal(t, { testFraction: 0.2, coldStart: "keep" }));
  const logistic = logisticHybrid(train, factories, (t) => splitTemporal(t, { testFraction: 0.2, coldStart: "keep" }));
  const at = (name: string) => components.get(name)!;
  const cold = (recommender: Recommender) =>
    evaluateRanking(recommender, coldTest, { k: 10, metrics: ["ndcg"], coldUsers: "include" }).mean["ndcg@10"]!;
  // Cold accounts: content only (firmographic look-alike profile), and content + intent blended with equal weights.
  const contentIntent = blendFromSpec(
    { kind: "blend", version: 1, name: "content+intent", normalization: "z-score", missing: "min", components: [{ name: "content", weight: 1 }, { name: "intent", weight: 1 }] },
    components,
  );
  return {
    popularity: ndcg10(at("popularity"), warmTest),
    itemKnn: ndcg10(at("itemKnn"), warmTest),
    als: ndcg10(at("als"), warmTest),
    content: ndcg10(at("content"), warmTest),
    intent: ndcg10(at("intent"), warmTest),
    hybrid: ndcg10(hybrid, warmTest),
    hybridLogistic: ndcg10(logistic, warmTest),
    coldPopularity: cold(at("popularity")),
    coldContent: cold(at("content")),
    coldIntent: cold(at("intent")),
    coldLookAlike: cold(at("lookAlike")),
    lookAlike: ndcg10(at("lookAlike"), warmTest),
    coldContentIntent: cold(contentIntent),
    coldContentLookAlike: cold(
      blendFromSpec(
        { kind: "blend", version: 1, name: "content+look-alike", normalization: "z-score", missing: "min", components: [{ name: "content", weight: 1 }, { name: "lookAlike", weight: 1 }] },
        components,
      ),
    ),
    coldUsers: coldTest.users.ids.length,
    warmUsers: warmTest.users.ids.length,
    weights,
  };
}

// ---------- MovieLens 100K with genres and year ----------

async function runMovieLens(directory: string): Promise<{ rows: Map<string, number>; weights: string }> {
  const ratings = await readMovieLens100k(directory);
  const implicit = createInteractions(interactionsToRows(ratings).map((row) => ({ user: row.user, item: row.item, value: 1 })));
  const { train, test } = splitRandom(implicit, { testFraction: 0.2, seed: 42 });
  const items = await readMovieLensItems(directory);
  const encoder = fitFeatureEncoder(items.rows, [
    { field: "genres", kind: "tags" },
    { field: "year", kind: "numeric", transform: "buckets", buckets: 8 },
  ]);
  const catalog: ContentItems = { ids: items.ids, features: encodeRows(encoder, items.rows) };
  const factories: BlendComponentFactory[] = [
    { name: "als", factory: (t) => implicitAlsRecommender(fitImplicitAls(t)) },
    { name: "itemKnn", factory: (t) => itemItemImplicitRecommender(fitItemItemImplicit(t)) },
    { name: "content", factory: (t) => contentRecommender(fitContentRecommender(t, catalog)) },
    { name: "popularity", factory: (t) => popularityRecommender(fitPopularity(t)) },
  ];
  const { hybrid, weights, components } = learnedHybrid(train, factories, (t) => splitRandom(t, { testFraction: 0.1, seed: 7 }));
  const rows = new Map<string, number>();
  for (const [name, recommender] of components) rows.set(name, ndcg10(recommender, test, train));
  rows.set("hybrid", ndcg10(hybrid, test, train));
  return { rows, weights };
}

// ---------- CRM pipeline: next best product from won deals ----------

async function runCrm(directory: string): Promise<{ popularity: number; hybrid: number; users: number; weights: string }> {
  const crm = await readCrmSalesOpportunities(directory);
  // Next best product: every won deal is a purchase at its close date; products are bought again and again (7
  // products, 85 accounts), so the lists keep owned products and the test part holds what each account buys next.
  const deals = crm.opportunities
    .filter((d) => d.dealStage === "Won" && d.account !== null && d.closeDate !== null)
    .map((d) => ({ user: d.account!, item: d.product, timestamp: d.closeDate! }))
    .sort((a, b) => a.timestamp - b.timestamp);
  const splitByTime = (rows: readonly InteractionRow[]) => {
    const cutoff = rows[Math.floor(rows.length * 0.8)]!.timestamp!;
    const train = createInteractions(rows.filter((r) => r.timestamp! < cutoff), { duplicates: "sum", timeUnit: "milliseconds" });
    const known = new Set(train.users.ids);
    const test = createInteractions(
      rows.filter((r) => r.timestamp! >= cutoff && known.has(r.user)).map((r) => ({ user: r.user, item: r.item })),
      { duplicates: "max" },
    );
    return { train, test, rows: rows.filter((r) => r.timestamp! < cutoff) };
  };
  const outer = splitByTime(deals);
  const inner = splitByTime(outer.rows);
  const rows = (records: readonly object[]) => records as unknown as FeatureRow[];
  const accounts: ContentItems = {
    ids: crm.accounts.map((a) => a.account),
    features: encodeRows(
      fitFeatureEncoder(rows(crm.accounts), [
        { field: "sector", kind: "categorical" },
        { field: "revenue", kind: "numeric", transform: "log1p" },
        { field: "employees", kind: "numeric", transform: "log1p" },
        { field: "officeLocation", kind: "categorical", weight: 0.3 },
      ]),
      rows(crm.accounts),
    ),
  };
  const catalog: ContentItems = {
    ids: crm.products.map((p) => p.product),
    features: encodeRows(
      fitFeatureEncoder(rows(crm.products), [
        { field: "series", kind: "categorical" },
        { field: "salesPrice", kind: "numeric", transform: "log1p" },
      ]),
      rows(crm.products),
    ),
  };
  const factories: BlendComponentFactory[] = [
    { name: "popularity", factory: (t) => popularityRecommender(fitPopularity(t)) },
    { name: "itemKnn", factory: (t) => itemItemImplicitRecommender(fitItemItemImplicit(t)) },
    { name: "content", factory: (t) => contentRecommender(fitContentRecommender(t, catalog)) },
    { name: "lookAlike", factory: (t) => lookAlikeRecommender(fitLookAlikeModel(t, accounts, { neighbors: 10 })) },
  ];
  const learned = learnBlendWeights(inner, factories, { metric: "ndcg@10", steps: 4, excludeSeen: false });
  const components = new Map(factories.map((f) => [f.name, f.factory(outer.train)] as const));
  const hybrid = blendFromSpec(learned.spec, components);
  const score = (r: Recommender) => evaluateRanking(r, outer.test, { k: 10, metrics: ["ndcg"], excludeSeen: false }).mean["ndcg@10"]!;
  return {
    popularity: score(components.get("popularity")!),
    hybrid: score(hybrid),
    users: outer.test.users.ids.length,
    weights: learned.spec.components.map((c) => `${c.name} ${c.weight.toFixed(2)}`).join(", "),
  };
}

/** The suite. */
export async function runHybrid(): Promise<SuiteResult> {
  const rows: BenchRow[] = [];
  const perSeed = B2B_SEEDS.map((seed) => runB2bSeed(seed));
  const avg = (key: keyof Omit<B2bFigures, "weights">) => mean(perSeed.map((f) => f[key] as number));
  const components = { popularity: avg("popularity"), "item-knn": avg("itemKnn"), als: avg("als"), content: avg("content"), "look-alike": avg("lookAlike"), intent: avg("intent") };
  const [bestName, bestValue] = Object.entries(components).reduce((a, b) => (b[1] > a[1] ? b : a));
  const hybrid = avg("hybrid");
  rows.push({ name: "ndcg10-hybrid-b2b", value: hybrid, unit: "NDCG@10", peer: `best component (${bestName})`, peerValue: bestValue });
  rows.push({ name: "ndcg10-best-component-b2b", value: bestValue, unit: `NDCG@10 (${bestName})` });
  rows.push({ name: "hybrid-gain-over-best-component-b2b", value: hybrid / bestValue - 1, unit: "relative" });
  rows.push({ name: "ndcg10-hybrid-logistic-b2b", value: avg("hybridLogistic"), unit: "NDCG@10 (weights by learnBlendWeightsLogistic)", peer: `best component (${bestName})`, peerValue: bestValue });
  for (const [name, value] of Object.entries(components)) rows.push({ name: `ndcg10-${name}-b2b`, value, unit: "NDCG@10" });
  const coldPopularity = avg("coldPopularity");
  rows.push({ name: "ndcg10-content-cold-b2b", value: avg("coldContent"), unit: "NDCG@10", peer: "popularity", peerValue: coldPopularity });
  rows.push({ name: "ndcg10-popularity-cold-b2b", value: coldPopularity, unit: "NDCG@10" });
  rows.push({ name: "ndcg10-look-alike-cold-b2b", value: avg("coldLookAlike"), unit: "NDCG@10", peer: "popularity", peerValue: coldPopularity });
  rows.push({ name: "ndcg10-intent-cold-b2b", value: avg("coldIntent"), unit: "NDCG@10" });
  rows.push({ name: "ndcg10-content-lookalike-cold-b2b", value: avg("coldContentLookAlike"), unit: "NDCG@10 (firmographics only: content + look-alike, equal z-score weights)", peer: "popularity", peerValue: coldPopularity });
  rows.push({ name: "ndcg10-content-intent-cold-b2b", value: avg("coldContentIntent"), unit: "NDCG@10", peer: "popularity", peerValue: coldPopularity });
  rows.push({ name: "b2b-warm-test-accounts", value: avg("warmUsers"), unit: "accounts (mean per seed)" });
  rows.push({ name: "b2b-cold-test-accounts", value: avg("coldUsers"), unit: "accounts (mean per seed)" });
  const notes: string[] = [`B2B learned weights per seed: ${perSeed.map((f, s) => `seed ${B2B_SEEDS[s]}: ${f.weights}`).join("; ")}`];

  const movieLens = join(dataDirectory, "movielens-100k");
  if (existsSync(movieLens)) {
    const ml = await runMovieLens(movieLens);
    const parts = [...ml.rows].filter(([name]) => name !== "hybrid");
    const [bestMl, bestMlValue] = parts.reduce((a, b) => (b[1] > a[1] ? b : a));
    rows.push({ name: "ndcg10-hybrid-ml100k", value: ml.rows.get("hybrid")!, unit: "NDCG@10", peer: `best component (${bestMl})`, peerValue: bestMlValue });
    rows.push({ name: "ndcg10-best-component-ml100k", value: bestMlValue, unit: `NDCG@10 (${bestMl})` });
    for (const [name, value] of parts) rows.push({ name: `ndcg10-${name === "itemKnn" ? "item-knn" : name}-ml100k`, value, unit: "NDCG@10" });
    notes.push(`MovieLens learned weights: ${ml.weights}`);
  } else console.log(`skipping MovieLens 100K rows: ${movieLens} not found`);

  const crmDirectory = join(dataDirectory, "crm-sales-opportunities");
  if (existsSync(crmDirectory)) {
    const crm = await runCrm(crmDirectory);
    rows.push({ name: "ndcg10-hybrid-crm", value: crm.hybrid, unit: "NDCG@10", peer: "popularity", peerValue: crm.popularity });
    rows.push({ name: "ndcg10-popularity-crm", value: crm.popularity, unit: "NDCG@10" });
    rows.push({ name: "crm-test-accounts", value: crm.users, unit: "accounts" });
    notes.push(`CRM learned weights: ${crm.weights}`);
  } else console.log(`skipping CRM rows: ${crmDirectory} not found`);

  return {
    suite: "hybrid",
    protocol:
      `NDCG@10 through nextbest/evaluation, seen items excluded. Blend weights: learnBlendWeights (coordinate ascent on ` +
      `NDCG@10, z-score normalisation, 4 passes) on a validation split carved from the training part, components then ` +
      `refitted on the whole training part; the test part is never used for choosing anything (the logistic row: ` +
      `learnBlendWeightsLogistic on the same validation split, 50 sampled negatives per account, l2 1). ` +
      `B2B: generateB2bSample({ accounts: ${B2B_ACCOUNTS}, seed }) for seeds ${B2B_SEEDS.join(", ")} (means reported), purchases ` +
      `as count interactions, splitTemporal 80/20 (validation: the last 20% of the training part by time); components ` +
      `popularity, item-item cosine, implicit ALS (defaults, seed 1), content (product family/tags/tier/description ` +
      `profile, 365-day half-life, firmographic projection for cold accounts), look-alike (50 most similar customers by firmographics vote), buyer intent (30-day ` +
      `half-life, as of the end of the training part). Warm rows: test accounts with training purchases; cold rows: test accounts without ` +
      `any (content = firmographic look-alike profile; content+intent = equal-weight z-score blend). ` +
      `MovieLens 100K: the implicit top-N protocol of accuracy-ml100k (every rating value 1, splitRandom 80/20 seed 42, ` +
      `test items unseen in train dropped); content = genres (tags) + release year (8 buckets); validation split ` +
      `splitRandom 90/10 seed 7 of the training part (with 80/20 the learned weights favour content more than the full ` +
      `training part warrants: hybrid 0.445). CRM (Maven CRM Sales Opportunities): every won deal a purchase at ` +
      `its close date, cut at the 80th percentile of close dates (validation: the same cut inside the training part), ` +
      `test = the products each known account buys after the cut, owned products kept in the lists (repeat purchases: ` +
      `7 products); components popularity, item-item cosine, content (series, price), look-alike (sector, revenue, ` +
      `employees, office; 10 neighbours). ${notes.join(". ")}.`,
    rows,
  };
}


