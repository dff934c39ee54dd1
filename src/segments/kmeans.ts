/**
 * k-means clustering with k-means++ seeding on Float64Array rows: the segmentation workhorse.
 *
 * @module
 */
import { progressOption, type ProgressCallback } from "../core/progress.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { createRandom, type RandomGenerator, type Seed } from "../core/random.ts";
import { badModel, float64ArrayFromJSON, int32ArrayFromJSON, readModelEnvelope, typedArrayToJSON } from "../internal/serialize.ts";
import { assertInteger, assertSeed } from "../internal/validate.ts";
import { matrixOf, squaredDistance, type SegmentData } from "./matrix.ts";
import type { DenseMatrix } from "../linalg/types.ts";

/** Options of {@link fitKMeans}. @category segments */
export interface KMeansOptions {
  /** Called after each restart (`phase` `"restart"`, `loss` the best inertia so far). @defaultValue none */
  onProgress?: ProgressCallback;
  /** The number of clusters, an integer in [1, rows]. */
  k: number;
  /** The seed of the k-means++ seeding. @defaultValue 42 */
  seed?: Seed;
  /** Independent seedings (from one seeded stream); the run with the lowest inertia wins. @defaultValue 4 */
  restarts?: number;
  /** The most Lloyd iterations per run. @defaultValue 300 */
  maxIterations?: number;
}

/**
 * A fitted k-means model: plain, versioned data. Clusters are numbered by size, largest first (ties: the cluster
 * holding the earlier row first), so the same seed gives the same labels.
 *
 * @category segments
 */
export interface KMeansModel {
  /** Discriminant. */
  readonly kind: "kmeans";
  /** Format version; {@link kMeansFromJSON} reads version 1. */
  readonly version: 1;
  /** The number of clusters. */
  readonly k: number;
  /** The number of columns of the data. */
  readonly dimension: number;
  /** The centroids, k × dimension, row-major. */
  readonly centroids: Float64Array;
  /** The cluster of each training row, in [0, k). */
  readonly labels: Int32Array;
  /** The number of training rows in each cluster. */
  readonly sizes: Int32Array;
  /** The sum of squared Euclidean distances of the training rows to their centroids (the within-cluster sum of squares). */
  readonly inertia: number;
  /** Lloyd iterations of the winning run. */
  readonly iterations: number;
  /** Whether the winning run reached a fixed point (no label changed) within maxIterations. */
  readonly converged: boolean;
}

/** The JSON form of a {@link KMeansModel}: typed arrays as number arrays. @category segments */
export interface KMeansModelJSON {
  /** Always `"kmeans"`. */
  readonly kind: "kmeans";
  /** The format version, 1. */
  readonly version: 1;
  /** The number of clusters. */
  readonly k: number;
  /** The number of columns. */
  readonly dimension: number;
  /** The centroids, row-major. */
  readonly centroids: number[];
  /** The training labels. */
  readonly labels: number[];
  /** The inertia. */
  readonly inertia: number;
  /** Lloyd iterations. */
  readonly iterations: number;
  /** Whether the run converged. */
  readonly converged: boolean;
}

interface Run {
  centroids: Float64Array;
  labels: Int32Array;
  inertia: number;
  iterations: number;
  converged: boolean;
}

// Greedy k-means++ (Arthur & Vassilvitskii 2007; the greedy variant of scikit-learn): each new centre is the best of
// `trials` candidates drawn with probability proportional to D², judged by the potential it leaves.
function seedCentroids(x: Float64Array, n: number, d: number, k: number, random: RandomGenerator): Float64Array {
  const centroids = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = Math.floor(random() * n);
  centroids.set(x.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = squaredDistance(x, i, centroids, 0, d);
    potential += closest[i]!;
  }
  const candidateClosest = new Float64Array(n);
  const bestClosest = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestCandidate = -1;
    let bestPotential = Number.POSITIVE_INFINITY;
    for (let t = 0; t < trials; t++) {
      let candidate = n - 1;
      if (potential > 0) {
        let r = random() * potential;
        for (let i = 0; i < n; i++) {
          r -= closest[i]!;
          if (r < 0) {
            candidate = i;
            break;
          }
        }
      } else {
        candidate = Math.floor(random() * n);
      }
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const dist = squaredDistance(x, i, x, candidate, d);
        const v = dist < closest[i]! ? dist : closest[i]!;
        candidateClosest[i] = v;
        sum += v;
      }
      if (sum < bestPotential) {
        bestPotential = sum;
        bestCandidate = candidate;
        bestClosest.set(candidateClosest);
      }
    }
    centroids.set(x.subarray(bestCandidate * d, bestCandidate * d + d), c * d);
    closest.set(bestClosest);
    potential = bestPotential;
  }
  return centroids;
}

// Assigns each row to its nearest centroid; returns the number of changed labels and writes distances.
function assign(x: Float64Array, n: number, d: number, k: number, centroids: Float64Array, labels: Int32Array, distances: Float64Array): number {
  let changed = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDistance = squaredDistance(x, i, centroids, 0, d);
    for (let c = 1; c < k; c++) {
      const dist = squaredDistance(x, i, centroids, c, d);
      if (dist < bestDistance) {
        bestDistance = dist;
        best = c;
      }
    }
    if (labels[i] !== best) {
      labels[i] = best;
      changed++;
    }
    distances[i] = bestDistance;
  }
  return changed;
}

// Moves each centroid to its cluster's mean; an empty cluster takes the row farthest from its own centroid.
function update(x: Float64Array, n: number, d: number, k: number, centroids: Float64Array, labels: Int32Array, distances: Float64Array, counts: Int32Array): void {
  centroids.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    counts[c]!++;
    const o = c * d;
    const oi = i * d;
    for (let j = 0; j < d; j++) centroids[o + j]! += x[oi + j]!;
  }
  for (let c = 0; c < k; c++) {
    const o = c * d;
    if (counts[c]! > 0) {
      const inv = 1 / counts[c]!;
      for (let j = 0; j < d; j++) centroids[o + j]! *= inv;
      continue;
    }
    let far = 0;
    for (let i = 1; i < n; i++) if (distances[i]! > distances[far]!) far = i;
    centroids.set(x.subarray(far * d, far * d + d), o);
    distances[far] = 0;
  }
}

function lloyd(x: Float64Array, n: number, d: number, k: number, maxIterations: number, random: RandomGenerator): Run {
  const centroids = seedCentroids(x, n, d, k, random);
  const labels = new Int32Array(n).fill(-1);
  const distances = new Float64Array(n);
  const counts = new Int32Array(k);
  let iterations = 0;
  let converged = false;
  for (;;) {
    const changed = assign(x, n, d, k, centroids, labels, distances);
    if (changed === 0) {
      converged = true;
      break;
    }
    if (iterations === maxIterations) break;
    update(x, n, d, k, centroids, labels, distances, counts);
    iterations++;
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += distances[i]!;
  return { centroids, labels, inertia, iterations, converged };
}

// Renumbers clusters by size (largest first; ties by the first row in the cluster).
function canonical(run: Run, n: number, d: number, k: number): { centroids: Float64Array; labels: Int32Array; sizes: Int32Array } {
  const sizes = new Int32Array(k);
  const firstRow = new Int32Array(k).fill(n);
  for (let i = 0; i < n; i++) {
    const c = run.labels[i]!;
    sizes[c]!++;
    if (firstRow[c] === n) firstRow[c] = i;
  }
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => sizes[b]! - sizes[a]! || firstRow[a]! - firstRow[b]!);
  const rank = new Int32Array(k);
  order.forEach((c, r) => (rank[c] = r));
  const centroids = new Float64Array(k * d);
  const outSizes = new Int32Array(k);
  for (let r = 0; r < k; r++) {
    centroids.set(run.centroids.subarray(order[r]! * d, order[r]! * d + d), r * d);
    outSizes[r] = sizes[order[r]!]!;
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = rank[run.labels[i]!]!;
  return { centroids, labels, sizes: outSizes };
}

/**
 * Fits k-means: Lloyd's algorithm (assign each row to the nearest centroid, move each centroid to its cluster's
 * mean, until no label changes) from a greedy k-means++ seeding (each new centre the best of 2 + ⌊ln k⌋ candidates
 * drawn with probability ∝ D², the squared distance to the nearest centre so far). `restarts` seedings are drawn
 * from one seeded stream and the run with the lowest inertia is kept, so the same seed always gives the same
 * clustering. An empty cluster is re-seeded at the row farthest from its centroid. Scale features first (the
 * encoder's `"standardize"` or `"log1p"` transforms): k-means uses plain Euclidean distance.
 *
 * Reference: Lloyd, S. (1982), IEEE Trans. Information Theory 28(2); Arthur, D. & Vassilvitskii, S. (2007),
 * k-means++: the advantages of careful seeding, SODA. Complexity: O(restarts · (k · trials · n · d + iterations ·
 * n · k · d)) time, O(n + k · d) memory besides the data.
 *
 * @param data - a dense matrix (e.g. from `encodeRows`) or an array of equal-length numeric rows
 * @param options - k, seed, restarts and iteration cap (see {@link KMeansOptions})
 * @returns a frozen {@link KMeansModel} with centroids, training labels, sizes and inertia
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when k is not an integer in [1, rows], or another option is bad;
 *   `E_EMPTY` for no rows; `E_SHAPE` for ragged rows; `E_NON_FINITE` naming a NaN or infinite value
 * @example
 * ```ts
 * import { fitKMeans } from "nextbest/segments";
 * const model = fitKMeans([[1, 1], [1.2, 0.8], [0.9, 1.1], [8, 8], [8.2, 7.9]], { k: 2, seed: 1 });
 * Array.from(model.labels); // => [0, 0, 0, 1, 1]
 * Array.from(model.sizes); // => [3, 2]
 * Array.from(model.centroids.subarray(2)).map((v) => v.toFixed(2)); // => ["8.10", "7.95"]
 * fitKMeans([[1, 2]], { k: 2 });
 * // throws NextbestError E_BAD_INPUT: "fitKMeans: options.k must be an integer in [1, 1], got 2"
 * ```
 * @category segments
 */
export function fitKMeans(data: SegmentData, options: KMeansOptions): KMeansModel {
  const fn = "fitKMeans";
  return fitKMeansFor(fn, matrixOf(fn, data), options);
}

/**
 * {@link fitKMeans} of checked rows for the public function `fn` the user called (segmentRows, kMeansElbow), whose
 * options carry `k`, `seed`, `restarts` and `maxIterations` under the same names. @internal
 */
export function fitKMeansFor(fn: string, m: DenseMatrix, options: KMeansOptions): KMeansModel {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object with k, got ${describeValue(options)}`);
  }
  const { k } = options;
  assertInteger(fn, "options.k", k, 1, m.rows);
  const seed = options.seed ?? 42;
  assertSeed(fn, "options.seed", seed);
  const restarts = options.restarts ?? 4;
  assertInteger(fn, "options.restarts", restarts, 1, 1000);
  const maxIterations = options.maxIterations ?? 300;
  assertInteger(fn, "options.maxIterations", maxIterations, 1);
  const random = createRandom(seed);
  let best: Run | undefined;
  const onProgress = progressOption(fn, options.onProgress);
  for (let r = 0; r < restarts; r++) {
    const run = lloyd(m.data, m.rows, m.cols, k, maxIterations, random);
    if (best === undefined || run.inertia < best.inertia) best = run;
    onProgress?.({ phase: "restart", step: r + 1, total: restarts, loss: best.inertia });
  }
  const { centroids, labels, sizes } = canonical(best!, m.rows, m.cols, k);
  return Object.freeze({
    kind: "kmeans",
    version: 1,
    k,
    dimension: m.cols,
    centroids,
    labels,
    sizes,
    inertia: best!.inertia,
    iterations: best!.iterations,
    converged: best!.converged,
  });
}

function checkModel(fn: string, model: unknown): asserts model is KMeansModel {
  const m = model as Partial<KMeansModel> | null;
  if (typeof m !== "object" || m === null || m.kind !== "kmeans" || m.version !== 1 || !(m.centroids instanceof Float64Array)) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model must be a version-1 k-means model (from fitKMeans), got ${describeValue(model)}`);
  }
}

/**
 * Assigns rows to the nearest centroid of a fitted model (new accounts to existing segments).
 *
 * Complexity: O(n · k · d).
 *
 * @param model - a fitted or deserialized {@link KMeansModel}
 * @param data - rows with `model.dimension` columns, encoded like the training rows
 * @returns the cluster of each row, in [0, k)
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a non-model; `E_SHAPE` when the column count differs; the data
 *   errors of {@link fitKMeans}
 * @example
 * ```ts
 * import { fitKMeans, predictKMeans } from "nextbest/segments";
 * const model = fitKMeans([[0, 0], [0, 1], [10, 10], [10, 11]], { k: 2, seed: 3 });
 * Array.from(predictKMeans(model, [[9, 9], [1, 0]])); // => [1, 0]
 * ```
 * @category segments
 */
export function predictKMeans(model: KMeansModel, data: SegmentData): Int32Array {
  const fn = "predictKMeans";
  checkModel(fn, model);
  return predictKMeansFor(fn, model, matrixOf(fn, data));
}

/** {@link predictKMeans} of a checked model for the public function `fn` the user called (assignSegments). @internal */
export function predictKMeansFor(fn: string, model: KMeansModel, m: DenseMatrix): Int32Array {
  if (m.cols !== model.dimension) {
    throw new NextbestError("E_SHAPE", `${fn}: data must have ${model.dimension} columns (the model's dimension), got ${m.cols}`);
  }
  const labels = new Int32Array(m.rows).fill(-1);
  assign(m.data, m.rows, m.cols, model.k, model.centroids, labels, new Float64Array(m.rows));
  return labels;
}

/**
 * The JSON form of a k-means model, ready for `JSON.stringify`.
 *
 * Complexity: O(n + k · d).
 *
 * @param model - the model
 * @returns a new plain object; the model is not changed
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a non-model
 * @example
 * ```ts
 * import { fitKMeans, kMeansToJSON } from "nextbest/segments";
 * const json = kMeansToJSON(fitKMeans([[0], [1], [10]], { k: 2, seed: 1 }));
 * [json.kind, json.labels, json.centroids]; // => ["kmeans", [0, 0, 1], [0.5, 10]]
 * ```
 * @category segments
 */
export function kMeansToJSON(model: KMeansModel): KMeansModelJSON {
  checkModel("kMeansToJSON", model);
  return {
    kind: "kmeans",
    version: 1,
    k: model.k,
    dimension: model.dimension,
    centroids: typedArrayToJSON(model.centroids),
    labels: typedArrayToJSON(model.labels),
    inertia: model.inertia,
    iterations: model.iterations,
    converged: model.converged,
  };
}

/**
 * Rebuilds a k-means model from its JSON form (parsed), validating every field; sizes are recounted from the labels.
 *
 * Complexity: O(n + k · d).
 *
 * @param json - the parsed JSON of {@link kMeansToJSON}
 * @returns a frozen {@link KMeansModel} equal to the original
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { fitKMeans, kMeansFromJSON, kMeansToJSON } from "nextbest/segments";
 * const json = kMeansToJSON(fitKMeans([[0], [1], [10]], { k: 2, seed: 1 }));
 * Array.from(kMeansFromJSON(JSON.parse(JSON.stringify(json))).sizes); // => [2, 1]
 * kMeansFromJSON({ ...json, centroids: [0.5] });
 * // throws NextbestError E_BAD_MODEL: "kMeansFromJSON: json.centroids must have length 2 (k × dimension), got length 1"
 * ```
 * @category segments
 */
export function kMeansFromJSON(json: unknown): KMeansModel {
  const fn = "kMeansFromJSON";
  const record = readModelEnvelope(fn, json, "kmeans", [1]);
  const k = record["k"];
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1) badModel(fn, "json.k", "be an integer >= 1", k);
  const dimension = record["dimension"];
  if (typeof dimension !== "number" || !Number.isInteger(dimension) || dimension < 1) badModel(fn, "json.dimension", "be an integer >= 1", dimension);
  const centroids = float64ArrayFromJSON(fn, "json.centroids", record["centroids"], { length: k * dimension, lengthMeaning: "k × dimension" });
  const labels = int32ArrayFromJSON(fn, "json.labels", record["labels"], { min: 0, max: k - 1 });
  const inertia = record["inertia"];
  if (typeof inertia !== "number" || !Number.isFinite(inertia) || inertia < 0) badModel(fn, "json.inertia", "be a finite number >= 0", inertia);
  const iterations = record["iterations"];
  if (typeof iterations !== "number" || !Number.isInteger(iterations) || iterations < 0) badModel(fn, "json.iterations", "be an integer >= 0", iterations);
  const converged = record["converged"];
  if (typeof converged !== "boolean") badModel(fn, "json.converged", "be a boolean", converged);
  const sizes = new Int32Array(k);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]!]!++;
  return Object.freeze({ kind: "kmeans", version: 1, k, dimension, centroids, labels, sizes, inertia, iterations, converged });
}
