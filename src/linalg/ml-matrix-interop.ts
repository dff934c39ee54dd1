/**
 * Conversions between nextbest's flat {@link DenseMatrix} and ml-matrix's `Matrix`, for the dense decompositions
 * (SVD, eigen, QR) that ml-matrix provides. Kept in its own module so that code which never converts does not pull
 * ml-matrix into a bundle.
 *
 * @module
 */
import { Matrix } from "ml-matrix";
import { NextbestError, describeValue } from "../core/errors.ts";
import { assertDense, throwIfNonFiniteMatrix } from "./internal.ts";
import type { DenseMatrix } from "./types.ts";

/**
 * An ml-matrix `Matrix` holding a copy of a dense matrix's values.
 *
 * Complexity: O(rows · cols).
 *
 * @param matrix - the matrix (Float64Array or Float32Array storage)
 * @returns a new ml-matrix `Matrix` of the same shape
 * @throws {@link core!NextbestError} `E_BAD_INPUT` / `E_SHAPE` when `matrix` is malformed, `E_NON_FINITE` naming the first
 *   NaN or ±Infinity
 * @example
 * ```ts
 * import { denseFromRows, toMlMatrix } from "nextbest/linalg";
 * toMlMatrix(denseFromRows([[1, 2], [3, 4]])).get(1, 0); // => 3
 * ```
 * @category linalg
 */
export function toMlMatrix(matrix: DenseMatrix<Float64Array | Float32Array>): Matrix {
  assertDense("toMlMatrix", "matrix", matrix, true);
  throwIfNonFiniteMatrix("toMlMatrix", "matrix", matrix);
  const { rows, cols, data } = matrix;
  const out = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) out.set(i, j, data[o + j]!);
  }
  return out;
}

/**
 * A dense float64 matrix holding a copy of an ml-matrix matrix's values.
 *
 * Complexity: O(rows · cols).
 *
 * @param matrix - any ml-matrix matrix (a `Matrix` or one of its views)
 * @returns a new {@link DenseMatrix}
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `matrix` is not an ml-matrix matrix, `E_NON_FINITE` naming the
 *   first NaN or ±Infinity
 * @example
 * ```ts
 * import { fromMlMatrix } from "nextbest/linalg";
 * import { Matrix } from "ml-matrix";
 * Array.from(fromMlMatrix(new Matrix([[1, 2], [3, 4]])).data); // => [1, 2, 3, 4]
 * ```
 * @category linalg
 */
export function fromMlMatrix(matrix: Matrix): DenseMatrix {
  if (!Matrix.isMatrix(matrix)) {
    throw new NextbestError("E_BAD_INPUT", `fromMlMatrix: matrix must be an ml-matrix Matrix, got ${describeValue(matrix)}`);
  }
  const rows = matrix.rows;
  const cols = matrix.columns;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = matrix.get(i, j);
      if (v - v !== 0) {
        throw new NextbestError("E_NON_FINITE", `fromMlMatrix: matrix entry (${i}, ${j}) must be finite, got ${describeValue(v)}`);
      }
      data[i * cols + j] = v;
    }
  }
  return { rows, cols, data };
}
