/**
 * The elbow table: k-means inertia and silhouette over a range of k, to choose the number of segments.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Seed } from "../core/random.ts";
import { assertInteger, assertSeed } from "../internal/validate.ts";
import { fitKMeansFor, type fitKMeans } from "./kmeans.ts";
import { matrixOf, type SegmentData } from "./matrix.ts";
import { silhouette } from "./silhouette.ts";

/** Options of {@link kMeansElbow}. @category segments */
export interface ElbowOptions {
  /** The smallest k (k = 1 has silhouette NaN). @defaultValue 2 */
  minK?: number;
  /** The largest k, at most the number of rows. @defaultValue 8 */
  maxK?: number;
  /** The seed of every fit (and of the silhouette sample). @defaultValue 42 */
  seed?: Seed;
  /** k-means restarts per k. @defaultValue 4 */
  restarts?: number;
  /** Score the silhouette on this many sampled rows (see {@link SilhouetteOptions}); unset: exact. @defaultValue undefined */
  silhouetteSampleSize?: number;
}

/** One row of the elbow table. @category segments */
export interface ElbowRow {
  /** The number of clusters. */
  readonly k: number;
  /** The k-means inertia (within-cluster sum of squares). */
  readonly inertia: number;
  /** The mean silhouette (NaN for k = 1). */
  readonly silhouette: number;
}

/** What {@link kMeansElbow} returns. @category segments */
export interface ElbowTable {
  /** One row per k, ascending. */
  readonly rows: readonly ElbowRow[];
  /** The k with the highest mean silhouette (the smaller k on ties; NaN when no k >= 2 was tried). */
  readonly bestSilhouetteK: number;
  /**
   * The elbow of the inertia curve: the k farthest below the straight line from the first to the last row, both axes
   * scaled to [0, 1] (the "kneedle" rule of Satopää et al. 2011); the first k when there are fewer than 3 rows.
   */
  readonly elbowK: number;
}

/**
 * Fits k-means for each k in [minK, maxK] with the same seed and tabulates inertia and mean silhouette, naming the
 * best-silhouette k and the elbow of the inertia curve. Read both: the silhouette favours well-separated segments,
 * the elbow where more segments stop paying off.
 *
 * Reference: Thorndike, R. L. (1953), Who belongs in the family?, Psychometrika 18 (the elbow); Rousseeuw (1987)
 * (the silhouette); Satopää, V. et al. (2011), Finding a "kneedle" in a haystack, ICDCS workshops.
 * Complexity: Σ_k of {@link fitKMeans} plus, per k, {@link silhouette} (O(n² · d) exact, O(sample · n · d) sampled).
 *
 * @param data - the rows to cluster: a dense matrix or an array of equal-length rows
 * @param options - the range of k, seed, restarts and silhouette sampling (see {@link ElbowOptions})
 * @returns the table, the best-silhouette k and the elbow k
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when minK is not an integer >= 1, maxK not in [minK, rows], or another
 *   option is bad; the data errors of {@link fitKMeans}
 * @example
 * ```ts
 * import { kMeansElbow } from "nextbest/segments";
 * const rows = [[0, 0], [0, 1], [1, 0], [9, 9], [9, 10], [10, 9], [0, 20], [1, 20], [0, 21]];
 * const table = kMeansElbow(rows, { minK: 1, maxK: 5, seed: 1 });
 * table.rows.map((row) => row.k); // => [1, 2, 3, 4, 5]
 * [table.bestSilhouetteK, table.elbowK]; // => [3, 3]
 * ```
 * @category segments
 */
export function kMeansElbow(data: SegmentData, options: ElbowOptions = {}): ElbowTable {
  const fn = "kMeansElbow";
  const m = matrixOf(fn, data);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const minK = options.minK ?? 2;
  assertInteger(fn, "options.minK", minK, 1, m.rows);
  const maxK = options.maxK ?? Math.min(8, m.rows);
  assertInteger(fn, "options.maxK", maxK, minK, m.rows);
  const seed = options.seed ?? 42;
  assertSeed(fn, "options.seed", seed);
  const restarts = options.restarts ?? 4;
  assertInteger(fn, "options.restarts", restarts, 1, 1000);
  const sampleSize = options.silhouetteSampleSize;
  if (sampleSize !== undefined) assertInteger(fn, "options.silhouetteSampleSize", sampleSize, 1);
  const rows: ElbowRow[] = [];
  let bestSilhouetteK = Number.NaN;
  let bestSilhouette = Number.NEGATIVE_INFINITY;
  for (let k = minK; k <= maxK; k++) {
    const model = fitKMeansFor(fn, m, { k, seed, restarts });
    let score = Number.NaN;
    let nonEmpty = 0;
    for (let c = 0; c < k; c++) if (model.sizes[c]! > 0) nonEmpty++;
    if (nonEmpty >= 2) score = silhouette(m, model.labels, sampleSize === undefined ? { seed } : { sampleSize, seed }).mean;
    if (score > bestSilhouette) {
      bestSilhouette = score;
      bestSilhouetteK = k;
    }
    rows.push(Object.freeze({ k, inertia: model.inertia, silhouette: score }));
  }
  return Object.freeze({ rows: Object.freeze(rows), bestSilhouetteK, elbowK: elbowOf(rows) });
}

function elbowOf(rows: readonly ElbowRow[]): number {
  if (rows.length < 3) return rows[0]!.k;
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  const spanK = last.k - first.k;
  const spanInertia = first.inertia - last.inertia;
  if (!(spanInertia > 0)) return first.k;
  let best = first.k;
  let bestGap = 0;
  for (const row of rows) {
    const x = (row.k - first.k) / spanK;
    const y = (row.inertia - last.inertia) / spanInertia; // 1 at the first row, 0 at the last
    const gap = 1 - x - y; // how far below the line y = 1 − x
    if (gap > bestGap) {
      bestGap = gap;
      best = row.k;
    }
  }
  return best;
}
