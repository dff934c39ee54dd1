/**
 * Per-user leave-last-n-out by time.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Interactions } from "./types.ts";
import {
  assembleSplit,
  checkInteractions,
  checkOptions,
  resolveColdStart,
  type InteractionsSplit,
  type SplitOptions,
} from "./split-common.ts";

/** Options of {@link splitLeaveLastOut}. @category data */
export interface SplitLeaveLastOutOptions extends SplitOptions {
  /** How many of each user's latest interactions to hold out. @defaultValue 1 */
  count?: number;
  /** Users with fewer interactions than this keep them all in train; at least `count + 1`. @defaultValue count + 1 */
  minInteractions?: number;
}

/**
 * Holds out each user's `count` latest interactions (leave-last-n-out), the usual protocol for next-item
 * recommendation: predict what an account buys next from what it bought before.
 *
 * Order is by timestamp; equal timestamps break by item index (the later-indexed item counts as later), so
 * the split is deterministic. Users with fewer than `minInteractions` keep everything in train. Needs timestamps.
 * O(n log d) for users of at most d interactions.
 *
 * @param data - the interactions, with timestamps
 * @param options - `count` (default 1), `minInteractions` (default `count + 1`), `coldStart` (default `"drop"`)
 * @returns the train/test pair, see {@link InteractionsSplit}
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when the data has no timestamps, `count` is not a positive integer
 *   or `minInteractions` is not an integer > `count`
 * @example
 * ```ts
 * import { createInteractions, splitLeaveLastOut, userItems } from "nextbest/data";
 * const data = createInteractions([
 *   { user: "acme", item: "crm", timestamp: 3 },
 *   { user: "acme", item: "erp", timestamp: 1 },
 *   { user: "acme", item: "hr", timestamp: 2 },
 *   { user: "globex", item: "crm", timestamp: 5 },
 * ]);
 * const { train, test } = splitLeaveLastOut(data, { count: 1 });
 * userItems(test, "acme").items; // => ["crm"]
 * userItems(train, "acme").items; // => ["erp", "hr"]
 * userItems(train, "globex").items; // => ["crm"]
 * ```
 * @category data
 */
export function splitLeaveLastOut(data: Interactions, options: SplitLeaveLastOutOptions = {}): InteractionsSplit {
  const fn = "splitLeaveLastOut";
  checkInteractions(fn, "data", data);
  checkOptions(fn, options);
  const timestamps = data.timestamps;
  if (timestamps === undefined) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: data must have timestamps, got a dataset without them`);
  }
  const count = options.count ?? 1;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.count must be a positive integer, got ${describeValue(count)}`);
  }
  const minInteractions = options.minInteractions ?? count + 1;
  if (typeof minInteractions !== "number" || !Number.isInteger(minInteractions) || minInteractions <= count) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.minInteractions must be an integer > count (${count}), got ${describeValue(minInteractions)}`,
    );
  }
  const coldStart = resolveColdStart(fn, options.coldStart);
  const { indptr, rows } = data.byUser;
  const isTest = new Uint8Array(indptr[rows]!);
  for (let u = 0; u < rows; u++) {
    const start = indptr[u]!;
    const end = indptr[u + 1]!;
    if (end - start < minInteractions) continue;
    // Positions within a row are in item-index order, so (timestamp, position) is (timestamp, item index).
    const positions = Array.from({ length: end - start }, (_, k) => start + k);
    positions.sort((a, b) => timestamps[a]! - timestamps[b]! || a - b);
    for (let k = positions.length - count; k < positions.length; k++) isTest[positions[k]!] = 1;
  }
  return assembleSplit(fn, data, isTest, coldStart);
}
