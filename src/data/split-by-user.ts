/**
 * Per-user stratified holdout.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { createRandom, type Seed } from "../core/random.ts";
import type { Interactions } from "./types.ts";
import {
  assembleSplit,
  checkFraction,
  checkInteractions,
  checkOptions,
  checkSeed,
  resolveColdStart,
  type InteractionsSplit,
  type SplitOptions,
} from "./split-common.ts";

/** Options of {@link splitByUser}. @category data */
export interface SplitByUserOptions extends SplitOptions {
  /** Share of each user's interactions to hold out, in (0, 1). @defaultValue 0.2 */
  testFraction?: number;
  /**
   * Users with fewer interactions than this keep them all in train. At least 2 (one to train on, one to test).
   * @defaultValue 2
   */
  minInteractions?: number;
  /** Seed of the draw; the same seed gives the same split. */
  seed: Seed;
}

/**
 * Holds out a random share of each user's interactions (a per-user stratified holdout), so every user with
 * enough history is both trained on and evaluated.
 *
 * A user with m ≥ `minInteractions` interactions sends `clamp(round(testFraction × m), 1, m - 1)` of them,
 * chosen uniformly at random, to test; users with fewer keep everything in train. No user is cold; items may
 * be (see `coldStart`). O(n + users + items).
 *
 * @param data - the interactions
 * @param options - `testFraction` (default 0.2), `minInteractions` (default 2), `seed` (required), `coldStart`
 * @returns the train/test pair, see {@link InteractionsSplit}
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a fraction outside (0, 1), `minInteractions` not an integer
 *   >= 2, a missing seed or a bad option
 * @example
 * ```ts
 * import { createInteractions, splitByUser, userItems } from "nextbest/data";
 * const rows = Array.from({ length: 30 }, (_, k) => ({ user: k % 3, item: k % 10 }));
 * const data = createInteractions(rows);
 * const { train, test } = splitByUser(data, { testFraction: 0.2, seed: 7, coldStart: "keep" });
 * [0, 1, 2].map((user) => userItems(test, user).items.length); // => [2, 2, 2]
 * [0, 1, 2].map((user) => userItems(train, user).items.length); // => [8, 8, 8]
 * ```
 * @category data
 */
export function splitByUser(data: Interactions, options: SplitByUserOptions): InteractionsSplit {
  const fn = "splitByUser";
  checkInteractions(fn, "data", data);
  checkOptions(fn, options);
  const testFraction = options.testFraction ?? 0.2;
  checkFraction(fn, "options.testFraction", testFraction);
  const minInteractions = options.minInteractions ?? 2;
  if (typeof minInteractions !== "number" || !Number.isInteger(minInteractions) || minInteractions < 2) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.minInteractions must be an integer >= 2, got ${describeValue(minInteractions)}`);
  }
  checkSeed(fn, options.seed);
  const coldStart = resolveColdStart(fn, options.coldStart);
  const { indptr, rows } = data.byUser;
  const isTest = new Uint8Array(indptr[rows]!);
  const random = createRandom(options.seed);
  let scratch = new Int32Array(16);
  for (let u = 0; u < rows; u++) {
    const start = indptr[u]!;
    const m = indptr[u + 1]! - start;
    if (m < minInteractions) continue;
    const testCount = Math.min(Math.max(Math.round(testFraction * m), 1), m - 1);
    if (scratch.length < m) scratch = new Int32Array(Math.max(m, scratch.length * 2));
    for (let k = 0; k < m; k++) scratch[k] = k;
    // Partial Fisher–Yates: the first testCount slots become a uniform sample.
    for (let k = 0; k < testCount; k++) {
      const j = k + Math.floor(random() * (m - k));
      const t = scratch[k]!;
      scratch[k] = scratch[j]!;
      scratch[j] = t;
      isTest[start + scratch[k]!] = 1;
    }
  }
  return assembleSplit(fn, data, isTest, coldStart);
}
