/**
 * Compressed sparse row matrices: construction from triplets, transpose, row access, sparse × dense.
 *
 * @module
 */
import { borrowKernelArena } from "./wasm/simd.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { assertInteger } from "../internal/validate.ts";
import { assertCsr, assertDense, checkDenseEntries, float64Data, throwIfNonFinite, throwIfNonFiniteMatrix } from "./internal.ts";
import type { CsrMatrix, DenseMatrix } from "./types.ts";

/**
 * What to do when the same (row, col) appears more than once in the triplets:
 * `"sum"` adds the values (counts of purchases), `"last"` keeps the last one in input order (a re-rating),
 * `"max"` keeps the largest, `"error"` throws `E_DUPLICATE` naming both positions.
 *
 * @category linalg
 */
export type DuplicatePolicy = "sum" | "last" | "max" | "error";

/** Coordinate (COO) triplets: entry t is (rowIndices[t], colIndices[t], values[t]). @category linalg */
export interface Triplets {
  /** Number of rows of the matrix. */
  readonly rows: number;
  /** Number of columns of the matrix. */
  readonly cols: number;
  /** Row index of each entry. */
  readonly rowIndices: ArrayLike<number>;
  /** Column index of each entry. */
  readonly colIndices: ArrayLike<number>;
  /** Value of each entry. */
  readonly values: ArrayLike<number>;
}

/** Triplets as {@link csrToTriplets} returns them: typed arrays, entries in row-major order. @category linalg */
export interface CsrTriplets extends Triplets {
  /** Row index of each entry, non-decreasing. */
  readonly rowIndices: Int32Array;
  /** Column index of each entry, increasing within a row. */
  readonly colIndices: Int32Array;
  /** Value of each entry. */
  readonly values: Float64Array;
}

/** Options of {@link csrFromTriplets}. @category linalg */
export interface CsrFromTripletsOptions {
  /** Policy for repeated (row, col) pairs. @defaultValue "sum" */
  duplicates?: DuplicatePolicy;
}

const POLICIES: readonly DuplicatePolicy[] = ["sum", "last", "max", "error"];

/**
 * Builds a CSR matrix from (row, col, value) triplets in O(nnz + rows) time (counting sort by row, then an
 * insertion pass per row by column). Columns within each row come out strictly increasing.
 *
 * @param triplets - the dimensions and the entries
 * @param options - the duplicate policy
 * @returns a new CSR matrix; the input is not changed
 * @throws {@link core!NextbestError} `E_SHAPE` when the three arrays differ in length, `E_BAD_INPUT` for an index out
 *   of range or a non-integer index (naming the entry), `E_NON_FINITE` for a NaN/∞ value, `E_DUPLICATE` under
 *   `duplicates: "error"`
 * @example
 * ```ts
 * import { csrFromTriplets } from "nextbest/linalg";
 * const m = csrFromTriplets({ rows: 2, cols: 3, rowIndices: [1, 0, 1], colIndices: [2, 1, 2], values: [1, 5, 2] });
 * Array.from(m.indptr); // => [0, 1, 2]
 * Array.from(m.values); // => [5, 3]
 * ```
 * @category linalg
 */
export function csrFromTriplets(triplets: Triplets, options: CsrFromTripletsOptions = {}): CsrMatrix {
  const fn = "csrFromTriplets";
  if (typeof triplets !== "object" || triplets === null) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: triplets must be { rows, cols, rowIndices, colIndices, values }, got ${describeValue(triplets)}`);
  }
  const { rows, cols, rowIndices, colIndices, values } = triplets;
  for (const [name, list] of [["rowIndices", rowIndices], ["colIndices", colIndices], ["values", values]] as const) {
    if (typeof list !== "object" || list === null || typeof list.length !== "number") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: triplets.${name} must be an array of numbers, got ${describeValue(list)}`);
    }
  }
  const policy = options.duplicates ?? "sum";
  if (!POLICIES.includes(policy)) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.duplicates must be one of "sum", "last", "max", "error", got ${describeValue(policy)}`,
    );
  }
  checkDimension(fn, "triplets.rows", rows);
  checkDimension(fn, "triplets.cols", cols);
  const nnzIn = rowIndices.length;
  if (colIndices.length !== nnzIn || values.length !== nnzIn) {
    throw new NextbestError(
      "E_SHAPE",
      `${fn}: triplets.rowIndices, colIndices and values must have equal lengths, got ${nnzIn}, ${colIndices.length}, ${values.length}`,
    );
  }
  // Count entries per row, validating as we go.
  const counts = new Int32Array(rows + 1);
  for (let t = 0; t < nnzIn; t++) {
    const r = rowIndices[t]!;
    const c = colIndices[t]!;
    const v = values[t]!;
    if (!Number.isInteger(r) || r < 0 || r >= rows) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: triplets.rowIndices[${t}] must be an integer in [0, ${rows}), got ${describeValue(r)}`);
    }
    if (!Number.isInteger(c) || c < 0 || c >= cols) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: triplets.colIndices[${t}] must be an integer in [0, ${cols}), got ${describeValue(c)}`);
    }
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new NextbestError("E_NON_FINITE", `${fn}: triplets.values[${t}] must be a finite number, got ${describeValue(v)}`);
    }
    counts[r + 1]!++;
  }
  for (let r = 0; r < rows; r++) counts[r + 1]! += counts[r]!;
  // Scatter entry positions by row (stable: input order kept within a row).
  const order = new Int32Array(nnzIn);
  const cursor = counts.slice(0, rows);
  for (let t = 0; t < nnzIn; t++) order[cursor[rowIndices[t]!]!++] = t;
  // Per row: stable sort by column, then merge duplicates.
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(nnzIn);
  const out = new Float64Array(nnzIn);
  const sourceOf = policy === "error" ? new Int32Array(nnzIn) : undefined;
  let nnz = 0;
  for (let r = 0; r < rows; r++) {
    const start = counts[r]!;
    const end = counts[r + 1]!;
    sortByColumn(order, start, end, colIndices);
    for (let p = start; p < end; p++) {
      const t = order[p]!;
      const c = colIndices[t]!;
      const v = values[t]!;
      if (nnz > indptr[r]! && indices[nnz - 1] === c) {
        if (policy === "sum") out[nnz - 1]! += v;
        else if (policy === "last") out[nnz - 1] = v;
        else if (policy === "max") out[nnz - 1] = Math.max(out[nnz - 1]!, v);
        else {
          throw new NextbestError(
            "E_DUPLICATE",
            `${fn}: entries must be unique under duplicates "error", got (${r}, ${c}) at entries ${sourceOf![nnz - 1]} and ${t}`,
          );
        }
      } else {
        indices[nnz] = c;
        out[nnz] = v;
        if (sourceOf) sourceOf[nnz] = t;
        nnz++;
      }
    }
    indptr[r + 1] = nnz;
  }
  return {
    rows,
    cols,
    indptr,
    indices: nnz === nnzIn ? indices : indices.slice(0, nnz),
    values: nnz === nnzIn ? out : out.slice(0, nnz),
  };
}

// Stable insertion sort for short rows, merge sort for long ones; sorts order[start..end) by column.
function sortByColumn(order: Int32Array, start: number, end: number, colIndices: ArrayLike<number>): void {
  const length = end - start;
  if (length < 2) return;
  if (length <= 32) {
    for (let i = start + 1; i < end; i++) {
      const t = order[i]!;
      const c = colIndices[t]!;
      let j = i - 1;
      while (j >= start && colIndices[order[j]!]! > c) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = t;
    }
    return;
  }
  const slice = Array.from(order.subarray(start, end));
  slice.sort((a, b) => colIndices[a]! - colIndices[b]! || a - b);
  order.set(slice, start);
}

function checkDimension(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 2147483647) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be an integer in [0, 2^31), got ${describeValue(value)}`);
  }
}

/**
 * The transpose of a CSR matrix, which is the CSC form of the original: O(nnz + rows + cols).
 * Columns within each row of the result are strictly increasing.
 *
 * @param matrix - the matrix
 * @returns a new CSR matrix of shape (cols × rows)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` / `E_SHAPE` when `matrix` is not a well-formed CSR matrix
 * @example
 * ```ts
 * import { csrFromTriplets, csrTranspose } from "nextbest/linalg";
 * const m = csrFromTriplets({ rows: 2, cols: 3, rowIndices: [0, 1], colIndices: [2, 0], values: [7, 8] });
 * Array.from(csrTranspose(m).indptr); // => [0, 1, 1, 2]
 * ```
 * @category linalg
 */
export function csrTranspose(matrix: CsrMatrix): CsrMatrix {
  assertCsr("csrTranspose", "matrix", matrix);
  const { rows, cols, indptr, indices, values } = matrix;
  const nnz = indptr[rows]!;
  const tIndptr = new Int32Array(cols + 1);
  for (let p = 0; p < nnz; p++) tIndptr[indices[p]! + 1]!++;
  for (let c = 0; c < cols; c++) tIndptr[c + 1]! += tIndptr[c]!;
  const cursor = tIndptr.slice(0, cols);
  const tIndices = new Int32Array(nnz);
  const tValues = new Float64Array(nnz);
  for (let r = 0; r < rows; r++) {
    const end = indptr[r + 1]!;
    for (let p = indptr[r]!; p < end; p++) {
      const q = cursor[indices[p]!]!++;
      tIndices[q] = r;
      tValues[q] = values[p]!;
    }
  }
  return { rows: cols, cols: rows, indptr: tIndptr, indices: tIndices, values: tValues };
}

/**
 * The stored entries of a CSR matrix as (row, col, value) triplets, in row-major order (rows ascending, columns
 * ascending within a row). The inverse of {@link csrFromTriplets} on triplets without duplicates.
 *
 * Complexity: O(rows + nnz).
 *
 * @param matrix - the matrix
 * @returns new triplet arrays (Int32Array indices, Float64Array values) with the matrix's dimensions
 * @throws {@link core!NextbestError} `E_BAD_INPUT` / `E_SHAPE` when `matrix` is not a well-formed CSR matrix
 * @example
 * ```ts
 * import { csrFromTriplets, csrToTriplets } from "nextbest/linalg";
 * const m = csrFromTriplets({ rows: 2, cols: 2, rowIndices: [1, 0], colIndices: [0, 1], values: [3, 4] });
 * const t = csrToTriplets(m);
 * [Array.from(t.rowIndices), Array.from(t.colIndices), Array.from(t.values)]; // => [[0, 1], [1, 0], [4, 3]]
 * ```
 * @category linalg
 */
export function csrToTriplets(matrix: CsrMatrix): CsrTriplets {
  assertCsr("csrToTriplets", "matrix", matrix);
  const { rows, cols, indptr, indices, values } = matrix;
  const nnz = indptr[rows]!;
  const rowIndices = new Int32Array(nnz);
  for (let r = 0; r < rows; r++) rowIndices.fill(r, indptr[r]!, indptr[r + 1]!);
  return { rows, cols, rowIndices, colIndices: indices.slice(), values: values.slice() };
}

/** The stored entries of one CSR row, as views (see {@link csrRow}). @category linalg */
export interface CsrRowView {
  /** Columns of the row's stored entries, strictly increasing: a view into the matrix's `indices`. */
  readonly indices: Int32Array;
  /** Values of the row's stored entries: a view into the matrix's `values`. */
  readonly values: Float64Array;
}

/**
 * The stored entries of row `r` as `subarray` views into the matrix: no copy is made, so this is O(1), and the
 * views share memory with the matrix. Treat them as read-only (writing through them changes the matrix); copy
 * with `.slice()` to keep or modify them.
 *
 * Only `r` and the row's offsets are checked (the matrix's structure is not re-validated on every call).
 *
 * @param matrix - the matrix
 * @param r - the row, in [0, rows)
 * @returns views of the row's column indices and values
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when r is not an integer in [0, rows) or the matrix is malformed
 * @example
 * ```ts
 * import { csrFromTriplets, csrRow } from "nextbest/linalg";
 * const m = csrFromTriplets({ rows: 2, cols: 3, rowIndices: [1, 1, 0], colIndices: [2, 0, 1], values: [5, 6, 7] });
 * const row = csrRow(m, 1);
 * [Array.from(row.indices), Array.from(row.values)]; // => [[0, 2], [6, 5]]
 * ```
 * @category linalg
 */
export function csrRow(matrix: CsrMatrix, r: number): CsrRowView {
  if (matrix === null || typeof matrix !== "object" || !(matrix.indptr instanceof Int32Array)) {
    throw new NextbestError("E_BAD_INPUT", `csrRow: matrix must be a CSR matrix, got ${describeValue(matrix)}`);
  }
  assertInteger("csrRow", "r", r, 0, matrix.rows - 1);
  const start = matrix.indptr[r]!;
  const end = matrix.indptr[r + 1]!;
  if (!(start >= 0 && end >= start && end <= matrix.indices.length)) {
    throw new NextbestError("E_BAD_INPUT", `csrRow: matrix.indptr must be non-decreasing within bounds, got ${start}..${end} at row ${r}`);
  }
  return { indices: matrix.indices.subarray(start, end), values: matrix.values.subarray(start, end) };
}

function spmmKernel(
  rows: number,
  indptr: Int32Array,
  indices: Int32Array,
  values: Float64Array,
  B: Float64Array,
  p: number,
  C: Float64Array,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * p;
    const end = indptr[r + 1]!;
    for (let q = indptr[r]!; q < end; q++) {
      const a = values[q]!;
      const b = indices[q]! * p;
      let j = 0;
      for (; j + 4 <= p; j += 4) {
        C[o + j]! += a * B[b + j]!;
        C[o + j + 1]! += a * B[b + j + 1]!;
        C[o + j + 2]! += a * B[b + j + 2]!;
        C[o + j + 3]! += a * B[b + j + 3]!;
      }
      for (; j < p; j++) C[o + j]! += a * B[b + j]!;
    }
  }
}

/** Products of at least this many multiply-adds (stored entries × B's columns) run on the WebAssembly kernel. */
const WASM_SPMM_MIN_WORK = 100_000;

/**
 * {@link spmmKernel} on the WebAssembly SIMD kernel `spmmF64` (the same operations per entry of C, in the same order:
 * bit-identical), in a borrowed scratch memory. Returns false, having written nothing, when the kernels cannot run
 * here or the product is small.
 */
function spmmWithKernels(sparse: CsrMatrix, B: Float64Array, n: number, p: number, C: Float64Array): boolean {
  const rows = sparse.rows;
  const nnz = sparse.indptr[rows]!;
  if (nnz * p < WASM_SPMM_MIN_WORK) return false;
  const arena = borrowKernelArena(
    new Map([["indptr", 4 * (rows + 1)], ["indices", 4 * nnz], ["values", 8 * nnz], ["B", 8 * n * p], ["C", 8 * rows * p]]),
    { zero: false },
  );
  if (arena === undefined) return false;
  try {
    arena.i32("indptr").set(sparse.indptr.subarray(0, rows + 1));
    arena.i32("indices").set(sparse.indices.subarray(0, nnz));
    arena.f64("values").set(sparse.values.subarray(0, nnz));
    arena.f64("B").set(B.subarray(0, n * p));
    const Cw = arena.f64("C");
    Cw.fill(0);
    const at = (name: string): number => arena.offsets.get(name)!;
    arena.kernels.spmmF64(rows, at("indptr"), at("indices"), at("values"), at("B"), p, at("C"));
    C.set(Cw);
  } finally {
    arena.release();
  }
  return true;
}

/**
 * The product S · B of a sparse (CSR) matrix and a dense matrix, as a dense float64 matrix: each stored entry
 * s(r, c) adds s · (row c of B) to row r of the result, so B and the result are read and written row by row.
 *
 * Complexity: O(nnz · B.cols + S.rows · B.cols) time, O(S.rows · B.cols) memory.
 *
 * @param sparse - the sparse matrix S (rows × n)
 * @param dense - the dense matrix B (n × p), Float64Array or Float32Array storage
 * @returns a new dense matrix (S.rows × p)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed argument, `E_SHAPE` when S.cols ≠ B.rows,
 *   `E_NON_FINITE` naming a NaN or ±Infinity; `E_BAD_INPUT` when the result would hold more than 2^31 − 1 entries (checked before allocating)
 * @example
 * ```ts
 * import { csrFromTriplets, csrMultiplyDense, denseFromRows, denseToRows } from "nextbest/linalg";
 * const s = csrFromTriplets({ rows: 2, cols: 2, rowIndices: [0, 1], colIndices: [1, 0], values: [2, 3] });
 * denseToRows(csrMultiplyDense(s, denseFromRows([[1, 1], [5, 6]]))); // => [[10, 12], [3, 3]]
 * ```
 * @category linalg
 */
export function csrMultiplyDense(sparse: CsrMatrix, dense: DenseMatrix<Float64Array | Float32Array>): DenseMatrix {
  const fn = "csrMultiplyDense";
  assertCsr(fn, "sparse", sparse);
  assertDense(fn, "dense", dense, true);
  if (sparse.cols !== dense.rows) {
    throw new NextbestError(
      "E_SHAPE",
      `${fn}: dense.rows must equal sparse.cols (${sparse.cols}), got ${dense.rows}`,
    );
  }
  throwIfNonFinite(fn, "sparse.values", sparse.values);
  throwIfNonFiniteMatrix(fn, "dense", dense);
  checkDenseEntries(fn, "the product (sparse.rows × dense.cols)", sparse.rows, dense.cols);
  const out = new Float64Array(sparse.rows * dense.cols);
  const B = float64Data(dense);
  if (!spmmWithKernels(sparse, B, dense.rows, dense.cols, out)) spmmKernel(sparse.rows, sparse.indptr, sparse.indices, sparse.values, B, dense.cols, out);
  return { rows: sparse.rows, cols: dense.cols, data: out };
}

/**
 * The dense form of a CSR matrix (absent entries are 0).
 *
 * Complexity: O(rows · cols + nnz) time and O(rows · cols) memory: for small matrices, tests and display.
 *
 * @param matrix - the matrix
 * @returns a new dense float64 matrix
 * @throws {@link core!NextbestError} `E_BAD_INPUT` / `E_SHAPE` when `matrix` is not a well-formed CSR matrix; `E_BAD_INPUT` when the result would hold more than 2^31 − 1 entries (checked before allocating)
 * @example
 * ```ts
 * import { csrFromTriplets, csrToDense, denseToRows } from "nextbest/linalg";
 * const m = csrFromTriplets({ rows: 2, cols: 2, rowIndices: [0], colIndices: [1], values: [9] });
 * denseToRows(csrToDense(m)); // => [[0, 9], [0, 0]]
 * ```
 * @category linalg
 */
export function csrToDense(matrix: CsrMatrix): DenseMatrix {
  assertCsr("csrToDense", "matrix", matrix);
  const { rows, cols, indptr, indices, values } = matrix;
  checkDenseEntries("csrToDense", "matrix (rows × cols)", rows, cols);
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const end = indptr[r + 1]!;
    for (let q = indptr[r]!; q < end; q++) data[r * cols + indices[q]!] = values[q]!;
  }
  return { rows, cols, data };
}

/**
 * The CSR form of a dense matrix, storing its non-zero entries.
 *
 * Complexity: O(rows · cols).
 *
 * @param matrix - the dense matrix (Float64Array or Float32Array storage)
 * @returns a new CSR matrix
 * @throws {@link core!NextbestError} `E_BAD_INPUT` / `E_SHAPE` when `matrix` is malformed, `E_NON_FINITE` naming a NaN
 *   or ±Infinity
 * @example
 * ```ts
 * import { csrFromDense, denseFromRows } from "nextbest/linalg";
 * Array.from(csrFromDense(denseFromRows([[0, 2], [3, 0]])).values); // => [2, 3]
 * ```
 * @category linalg
 */
export function csrFromDense(matrix: DenseMatrix<Float64Array | Float32Array>): CsrMatrix {
  assertDense("csrFromDense", "matrix", matrix, true);
  throwIfNonFiniteMatrix("csrFromDense", "matrix", matrix);
  const { rows, cols, data } = matrix;
  let nnz = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) nnz++;
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let q = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = data[r * cols + c]!;
      if (v !== 0) {
        indices[q] = c;
        values[q++] = v;
      }
    }
    indptr[r + 1] = q;
  }
  return { rows, cols, indptr, indices, values };
}
