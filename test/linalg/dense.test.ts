import fc from "fast-check";
import { Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import {
  denseFromRows,
  denseIdentity,
  denseMatrix,
  denseToRows,
  denseZeros,
  fromMlMatrix,
  gram,
  matmul,
  matVec,
  toMlMatrix,
  transpose,
} from "../../src/linalg/index.ts";
import { expectError, maxAbsDiff, naiveMatmul, naiveTranspose, seededMatrix } from "./helpers.ts";

const dims = fc.record({
  m: fc.integer({ min: 0, max: 37 }),
  n: fc.integer({ min: 0, max: 37 }),
  p: fc.integer({ min: 0, max: 37 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

describe("construction", () => {
  it("denseMatrix copies values row-major and validates them", () => {
    const values = [1, 2, 3, 4, 5, 6];
    const m = denseMatrix(2, 3, values);
    values[0] = 99;
    expect(m.data[0]).toBe(1);
    expect(denseToRows(m)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expectError(() => denseMatrix(2, 2, [1, 2, 3]), "E_SHAPE", "denseMatrix: values must have length rows * cols = 4, got length 3");
    expectError(() => denseMatrix(1, 2, [1, Number.NaN]), "E_NON_FINITE", "values[1]");
    expectError(() => denseMatrix(-1, 2, []), "E_BAD_INPUT", "rows");
  });
  it("denseZeros, denseIdentity and denseFromRows build what they say", () => {
    expect(Array.from(denseZeros(2, 3).data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(denseToRows(denseIdentity(3))).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const m = denseFromRows([[1, 2], [3, 4], [5, 6]]);
    expect([m.rows, m.cols]).toEqual([3, 2]);
    expect(denseFromRows([]).data.length).toBe(0);
    expectError(() => denseFromRows([[1, 2], [3]]), "E_SHAPE", "rows[1] must have the length of rows[0] (2)");
    expectError(() => denseFromRows([[1, 2], [3, Number.POSITIVE_INFINITY]]), "E_NON_FINITE", "rows[1][1]");
  });
});

describe("matmul", () => {
  it("matmul of 2×2 matrices matches the hand-computed product, with and without transposes", () => {
    const a = denseFromRows([[1, 2], [3, 4]]);
    const b = denseFromRows([[5, 6], [7, 8]]);
    expect(denseToRows(matmul(a, b))).toEqual([[19, 22], [43, 50]]);
    expect(denseToRows(matmul(a, b, { transposeA: true }))).toEqual([[26, 30], [38, 44]]);
    expect(denseToRows(matmul(a, b, { transposeB: true }))).toEqual([[17, 23], [39, 53]]);
    expect(denseToRows(matmul(a, b, { transposeA: true, transposeB: true }))).toEqual([[23, 31], [34, 46]]);
  });
  it("matmul accepts float32 storage and returns float64", () => {
    const a = { rows: 1, cols: 2, data: new Float32Array([1, 2]) };
    const b = { rows: 2, cols: 1, data: new Float32Array([3, 4]) };
    const c = matmul(a, b);
    expect(c.data).toBeInstanceOf(Float64Array);
    expect(Array.from(c.data)).toEqual([11]);
  });
  it("matmul rejects mismatched inner dimensions, malformed matrices and NaN", () => {
    const a = seededMatrix(2, 3, 1);
    expectError(() => matmul(a, a), "E_SHAPE", "matmul: the inner dimensions must agree, got op(a) 2 × 3 and op(b) 2 × 3");
    expectError(() => matmul({ rows: 2, cols: 2, data: new Float64Array(3) }, a), "E_SHAPE", "a.data must have length");
    expectError(() => matmul({ rows: 1, cols: 1, data: [1] as unknown as Float64Array }, a), "E_BAD_INPUT", "a.data must be a Float64Array");
    const bad = denseZeros(3, 2);
    bad.data[5] = Number.NaN;
    expectError(() => matmul(a, bad), "E_NON_FINITE", "matmul: b entry (2, 1) must be finite");
  });
  it("matmul equals a naive triple loop on all shapes, including block and tile edges (property)", () => {
    fc.assert(
      fc.property(dims, ({ m, n, p, seed }) => {
        const a = seededMatrix(m, n, seed);
        const b = seededMatrix(n, p, seed + 1);
        const c = matmul(a, b);
        return c.rows === m && c.cols === p && maxAbsDiff(c.data, naiveMatmul(a, b).data) <= 1e-12 * (n + 1);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
  it("matmul with transposes equals the naive product of explicit transposes (property)", () => {
    fc.assert(
      fc.property(dims, ({ m, n, p, seed }) => {
        const at = seededMatrix(n, m, seed); // stored transposed
        const bt = seededMatrix(p, n, seed + 7);
        const c = matmul(at, bt, { transposeA: true, transposeB: true });
        const reference = naiveMatmul(naiveTranspose(at), naiveTranspose(bt));
        return maxAbsDiff(c.data, reference.data) <= 1e-12 * (n + 1);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
  it("matmul is exact past the packing block sizes (300 × 300 with 257 shared)", () => {
    const a = seededMatrix(300, 257, 3);
    const b = seededMatrix(257, 1030, 4);
    expect(maxAbsDiff(matmul(a, b).data, naiveMatmul(a, b).data)).toBeLessThan(1e-10);
  });
});

describe("matVec, transpose and gram", () => {
  it("matVec computes A·x and Aᵀ·x, into a given buffer when asked", () => {
    const a = denseFromRows([[1, 2], [3, 4], [5, 6]]);
    expect(Array.from(matVec(a, [1, 1]))).toEqual([3, 7, 11]);
    expect(Array.from(matVec(a, [1, 0, 1], { transpose: true }))).toEqual([6, 8]);
    const out = new Float64Array(3);
    expect(matVec(a, [2, 0], { out })).toBe(out);
    expect(Array.from(out)).toEqual([2, 6, 10]);
    expectError(() => matVec(a, [1, 2, 3]), "E_SHAPE", "matVec: x must have length 2");
    expectError(() => matVec(a, [1, 2], { out: new Float64Array(2) }), "E_SHAPE", "options.out");
  });
  it("matVec equals the naive product for every row count modulo 4 (property)", () => {
    fc.assert(
      fc.property(dims, ({ m, n, seed }) => {
        const a = seededMatrix(m, n, seed);
        const x = seededMatrix(n, 1, seed + 3);
        const ok1 = maxAbsDiff(matVec(a, x.data), naiveMatmul(a, x).data) <= 1e-12 * (n + 1);
        const y = seededMatrix(m, 1, seed + 5);
        const ok2 = maxAbsDiff(matVec(a, y.data, { transpose: true }), naiveMatmul(naiveTranspose(a), y).data) <= 1e-12 * (m + 1);
        const a32 = { rows: m, cols: n, data: Float32Array.from(a.data) };
        const ok3 = maxAbsDiff(matVec(a32, x.data), naiveMatmul({ rows: m, cols: n, data: Float64Array.from(a32.data) }, x).data) <= 1e-12 * (n + 1);
        return ok1 && ok2 && ok3;
      }),
      { seed: 42, numRuns: 200 },
    );
  });
  it("transpose twice is the identity and transpose keeps the element type (property)", () => {
    fc.assert(
      fc.property(dims, ({ m, n, seed }) => {
        const a = seededMatrix(m, n, seed);
        const t = transpose(a);
        const back = transpose(t);
        return (
          t.rows === n && t.cols === m && maxAbsDiff(t.data, naiveTranspose(a).data) === 0 &&
          back.rows === m && maxAbsDiff(back.data, a.data) === 0
        );
      }),
      { seed: 42, numRuns: 200 },
    );
    expect(transpose({ rows: 1, cols: 2, data: new Float32Array([1, 2]) }).data).toBeInstanceOf(Float32Array);
  });
  it("gram of [[1,2],[3,4]] is [[10,14],[14,20]]", () => {
    expect(denseToRows(gram(denseFromRows([[1, 2], [3, 4]])))).toEqual([[10, 14], [14, 20]]);
  });
  it("gram equals transpose(A)·A and is exactly symmetric (property)", () => {
    fc.assert(
      fc.property(dims, ({ m, n, seed }) => {
        const a = seededMatrix(m, n, seed);
        const g = gram(a);
        const reference = naiveMatmul(naiveTranspose(a), a);
        let symmetric = true;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (g.data[i * n + j] !== g.data[j * n + i]) symmetric = false;
        return g.rows === n && g.cols === n && symmetric && maxAbsDiff(g.data, reference.data) <= 1e-12 * (m + 1);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
  it("gram past the block sizes matches the naive product (600 × 70)", () => {
    const a = seededMatrix(70, 600, 9);
    expect(maxAbsDiff(gram(a).data, naiveMatmul(naiveTranspose(a), a).data)).toBeLessThan(1e-10);
  });
});

describe("ml-matrix conversion", () => {
  it("toMlMatrix and fromMlMatrix copy values both ways", () => {
    const m = toMlMatrix(denseFromRows([[1, 2], [3, 4]]));
    expect(m.get(1, 0)).toBe(3);
    expect(Array.from(fromMlMatrix(new Matrix([[1, 2], [3, 4]])).data)).toEqual([1, 2, 3, 4]);
    expectError(() => fromMlMatrix([[1]] as unknown as Matrix), "E_BAD_INPUT", "fromMlMatrix: matrix must be an ml-matrix Matrix");
    expectError(() => fromMlMatrix(new Matrix([[1, Number.NaN]])), "E_NON_FINITE", "(0, 1)");
  });
  it("fromMlMatrix(toMlMatrix(A)) equals A (property)", () => {
    fc.assert(
      fc.property(dims, ({ m, n, seed }) => {
        const a = seededMatrix(m, n, seed);
        const back = fromMlMatrix(toMlMatrix(a));
        return back.rows === m && back.cols === n && maxAbsDiff(back.data, a.data) === 0;
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
