// Shared test helpers: seeded random matrices, naive reference kernels, error matchers.
import { expect } from "vitest";
import { NextbestError } from "../../src/core/errors.ts";
import type { DenseMatrix } from "../../src/linalg/types.ts";

/** A deterministic matrix with entries in [-1, 1) from a linear congruential generator. */
export function seededMatrix(rows: number, cols: number, seed: number): DenseMatrix {
  const data = new Float64Array(rows * cols);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = state / 2147483648 - 1;
  }
  return { rows, cols, data };
}

export function naiveMatmul(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += a.data[i * a.cols + k]! * b.data[k * b.cols + j]!;
      out[i * b.cols + j] = s;
    }
  }
  return { rows: a.rows, cols: b.cols, data: out };
}

export function naiveTranspose(a: DenseMatrix): DenseMatrix {
  const out = new Float64Array(a.rows * a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out[j * a.rows + i] = a.data[i * a.cols + j]!;
  return { rows: a.cols, cols: a.rows, data: out };
}

/** Max |x - y| over two arrays of equal length (Infinity when lengths differ). */
export function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/** Asserts that `fn` throws a NextbestError with `code` and a message containing `fragment`. */

export { expectError } from "../helpers.ts";
