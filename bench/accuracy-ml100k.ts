// Accuracy on the real MovieLens 100K (issue 4, section 2), measured with nextbest's own evaluation protocols
// (nextbest/evaluation), so the figures are what a user gets from evaluateRatings / evaluateRanking.
//
// Ratings: the official folds u1..u5 (train uK.base, test every rating of uK.test), mean RMSE over the five folds.
// Top-N: every rating an interaction of value 1, splitRandom 80/20 of interactions (seed 42), train items
// filtered, users with at least one test item, k = 10, NDCG@10 with binary gain and precision@10 (denominator k).
// Run: npm run bench:accuracy
import { existsSync } from "node:fs";
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
import type { Recommender } from "../src/recommend/index.ts";
import type { BenchRow, SuiteResult } from "./lib.ts";

const movieLensDirectory = path.resolve(import.meta.dirname, "../../shared/data/movielens-100k");
const FOLDS = ["u1", "u2", "u3", "u4", "u5"] as const;

interface RatingModel {
  readonly row: string;
  readonly peer: string;
  readonly peerValue: number;
  readonly fit: (train: Interactions) => Recommender;
}

const ratingModels: readonly RatingModel[] = [
  { row: "rmse-baseline", peer: "Surprise BaselineOnly", peerValue: 0.946, fit: (train) => biasRecommender(fitBiases(train)) },
  {
    row: "rmse-item-knn-baseline",
    peer: "Surprise KNNBaseline (item, pearson_baseline)",
    peerValue: 0.92,
    fit: (train) => knnRecommender(fitItemKnn(train)),
  },
  {
    row: "rmse-mf-default",
    peer: "Surprise SVD defaults",
    peerValue: 0.938,
    fit: (train) => matrixFactorizationRecommender(fitMatrixFactorization(train)),
  },
  {
    row: "rmse-mf-tuned",
    peer: "Surprise SVD tuned (100 factors, 30 epochs, lr 0.007, reg 0.05)",
    peerValue: 0.923,
    fit: (train) =>
      matrixFactorizationRecommender(fitMatrixFactorization(train, { epochs: 100, regularization: 0.1, initStandardDeviation: 0.05 })),
  },
  { row: "rmse-svdpp", peer: "Surprise SVDpp (shuffled 5-fold)", peerValue: 0.917, fit: (train) => svdPlusPlusRecommender(fitSvdPlusPlus(train)) },
];

interface RankingModel {
  readonly row: string;
  readonly peer: string;
  readonly peerValue: number;
  readonly fit: (train: Interactions) => Recommender;
}

const rankingModels: readonly RankingModel[] = [
  { row: "ndcg10-popularity", peer: "implicit popularity", peerValue: 0.216, fit: (train) => popularityRecommender(fitPopularity(train)) },
  {
    row: "ndcg10-item-knn",
    peer: "implicit CosineRecommender K=20",
    peerValue: 0.355,
    fit: (train) => itemItemImplicitRecommender(fitItemItemImplicit(train, { weighting: "none", neighbors: 20 })),
  },
  {
    row: "ndcg10-als",
    peer: "implicit ALS (64 factors, 15 iterations, reg 0.01)",
    peerValue: 0.347,
    fit: (train) => implicitAlsRecommender(fitImplicitAls(train)),
  },
  { row: "ndcg10-bpr", peer: "implicit BPR", peerValue: 0.295, fit: (train) => bprRecommender(fitBpr(train)) },
];

function seconds(started: number): number {
  return (performance.now() - started) / 1000;
}

/** The suite: mean RMSE over the official folds and NDCG@10 / precision@10 on the implicit protocol. */
export async function runAccuracyMl100k(): Promise<SuiteResult> {
  const rows: BenchRow[] = [];
  if (!existsSync(movieLensDirectory)) {
    return { suite: "accuracy-ml100k", protocol: `skipped: ${movieLensDirectory} not found`, rows };
  }
  const perFold = new Map<string, number[]>(ratingModels.map((model) => [model.row, []]));
  const fitSeconds = new Map<string, number>(ratingModels.map((model) => [model.row, 0]));
  for (const split of FOLDS) {
    const { train, test } = await readMovieLens100kSplit(movieLensDirectory, { split, coldStart: "keep" });
    for (const model of ratingModels) {
      const started = performance.now();
      const recommender = model.fit(train);
      fitSeconds.set(model.row, fitSeconds.get(model.row)! + seconds(started));
      const result = evaluateRatings(recommender, test, { unpredictable: "global-mean", train });
      perFold.get(model.row)!.push(result.rmse);
      rows.push({ name: `${model.row}-${split}`, value: result.rmse, unit: "RMSE" });
    }
  }
  for (const model of ratingModels) {
    const values = perFold.get(model.row)!;
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    rows.push({ name: model.row, value: mean, unit: "RMSE (mean u1..u5)", peer: model.peer, peerValue: model.peerValue });
    rows.push({ name: `${model.row}-fit-seconds-per-fold`, value: fitSeconds.get(model.row)! / FOLDS.length, unit: "s" });
  }

  const ratings = await readMovieLens100k(movieLensDirectory);
  const implicit = createInteractions(interactionsToRows(ratings).map((row) => ({ user: row.user, item: row.item, value: 1 })));
  const { train, test } = splitRandom(implicit, { testFraction: 0.2, seed: 42 });
  for (const model of rankingModels) {
    const started = performance.now();
    const recommender = model.fit(train);
    const fit = seconds(started);
    const result = evaluateRanking(recommender, test, { k: 10, metrics: ["ndcg", "precision"], train });
    rows.push({ name: model.row, value: result.mean["ndcg@10"]!, unit: "NDCG@10", peer: model.peer, peerValue: model.peerValue });
    rows.push({ name: `${model.row.replace("ndcg10", "precision10")}`, value: result.mean["precision@10"]!, unit: "P@10" });
    rows.push({ name: `${model.row.replace("ndcg10", "fit-seconds")}`, value: fit, unit: "s" });
  }
  return {
    suite: "accuracy-ml100k",
    protocol:
      "MovieLens 100K (../shared/data/movielens-100k). Ratings: official folds u1..u5, train uK.base, test every rating " +
      "of uK.test through evaluateRatings (test pairs of items absent from the base file, a handful per fold, get " +
      "each model's cold-pair estimate, mu + b_u, as Surprise's biased estimates); mean RMSE over the five folds; library defaults " +
      "except rmse-mf-tuned (100 epochs, reg 0.1, init sd 0.05). Top-N: every rating an interaction of value 1, " +
      "splitRandom 80/20 of interactions with seed 42 (test items unseen in train dropped), users with >= 1 test item, " +
      "top 10 with train items filtered through evaluateRanking, NDCG@10 binary gain (log2(rank + 1) discount) and " +
      "precision@10 (denominator k); library defaults. Peers: Surprise and implicit figures measured on this machine " +
      "class (issue 4). Fit seconds: wall clock, one thread.",
    rows,
  };
}
