/**
 * Per-user AUC of a ranking against the user's unseen catalog.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import { checkOptions, checkRankedList, toIdSet, type RelevantItems } from "./internal.ts";

/** Options of {@link aucForUser}. @category metrics */
export interface AucForUserOptions {
  /** Every item that could be recommended (a Set or an array of ids). */
  catalog: ReadonlySet<Id> | readonly Id[];
  /**
   * Items the user has already seen (typically the training items): they are neither positives nor negatives, and
   * entries of `ranked` among them are ignored.
   * @defaultValue no item
   */
  seen?: ReadonlySet<Id> | readonly Id[];
}

/**
 * The AUC of one user's ranking: the probability that a relevant item ranks above a non-relevant one, over every pair
 * (positive, negative) of candidates, where the candidates are the catalog minus the seen items, the positives are the
 * relevant candidates and the negatives all other candidates (Rendle et al. 2009, BPR, eq. 1; cornac's and implicit's
 * per-user AUC). Exact for a full ranking of the candidates; with a partial ranking (a top-k list) the candidates it
 * leaves out tie below every ranked one and a tied pair counts 1/2, which is the same as the AUC of scores that put
 * every unranked candidate at one lowest score. Ids in `ranked` outside the candidates (seen, or not in the catalog)
 * are ignored; relevant ids outside the candidates are not positives. O(|catalog| + |seen| + |ranked| + |relevant|).
 *
 * @param ranked - candidate ids, best first, without repeats: a full ranking, or only its top part
 * @param relevant - the user's relevant ids (a Set or an array)
 * @param options - the catalog and the seen items
 * @returns a value in [0, 1], or NaN when there is no positive or no negative candidate
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when an argument has the wrong type, `E_DUPLICATE` when `ranked`
 *   repeats an id
 * @example
 * ```ts
 * import { aucForUser } from "nextbest/metrics";
 * const catalog = ["a", "b", "c", "d", "e"];
 * // candidates a, b, c, d ("e" is seen); positives a, c; negatives b, d
 * // pairs: (a,b) (a,d) (c,d) won, (c,b) lost: 3 / 4
 * aucForUser(["a", "b", "c", "d"], ["a", "c"], { catalog, seen: ["e"] }); // => 0.75
 * // only the top 2: c and d tie below; (a,b) (a,d) won, (c,b) lost, (c,d) tied: 2.5 / 4
 * aucForUser(["a", "b"], ["a", "c"], { catalog, seen: ["e"] }); // => 0.625
 * ```
 * @category metrics
 */
export function aucForUser(ranked: readonly Id[], relevant: RelevantItems, options: AucForUserOptions): number {
  const fn = "aucForUser";
  checkOptions(fn, options);
  checkRankedList(fn, "ranked", ranked);
  const positivesSet = toIdSet(fn, "relevant", relevant);
  if (options.catalog === undefined) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.catalog must be a Set or an array of ids, got ${describeValue(options.catalog)}`,
    );
  }
  const catalog = toIdSet(fn, "options.catalog", options.catalog);
  const seen = options.seen === undefined ? new Set<Id>() : toIdSet(fn, "options.seen", options.seen);
  let seenInCatalog = 0;
  for (const item of seen) if (catalog.has(item)) seenInCatalog++;
  const candidates = catalog.size - seenInCatalog;
  let positives = 0;
  for (const item of positivesSet) if (catalog.has(item) && !seen.has(item)) positives++;
  const negatives = candidates - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  let negativesAbove = 0;
  let rankedPositives = 0;
  let won = 0;
  for (let i = 0; i < ranked.length; i++) {
    const item = ranked[i]!;
    if (!catalog.has(item) || seen.has(item)) continue;
    if (positivesSet.has(item)) {
      won += negatives - negativesAbove;
      rankedPositives++;
    } else {
      negativesAbove++;
    }
  }
  won += 0.5 * (positives - rankedPositives) * (negatives - negativesAbove);
  return won / (positives * negatives);
}
