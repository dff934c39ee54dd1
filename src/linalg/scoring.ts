/**
 * Scoring kernels for factor models: the score of item i for a user is the dot product of the user's factor
 * vector with row i of the item-factor table. One user against all items is a matrix–vector product bound by
 * memory bandwidth; many users against all items is a matrix product, blocked over users, with top-k per user.
 *
 * Finiteness is checked without an extra pass over the factor table: scores are computed first, and only when a
 * score is not finite is the responsible row scanned to name the offending entry.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { assertArrayLike, assertInteger } from "../internal/validate.ts";
import { createGemmWorkspace, gemm, gemvF32, gemvF64 } from "./kernels.ts";
import { assertCsr, assertDense, checkDenseEntries, float64Data, throwIfNonFinite, throwIfNonFiniteMatrix } from "./internal.ts";
import { createTopKWorkspace, selectTopK, type TopKWorkspace } from "./topk.ts";
import { createKernelArena, f32Stride, kernelOption, type KernelArena, type KernelChoice } from "./wasm/simd.ts";
import { availableThreads, openKernelArena, type ThreadedArena } from "./wasm/threads.ts";
import type { CsrMatrix, DenseMatrix } from "./types.ts";

// Called only when a score is not finite: name the factor entry responsible, or report an overflow.
function explainNonFiniteScore(
  fn: string,
  name: string,
  factors: DenseMatrix<Float64Array | Float32Array>,
  row: number,
  score: number,
): never {
  const { cols, data } = factors;
  for (let k = 0; k < cols; k++) {
    const v = data[row * cols + k]!;
    if (v - v !== 0) {
      throw new NextbestError("E_NON_FINITE", `${fn}: ${name} entry (${row}, ${k}) must be finite, got ${describeValue(v)}`);
    }
  }
  throw new NextbestError(
    "E_NON_FINITE",
    `${fn}: scores must be finite, got ${score} for row ${row} of ${name} (the dot product overflowed)`,
  );
}

// Called only when the score of (user, item) is not finite: name the factor entry responsible, or the overflow.
function explainNonFinitePair(
  fn: string,
  userFactors: DenseMatrix<Float64Array | Float32Array>,
  user: number,
  itemFactors: DenseMatrix<Float64Array | Float32Array>,
  item: number,
  score: number,
): never {
  const f = userFactors.cols;
  for (let k = 0; k < f; k++) {
    const v = userFactors.data[user * f + k]!;
    if (v - v !== 0) {
      throw new NextbestError("E_NON_FINITE", `${fn}: userFactors entry (${user}, ${k}) must be finite, got ${describeValue(v)}`);
    }
  }
  explainNonFiniteScore(fn, "itemFactors", itemFactors, item, score);
}

/**
 * The scores of every item for one user: out[i] = Σₖ itemFactors(i, k) · userVector[k], that is itemFactors · u.
 *
 * Reads the item-factor table once, in memory order, four rows at a time with eight independent float64 sums,
 * so it runs close to the machine's memory bandwidth (see `bench/linalg.ts`). Float32 tables are read by their own
 * kernel (half the bytes) and still summed in float64.
 *
 * Complexity: O(items · factors) time; no allocation when `out` is given.
 *
 * @param userVector - the user's factors (length itemFactors.cols)
 * @param itemFactors - the item-factor table, one row per item (Float64Array or Float32Array storage)
 * @param out - an optional buffer for the scores (length itemFactors.rows); a new array when absent
 * @returns the scores, one per item (`out` when given)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed argument, `E_SHAPE` when lengths disagree,
 *   `E_NON_FINITE` naming a NaN or ±Infinity in the user vector or the factor table
 * @example
 * ```ts
 * import { denseFromRows, scoreAgainstFactors } from "nextbest/linalg";
 * const items = denseFromRows([[1, 0], [0, 1], [1, 1]]);
 * Array.from(scoreAgainstFactors([2, 3], items)); // => [2, 3, 5]
 * ```
 * @category linalg
 */
export function scoreAgainstFactors(
  userVector: ArrayLike<number>,
  itemFactors: DenseMatrix<Float64Array | Float32Array>,
  out?: Float64Array,
): Float64Array {
  const fn = "scoreAgainstFactors";
  assertArrayLike(fn, "userVector", userVector);
  assertDense(fn, "itemFactors", itemFactors, true);
  const { rows, cols, data } = itemFactors;
  if (userVector.length !== cols) {
    throw new NextbestError("E_SHAPE", `${fn}: userVector must have length itemFactors.cols = ${cols}, got length ${userVector.length}`);
  }
  throwIfNonFinite(fn, "userVector", userVector);
  const scores = out ?? new Float64Array(rows);
  if (!(scores instanceof Float64Array) || scores.length !== rows) {
    throw new NextbestError("E_SHAPE", `${fn}: out must be a Float64Array of length itemFactors.rows = ${rows}, got ${describeValue(out)}`);
  }
  const u = userVector instanceof Float64Array ? userVector : Float64Array.from(userVector);
  if (data instanceof Float64Array) gemvF64(data, rows, cols, u, scores);
  else gemvF32(data, rows, cols, u, scores);
  for (let i = 0; i < rows; i++) {
    const s = scores[i]!;
    if (s - s !== 0) explainNonFiniteScore(fn, "itemFactors", itemFactors, i, s);
  }
  return scores;
}

/** Options of {@link prepareFactorScoring}. @category linalg */
export interface FactorScoringOptions {
  /**
   * The kernels (see {@link KernelChoice}): `"auto"` keeps a float32 table in WebAssembly memory and scores it with the
   * SIMD kernel in float32 (as numpy's float32 matrix–vector product), and scores a float64 table in JavaScript in
   * float64; `"webassembly"` keeps any table as float32 in WebAssembly memory. @defaultValue "auto"
   */
  kernels?: KernelChoice;
}

/**
 * A prepared item-factor table that scores one user at a time; see {@link prepareFactorScoring}.
 *
 * @category linalg
 */
export interface FactorScorer {
  /** Items (rows of the table). */
  readonly rows: number;
  /** Factors (columns of the table). */
  readonly cols: number;
  /** The kernels that score: `"webassembly"` (float32 in WebAssembly memory) or `"javascript"` (the table in place). */
  readonly kernels: "webassembly" | "javascript";
  /**
   * The scores of every item for one user, as {@link scoreAgainstFactors}: out[i] = Σₖ table(i, k) · userVector[k].
   * @throws {@link core!NextbestError} `E_SHAPE` for a wrong length, `E_NON_FINITE` for a non-finite user factor
   */
  score(userVector: ArrayLike<number>, out?: Float64Array): Float64Array;
}

/**
 * Prepares an item-factor table for scoring one user at a time, the serving path of a factor model: the table is
 * checked once (every entry finite) and, with the WebAssembly kernels, copied once into WebAssembly memory as float32,
 * so each call reads it at close to the memory's bandwidth (`bench/linalg.ts`, row `score-one-user-100000x64`). The
 * scorer reads the table as it was when prepared; prepare again after changing it.
 *
 * Complexity: O(items · factors) to prepare and per call; the WebAssembly copy holds items · factors float32 values.
 *
 * @param itemFactors - the item-factor table, one row per item (Float64Array or Float32Array storage)
 * @param options - the kernels
 * @returns a {@link FactorScorer}
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed table or option, `E_NON_FINITE` naming a non-finite
 *   entry
 * @example
 * ```ts
 * import { denseMatrix, prepareFactorScoring } from "nextbest/linalg";
 * const items = denseMatrix(3, 2, Float32Array.from([1, 0, 0, 1, 1, 1]));
 * const scorer = prepareFactorScoring(items);
 * Array.from(scorer.score([2, 3])); // => [2, 3, 5]
 * ```
 * @category linalg
 */
export function prepareFactorScoring(itemFactors: DenseMatrix<Float64Array | Float32Array>, options: FactorScoringOptions = {}): FactorScorer {
  const fn = "prepareFactorScoring";
  assertDense(fn, "itemFactors", itemFactors, true);
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const kernels = kernelOption(fn, options.kernels);
  const { rows, cols, data } = itemFactors;
  throwIfNonFiniteMatrix(fn, "itemFactors", itemFactors);
  const prepared = cols > 0 && (kernels === "webassembly" || (kernels === "auto" && data instanceof Float32Array)) ? wasmTable(data, rows, cols) : undefined;
  const u = new Float64Array(cols);
  const score = (userVector: ArrayLike<number>, out?: Float64Array): Float64Array => {
    const call = `${fn}(...).score`;
    assertArrayLike(call, "userVector", userVector);
    if (userVector.length !== cols) {
      throw new NextbestError("E_SHAPE", `${call}: userVector must have length ${cols} (the table's factors), got length ${userVector.length}`);
    }
    throwIfNonFinite(call, "userVector", userVector);
    const scores = out ?? new Float64Array(rows);
    if (!(scores instanceof Float64Array) || scores.length !== rows) {
      throw new NextbestError("E_SHAPE", `${call}: out must be a Float64Array of length ${rows}, got ${describeValue(out)}`);
    }
    for (let k = 0; k < cols; k++) u[k] = userVector[k]!;
    if (prepared !== undefined && prepared.score(u, scores)) return scores;
    // The JavaScript kernels, also when a float32 score overflowed (the float64 sums may not).
    if (data instanceof Float64Array) gemvF64(data, rows, cols, u, scores);
    else gemvF32(data, rows, cols, u, scores);
    for (let i = 0; i < rows; i++) {
      const s = scores[i]!;
      if (s - s !== 0) explainNonFiniteScore(call, "itemFactors", itemFactors, i, s);
    }
    return scores;
  };
  return Object.freeze({ rows, cols, kernels: prepared === undefined ? "javascript" : "webassembly", score });
}

/** A float32 copy of a table in WebAssembly memory; `score` returns false when a score is not finite in float32. */
function wasmTable(data: Float64Array | Float32Array, rows: number, cols: number): { score(u: Float64Array, out: Float64Array): boolean } | undefined {
  const stride = f32Stride(cols);
  const arena = createKernelArena(new Map([["table", 4 * rows * stride], ["user", 4 * stride], ["scores", 4 * rows]]));
  if (arena === undefined) return undefined;
  const table = arena.f32("table");
  for (let i = 0; i < rows; i++) for (let k = 0; k < cols; k++) table[i * stride + k] = data[i * cols + k]!;
  const user = arena.f32("user");
  const scores = arena.f32("scores");
  const at = (name: string): number => arena.offsets.get(name)!;
  const [tableAt, userAt, scoresAt] = [at("table"), at("user"), at("scores")];
  return {
    score(u, out) {
      for (let k = 0; k < cols; k++) user[k] = u[k]!;
      arena.kernels.gemvF32(tableAt, rows, stride, userAt, scoresAt);
      out.set(scores);
      for (let i = 0; i < rows; i++) {
        const s = out[i]!;
        if (s - s !== 0) return false;
      }
      return true;
    },
  };
}

/**
 * The scores of every item for every user: the users × items matrix U · Vᵀ, computed by the blocked matmul
 * kernel without transposing V.
 *
 * Complexity: O(users · items · factors) time, O(users · items) memory.
 *
 * @param userFactors - one row of factors per user (users × factors)
 * @param itemFactors - one row of factors per item (items × factors)
 * @returns a new users × items score matrix
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed matrix, `E_SHAPE` when the factor counts differ,
 *   `E_NON_FINITE` naming a NaN or ±Infinity; `E_BAD_INPUT` when the result would hold more than 2^31 − 1 entries (checked before allocating)
 * @example
 * ```ts
 * import { denseFromRows, denseToRows, scoreAllAgainstFactors } from "nextbest/linalg";
 * const users = denseFromRows([[1, 0], [0, 2]]);
 * const items = denseFromRows([[1, 2], [3, 4], [5, 6]]);
 * denseToRows(scoreAllAgainstFactors(users, items)); // => [[1, 3, 5], [4, 8, 12]]
 * ```
 * @category linalg
 */
export function scoreAllAgainstFactors(
  userFactors: DenseMatrix<Float64Array | Float32Array>,
  itemFactors: DenseMatrix<Float64Array | Float32Array>,
): DenseMatrix {
  const fn = "scoreAllAgainstFactors";
  checkFactorPair(fn, userFactors, itemFactors);
  throwIfNonFiniteMatrix(fn, "userFactors", userFactors);
  throwIfNonFiniteMatrix(fn, "itemFactors", itemFactors);
  const m = userFactors.rows;
  const p = itemFactors.rows;
  const f = userFactors.cols;
  checkDenseEntries(fn, "the scores (userFactors.rows × itemFactors.rows)", m, p);
  const out = new Float64Array(m * p);
  if (m > 0 && p > 0 && f > 0) {
    gemm(m, f, p, float64Data(userFactors), f, 1, float64Data(itemFactors), 1, f, out, false, createGemmWorkspace());
  }
  return { rows: m, cols: p, data: out };
}

function checkFactorPair(
  fn: string,
  userFactors: unknown,
  itemFactors: unknown,
): asserts userFactors is DenseMatrix<Float64Array | Float32Array> {
  assertDense(fn, "userFactors", userFactors, true);
  assertDense(fn, "itemFactors", itemFactors, true);
  if (userFactors.cols !== itemFactors.cols) {
    throw new NextbestError(
      "E_SHAPE",
      `${fn}: itemFactors.cols must equal userFactors.cols (${userFactors.cols}), got ${itemFactors.cols}`,
    );
  }
}

/** Options of {@link topKAgainstFactors}. @category linalg */
export interface TopKAgainstFactorsOptions {
  /** How many items to return per user (fewer when fewer are eligible). */
  k: number;
  /**
   * Items to skip per user, as a users × items CSR matrix whose stored entries (whatever their value) mark the
   * excluded pairs, typically the interactions seen in training. @defaultValue no exclusion
   */
  exclude?: CsrMatrix;
  /**
   * The kernels of the scoring (see {@link KernelChoice}): `"auto"` scores two float32 tables with the WebAssembly
   * SIMD kernels in float32, as numpy's float32 matmul does, and everything else with the JavaScript kernels in float64;
   * `"webassembly"` scores in float32 whatever the tables' type. A score that overflows float32 is recomputed in float64.
   * @defaultValue "auto"
   */
  kernels?: KernelChoice;
  /**
   * Threads of the WebAssembly scoring (Node worker threads over one shared memory; each scores a block's users against
   * its share of the items, then selects the top k of its share of the users). Every score is computed the same way
   * whatever the split, so the result does not depend on it. Products under 100 million multiply-adds use one thread
   * (the workers start once per process, about 60 ms each, and stay idle for later calls); browsers and runtimes
   * without SharedArrayBuffer use one.
   * @defaultValue the available cores in Node, 1 elsewhere
   */
  threads?: number;
}

/** Result of {@link topKAgainstFactors}: row u of each array holds user u's recommendations. @category linalg */
export interface TopKAgainstFactorsResult {
  /** Items per row (the `k` asked for, capped at the number of items). */
  readonly k: number;
  /** users × k item indices, best first; -1 pads a row with fewer eligible items. */
  readonly indices: Int32Array;
  /** users × k scores matching `indices`; NaN where `indices` is -1. */
  readonly scores: Float64Array;
  /** Number of items returned for each user (k unless exclusions left fewer). */
  readonly counts: Int32Array;
}

/**
 * The k best-scoring items for every user of a factor model, with optional per-user exclusion of seen items.
 *
 * Users are processed in blocks: each block's scores are computed by the blocked matmul kernel into a buffer of
 * at most about 4 MB, then each row goes through a bounded-heap top-k (ties by lower item index). Memory stays
 * O(users · k) for the result, whatever the catalog size.
 *
 * Complexity: O(users · items · factors) time for scoring plus O(users · items) for selection.
 *
 * @param userFactors - one row of factors per user (users × factors)
 * @param itemFactors - one row of factors per item (items × factors)
 * @param options - k and the optional exclusion matrix
 * @returns indices, scores and counts, row-major users × k
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed argument or k not a positive integer, `E_SHAPE` when
 *   the factor counts or the exclusion matrix's shape disagree, `E_NON_FINITE` naming a NaN or ±Infinity
 * @example
 * ```ts
 * import { csrFromTriplets, denseFromRows, topKAgainstFactors } from "nextbest/linalg";
 * const users = denseFromRows([[1, 0], [0, 1]]);
 * const items = denseFromRows([[3, 0], [1, 1], [0, 2]]);
 * const seen = csrFromTriplets({ rows: 2, cols: 3, rowIndices: [1], colIndices: [2], values: [1] });
 * const top = topKAgainstFactors(users, items, { k: 2, exclude: seen });
 * Array.from(top.indices); // => [0, 1, 1, 0]
 * Array.from(top.scores); // => [3, 1, 1, 0]
 * ```
 * @category linalg
 */
export function topKAgainstFactors(
  userFactors: DenseMatrix<Float64Array | Float32Array>,
  itemFactors: DenseMatrix<Float64Array | Float32Array>,
  options: TopKAgainstFactorsOptions,
): TopKAgainstFactorsResult {
  const fn = "topKAgainstFactors";
  checkFactorPair(fn, userFactors, itemFactors);
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object with k, got ${describeValue(options)}`);
  }
  assertInteger(fn, "options.k", options.k, 1);
  const m = userFactors.rows;
  const p = itemFactors.rows;
  const f = userFactors.cols;
  const exclude = options.exclude;
  if (exclude !== undefined) {
    assertCsr(fn, "options.exclude", exclude);
    if (exclude.rows !== m || exclude.cols !== p) {
      throw new NextbestError(
        "E_SHAPE",
        `${fn}: options.exclude must be users × items = ${m} × ${p}, got ${exclude.rows} × ${exclude.cols}`,
      );
    }
  }
  // No up-front pass over the factor tables: a NaN or ±Infinity in either makes some score non-finite, and the
  // check of each user's scores below then names the offending entry.
  const k = Math.min(options.k, p);
  const indices = new Int32Array(m * k).fill(-1);
  const scores = new Float64Array(m * k).fill(Number.NaN);
  const counts = new Int32Array(m);
  if (m === 0 || k === 0) return { k, indices, scores, counts };

  const kernels = kernelOption(fn, options.kernels);
  const threadsOption = options.threads ?? availableThreads();
  assertInteger(fn, "options.threads", threadsOption, 1, 256);
  const float32 = userFactors.data instanceof Float32Array && itemFactors.data instanceof Float32Array;
  if (f > 0 && (kernels === "webassembly" || (kernels === "auto" && float32))) {
    const result = { k, indices, scores, counts };
    const threads = m * p * f >= THREADED_MIN_WORK ? threadsOption : 1;
    if (topKWithKernels(fn, userFactors, itemFactors, k, exclude, result, threads)) return result;
  }
  // Fewer users than the micro-kernel's height: one matrix–vector product per user reads the table once per user
  // in its own element type, with no packing (the one-user case is the common online request).
  const small = m < 4;
  const U = float64Data(userFactors);
  const V = small ? itemFactors.data : float64Data(itemFactors);
  // Users per block: a multiple of 4 (the micro-kernel's height) keeping the block's scores near 4 MB.
  const blockUsers = Math.max(4, Math.min(256, Math.floor((1 << 19) / p) & ~3));
  const block = new Float64Array(Math.min(blockUsers, m) * p);
  const mask = exclude === undefined ? undefined : new Uint8Array(p);
  const heap = createTopKWorkspace(k);
  const gemmWorkspace = createGemmWorkspace();
  for (let u0 = 0; u0 < m; u0 += blockUsers) {
    const mb = Math.min(blockUsers, m - u0);
    const blockScores = mb * p === block.length ? block : block.subarray(0, mb * p);
    if (small) {
      for (let b = 0; b < mb; b++) {
        const user = U.subarray((u0 + b) * f, (u0 + b + 1) * f);
        const row = blockScores.subarray(b * p, (b + 1) * p);
        if (V instanceof Float64Array) gemvF64(V, p, f, user, row);
        else gemvF32(V, p, f, user, row);
      }
    } else {
      blockScores.fill(0);
      if (f > 0) gemm(mb, f, p, U.subarray(u0 * f), f, 1, V as Float64Array, 1, f, blockScores, false, gemmWorkspace);
    }
    for (let b = 0; b < mb; b++) {
      const user = u0 + b;
      const rowScores = blockScores.subarray(b * p, (b + 1) * p);
      for (let i = 0; i < p; i++) {
        const s = rowScores[i]!;
        if (s - s !== 0) explainNonFinitePair(fn, userFactors, user, itemFactors, i, s);
      }
      selectUserTopK(rowScores, p, user, k, exclude, mask, heap, indices, scores, counts);
    }
  }
  return { k, indices, scores, counts };
}

/** Writes user `user`'s top k of `row` (p scores) into the result arrays, its excluded items masked out. */
function selectUserTopK(
  row: Float64Array,
  p: number,
  user: number,
  k: number,
  exclude: CsrMatrix | undefined,
  mask: Uint8Array | undefined,
  heap: TopKWorkspace,
  indices: Int32Array,
  scores: Float64Array,
  counts: Int32Array,
): void {
  let start = 0;
  let end = 0;
  if (mask !== undefined && exclude !== undefined) {
    start = exclude.indptr[user]!;
    end = exclude.indptr[user + 1]!;
    for (let q = start; q < end; q++) mask[exclude.indices[q]!] = 1;
  }
  const count = selectTopK(row, p, mask, heap, indices, user * k);
  if (mask !== undefined && exclude !== undefined) {
    for (let q = start; q < end; q++) mask[exclude.indices[q]!] = 0;
  }
  counts[user] = count;
  for (let t = 0; t < count; t++) scores[user * k + t] = row[indices[user * k + t]!]!;
}

/** Products (users · items · factors) from which the WebAssembly scoring starts worker threads. */
const THREADED_MIN_WORK = 100_000_000;

/** The largest k whose selection runs on the WebAssembly kernel (beyond it the block's k-slots would grow large). */
const MAX_KERNEL_K = 4096;

/** Items per chunk of the WebAssembly scoring: a chunk of the item table (items × stride floats) stays in L2. */
const ITEM_CHUNK = 1024;

/**
 * {@link topKAgainstFactors} on the WebAssembly SIMD kernels: both tables copied once into float32 tables in the
 * kernels' memory, users in blocks whose float32 scores fill at most 16 MB, each block scored chunk by chunk of
 * {@link ITEM_CHUNK} items (each chunk read from cache by every user of the block), then each user's top k selected on
 * the kernels as the JavaScript path selects them from the row widened to float64 (the block's users split among the
 * threads; for k above {@link MAX_KERNEL_K}, in JavaScript). A row with a non-finite float32 score is rescored in
 * float64 (an overflow of float32 only) before the finiteness check names an offending entry. `selection:
 * "javascript"` keeps the selection in JavaScript (the tests compare both). Returns false, having
 * written nothing, when the kernels cannot run here or the tables exceed WebAssembly's memory. Not in the barrel
 * (exported for the tests of the threaded path). @internal
 */
export function topKWithKernels(
  fn: string,
  userFactors: DenseMatrix<Float64Array | Float32Array>,
  itemFactors: DenseMatrix<Float64Array | Float32Array>,
  k: number,
  exclude: CsrMatrix | undefined,
  result: { indices: Int32Array; scores: Float64Array; counts: Int32Array },
  threads: number,
  selection: "kernels" | "javascript" = "kernels",
): boolean {
  const m = userFactors.rows;
  const p = itemFactors.rows;
  const f = userFactors.cols;
  const stride = f32Stride(f);
  const blockUsers = Math.max(2, Math.min(256, Math.floor((1 << 22) / p) & ~1));
  const mbMax = Math.min(blockUsers, m);
  const sizes = new Map([["items", 4 * p * stride], ["users", 4 * mbMax * stride], ["scores", 4 * mbMax * p]]);
  // The selection runs on the kernels too (each thread a share of the block's users) unless k is large.
  const selectInKernels = selection === "kernels" && k <= MAX_KERNEL_K;
  if (selectInKernels) {
    const nnz = exclude === undefined ? 0 : exclude.indptr[m]!;
    sizes.set("params", 64);
    sizes.set("excludeIndptr", exclude === undefined ? 0 : 4 * (m + 1));
    sizes.set("excludeIndices", 4 * nnz + 16); // the kernel may read one index past a row's last
    sizes.set("outIndices", 4 * mbMax * k);
    sizes.set("outScores", 8 * mbMax * k);
    sizes.set("outCounts", 4 * mbMax);
  }
  const opened = openKernelArena(sizes, new Map(selectInKernels ? [["heap", 12 * k + 8]] : []), threads);
  if (opened === undefined) return false;
  try {
    scoreInBlocks({ fn, userFactors, itemFactors, k, exclude, result }, opened.arena, opened.threaded);
  } finally {
    opened.close();
  }
  return true;
}

/** The arguments of {@link topKWithKernels} that its block loop reads. */
interface TopKJob {
  readonly fn: string;
  readonly userFactors: DenseMatrix<Float64Array | Float32Array>;
  readonly itemFactors: DenseMatrix<Float64Array | Float32Array>;
  readonly k: number;
  readonly exclude: CsrMatrix | undefined;
  readonly result: { indices: Int32Array; scores: Float64Array; counts: Int32Array };
}

/** The blocks of {@link topKWithKernels}: score each block of users (split over the threads), then select. */
function scoreInBlocks(job: TopKJob, arena: KernelArena, threaded: ThreadedArena | undefined): void {
  const { fn, userFactors, itemFactors, k, exclude, result } = job;
  const m = userFactors.rows;
  const p = itemFactors.rows;
  const f = userFactors.cols;
  const stride = f32Stride(f);
  const blockUsers = Math.max(2, Math.min(256, Math.floor((1 << 22) / p) & ~1));
  const items = arena.f32("items");
  const usersBlock = arena.f32("users");
  const blockScores = arena.f32("scores");
  for (let i = 0; i < p; i++) for (let c = 0; c < f; c++) items[i * stride + c] = itemFactors.data[i * f + c]!;
  const { kernels, offsets } = arena;
  const itemsAt = offsets.get("items")!;
  const usersAt = offsets.get("users")!;
  const scoresAt = offsets.get("scores")!;
  const row = new Float64Array(p);
  const mask = exclude === undefined ? undefined : new Uint8Array(p);
  const heap = createTopKWorkspace(k);
  const { indices, scores, counts } = result;
  const threads = threaded?.threads ?? 1;
  // Selection on the kernels: the exclusion matrix copied in once, each block's lists written to k slots per user.
  const selectInKernels = offsets.has("params");
  const params = selectInKernels ? arena.i32("params") : undefined;
  const outIndices = selectInKernels ? arena.i32("outIndices") : undefined;
  const outScores = selectInKernels ? arena.f64("outScores") : undefined;
  const outCounts = selectInKernels ? arena.i32("outCounts") : undefined;
  if (params !== undefined) {
    if (exclude !== undefined) {
      arena.i32("excludeIndptr").set(exclude.indptr.subarray(0, m + 1));
      arena.i32("excludeIndices").set(exclude.indices.subarray(0, exclude.indptr[m]!));
    }
    params.set([scoresAt, p, exclude === undefined ? 0 : offsets.get("excludeIndptr")!, offsets.get("excludeIndices")!, k, offsets.get("outIndices")!, offsets.get("outScores")!, offsets.get("outCounts")!, 0]);
  }
  for (let u0 = 0; u0 < m; u0 += blockUsers) {
    const mb = Math.min(blockUsers, m - u0);
    for (let b = 0; b < mb; b++) {
      for (let c = 0; c < f; c++) usersBlock[b * stride + c] = userFactors.data[(u0 + b) * f + c]!;
    }
    // Each thread scores every user of the block against a contiguous share of the items (whole chunks), so the item
    // table is still read once per block whatever the thread count.
    const chunks = Math.ceil(p / ITEM_CHUNK);
    const calls: number[][] = [];
    for (let t = 0; t < threads; t++) {
      const first = Math.min(p, Math.floor((chunks * t) / threads) * ITEM_CHUNK);
      const last = Math.min(p, Math.floor((chunks * (t + 1)) / threads) * ITEM_CHUNK);
      calls.push([usersAt, mb, itemsAt + 4 * stride * first, last - first, stride, scoresAt + 4 * first, p, ITEM_CHUNK]);
    }
    if (threaded !== undefined) threaded.run("scoreChunkedF32", calls);
    else kernels.scoreChunkedF32(...(calls[0] as [number, number, number, number, number, number, number, number]));
    if (params !== undefined) {
      // Then each thread selects the top k of a share of the block's users, over their whole rows.
      params[8] = u0;
      const selections: number[][] = [];
      for (let t = 0; t < threads; t++) {
        selections.push([offsets.get("params")!, Math.floor((mb * t) / threads), Math.floor((mb * (t + 1)) / threads), offsets.get(`heap${t}`)!]);
      }
      if (threaded !== undefined) threaded.run("selectTopKRowsF32", selections);
      else kernels.selectTopKRowsF32(...(selections[0] as [number, number, number, number]));
    }
    for (let b = 0; b < mb; b++) {
      const user = u0 + b;
      const selected = outCounts === undefined ? -1 : outCounts[b]!;
      if (selected >= 0) {
        // the kernel's lists (a row with a non-finite score has count −1 and takes the path below)
        counts[user] = selected;
        indices.set(outIndices!.subarray(b * k, b * k + selected), user * k);
        scores.set(outScores!.subarray(b * k, b * k + selected), user * k);
        continue;
      }
      row.set(blockScores.subarray(b * p, (b + 1) * p));
      let finite = true;
      for (let i = 0; i < p; i++) {
        const s = row[i]!;
        if (s - s !== 0) finite = false;
      }
      if (!finite) {
        const U = userFactors.data.subarray(user * f, (user + 1) * f);
        const V = itemFactors.data;
        if (V instanceof Float64Array) gemvF64(V, p, f, Float64Array.from(U), row);
        else gemvF32(V, p, f, Float64Array.from(U), row);
        for (let i = 0; i < p; i++) {
          const s = row[i]!;
          if (s - s !== 0) explainNonFinitePair(fn, userFactors, user, itemFactors, i, s);
        }
      }
      selectUserTopK(row, p, user, k, exclude, mask, heap, indices, scores, counts);
    }
  }
}
