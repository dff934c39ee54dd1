/**
 * Small symmetric positive definite (SPD) solvers for factor models: Cholesky factorization and solve (dense,
 * k ≤ 512 or so), and conjugate gradient with a warm start (dense or matrix-free).
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { assertArrayLike, assertFiniteNumber, assertInteger } from "../internal/validate.ts";
import { gemvF64 } from "./kernels.ts";
import { assertDense, float64Data, throwIfNonFinite, throwIfNonFiniteMatrix } from "./internal.ts";
import type { DenseMatrix } from "./types.ts";

/**
 * A Cholesky factorization A = L·Lᵀ of an SPD matrix, reusable for many right-hand sides.
 * Build with {@link choleskyFactor}; solve with {@link choleskySolveWithFactor}.
 *
 * @category linalg
 */
export interface CholeskyFactorization {
  /** Discriminant. */
  readonly kind: "cholesky";
  /** The size n of the factored n × n matrix. */
  readonly n: number;
  /** L, lower triangular, row-major n × n (entries above the diagonal are 0). */
  readonly lower: Float64Array;
}

/** Options of {@link choleskyFactor} and {@link choleskySolve}. @category linalg */
export interface CholeskyOptions {
  /**
   * A value λ ≥ 0 added to the diagonal before factoring, so the factorization is of A + λI (ridge regularization,
   * as in alternating least squares), without copying A first. @defaultValue 0
   */
  ridge?: number;
}

function checkSquareSymmetric(fn: string, a: unknown): asserts a is DenseMatrix<Float64Array | Float32Array> {
  assertDense(fn, "a", a, true);
  if (a.rows !== a.cols) {
    throw new NextbestError("E_SHAPE", `${fn}: a must be square, got ${a.rows} × ${a.cols}`);
  }
  throwIfNonFiniteMatrix(fn, "a", a);
  const { rows: n, data } = a;
  let scale = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Math.abs(data[i]!);
    if (v > scale) scale = v;
  }
  const tolerance = 1e-10 * scale;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const lower = data[i * n + j]!;
      const upper = data[j * n + i]!;
      if (Math.abs(lower - upper) > tolerance) {
        throw new NextbestError(
          "E_BAD_INPUT",
          `${fn}: a must be symmetric, got a(${i}, ${j}) = ${lower} and a(${j}, ${i}) = ${upper}`,
        );
      }
    }
  }
}

function readRidge(fn: string, options: CholeskyOptions): number {
  const ridge = options.ridge ?? 0;
  assertFiniteNumber(fn, "options.ridge", ridge);
  if (ridge < 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.ridge must be >= 0, got ${ridge}`);
  return ridge;
}

// Row-oriented Cholesky–Crout: L(i, j) = (A(i, j) − Σ_{k<j} L(i, k)·L(j, k)) / L(j, j). The inner sums are dot
// products of two contiguous row prefixes. Returns -1 on success, else the index of the failing pivot.
function choleskyKernel(A: Float64Array, n: number, ridge: number, L: Float64Array): number {
  for (let i = 0; i < n; i++) {
    const oi = i * n;
    for (let j = 0; j <= i; j++) {
      const oj = j * n;
      let s0 = 0;
      let s1 = 0;
      let k = 0;
      for (; k + 2 <= j; k += 2) {
        s0 += L[oi + k]! * L[oj + k]!;
        s1 += L[oi + k + 1]! * L[oj + k + 1]!;
      }
      if (k < j) s0 += L[oi + k]! * L[oj + k]!;
      const s = s0 + s1;
      if (j < i) {
        L[oi + j] = (A[oi + j]! - s) / L[oj + j]!;
      } else {
        const diagonal = A[oi + i]! + ridge;
        const d = diagonal - s;
        // Relative pivot test: a pivot lost to rounding means A is singular or indefinite to working precision.
        if (!(d > 4 * n * Number.EPSILON * Math.abs(diagonal))) return i;
        L[oi + i] = Math.sqrt(d);
      }
    }
  }
  return -1;
}

// Solves L·Lᵀ·x = b in place in x (x holds b on entry).
function choleskySubstitute(L: Float64Array, n: number, x: Float64Array): void {
  // forward: L·y = b
  for (let i = 0; i < n; i++) {
    const o = i * n;
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= L[o + k]! * x[k]!;
    x[i] = s / L[o + i]!;
  }
  // backward: Lᵀ·x = y (column i of Lᵀ is row i of L; walk rows of L from the bottom)
  for (let i = n - 1; i >= 0; i--) {
    const o = i * n;
    const xi = x[i]! / L[o + i]!;
    x[i] = xi;
    for (let k = 0; k < i; k++) x[k]! -= L[o + k]! * xi;
  }
}

/**
 * The Cholesky factorization A (+ λI) = L·Lᵀ of a symmetric positive definite matrix, for reuse across
 * right-hand sides (for example one solve per user in alternating least squares).
 *
 * A is checked for symmetry (relative tolerance 1e-10 of its largest entry); only its lower triangle is then read.
 *
 * Complexity: O(n³/3) time, O(n²) memory. Meant for the small systems of factor models (n ≤ 512).
 *
 * @param a - the SPD matrix A (n × n)
 * @param options - an optional ridge λ added to the diagonal
 * @returns the factorization
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed or non-symmetric matrix or a bad ridge, `E_SHAPE` when
 *   A is not square, `E_NON_FINITE` naming a NaN or ±Infinity, `E_NOT_CONVERGED` when A is not positive definite
 *   (a pivot is ≤ 0 to working precision), naming the pivot
 * @example
 * ```ts
 * import { choleskyFactor, denseFromRows } from "nextbest/linalg";
 * const factor = choleskyFactor(denseFromRows([[4, 2], [2, 5]]));
 * Array.from(factor.lower); // => [2, 0, 1, 2]
 * ```
 * @category linalg
 */
export function choleskyFactor(
  a: DenseMatrix<Float64Array | Float32Array>,
  options: CholeskyOptions = {},
): CholeskyFactorization {
  const fn = "choleskyFactor";
  checkSquareSymmetric(fn, a);
  const ridge = readRidge(fn, options);
  return factorOrThrow(fn, a, ridge);
}

function factorOrThrow(fn: string, a: DenseMatrix<Float64Array | Float32Array>, ridge: number): CholeskyFactorization {
  const factor = tryCholeskyFactor(a, ridge);
  if (typeof factor === "number") {
    throw new NextbestError(
      "E_NOT_CONVERGED",
      `${fn}: a must be positive definite, got a non-positive pivot at row ${factor} (diagonal ${a.data[factor * a.rows + factor]}${ridge > 0 ? ` + ridge ${ridge}` : ""})`,
    );
  }
  return factor;
}

/**
 * The Cholesky factorization of A + ridge·I for a caller that checked A itself (square, symmetric, finite), or the
 * row of the first non-positive pivot, so that the caller words the failure in terms of its own arguments. @internal
 */
export function tryCholeskyFactor(a: DenseMatrix<Float64Array | Float32Array>, ridge: number): CholeskyFactorization | number {
  const n = a.rows;
  const lower = new Float64Array(n * n);
  const failed = choleskyKernel(float64Data(a), n, ridge, lower);
  return failed >= 0 ? failed : { kind: "cholesky", n, lower };
}

/** Solves L·Lᵀ·x = b in place in `x` (which holds b on entry) with a factor from {@link tryCholeskyFactor}. @internal */
export function choleskySubstituteInPlace(factor: CholeskyFactorization, x: Float64Array): void {
  choleskySubstitute(factor.lower, factor.n, x);
}

function checkFactor(fn: string, factor: unknown): asserts factor is CholeskyFactorization {
  const f = factor as Partial<CholeskyFactorization> | null;
  if (
    f === null ||
    typeof f !== "object" ||
    f.kind !== "cholesky" ||
    typeof f.n !== "number" ||
    !(f.lower instanceof Float64Array) ||
    f.lower.length !== f.n * f.n
  ) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: factor must be a factorization from choleskyFactor, got ${describeValue(factor)}`);
  }
}

function prepareRightHandSide(fn: string, n: number, b: unknown, out: unknown): Float64Array {
  assertArrayLike(fn, "b", b);
  if (b.length !== n) throw new NextbestError("E_SHAPE", `${fn}: b must have length ${n}, got length ${b.length}`);
  throwIfNonFinite(fn, "b", b);
  if (out === undefined) return Float64Array.from(b);
  if (!(out instanceof Float64Array) || out.length !== n) {
    throw new NextbestError("E_SHAPE", `${fn}: options.out must be a Float64Array of length ${n}, got ${describeValue(out)}`);
  }
  if (out !== b) out.set(b);
  return out;
}

/** Options of {@link choleskySolveWithFactor}. @category linalg */
export interface CholeskySolveWithFactorOptions {
  /** A buffer for the solution (length n; may be `b` itself to solve in place). A new array when absent. */
  out?: Float64Array;
}

/**
 * Solves A·x = b with a factorization from {@link choleskyFactor}, by forward then backward substitution.
 *
 * Complexity: O(n²) time, no allocation when `options.out` is given.
 *
 * @param factor - the factorization of A
 * @param b - the right-hand side (length n)
 * @param options - an optional output buffer
 * @returns the solution x (`options.out` when given)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when factor is not a factorization or b not an array, `E_SHAPE` when
 *   a length differs from n, `E_NON_FINITE` naming a NaN or ±Infinity in b
 * @example
 * ```ts
 * import { choleskyFactor, choleskySolveWithFactor, denseFromRows } from "nextbest/linalg";
 * const factor = choleskyFactor(denseFromRows([[4, 2], [2, 5]]));
 * Array.from(choleskySolveWithFactor(factor, [8, 12])); // => [1, 2]
 * Array.from(choleskySolveWithFactor(factor, [4, 2])); // => [1, 0]
 * ```
 * @category linalg
 */
export function choleskySolveWithFactor(
  factor: CholeskyFactorization,
  b: ArrayLike<number>,
  options: CholeskySolveWithFactorOptions = {},
): Float64Array {
  const fn = "choleskySolveWithFactor";
  checkFactor(fn, factor);
  const x = prepareRightHandSide(fn, factor.n, b, options.out);
  choleskySubstitute(factor.lower, factor.n, x);
  return x;
}

/**
 * Solves A·x = b for a symmetric positive definite A by Cholesky factorization (A + λI with `options.ridge`).
 * To solve several systems with the same A, factor once with {@link choleskyFactor} instead.
 *
 * Complexity: O(n³/3) time, O(n²) memory.
 *
 * @param a - the SPD matrix A (n × n)
 * @param b - the right-hand side (length n)
 * @param options - an optional ridge λ added to the diagonal
 * @returns a new Float64Array holding x
 * @throws {@link core!NextbestError} as {@link choleskyFactor} and {@link choleskySolveWithFactor}; `E_NOT_CONVERGED`
 *   when A is not positive definite
 * @example
 * ```ts
 * import { choleskySolve, denseFromRows } from "nextbest/linalg";
 * Array.from(choleskySolve(denseFromRows([[4, 2], [2, 5]]), [8, 12])); // => [1, 2]
 * Array.from(choleskySolve(denseFromRows([[3, 2], [2, 4]]), [6, 7], { ridge: 1 })); // => [1, 1]
 * ```
 * @category linalg
 */
export function choleskySolve(
  a: DenseMatrix<Float64Array | Float32Array>,
  b: ArrayLike<number>,
  options: CholeskyOptions = {},
): Float64Array {
  const fn = "choleskySolve";
  checkSquareSymmetric(fn, a);
  const ridge = readRidge(fn, options);
  const x = prepareRightHandSide(fn, a.rows, b, undefined);
  const factor = factorOrThrow(fn, a, ridge);
  choleskySubstitute(factor.lower, factor.n, x);
  return x;
}

/**
 * A symmetric positive definite linear operator given as a function: writes A·x into `out` (which it must fully
 * overwrite) and must not keep references to its arguments. Lets conjugate gradient run on a matrix that is never
 * formed, such as YᵀCY + λI in implicit alternating least squares.
 *
 * @category linalg
 */
export type LinearOperator = (x: Float64Array, out: Float64Array) => void;

/** Scratch vectors for {@link conjugateGradient}; create once with {@link createConjugateGradientWorkspace}. @category linalg */
export interface ConjugateGradientWorkspace {
  /** The size n the buffers are for. */
  readonly n: number;
  /** Residual r = b − A·x. */
  readonly residual: Float64Array;
  /** Search direction p. */
  readonly direction: Float64Array;
  /** A·p. */
  readonly product: Float64Array;
}

/**
 * Scratch buffers for {@link conjugateGradient} on systems of size n, to reuse across many solves (one per user
 * in a factor model) so the solver allocates nothing.
 *
 * Complexity: O(n).
 *
 * @param n - the system size
 * @returns a new workspace
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when n is not a non-negative integer
 * @example
 * ```ts
 * import { createConjugateGradientWorkspace } from "nextbest/linalg";
 * createConjugateGradientWorkspace(8).residual.length; // => 8
 * ```
 * @category linalg
 */
export function createConjugateGradientWorkspace(n: number): ConjugateGradientWorkspace {
  assertInteger("createConjugateGradientWorkspace", "n", n, 0, 2147483647);
  return { n, residual: new Float64Array(n), direction: new Float64Array(n), product: new Float64Array(n) };
}

/** Options of {@link conjugateGradient}. @category linalg */
export interface ConjugateGradientOptions {
  /** Warm start x₀ (length n), for example last iteration's factors; not modified. @defaultValue zeros */
  x0?: ArrayLike<number>;
  /** Most iterations to run. @defaultValue 2·n (at least 1) */
  maxIterations?: number;
  /** Stop when ‖b − A·x‖ ≤ tolerance · ‖b‖. @defaultValue 1e-10 */
  tolerance?: number;
  /** Throw `E_NOT_CONVERGED` instead of returning `converged: false` when the tolerance is not met. @defaultValue false */
  throwOnNotConverged?: boolean;
  /** Buffer for the solution (length n; may be `x0` itself for an in-place warm-started update). */
  out?: Float64Array;
  /** Scratch buffers from {@link createConjugateGradientWorkspace}; allocated per call when absent. */
  workspace?: ConjugateGradientWorkspace;
}

/** Result of {@link conjugateGradient}. @category linalg */
export interface ConjugateGradientResult {
  /** The approximate solution x (`options.out` when given). */
  readonly solution: Float64Array;
  /** Iterations run (0 when x₀ already met the tolerance). */
  readonly iterations: number;
  /** The true residual norm ‖b − A·x‖ of the returned solution (recomputed, not the recurrence's estimate). */
  readonly residualNorm: number;
  /** Whether residualNorm ≤ tolerance · ‖b‖. */
  readonly converged: boolean;
}

function dotF64(a: Float64Array, b: Float64Array, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
  }
  if (i < n) s0 += a[i]! * b[i]!;
  return s0 + s1;
}

/**
 * Solves A·x = b for a symmetric positive definite A by the conjugate gradient method (Hestenes–Stiefel), from a
 * warm start. A is a dense matrix or a {@link LinearOperator}. With a warm start close to the answer, a few
 * iterations suffice, which is how implicit-feedback ALS uses it.
 *
 * When the recurrence says the tolerance is met, the true residual is recomputed; if it is not actually met the
 * method restarts from the current x (guarding against drift), within the iteration budget.
 *
 * Complexity: O(iterations · cost(A·x)); O(n²) per iteration for a dense A. No allocation inside the loop; none
 * at all when `out` and `workspace` are given.
 *
 * @param a - the SPD matrix (n × n) or an operator computing A·x
 * @param b - the right-hand side (length n)
 * @param options - warm start, iteration budget, tolerance, buffers
 * @returns the solution with the iterations run, the residual norm and whether it converged
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for malformed arguments or options, `E_SHAPE` for mismatched lengths,
 *   `E_NON_FINITE` naming a NaN or ±Infinity, `E_NOT_CONVERGED` when A is found not positive definite (pᵀAp ≤ 0) or,
 *   with `throwOnNotConverged`, when the tolerance is not met
 * @example
 * ```ts
 * import { conjugateGradient, denseFromRows } from "nextbest/linalg";
 * const result = conjugateGradient(denseFromRows([[4, 1], [1, 3]]), [1, 2]);
 * Array.from(result.solution, (v) => Math.round(v * 1e6) / 1e6); // => [0.090909, 0.636364]
 * result.converged; // => true
 * result.iterations <= 2; // => true
 * ```
 * @category linalg
 */
export function conjugateGradient(
  a: DenseMatrix<Float64Array | Float32Array> | LinearOperator,
  b: ArrayLike<number>,
  options: ConjugateGradientOptions = {},
): ConjugateGradientResult {
  const fn = "conjugateGradient";
  assertArrayLike(fn, "b", b);
  const n = b.length;
  let apply: LinearOperator;
  if (typeof a === "function") {
    apply = a;
  } else {
    checkSquareSymmetric(fn, a);
    if (a.rows !== n) throw new NextbestError("E_SHAPE", `${fn}: b must have length a.rows = ${a.rows}, got length ${n}`);
    const data = float64Data(a);
    apply = (x, out) => gemvF64(data, n, n, x, out);
  }
  throwIfNonFinite(fn, "b", b);
  const maxIterations = options.maxIterations ?? Math.max(1, 2 * n);
  assertInteger(fn, "options.maxIterations", maxIterations, 0);
  const tolerance = options.tolerance ?? 1e-10;
  assertFiniteNumber(fn, "options.tolerance", tolerance);
  if (tolerance < 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.tolerance must be >= 0, got ${tolerance}`);
  const workspace = options.workspace ?? createConjugateGradientWorkspace(n);
  if (
    workspace === null ||
    typeof workspace !== "object" ||
    workspace.n !== n ||
    !(workspace.residual instanceof Float64Array && workspace.residual.length === n) ||
    !(workspace.direction instanceof Float64Array && workspace.direction.length === n) ||
    !(workspace.product instanceof Float64Array && workspace.product.length === n)
  ) {
    throw new NextbestError("E_SHAPE", `${fn}: options.workspace must come from createConjugateGradientWorkspace(${n}), got ${describeValue(workspace)}`);
  }
  const x = options.out ?? new Float64Array(n);
  if (!(x instanceof Float64Array) || x.length !== n) {
    throw new NextbestError("E_SHAPE", `${fn}: options.out must be a Float64Array of length ${n}, got ${describeValue(x)}`);
  }
  const x0 = options.x0;
  if (x0 !== undefined) {
    assertArrayLike(fn, "options.x0", x0);
    if (x0.length !== n) throw new NextbestError("E_SHAPE", `${fn}: options.x0 must have length ${n}, got length ${x0.length}`);
    throwIfNonFinite(fn, "options.x0", x0);
    if (x0 !== x) x.set(x0);
  } else {
    x.fill(0);
  }
  const bs = b instanceof Float64Array ? b : Float64Array.from(b);
  const { residual: r, direction: p, product: ap } = workspace;

  const bNorm = Math.sqrt(dotF64(bs, bs, n));
  const threshold = tolerance * bNorm;
  let iterations = 0;
  let residualNorm = 0;
  // Outer loop: (re)start from the true residual; inner loop: the CG recurrence.
  for (;;) {
    apply(x, ap);
    for (let i = 0; i < n; i++) r[i] = bs[i]! - ap[i]!;
    let rr = dotF64(r, r, n);
    residualNorm = Math.sqrt(rr);
    if (residualNorm <= threshold || iterations >= maxIterations) break;
    p.set(r);
    while (iterations < maxIterations) {
      apply(p, ap);
      const pap = dotF64(p, ap, n);
      if (!(pap > 0)) {
        throw new NextbestError(
          "E_NOT_CONVERGED",
          `${fn}: a must be positive definite, got pᵀAp = ${pap} at iteration ${iterations + 1}`,
        );
      }
      const alpha = rr / pap;
      for (let i = 0; i < n; i++) {
        x[i]! += alpha * p[i]!;
        r[i]! -= alpha * ap[i]!;
      }
      iterations++;
      const rrNext = dotF64(r, r, n);
      if (Math.sqrt(rrNext) <= threshold) break;
      const beta = rrNext / rr;
      rr = rrNext;
      for (let i = 0; i < n; i++) p[i] = r[i]! + beta * p[i]!;
    }
  }
  const converged = residualNorm <= threshold;
  if (!converged && options.throwOnNotConverged === true) {
    throw new NextbestError(
      "E_NOT_CONVERGED",
      `${fn}: the residual must reach tolerance · ‖b‖ = ${threshold} within ${maxIterations} iterations, got ${residualNorm}`,
    );
  }
  return { solution: x, iterations, residualNorm, converged };
}
