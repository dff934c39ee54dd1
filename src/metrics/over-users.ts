/**
 * Ranking metrics for many users at once, with per-user values and their means, and the mean of any per-user metric.
 *
 * @module
 */
import { scaleFor } from "../internal/scale.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import { assertArrayLike } from "../internal/validate.ts";
import {
  averagePrecisionOfHits,
  binaryDcgOfHits,
  checkChoice,
  checkK,
  checkOptions,
  checkRankedList,
  compensatedSum,
  createRepeatScratch,
  findRepeat,
  cumulativeDiscounts,
  discountTable,
  gradedNdcg,
  markHits,
  checkIds,
  reciprocalRankOfHits,
  toIdSet,
  type GainKind,
  type RelevantItems,
} from "./internal.ts";
import {
  AVERAGE_PRECISION_DENOMINATORS,
  GAIN_KINDS,
  PRECISION_DENOMINATORS,
  type AveragePrecisionDenominator,
  type PrecisionDenominator,
} from "./ranking.ts";

/**
 * The ranking metrics {@link rankingMetricsOverUsers} computes, each exactly as its per-user function:
 * `precision` ({@link precisionAtK}), `recall` ({@link recallAtK}), `f1` ({@link f1AtK}), `hitRate`
 * ({@link hitRateAtK}), `ndcg` ({@link ndcgAtK}), `averagePrecision` ({@link averagePrecisionAtK}; its mean is MAP@k)
 * and `reciprocalRank` ({@link reciprocalRank} within the top k; its mean is MRR@k).
 *
 * @category metrics
 */
export type RankingMetricName = "precision" | "recall" | "f1" | "hitRate" | "ndcg" | "averagePrecision" | "reciprocalRank";

/** Every {@link RankingMetricName}, in a fixed display order. @category metrics */
export const RANKING_METRIC_NAMES: readonly RankingMetricName[] = Object.freeze([
  "precision",
  "recall",
  "f1",
  "hitRate",
  "ndcg",
  "averagePrecision",
  "reciprocalRank",
] as const);

/**
 * What happens to a user without relevant items, whose ranking metrics are undefined:
 * `"skip"` leaves the user out of the mean (cornac, RecTools and implicit evaluate only users with test items);
 * `"zero"` counts the user with value 0 for every metric.
 *
 * @category metrics
 */
export type EmptyRelevantPolicy = "skip" | "zero";

/** Options of {@link rankingMetricsOverUsers}. @category metrics */
export interface RankingMetricsOverUsersOptions {
  /** The cutoff: only the first k recommended ids of each list count. A positive integer. */
  k: number;
  /** What happens to users without relevant items, see {@link EmptyRelevantPolicy}. @defaultValue "skip" */
  emptyRelevant?: EmptyRelevantPolicy;
  /**
   * The users to evaluate, in this order. Users without a list get an empty list (every slot a miss).
   * @defaultValue the keys of `relevant`, then the keys of `lists` not in `relevant`
   */
  users?: readonly Id[];
  /** Denominator of precision, see {@link PrecisionDenominator}. @defaultValue "k" */
  precisionDenominator?: PrecisionDenominator;
  /** Denominator of average precision, see {@link AveragePrecisionDenominator}. @defaultValue "min-k-relevant" */
  averagePrecisionDenominator?: AveragePrecisionDenominator;
  /**
   * Graded relevance for nDCG: per user, the grade of each relevant item (as `gains` of {@link ndcgAtK}). Users
   * missing from this map get binary nDCG.
   * @defaultValue undefined (binary nDCG for every user)
   */
  gains?: ReadonlyMap<Id, ReadonlyMap<Id, number>>;
  /** How a grade becomes a gain, as in {@link NdcgAtKOptions}. @defaultValue "linear" */
  gain?: GainKind;
}

/** Per metric, one value per evaluated user, aligned with {@link RankingMetricsOverUsersResult.users}. @category metrics */
export type RankingMetricValues = { readonly [name in RankingMetricName]: Float64Array };

/** Per metric, the mean over the evaluated users (NaN when no user was evaluated). @category metrics */
export type RankingMetricMeans = { readonly [name in RankingMetricName]: number };

/** What {@link rankingMetricsOverUsers} returns. @category metrics */
export interface RankingMetricsOverUsersResult {
  /** The cutoff used. */
  readonly k: number;
  /** The evaluated users, in evaluation order; `perUser.<metric>[u]` belongs to `users[u]`. */
  readonly users: readonly Id[];
  /** Per metric, the value of each evaluated user (paired comparisons and bootstraps start here). */
  readonly perUser: RankingMetricValues;
  /** Per metric, the mean over the evaluated users, equal to the mean of `perUser` (compensated sum). */
  readonly mean: RankingMetricMeans;
  /** Users left out because they had no relevant items (empty with `emptyRelevant: "zero"`). */
  readonly skippedUsers: readonly Id[];
  /**
   * Pooled (micro-averaged) ratios over the evaluated users: `precision` = Σ hits / Σ precision denominators and
   * `recall` = Σ hits / Σ |relevant|. With `precisionDenominator: "min-k-relevant"`, `pooled.precision` is exactly
   * implicit's `precision_at_k` (Σ hits / Σ min(k, |relevant|)). NaN when no user with relevant items was evaluated.
   */
  readonly pooled: PooledRankingMetrics;
}

/** Pooled (micro-averaged) precision and recall, see {@link RankingMetricsOverUsersResult.pooled}. @category metrics */
export interface PooledRankingMetrics {
  /** Σ hits / Σ precision denominators over the evaluated users with relevant items. */
  readonly precision: number;
  /** Σ hits / Σ |relevant| over the evaluated users with relevant items. */
  readonly recall: number;
}

const EMPTY_LIST: readonly Id[] = Object.freeze([]);
const EMPTY_SET: ReadonlySet<Id> = new Set<Id>();

/**
 * Every ranking metric for many users in one pass: each user's hits in the top k are found once (k Set lookups) and
 * all seven metrics computed from them, exactly as the per-user functions define them (see {@link RankingMetricName}).
 * The mean of a metric is the plain mean of its per-user values over the evaluated users (a macro average, as
 * cornac's and RecTools' user-averaged metrics); users without relevant items are skipped by default
 * ({@link EmptyRelevantPolicy}). O(Σ_users (k + |relevant|)); 100,000 users at k = 20 take tens of milliseconds.
 *
 * @param lists - each user's recommended ids, best first, without repeats
 * @param relevant - each user's relevant ids (a Set or an array per user)
 * @param options - the cutoff k, the empty-relevant policy, the users and the metric conventions
 * @returns the evaluated users, per-user values and means of every metric
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when k is not a positive integer, an argument has the wrong type
 *   or an option is not one of its values, `E_DUPLICATE` when a list repeats an id (naming the user, the id and both
 *   positions), `E_NON_FINITE` / `E_BAD_INPUT` for an invalid grade
 * @example
 * ```ts
 * import { rankingMetricsOverUsers } from "nextbest/metrics";
 * const lists = new Map([["ann", ["a", "b"]], ["bob", ["c", "a"]], ["cy", ["a", "b"]]]);
 * const relevant = new Map([["ann", ["a"]], ["bob", ["a", "d"]], ["cy", []]]);
 * const result = rankingMetricsOverUsers(lists, relevant, { k: 2 });
 * result.users; // => ["ann", "bob"]
 * result.skippedUsers; // => ["cy"]
 * Array.from(result.perUser.recall); // => [1, 0.5]
 * result.mean.precision; // => 0.5
 * result.mean.reciprocalRank; // => 0.75
 * // implicit's precision@k: Σ hits / Σ min(k, |relevant|) = 2 / (1 + 2)
 * rankingMetricsOverUsers(lists, relevant, { k: 2, precisionDenominator: "min-k-relevant" }).pooled.precision; // => 2 / 3
 * ```
 * @category metrics
 */
export function rankingMetricsOverUsers(
  lists: ReadonlyMap<Id, readonly Id[]>,
  relevant: ReadonlyMap<Id, RelevantItems>,
  options: RankingMetricsOverUsersOptions,
): RankingMetricsOverUsersResult {
  const fn = "rankingMetricsOverUsers";
  checkOptions(fn, options);
  checkK(fn, options.k);
  if (!(lists instanceof Map)) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: lists must be a Map of user id to recommended ids, got ${describeValue(lists)}`,
    );
  }
  if (!(relevant instanceof Map)) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: relevant must be a Map of user id to relevant ids, got ${describeValue(relevant)}`,
    );
  }
  const policy = checkChoice(fn, "options.emptyRelevant", options.emptyRelevant, ["skip", "zero"] as const, "skip");
  const precisionDenominator = checkChoice(
    fn,
    "options.precisionDenominator",
    options.precisionDenominator,
    PRECISION_DENOMINATORS,
    "k",
  );
  const apDenominator = checkChoice(
    fn,
    "options.averagePrecisionDenominator",
    options.averagePrecisionDenominator,
    AVERAGE_PRECISION_DENOMINATORS,
    "min-k-relevant",
  );
  const gain = checkChoice(fn, "options.gain", options.gain, GAIN_KINDS, "linear");
  const gains = options.gains;
  if (gains !== undefined && !(gains instanceof Map)) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.gains must be a Map of user id to a Map of grades, got ${describeValue(gains)}`,
    );
  }
  let candidates: readonly Id[];
  if (options.users !== undefined) {
    if (!Array.isArray(options.users)) {
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: options.users must be an array of user ids, got ${describeValue(options.users)}`,
      );
    }
    checkRankedList(fn, "options.users", options.users);
    candidates = options.users;
  } else {
    const all: Id[] = Array.from(relevant.keys());
    for (const user of lists.keys()) if (!relevant.has(user)) all.push(user);
    candidates = all;
  }

  const k = options.k;
  const n = candidates.length;
  const precision = new Float64Array(n);
  const recall = new Float64Array(n);
  const f1 = new Float64Array(n);
  const hitRate = new Float64Array(n);
  const ndcg = new Float64Array(n);
  const averagePrecision = new Float64Array(n);
  const reciprocal = new Float64Array(n);
  const users: Id[] = [];
  const skippedUsers: Id[] = [];
  // Buffers span the longest list or relevant set, never more than k: ranks past a list's end are misses, so a huge k
  // costs nothing.
  let longest = 0;
  for (let u = 0; u < n; u++) {
    const list = lists.get(candidates[u]!) as { length?: unknown } | undefined;
    if (list !== undefined && typeof list.length === "number" && list.length > longest) longest = list.length;
    const items = relevant.get(candidates[u]!) as { length?: unknown; size?: unknown } | undefined;
    const size = items === undefined ? 0 : typeof items.size === "number" ? items.size : typeof items.length === "number" ? items.length : 0;
    if (size > longest) longest = size;
  }
  const width = Math.min(k, longest);
  const hits = new Uint8Array(width);
  const discounts = discountTable(width);
  const idealBinary = cumulativeDiscounts(discounts);
  let scratch = new Float64Array(16);
  const scratchIds = createRepeatScratch();
  let row = 0;
  let pooledHits = 0;
  let pooledPrecisionDenominator = 0;
  let pooledRelevant = 0;
  for (let u = 0; u < n; u++) {
    const user = candidates[u]!;
    const rawList = lists.get(user);
    const list = rawList === undefined ? EMPTY_LIST : rawList;
    // Inline duplicate check: the label is built only when it throws.
    if (rawList !== undefined && (!Array.isArray(rawList) || findRepeat(rawList, scratchIds) >= 0)) {
      checkRankedList(fn, `lists.get(${describeValue(user)})`, rawList);
    }
    if (rawList !== undefined) checkIds(fn, () => `lists.get(${describeValue(user)})`, rawList);
    const rawRelevant = relevant.get(user);
    const set =
      rawRelevant === undefined
        ? EMPTY_SET
        : rawRelevant instanceof Set
          ? (rawRelevant as ReadonlySet<Id>)
          : toIdSet(fn, `relevant.get(${describeValue(user)})`, rawRelevant);
    const m = set.size;
    if (m === 0) {
      if (policy === "skip") {
        skippedUsers.push(user);
        continue;
      }
      // "zero": every metric 0 (the arrays are zero-filled).
      users.push(user);
      row++;
      continue;
    }
    const found = markHits(list, set, width, hits);
    const top = m < k ? m : k;
    const denominator = precisionDenominator === "k" ? k : top;
    precision[row] = found / denominator;
    pooledHits += found;
    pooledPrecisionDenominator += denominator;
    pooledRelevant += m;
    recall[row] = found / m;
    f1[row] = (2 * found) / (k + m);
    hitRate[row] = found > 0 ? 1 : 0;
    const grades = gains === undefined ? undefined : gains.get(user);
    if (grades !== undefined) {
      if (!(grades instanceof Map)) {
        throw new NextbestError(
          "E_BAD_INPUT",
          `${fn}: options.gains.get(${describeValue(user)}) must be a Map of item id to grade, got ${describeValue(grades)}`,
        );
      }
      if (scratch.length < m) scratch = new Float64Array(Math.max(m, 2 * scratch.length));
      ndcg[row] = gradedNdcg(fn, () => `options.gains.get(${describeValue(user)})`, list, set, grades, gain, k, discounts, scratch);
    } else {
      ndcg[row] = found === 0 ? 0 : binaryDcgOfHits(hits, width, discounts) / idealBinary[top - 1]!;
    }
    averagePrecision[row] = found === 0 ? 0 : averagePrecisionOfHits(hits, width, apDenominator === "relevant" ? m : top);
    reciprocal[row] = found === 0 ? 0 : reciprocalRankOfHits(hits, width);
    users.push(user);
    row++;
  }
  const perUser: RankingMetricValues = Object.freeze({
    precision: precision.subarray(0, row),
    recall: recall.subarray(0, row),
    f1: f1.subarray(0, row),
    hitRate: hitRate.subarray(0, row),
    ndcg: ndcg.subarray(0, row),
    averagePrecision: averagePrecision.subarray(0, row),
    reciprocalRank: reciprocal.subarray(0, row),
  });
  const meanOf = (values: Float64Array): number => (row === 0 ? Number.NaN : compensatedSum(values, row) / row);
  const mean: RankingMetricMeans = Object.freeze({
    precision: meanOf(precision),
    recall: meanOf(recall),
    f1: meanOf(f1),
    hitRate: meanOf(hitRate),
    ndcg: meanOf(ndcg),
    averagePrecision: meanOf(averagePrecision),
    reciprocalRank: meanOf(reciprocal),
  });
  const pooled: PooledRankingMetrics = Object.freeze({
    precision: pooledPrecisionDenominator === 0 ? Number.NaN : pooledHits / pooledPrecisionDenominator,
    recall: pooledRelevant === 0 ? Number.NaN : pooledHits / pooledRelevant,
  });
  return Object.freeze({ k, users: Object.freeze(users), perUser, mean, skippedUsers: Object.freeze(skippedUsers), pooled });
}

/** Options of {@link meanOverUsers}. @category metrics */
export interface MeanOverUsersOptions {
  /**
   * What a NaN value (a user whose metric is undefined, as the per-user ranking functions return for a user without
   * relevant items) does: `"skip"` leaves it out, `"zero"` counts it as 0.
   * @defaultValue "skip"
   */
  emptyRelevant?: EmptyRelevantPolicy;
}

/**
 * The mean of per-user metric values, where NaN marks a user whose metric is undefined (no relevant items): such users
 * are skipped by default or counted as 0 ({@link EmptyRelevantPolicy}). Neumaier-compensated sum; O(n).
 *
 * @param values - one value per user; NaN for undefined
 * @param options - the policy for NaN values
 * @returns the mean, or NaN when no value remains (no users, or every user skipped)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `values` is not an array, `E_NON_FINITE` for ±Infinity
 *   (naming the index)
 * @example
 * ```ts
 * import { meanOverUsers, recallAtK } from "nextbest/metrics";
 * const values = [
 *   recallAtK(["a", "b"], ["a"], { k: 2 }),
 *   recallAtK(["c", "d"], ["d", "e"], { k: 2 }),
 *   recallAtK(["a", "b"], [], { k: 2 }),
 * ];
 * values; // => [1, 0.5, NaN]
 * meanOverUsers(values); // => 0.75
 * meanOverUsers(values, { emptyRelevant: "zero" }); // => 0.5
 * ```
 * @category metrics
 */
export function meanOverUsers(values: ArrayLike<number>, options: MeanOverUsersOptions = {}): number {
  const fn = "meanOverUsers";
  assertArrayLike(fn, "values", values);
  checkOptions(fn, options);
  const policy = checkChoice(fn, "options.emptyRelevant", options.emptyRelevant, ["skip", "zero"] as const, "skip");
  let sum = 0;
  let compensation = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: values[${i}] must be a number, got ${describeValue(v)}`);
    }
    if (v !== v) {
      if (policy === "zero") count++;
      continue;
    }
    if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
      throw new NextbestError("E_NON_FINITE", `${fn}: values[${i}] must be finite or NaN, got ${describeValue(v)}`);
    }
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
    count++;
  }
  if (count === 0) return Number.NaN;
  const mean = (sum + compensation) / count;
  if (Number.isFinite(mean)) return mean;
  // Every value is finite but their sum overflowed (values near ±1e308): sum them scaled by a power of two (exact),
  // then unscale; a mean of finite values is finite.
  let largest = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) largest = Math.max(largest, Math.abs(values[i]!));
  const scale = scaleFor(largest);
  sum = 0;
  compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    const scaled = v * scale;
    const t = sum + scaled;
    compensation += Math.abs(sum) >= Math.abs(scaled) ? sum - t + scaled : scaled - t + sum;
    sum = t;
  }
  return (sum + compensation) / count / scale;
}
