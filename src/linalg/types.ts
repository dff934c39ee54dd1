/**
 * The matrix types of nextbest: plain objects over flat typed arrays.
 *
 * @module
 */

/**
 * A dense row-major matrix: element (i, j) is `data[i * cols + j]`.
 * `Float64Array` by default; `Float32Array` where a model stores a large factor table to halve its memory.
 *
 * @category linalg
 */
export interface DenseMatrix<T extends Float64Array | Float32Array = Float64Array> {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** `rows * cols` values, row after row. */
  readonly data: T;
}

/**
 * A compressed sparse row (CSR) matrix. Row `r` holds columns `indices[indptr[r] .. indptr[r+1])` with
 * values `values[...]` at the same positions; within a row, columns are strictly increasing.
 * Its transpose, built by `csrTranspose`, is the CSC form of the same matrix.
 *
 * @category linalg
 */
export interface CsrMatrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** `rows + 1` offsets into `indices` and `values`; `indptr[0] = 0`, `indptr[rows] = nnz`. */
  readonly indptr: Int32Array;
  /** Column of each stored entry, strictly increasing within a row. */
  readonly indices: Int32Array;
  /** Value of each stored entry. */
  readonly values: Float64Array;
}
