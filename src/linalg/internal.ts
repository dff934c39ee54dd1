// Boundary checks shared by the linalg modules. Not re-exported by the barrel: kernels trust their inputs,
// public functions call these once per call.
import { NextbestError, describeValue } from "../core/errors.ts";
import type { CsrMatrix, DenseMatrix } from "./types.ts";

/** Index of the first non-finite entry, or -1. `v - v` is 0 for every finite number and NaN otherwise. */
export function findNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) return i;
  }
  return -1;
}

/** Throws E_NON_FINITE (E_BAD_INPUT for a non-number) naming the first entry that is not a finite number. */
export function throwIfNonFinite(fn: string, name: string, values: ArrayLike<number>): void {
  const i = findNonFinite(values);
  if (i >= 0) {
    const v = values[i];
    throw new NextbestError(
      typeof v === "number" ? "E_NON_FINITE" : "E_BAD_INPUT",
      `${fn}: ${name}[${i}] must be a finite number, got ${describeValue(v)}`,
    );
  }
}

/** Throws E_NON_FINITE naming the (row, col) of the first non-finite entry of a dense matrix. */
export function throwIfNonFiniteMatrix(fn: string, name: string, matrix: DenseMatrix<Float64Array | Float32Array>): void {
  const i = findNonFinite(matrix.data);
  if (i >= 0) {
    const row = Math.floor(i / matrix.cols);
    const col = i - row * matrix.cols;
    throw new NextbestError(
      "E_NON_FINITE",
      `${fn}: ${name} entry (${row}, ${col}) must be finite, got ${describeValue(matrix.data[i])}`,
    );
  }
}

/** The most entries a dense result nextbest allocates holds (2^31 − 1, the cap of the interactions' columns too). */
const MAX_DENSE_ENTRIES = 2 ** 31 - 1;

/**
 * Throws E_BAD_INPUT, before allocating, when a rows × cols dense result would exceed MAX_DENSE_ENTRIES (such a
 * request threw a raw RangeError, or tried to reserve tens of gigabytes); `what` names it as the caller passed it.
 */
export function checkDenseEntries(fn: string, what: string, rows: number, cols: number): void {
  if (rows * cols > MAX_DENSE_ENTRIES) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${what} must hold at most ${MAX_DENSE_ENTRIES} entries, got ${rows} × ${cols}`);
  }
}

function isDimension(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 2147483647;
}

/**
 * Checks that `value` is a well-formed dense matrix: integer dimensions and a Float64Array (or, when allowed,
 * Float32Array) of length rows * cols.
 */
export function assertDense(
  fn: string,
  name: string,
  value: unknown,
  allowFloat32: boolean,
): asserts value is DenseMatrix<Float64Array | Float32Array> {
  if (value === null || typeof value !== "object") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a dense matrix { rows, cols, data }, got ${describeValue(value)}`);
  }
  const { rows, cols, data } = value as { rows?: unknown; cols?: unknown; data?: unknown };
  if (!isDimension(rows)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}.rows must be an integer in [0, 2^31), got ${describeValue(rows)}`);
  }
  if (!isDimension(cols)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}.cols must be an integer in [0, 2^31), got ${describeValue(cols)}`);
  }
  if (!(data instanceof Float64Array || (allowFloat32 && data instanceof Float32Array))) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: ${name}.data must be a Float64Array${allowFloat32 ? " or a Float32Array" : ""}, got ${describeValue(data)}`,
    );
  }
  if (data.length !== rows * cols) {
    throw new NextbestError(
      "E_SHAPE",
      `${fn}: ${name}.data must have length rows * cols = ${rows * cols}, got length ${data.length}`,
    );
  }
}

/** A Float64Array with the matrix's values: the data itself when already float64, else a widened copy. */
export function float64Data(matrix: DenseMatrix<Float64Array | Float32Array>): Float64Array {
  return matrix.data instanceof Float64Array ? matrix.data : Float64Array.from(matrix.data);
}

/**
 * Checks the structure of a CSR matrix in O(rows + nnz): dimensions, array types and lengths, monotone indptr,
 * column indices in range and strictly increasing within each row.
 */
export function assertCsr(fn: string, name: string, value: unknown): asserts value is CsrMatrix {
  if (value === null || typeof value !== "object") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a CSR matrix, got ${describeValue(value)}`);
  }
  const { rows, cols, indptr, indices, values } = value as Record<string, unknown>;
  if (!isDimension(rows)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}.rows must be an integer in [0, 2^31), got ${describeValue(rows)}`);
  }
  if (!isDimension(cols)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}.cols must be an integer in [0, 2^31), got ${describeValue(cols)}`);
  }
  if (!(indptr instanceof Int32Array) || indptr.length !== rows + 1) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: ${name}.indptr must be an Int32Array of length rows + 1 = ${rows + 1}, got ${describeValue(indptr)}`,
    );
  }
  if (!(indices instanceof Int32Array) || !(values instanceof Float64Array)) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: ${name}.indices and ${name}.values must be an Int32Array and a Float64Array, got ${describeValue(indices)} and ${describeValue(values)}`,
    );
  }
  const nnz = indptr[rows]!;
  if (indptr[0] !== 0 || nnz !== indices.length || nnz !== values.length) {
    throw new NextbestError(
      "E_SHAPE",
      `${fn}: ${name}.indptr must start at 0 and end at indices.length = values.length, got ${indptr[0]}..${nnz} for ${indices.length} indices and ${values.length} values`,
    );
  }
  for (let r = 0; r < rows; r++) {
    const start = indptr[r]!;
    const end = indptr[r + 1]!;
    if (end < start) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}.indptr must be non-decreasing, got ${start} then ${end} at row ${r}`);
    }
    let previous = -1;
    for (let p = start; p < end; p++) {
      const c = indices[p]!;
      if (c <= previous || c >= cols) {
        throw new NextbestError(
          "E_BAD_INPUT",
          `${fn}: ${name}.indices in row ${r} must be strictly increasing and in [0, ${cols}), got ${c} at position ${p}`,
        );
      }
      previous = c;
    }
  }
}
