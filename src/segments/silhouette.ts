/**
 * The silhouette of a clustering: how much closer each row is to its own cluster than to the next nearest one.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { createRandom, permutation, type Seed } from "../core/random.ts";
import { assertInteger, assertSeed } from "../internal/validate.ts";
import { matrixOf, squaredDistance, type SegmentData } from "./matrix.ts";

/** Options of {@link silhouette}. @category segments */
export interface SilhouetteOptions {
  /**
   * Score only this many rows, drawn without replacement, each against all rows: an unbiased estimate of the mean
   * silhouette in O(sampleSize · n · d). Unset (or >= rows): every row, exactly. @defaultValue undefined
   */
  sampleSize?: number;
  /** The seed of the sample. @defaultValue 42 */
  seed?: Seed;
}

/** What {@link silhouette} returns. @category segments */
export interface Silhouette {
  /** The mean silhouette of the scored rows, in [−1, 1]. */
  readonly mean: number;
  /** The silhouette s(i) of each scored row, in the order of {@link Silhouette.rows}. */
  readonly values: Float64Array;
  /** The indices of the scored rows (all rows, ascending, when exact). */
  readonly rows: Int32Array;
  /** The mean silhouette of the scored rows of each cluster (NaN for a cluster with no scored row). */
  readonly clusterMeans: Float64Array;
  /** Whether every row was scored. */
  readonly exact: boolean;
}

function checkLabels(fn: string, labels: unknown, n: number): { labels: Int32Array; k: number; sizes: Int32Array } {
  if (typeof labels !== "object" || labels === null || !(Array.isArray(labels) || ArrayBuffer.isView(labels))) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: labels must be an array of cluster numbers, got ${describeValue(labels)}`);
  }
  const list = labels as ArrayLike<unknown>;
  if (list.length !== n) throw new NextbestError("E_SHAPE", `${fn}: labels must have length ${n} (one per row), got length ${list.length}`);
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = list[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 1e6) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: labels[${i}] must be an integer in [0, 1000000], got ${describeValue(v)}`);
    }
    out[i] = v;
    if (v + 1 > k) k = v + 1;
  }
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[out[i]!]!++;
  let nonEmpty = 0;
  for (let c = 0; c < k; c++) if (sizes[c]! > 0) nonEmpty++;
  if (nonEmpty < 2) throw new NextbestError("E_BAD_INPUT", `${fn}: labels must name at least 2 non-empty clusters, got ${nonEmpty}`);
  return { labels: out, k, sizes };
}

/** The labels renumbered densely over the non-empty clusters (in label order), with their count and sizes. */
function compactLabels(labels: Int32Array, k: number, sizes: Int32Array): { label: Int32Array; k: number; sizes: Int32Array } {
  const dense = new Int32Array(k).fill(-1);
  let count = 0;
  for (let c = 0; c < k; c++) if (sizes[c]! > 0) dense[c] = count++;
  const denseSizes = new Int32Array(count);
  for (let c = 0; c < k; c++) if (dense[c]! >= 0) denseSizes[dense[c]!] = sizes[c]!;
  return { label: labels.map((c) => dense[c]!), k: count, sizes: denseSizes };
}

// s(i) from its summed distances to each cluster.
function silhouetteOf(sums: Float64Array, offset: number, own: number, sizes: Int32Array, k: number): number {
  if (sizes[own]! <= 1) return 0;
  const a = sums[offset + own]! / (sizes[own]! - 1);
  let b = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    if (c === own || sizes[c] === 0) continue;
    const mean = sums[offset + c]! / sizes[c]!;
    if (mean < b) b = mean;
  }
  const scale = a > b ? a : b;
  return scale > 0 ? (b - a) / scale : 0;
}

/**
 * The silhouette of a clustering (Rousseeuw 1987): for each row, a = its mean Euclidean distance to the other rows
 * of its cluster, b = its smallest mean distance to the rows of another cluster, and s = (b − a) / max(a, b), in
 * [−1, 1]; near 1 the row sits well inside its cluster, near 0 on a border, below 0 closer to another cluster. A row
 * alone in its cluster scores 0 (as in scikit-learn). The mean over rows judges k: higher is better.
 *
 * Exact by default, using each pair's distance twice (O(n² · d) time, O(n · k) memory for the k non-empty clusters,
 * however large the label numbers): a few seconds for 10,000
 * rows, milliseconds for a few thousand. With `sampleSize`, only a seeded random sample of rows is scored, each
 * against every row (O(sampleSize · n · d)), an unbiased estimate of the exact mean.
 *
 * Reference: Rousseeuw, P. J. (1987), Silhouettes: a graphical aid to the interpretation and validation of cluster
 * analysis, Journal of Computational and Applied Mathematics 20, 53–65.
 *
 * @param data - the clustered rows: a dense matrix or an array of equal-length rows
 * @param labels - the cluster of each row, integers >= 0 (e.g. `model.labels` of {@link fitKMeans})
 * @param options - optional sampling (see {@link SilhouetteOptions})
 * @returns the mean, per-row values, scored rows and per-cluster means
 * @throws {@link core!NextbestError} `E_SHAPE` when labels and rows differ in length; `E_BAD_INPUT` for a label that is
 *   not an integer >= 0, fewer than 2 non-empty clusters or a bad option; the data errors of {@link fitKMeans}
 * @example
 * ```ts
 * import { silhouette } from "nextbest/segments";
 * // Row 0: a = 1 (to row 1), b = (4 + 5) / 2 = 4.5 → s = 3.5 / 4.5
 * const result = silhouette([[0], [1], [4], [5]], [0, 0, 1, 1]);
 * result.values[0].toFixed(4); // => "0.7778"
 * result.mean.toFixed(4); // => "0.7460"
 * silhouette([[0], [1]], [0, 0]);
 * // throws NextbestError E_BAD_INPUT: "silhouette: labels must name at least 2 non-empty clusters, got 1"
 * ```
 * @category segments
 */
export function silhouette(data: SegmentData, labels: ArrayLike<number>, options: SilhouetteOptions = {}): Silhouette {
  const fn = "silhouette";
  const m = matrixOf(fn, data);
  const n = m.rows;
  const d = m.cols;
  const x = m.data;
  const { labels: label, k, sizes } = checkLabels(fn, labels, n);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const seed = options.seed ?? 42;
  assertSeed(fn, "options.seed", seed);
  const sampleSize = options.sampleSize;
  if (sampleSize !== undefined) assertInteger(fn, "options.sampleSize", sampleSize, 1);
  const exact = sampleSize === undefined || sampleSize >= n;
  // The distance sums run over the non-empty clusters only, renumbered densely: at most n of them, so a label such as
  // 1,000,000 on 3,000 rows does not reserve rows × 1,000,001 sums (24 GB).
  const { label: own, k: clusters, sizes: ownSizes } = compactLabels(label, k, sizes);
  let rows: Int32Array;
  const values = exact ? new Float64Array(n) : new Float64Array(sampleSize!);
  if (exact) {
    rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[i] = i;
    const sums = new Float64Array(n * clusters);
    for (let i = 0; i < n; i++) {
      const li = own[i]!;
      const oi = i * clusters;
      for (let j = i + 1; j < n; j++) {
        const dist = Math.sqrt(squaredDistance(x, i, x, j, d));
        sums[oi + own[j]!]! += dist;
        sums[j * clusters + li]! += dist;
      }
    }
    for (let i = 0; i < n; i++) values[i] = silhouetteOf(sums, i * clusters, own[i]!, ownSizes, clusters);
  } else {
    rows = permutation(n, createRandom(seed)).slice(0, sampleSize!);
    const sums = new Float64Array(clusters);
    for (let s = 0; s < rows.length; s++) {
      const i = rows[s]!;
      sums.fill(0);
      for (let j = 0; j < n; j++) if (j !== i) sums[own[j]!]! += Math.sqrt(squaredDistance(x, i, x, j, d));
      values[s] = silhouetteOf(sums, 0, own[i]!, ownSizes, clusters);
    }
  }
  let total = 0;
  const clusterSums = new Float64Array(k);
  const clusterCounts = new Float64Array(k);
  for (let s = 0; s < values.length; s++) {
    total += values[s]!;
    clusterSums[label[rows[s]!]!]! += values[s]!;
    clusterCounts[label[rows[s]!]!]! += 1;
  }
  const clusterMeans = new Float64Array(k);
  for (let c = 0; c < k; c++) clusterMeans[c] = clusterCounts[c]! > 0 ? clusterSums[c]! / clusterCounts[c]! : Number.NaN;
  return { mean: total / values.length, values, rows, clusterMeans, exact };
}
