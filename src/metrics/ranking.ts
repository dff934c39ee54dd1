/**
 * Ranking metrics for one user: how well an ordered list of recommended ids finds the user's relevant ids.
 *
 * Shared conventions (every function here):
 * - `recommended` is ordered best first and must not repeat an id (`E_DUPLICATE` names the id and both positions).
 * - Only the first k entries count; a list shorter than k counts its missing slots as misses (the denominators do
 *   not shrink), so a model that returns fewer items is not rewarded for it.
 * - `relevant` is a Set or an array of ids (repeats in an array count once; order never matters). Relevant ids need
 *   not belong to any catalog: an id the model could never recommend is still a relevant item it missed.
 * - A user with no relevant items has no defined value: the functions return `NaN`, and the means over users
 *   ({@link rankingMetricsOverUsers}, {@link meanOverUsers}) skip such users by default or count them as 0.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import {
  averagePrecisionOfHits,
  binaryDcgOfHits,
  checkChoice,
  checkK,
  checkOptions,
  checkRankedList,
  discountTable,
  gradedNdcg,
  markHits,
  reciprocalRankOfHits,
  toIdSet,
  type GainKind,
  type RelevantItems,
} from "./internal.ts";

export type { RelevantItems, GainKind } from "./internal.ts";

/** Options shared by the per-user ranking metrics. @category metrics */
export interface RankingMetricOptions {
  /** The cutoff: only the first k recommended ids count. A positive integer. */
  k: number;
}

/**
 * The denominator of precision@k.
 * - `"k"`: hits / k, the textbook definition (Manning, Raghavan & Schütze 2008, §8.4; cornac's `Precision`,
 *   RecTools' `Precision`).
 * - `"min-k-relevant"`: hits / min(k, |relevant|), so a user with fewer than k relevant items can still reach 1.
 *   This is the denominator of implicit's `precision_at_k` (which also pools hits over users before dividing; see
 *   {@link rankingMetricsOverUsers} for the per-user mean).
 *
 * @category metrics
 */
export type PrecisionDenominator = "k" | "min-k-relevant";

/** Options of {@link precisionAtK}. @category metrics */
export interface PrecisionAtKOptions extends RankingMetricOptions {
  /** See {@link PrecisionDenominator}. @defaultValue "k" */
  denominator?: PrecisionDenominator;
}

/**
 * The denominator of average precision@k.
 * - `"min-k-relevant"`: min(k, |relevant|), so a perfect top-k scores 1 even when the user has more than k relevant
 *   items. Used by implicit's `mean_average_precision_at_k` and by the `apk` of Hamner's ml_metrics (Kaggle's MAP@k).
 * - `"relevant"`: |relevant|, the TREC definition (trec_eval's `map`, and cornac's `MAP`, which ranks every item
 *   so k never truncates); at a cutoff k it cannot reach 1 when |relevant| > k.
 *
 * @category metrics
 */
export type AveragePrecisionDenominator = "min-k-relevant" | "relevant";

/** Options of {@link averagePrecisionAtK}. @category metrics */
export interface AveragePrecisionAtKOptions extends RankingMetricOptions {
  /** See {@link AveragePrecisionDenominator}. @defaultValue "min-k-relevant" */
  denominator?: AveragePrecisionDenominator;
}

/** Options of {@link ndcgAtK}. @category metrics */
export interface NdcgAtKOptions extends RankingMetricOptions {
  /**
   * Graded relevance: the grade of each relevant item (for example its rating). Every relevant item must have a
   * finite grade >= 0; grades of items outside `relevant` are ignored, so one map of a user's test ratings can serve
   * any relevance threshold. Without it every relevant item has grade 1 (binary nDCG).
   * @defaultValue undefined (binary)
   */
  gains?: ReadonlyMap<Id, number>;
  /**
   * How a grade becomes a gain: `"linear"` uses the grade itself (Järvelin & Kekäläinen 2002; trec_eval, sklearn's
   * `ndcg_score`), `"exponential"` uses 2^grade − 1 (Burges et al. 2005; LightGBM, XGBoost). Binary grades give the
   * same gains either way.
   * @defaultValue "linear"
   */
  gain?: GainKind;
}

/** Options of {@link reciprocalRank}. @category metrics */
export interface ReciprocalRankOptions {
  /** Only the first k recommended ids count; a positive integer. @defaultValue the whole list */
  k?: number;
}

function prepare(fn: string, recommended: unknown, relevant: unknown, options: unknown): ReadonlySet<Id> {
  checkOptions(fn, options);
  checkK(fn, (options as { k?: unknown }).k);
  checkRankedList(fn, "recommended", recommended);
  return toIdSet(fn, "relevant", relevant);
}

/** @internal */
export const PRECISION_DENOMINATORS: readonly PrecisionDenominator[] = ["k", "min-k-relevant"];
/** @internal */
export const AVERAGE_PRECISION_DENOMINATORS: readonly AveragePrecisionDenominator[] = ["min-k-relevant", "relevant"];
/** @internal */
export const GAIN_KINDS: readonly GainKind[] = ["linear", "exponential"];

/**
 * Precision@k: the fraction of the top k slots that hold a relevant item, hits@k / k
 * (Manning, Raghavan & Schütze 2008, §8.4), or hits@k / min(k, |relevant|) with `denominator: "min-k-relevant"`
 * (implicit's convention). O(k).
 *
 * @param recommended - the recommended ids, best first, without repeats
 * @param relevant - the user's relevant ids (a Set or an array)
 * @param options - the cutoff k and the denominator
 * @returns a value in [0, 1], or NaN when `relevant` is empty
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when k is not a positive integer or an argument has the wrong type,
 *   `E_DUPLICATE` when `recommended` repeats an id
 * @example
 * ```ts
 * import { precisionAtK } from "nextbest/metrics";
 * precisionAtK(["a", "b", "c", "d"], new Set(["a", "c", "x"]), { k: 4 }); // => 0.5
 * precisionAtK(["a", "b", "c", "d"], ["a", "c", "x"], { k: 4, denominator: "min-k-relevant" }); // => 2 / 3
 * precisionAtK(["a", "a"], ["a"], { k: 2 });
 * // throws NextbestError E_DUPLICATE: "precisionAtK: recommended must not repeat an id, got \"a\" at positions 0 and 1"
 * ```
 * @category metrics
 */
export function precisionAtK(recommended: readonly Id[], relevant: RelevantItems, options: PrecisionAtKOptions): number {
  const fn = "precisionAtK";
  const set = prepare(fn, recommended, relevant, options);
  const denominator = checkChoice(fn, "options.denominator", options.denominator, PRECISION_DENOMINATORS, "k");
  const k = options.k;
  if (set.size === 0) return Number.NaN;
  // Buffers span the list, not k: slots past its end are misses (so a huge k costs nothing).
  const span = Math.min(k, recommended.length);
  const hits = markHits(recommended, set, span, new Uint8Array(span));
  return hits / (denominator === "k" ? k : Math.min(k, set.size));
}

/**
 * Recall@k: the fraction of the relevant items found in the top k, hits@k / |relevant|
 * (Manning, Raghavan & Schütze 2008, §8.4; cornac's and RecTools' `Recall`). O(k + |relevant|) for an array,
 * O(k) for a Set.
 *
 * @param recommended - the recommended ids, best first, without repeats
 * @param relevant - the user's relevant ids (a Set or an array)
 * @param options - the cutoff k
 * @returns a value in [0, 1], or NaN when `relevant` is empty
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when k is not a positive integer or an argument has the wrong type,
 *   `E_DUPLICATE` when `recommended` repeats an id
 * @example
 * ```ts
 * import { recallAtK } from "nextbest/metrics";
 * recallAtK(["a", "b", "c", "d"], ["a", "c", "x"], { k: 4 }); // => 2 / 3
 * recallAtK(["a", "b"], ["a", "c"], { k: 5 }); // => 0.5
 * ```
 * @category metrics
 */
export function recallAtK(recommended: readonly Id[], relevant: RelevantItems, options: RankingMetricOptions): number {
  const set = prepare("recallAtK", recommended, relevant, options);
  if (set.size === 0) return Number.NaN;
  const span = Math.min(options.k, recommended.length);
  return markHits(recommended, set, span, new Uint8Array(span)) / set.size;
}

/**
 * F1@k: the harmonic mean of precision@k (denominator k) and recall@k, 2·P·R / (P + R), and 0 when both are 0
 * (van Rijsbergen 1979; cornac's `FMeasure`). Equivalently 2·hits / (k + |relevant|). O(k).
 *
 * @param recommended - the recommended ids, best first, without repeats
 * @param relevant - the user's relevant ids (a Set or an array)
 * @param options - the cutoff k
 * @returns a value in [0, 1], or NaN when `relevant` is empty
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when k is not a positive integer or an argument has the wrong type,
 *   `E_DUPLICATE` when `recommended` repeats an id
 * @example
 * ```ts
 * import { f1AtK } from "nextbest/metrics";
 * // precision 2/4, recall 2/3: 2 · (1/2 · 2/3) / (1/2 + 2/3) = 4/7
 * f1AtK(["a", "b", "c", "d"], ["a", "c", "x"], { k: 4 }); // => 4 / 7
 * ```
 * @category metrics
 */
export function f1AtK(recommended: readonly Id[], relevant: RelevantItems, options: RankingMetricOptions): number {
  const set = prepare("f1AtK", recommended, relevant, options);
  if (set.size === 0) return Number.NaN;
  const span = Math.min(options.k, recommended.length);
  const hits = markHits(recommended, set, span, new Uint8Array(span));
  return (2 * hits) / (options.k + set.size);
}

/**
 * Hit rate@k (HR@k): 1 when at least one relevant item is in the top k, else 0; its mean over users is the share of
 * users with a hit (Deshpande & Karypis 2004; cornac's `HitRatio`). O(k).
 *
 * @param recommended - the recommended ids, best first, without repeats
 * @param relevant - the user's relevant ids (a Set or an array)
 * @param options - the cutoff k
 * @returns 0 or 1, or NaN when `relevant` is empty
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when k is not a positive integer or an argument has the wrong type,
 *   `E_DUPLICATE` when `recommended` repeats an id
 * @example
 * ```ts
 * import { hitRateAtK } from "nextbest/metrics";
 * hitRateAtK(["a", "b", "c"], ["c"], { k: 3 }); // => 1
 * hitRateAtK(["a", "b", "c"], ["c"], { k: 2 }); // => 0
 * ```
 * @category metrics
 */
export function hitRateAtK(recommended: readonly Id[], relevant: RelevantItems, options: RankingMetricOptions): number {
  const set = prepare("hitRateAtK", recommended, relevant, options);
  if (set.size === 0) return Number.NaN;
  const span = Math.min(options.k, recommended.length);
  return markHits(recommended, set, span, new Uint8Array(span)) > 0 ? 1 : 0;
}

/**
 * nDCG@k, normalized discounted cumulative gain (Järvelin & Kekäläinen 2002): DCG@k / IDCG@k with
 * DCG@k = Σ_{rank r ≤ k} gain(item at r) / log2(r + 1), and IDCG@k the DCG of the ideal order, the relevant items
 * sorted by gain, truncated at k. Binary by default (gain 1 for a relevant item, 0 otherwise; as cornac's and
 * implicit's `ndcg`), graded with `options.gains` (linear gains by default, 2^grade − 1 with `gain: "exponential"`).
 * O(k) binary, O(k + |relevant| log |relevant|) graded.
 *
 * @param recommended - the recommended ids, best first, without repeats
 * @param relevant - the user's relevant ids (a Set or an array)
 * @param options - the cutoff k, optional grades and the gain function
 * @returns a value in [0, 1]; NaN when `relevant` is empty; 0 when every relevant grade is 0 (as sklearn's
 *   `ndcg_score`)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when k is not a positive integer, an argument has the wrong type,
 *   a grade is negative or a relevant item has no grade, `E_NON_FINITE` for a non-finite grade, `E_DUPLICATE` when
 *   `recommended` repeats an id
 * @example
 * ```ts
 * import { ndcgAtK } from "nextbest/metrics";
 * // DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) ≈ 1.6309
 * ndcgAtK(["a", "b", "c"], ["a", "c"], { k: 3 }).toFixed(4); // => "0.9197"
 * // graded: DCG = 3 + 0 + 1/2 = 3.5; IDCG = 3 + 1/log2(3) ≈ 3.6309
 * ndcgAtK(["a", "b", "c"], ["a", "c"], { k: 3, gains: new Map([["a", 3], ["c", 1]]) }).toFixed(4); // => "0.9639"
 * ```
 * @category metrics
 */
export function ndcgAtK(recommended: readonly Id[], relevant: RelevantItems, options: NdcgAtKOptions): number {
  const fn = "ndcgAtK";
  const set = prepare(fn, recommended, relevant, options);
  const gain = checkChoice(fn, "options.gain", options.gain, GAIN_KINDS, "linear");
  const grades = options.gains;
  if (grades !== undefined && !(grades instanceof Map)) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.gains must be a Map of item id to grade, got ${describeValue(grades)}`,
    );
  }
  const k = options.k;
  if (set.size === 0) return Number.NaN;
  // Discounts for the ranks that can count: the list's and the ideal list's, never more than k.
  const span = Math.min(k, recommended.length);
  const discounts = discountTable(Math.max(span, Math.min(k, set.size)));
  if (grades !== undefined) {
    return gradedNdcg(fn, "options.gains", recommended, set, grades, gain, k, discounts, new Float64Array(set.size));
  }
  const hits = new Uint8Array(span);
  markHits(recommended, set, span, hits);
  const dcg = binaryDcgOfHits(hits, span, discounts);
  let idcg = 0;
  const m = Math.min(k, set.size);
  for (let i = 0; i < m; i++) idcg += discounts[i]!;
  return dcg / idcg;
}

/**
 * Average precision@k: the mean of precision@r over the ranks r ≤ k that hold a relevant item, with the sum divided
 * by min(k, |relevant|) (default; implicit, ml_metrics) or by |relevant| (`denominator: "relevant"`; trec_eval).
 * Its mean over users is MAP@k. O(k).
 *
 * @param recommended - the recommended ids, best first, without repeats
 * @param relevant - the user's relevant ids (a Set or an array)
 * @param options - the cutoff k and the denominator
 * @returns a value in [0, 1], or NaN when `relevant` is empty
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when k is not a positive integer or an argument has the wrong type,
 *   `E_DUPLICATE` when `recommended` repeats an id
 * @example
 * ```ts
 * import { averagePrecisionAtK } from "nextbest/metrics";
 * // hits at ranks 1 and 3: (1/1 + 2/3) / min(4, 3)
 * averagePrecisionAtK(["a", "b", "c", "d"], ["a", "c", "x"], { k: 4 }); // => (1 + 2 / 3) / 3
 * // hits at ranks 1 and 2 of k = 2, four relevant items: (1 + 1) / 2 vs (1 + 1) / 4
 * averagePrecisionAtK(["a", "b"], ["a", "b", "c", "d"], { k: 2 }); // => 1
 * averagePrecisionAtK(["a", "b"], ["a", "b", "c", "d"], { k: 2, denominator: "relevant" }); // => 0.5
 * ```
 * @category metrics
 */
export function averagePrecisionAtK(
  recommended: readonly Id[],
  relevant: RelevantItems,
  options: AveragePrecisionAtKOptions,
): number {
  const fn = "averagePrecisionAtK";
  const set = prepare(fn, recommended, relevant, options);
  const denominator = checkChoice(
    fn,
    "options.denominator",
    options.denominator,
    AVERAGE_PRECISION_DENOMINATORS,
    "min-k-relevant",
  );
  const k = options.k;
  if (set.size === 0) return Number.NaN;
  const span = Math.min(k, recommended.length);
  const hits = new Uint8Array(span);
  markHits(recommended, set, span, hits);
  return averagePrecisionOfHits(hits, span, denominator === "relevant" ? set.size : Math.min(k, set.size));
}

/**
 * Reciprocal rank: 1 / the rank of the first relevant item (within the first k when k is given), 0 when none is
 * found; its mean over users is MRR (Voorhees 1999, TREC-8 QA). O(k).
 *
 * @param recommended - the recommended ids, best first, without repeats
 * @param relevant - the user's relevant ids (a Set or an array)
 * @param options - an optional cutoff k
 * @returns a value in [0, 1], or NaN when `relevant` is empty
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when k is given and is not a positive integer or an argument has
 *   the wrong type, `E_DUPLICATE` when `recommended` repeats an id
 * @example
 * ```ts
 * import { reciprocalRank } from "nextbest/metrics";
 * reciprocalRank(["a", "b", "c"], ["c", "x"]); // => 1 / 3
 * reciprocalRank(["a", "b", "c"], ["c", "x"], { k: 2 }); // => 0
 * ```
 * @category metrics
 */
export function reciprocalRank(
  recommended: readonly Id[],
  relevant: RelevantItems,
  options: ReciprocalRankOptions = {},
): number {
  const fn = "reciprocalRank";
  checkOptions(fn, options);
  if (options.k !== undefined) checkK(fn, options.k);
  checkRankedList(fn, "recommended", recommended);
  const set = toIdSet(fn, "relevant", relevant);
  if (set.size === 0) return Number.NaN;
  const k = options.k === undefined ? recommended.length : Math.min(options.k, recommended.length);
  const hits = new Uint8Array(k);
  markHits(recommended, set, k, hits);
  return reciprocalRankOfHits(hits, k);
}
