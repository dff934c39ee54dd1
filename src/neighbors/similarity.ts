/**
 * Sparse similarities between items (or users) over co-rated pairs, with the top neighbours kept per entity.
 *
 * @module
 */
import type { ProgressCallback } from "../core/progress.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import type { IdIndex } from "../core/id-index.ts";
import type { Interactions } from "../data/types.ts";
import type { CsrMatrix } from "../linalg/types.ts";
import { checkInteractions } from "../recommend/contract.ts";
import { checkFiniteValues, fitBiasArrays, resolveBiasOptions, type BiasArrays, type BiasOptions } from "../baselines/bias.ts";
import { assertInRange, assertInteger, assertOneOf } from "../internal/validate.ts";
import { computeNeighborLists, type KernelMode, type NeighborArrays } from "./kernel.ts";

/**
 * A similarity between two items (or two users), computed over the users (items) who rated both, as Surprise
 * defines them (`surprise.similarities`):
 * - `"cosine"`: Σ x·y / sqrt(Σ x² · Σ y²), all sums over the co-rated pairs.
 * - `"pearson"`: the Pearson correlation of the co-rated pairs, with means over those pairs.
 * - `"pearson-baseline"`: the correlation of the baseline residuals r − (μ + b_u + b_i) over the co-rated pairs,
 *   shrunk by (n − 1) / (n − 1 + shrinkage) (Koren, TKDD 2010, §2.2; shrinkage 100 by default).
 * - `"adjusted-cosine"`: cosine of the ratings centered by the rater's mean (item-based: each user's mean rating;
 *   user-based: each item's mean rating), Sarwar et al., WWW 2001.
 * - `"jaccard"`: |raters of both| / |raters of either|; ignores the values.
 *
 * Pairs with no co-rater have no similarity (they are never neighbours). All are in [-1, 1], Jaccard in [0, 1].
 *
 * @category neighbors
 */
export type SimilarityMeasure = "cosine" | "pearson" | "pearson-baseline" | "adjusted-cosine" | "jaccard";

/** The measures, in documentation order. */
export const SIMILARITY_MEASURES: readonly SimilarityMeasure[] = ["cosine", "pearson", "pearson-baseline", "adjusted-cosine", "jaccard"];

/**
 * Which entities the neighbours are: `"item"` (item-based: similarities between items over their common raters) or
 * `"user"` (user-based: between users over their common items).
 *
 * @category neighbors
 */
export type NeighborBasis = "item" | "user";

/**
 * Options of {@link computeNeighbors}.
 *
 * @category neighbors
 */
export interface NeighborOptions {
  /** Item-based or user-based. @defaultValue "item" */
  basis?: NeighborBasis;
  /** The similarity measure. @defaultValue "pearson-baseline" */
  similarity?: SimilarityMeasure;
  /**
   * How many neighbours to keep per entity at most (the best by similarity, ties by index), or `"all"`. Bounds the
   * memory at entities × storedNeighbors.
   * @defaultValue "all"
   */
  storedNeighbors?: number | "all";
  /** Pairs with fewer co-raters get no similarity (Surprise's `min_support`). @defaultValue 1 */
  minSupport?: number;
  /**
   * Shrinkage λ ≥ 0: each similarity is multiplied by (n − 1) / (n − 1 + λ), n the number of co-raters
   * (Surprise's form of Koren's shrinkage). 0 turns it off.
   * @defaultValue 100 for "pearson-baseline", 0 otherwise
   */
  shrinkage?: number;
  /** Keep only positive similarities (the only ones a kNN prediction uses). @defaultValue true */
  positiveOnly?: boolean;
  /** How the biases of "pearson-baseline" are fitted (see `BiasOptions` in `nextbest/baselines`). @defaultValue Surprise's ALS defaults */
  baseline?: BiasOptions;
}

/**
 * Per-entity neighbour lists: a plain object with typed arrays. Entity `e` (an index into `entities`) has the
 * neighbours `indices[indptr[e] .. indptr[e+1])` with similarities at the same positions, best first (ties by
 * index).
 *
 * @category neighbors
 */
export interface NeighborLists {
  /** Item-based or user-based. */
  readonly basis: NeighborBasis;
  /** The measure. */
  readonly similarity: SimilarityMeasure;
  /** The entities (items for item-based, users for user-based). */
  readonly entities: IdIndex;
  /** `entities + 1` offsets. */
  readonly indptr: Int32Array;
  /** Neighbour entity indices, best first within an entity. */
  readonly indices: Int32Array;
  /** Similarity of each neighbour. */
  readonly similarities: Float64Array;
}

/** Resolved similarity options. */
export interface ResolvedNeighborOptions {
  readonly basis: NeighborBasis;
  readonly similarity: SimilarityMeasure;
  readonly storedNeighbors: number | "all";
  readonly minSupport: number;
  readonly shrinkage: number;
  readonly positiveOnly: boolean;
  readonly baseline: BiasOptions;
}

/** Validates the similarity options shared by {@link computeNeighbors} and the kNN fits. */
export function resolveNeighborOptions(
  fn: string,
  options: NeighborOptions,
  defaults: { basis: NeighborBasis; similarity: SimilarityMeasure; storedNeighbors: number | "all" },
): ResolvedNeighborOptions {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const basis = options.basis ?? defaults.basis;
  assertOneOf(fn, "options.basis", basis, ["item", "user"]);
  const similarity = options.similarity ?? defaults.similarity;
  assertOneOf(fn, "options.similarity", similarity, SIMILARITY_MEASURES);
  const storedNeighbors = options.storedNeighbors ?? defaults.storedNeighbors;
  if (storedNeighbors !== "all") assertInteger(fn, "options.storedNeighbors", storedNeighbors, 1, 2147483647);
  const minSupport = options.minSupport ?? 1;
  assertInteger(fn, "options.minSupport", minSupport, 1, 2147483647);
  const shrinkage = options.shrinkage ?? (similarity === "pearson-baseline" ? 100 : 0);
  assertInRange(fn, "options.shrinkage", shrinkage, 0, Number.MAX_VALUE);
  const positiveOnly = options.positiveOnly ?? true;
  if (typeof positiveOnly !== "boolean") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.positiveOnly must be a boolean, got ${describeValue(positiveOnly)}`);
  }
  const baseline = options.baseline ?? {};
  resolveBiasOptions(fn, baseline, "options.baseline");
  return { basis, similarity, storedNeighbors, minSupport, shrinkage, positiveOnly, baseline };
}

/** Mean of each row of a CSR matrix (0 for an empty row). */
export function rowMeans(matrix: CsrMatrix): Float64Array {
  const { indptr, values, rows } = matrix;
  const means = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const start = indptr[r]!;
    const end = indptr[r + 1]!;
    let sum = 0;
    for (let p = start; p < end; p++) sum += values[p]!;
    means[r] = end > start ? sum / (end - start) : 0;
  }
  return means;
}

/**
 * The values the kernel sees for each stored entry of `rows` (entities × raters) and `columns` (its transpose):
 * raw ratings, ratings centered by the rater's mean, or baseline residuals. The same expression produces both
 * arrays, so the two sides of a pair agree bit for bit and the similarities come out exactly symmetric.
 */
function kernelValues(
  rows: CsrMatrix,
  similarity: SimilarityMeasure,
  entityBias: Float64Array | undefined,
  raterBias: Float64Array | undefined,
  globalMean: number,
  raterMeans: Float64Array | undefined,
): Float64Array {
  const { indptr, indices, values } = rows;
  const out = new Float64Array(indptr[rows.rows]!);
  for (let e = 0; e < rows.rows; e++) {
    for (let p = indptr[e]!; p < indptr[e + 1]!; p++) {
      const c = indices[p]!;
      const r = values[p]!;
      if (similarity === "pearson-baseline") out[p] = r - (globalMean + raterBias![c]! + entityBias![e]!);
      else if (similarity === "adjusted-cosine") out[p] = r - raterMeans![c]!;
      else out[p] = r;
    }
  }
  return out;
}

/** Same as {@link kernelValues} for the transpose (raters × entities). */
function kernelColumnValues(
  columns: CsrMatrix,
  similarity: SimilarityMeasure,
  entityBias: Float64Array | undefined,
  raterBias: Float64Array | undefined,
  globalMean: number,
  raterMeans: Float64Array | undefined,
): Float64Array {
  const { indptr, indices, values } = columns;
  const out = new Float64Array(indptr[columns.rows]!);
  for (let c = 0; c < columns.rows; c++) {
    for (let p = indptr[c]!; p < indptr[c + 1]!; p++) {
      const e = indices[p]!;
      const r = values[p]!;
      if (similarity === "pearson-baseline") out[p] = r - (globalMean + raterBias![c]! + entityBias![e]!);
      else if (similarity === "adjusted-cosine") out[p] = r - raterMeans![c]!;
      else out[p] = r;
    }
  }
  return out;
}

const MODES: Record<SimilarityMeasure, KernelMode> = {
  cosine: "normalized",
  pearson: "pearson",
  "pearson-baseline": "normalized",
  "adjusted-cosine": "normalized",
  jaccard: "jaccard",
};

/**
 * The kernel call shared by {@link computeNeighbors} and the kNN fits: neighbour lists for the resolved options,
 * given the biases when the measure needs them.
 */
export function neighborArraysOf(
  data: Interactions,
  options: ResolvedNeighborOptions,
  biases: BiasArrays | undefined,
  onProgress?: ProgressCallback,
): NeighborArrays {
  const itemBased = options.basis === "item";
  const rows = itemBased ? data.byItem : data.byUser;
  const columns = itemBased ? data.byUser : data.byItem;
  const entityBias = biases === undefined ? undefined : itemBased ? biases.itemBiases : biases.userBiases;
  const raterBias = biases === undefined ? undefined : itemBased ? biases.userBiases : biases.itemBiases;
  const raterMeans = options.similarity === "adjusted-cosine" ? rowMeans(columns) : undefined;
  const globalMean = biases?.globalMean ?? 0;
  return computeNeighborLists({
    rows,
    columns,
    rowValues: kernelValues(rows, options.similarity, entityBias, raterBias, globalMean, raterMeans),
    columnValues: kernelColumnValues(columns, options.similarity, entityBias, raterBias, globalMean, raterMeans),
    mode: MODES[options.similarity],
    minSupport: options.minSupport,
    shrinkage: options.shrinkage,
    stored: options.storedNeighbors === "all" ? rows.rows : options.storedNeighbors,
    positiveOnly: options.positiveOnly,
    onProgress,
  });
}

/**
 * Computes the similarities between items (or users) over co-rated pairs only and keeps, per entity, its best
 * neighbours sorted by similarity: the sparse, memory-bounded neighbour lists behind {@link fitItemKnn} and
 * {@link fitUserKnn}, useful on their own to inspect or export similarities. See {@link SimilarityMeasure} for the
 * definitions (Surprise's), `minSupport` and `shrinkage`.
 *
 * No dense entities × entities matrix is built: for each entity, dense accumulators are filled through its raters'
 * rows and read back through the list of entities actually touched.
 *
 * Complexity: O(Σ_raters n_r²) time (n_r the number of ratings of each rater: each co-rated pair is visited once from
 * each side), O(entities + nnz) workspace, and O(entities · storedNeighbors) for the result.
 *
 * @param interactions - the ratings (values are used by every measure but Jaccard)
 * @param options - basis, similarity, storedNeighbors, minSupport, shrinkage, positiveOnly, see {@link NeighborOptions}
 * @returns the neighbour lists
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed Interactions object or option; `E_EMPTY` without
 *   users or items; `E_NON_FINITE` for a non-finite value
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { computeNeighbors } from "nextbest/neighbors";
 * const ratings = createInteractions([
 *   { user: "acme", item: "crm", value: 1 }, { user: "acme", item: "erp", value: 2 },
 *   { user: "globex", item: "crm", value: 2 }, { user: "globex", item: "erp", value: 2 },
 * ]);
 * // crm = (1, 2), erp = (2, 2): cosine = (2 + 4) / sqrt(5 * 8) = 0.9487
 * const lists = computeNeighbors(ratings, { similarity: "cosine" });
 * Array.from(lists.indices); // => [1, 0]
 * lists.similarities[0].toFixed(4); // => "0.9487"
 * ```
 * @category neighbors
 */
export function computeNeighbors(interactions: Interactions, options: NeighborOptions = {}): NeighborLists {
  const fn = "computeNeighbors";
  checkInteractions(fn, interactions);
  const resolved = resolveNeighborOptions(fn, options, { basis: "item", similarity: "pearson-baseline", storedNeighbors: "all" });
  checkFiniteValues(fn, interactions.byUser);
  const biases =
    resolved.similarity === "pearson-baseline"
      ? fitBiasArrays(interactions.byUser, interactions.byItem, resolveBiasOptions(fn, resolved.baseline, "options.baseline"), fn)
      : undefined;
  const arrays = neighborArraysOf(interactions, resolved, biases);
  return Object.freeze({
    basis: resolved.basis,
    similarity: resolved.similarity,
    entities: resolved.basis === "item" ? interactions.items : interactions.users,
    ...arrays,
  });
}
