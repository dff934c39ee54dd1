/**
 * Random holdout by interaction.
 *
 * @module
 */
import { createRandom, permutation, type Seed } from "../core/random.ts";
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

/** Options of {@link splitRandom}. @category data */
export interface SplitRandomOptions extends SplitOptions {
  /** Share of the interactions to hold out, in (0, 1). @defaultValue 0.2 */
  testFraction?: number;
  /** Seed of the draw; the same seed gives the same split. */
  seed: Seed;
}

/**
 * Holds out a uniformly random `testFraction` of the interactions: exactly `round(testFraction × n)` of the n
 * stored entries go to test (at most n - 1, so train is never empty), before cold-start filtering.
 * Each stored (user, item) entry moves as a whole. O(n + users + items).
 *
 * @param data - the interactions
 * @param options - `testFraction` (default 0.2), `seed` (required), `coldStart` (default `"drop"`)
 * @returns the train/test pair, see {@link InteractionsSplit} for the shared index spaces
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a fraction outside (0, 1), a missing seed or a bad option
 * @example
 * ```ts
 * import { createInteractions, interactionCount, splitRandom } from "nextbest/data";
 * const rows = Array.from({ length: 100 }, (_, k) => ({ user: k % 10, item: Math.floor(k / 10) }));
 * const { train, test, droppedTestInteractions } = splitRandom(createInteractions(rows), { testFraction: 0.2, seed: 1 });
 * interactionCount(train) + interactionCount(test) + droppedTestInteractions; // => 100
 * interactionCount(train); // => 80
 * ```
 * @category data
 */
export function splitRandom(data: Interactions, options: SplitRandomOptions): InteractionsSplit {
  const fn = "splitRandom";
  checkInteractions(fn, "data", data);
  checkOptions(fn, options);
  const testFraction = options.testFraction ?? 0.2;
  checkFraction(fn, "options.testFraction", testFraction);
  checkSeed(fn, options.seed);
  const coldStart = resolveColdStart(fn, options.coldStart);
  const n = data.byUser.indptr[data.byUser.rows]!;
  const testCount = Math.min(Math.round(testFraction * n), Math.max(n - 1, 0));
  const order = permutation(n, createRandom(options.seed));
  const isTest = new Uint8Array(n);
  for (let k = 0; k < testCount; k++) isTest[order[k]!] = 1;
  return assembleSplit(fn, data, isTest, coldStart);
}
