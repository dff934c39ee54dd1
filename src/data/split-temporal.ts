/**
 * Global temporal cut-off.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Interactions } from "./types.ts";
import {
  assembleSplit,
  checkFraction,
  checkInteractions,
  checkOptions,
  resolveColdStart,
  type InteractionsSplit,
  type SplitOptions,
} from "./split-common.ts";

/** Options of {@link splitTemporal}: give exactly one of `cutoff` and `testFraction`. @category data */
export interface SplitTemporalOptions extends SplitOptions {
  /** Interactions with a timestamp >= this go to test, in the dataset's own timestamp unit. */
  cutoff?: number;
  /**
   * Alternatively, the share of the latest interactions to hold out, in (0, 1): the cut-off becomes the
   * timestamp at that quantile. Used when `cutoff` is not given. @defaultValue 0.2
   */
  testFraction?: number;
}

/** A temporal split with the cut-off it used. @category data */
export interface TemporalSplit extends InteractionsSplit {
  /** Interactions at or after this timestamp are in test (`Infinity` when nothing was held out). */
  readonly cutoff: number;
}

/**
 * Splits by one global point in time: everything before the cut-off trains, everything from it on tests,
 * the way a model deployed on a date meets the future.
 *
 * The cut falls between events, not merged pairs: a (user, item) pair with rows on both sides of the cut-off is in
 * train with the value of its earlier rows and in test with the value of its later rows (datasets built by
 * nextbest keep every row's time in `data.events`). So "new to the account" in test means "not in train", and
 * nothing bought before the cut-off is lost from train.
 *
 * With `testFraction` the cut-off is the timestamp of the `round(testFraction × n)`-th latest interaction;
 * interactions sharing the cut-off timestamp all go to test, so ties never straddle the cut and the test share
 * can exceed the fraction. Needs timestamps. O(n log n) for the quantile, O(n + users + items) otherwise.
 *
 * @param data - the interactions, with timestamps
 * @param options - `cutoff` or `testFraction` (default 0.2), `coldStart` (default `"drop"`)
 * @returns the train/test pair and the cut-off used
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when the data has no timestamps, both or an invalid `cutoff` /
 *   `testFraction` are given; `E_EMPTY` when no interaction is before the cut-off
 * @example
 * ```ts
 * import { createInteractions, interactionCount, splitTemporal } from "nextbest/data";
 * const rows = [1, 2, 3, 4, 5].map((day) => ({ user: "acme", item: `p${day}`, timestamp: day }));
 * const { train, test, cutoff } = splitTemporal(createInteractions(rows), { testFraction: 0.4 });
 * cutoff; // => 4
 * [interactionCount(train), interactionCount(test)]; // => [3, 0]
 * // A repeat purchase after the cut-off: the pair trains on its first purchase and tests on its second.
 * const repeat = createInteractions([
 *   { user: "acme", item: "crm", timestamp: 1 },
 *   { user: "acme", item: "crm", timestamp: 5 },
 * ]);
 * const cut = splitTemporal(repeat, { cutoff: 3 });
 * [interactionCount(cut.train), interactionCount(cut.test)]; // => [1, 1]
 * splitTemporal(createInteractions(rows), { cutoff: 4, coldStart: "keep" }).coldItems; // => ["p4", "p5"]
 * ```
 * @category data
 */
export function splitTemporal(data: Interactions, options: SplitTemporalOptions = {}): TemporalSplit {
  const fn = "splitTemporal";
  checkInteractions(fn, "data", data);
  checkOptions(fn, options);
  const timestamps = data.timestamps;
  if (timestamps === undefined) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: data must have timestamps, got a dataset without them`);
  }
  const coldStart = resolveColdStart(fn, options.coldStart);
  // Cut the events (each row as given), not the merged pairs: a product bought before and after the cut-off trains on
  // its earlier purchases and tests on its later ones. Datasets built without events are cut per stored entry.
  const times = data.events?.timestamps ?? timestamps;
  const n = times.length;
  let cutoff: number;
  if (options.cutoff !== undefined) {
    if (options.testFraction !== undefined) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options must give cutoff or testFraction, not both, got both`);
    }
    cutoff = options.cutoff;
    if (typeof cutoff !== "number" || Number.isNaN(cutoff)) {
      throw new NextbestError(
        typeof cutoff === "number" ? "E_NON_FINITE" : "E_BAD_INPUT",
        `${fn}: options.cutoff must be a number, got ${describeValue(cutoff)}`,
      );
    }
  } else {
    const testFraction = options.testFraction ?? 0.2;
    checkFraction(fn, "options.testFraction", testFraction);
    const testCount = Math.round(testFraction * n);
    if (testCount === 0) cutoff = Number.POSITIVE_INFINITY;
    else cutoff = Float64Array.from(times).sort()[n - testCount]!;
  }
  const isTest = new Uint8Array(n);
  for (let p = 0; p < n; p++) isTest[p] = times[p]! >= cutoff ? 1 : 0;
  return Object.freeze({ ...assembleSplit(fn, data, isTest, coldStart, data.events !== undefined), cutoff });
}
