// Kernels of implicit alternating least squares (Hu, Koren & Volinsky 2008): one half-iteration solves every row of
// one side given the other side fixed. Plain indexed loops over float64 scratch (the fixed side of the
// conjugate-gradient path is read through a float32 mirror); nothing is allocated per row.
// Not exported by the barrel; the public functions validate their inputs.
//
// Speed notes (MovieLens-20M-sized synthetic matrix, 138k × 27k, 10M non-zeros, 64 factors, one thread, Node 20):
// one iteration went from ~18 s to ~8 s. The sparse products Σ (c − 1)(y·p) y dominate (2·nnz·f multiply-adds per
// conjugate-gradient step, plus the residual pass) and are bound by V8's per-element cost (index add, bounds check,
// load, widen, multiply, add), not by memory: eight rows per block is the measured optimum (four: ~1 s slower per
// iteration, sixteen: ~1 s slower); a float32 mirror beats float64 rows (~15%); gathering each row's vectors into a
// contiguous buffer first, or carrying x·y from one half-iteration to the next to skip the residual's dot products,
// measured slower (the first pass over a row pays the cache misses whichever products it computes). The YᵀY·p
// products (f² per step) are removed by the eigenbasis rotation of conjugateGradientAls.
import { createGemmWorkspace, gemm, gemvF64, type GemmWorkspace } from "../linalg/kernels.ts";
import type { CsrMatrix } from "../linalg/types.ts";
import { f32Stride } from "../linalg/wasm/simd.ts";
import { openKernelArena } from "../linalg/wasm/threads.ts";

/** out = YᵀY (f × f, symmetric, row-major) for Y (rows × f, row-major), float64 sums. */
export function gramOf(Y: Float64Array, rows: number, f: number, out: Float64Array): void {
  out.fill(0);
  for (let r = 0; r < rows; r++) {
    const o = r * f;
    for (let a = 0; a < f; a++) {
      const ya = Y[o + a]!;
      if (ya === 0) continue;
      const ao = a * f;
      for (let b = a; b < f; b++) out[ao + b]! += ya * Y[o + b]!;
    }
  }
  for (let a = 0; a < f; a++) for (let b = 0; b < a; b++) out[a * f + b] = out[b * f + a]!;
}

/** Σ_k Y[yo + k] · v[k] over k < f, four independent sums. */
function dot4(Y: Float64Array, yo: number, v: Float64Array, f: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 4 <= f; k += 4) {
    s0 += Y[yo + k]! * v[k]!;
    s1 += Y[yo + k + 1]! * v[k + 1]!;
    s2 += Y[yo + k + 2]! * v[k + 2]!;
    s3 += Y[yo + k + 3]! * v[k + 3]!;
  }
  for (; k < f; k++) s0 += Y[yo + k]! * v[k]!;
  return s0 + s1 + (s2 + s3);
}

/** out[k] += w · Y[yo + k] for k < f, unrolled by four. */
function axpy4(w: number, Y: Float64Array, yo: number, out: Float64Array, f: number): void {
  let k = 0;
  for (; k + 4 <= f; k += 4) {
    out[k]! += w * Y[yo + k]!;
    out[k + 1]! += w * Y[yo + k + 1]!;
    out[k + 2]! += w * Y[yo + k + 2]!;
    out[k + 3]! += w * Y[yo + k + 3]!;
  }
  for (; k < f; k++) out[k]! += w * Y[yo + k]!;
}

/** Scratch for one half-iteration, allocated once per fit. */
export interface AlsScratch {
  readonly gram: Float64Array;
  readonly r: Float64Array;
  readonly p: Float64Array;
  readonly ap: Float64Array;
  readonly x: Float64Array;
  readonly lower: Float64Array;
}

export function createAlsScratch(f: number): AlsScratch {
  return {
    gram: new Float64Array(f * f),
    r: new Float64Array(f),
    p: new Float64Array(f),
    ap: new Float64Array(f),
    x: new Float64Array(f),
    lower: new Float64Array(f * f),
  };
}

/**
 * Solves row `row` of X from Y by `steps` conjugate-gradient steps warm-started at the current X row (Takács, Pilászy
 * & Tikk 2011, as implicit's `use_cg`): the system is (YᵀY + λI + Yᵀ(C_u − I)Y) x = YᵀC_u p(u), with
 * c_ui = 1 + α·value on the row's stored entries and p_ui = 1 there, 0 elsewhere. `scratch.gram` must hold YᵀY + λI.
 */
export function solveRowConjugateGradient(
  X: Float64Array,
  row: number,
  Y: Float64Array,
  f: number,
  start: number,
  end: number,
  indices: Int32Array,
  values: Float64Array,
  alpha: number,
  steps: number,
  scratch: AlsScratch,
): void {
  const { gram, r, p, ap } = scratch;
  const xo = row * f;
  const x = X.subarray(xo, xo + f);
  // r = b − A x = Σ_i (c_i − (c_i − 1)(y_i·x)) y_i − (YᵀY + λI) x
  gemvF64(gram, f, f, x, r);
  for (let k = 0; k < f; k++) r[k] = -r[k]!;
  for (let q = start; q < end; q++) {
    const yo = indices[q]! * f;
    const cm1 = alpha * values[q]!;
    const w = 1 + cm1 - cm1 * dot4(Y, yo, x, f);
    axpy4(w, Y, yo, r, f);
  }
  let rsold = 0;
  for (let k = 0; k < f; k++) {
    const v = r[k]!;
    p[k] = v;
    rsold += v * v;
  }
  if (rsold < 1e-20) return;
  for (let it = 0; it < steps; it++) {
    // Ap = (YᵀY + λI) p + Σ_i (c_i − 1)(y_i·p) y_i
    gemvF64(gram, f, f, p, ap);
    for (let q = start; q < end; q++) {
      const yo = indices[q]! * f;
      const cm1 = alpha * values[q]!;
      axpy4(cm1 * dot4(Y, yo, p, f), Y, yo, ap, f);
    }
    let pap = 0;
    for (let k = 0; k < f; k++) pap += p[k]! * ap[k]!;
    if (!(pap > 0)) return;
    const a = rsold / pap;
    let rsnew = 0;
    for (let k = 0; k < f; k++) {
      x[k]! += a * p[k]!;
      const v = r[k]! - a * ap[k]!;
      r[k] = v;
      rsnew += v * v;
    }
    if (rsnew < 1e-20) return;
    const beta = rsnew / rsold;
    for (let k = 0; k < f; k++) p[k] = r[k]! + beta * p[k]!;
    rsold = rsnew;
  }
}

/**
 * out[k] += Σ_q w_q · T[indices[q]·f + k] over the entries q in [start, end), with
 * w_q = bias · (1 + c_q) + sign · c_q · (t_q · v) and c_q = alpha · values[q]: the sparse part of a conjugate-gradient
 * residual (bias 1, sign −1, v = x) or of a product A·p (bias 0, sign 1, v = p). T is the float32 mirror of the fixed
 * side (half the memory traffic of float64; sums stay float64). Eight rows at a time, so each loaded v[k] and out[k]
 * serves eight multiply-adds, and eight rows are fetched from memory at once; the eight rows are read twice back to
 * back, the second time from L1.
 */
function accumulateRows(
  T: Float32Array,
  f: number,
  start: number,
  end: number,
  indices: Int32Array,
  values: Float64Array,
  alpha: number,
  bias: number,
  sign: number,
  v: Float64Array,
  out: Float64Array,
): void {
  let q = start;
  for (; q + 8 <= end; q += 8) {
    const o0 = indices[q]! * f;
    const o1 = indices[q + 1]! * f;
    const o2 = indices[q + 2]! * f;
    const o3 = indices[q + 3]! * f;
    const o4 = indices[q + 4]! * f;
    const o5 = indices[q + 5]! * f;
    const o6 = indices[q + 6]! * f;
    const o7 = indices[q + 7]! * f;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (let k = 0; k < f; k++) {
      const vk = v[k]!;
      s0 += T[o0 + k]! * vk;
      s1 += T[o1 + k]! * vk;
      s2 += T[o2 + k]! * vk;
      s3 += T[o3 + k]! * vk;
      s4 += T[o4 + k]! * vk;
      s5 += T[o5 + k]! * vk;
      s6 += T[o6 + k]! * vk;
      s7 += T[o7 + k]! * vk;
    }
    const c0 = alpha * values[q]!;
    const c1 = alpha * values[q + 1]!;
    const c2 = alpha * values[q + 2]!;
    const c3 = alpha * values[q + 3]!;
    const c4 = alpha * values[q + 4]!;
    const c5 = alpha * values[q + 5]!;
    const c6 = alpha * values[q + 6]!;
    const c7 = alpha * values[q + 7]!;
    const w0 = bias * (1 + c0) + sign * c0 * s0;
    const w1 = bias * (1 + c1) + sign * c1 * s1;
    const w2 = bias * (1 + c2) + sign * c2 * s2;
    const w3 = bias * (1 + c3) + sign * c3 * s3;
    const w4 = bias * (1 + c4) + sign * c4 * s4;
    const w5 = bias * (1 + c5) + sign * c5 * s5;
    const w6 = bias * (1 + c6) + sign * c6 * s6;
    const w7 = bias * (1 + c7) + sign * c7 * s7;
    for (let k = 0; k < f; k++) {
      out[k]! +=
        w0 * T[o0 + k]! + w1 * T[o1 + k]! + (w2 * T[o2 + k]! + w3 * T[o3 + k]!) +
        (w4 * T[o4 + k]! + w5 * T[o5 + k]! + (w6 * T[o6 + k]! + w7 * T[o7 + k]!));
    }
  }
  for (; q + 4 <= end; q += 4) {
    const o0 = indices[q]! * f;
    const o1 = indices[q + 1]! * f;
    const o2 = indices[q + 2]! * f;
    const o3 = indices[q + 3]! * f;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let k = 0; k < f; k++) {
      const vk = v[k]!;
      s0 += T[o0 + k]! * vk;
      s1 += T[o1 + k]! * vk;
      s2 += T[o2 + k]! * vk;
      s3 += T[o3 + k]! * vk;
    }
    const c0 = alpha * values[q]!;
    const c1 = alpha * values[q + 1]!;
    const c2 = alpha * values[q + 2]!;
    const c3 = alpha * values[q + 3]!;
    const w0 = bias * (1 + c0) + sign * c0 * s0;
    const w1 = bias * (1 + c1) + sign * c1 * s1;
    const w2 = bias * (1 + c2) + sign * c2 * s2;
    const w3 = bias * (1 + c3) + sign * c3 * s3;
    for (let k = 0; k < f; k++) out[k]! += w0 * T[o0 + k]! + w1 * T[o1 + k]! + (w2 * T[o2 + k]! + w3 * T[o3 + k]!);
  }
  for (; q < end; q++) {
    const o = indices[q]! * f;
    let s = 0;
    for (let k = 0; k < f; k++) s += T[o + k]! * v[k]!;
    const c = alpha * values[q]!;
    const w = bias * (1 + c) + sign * c * s;
    for (let k = 0; k < f; k++) out[k]! += w * T[o + k]!;
  }
}

/**
 * One conjugate-gradient half-iteration: every row of X (rows × f, float64) re-solved by `steps` steps warm-started at
 * its current value, for the system of {@link solveRowConjugateGradient}, with CSR rows (indptr, indices, values)
 * naming rows of `T`, the float32 mirror of the fixed side Y. `gram` holds YᵀY + λI (f × f) or, when `diagonal`, only
 * its diagonal (f values; the tables are then expressed in the eigenbasis of YᵀY, see {@link conjugateGradientAls}),
 * which turns the f² product YᵀY·p into f products. A row without interactions gets its exact solution, 0.
 */
function conjugateGradientRows(
  X: Float64Array,
  rows: number,
  T: Float32Array,
  f: number,
  indptr: Int32Array,
  indices: Int32Array,
  values: Float64Array,
  alpha: number,
  steps: number,
  gram: Float64Array,
  diagonal: boolean,
  scratch: AlsScratch,
): void {
  const { r, p, ap, x } = scratch;
  for (let row = 0; row < rows; row++) {
    const start = indptr[row]!;
    const end = indptr[row + 1]!;
    const xo = row * f;
    if (start === end) {
      X.fill(0, xo, xo + f);
      continue;
    }
    for (let k = 0; k < f; k++) x[k] = X[xo + k]!;
    // r = b − A x = Σ_i (c_i − (c_i − 1)(y_i·x)) y_i − (YᵀY + λI) x
    if (diagonal) {
      for (let k = 0; k < f; k++) r[k] = -gram[k]! * x[k]!;
    } else {
      gemvF64(gram, f, f, x, r);
      for (let k = 0; k < f; k++) r[k] = -r[k]!;
    }
    accumulateRows(T, f, start, end, indices, values, alpha, 1, -1, x, r);
    let rsold = 0;
    for (let k = 0; k < f; k++) {
      const v = r[k]!;
      p[k] = v;
      rsold += v * v;
    }
    if (rsold >= 1e-20) {
      for (let it = 0; it < steps; it++) {
        // Ap = (YᵀY + λI) p + Σ_i (c_i − 1)(y_i·p) y_i
        if (diagonal) {
          for (let k = 0; k < f; k++) ap[k] = gram[k]! * p[k]!;
        } else {
          gemvF64(gram, f, f, p, ap);
        }
        accumulateRows(T, f, start, end, indices, values, alpha, 0, 1, p, ap);
        let pap = 0;
        for (let k = 0; k < f; k++) pap += p[k]! * ap[k]!;
        if (!(pap > 0)) break;
        const a = rsold / pap;
        let rsnew = 0;
        for (let k = 0; k < f; k++) {
          x[k]! += a * p[k]!;
          const v = r[k]! - a * ap[k]!;
          r[k] = v;
          rsnew += v * v;
        }
        if (rsnew < 1e-20) break;
        const beta = rsnew / rsold;
        for (let k = 0; k < f; k++) p[k] = r[k]! + beta * p[k]!;
        rsold = rsnew;
      }
    }
    for (let k = 0; k < f; k++) X[xo + k] = x[k]!;
  }
}

/** out = TᵀT (f × f, symmetric, row-major) for T (rows × f, row-major) through the blocked gemm kernel. */
function gramByGemm(T: Float64Array, rows: number, f: number, out: Float64Array, workspace: GemmWorkspace): void {
  out.fill(0);
  if (rows > 0) gemm(f, rows, f, T, 1, f, T, f, 1, out, true, workspace);
  for (let a = 1; a < f; a++) for (let b = 0; b < a; b++) out[a * f + b] = out[b * f + a]!;
}

/**
 * Eigen-decomposition A = V diag(d) Vᵀ of a symmetric f × f matrix (row-major; A is overwritten) by cyclic Jacobi
 * rotations (Golub & Van Loan, "Matrix Computations", 4th ed., section 8.5; rotation angles as in Rutishauser 1966),
 * until the off-diagonal mass is below 1e-28 of the total. V is orthogonal with the eigenvectors as columns.
 * O(f³) per sweep, a handful of sweeps.
 */
export function symmetricEigen(A: Float64Array, f: number, V: Float64Array, d: Float64Array): void {
  V.fill(0);
  for (let k = 0; k < f; k++) V[k * f + k] = 1;
  for (let sweep = 0; sweep < 64; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < f; i++) {
      for (let j = 0; j < f; j++) {
        const v = A[i * f + j]!;
        total += v * v;
        if (i !== j) off += v * v;
      }
    }
    if (!(off > 1e-28 * total)) break;
    for (let pp = 0; pp < f - 1; pp++) {
      for (let qq = pp + 1; qq < f; qq++) {
        const apq = A[pp * f + qq]!;
        if (apq === 0) continue;
        const theta = (A[qq * f + qq]! - A[pp * f + pp]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < f; k++) {
          const akp = A[k * f + pp]!;
          const akq = A[k * f + qq]!;
          A[k * f + pp] = c * akp - s * akq;
          A[k * f + qq] = s * akp + c * akq;
        }
        const po = pp * f;
        const qo = qq * f;
        for (let k = 0; k < f; k++) {
          const apk = A[po + k]!;
          const aqk = A[qo + k]!;
          A[po + k] = c * apk - s * aqk;
          A[qo + k] = s * apk + c * aqk;
        }
        A[po + qq] = 0;
        A[qo + pp] = 0;
        for (let k = 0; k < f; k++) {
          const vkp = V[k * f + pp]!;
          const vkq = V[k * f + qq]!;
          V[k * f + pp] = c * vkp - s * vkq;
          V[k * f + qq] = s * vkp + c * vkq;
        }
      }
    }
  }
  for (let k = 0; k < f; k++) d[k] = A[k * f + k]!;
}

/** Rows per block when a factor table is multiplied by an f × f matrix. */
const ROTATE_BLOCK = 256;

/**
 * T ← T · R (or T · Rᵀ when `transposed`) for T rows × f and R f × f, in blocks of {@link ROTATE_BLOCK} rows through
 * the gemm kernel; `block` and `product` hold ROTATE_BLOCK · f values.
 */
function multiplyRows(
  T: Float64Array,
  rows: number,
  f: number,
  R: Float64Array,
  transposed: boolean,
  block: Float64Array,
  product: Float64Array,
  workspace: GemmWorkspace,
): void {
  for (let first = 0; first < rows; first += ROTATE_BLOCK) {
    const count = Math.min(ROTATE_BLOCK, rows - first);
    const o = first * f;
    const n = count * f;
    for (let k = 0; k < n; k++) block[k] = T[o + k]!;
    product.fill(0, 0, n);
    gemm(count, f, f, block, f, 1, R, transposed ? 1 : f, transposed ? f : 1, product, false, workspace);
    for (let k = 0; k < n; k++) T[o + k] = product[k]!;
  }
}

/**
 * Whether solving `rows` rows against `otherRows` fixed rows is cheaper in the eigenbasis of the fixed side's Gram
 * matrix: it saves (steps + 1) matrix–vector products of f² per row and costs rotating both tables (matrix products
 * that run about 1.4 times as fast per multiply-add) plus the Jacobi eigen-decomposition (≈ 40 f³).
 */
function diagonalizationPays(rows: number, otherRows: number, f: number, steps: number): boolean {
  return f > 1 && (steps + 1) * rows * f * f > 0.75 * (rows + otherRows) * f * f + 40 * f * f * f;
}

/** An implicit-ALS fit for the conjugate-gradient solvers: tables X (users × f) and Y (items × f), updated in place. */
export interface AlsProblem {
  readonly X: Float64Array;
  readonly Y: Float64Array;
  readonly f: number;
  readonly byUser: CsrMatrix;
  readonly byItem: CsrMatrix;
  readonly alpha: number;
  readonly regularization: number;
  readonly iterations: number;
  readonly steps: number;
  readonly afterIteration?: ((iteration: number) => void) | undefined;
}

/**
 * Implicit ALS with the conjugate-gradient solver on float64 tables X (users × f) and Y (items × f), in place: each
 * iteration re-solves every user against the items, then every item against the users (Hu, Koren & Volinsky 2008;
 * `steps` warm-started conjugate-gradient steps per row, Takács, Pilászy & Tikk 2011).
 *
 * Speed-ups, none of which changes the mathematics: the fixed side is read through a float32 mirror (float64 sums);
 * rows go eight at a time through the sparse products; and when it pays ({@link diagonalizationPays}) a half-iteration
 * first rotates both tables into the eigenbasis of the fixed side's Gram matrix YᵀY = V Λ Vᵀ (X ← X V, Y ← Y V:
 * every score x·y and every norm is unchanged, and conjugate gradient is invariant under an orthogonal change of
 * basis), where YᵀY + λI is the diagonal Λ + λI and its product with a vector costs f instead of f². The rotations
 * are accumulated and undone at the end, so the tables come back in the basis they started in.
 */
export function conjugateGradientAls(problem: AlsProblem): void {
  const { X, Y, f, byUser, byItem, alpha, regularization, iterations, steps, afterIteration } = problem;
  if (iterations === 0) return;
  const userCount = byUser.rows;
  const itemCount = byItem.rows;
  const scratch = createAlsScratch(f);
  const workspace = createGemmWorkspace();
  const mirror = new Float32Array(Math.max(userCount, itemCount) * f);
  const rotateForUsers = diagonalizationPays(userCount, itemCount, f, steps);
  const rotateForItems = diagonalizationPays(itemCount, userCount, f, steps);
  const rotating = rotateForUsers || rotateForItems;
  const eigenvectors = new Float64Array(rotating ? f * f : 0);
  const eigenvalues = new Float64Array(rotating ? f : 0);
  const total = new Float64Array(rotating ? f * f : 0);
  const totalNext = new Float64Array(rotating ? f * f : 0);
  const block = new Float64Array(rotating ? ROTATE_BLOCK * f : 0);
  const product = new Float64Array(rotating ? ROTATE_BLOCK * f : 0);
  for (let k = 0; k < f && rotating; k++) total[k * f + k] = 1;
  let rotated = false;
  for (let half = 0; half < 2 * iterations; half++) {
    const usersHalf = half % 2 === 0;
    const solved = usersHalf ? X : Y;
    const fixed = usersHalf ? Y : X;
    const rows = usersHalf ? userCount : itemCount;
    const otherRows = usersHalf ? itemCount : userCount;
    const matrix = usersHalf ? byUser : byItem;
    const diagonal = usersHalf ? rotateForUsers : rotateForItems;
    const gram = scratch.gram;
    gramByGemm(fixed, otherRows, f, gram, workspace);
    for (let k = 0; k < f; k++) gram[k * f + k]! += regularization;
    if (diagonal) {
      symmetricEigen(gram, f, eigenvectors, eigenvalues);
      multiplyRows(solved, rows, f, eigenvectors, false, block, product, workspace);
      multiplyRows(fixed, otherRows, f, eigenvectors, false, block, product, workspace);
      totalNext.fill(0);
      gemm(f, f, f, total, f, 1, eigenvectors, f, 1, totalNext, false, workspace);
      total.set(totalNext);
      rotated = true;
    }
    const n = otherRows * f;
    for (let k = 0; k < n; k++) mirror[k] = fixed[k]!;
    conjugateGradientRows(
      solved, rows, mirror, f, matrix.indptr, matrix.indices, matrix.values, alpha, steps,
      diagonal ? eigenvalues : gram, diagonal, scratch,
    );
    if (half % 2 === 1) afterIteration?.((half + 1) / 2);
  }
  if (rotated) {
    multiplyRows(X, userCount, f, total, true, block, product, workspace);
    multiplyRows(Y, itemCount, f, total, true, block, product, workspace);
  }
}

/**
 * Solves row `row` of X exactly by forming A = YᵀY + λI + Σ_i (c_i − 1) y_i y_iᵀ and b = Σ_i c_i y_i, then a Cholesky
 * factorization A = L Lᵀ and two triangular solves (Hu, Koren & Volinsky 2008, section 4). `scratch.gram` must hold
 * YᵀY + λI. Returns false when A is numerically not positive definite (the row is left unchanged).
 */
export function solveRowCholesky(
  X: Float64Array,
  row: number,
  Y: Float64Array,
  f: number,
  start: number,
  end: number,
  indices: Int32Array,
  values: Float64Array,
  alpha: number,
  scratch: AlsScratch,
): boolean {
  const { gram, lower: L, r: b } = scratch;
  L.set(gram);
  b.fill(0);
  for (let q = start; q < end; q++) {
    const yo = indices[q]! * f;
    const cm1 = alpha * values[q]!;
    for (let a = 0; a < f; a++) {
      const ya = Y[yo + a]!;
      b[a]! += (1 + cm1) * ya;
      const w = cm1 * ya;
      if (w === 0) continue;
      const ao = a * f;
      for (let c = 0; c <= a; c++) L[ao + c]! += w * Y[yo + c]!;
    }
  }
  // In-place Cholesky of the lower triangle (row-major).
  for (let j = 0; j < f; j++) {
    const jo = j * f;
    let d = L[jo + j]!;
    for (let k = 0; k < j; k++) d -= L[jo + k]! * L[jo + k]!;
    if (!(d > 0)) return false;
    const djj = Math.sqrt(d);
    L[jo + j] = djj;
    for (let i = j + 1; i < f; i++) {
      const io = i * f;
      let s = L[io + j]!;
      for (let k = 0; k < j; k++) s -= L[io + k]! * L[jo + k]!;
      L[io + j] = s / djj;
    }
  }
  // L z = b, then Lᵀ x = z.
  for (let i = 0; i < f; i++) {
    const io = i * f;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[io + k]! * b[k]!;
    b[i] = s / L[io + i]!;
  }
  for (let i = f - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < f; k++) s -= L[k * f + i]! * b[k]!;
    b[i] = s / L[i * f + i]!;
  }
  X.set(b, row * f);
  return true;
}

/**
 * Rows of the fixed side a row's solve copies into a contiguous buffer before its conjugate-gradient steps (longer
 * rows read the table in place). On a 10M-entry matrix whose fixed side does not fit in cache, one gathering pass of
 * random reads replaces one per step.
 */
const GATHER_ROWS = 2048;

/** Fixed-side tables smaller than this (float32 bytes) are read in place: they stay in the CPU's caches. */
const GATHER_MIN_TABLE_BYTES = 4 * 1024 * 1024;

/**
 * {@link conjugateGradientAls} on the WebAssembly SIMD kernels, in float32 throughout as the `implicit` library's
 * CPU solver (sums included; the JavaScript kernels keep float64 sums): both tables and both CSR matrices (with the
 * confidences α·value as float32) live in one WebAssembly memory for the whole fit; each half-iteration forms YᵀY + λI
 * (`gramF32`) and runs every row's conjugate-gradient steps (`alsConjugateGradientRows`) without returning to
 * JavaScript. The Gram product stays f² per step (SIMD makes it cheaper than rotating both tables into the eigenbasis).
 * Writes X and Y (float64, as given) at the end. With `threads` > 1 each half-iteration's rows are split among worker
 * threads over a shared memory (about equal entries each); a row's solution does not depend on the split, so the
 * model is the same for every thread count. Returns false, leaving X and Y unchanged, when the kernels cannot run here
 * or the data exceed WebAssembly's memory.
 */
export function conjugateGradientAlsWasm(problem: AlsProblem, threads = 1): boolean {
  const { X, Y, f, byUser, byItem, alpha, regularization, iterations, steps, afterIteration } = problem;
  const userCount = byUser.rows;
  const itemCount = byItem.rows;
  const nnz = byUser.indptr[userCount]!;
  const stride = f32Stride(f);
  // Each thread solves its own range of rows with its own scratch and gather buffers.
  const opened = openKernelArena(
    new Map([
      ["userIndptr", 4 * (userCount + 1)],
      ["userIndices", 4 * nnz],
      ["userConf", 4 * nnz],
      ["itemIndptr", 4 * (itemCount + 1)],
      ["itemIndices", 4 * nnz],
      ["itemConf", 4 * nnz],
      ["X", 4 * userCount * stride],
      ["Y", 4 * itemCount * stride],
      ["gram", 4 * f * stride],
      ["identity", 4 * GATHER_ROWS],
    ]),
    new Map([["scratch", 4 * 3 * stride], ["gather", 4 * GATHER_ROWS * stride]]),
    threads,
  );
  if (opened === undefined) return false;
  const { arena, threaded } = opened;
  for (const [side, matrix] of [["user", byUser], ["item", byItem]] as const) {
    arena.i32(`${side}Indptr`).set(matrix.indptr);
    arena.i32(`${side}Indices`).set(matrix.indices.subarray(0, nnz));
    const conf = arena.f32(`${side}Conf`);
    for (let q = 0; q < nnz; q++) conf[q] = alpha * matrix.values[q]!;
  }
  const identity = arena.i32("identity");
  for (let q = 0; q < GATHER_ROWS; q++) identity[q] = q;
  const tables = { X: arena.f32("X"), Y: arena.f32("Y") };
  const copyIn = (source: Float64Array, rows: number, target: Float32Array): void => {
    for (let row = 0; row < rows; row++) for (let k = 0; k < f; k++) target[row * stride + k] = source[row * f + k]!;
  };
  const copyOut = (source: Float32Array, rows: number, target: Float64Array): void => {
    for (let row = 0; row < rows; row++) for (let k = 0; k < f; k++) target[row * f + k] = source[row * stride + k]!;
  };
  copyIn(X, userCount, tables.X);
  copyIn(Y, itemCount, tables.Y);
  const { kernels, offsets } = arena;
  const at = (name: string): number => offsets.get(name)!;
  const gram = arena.f32("gram");
  try {
    for (let half = 0; half < 2 * iterations; half++) {
      const usersHalf = half % 2 === 0;
      const solved = usersHalf ? "X" : "Y";
      const fixed = usersHalf ? "Y" : "X";
      const side = usersHalf ? "user" : "item";
      const rows = usersHalf ? userCount : itemCount;
      kernels.gramF32(at(fixed), usersHalf ? itemCount : userCount, f, stride, at("gram"));
      for (let k = 0; k < f; k++) gram[k * stride + k] = Math.fround(gram[k * stride + k]! + regularization);
      // Gathering pays only when the fixed side does not stay in cache (measured: it costs ~5% on MovieLens 100K).
      const gatherRows = 4 * stride * (usersHalf ? itemCount : userCount) > GATHER_MIN_TABLE_BYTES ? GATHER_ROWS : 0;
      // Rows split into one contiguous range per thread with about equal entries; a row's solution does not depend on
      // the split, so every thread count gives the same model.
      const indptr = usersHalf ? byUser.indptr : byItem.indptr;
      const parts = opened.threads;
      const calls: number[][] = [];
      for (let t = 0, first = 0; t < parts; t++) {
        let last = first;
        const target = Math.round((nnz * (t + 1)) / parts);
        while (last < rows && (t === parts - 1 || indptr[last]! < target)) last++;
        calls.push([
          at(solved) + 4 * stride * first, last - first, at(fixed), f, stride, at(`${side}Indptr`) + 4 * first,
          at(`${side}Indices`), at(`${side}Conf`), steps, at("gram"), 0, at(`scratch${t}`), at(`gather${t}`), gatherRows,
          at("identity"),
        ]);
        first = last;
      }
      if (threaded !== undefined) threaded.run("alsConjugateGradientRows", calls);
      else (kernels.alsConjugateGradientRows as (...values: number[]) => void)(...calls[0]!);
      if (half % 2 === 1 && afterIteration !== undefined) afterIteration((half + 1) / 2);
    }
    copyOut(tables.X, userCount, X);
    copyOut(tables.Y, itemCount, Y);
  } finally {
    opened.close(); // also when a progress callback throws: no worker outlives the fit
  }
  return true;
}
