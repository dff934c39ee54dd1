// Shared data and protocol helpers for the factorization tests (not exported by any barrel): the MovieLens splits of
// issue 4 and thin wrappers over nextbest/evaluation.
import { existsSync } from "node:fs";
import path from "node:path";
import { createInteractions, interactionsToRows, alignToTrain, splitLeaveLastOut, splitRandom } from "../../src/data/index.ts";
import type { Interactions, InteractionsSplit } from "../../src/data/index.ts";
import { evaluateRanking, evaluateRatings } from "../../src/evaluation/index.ts";
import type { Recommender } from "../../src/recommend/index.ts";
import { readMovieLens100k } from "../../src/node/index.ts";

export const movieLensDir = path.resolve(import.meta.dirname, "../../../shared/data/movielens-100k");
export const hasMovieLens = existsSync(path.join(movieLensDir, "u.data"));
if (!hasMovieLens) console.log(`factorization real-data tests skipped: MovieLens 100K not found at ${movieLensDir}`);

/** RMSE over every test rating, through nextbest/evaluation's evaluateRatings. */
export function rmseOf(recommender: Recommender, test: Interactions): number {
  return evaluateRatings(recommender, test).rmse;
}

/** Mean NDCG@k with binary gain over users with at least one test item, training items filtered (evaluateRanking). */
export function ndcgAt(recommender: Recommender, test: Interactions, k = 10): number {
  return evaluateRanking(recommender, test, { k, metrics: ["ndcg"] }).mean[`ndcg@${k}`]!;
}

/** MovieLens 100K with every rating as an interaction of value 1, split 80/20 at random (seed 42). */
export async function implicitMovieLensSplit(): Promise<InteractionsSplit> {
  const ratings = await readMovieLens100k(movieLensDir);
  const data = createInteractions(interactionsToRows(ratings).map((row) => ({ ...row, value: 1 })));
  return splitRandom(data, { seed: 42, testFraction: 0.2 });
}

/**
 * Short histories: each user's last rating is the test item (leave-last-out); the training data is reduced to each
 * user's 3 latest remaining interactions, all of value 1.
 */
export async function shortHistorySplit(): Promise<InteractionsSplit> {
  const ratings = await readMovieLens100k(movieLensDir);
  const { train, test } = splitLeaveLastOut(ratings, { count: 1 });
  const byUser = new Map<unknown, ReturnType<typeof interactionsToRows>>();
  for (const row of interactionsToRows(train)) {
    const list = byUser.get(row.user) ?? [];
    list.push(row);
    byUser.set(row.user, list);
  }
  const reduced = [];
  for (const list of byUser.values()) {
    list.sort((a, b) => a.timestamp! - b.timestamp!);
    for (const row of list.slice(-3)) reduced.push({ ...row, value: 1 });
  }
  const shortTrain = createInteractions(reduced);
  const testRows = interactionsToRows(test).filter((row) => shortTrain.users.lookup.has(row.user) && shortTrain.items.lookup.has(row.item));
  return alignToTrain(shortTrain, createInteractions(testRows));
}
