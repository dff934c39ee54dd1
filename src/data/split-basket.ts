/**
 * Basket completion: hide one item of each recent basket.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { createRandom, randomInt } from "../core/random.ts";
import type { Seed } from "../core/random.ts";
import { assertInteger } from "../internal/validate.ts";
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

/**
 * Options of {@link splitBasketCompletion}.
 *
 * @category data
 */
export interface SplitBasketCompletionOptions extends SplitOptions {
  /** Seed of the choice of the hidden item; the same seed hides the same items. Required. */
  seed: Seed;
  /**
   * Only baskets whose latest timestamp is at or after this are test baskets (the others train whole), so the
   * model meets recent baskets as it would in use. Needs timestamps when given.
   * @defaultValue -Infinity (every basket)
   */
  from?: number;
  /** Baskets with fewer distinct items than this train whole (a basket of one has nothing left to complete). @defaultValue 2 */
  minBasketSize?: number;
  /** How many items to hide per test basket, at least 1 and below `minBasketSize`. @defaultValue 1 */
  hide?: number;
}

/**
 * Splits baskets (users = baskets such as invoices or orders, items = their products) for the basket-completion
 * protocol: from each test basket `hide` items are drawn at random (seeded) into test, the rest of the basket and
 * every other basket train. A model then completes each basket from its visible items: the test of
 * "customers who put these in the basket also need …", where short baskets make collaborative filtering hard.
 *
 * Hidden items the train part never saw are dropped and counted (`coldStart: "drop"`, the default), or kept.
 * O(rows + baskets + items).
 *
 * @param baskets - the basket × item interactions (timestamps needed only with `from`)
 * @param options - `seed` (required), `from`, `minBasketSize` (default 2), `hide` (default 1), `coldStart`
 * @returns train (visible items and non-test baskets) and test (the hidden items)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a missing seed, `from` without timestamps, a `minBasketSize`
 *   below 2 or a `hide` not below it
 * @example
 * ```ts
 * import { createInteractions, interactionCount, splitBasketCompletion } from "nextbest/data";
 * const baskets = createInteractions([
 *   { user: "invoice-1", item: "tea" }, { user: "invoice-1", item: "mug" }, { user: "invoice-1", item: "cake" },
 *   { user: "invoice-2", item: "tea" }, { user: "invoice-2", item: "mug" },
 *   { user: "invoice-3", item: "cake" },
 * ]);
 * const split = splitBasketCompletion(baskets, { seed: 1 });
 * [interactionCount(split.train), interactionCount(split.test)]; // => [4, 2]
 * split.test.users.ids; // => ["invoice-1", "invoice-2", "invoice-3"]
 * ```
 * @category data
 */
export function splitBasketCompletion(baskets: Interactions, options: SplitBasketCompletionOptions): InteractionsSplit {
  const fn = "splitBasketCompletion";
  checkInteractions(fn, "baskets", baskets);
  checkOptions(fn, options);
  checkSeed(fn, options.seed);
  const coldStart = resolveColdStart(fn, options.coldStart);
  const minBasketSize = options.minBasketSize ?? 2;
  assertInteger(fn, "options.minBasketSize", minBasketSize, 2);
  const hide = options.hide ?? 1;
  assertInteger(fn, "options.hide", hide, 1);
  if (hide >= minBasketSize) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.hide must be below options.minBasketSize (${minBasketSize}), got ${describeValue(hide)}`);
  }
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  if (typeof from !== "number" || Number.isNaN(from)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.from must be a number, got ${describeValue(from)}`);
  }
  const timestamps = baskets.timestamps;
  if (options.from !== undefined && timestamps === undefined) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: baskets must have timestamps when options.from is given, got a dataset without them`);
  }
  const random = createRandom(options.seed);
  const { indptr, rows } = baskets.byUser;
  const isTest = new Uint8Array(indptr[rows]!);
  for (let b = 0; b < rows; b++) {
    const start = indptr[b]!;
    const size = indptr[b + 1]! - start;
    if (size < minBasketSize) continue;
    if (timestamps !== undefined) {
      let latest = Number.NEGATIVE_INFINITY;
      for (let p = start; p < start + size; p++) if (timestamps[p]! > latest) latest = timestamps[p]!;
      if (latest < from) continue;
    }
    // Partial Fisher–Yates over the basket's positions: `hide` distinct positions, uniformly.
    const positions = Array.from({ length: size }, (_, k) => start + k);
    for (let h = 0; h < hide; h++) {
      const pick = h + randomInt(random, size - h);
      const chosen = positions[pick]!;
      positions[pick] = positions[h]!;
      positions[h] = chosen;
      isTest[chosen] = 1;
    }
  }
  return assembleSplit(fn, baskets, isTest, coldStart);
}
