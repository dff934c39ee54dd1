/**
 * Dense row-major matrices over one flat `Float64Array`: construction, matrix product, matrix–vector product,
 * transpose and Gram matrix.
 *
 * Functions that compute accept `Float32Array` storage too (a widened float64 copy is made once per call, which is
 * cheap next to the O(n³) or O(n²) work) and always return float64 results.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { assertArrayLike } from "../internal/validate.ts";
import { createGemmWorkspace, gemm, gemvF32, gemvF64, gemvTransposeF64 } from "./kernels.ts";
import { assertDense, checkDenseEntries, float64Data, throwIfNonFinite, throwIfNonFiniteMatrix } from "./internal.ts";
import type { DenseMatrix } from "./types.ts";

function checkDimension(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 2147483647) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be an integer in [0, 2^31), got ${describeValue(value)}`);
  }
}

/**
 * A rows × cols matrix holding a copy of `values` (row-major: value (i, j) is `values[i * cols + j]`).
 *
 * Complexity: O(rows · cols).
 *
 * @param rows - the number of rows
 * @param cols - the number of columns
 * @param values - rows · cols finite numbers, row after row
 * @returns a new matrix with its own Float64Array
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a bad dimension or a non-array, `E_SHAPE` when `values` does not
 *   hold rows · cols numbers, `E_NON_FINITE` naming the first NaN or ±Infinity
 * @example
 * ```ts
 * import { denseMatrix } from "nextbest/linalg";
 * const m = denseMatrix(2, 3, [1, 2, 3, 4, 5, 6]);
 * m.data[1 * 3 + 2]; // => 6
 * ```
 * @category linalg
 */
export function denseMatrix(rows: number, cols: number, values: ArrayLike<number>): DenseMatrix {
  const fn = "denseMatrix";
  checkDimension(fn, "rows", rows);
  checkDimension(fn, "cols", cols);
  assertArrayLike(fn, "values", values);
  if (values.length !== rows * cols) {
    throw new NextbestError("E_SHAPE", `${fn}: values must have length rows * cols = ${rows * cols}, got length ${values.length}`);
  }
  throwIfNonFinite(fn, "values", values);
  return { rows, cols, data: Float64Array.from(values) };
}

/**
 * A rows × cols matrix of zeros.
 *
 * Complexity: O(rows · cols).
 *
 * @param rows - the number of rows
 * @param cols - the number of columns
 * @returns a new zero matrix
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when a dimension is not an integer in [0, 2^31); `E_BAD_INPUT` when the result would hold more than 2^31 − 1 entries (checked before allocating)
 * @example
 * ```ts
 * import { denseZeros } from "nextbest/linalg";
 * denseZeros(2, 2).data.length; // => 4
 * ```
 * @category linalg
 */
export function denseZeros(rows: number, cols: number): DenseMatrix {
  checkDimension("denseZeros", "rows", rows);
  checkDimension("denseZeros", "cols", cols);
  checkDenseEntries("denseZeros", "rows × cols", rows, cols);
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/**
 * The n × n identity matrix.
 *
 * Complexity: O(n²).
 *
 * @param n - the size
 * @returns a new identity matrix
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when n is not an integer in [0, 2^31); `E_BAD_INPUT` when the result would hold more than 2^31 − 1 entries (checked before allocating)
 * @example
 * ```ts
 * import { denseIdentity } from "nextbest/linalg";
 * Array.from(denseIdentity(2).data); // => [1, 0, 0, 1]
 * ```
 * @category linalg
 */
export function denseIdentity(n: number): DenseMatrix {
  checkDimension("denseIdentity", "n", n);
  checkDenseEntries("denseIdentity", "n × n", n, n);
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return { rows: n, cols: n, data };
}

/**
 * A matrix built from an array of equal-length rows (handy in tests and examples; numeric code should build the
 * flat array directly).
 *
 * Complexity: O(rows · cols).
 *
 * @param rows - the rows, each an array of finite numbers of the same length
 * @returns a new matrix; with no rows, a 0 × 0 matrix
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `rows` or a row is not an array, `E_SHAPE` when a row's length
 *   differs from the first row's, `E_NON_FINITE` naming the row and column of a NaN or ±Infinity
 * @example
 * ```ts
 * import { denseFromRows } from "nextbest/linalg";
 * const m = denseFromRows([[1, 2], [3, 4], [5, 6]]);
 * [m.rows, m.cols]; // => [3, 2]
 * ```
 * @category linalg
 */
export function denseFromRows(rows: readonly ArrayLike<number>[]): DenseMatrix {
  const fn = "denseFromRows";
  if (!Array.isArray(rows)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: rows must be an array of rows, got ${describeValue(rows)}`);
  }
  const m = rows.length;
  const first = rows[0];
  if (first !== undefined) assertArrayLike(fn, "rows[0]", first);
  const n = first === undefined ? 0 : first.length;
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const row = rows[i];
    assertArrayLike(fn, `rows[${i}]`, row);
    if (row.length !== n) {
      throw new NextbestError("E_SHAPE", `${fn}: rows[${i}] must have the length of rows[0] (${n}), got length ${row.length}`);
    }
    throwIfNonFinite(fn, `rows[${i}]`, row);
    for (let j = 0; j < n; j++) data[i * n + j] = row[j]!;
  }
  return { rows: m, cols: n, data };
}

/**
 * The rows of a matrix as plain arrays (for display, JSON and tests).
 *
 * Complexity: O(rows · cols).
 *
 * @param matrix - the matrix
 * @returns a new array of rows
 * @throws {@link core!NextbestError} `E_BAD_INPUT` / `E_SHAPE` when `matrix` is malformed
 * @example
 * ```ts
 * import { denseMatrix, denseToRows } from "nextbest/linalg";
 * denseToRows(denseMatrix(2, 2, [1, 2, 3, 4])); // => [[1, 2], [3, 4]]
 * ```
 * @category linalg
 */
export function denseToRows(matrix: DenseMatrix<Float64Array | Float32Array>): number[][] {
  assertDense("denseToRows", "matrix", matrix, true);
  const { rows, cols, data } = matrix;
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push(Array.from(data.subarray(i * cols, (i + 1) * cols)));
  return out;
}

/** Options of {@link matmul}. @category linalg */
export interface MatmulOptions {
  /** Multiply by Aᵀ instead of A (no transposed copy is made). @defaultValue false */
  transposeA?: boolean;
  /** Multiply by Bᵀ instead of B (no transposed copy is made). @defaultValue false */
  transposeB?: boolean;
}

/**
 * The matrix product op(A) · op(B), where op transposes when the option asks.
 *
 * The kernel packs blocks of both operands into contiguous strips and runs a 4×4 register-tiled micro-kernel,
 * reaching several GFLOP/s in float64 on one core (see `bench/linalg.ts`; about 20× ml-matrix's `mmul`).
 * Sums run in float64 in a blocked order, so results may differ from a naive triple loop in the last bits.
 *
 * Complexity: O(m · n · p) time for an (m × n) by (n × p) product; O(m · p) memory plus fixed 2.1 MB of packing
 * buffers.
 *
 * @param a - the left matrix A
 * @param b - the right matrix B
 * @param options - transpose flags
 * @returns a new m × p matrix
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed matrix, `E_SHAPE` when the inner dimensions differ,
 *   `E_NON_FINITE` naming the first NaN or ±Infinity entry; `E_BAD_INPUT` when the result would hold more than 2^31 − 1 entries (checked before allocating)
 * @example
 * ```ts
 * import { denseFromRows, denseToRows, matmul } from "nextbest/linalg";
 * const a = denseFromRows([[1, 2], [3, 4]]);
 * const b = denseFromRows([[5, 6], [7, 8]]);
 * denseToRows(matmul(a, b)); // => [[19, 22], [43, 50]]
 * denseToRows(matmul(a, b, { transposeA: true })); // => [[26, 30], [38, 44]]
 * ```
 * @category linalg
 */
export function matmul(
  a: DenseMatrix<Float64Array | Float32Array>,
  b: DenseMatrix<Float64Array | Float32Array>,
  options: MatmulOptions = {},
): DenseMatrix {
  const fn = "matmul";
  assertDense(fn, "a", a, true);
  assertDense(fn, "b", b, true);
  const transposeA = options.transposeA === true;
  const transposeB = options.transposeB === true;
  const m = transposeA ? a.cols : a.rows;
  const n = transposeA ? a.rows : a.cols;
  const nb = transposeB ? b.cols : b.rows;
  const p = transposeB ? b.rows : b.cols;
  if (n !== nb) {
    throw new NextbestError(
      "E_SHAPE",
      `${fn}: the inner dimensions must agree, got op(a) ${m} × ${n} and op(b) ${nb} × ${p}`,
    );
  }
  throwIfNonFiniteMatrix(fn, "a", a);
  throwIfNonFiniteMatrix(fn, "b", b);
  checkDenseEntries(fn, "the product op(a) · op(b)", m, p);
  const out = new Float64Array(m * p);
  if (m > 0 && n > 0 && p > 0) {
    gemm(
      m, n, p,
      float64Data(a), transposeA ? 1 : a.cols, transposeA ? a.cols : 1,
      float64Data(b), transposeB ? 1 : b.cols, transposeB ? b.cols : 1,
      out, false, createGemmWorkspace(),
    );
  }
  return { rows: m, cols: p, data: out };
}

/** Options of {@link matVec}. @category linalg */
export interface MatVecOptions {
  /** Compute Aᵀx instead of Ax. @defaultValue false */
  transpose?: boolean;
  /** A buffer for the result (length A.rows, or A.cols when transposed); a new array when absent. */
  out?: Float64Array;
}

/**
 * The matrix–vector product A·x (or Aᵀ·x), accumulated in float64.
 *
 * Complexity: O(rows · cols) time; reads A once, in memory order, in both modes.
 *
 * @param a - the matrix A (Float64Array or Float32Array storage)
 * @param x - the vector, of length A.cols (A.rows when transposed)
 * @param options - transpose flag and an optional output buffer
 * @returns the result vector (`options.out` when given)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed argument, `E_SHAPE` when lengths disagree,
 *   `E_NON_FINITE` naming the first NaN or ±Infinity
 * @example
 * ```ts
 * import { denseFromRows, matVec } from "nextbest/linalg";
 * const a = denseFromRows([[1, 2], [3, 4], [5, 6]]);
 * Array.from(matVec(a, [1, 1])); // => [3, 7, 11]
 * Array.from(matVec(a, [1, 0, 1], { transpose: true })); // => [6, 8]
 * ```
 * @category linalg
 */
export function matVec(
  a: DenseMatrix<Float64Array | Float32Array>,
  x: ArrayLike<number>,
  options: MatVecOptions = {},
): Float64Array {
  const fn = "matVec";
  assertDense(fn, "a", a, true);
  assertArrayLike(fn, "x", x);
  const transpose = options.transpose === true;
  const inLength = transpose ? a.rows : a.cols;
  const outLength = transpose ? a.cols : a.rows;
  if (x.length !== inLength) {
    throw new NextbestError("E_SHAPE", `${fn}: x must have length ${inLength} (a is ${a.rows} × ${a.cols}${transpose ? ", transposed" : ""}), got length ${x.length}`);
  }
  const out = options.out ?? new Float64Array(outLength);
  if (!(out instanceof Float64Array) || out.length !== outLength) {
    throw new NextbestError("E_SHAPE", `${fn}: options.out must be a Float64Array of length ${outLength}, got ${describeValue(out)}`);
  }
  throwIfNonFinite(fn, "x", x);
  throwIfNonFiniteMatrix(fn, "a", a);
  const xs = x instanceof Float64Array && x !== out ? x : Float64Array.from(x);
  if (transpose) gemvTransposeF64(float64Data(a), a.rows, a.cols, xs, out);
  else if (a.data instanceof Float64Array) gemvF64(a.data, a.rows, a.cols, xs, out);
  else gemvF32(a.data, a.rows, a.cols, xs, out);
  return out;
}

/**
 * The transpose Aᵀ, copied with a cache-blocked loop (32 × 32 tiles). The element type is kept.
 * Values are copied as they are (no finiteness check: transposing moves numbers, it does no arithmetic).
 *
 * Complexity: O(rows · cols).
 *
 * @param a - the matrix
 * @returns a new cols × rows matrix with the same storage type
 * @throws {@link core!NextbestError} `E_BAD_INPUT` / `E_SHAPE` when `a` is malformed
 * @example
 * ```ts
 * import { denseFromRows, denseToRows, transpose } from "nextbest/linalg";
 * denseToRows(transpose(denseFromRows([[1, 2, 3], [4, 5, 6]]))); // => [[1, 4], [2, 5], [3, 6]]
 * ```
 * @category linalg
 */
export function transpose<T extends Float64Array | Float32Array>(a: DenseMatrix<T>): DenseMatrix<T> {
  assertDense("transpose", "a", a, true);
  const { rows, cols, data } = a;
  const out = (data instanceof Float32Array ? new Float32Array(rows * cols) : new Float64Array(rows * cols)) as T;
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(rows, i0 + B);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(cols, j0 + B);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) out[j * rows + i] = data[i * cols + j]!;
      }
    }
  }
  return { rows: cols, cols: rows, data: out };
}

/**
 * The Gram matrix AᵀA (cols × cols), computed with the blocked matmul kernel on the upper triangle only and
 * mirrored, so it costs half of `matmul(a, a, { transposeA: true })`. The result is exactly symmetric.
 *
 * Complexity: O(rows · cols²) time (≈ rows · cols² multiply-adds), O(cols²) memory.
 *
 * @param a - the matrix A (rows × cols)
 * @returns a new cols × cols symmetric matrix
 * @throws {@link core!NextbestError} `E_BAD_INPUT` / `E_SHAPE` for a malformed matrix, `E_NON_FINITE` naming the first
 *   NaN or ±Infinity; `E_BAD_INPUT` when the result would hold more than 2^31 − 1 entries (checked before allocating)
 * @example
 * ```ts
 * import { denseFromRows, denseToRows, gram } from "nextbest/linalg";
 * denseToRows(gram(denseFromRows([[1, 2], [3, 4]]))); // => [[10, 14], [14, 20]]
 * ```
 * @category linalg
 */
export function gram(a: DenseMatrix<Float64Array | Float32Array>): DenseMatrix {
  assertDense("gram", "a", a, true);
  throwIfNonFiniteMatrix("gram", "a", a);
  const { rows, cols } = a;
  checkDenseEntries("gram", "aᵀa (a.cols × a.cols)", cols, cols);
  const out = new Float64Array(cols * cols);
  if (rows > 0 && cols > 0) {
    gemm(cols, rows, cols, float64Data(a), 1, cols, float64Data(a), cols, 1, out, true, createGemmWorkspace());
  }
  for (let i = 1; i < cols; i++) {
    for (let j = 0; j < i; j++) out[i * cols + j] = out[j * cols + i]!;
  }
  return { rows: cols, cols, data: out };
}
