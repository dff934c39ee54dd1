// Accuracy on the real MovieLens 100K (issue 4, section 2), measured with nextbest's own evaluation protocols
// (nextbest/evaluation), so the figures are what a user gets from evaluateRatings / evaluateRanking.
//
// Ratings: the official folds u1..u5 (train uK.base, test every rating of uK.test), mean RMSE over the five folds.
// Top-N: every rating an interaction of value 1, splitRandom 80/20 of interactions (seed 42), train items
// filtered, users with at least one test item, k = 10, NDCG@10 with binary gain and precision@10 (denominator k).
// Peers (Surprise, implicit) run in the same bench run beside nextbest (bench/peers.ts); their predictions and top-10
// lists are scored by nextbest's own metric functions, the same ones evaluateRatings / evaluateRanking use.
// Run: npm run bench:accuracy
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { biasRecommender, fitBiases, fitPopularity, popularityRecommender } from "../src/baselines/index.ts";
import { createInteractions, interactionsToRows, splitRandom, type Interactions } from "../src/data/index.ts";
import { evaluateRanking, evaluateRatings } from "../src/evaluation/index.ts";
import {
  bprRecommender,
  fitBpr,
  fitImplicitAls,
  fitMatrixFactorization,
  fitSvdPlusPlus,
  implicitAlsRecommender,
  matrixFactorizationRecommender,
  svdPlusPlusRecommender,
} from "../src/factorization/index.ts";
import { fitItemItemImplicit, fitItemKnn, itemItemImplicitRecommender, knnRecommender } from "../src/neighbors/index.ts";
import { readMovieLens100k, readMovieLens100kSplit } from "../src/node/index.ts";
import type { Id } from "../src/core/index.ts";
import { ndcgAtK, precisionAtK, rmse } from "../src/metrics/index.ts";
import { recommendMany, type Recommender } from "../src/recommend/index.ts";
import { type BenchRow, type SuiteResult, movieLensDirectory, MOVIELENS_FOLDS } from "./lib.ts";
import { exchangeDir, sendCsr, startPeers, type Peers } from "./peers.ts";

const FOLDS = MOVIELENS_FOLDS;

interface RatingModel {
  readonly row: string;
  /** The Surprise algorithm run beside it: class name and keyword parameters. */
  readonly peer: { readonly label: string; readonly algorithm: string; readonly params: Record<string, unknown> };
  readonly fit: (train: Interactions) => Recommender;
}

const ratingModels: readonly RatingModel[] = [
  {
    row: "rmse-baseline",
    peer: { label: "Surprise BaselineOnly (defaults)", algorithm: "BaselineOnly", params: {} },
    fit: (train) => biasRecommender(fitBiases(train)),
  },
  {
    row: "rmse-item-knn-baseline",
    peer: {
      label: "Surprise KNNBaseline (item, pearson_baseline)",
      algorithm: "KNNBaseline",
      params: { sim_options: { name: "pearson_baseline", user_based: false }, verbose: false },
    },
    fit: (train) => knnRecommender(fitItemKnn(train)),
  },
  {
    row: "rmse-mf-default",
    peer: { label: "Surprise SVD (defaults)", algorithm: "SVD", params: { random_state: 0 } },
    fit: (train) => matrixFactorizationRecommender(fitMatrixFactorization(train)),
  },
  {
    row: "rmse-mf-tuned",
    peer: {
      label: "Surprise SVD (100 factors, 30 epochs, lr 0.007, reg 0.05)",
      algorithm: "SVD",
      params: { n_factors: 100, n_epochs: 30, lr_all: 0.007, reg_all: 0.05, random_state: 0 },
    },
    fit: (train) =>
      matrixFactorizationRecommender(fitMatrixFactorization(train, { epochs: 100, learningRate: 0.005, regularization: 0.1, initStandardDeviation: 0.05 })),
  },
  {
    row: "rmse-svdpp",
    peer: { label: "Surprise SVDpp (defaults)", algorithm: "SVDpp", params: { random_state: 0 } },
    fit: (train) => svdPlusPlusRecommender(fitSvdPlusPlus(train)),
  },
];

interface RankingModel {
  readonly row: string;
  /** The implicit model run beside it (none for popularity: implicit has no popularity model). */
  readonly peer?: { readonly label: string; readonly kind: "als" | "bpr" | "cosine"; readonly params: Record<string, unknown> };
  readonly fit: (train: Interactions) => Recommender;
}

const rankingModels: readonly RankingModel[] = [
  { row: "ndcg10-popularity", fit: (train) => popularityRecommender(fitPopularity(train)) },
  {
    row: "ndcg10-item-knn",
    peer: { label: "implicit CosineRecommender K=20", kind: "cosine", params: { K: 20 } },
    fit: (train) => itemItemImplicitRecommender(fitItemItemImplicit(train, { weighting: "none", neighbors: 20 })),
  },
  {
    row: "ndcg10-als",
    peer: { label: "implicit ALS (defaults: 100 factors, 15 iterations, reg 0.01)", kind: "als", params: {} },
    fit: (train) => implicitAlsRecommender(fitImplicitAls(train)),
  },
  {
    row: "ndcg10-als-64-factors-reg-0.01",
    peer: { label: "implicit ALS (same settings: 64 factors, 15 iterations, reg 0.01, 3 CG steps)", kind: "als", params: { factors: 64, regularization: 0.01 } },
    fit: (train) => implicitAlsRecommender(fitImplicitAls(train, { factors: 64, regularization: 0.01, conjugateGradientSteps: 3 })),
  },
  { row: "ndcg10-bpr", peer: { label: "implicit BPR (defaults)", kind: "bpr", params: {} }, fit: (train) => bprRecommender(fitBpr(train)) },
];

function seconds(started: number): number {
  return (performance.now() - started) / 1000;
}

/** Mean NDCG@10 and precision@10 of top-10 lists over users with test items: the metric functions evaluateRanking uses. */
function scoreLists(lists: ReadonlyMap<Id, readonly Id[]>, test: Interactions): { ndcg: number; precision: number } {
  let ndcg = 0;
  let precision = 0;
  let users = 0;
  for (let user = 0; user < test.users.ids.length; user++) {
    const start = test.byUser.indptr[user]!;
    const end = test.byUser.indptr[user + 1]!;
    if (end === start) continue;
    const relevant = new Set<Id>();
    for (let p = start; p < end; p++) relevant.add(test.items.ids[test.byUser.indices[p]!]!);
    const list = lists.get(test.users.ids[user]!) ?? [];
    ndcg += ndcgAtK(list, relevant, { k: 10 });
    precision += precisionAtK(list, relevant, { k: 10 });
    users++;
  }
  return { ndcg: ndcg / users, precision: precision / users };
}

/** The suite: mean RMSE over the official folds and NDCG@10 / precision@10 on the implicit protocol, peers beside. */
export async function runAccuracyMl100k(): Promise<SuiteResult> {
  const rows: BenchRow[] = [];
  if (!existsSync(movieLensDirectory)) {
    return { suite: "accuracy-ml100k", protocol: `skipped: ${movieLensDirectory} not found`, rows };
  }
  const started = await startPeers();
  const peers: Peers | undefined = "unavailable" in started ? undefined : started;
  const peerNote =
    peers === undefined
      ? `Peers not run: ${(started as { unavailable: string }).unavailable}.`
      : `Peers run in the same bench run (child python3): ${Object.entries(peers.versions).map(([name, version]) => `${name} ${version}`).join(", ")}.`;
  console.log(peerNote);
  const surprise = peers?.has("surprise") ? peers : undefined;
  const implicitPeer = peers?.has("implicit") ? peers : undefined;
  try {
    const perFold = new Map<string, number[]>(ratingModels.map((model) => [model.row, []]));
    const peerPerFold = new Map<string, number[]>(ratingModels.map((model) => [model.row, []]));
    const fitSeconds = new Map<string, number>(ratingModels.map((model) => [model.row, 0]));
    const peerFitSeconds = new Map<string, number>(ratingModels.map((model) => [model.row, 0]));
    for (const split of FOLDS) {
      const { train, test } = await readMovieLens100kSplit(movieLensDirectory, { split, coldStart: "keep" });
      const trainFile = path.join(exchangeDir, `ml100k-${split}.base.tsv`);
      const pairsFile = path.join(exchangeDir, `ml100k-${split}.test-pairs.tsv`);
      const testRows = interactionsToRows(test);
      if (surprise) {
        writeFileSync(trainFile, interactionsToRows(train).map((row) => `${row.user}\t${row.item}\t${row.value}`).join("\n") + "\n");
        writeFileSync(pairsFile, testRows.map((row) => `${row.user}\t${row.item}`).join("\n") + "\n");
      }
      for (const model of ratingModels) {
        const started = performance.now();
        const recommender = model.fit(train);
        fitSeconds.set(model.row, fitSeconds.get(model.row)! + seconds(started));
        const result = evaluateRatings(recommender, test, { unpredictable: "global-mean", train });
        perFold.get(model.row)!.push(result.rmse);
        const row: BenchRow = { name: `${model.row}-${split}`, value: result.rmse, unit: "RMSE" };
        if (surprise) {
          const out = path.join(exchangeDir, "surprise-predictions.f64");
          const answer = await surprise.run({ cmd: "surprise_fit_predict", algorithm: model.peer.algorithm, params: model.peer.params, train: trainFile, pairs: pairsFile, out });
          const predictions = new Float64Array(new Uint8Array(readFileSync(out)).buffer);
          const peerRmse = rmse(predictions, testRows.map((testRow) => testRow.value ?? Number.NaN));
          peerPerFold.get(model.row)!.push(peerRmse);
          peerFitSeconds.set(model.row, peerFitSeconds.get(model.row)! + answer.wall!);
          Object.assign(row, { peer: model.peer.label, peerValue: peerRmse });
        }
        rows.push(row);
      }
    }
    const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    for (const model of ratingModels) {
      const peerValues = peerPerFold.get(model.row)!;
      const peerFields = peerValues.length === FOLDS.length ? { peer: model.peer.label, peerValue: mean(peerValues) } : {};
      rows.push({ name: model.row, value: mean(perFold.get(model.row)!), unit: "RMSE (mean u1..u5)", ...peerFields });
      rows.push({
        name: `${model.row}-fit-seconds-per-fold`,
        value: fitSeconds.get(model.row)! / FOLDS.length,
        unit: "s",
        ...(peerValues.length === FOLDS.length ? { peer: model.peer.label, peerValue: peerFitSeconds.get(model.row)! / FOLDS.length } : {}),
      });
    }

    const ratings = await readMovieLens100k(movieLensDirectory);
    const implicit = createInteractions(interactionsToRows(ratings).map((row) => ({ user: row.user, item: row.item, value: 1 })));
    const { train, test } = splitRandom(implicit, { testFraction: 0.2, seed: 42 });
    if (implicitPeer) await sendCsr(implicitPeer, "ml100k-random-train", train.byUser);
    for (const model of rankingModels) {
      const started = performance.now();
      const recommender = model.fit(train);
      const fit = seconds(started);
      const result = evaluateRanking(recommender, test, { k: 10, metrics: ["ndcg", "precision"], train });
      // The same metric code on our own lists must reproduce evaluateRanking: the peer's lists are scored by it.
      const ourLists = new Map(recommendMany(recommender, train.users.ids, { k: 10 }).map((entry) => [entry.user, entry.items.map((item) => item.item)] as const));
      const check = scoreLists(ourLists, test);
      if (Math.abs(check.ndcg - result.mean["ndcg@10"]!) > 1e-9) throw new Error(`${model.row}: list scorer ${check.ndcg} disagrees with evaluateRanking ${result.mean["ndcg@10"]}`);
      let peerFields: Partial<BenchRow> = {};
      let peerPrecision: Partial<BenchRow> = {};
      let peerFit: Partial<BenchRow> = {};
      if (implicitPeer && model.peer) {
        const out = path.join(exchangeDir, "implicit-top10.i32");
        const answer = await implicitPeer.run({ cmd: "implicit_fit_recommend", kind: model.peer.kind, params: model.peer.params, data: "ml100k-random-train", N: 10, threads: 1, out });
        const indices = new Int32Array(new Uint8Array(readFileSync(out)).buffer);
        const lists = new Map<Id, Id[]>();
        for (let user = 0; user < train.users.ids.length; user++) {
          const list: Id[] = [];
          for (let r = 0; r < 10; r++) {
            const item = indices[user * 10 + r]!;
            if (item >= 0) list.push(train.items.ids[item]!);
          }
          lists.set(train.users.ids[user]!, list);
        }
        const score = scoreLists(lists, test);
        peerFields = { peer: model.peer.label, peerValue: score.ndcg };
        peerPrecision = { peer: model.peer.label, peerValue: score.precision };
        peerFit = { peer: model.peer.label, peerValue: answer.wall! };
      }
      rows.push({ name: model.row, value: result.mean["ndcg@10"]!, unit: "NDCG@10", ...peerFields });
      rows.push({ name: `${model.row.replace("ndcg10", "precision10")}`, value: result.mean["precision@10"]!, unit: "P@10", ...peerPrecision });
      rows.push({ name: `${model.row.replace("ndcg10", "fit-seconds")}`, value: fit, unit: "s", ...peerFit });
    }
  } finally {
    peers?.close();
  }
  return {
    suite: "accuracy-ml100k",
    protocol:
      "MovieLens 100K (../shared/data/movielens-100k). Ratings: official folds u1..u5, train uK.base, test every rating " +
      "of uK.test through evaluateRatings (test pairs of items absent from the base file, a handful per fold, get " +
      "each model's cold-pair estimate, mu + b_u, as Surprise's biased estimates); mean RMSE over the five folds; library defaults " +
      "(those of MF and SVD++ chosen on validation splits of u1..u5.base only, bench/results/defaults.json) " +
      "except rmse-mf-tuned (100 epochs, learning rate 0.005, reg 0.1, init sd 0.05). Top-N: every rating an interaction of value 1, " +
      "splitRandom 80/20 of interactions with seed 42 (test items unseen in train dropped), users with >= 1 test item, " +
      "top 10 with train items filtered through evaluateRanking, NDCG@10 binary gain (log2(rank + 1) discount) and " +
      "precision@10 (denominator k); library defaults. " +
      peerNote +
      " Surprise: each algorithm fitted on the same uK.base file, predictions for every uK.test pair through its " +
      "predict (its own fallback for unknown items), RMSE by nextbest's rmse. implicit: fitted on the same training " +
      "matrix (one thread), top 10 per user through its recommend with training items filtered, scored by the same " +
      "metric functions as evaluateRanking (checked to reproduce evaluateRanking on nextbest's own lists). implicit has " +
      "no popularity model, so ndcg10-popularity has no peer. Fit seconds: wall clock, one thread, one fit each " +
      "(peer fit seconds exclude its prediction time).",
    rows,
  };
}
