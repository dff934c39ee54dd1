/**
 * Mapping a separately loaded test set into a train set's index spaces.
 *
 * @module
 */
import type { Interactions } from "./types.ts";
import {
  checkInteractions,
  checkOptions,
  mapIntoTrain,
  resolveColdStart,
  type InteractionsSplit,
  type SplitOptions,
} from "./split-common.ts";

/**
 * Re-indexes a test set that was built on its own (for example MovieLens `u1.test` read beside `u1.base`) into
 * the train set's index spaces, so both can be used like the output of a split: the test set's user `k` is the
 * train set's user `k`, and cold users and items are dropped or appended and listed.
 * The train set is returned unchanged. O(nnz(test) + users + items).
 *
 * @param train - the train set
 * @param test - the test set, with its own indexes
 * @param options - what to do with cold users and items (`coldStart`, default `"drop"`)
 * @returns `{ train, test, coldUsers, coldItems, droppedTestInteractions }`
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when an argument is not an Interactions dataset or the option is
 *   invalid
 * @example
 * ```ts
 * import { alignToTrain, createInteractions } from "nextbest/data";
 * const train = createInteractions([{ user: "a", item: "x" }, { user: "b", item: "y" }]);
 * const test = createInteractions([{ user: "b", item: "x" }, { user: "c", item: "x" }]);
 * const split = alignToTrain(train, test);
 * split.test.users === train.users; // => true
 * split.coldUsers; // => ["c"]
 * split.droppedTestInteractions; // => 1
 * ```
 * @category data
 */
export function alignToTrain(train: Interactions, test: Interactions, options: SplitOptions = {}): InteractionsSplit {
  const fn = "alignToTrain";
  checkInteractions(fn, "train", train);
  checkInteractions(fn, "test", test);
  checkOptions(fn, options);
  return mapIntoTrain(fn, train, test, undefined, resolveColdStart(fn, options.coldStart));
}
