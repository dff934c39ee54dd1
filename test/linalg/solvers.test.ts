import fc from "fast-check";
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import {
  choleskyFactor,
  choleskySolve,
  choleskySolveWithFactor,
  conjugateGradient,
  createConjugateGradientWorkspace,
  denseFromRows,
  gram,
  matVec,
  norm,
  type DenseMatrix,
} from "../../src/linalg/index.ts";
import { expectError, seededMatrix } from "./helpers.ts";

// A = BᵀB + λI: symmetric positive definite with condition number bounded by (σmax² + λ) / λ.
function randomSpd(n: number, seed: number, lambda: number): DenseMatrix {
  const a = gram(seededMatrix(n + 3, n, seed));
  for (let i = 0; i < n; i++) a.data[i * n + i]! += lambda;
  return a;
}

// ‖A‖₂ upper bound (Frobenius) and a condition bound (‖A‖_F / λ) for the tolerance.
function conditionBound(a: DenseMatrix, lambda: number): number {
  return norm(a.data) / lambda;
}

function residual(a: DenseMatrix, x: Float64Array, b: Float64Array): number {
  const ax = matVec(a, x);
  let s = 0;
  for (let i = 0; i < b.length; i++) s += (ax[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

const spdCase = fc.record({ n: fc.integer({ min: 1, max: 40 }), seed: fc.integer({ min: 1, max: 1_000_000 }), lambda: fc.constantFrom(1e-3, 0.1, 1, 10) });

describe("Cholesky", () => {
  it("choleskyFactor of [[4,2],[2,5]] is L = [[2,0],[1,2]] and solves exactly", () => {
    const factor = choleskyFactor(denseFromRows([[4, 2], [2, 5]]));
    expect(Array.from(factor.lower)).toEqual([2, 0, 1, 2]);
    expect(Array.from(choleskySolveWithFactor(factor, [8, 12]))).toEqual([1, 2]);
    expect(Array.from(choleskySolve(denseFromRows([[3, 2], [2, 4]]), [6, 7], { ridge: 1 }))).toEqual([1, 1]);
  });
  it("choleskySolveWithFactor solves in place when out is b", () => {
    const factor = choleskyFactor(denseFromRows([[4, 2], [2, 5]]));
    const b = new Float64Array([8, 12]);
    expect(choleskySolveWithFactor(factor, b, { out: b })).toBe(b);
    expect(Array.from(b)).toEqual([1, 2]);
  });
  it("Cholesky throws E_NOT_CONVERGED for indefinite and singular matrices", () => {
    expectError(() => choleskyFactor(denseFromRows([[1, 2], [2, 1]])), "E_NOT_CONVERGED", "choleskyFactor: a must be positive definite, got a non-positive pivot at row 1");
    expectError(() => choleskySolve(denseFromRows([[1, 1], [1, 1]]), [1, 1]), "E_NOT_CONVERGED");
    expectError(() => choleskyFactor(denseFromRows([[-1]])), "E_NOT_CONVERGED", "row 0");
  });
  it("Cholesky rejects non-square, non-symmetric and non-finite input", () => {
    expectError(() => choleskyFactor(denseFromRows([[1, 2]])), "E_SHAPE", "a must be square, got 1 × 2");
    expectError(() => choleskyFactor(denseFromRows([[2, 1], [0, 2]])), "E_BAD_INPUT", "a must be symmetric");
    expectError(() => choleskySolve(denseFromRows([[2, 0], [0, 2]]), [1]), "E_SHAPE", "b must have length 2");
    expectError(() => choleskySolve(denseFromRows([[2, 0], [0, 2]]), [1, Number.NaN]), "E_NON_FINITE", "b[1]");
    expectError(() => choleskyFactor(denseFromRows([[2]]), { ridge: -1 }), "E_BAD_INPUT", "ridge");
    expectError(() => choleskySolveWithFactor({ kind: "cholesky", n: 2, lower: new Float64Array(3) }, [1, 2]), "E_BAD_INPUT");
  });
  it("Cholesky residual ‖Ax − b‖ is small relative to cond·‖b‖ on random SPD matrices (property)", () => {
    fc.assert(
      fc.property(spdCase, ({ n, seed, lambda }) => {
        const a = randomSpd(n, seed, lambda);
        const b = seededMatrix(n, 1, seed + 1).data;
        const x = choleskySolve(a, b);
        return residual(a, x, b) <= 1e-12 * conditionBound(a, lambda) * (norm(b) + 1);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
  it("Cholesky agrees with ml-matrix's CholeskyDecomposition", () => {
    const a = randomSpd(30, 5, 0.5);
    const b = seededMatrix(30, 1, 6).data;
    const ours = choleskySolve(a, b);
    const theirs = new CholeskyDecomposition(new Matrix(Array.from({ length: 30 }, (_, i) => Array.from(a.data.subarray(i * 30, i * 30 + 30)))))
      .solve(Matrix.columnVector(Array.from(b)))
      .to1DArray();
    for (let i = 0; i < 30; i++) expect(ours[i]).toBeCloseTo(theirs[i]!, 8);
  });
});

describe("conjugateGradient", () => {
  it("conjugateGradient solves a 2×2 system in at most 2 iterations", () => {
    const result = conjugateGradient(denseFromRows([[4, 1], [1, 3]]), [1, 2]);
    expect(result.converged).toBe(true);
    expect(result.iterations).toBeLessThanOrEqual(2);
    expect(result.solution[0]).toBeCloseTo(1 / 11, 12);
    expect(result.solution[1]).toBeCloseTo(7 / 11, 12);
  });
  it("conjugateGradient residual is small relative to cond·‖b‖ on random SPD matrices (property)", () => {
    fc.assert(
      fc.property(spdCase, ({ n, seed, lambda }) => {
        const a = randomSpd(n, seed, lambda);
        const b = seededMatrix(n, 1, seed + 1).data;
        const result = conjugateGradient(a, b, { tolerance: 1e-10, maxIterations: 10 * n });
        const r = residual(a, result.solution, b);
        return result.converged && r <= 1e-9 * conditionBound(a, lambda) * (norm(b) + 1) && Math.abs(r - result.residualNorm) <= 1e-9 * (norm(b) + 1);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
  it("a warm start at the solution needs no iterations, and x0 is not modified", () => {
    const a = randomSpd(10, 3, 1);
    const b = seededMatrix(10, 1, 4).data;
    const exact = choleskySolve(a, b);
    const x0 = Float64Array.from(exact);
    const result = conjugateGradient(a, b, { x0, tolerance: 1e-8 });
    expect(result.iterations).toBe(0);
    expect(Array.from(x0)).toEqual(Array.from(exact));
  });
  it("conjugateGradient accepts an operator, an output buffer and a reusable workspace", () => {
    const diagonal = [2, 4, 8];
    const apply = (x: Float64Array, out: Float64Array): void => {
      for (let i = 0; i < 3; i++) out[i] = diagonal[i]! * x[i]!;
    };
    const workspace = createConjugateGradientWorkspace(3);
    const out = new Float64Array(3);
    const result = conjugateGradient(apply, [2, 4, 8], { workspace, out });
    expect(result.solution).toBe(out);
    expect(Array.from(out).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1, 1, 1]);
  });
  it("conjugateGradient reports non-convergence, or throws when asked", () => {
    const a = randomSpd(30, 8, 1e-3);
    const b = seededMatrix(30, 1, 9).data;
    const result = conjugateGradient(a, b, { maxIterations: 2 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(2);
    expectError(() => conjugateGradient(a, b, { maxIterations: 2, throwOnNotConverged: true }), "E_NOT_CONVERGED", "within 2 iterations");
  });
  it("conjugateGradient throws E_NOT_CONVERGED on an indefinite matrix and rejects bad options", () => {
    expectError(() => conjugateGradient(denseFromRows([[1, 0], [0, -1]]), [0, 1]), "E_NOT_CONVERGED", "positive definite");
    const a = denseFromRows([[2, 0], [0, 2]]);
    expectError(() => conjugateGradient(a, [1, 2, 3]), "E_SHAPE");
    expectError(() => conjugateGradient(a, [1, 2], { x0: [1] }), "E_SHAPE", "options.x0");
    expectError(() => conjugateGradient(a, [1, 2], { tolerance: -1 }), "E_BAD_INPUT");
    expectError(() => conjugateGradient(a, [1, 2], { maxIterations: 1.5 }), "E_BAD_INPUT");
    expectError(() => conjugateGradient(a, [1, 2], { workspace: createConjugateGradientWorkspace(3) }), "E_SHAPE");
  });
});
