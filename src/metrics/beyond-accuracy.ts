/**
 * Beyond-accuracy measures of recommendation lists: catalog coverage, novelty, intra-list diversity and average
 * recommendation popularity.
 *
 * @module
 */
import { largestMagnitude, scaleFor } from "../internal/scale.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import { assertArrayLike } from "../internal/validate.ts";
import { checkChoice, checkK, checkOptions, checkRankedList, toIdSet } from "./internal.ts";

/**
 * Recommendation lists of many users: a Map of user id to recommended ids (best first), or an array of such lists.
 *
 * @category metrics
 */
export type RecommendationLists = ReadonlyMap<Id, readonly Id[]> | readonly (readonly Id[])[];

/** Options shared by the list-collection measures: an optional cutoff. @category metrics */
export interface ListCutoffOptions {
  /** Only the first k ids of each list count; a positive integer. @defaultValue every id of each list */
  k?: number;
}

/** Options of {@link catalogCoverage}. @category metrics */
export type CatalogCoverageOptions = ListCutoffOptions;

// Visits each list (truncated at k), with a label for error messages. Validates every list once.
function forEachList(
  fn: string,
  lists: unknown,
  k: number | undefined,
  visit: (list: readonly Id[], length: number) => void,
): void {
  const check = (label: string, list: unknown): void => {
    checkRankedList(fn, label, list);
    const ids = list as readonly Id[];
    visit(ids, k === undefined || ids.length < k ? ids.length : k);
  };
  if (lists instanceof Map) {
    for (const [user, list] of lists) check(`lists.get(${describeValue(user)})`, list);
  } else if (Array.isArray(lists)) {
    for (let i = 0; i < lists.length; i++) check(`lists[${i}]`, lists[i]);
  } else {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: lists must be a Map of user id to recommended ids or an array of lists, got ${describeValue(lists)}`,
    );
  }
}

function cutoff(fn: string, options: ListCutoffOptions): number | undefined {
  checkOptions(fn, options);
  if (options.k !== undefined) checkK(fn, options.k);
  return options.k;
}

function popularityMap(fn: string, popularity: unknown): ReadonlyMap<Id, number> {
  if (!(popularity instanceof Map)) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: popularity must be a Map of item id to its training popularity, got ${describeValue(popularity)}`,
    );
  }
  for (const [item, value] of popularity as ReadonlyMap<Id, unknown>) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new NextbestError(
        typeof value === "number" && !Number.isFinite(value) ? "E_NON_FINITE" : "E_BAD_INPUT",
        `${fn}: popularity.get(${describeValue(item)}) must be a finite number >= 0, got ${describeValue(value)}`,
      );
    }
  }
  return popularity as ReadonlyMap<Id, number>;
}

/**
 * Catalog coverage (aggregate diversity): the share of the catalog that appears in at least one recommendation list,
 * |∪_u L_u ∩ catalog| / |catalog| (Herlocker et al. 2004, §4.2 "prediction coverage" for top-N; Adomavicius &
 * Kwon 2012 "aggregate diversity"; cornac's and RecTools' catalog coverage). Recommended ids outside the catalog are
 * ignored. O(Σ |L_u| + |catalog|).
 *
 * @param lists - every user's recommended ids
 * @param catalog - the catalog (a Set or an array of ids; repeats count once)
 * @param options - an optional cutoff k per list
 * @returns a value in [0, 1]
 * @throws {@link core!NextbestError} `E_EMPTY` for an empty catalog, `E_BAD_INPUT` for a bad k or argument,
 *   `E_DUPLICATE` when a list repeats an id
 * @example
 * ```ts
 * import { catalogCoverage } from "nextbest/metrics";
 * catalogCoverage([["a", "b"], ["a", "c"]], ["a", "b", "c", "d", "e"]); // => 0.6
 * catalogCoverage([["a", "b"], ["a", "c"]], ["a", "b", "c", "d", "e"], { k: 1 }); // => 0.2
 * ```
 * @category metrics
 */
export function catalogCoverage(
  lists: RecommendationLists,
  catalog: ReadonlySet<Id> | readonly Id[],
  options: CatalogCoverageOptions = {},
): number {
  const fn = "catalogCoverage";
  const k = cutoff(fn, options);
  const items = toIdSet(fn, "catalog", catalog);
  if (items.size === 0) throw new NextbestError("E_EMPTY", `${fn}: catalog must not be empty, got size 0`);
  const covered = new Set<Id>();
  forEachList(fn, lists, k, (list, length) => {
    for (let i = 0; i < length; i++) {
      const item = list[i]!;
      if (items.has(item)) covered.add(item);
    }
  });
  return covered.size / items.size;
}

/** Options of {@link novelty}. @category metrics */
export interface NoveltyOptions extends ListCutoffOptions {
  /** The number of training users |U|, the denominator of p(i). A positive integer. */
  userCount: number;
  /**
   * Recommended items with popularity 0 or missing from `popularity` (never seen in training), whose
   * self-information is infinite: `"max"` gives them the largest finite value, log2(|U|) (as if one user had seen
   * them); `"skip"` leaves them out of their list's mean.
   * @defaultValue "max"
   */
  unseenItems?: "max" | "skip";
}

/**
 * Novelty: the mean self-information of the recommended items, −log2 p(i) with p(i) = pop(i) / |U| the share of
 * training users who interacted with item i, averaged within each list and then over lists (Zhou et al. 2010,
 * PNAS, novelty as mean self-information; Vargas & Castells 2011, RecSys, "expected free discovery" without rank
 * discount or relevance; RecTools' `MeanInvUserFreq`). Higher is more novel (rarer items). Empty lists are left out.
 * O(Σ |L_u|).
 *
 * @param lists - every user's recommended ids
 * @param popularity - per item, the number of training users who interacted with it (from 0 to `userCount`)
 * @param options - the number of training users, an optional cutoff and the policy for unseen items
 * @returns the mean novelty in bits, >= 0; NaN when no list has a scored item
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a bad k, user count or popularity (negative, or above the
 *   user count), `E_NON_FINITE` for a non-finite popularity, `E_DUPLICATE` when a list repeats an id
 * @example
 * ```ts
 * import { novelty } from "nextbest/metrics";
 * const popularity = new Map([["hit", 8], ["niche", 1]]);
 * // list 1: (−log2(8/8) − log2(1/8)) / 2 = 1.5 bits; list 2: −log2(1/8) = 3 bits
 * novelty([["hit", "niche"], ["niche"]], popularity, { userCount: 8 }); // => 2.25
 * ```
 * @category metrics
 */
export function novelty(lists: RecommendationLists, popularity: ReadonlyMap<Id, number>, options: NoveltyOptions): number {
  const fn = "novelty";
  const k = cutoff(fn, options);
  checkK(fn, options.userCount, "options.userCount");
  const unseen = checkChoice(fn, "options.unseenItems", options.unseenItems, ["max", "skip"] as const, "max");
  const counts = popularityMap(fn, popularity);
  const users = options.userCount;
  for (const [item, count] of counts) {
    if (count > users) {
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: popularity.get(${describeValue(item)}) must be at most options.userCount (${users}), got ${count}`,
      );
    }
  }
  const maxBits = Math.log2(users);
  let total = 0;
  let scoredLists = 0;
  forEachList(fn, lists, k, (list, length) => {
    let bits = 0;
    let scored = 0;
    for (let i = 0; i < length; i++) {
      const count = counts.get(list[i]!) ?? 0;
      if (count > 0) {
        bits += Math.log2(users / count);
        scored++;
      } else if (unseen === "max") {
        bits += maxBits;
        scored++;
      }
    }
    if (scored > 0) {
      total += bits / scored;
      scoredLists++;
    }
  });
  return scoredLists === 0 ? Number.NaN : total / scoredLists;
}

/** Options of {@link averageRecommendationPopularity}. @category metrics */
export type AverageRecommendationPopularityOptions = ListCutoffOptions;

/**
 * Average recommendation popularity (ARP): the mean over lists of the mean training popularity of the listed items,
 * (1/|U|) Σ_u Σ_{i ∈ L_u} φ(i) / |L_u|, where φ(i) is the item's training popularity (Abdollahpouri, Burke &
 * Mobasher 2019, "Managing popularity bias in recommender systems with personalized re-ranking", FLAIRS, §4).
 * Items missing from `popularity` count 0. Empty lists are left out. O(Σ |L_u|).
 *
 * @param lists - every user's recommended ids
 * @param popularity - per item, its training popularity (for example how many users rated it)
 * @param options - an optional cutoff k per list
 * @returns the ARP, >= 0; NaN when every list is empty
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a bad k or popularity, `E_NON_FINITE` for a non-finite
 *   popularity, `E_DUPLICATE` when a list repeats an id
 * @example
 * ```ts
 * import { averageRecommendationPopularity } from "nextbest/metrics";
 * const popularity = new Map([["a", 10], ["b", 2], ["c", 4]]);
 * // (10 + 2) / 2 = 6 and (4 + 0) / 2 = 2: mean 4
 * averageRecommendationPopularity([["a", "b"], ["c", "new"]], popularity); // => 4
 * ```
 * @category metrics
 */
export function averageRecommendationPopularity(
  lists: RecommendationLists,
  popularity: ReadonlyMap<Id, number>,
  options: AverageRecommendationPopularityOptions = {},
): number {
  const fn = "averageRecommendationPopularity";
  const k = cutoff(fn, options);
  const counts = popularityMap(fn, popularity);
  let total = 0;
  let nonEmpty = 0;
  forEachList(fn, lists, k, (list, length) => {
    if (length === 0) return;
    let sum = 0;
    for (let i = 0; i < length; i++) sum += counts.get(list[i]!) ?? 0;
    total += sum / length;
    nonEmpty++;
  });
  return nonEmpty === 0 ? Number.NaN : total / nonEmpty;
}

/** Options of {@link intraListDiversity}. @category metrics */
export type IntraListDiversityOptions = ListCutoffOptions;

/**
 * Intra-list diversity (ILD) of one list: the mean over unordered pairs of listed items of the cosine distance
 * 1 − cos(v_i, v_j) between their feature vectors (Smyth & McClave 2001; Ziegler et al. 2005, "topic diversification",
 * with 1 − similarity as the distance). 0 for items pointing one way; 1 for orthogonal ones; up to 2 for opposite
 * vectors (1 at most for non-negative features). A zero vector has cosine 0 with everything (distance 1). Average it
 * over users with {@link meanOverUsers}. O(k² d) for k items of dimension d.
 *
 * @param list - one user's recommended ids, best first, without repeats
 * @param vectors - the feature vector of every listed item (same length for all)
 * @param options - an optional cutoff k
 * @returns the ILD in [0, 2]; NaN for fewer than two items
 * @throws {@link core!NextbestError} `E_UNKNOWN_ID` when a listed item has no vector, `E_SHAPE` when vector lengths
 *   differ, `E_NON_FINITE` for a non-finite entry, `E_BAD_INPUT` for a bad k or argument, `E_DUPLICATE` when the
 *   list repeats an id
 * @example
 * ```ts
 * import { intraListDiversity } from "nextbest/metrics";
 * const vectors = new Map([["crm", [1, 0]], ["erp", [1, 0]], ["bi", [0, 1]]]);
 * // pairs: crm-erp distance 0, crm-bi 1, erp-bi 1: mean 2/3
 * intraListDiversity(["crm", "erp", "bi"], vectors); // => 2 / 3
 * ```
 * @category metrics
 */
export function intraListDiversity(
  list: readonly Id[],
  vectors: ReadonlyMap<Id, ArrayLike<number>>,
  options: IntraListDiversityOptions = {},
): number {
  const fn = "intraListDiversity";
  const k = cutoff(fn, options);
  checkRankedList(fn, "list", list);
  if (!(vectors instanceof Map)) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: vectors must be a Map of item id to feature vector, got ${describeValue(vectors)}`,
    );
  }
  const n = k === undefined || list.length < k ? list.length : k;
  if (n < 2) return Number.NaN;
  const rows: ArrayLike<number>[] = [];
  let dimension = -1;
  for (let i = 0; i < n; i++) {
    const item = list[i]!;
    const vector = vectors.get(item);
    if (vector === undefined) {
      throw new NextbestError(
        "E_UNKNOWN_ID",
        `${fn}: vectors must have a vector for every listed item, got none for ${describeValue(item)}`,
      );
    }
    assertArrayLike(fn, `vectors.get(${describeValue(item)})`, vector);
    if (dimension === -1) dimension = vector.length;
    else if (vector.length !== dimension) {
      throw new NextbestError(
        "E_SHAPE",
        `${fn}: vectors.get(${describeValue(item)}) must have length ${dimension} like the first listed item's, got length ${vector.length}`,
      );
    }
    for (let j = 0; j < dimension; j++) {
      const v = vector[j];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new NextbestError(
          typeof v === "number" ? "E_NON_FINITE" : "E_BAD_INPUT",
          `${fn}: vectors.get(${describeValue(item)})[${j}] must be a finite number, got ${describeValue(v)}`,
        );
      }
    }
    rows.push(scaleFor(largestMagnitude(vector)) === 1 ? vector : scaledCopy(vector));
  }
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = rows[i]!;
    let s = 0;
    for (let j = 0; j < dimension; j++) s += v[j]! * v[j]!;
    norms[i] = Math.sqrt(s);
  }
  let total = 0;
  for (let a = 0; a < n; a++) {
    const x = rows[a]!;
    for (let b = a + 1; b < n; b++) {
      const y = rows[b]!;
      let dot = 0;
      for (let j = 0; j < dimension; j++) dot += x[j]! * y[j]!;
      const denominator = norms[a]! * norms[b]!;
      const cosine = denominator === 0 ? 0 : Math.max(-1, Math.min(1, dot / denominator));
      total += 1 - cosine;
    }
  }
  return total / ((n * (n - 1)) / 2);
}

/** A vector scaled by a power of two so its largest entry is below 1 (cosines do not change; squares stay finite). */
function scaledCopy(vector: ArrayLike<number>): Float64Array {
  const scale = scaleFor(largestMagnitude(vector));
  return Float64Array.from(vector, (v) => v * scale);
}
