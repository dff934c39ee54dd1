/**
 * K-fold cross-validation over interactions.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { createRandom, permutation, type Seed } from "../core/random.ts";
import type { Interactions } from "./types.ts";
import {
  assembleSplit,
  checkInteractions,
  checkOptions,
  checkSeed,
  resolveColdStart,
  type InteractionsSplit,
  type SplitOptions,
} from "./split-common.ts";

/** Options of {@link splitKFold}. @category data */
export interface SplitKFoldOptions extends SplitOptions {
  /** Number of folds, an integer in [2, number of interactions]. @defaultValue 5 */
  folds?: number;
  /** Seed of the fold assignment; the same seed gives the same folds. */
  seed: Seed;
}

/**
 * Partitions the interactions into `folds` random folds of sizes differing by at most one, and returns one
 * train/test pair per fold: fold f is the test set, the other folds train. Before cold-start filtering the
 * test sets partition the interactions (each entry is tested exactly once); with `coldStart: "keep"` they do
 * after it too. O(folds × (n + users + items)).
 *
 * @param data - the interactions
 * @param options - `folds` (default 5), `seed` (required), `coldStart` (default `"drop"`)
 * @returns `folds` train/test pairs, fold 0 first
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `folds` is not an integer in [2, n], the seed is missing or an
 *   option is invalid
 * @example
 * ```ts
 * import { createInteractions, interactionCount, splitKFold } from "nextbest/data";
 * const rows = Array.from({ length: 10 }, (_, k) => ({ user: k % 2, item: k % 5 }));
 * const folds = splitKFold(createInteractions(rows), { folds: 3, seed: 1, coldStart: "keep" });
 * folds.map(({ test }) => interactionCount(test)); // => [4, 3, 3]
 * ```
 * @category data
 */
export function splitKFold(data: Interactions, options: SplitKFoldOptions): InteractionsSplit[] {
  const fn = "splitKFold";
  checkInteractions(fn, "data", data);
  checkOptions(fn, options);
  const n = data.byUser.indptr[data.byUser.rows]!;
  const folds = options.folds ?? 5;
  if (typeof folds !== "number" || !Number.isInteger(folds) || folds < 2 || folds > n) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.folds must be an integer in [2, ${n}] (the number of interactions), got ${describeValue(folds)}`);
  }
  checkSeed(fn, options.seed);
  const coldStart = resolveColdStart(fn, options.coldStart);
  const order = permutation(n, createRandom(options.seed));
  const foldOf = new Int32Array(n);
  for (let k = 0; k < n; k++) foldOf[order[k]!] = k % folds;
  const out: InteractionsSplit[] = [];
  const isTest = new Uint8Array(n);
  for (let f = 0; f < folds; f++) {
    for (let p = 0; p < n; p++) isTest[p] = foldOf[p] === f ? 1 : 0;
    out.push(assembleSplit(fn, data, isTest, coldStart));
  }
  return out;
}
