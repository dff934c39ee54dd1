// A check of fitImplicitAls's initialization on validation data carved from training data only (no test file is read):
// NDCG@10 over model seeds 0-4 on (1) MovieLens 100K u1.base with a seeded 20% of its entries held out and (2) Online
// Retail accounts' purchases before 2010-06-01, validated on the account-product pairs new in June-August 2010. Run it
// on two commits to see whether a change of the initial draws moves accuracy beyond the spread over seeds (it was run
// on the change from Box-Muller to polar draws; the figures are in CHANGELOG.md).
//
// Run: npx tsx bench/als-init-check.ts   (about a minute)
import { createRandom } from "../src/core/index.ts";
import { createInteractions, interactionsToRows, type Interactions, type InteractionRow } from "../src/data/index.ts";
import { evaluateRanking } from "../src/evaluation/index.ts";
import { sampleStandardDeviation } from "../src/evaluation/internal.ts";
import { fitImplicitAls, implicitAlsRecommender, type ImplicitAlsOptions } from "../src/factorization/index.ts";
import { readMovieLens100kSplit } from "../src/node/index.ts";
import { movieLensDirectory } from "./lib.ts";
import { loadOnlineRetail } from "./online-retail.ts";

const SEEDS = [0, 1, 2, 3, 4];

/** NDCG@10 on `validation` of the model fitted on `train` with each seed. */
function ndcgOverSeeds(train: Interactions, validation: Interactions, options: ImplicitAlsOptions): number[] {
  return SEEDS.map((seed) => {
    const model = fitImplicitAls(train, { ...options, seed });
    return evaluateRanking(implicitAlsRecommender(model), validation, { k: 10, metrics: ["ndcg"] }).mean["ndcg@10"]!;
  });
}

/** Validation rows whose user and item the training part knows. */
function known(train: Interactions, rows: Iterable<InteractionRow>): Interactions {
  return createInteractions([...rows].filter((row) => train.users.lookup.has(row.user) && train.items.lookup.has(row.item)));
}

const results = new Map<string, number[]>();

const { train: base } = await readMovieLens100kSplit(movieLensDirectory, { split: "u1" });
const holdout = createRandom("holdout");
const movieTrain: InteractionRow[] = [];
const movieValidation: InteractionRow[] = [];
for (const row of interactionsToRows(base)) (holdout() < 0.2 ? movieValidation : movieTrain).push({ user: row.user, item: row.item, value: 1 });
const movieTrainData = createInteractions(movieTrain);
results.set("ml100k u1.base, 64 factors x 15 iterations", ndcgOverSeeds(movieTrainData, known(movieTrainData, movieValidation), { factors: 64, iterations: 15 }));

const retail = await loadOnlineRetail();
if (retail === undefined) console.log("Online Retail II not found under ../shared/data: its rows are skipped");
else {
  const { accounts, products, timestamps, timeUnit } = retail.data.lines;
  const toMilliseconds = timeUnit === "seconds" ? 1000 : 1;
  const cut = Date.UTC(2010, 5, 1);
  const end = Date.UTC(2010, 8, 1);
  const purchases = new Map<string, InteractionRow & { value: number }>();
  const later = new Map<string, InteractionRow>();
  for (let k = 0; k < accounts.length; k++) {
    const time = timestamps[k]! * toMilliseconds;
    const key = `${accounts[k]}\u0000${products[k]}`;
    if (time < cut) {
      const row = purchases.get(key);
      if (row === undefined) purchases.set(key, { user: accounts[k]!, item: products[k]!, value: 1 });
      else row.value++;
    } else if (time < end) later.set(key, { user: accounts[k]!, item: products[k]!, value: 1 });
  }
  const retailTrain = createInteractions([...purchases.values()]);
  const newPairs = [...later].filter(([key]) => !purchases.has(key)).map(([, row]) => row);
  results.set("online retail accounts, defaults", ndcgOverSeeds(retailTrain, known(retailTrain, newPairs), {}));
}

for (const [name, values] of results) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const deviation = sampleStandardDeviation(values);
  console.log(`${name.padEnd(44)} NDCG@10 ${mean.toFixed(4)} ± ${deviation.toFixed(4)}  (${values.map((v) => v.toFixed(4)).join(" ")})`);
}
