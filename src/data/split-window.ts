/**
 * Temporal windows: train before a cut-off, test inside a window after it.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Interactions } from "./types.ts";
import {
  assembleSplit,
  checkInteractions,
  checkOptions,
  filterEntries,
  resolveColdStart,
  type InteractionsSplit,
  type SplitOptions,
} from "./split-common.ts";

/**
 * Options of {@link splitTemporalWindow}.
 *
 * @category data
 */
export interface SplitTemporalWindowOptions extends SplitOptions {
  /** Rows with a timestamp before this train; in the dataset's own timestamp unit. Required. */
  cutoff: number;
  /** Rows at or after `cutoff` and before `end` test; rows from `end` on are in neither part. @defaultValue Infinity */
  end?: number;
}

/**
 * A temporal window split: the usual train/test pair, and the test part's products that are new to each account.
 *
 * @category data
 */
export interface TemporalWindowSplit extends InteractionsSplit {
  /** Rows before this timestamp are in train. */
  readonly cutoff: number;
  /** Rows at or after `cutoff` and before this timestamp are in test (`Infinity`: no end). */
  readonly end: number;
  /**
   * The test pairs whose (user, item) pair has no row in train: what each account bought in the window that it had
   * never bought before (same index spaces as `test`). `test` itself holds every pair bought in the window, repeat
   * purchases included.
   */
  readonly newPairs: Interactions;
}

/**
 * Splits at a cut-off and keeps a test window after it: the protocol of "what will each account buy next quarter",
 * with the window's repeat purchases and new products told apart.
 *
 * Rows are cut one by one (`data.events`), so a product an account bought before the cut-off and again in the window
 * is in train (its earlier rows) and in `test` (its rows in the window), and not in `newPairs`. Test rows of accounts
 * or products without a train row are dropped and counted (or kept with `coldStart: "keep"`), as {@link splitTemporal}.
 * O(rows + users + items).
 *
 * @param data - the interactions, with timestamps
 * @param options - `cutoff` (required), `end` (default no end), `coldStart` (default `"drop"`)
 * @returns train, test, the pairs new in test, and the cold ids
 * @throws {@link core!NextbestError} `E_BAD_INPUT` without timestamps, for a missing or NaN `cutoff`, or an `end` not
 *   after `cutoff`; `E_EMPTY` when no row is before the cut-off
 * @example
 * ```ts
 * import { createInteractions, splitTemporalWindow, userItems } from "nextbest/data";
 * const data = createInteractions([
 *   { user: "acme", item: "crm", timestamp: 1 },
 *   { user: "acme", item: "crm", timestamp: 12 },
 *   { user: "acme", item: "erp", timestamp: 15 },
 *   { user: "acme", item: "hr", timestamp: 2 },
 *   { user: "acme", item: "hr", timestamp: 40 },
 *   { user: "bolt", item: "erp", timestamp: 3 },
 * ]);
 * const split = splitTemporalWindow(data, { cutoff: 10, end: 30 });
 * userItems(split.test, "acme").items; // => ["crm", "erp"]
 * userItems(split.newPairs, "acme").items; // => ["erp"]
 * ```
 * @category data
 */
export function splitTemporalWindow(data: Interactions, options: SplitTemporalWindowOptions): TemporalWindowSplit {
  const fn = "splitTemporalWindow";
  checkInteractions(fn, "data", data);
  checkOptions(fn, options);
  const timestamps = data.timestamps;
  if (timestamps === undefined) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: data must have timestamps, got a dataset without them`);
  }
  const coldStart = resolveColdStart(fn, options.coldStart);
  const { cutoff } = options;
  if (typeof cutoff !== "number" || Number.isNaN(cutoff)) {
    throw new NextbestError(
      typeof cutoff === "number" ? "E_NON_FINITE" : "E_BAD_INPUT",
      `${fn}: options.cutoff must be a number, got ${describeValue(cutoff)}`,
    );
  }
  const end = options.end ?? Number.POSITIVE_INFINITY;
  if (typeof end !== "number" || !(end > cutoff)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.end must be a number after options.cutoff (${cutoff}), got ${describeValue(end)}`);
  }
  const times = data.events?.timestamps ?? timestamps;
  // 0 = train, 1 = test, 2 = after the window (in neither part).
  const side = new Uint8Array(times.length);
  for (let e = 0; e < times.length; e++) {
    const t = times[e]!;
    side[e] = t < cutoff ? 0 : t < end ? 1 : 2;
  }
  const split = assembleSplit(fn, data, side, coldStart, data.events !== undefined);
  const { train, test } = split;
  // A test pair is new when train has no row of the same (user, item) pair.
  const { indptr, indices } = test.byUser;
  const keep = new Uint8Array(indices.length);
  for (let u = 0; u < test.users.ids.length; u++) {
    const trainUser = train.users.lookup.get(test.users.ids[u]!);
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
      if (trainUser === undefined) {
        keep[p] = 1;
        continue;
      }
      const trainItem = train.items.lookup.get(test.items.ids[indices[p]!]!);
      keep[p] = trainItem === undefined || !hasEntry(train, trainUser, trainItem) ? 1 : 0;
    }
  }
  const newPairs = filterEntries(fn, test, keep);
  return Object.freeze({ ...split, cutoff, end, newPairs });
}

// Whether `data` stores the pair (user, item): binary search of the user's ascending item indices.
function hasEntry(data: Interactions, user: number, item: number): boolean {
  const { indptr, indices } = data.byUser;
  let low = indptr[user]!;
  let high = indptr[user + 1]! - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = indices[mid]!;
    if (value === item) return true;
    if (value < item) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}
