// Segments, drift and experiments end to end: `npx tsx examples/segments-wholesale.ts`.
// 1. Segments the real UCI Wholesale customers (440 clients, ../shared/data) on their log annual spend, prints the
//    elbow table and a plain-words profile of each segment (the Horeca/Retail channel is held out of the features).
// 2. A drift report on the synthetic B2B sample: early vs late purchases (nothing planted moves), then a current
//    window of accounts whose inflow was skewed to large companies (a simulated shift that should be named).
// 3. A/B analysis: an A/A check on the synthetic sample, the shape of LinkedIn's +8.08% renewal-bookings test, and
//    the sample size such a test needs.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { encodeRows, fitFeatureEncoder, type FieldSpec } from "../src/content/index.ts";
import { createRandom } from "../src/core/index.ts";
import { WHOLESALE_CATEGORIES, generateB2bSample } from "../src/datasets/index.ts";
import { driftReport } from "../src/drift/index.ts";
import { compareMeans, compareProportions, sampleSizeForMeans } from "../src/experiments/index.ts";
import { readWholesaleCustomers } from "../src/node/index.ts";
import { kMeansElbow, segmentRows, type ProfileField } from "../src/segments/index.ts";

const wholesale = join(import.meta.dirname, "..", "..", "shared", "data", "uci-wholesale-customers");
const words: Record<string, string> = {
  fresh: "fresh food",
  milk: "milk",
  grocery: "grocery",
  frozen: "frozen food",
  detergentsPaper: "detergents & paper",
  delicatessen: "delicatessen",
};
const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

console.log("# 1. Segments of the UCI Wholesale customers\n");
if (!existsSync(wholesale)) {
  console.log(`skipped: ${wholesale} is absent (the data cannot be redistributed; see ../shared/data/README.md)\n`);
} else {
  const rows = (await readWholesaleCustomers(wholesale)).map((c) => ({ channel: c.channel, region: c.region, ...c.spend }));
  const schema: FieldSpec[] = WHOLESALE_CATEGORIES.map((field) => ({ field, kind: "numeric", transform: "log1p" }));
  const features = encodeRows(fitFeatureEncoder(rows, schema, { normalize: false }), rows);
  const table = kMeansElbow(features, { minK: 1, maxK: 8, seed: 1 });
  console.log("k  inertia   silhouette");
  for (const row of table.rows) console.log(`${row.k}  ${row.inertia.toFixed(1).padStart(7)}   ${Number.isNaN(row.silhouette) ? "   -" : row.silhouette.toFixed(3)}`);
  console.log(`best silhouette at k = ${table.bestSilhouetteK}; elbow at k = ${table.elbowK}\n`);
  const profile: ProfileField[] = [
    { field: "channel", kind: "categorical" },
    { field: "region", kind: "categorical", template: "mostly from {category}" },
    ...WHOLESALE_CATEGORIES.map((field): ProfileField => ({
      field,
      kind: "numeric",
      scale: "log",
      high: `heavy buyers of ${words[field]}`,
      low: `light buyers of ${words[field]}`,
    })),
  ];
  for (const k of [table.bestSilhouetteK, table.elbowK].filter((k, i, all) => all.indexOf(k) === i)) {
    const segmentation = segmentRows(rows, { schema, profile, k, seed: 1, profileOptions: { maxHighlights: 4 } });
    console.log(`k = ${k} (silhouette ${segmentation.silhouette.toFixed(3)}):`);
    for (const p of segmentation.profiles) console.log(`  ${p.description}`);
    console.log();
  }
}

console.log("# 2. Drift on the synthetic B2B sample\n");
const sample = generateB2bSample({ accounts: 1500, seed: 7 });
const familyOf = new Map(sample.products.map((p) => [p.id, p.family]));
const middle = (sample.period.start + sample.period.end) / 2;
const purchases = sample.purchases.map((p) => ({ amount: p.amount, family: familyOf.get(p.product)!, early: p.timestamp < middle }));
const purchaseReport = driftReport(
  purchases.filter((p) => p.early),
  purchases.filter((p) => !p.early),
  { features: [{ field: "amount", kind: "numeric", label: "deal amount" }, { field: "family", kind: "categorical", label: "product family" }] },
);
console.log("Early vs late purchases:");
for (const f of purchaseReport.features) console.log(`  ${f.message}`);
console.log(`  ${purchaseReport.summary}\n`);

// A purchase-rate score per account: purchases per active month (a stand-in for a propensity model's score).
const months = 30;
const purchaseCount = new Map<string, number>();
for (const p of sample.purchases) purchaseCount.set(p.account, (purchaseCount.get(p.account) ?? 0) + 1);
const accountRows = sample.accounts.map((a) => ({
  industry: a.industry,
  region: a.region,
  employees: a.employees,
  revenueGrowth: a.revenueGrowth,
  score: (purchaseCount.get(a.id) ?? 0) / months,
}));
const reference = accountRows.filter((_, i) => i % 2 === 0);
// Simulated shift: the current window keeps every account of 1,000+ employees but only a third of the others.
const current = accountRows.filter((a, i) => i % 2 === 1 && (a.employees >= 1000 || i % 3 === 0));
const accountReport = driftReport(reference, current, {
  features: [
    { field: "industry", kind: "categorical" },
    { field: "region", kind: "categorical" },
    { field: "employees", kind: "numeric", label: "head count" },
    { field: "revenueGrowth", kind: "numeric", label: "revenue growth" },
  ],
  scores: { reference: reference.map((a) => a.score), current: current.map((a) => a.score), label: "purchase-rate score" },
});
console.log("Accounts, current inflow skewed to large companies:");
for (const f of accountReport.features) console.log(`  [${f.severity}] ${f.message}`);
console.log(`  ${accountReport.summary}\n`);

console.log("# 3. Experiments\n");
// A/A check: split accounts at random; the arms differ only by chance.
const random = createRandom(11);
const arm = new Map(sample.accounts.map((a) => [a.id, random() < 0.5 ? "A" : "B"]));
const count = { A: { won: 0, total: 0 }, B: { won: 0, total: 0 } };
for (const o of sample.opportunities) {
  const c = count[arm.get(o.account) as "A" | "B"];
  c.total++;
  if (o.outcome === "won") c.won++;
}
const aa = compareProportions({ successes: count.A.won, trials: count.A.total }, { successes: count.B.won, trials: count.B.total });
console.log(
  `A/A win rate: ${pct(aa.controlRate)} vs ${pct(aa.treatmentRate)}, difference ${pct(aa.difference)} ` +
    `[${pct(aa.differenceInterval.lower)}, ${pct(aa.differenceInterval.upper)}], p = ${aa.pValue.toFixed(3)} (no real effect: expect p > 0.05 most of the time)`,
);
const bookings = (group: "A" | "B"): number[] =>
  sample.accounts.filter((a) => arm.get(a.id) === group).map((a) => sample.purchases.filter((p) => p.account === a.id).reduce((s, p) => s + p.amount, 0));
const aaBookings = compareMeans(bookings("A"), bookings("B"));
console.log(`A/A bookings per account: lift ${pct(aaBookings.relativeLift)} [${pct(aaBookings.relativeLiftInterval.lower)}, ${pct(aaBookings.relativeLiftInterval.upper)}], Welch p = ${aaBookings.pValue.toFixed(3)}\n`);

// The shape of LinkedIn's Account Prioritizer test: renewal bookings per account +8.08% (illustrative numbers).
const renewal = compareMeans({ mean: 50000, standardDeviation: 60000, count: 4000 }, { mean: 54040, standardDeviation: 62000, count: 4000 });
console.log(
  `Renewal bookings per account: $${renewal.controlMean} → $${renewal.treatmentMean}, lift ${pct(renewal.relativeLift)} ` +
    `[${pct(renewal.relativeLiftInterval.lower)}, ${pct(renewal.relativeLiftInterval.upper)}], ` +
    `t = ${renewal.tStatistic.toFixed(2)} on ${renewal.degreesOfFreedom.toFixed(0)} df, p = ${renewal.pValue.toFixed(4)}`,
);
const plan = sampleSizeForMeans({ difference: 4040, standardDeviation: 61000 }, { power: 0.8 });
console.log(`Accounts needed to detect +$4,040 (sd $61,000) at 80% power, α = 0.05: ${plan.control.toLocaleString("en-US")} per arm, ${plan.total.toLocaleString("en-US")} in total`);
