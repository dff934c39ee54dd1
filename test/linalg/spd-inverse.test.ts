import fc from "fast-check";
import { inverse, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { denseFromRows, denseToRows, gram, spdInverse, type DenseMatrix } from "../../src/linalg/index.ts";
import { invertSpdUpperInPlace } from "../../src/linalg/spd-inverse.ts";
import { expectError, maxAbsDiff, naiveMatmul, seededMatrix } from "./helpers.ts";

// A = BᵀB + λI: symmetric positive definite, condition number at most (σmax² + λ) / λ.
function randomSpd(n: number, seed: number, lambda: number): DenseMatrix {
  const a = gram(seededMatrix(n + 3, n, seed));
  for (let i = 0; i < n; i++) a.data[i * n + i]! += lambda;
  return a;
}

// The textbook reference: Gauss–Jordan with partial pivoting on [A | I].
function naiveInverse(a: DenseMatrix): Float64Array {
  const n = a.rows;
  const m = Array.from({ length: n }, (_, i) => [...Array.from(a.data.subarray(i * n, i * n + n)), ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    const d = m[c]![c]!;
    for (let j = 0; j < 2 * n; j++) m[c]![j]! /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      for (let j = 0; j < 2 * n; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  return Float64Array.from(m.flatMap((row) => row.slice(n)));
}

function identityError(a: DenseMatrix, inv: DenseMatrix): number {
  const product = naiveMatmul(a, inv);
  let worst = 0;
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.rows; j++) worst = Math.max(worst, Math.abs(product.data[i * a.rows + j]! - (i === j ? 1 : 0)));
  return worst;
}

// The kernel on a copy of A's upper triangle, with a chosen block width.
function kernelInverse(a: DenseMatrix, block: number, ridge = 0, threads = 1, kernels: "auto" | "javascript" = "auto"): { data: Float64Array; failed: number } {
  const data = new Float64Array(a.data.length);
  const n = a.rows;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) data[i * n + j] = a.data[i * n + j]!;
  return { data, failed: invertSpdUpperInPlace(data, n, ridge, block, threads, kernels) };
}

describe("spdInverse, by hand", () => {
  it("inverts [[4, 2], [2, 2]] to [[0.5, -0.5], [-0.5, 1]] and adds the ridge first", () => {
    expect(denseToRows(spdInverse(denseFromRows([[4, 2], [2, 2]])))).toEqual([[0.5, -0.5], [-0.5, 1]]);
    expect(denseToRows(spdInverse(denseFromRows([[1, 0], [0, 3]]), { ridge: 1 }))).toEqual([[0.5, 0], [0, 0.25]]);
  });

  it("inverts a 3 × 3 matrix to its adjugate over its determinant (13)", () => {
    // [[4, 2, 1], [2, 3, 1], [1, 1, 2]]: cofactors 5, -3, -1, 7, -2, 8
    const inv = spdInverse(denseFromRows([[4, 2, 1], [2, 3, 1], [1, 1, 2]]));
    const expected = [5, -3, -1, -3, 7, -2, -1, -2, 8].map((v) => v / 13);
    expect(maxAbsDiff(inv.data, expected)).toBeLessThan(1e-15);
  });

  it("agrees with naive Gauss–Jordan and with ml-matrix across block boundaries (n = 127 … 300)", () => {
    for (const n of [1, 2, 5, 127, 128, 129, 300]) {
      const a = randomSpd(n, n, 0.5);
      const inv = spdInverse(a);
      expect(maxAbsDiff(inv.data, naiveInverse(a))).toBeLessThan(1e-9);
      if (n === 300) expect(maxAbsDiff(inv.data, Float64Array.from(inverse(new Matrix(denseToRows(a))).to1DArray()))).toBeLessThan(1e-9);
    }
  });

  it("returns a new symmetric matrix, leaves its input alone, and reads float32 input", () => {
    const a = randomSpd(9, 4, 1);
    const copy = a.data.slice();
    const inv = spdInverse(a);
    expect(a.data).toEqual(copy);
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) expect(inv.data[i * 9 + j]).toBe(inv.data[j * 9 + i]);
    const narrow = { rows: 9, cols: 9, data: Float32Array.from(a.data) };
    expect(maxAbsDiff(spdInverse(narrow).data, naiveInverse({ rows: 9, cols: 9, data: Float64Array.from(narrow.data) }))).toBeLessThan(1e-9);
  });

  it("the ridge option equals adding λ to the diagonal", () => {
    const a = randomSpd(20, 3, 0.1);
    const shifted = { rows: 20, cols: 20, data: a.data.slice() };
    for (let i = 0; i < 20; i++) shifted.data[i * 20 + i]! += 2.5;
    expect(maxAbsDiff(spdInverse(a, { ridge: 2.5 }).data, spdInverse(shifted).data)).toBeLessThan(1e-14);
  });
});

describe("spdInverse, properties", () => {
  it("A·A⁻¹ ≈ I for random SPD matrices and any block width (blocked and unblocked paths agree)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(1e-2, 0.1, 1, 10),
        fc.integer({ min: 1, max: 17 }),
        (n, seed, lambda, block) => {
          const a = randomSpd(n, seed, lambda);
          const { data, failed } = kernelInverse(a, block);
          expect(failed).toBe(-1);
          // condition number ≤ (‖A‖_F) / λ bounds the error
          let frobenius = 0;
          for (const v of a.data) frobenius += v * v;
          const tolerance = 1e-12 * (Math.sqrt(frobenius) / lambda) * n;
          expect(identityError(a, { rows: n, cols: n, data })).toBeLessThan(tolerance);
          expect(maxAbsDiff(data, kernelInverse(a, n).data)).toBeLessThan(tolerance);
        },
      ),
      { seed: 13, numRuns: 150 },
    );
  });

  it("the inverse of an SPD matrix is SPD: positive diagonal, symmetric", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 1_000_000 }), (n, seed) => {
        const inv = spdInverse(randomSpd(n, seed, 0.5));
        for (let i = 0; i < n; i++) {
          expect(inv.data[i * n + i]).toBeGreaterThan(0);
          for (let j = 0; j < i; j++) expect(inv.data[i * n + j]).toBe(inv.data[j * n + i]);
        }
      }),
      { seed: 14, numRuns: 60 },
    );
  });
});

describe("spdInverse on the WebAssembly kernels", () => {
  it("property: from order 192 the sweeps in the kernels' memory give the JavaScript sweeps' inverse bit for bit, on any thread count", () => {
    fc.assert(
      fc.property(fc.integer({ min: 192, max: 230 }), fc.constantFrom(7, 64, 128), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 3 }), (n, block, seed, threads) => {
        const a = randomSpd(n, seed, 0.5);
        const javascript = kernelInverse(a, block, 0.25, 1, "javascript");
        const kernels = kernelInverse(a, block, 0.25, threads);
        expect(kernels.failed).toBe(-1);
        expect(javascript.failed).toBe(-1);
        expect(Array.from(kernels.data)).toEqual(Array.from(javascript.data));
      }),
      { numRuns: 8 },
    );
  });

  it("names the same failed pivot as the JavaScript sweeps", () => {
    const a = randomSpd(200, 3, 0);
    // make row 150 a copy of row 20 (singular): the pivot of 150 fails
    for (let j = 0; j < 200; j++) {
      a.data[150 * 200 + j] = a.data[20 * 200 + j]!;
      a.data[j * 200 + 150] = a.data[j * 200 + 20]!;
    }
    a.data[150 * 200 + 150] = a.data[20 * 200 + 20]!;
    expect(kernelInverse(a, 64).failed).toBe(kernelInverse(a, 64, 0, 1, "javascript").failed);
    expect(kernelInverse(a, 64).failed).toBeGreaterThanOrEqual(0);
  });
});

describe("spdInverse, errors", () => {
  it("rejects matrices that are not SPD, naming the failing pivot's row", () => {
    expectError(() => spdInverse(denseFromRows([[1, 2], [2, 1]])), "E_NOT_CONVERGED", "spdInverse: a must be positive definite, got a non-positive pivot at row 1 (diagonal 1)");
    expectError(() => spdInverse(denseFromRows([[1, 1], [1, 1]])), "E_NOT_CONVERGED", "pivot at row 1");
    expectError(() => spdInverse(denseFromRows([[-1]]), { ridge: 0.5 }), "E_NOT_CONVERGED", "row 0 (diagonal -1 + ridge 0.5)");
    // a failing pivot in a later block
    const a = randomSpd(10, 2, 1);
    a.data[7 * 10 + 7] = -5;
    expect(kernelInverse(a, 3).failed).toBe(7);
  });

  it("rejects malformed input with the field and value", () => {
    expectError(() => spdInverse(denseFromRows([[1, 2]])), "E_SHAPE", "spdInverse: a must be square, got 1 × 2");
    expectError(() => spdInverse(denseFromRows([[2, 1], [0, 2]])), "E_BAD_INPUT", "spdInverse: a must be symmetric, got a(1, 0) = 0 and a(0, 1) = 1");
    expectError(() => spdInverse({ rows: 2, cols: 2, data: new Float64Array([2, Number.NaN, Number.NaN, 2]) }), "E_NON_FINITE", "spdInverse: a entry (0, 1) must be finite, got NaN");
    expectError(() => spdInverse(denseFromRows([[2]]), { ridge: -1 }), "E_BAD_INPUT", "spdInverse: options.ridge must be >= 0, got -1");
    expectError(() => spdInverse(denseFromRows([[2]]), null as never), "E_BAD_INPUT", "spdInverse: options must be an object, got null");
    expectError(() => spdInverse([[1]] as never), "E_BAD_INPUT", "spdInverse: a.rows must be an integer");
  });

  it("an empty matrix has an empty inverse", () => {
    expect(spdInverse({ rows: 0, cols: 0, data: new Float64Array(0) }).data.length).toBe(0);
  });
});
