/**
 * Exact cosine top-k between rows of dense feature matrices, computed in blocks so memory stays bounded.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { createGemmWorkspace, gemm } from "../linalg/kernels.ts";
import { createTopKWorkspace, selectTopK } from "../linalg/topk.ts";
import type { DenseMatrix } from "../linalg/types.ts";

/** Scores held per block: block rows × candidates stays under this many float64s (32 MB). */
const BLOCK_BUDGET = 4_194_304;

/**
 * Options of {@link similarRows}.
 *
 * @category content
 */
export interface SimilarRowsOptions {
  /** Neighbours per row (fewer when the matrix has fewer other rows). */
  k: number;
  /** Leave each row out of its own neighbours. @defaultValue true */
  excludeSelf?: boolean;
  /**
   * Rows scored per block; memory for scores is `blockRows × matrix.rows` float64s.
   * @defaultValue max(1, floor(4194304 / rows)), capped at rows (at most 32 MB of scores)
   */
  blockRows?: number;
}

/**
 * The k most cosine-similar rows of every row: row `r`'s neighbours are `indices[r * k .. r * k + counts[r])`, best
 * first, with their similarities at the same positions; unused slots hold -1 and NaN.
 *
 * @category content
 */
export interface SimilarRows {
  /** Number of rows. */
  readonly rows: number;
  /** Slots per row: `options.k`, or the number of rows when that is smaller. */
  readonly k: number;
  /** `rows × k` neighbour row indices, -1 in unused slots. */
  readonly indices: Int32Array;
  /** `rows × k` cosine similarities in [-1, 1], NaN in unused slots. */
  readonly similarities: Float64Array;
  /** How many slots of each row are used. */
  readonly counts: Int32Array;
}

/**
 * Checks an encoded table `{ ids, features }` (firmographics of accounts): a finite Float64 matrix with one row per id.
 * Shared by the projection, the firmographic cold start and the look-alike model.
 */
export function checkAccountTable(fn: string, name: string, table: unknown): asserts table is { readonly ids: readonly unknown[]; readonly features: DenseMatrix } {
  const t = table as { ids?: unknown; features?: unknown } | null;
  if (typeof t !== "object" || t === null || !Array.isArray(t.ids) || typeof t.features !== "object" || t.features === null) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be { ids, features: DenseMatrix }, got ${describeValue(table)}`);
  }
  checkMatrix(fn, `${name}.features`, t.features);
  if (t.features.rows !== t.ids.length) {
    throw new NextbestError("E_SHAPE", `${fn}: ${name}.features must have one row per id (${t.ids.length} rows), got ${t.features.rows} × ${t.features.cols}`);
  }
}

function checkMatrix(fn: string, name: string, matrix: unknown): asserts matrix is DenseMatrix {
  const m = matrix as Partial<DenseMatrix> | null;
  if (typeof m !== "object" || m === null || !(m.data instanceof Float64Array) || !Number.isInteger(m.rows) || !Number.isInteger(m.cols)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a Float64 DenseMatrix {rows, cols, data}, got ${describeValue(matrix)}`);
  }
  if (m.data.length !== m.rows! * m.cols!) {
    throw new NextbestError("E_SHAPE", `${fn}: ${name}.data must have length rows * cols = ${m.rows! * m.cols!}, got length ${m.data.length}`);
  }
  const data = m.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      const cols = m.cols!;
      throw new NextbestError("E_NON_FINITE", `${fn}: ${name} row ${Math.floor(i / cols)} column ${i % cols} must be finite, got ${describeValue(data[i])}`);
    }
  }
}

function positiveInteger(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

/** A copy of the matrix with unit-norm rows (zero rows stay zero, so their cosine with anything is 0). */
export function unitRows(matrix: DenseMatrix): Float64Array {
  const { rows, cols } = matrix;
  const out = new Float64Array(matrix.data);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    // Scale by the largest magnitude first so the sum of squares cannot overflow or underflow.
    let largest = 0;
    for (let j = 0; j < cols; j++) largest = Math.max(largest, Math.abs(out[o + j]!));
    if (largest === 0) continue;
    let ss = 0;
    for (let j = 0; j < cols; j++) {
      const v = out[o + j]! / largest;
      ss += v * v;
    }
    const factor = 1 / Math.sqrt(ss);
    for (let j = 0; j < cols; j++) out[o + j] = (out[o + j]! / largest) * factor;
  }
  return out;
}

/**
 * The k most similar rows of every row of a feature matrix by cosine similarity: "products like this one", or
 * accounts like this one. Exact: the rows are normalised to unit length, then the similarity matrix is computed a
 * block of rows at a time with the blocked matrix-multiply kernel (scores = block · allᵀ) and each row's top k is
 * selected with a bounded heap, so memory for scores stays at `blockRows × rows` numbers whatever the catalog size.
 * Rows that are all zero have similarity 0 with everything. Ties break by the lower row index.
 *
 * Complexity: O(rows² · cols) time, O(rows · cols + blockRows · rows + rows · min(k, rows)) memory: a k beyond the
 * rows reserves no more slots than there are rows.
 *
 * @param matrix - the encoded rows (e.g. from `encodeRows`)
 * @param options - k, self exclusion and block size
 * @returns the neighbours of every row
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when k or blockRows is not a positive integer or `matrix` is not a
 *   Float64 DenseMatrix; `E_SHAPE` when its data length is wrong; `E_NON_FINITE` naming a NaN or infinite entry
 * @example
 * ```ts
 * import { similarRows } from "nextbest/content";
 * import { denseFromRows } from "nextbest/linalg";
 * const products = denseFromRows([[1, 0], [0.9, 0.1], [0, 1]]);
 * const similar = similarRows(products, { k: 1 });
 * Array.from(similar.indices); // => [1, 0, 1]
 * similar.similarities[2].toFixed(4); // => "0.1104"
 * ```
 * @category content
 */
export function similarRows(matrix: DenseMatrix, options: SimilarRowsOptions): SimilarRows {
  const fn = "similarRows";
  checkMatrix(fn, "matrix", matrix);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object with k, got ${describeValue(options)}`);
  }
  const k = positiveInteger(fn, "options.k", options.k);
  const excludeSelf = options.excludeSelf ?? true;
  if (typeof excludeSelf !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: options.excludeSelf must be a boolean, got ${describeValue(excludeSelf)}`);
  const n = matrix.rows;
  const d = matrix.cols;
  const blockRows = options.blockRows === undefined
    ? Math.max(1, Math.min(n, Math.floor(BLOCK_BUDGET / Math.max(1, n))))
    : positiveInteger(fn, "options.blockRows", options.blockRows);
  const unit = unitRows(matrix);
  // Slots per row: k, but never more than the rows there are (k = 1e9 must not reserve rows × 1e9 slots).
  const slots = Math.min(k, n);
  const indices = new Int32Array(n * slots).fill(-1);
  const similarities = new Float64Array(n * slots).fill(Number.NaN);
  const counts = new Int32Array(n);
  const capacity = Math.min(slots, excludeSelf ? Math.max(0, n - 1) : n);
  if (capacity === 0 || n === 0) return { rows: n, k: slots, indices, similarities, counts };
  const block = Math.min(blockRows, n);
  const scores = new Float64Array(block * n);
  const exclude = new Uint8Array(n);
  const heap = createTopKWorkspace(capacity);
  const gemmWorkspace = createGemmWorkspace();
  const picked = new Int32Array(capacity);
  for (let start = 0; start < n; start += block) {
    const m = Math.min(block, n - start);
    scores.fill(0, 0, m * n);
    // scores[i, j] = unit[start + i] · unit[j]: A = rows of the block (row stride d), B = unitᵀ (element (k, j) at j*d + k).
    if (d > 0) gemm(m, d, n, unit.subarray(start * d, (start + m) * d), d, 1, unit, 1, d, scores, false, gemmWorkspace);
    for (let i = 0; i < m; i++) {
      const r = start + i;
      const row = scores.subarray(i * n, (i + 1) * n);
      if (excludeSelf) exclude[r] = 1;
      const count = selectTopK(row, n, exclude, heap, picked, 0);
      if (excludeSelf) exclude[r] = 0;
      counts[r] = count;
      for (let t = 0; t < count; t++) {
        const j = picked[t]!;
        indices[r * slots + t] = j;
        similarities[r * slots + t] = clampCosine(row[j]!);
      }
    }
  }
  return { rows: n, k: slots, indices, similarities, counts };
}

function clampCosine(value: number): number {
  return value > 1 ? 1 : value < -1 ? -1 : value;
}

/** How {@link lookAlikes} scores a candidate against the seeds. @category content */
export type LookAlikeMethod = "centroid" | "max";

/**
 * Options of {@link lookAlikes}.
 *
 * @category content
 */
export interface LookAlikeOptions {
  /** How many look-alikes to return (fewer when fewer candidates are eligible). */
  k: number;
  /**
   * `"centroid"`: cosine of each account with the mean of the seeds' unit vectors (one profile of "our best
   * customers", smooth, O(accounts · cols)). `"max"`: the highest cosine with any single seed (finds accounts like
   * any one seed, good when the seeds form several segments; O(accounts · seeds · cols)).
   * @defaultValue "centroid"
   */
  method?: LookAlikeMethod;
  /** Leave the seeds themselves out of the result. @defaultValue true */
  excludeSeeds?: boolean;
  /**
   * Row indices that may not be returned (e.g. existing customers when looking for prospects).
   * @defaultValue undefined (none)
   */
  exclude?: ArrayLike<number>;
}

/**
 * Look-alike accounts, best first.
 *
 * @category content
 */
export interface LookAlikes {
  /** Row indices of the look-alike accounts, best first (ties: lower index first). */
  readonly indices: Int32Array;
  /** Their scores (cosine with the centroid, or highest cosine with a seed), in [-1, 1]. */
  readonly scores: Float64Array;
}

/**
 * Finds accounts that look like a set of seed accounts — "prospects that look like our best customers" — by cosine
 * similarity of their encoded firmographic vectors (the audience-expansion idea of look-alike modelling). With
 * `method: "centroid"` (the default) every account is scored by its cosine with the centroid of the seeds' unit
 * vectors; with `"max"`, by its highest cosine with any seed, computed in blocks of accounts with the matrix-multiply
 * kernel. All-zero rows score 0.
 *
 * Complexity: centroid O(accounts · cols); max O(accounts · seeds · cols) time and O(block · seeds) extra memory.
 *
 * @param accounts - the encoded accounts, one row each (e.g. from `encodeRows`)
 * @param seeds - row indices of the seed accounts (e.g. the best customers); repeats are ignored
 * @param options - k, method and exclusions
 * @returns the look-alike row indices with their scores
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a bad option or matrix; `E_EMPTY` when there are no seeds;
 *   `E_UNKNOWN_ID` when a seed or excluded index is not a row index; `E_NON_FINITE` for a NaN or infinite entry
 * @example
 * ```ts
 * import { lookAlikes } from "nextbest/content";
 * import { denseFromRows } from "nextbest/linalg";
 * // Columns: manufacturing, retail, large. Rows 0 and 1 are our best customers.
 * const accounts = denseFromRows([[1, 0, 1], [1, 0, 1], [0, 1, 0], [1, 0, 0.8], [0, 1, 1]]);
 * Array.from(lookAlikes(accounts, [0, 1], { k: 2 }).indices); // => [3, 4]
 * ```
 * @category content
 */
export function lookAlikes(accounts: DenseMatrix, seeds: ArrayLike<number>, options: LookAlikeOptions): LookAlikes {
  const fn = "lookAlikes";
  checkMatrix(fn, "accounts", accounts);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object with k, got ${describeValue(options)}`);
  }
  const k = positiveInteger(fn, "options.k", options.k);
  const method = options.method ?? "centroid";
  if (method !== "centroid" && method !== "max") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.method must be "centroid" or "max", got ${describeValue(method)}`);
  }
  const excludeSeeds = options.excludeSeeds ?? true;
  if (typeof excludeSeeds !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: options.excludeSeeds must be a boolean, got ${describeValue(excludeSeeds)}`);
  const n = accounts.rows;
  const d = accounts.cols;
  const seedList = rowIndexList(fn, "seeds", seeds, n);
  if (seedList.length === 0) throw new NextbestError("E_EMPTY", `${fn}: seeds must hold at least one row index, got 0`);
  const mask = new Uint8Array(n);
  if (excludeSeeds) for (const s of seedList) mask[s] = 1;
  if (options.exclude !== undefined) for (const r of rowIndexList(fn, "options.exclude", options.exclude, n)) mask[r] = 1;
  const unit = unitRows(accounts);
  const scores = new Float64Array(n);
  if (method === "centroid") {
    const centroid = new Float64Array(d);
    for (const s of seedList) for (let j = 0; j < d; j++) centroid[j] = centroid[j]! + unit[s * d + j]!;
    let ss = 0;
    for (let j = 0; j < d; j++) ss += centroid[j]! * centroid[j]!;
    if (ss > 0) {
      const inv = 1 / Math.sqrt(ss);
      for (let j = 0; j < d; j++) centroid[j] = centroid[j]! * inv;
    }
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += unit[r * d + j]! * centroid[j]!;
      scores[r] = clampCosine(s);
    }
  } else {
    const seedCount = seedList.length;
    const seedRows = new Float64Array(seedCount * d);
    for (let t = 0; t < seedCount; t++) seedRows.set(unit.subarray(seedList[t]! * d, (seedList[t]! + 1) * d), t * d);
    const block = Math.max(1, Math.min(n, Math.floor(BLOCK_BUDGET / seedCount)));
    const buffer = new Float64Array(block * seedCount);
    const workspace = createGemmWorkspace();
    for (let start = 0; start < n; start += block) {
      const m = Math.min(block, n - start);
      buffer.fill(0, 0, m * seedCount);
      if (d > 0) gemm(m, d, seedCount, unit.subarray(start * d, (start + m) * d), d, 1, seedRows, 1, d, buffer, false, workspace);
      for (let i = 0; i < m; i++) {
        let best = -Infinity;
        for (let t = 0; t < seedCount; t++) best = Math.max(best, buffer[i * seedCount + t]!);
        scores[start + i] = clampCosine(best);
      }
    }
  }
  let eligible = 0;
  for (let r = 0; r < n; r++) if (mask[r] === 0) eligible++;
  const capacity = Math.min(k, eligible);
  const picked = new Int32Array(capacity);
  const count = selectTopK(scores, n, mask, createTopKWorkspace(capacity), picked, 0);
  const out = picked.slice(0, count);
  const outScores = new Float64Array(count);
  for (let t = 0; t < count; t++) outScores[t] = scores[out[t]!]!;
  return { indices: out, scores: outScores };
}

function rowIndexList(fn: string, name: string, values: unknown, n: number): number[] {
  if (typeof values !== "object" || values === null || typeof (values as ArrayLike<number>).length !== "number") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be an array of row indices, got ${describeValue(values)}`);
  }
  const list = values as ArrayLike<unknown>;
  const seen = new Set<number>();
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= n) {
      throw new NextbestError("E_UNKNOWN_ID", `${fn}: ${name}[${i}] must be a row index in [0, ${n}), got ${describeValue(v)}`);
    }
    seen.add(v);
  }
  return [...seen];
}
