// A worked explanation on the synthetic B2B book: `npx tsx examples/explain-b2b.ts [output directory]`.
//
// 1. A hybrid recommender (similar purchases + buyer intent + product fit) picks the next best product for an account.
// 2. Its score is split over the three components (exact: a blend is a weighted sum), and the purchases behind the
//    "similar purchases" part are named ("because they bought X").
// 3. A propensity model for the product's family (logistic regression on account features as of six months ago,
//    labelled by what happened next) scores the account today; its log-odds are split over the features in closed
//    form and told as a narrative of reasons and risks from the raw values; the probability itself is explained by
//    exact Shapley values over a model-as-function with 50 background accounts.
// 4. Both explanations are drawn as waterfall charts (SVG files).
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fitLogisticRegression, predictLogisticRegression } from "../src/classifiers/index.ts";
import { contentRecommender, fitContentRecommender, fitFirmographicProjection, fitIntentModel, intentRecommender } from "../src/content/index.ts";
import { b2bPurchaseInteractions, b2bSampleFeatures, generateB2bSample } from "../src/datasets/index.ts";
import {
  explainExact,
  explainItemItemScore,
  explainLogistic,
  explanationFromBlend,
  narrateExplanation,
  renderWaterfallSvg,
  type FeatureMetadata,
} from "../src/explain/index.ts";
import { blendRecommenders, explainBlend } from "../src/hybrid/index.ts";
import { denseMatrix } from "../src/linalg/index.ts";
import { fitItemItemImplicit, itemItemImplicitRecommender } from "../src/neighbors/index.ts";
import { recommend } from "../src/recommend/index.ts";

const DAY = 86_400_000;
const outputDirectory = process.argv[2] ?? join(tmpdir(), "nextbest-explain");
mkdirSync(outputDirectory, { recursive: true });

const sample = generateB2bSample({ seed: 42 });
const { products, accounts, productTopics } = b2bSampleFeatures(sample);
const purchases = b2bPurchaseInteractions(sample.purchases);
const now = sample.period.end;
const productName = new Map(sample.products.map((p) => [p.id, p.name] as const));
const familyOf = new Map(sample.products.map((p) => [p.id, p.family] as const));

// ---------- 1. the hybrid's next best product ----------
const itemModel = fitItemItemImplicit(purchases);
const contentModel = fitContentRecommender(purchases, products, { timeUnit: "milliseconds", halfLifeDays: 365 });
const hybrid = blendRecommenders(
  [
    { name: "similar purchases", recommender: itemItemImplicitRecommender(itemModel), weight: 0.5 },
    { name: "buyer intent", recommender: intentRecommender(fitIntentModel(sample.intent, productTopics, { asOf: now, timeUnit: "milliseconds", purchases })), weight: 0.3 },
    { name: "product fit", recommender: contentRecommender(contentModel, { accounts, projection: fitFirmographicProjection(contentModel, accounts) }), weight: 0.2 },
  ],
  { normalization: "z-score" },
);
const purchaseCount = new Map<string, number>();
for (const p of sample.purchases) purchaseCount.set(p.account, (purchaseCount.get(p.account) ?? 0) + 1);
const account = sample.accounts.find((a) => a.churnedAt === null && (purchaseCount.get(a.id) ?? 0) >= 5)!;
const top = recommend(hybrid, account.id, { k: 3 }).items;
const product = String(top[0]!.item);
const family = familyOf.get(product)!;
console.log(`Account ${account.id} (${account.industry}, ${account.employees.toLocaleString("en-US")} employees, ${purchaseCount.get(account.id)!.toLocaleString("en-US")} purchases)`);
console.log(`Next best products: ${top.map((r) => `${productName.get(String(r.item))} (${r.score.toFixed(2)})`).join(", ")}`);

// ---------- 2. why this product: components, then purchases ----------
const blend = explanationFromBlend(explainBlend(hybrid, account.id, product));
console.log(`\nWhy ${productName.get(product)}: hybrid score ${blend.output.toFixed(3)} = ${blend.values.map((v, k) => `${blend.featureNames[k]} ${v >= 0 ? "+" : ""}${v.toFixed(3)}`).join(", ")}`);
const because = explainItemItemScore(itemModel, account.id, product);
const bought = because.featureNames
  .map((id, k) => [id, because.values[k]!] as const)
  .filter(([, v]) => v > 0)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 3);
console.log(`  "similar purchases": because they bought ${bought.map(([id, v]) => `${productName.get(id)} (${v.toFixed(2)})`).join(", ")}`);
const blendSvg = join(outputDirectory, "blend-waterfall.svg");
writeFileSync(blendSvg, renderWaterfallSvg(blend, { title: `${productName.get(product)} for ${account.id}` }));

// ---------- 3. the account's propensity for the product's family ----------
const featureNames = ["employees", "revenueGrowth", "intent90", "intentPrevious90", "familyPurchases365", "spend365", "daysSinceLastPurchase"];
const metadata = new Map<string, FeatureMetadata>([
  ["employees", { label: "Head count", unitName: "employees", group: "Firmographics", higherIsBetter: true }],
  ["revenueGrowth", { label: "Revenue growth", unit: "percent", group: "Firmographics", higherIsBetter: true }],
  ["intent90", { label: `Research on ${family}`, unit: "score", window: "90 days", previous: "intentPrevious90", group: "Buyer intent", higherIsBetter: true }],
  ["intentPrevious90", { label: `Research on ${family} the 90 days before`, unit: "score", group: "Buyer intent" }],
  ["familyPurchases365", { label: `${family[0]!.toUpperCase()}${family.slice(1)} purchases`, unitName: "deals", window: "year", higherIsBetter: true }],
  ["spend365", { label: "Spend", unit: "currency", window: "year", higherIsBetter: true }],
  ["daysSinceLastPurchase", { label: "Time since the last purchase", unit: "days", higherIsBetter: false }],
]);
/** Raw feature values of every account as of `t`, and the model inputs (head count and spend on a log scale). */
function accountTable(t: number): { raw: number[][]; inputs: number[][] } {
  const raw = sample.accounts.map((a) => {
    const intentIn = (from: number, to: number): number => {
      const scores = sample.intent.filter((s) => s.account === a.id && s.topic === family && s.timestamp >= from && s.timestamp < to).map((s) => s.score);
      return scores.length === 0 ? 0 : scores.reduce((x, y) => x + y, 0) / scores.length;
    };
    const past = sample.purchases.filter((p) => p.account === a.id && p.timestamp < t);
    const lastYear = past.filter((p) => p.timestamp >= t - 365 * DAY);
    const last = Math.max(...past.map((p) => p.timestamp), t - 730 * DAY);
    return [
      a.employees,
      a.revenueGrowth,
      intentIn(t - 90 * DAY, t),
      intentIn(t - 180 * DAY, t - 90 * DAY),
      lastYear.filter((p) => familyOf.get(p.product) === family).length,
      lastYear.reduce((s, p) => s + p.amount, 0),
      Math.round((t - last) / DAY),
    ];
  });
  const inputs = raw.map((r) => r.map((v, j) => (j === 0 || j === 5 ? Math.log1p(v) : v)));
  return { raw, inputs };
}
const cutoff = now - 180 * DAY;
const train = accountTable(cutoff);
const labels = sample.accounts.map((a) =>
  sample.purchases.some((p) => p.account === a.id && familyOf.get(p.product) === family && p.timestamp >= cutoff && p.timestamp < now) ? 1 : 0,
);
const d = featureNames.length;
const propensity = fitLogisticRegression(denseMatrix(train.inputs.length, d, Float64Array.from(train.inputs.flat())), labels, { featureNames });
const today = accountTable(now);
const row = sample.accounts.indexOf(account);
const probability = predictLogisticRegression(propensity, denseMatrix(1, d, Float64Array.from(today.inputs[row]!)))[0]!;
const why = explainLogistic({ coefficients: propensity.coefficients, intercept: propensity.intercept }, today.inputs[row]!, { means: propensity.means, featureNames });
const story = narrateExplanation(why, {
  metadata,
  rawData: today.raw[row]!,
  peers: today.raw,
  score: probability,
  scoreFormat: "percent",
  bands: [{ min: 0.5, label: "Hot" }, { min: 0.25, label: "Warm" }, { min: 0, label: "Cool" }],
});
console.log(`\nPropensity to buy ${family} in the next 6 months (trained on ${labels.length.toLocaleString("en-US")} accounts as of 6 months ago, ${labels.filter((y) => y === 1).length.toLocaleString("en-US")} bought):`);
console.log(`  ${story.headline}`);
for (const reason of story.reasons) console.log(`  + ${reason.text}`);
for (const risk of story.risks) console.log(`  - ${risk.text}`);
const check = Math.abs(why.baseValue + why.values.reduce((a, b) => a + b, 0) - why.output);
console.log(`  (log-odds: base ${why.baseValue.toFixed(3)} + Σ attributions = ${why.output.toFixed(3)}; additivity error ${check.toExponential(1)})`);

// the probability itself, explained over the model as a function (exact Shapley, 50 background accounts)
const predict = (features: Float64Array): number => predictLogisticRegression(propensity, denseMatrix(1, d, features))[0]!;
const background = today.inputs.filter((_, i) => i % Math.floor(today.inputs.length / 50) === 0).slice(0, 50);
const exact = explainExact(predict, today.inputs[row]!, { background, featureNames });
const largest = exact.featureNames.map((name, j) => [metadata.get(name)!.label, exact.values[j]!] as const).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, 3);
console.log(`  On the probability scale (exact Shapley, ${exact.modelCalls} model calls): ${exact.baseValue.toFixed(3)} on average → ${exact.output.toFixed(3)}; largest: ${largest.map(([label, v]) => `${label} ${v >= 0 ? "+" : ""}${v.toFixed(3)}`).join(", ")}`);
const accountSvg = join(outputDirectory, "account-waterfall.svg");
writeFileSync(
  accountSvg,
  renderWaterfallSvg(why, { title: `${account.id}: propensity for ${family} (log-odds)`, rawData: today.raw[row]!, labels: new Map([...metadata].map(([name, m]) => [name, m.label])) }),
);
console.log(`\nWaterfall charts: ${blendSvg}, ${accountSvg}`);
