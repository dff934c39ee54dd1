// Input checks shared by the segment functions: a dense matrix or an array of equal-length rows, finite values.
import { NextbestError, describeValue } from "../core/errors.ts";
import type { DenseMatrix } from "../linalg/types.ts";

/** Data to segment: a dense row-major matrix (as `encodeRows` returns) or an array of equal-length numeric rows. @category segments */
export type SegmentData = DenseMatrix | readonly ArrayLike<number>[];

/** Reads `data` as a checked row-major Float64 matrix (copied from row arrays; a Float64 matrix is used as is). */
export function matrixOf(fn: string, data: unknown): DenseMatrix {
  if (Array.isArray(data)) {
    const rows = data.length;
    if (rows === 0) throw new NextbestError("E_EMPTY", `${fn}: data must hold at least one row, got 0 rows`);
    const first: unknown = data[0];
    if (!(Array.isArray(first) || ArrayBuffer.isView(first))) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: data[0] must be an array of numbers, got ${describeValue(first)}`);
    }
    const cols = (first as ArrayLike<number>).length;
    if (cols === 0) throw new NextbestError("E_EMPTY", `${fn}: data must have at least one column, got 0 columns`);
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row: unknown = data[r];
      if (!(Array.isArray(row) || ArrayBuffer.isView(row))) {
        throw new NextbestError("E_BAD_INPUT", `${fn}: data[${r}] must be an array of numbers, got ${describeValue(row)}`);
      }
      const values = row as ArrayLike<unknown>;
      if (values.length !== cols) throw new NextbestError("E_SHAPE", `${fn}: data[${r}] must have length ${cols}, got length ${values.length}`);
      for (let j = 0; j < cols; j++) {
        const v = values[j];
        if (typeof v !== "number" || !Number.isFinite(v)) {
          throw new NextbestError(typeof v === "number" ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: data[${r}][${j}] must be a finite number, got ${describeValue(v)}`);
        }
        out[r * cols + j] = v;
      }
    }
    return { rows, cols, data: out };
  }
  const m = data as { rows?: unknown; cols?: unknown; data?: unknown } | null;
  if (
    typeof m !== "object" || m === null || typeof m.rows !== "number" || typeof m.cols !== "number" ||
    !Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows < 0 || m.cols < 0 ||
    !(m.data instanceof Float64Array || m.data instanceof Float32Array)
  ) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: data must be a dense matrix { rows, cols, data } or an array of rows, got ${describeValue(data)}`);
  }
  const matrix = m as unknown as DenseMatrix<Float64Array | Float32Array>;
  if (matrix.rows === 0) throw new NextbestError("E_EMPTY", `${fn}: data must hold at least one row, got 0 rows`);
  if (matrix.cols === 0) throw new NextbestError("E_EMPTY", `${fn}: data must have at least one column, got 0 columns`);
  if (matrix.data.length !== matrix.rows * matrix.cols) {
    throw new NextbestError("E_SHAPE", `${fn}: data.data must have length rows × cols = ${matrix.rows * matrix.cols}, got length ${matrix.data.length}`);
  }
  for (let i = 0; i < matrix.data.length; i++) {
    if (!Number.isFinite(matrix.data[i]!)) {
      const r = Math.floor(i / matrix.cols);
      throw new NextbestError("E_NON_FINITE", `${fn}: data row ${r}, column ${i - r * matrix.cols} must be finite, got ${describeValue(matrix.data[i])}`);
    }
  }
  return matrix.data instanceof Float64Array ? (matrix as DenseMatrix) : { rows: matrix.rows, cols: matrix.cols, data: Float64Array.from(matrix.data) };
}

/** Squared Euclidean distance between row i of `a` and row j of `b` (both with `cols` columns). */
export function squaredDistance(a: Float64Array, i: number, b: Float64Array, j: number, cols: number): number {
  let s = 0;
  const oi = i * cols;
  const oj = j * cols;
  for (let c = 0; c < cols; c++) {
    const d = a[oi + c]! - b[oj + c]!;
    s += d * d;
  }
  return s;
}
