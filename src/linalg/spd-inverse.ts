/**
 * The inverse of a dense symmetric positive definite (SPD) matrix by the blocked sweep operator (Gauss–Jordan
 * elimination without pivoting, in place, on the upper triangle), for the large inverses of item-item models such as
 * EASE.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { assertFiniteNumber } from "../internal/validate.ts";
import { createGemmWorkspace, gemm, type GemmWorkspace } from "./kernels.ts";
import { openKernelArena, type ComputationArena } from "./wasm/threads.ts";
import { assertDense, throwIfNonFiniteMatrix } from "./internal.ts";
import type { DenseMatrix } from "./types.ts";

/**
 * Pivot block width: wide enough that the rank-b updates run at the matmul kernel's full speed, narrow enough that
 * the b²·n work of forming D·Y stays a few per cent of the n³/2 total (64–128 measured alike at n = 3000 and 4000;
 * 160 and 256 were slower).
 */
const BLOCK = 128;

/**
 * The unblocked sweep of the b × b pivot block `D` (upper triangle valid, stride b), in place: afterwards its upper
 * triangle holds −D⁻¹. `diagonal` holds the original diagonal of the whole matrix from `offset` on, for the relative
 * pivot test. Returns -1, or the local index of the first pivot that is not positive to working precision.
 */
function sweepBlock(D: Float64Array, b: number, diagonal: Float64Array, offset: number, n: number): number {
  for (let k = 0; k < b; k++) {
    const ok = k * b;
    const pivot = D[ok + k]!;
    // The pivot is the Schur complement of the entries swept before (L(k, k)² of a Cholesky factor): a pivot lost to
    // rounding means the matrix is singular or indefinite to working precision.
    if (!(pivot > 4 * n * Number.EPSILON * Math.abs(diagonal[offset + k]!))) return k;
    const inverse = 1 / pivot;
    // a(i, j) −= a(i, k) · a(k, j) / a(k, k) for i ≤ j, i, j ≠ k (upper storage: a(i, k) = D[i·b + k] for i < k,
    // D[k·b + i] for i > k)
    for (let i = 0; i < b; i++) {
      if (i === k) continue;
      const aik = (i < k ? D[i * b + k]! : D[ok + i]!) * inverse;
      if (aik === 0) continue;
      const oi = i * b;
      for (let j = i; j < b; j++) {
        if (j === k) continue;
        D[oi + j]! -= aik * (j < k ? D[j * b + k]! : D[ok + j]!);
      }
    }
    for (let i = 0; i < k; i++) D[i * b + k]! *= inverse;
    for (let j = k + 1; j < b; j++) D[ok + j]! *= inverse;
    D[ok + k] = -inverse;
  }
  return -1;
}

/** Scratch buffers of {@link invertSpdUpperInPlace}; their sizes depend on n only. */
interface SweepWorkspace {
  readonly gemm: GemmWorkspace;
  readonly pivot: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  readonly diagonal: Float64Array;
}

/**
 * Replaces the SPD matrix held in the upper triangle of `A` (n × n row-major; the entries below the diagonal are
 * ignored and overwritten) by its inverse, full and symmetric, with `ridge` added to the diagonal first.
 * Returns -1 on success, else the row of the first pivot that is not positive to working precision (A is then
 * garbage). Trusts its inputs. `block` is the pivot block width (tests use small blocks to exercise the blocking).
 * From order 192 the sweeps run on the WebAssembly kernels where the runtime has them (bit-identical, on `threads`
 * threads: callers pass more than 1 from {@link THREADED_MIN_ORDER}); `kernels: "javascript"` keeps them in JavaScript
 * (the tests compare both).
 *
 * The sweep operator (Goodnight 1979) on a block K of b indices with D = A_KK⁻¹ and Y = A_K· (the block's rows):
 * A_RR ← A_RR − Y_Rᵀ·D·Y_R, A_KR ← D·Y_R, A_KK ← −D, for R every index outside K (swept before or not). Sweeping
 * every block leaves −A⁻¹. Each step is one rank-b update of the upper triangle by the register-tiled matmul kernel,
 * so the whole inverse costs n³/2 + n²·b multiply-adds (a Cholesky factorization, triangular inverse and product
 * cost the same n³/2) with O(b·n) extra memory. No pivoting is needed: every pivot block of an SPD matrix is a Schur
 * complement, itself SPD.
 */
export function invertSpdUpperInPlace(
  A: Float64Array,
  n: number,
  ridge: number,
  block: number = BLOCK,
  threads = 1,
  kernels: "auto" | "javascript" = "auto",
): number {
  const b0 = Math.max(1, Math.min(block, n));
  const viaKernels = n >= WASM_MIN_ORDER && kernels === "auto" ? invertSpdUpperWithKernels(A, n, ridge, b0, threads) : undefined;
  if (viaKernels !== undefined) {
    if (viaKernels < 0) mirrorNegated(A, n);
    return viaKernels;
  }
  const workspace: SweepWorkspace = {
    gemm: createGemmWorkspace(),
    pivot: new Float64Array(b0 * b0),
    y: new Float64Array(b0 * n),
    z: new Float64Array(b0 * n),
    diagonal: new Float64Array(n),
  };
  const { pivot: D, y: Y, z: Z, diagonal } = workspace;
  for (let i = 0; i < n; i++) {
    A[i * n + i]! += ridge;
    diagonal[i] = A[i * n + i]!;
  }
  for (let k0 = 0; k0 < n; k0 += b0) {
    const k1 = Math.min(n, k0 + b0);
    const b = k1 - k0;
    // Yᵀ (n × b): row i holds the matrix's entries (i, k0 .. k1), read from the upper triangle; zero inside the block.
    for (let i = 0; i < k0; i++) {
      const o = i * n + k0;
      const yo = i * b;
      for (let kk = 0; kk < b; kk++) Y[yo + kk] = A[o + kk]!;
    }
    Y.fill(0, k0 * b, k1 * b);
    for (let kk = 0; kk < b; kk++) {
      const row = (k0 + kk) * n;
      for (let j = k1; j < n; j++) Y[j * b + kk] = A[row + j]!;
      for (let c = kk; c < b; c++) D[kk * b + c] = A[row + k0 + c]!;
    }
    const failed = sweepBlock(D, b, diagonal, k0, n);
    if (failed >= 0) return k0 + failed;
    // D now holds −A_KK⁻¹ in its upper triangle; make it full for the product.
    for (let r = 1; r < b; r++) for (let c = 0; c < r; c++) D[r * b + c] = D[c * b + r]!;
    // Zᵀ = Yᵀ·(−D) (n × b), then A += Zᵀ·Y on the upper triangle: A_RR − Y_Rᵀ·D·Y_R. The block's own rows and
    // columns get values too; they are overwritten below.
    Z.fill(0, 0, b * n);
    gemm(n, b, b, Y, b, 1, D, b, 1, Z, false, workspace.gemm);
    gemm(n, b, n, Z, b, 1, Y, 1, b, A, true, workspace.gemm);
    // A_KR ← D·Y_R = −Z_R; A_KK ← −D (the pivot block as swept)
    for (let i = 0; i < k0; i++) {
      const o = i * n + k0;
      const zo = i * b;
      for (let kk = 0; kk < b; kk++) A[o + kk] = -Z[zo + kk]!;
    }
    for (let kk = 0; kk < b; kk++) {
      const row = (k0 + kk) * n;
      for (let j = k1; j < n; j++) A[row + j] = -Z[j * b + kk]!;
      for (let c = kk; c < b; c++) A[row + k0 + c] = D[kk * b + c]!;
    }
  }
  mirrorNegated(A, n);
  return -1;
}

/** −A⁻¹ → A⁻¹, mirrored into the lower triangle (0 − a, not −a: an exact zero stays +0). */
function mirrorNegated(A: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const o = i * n;
    for (let j = i; j < n; j++) {
      const v = 0 - A[o + j]!;
      A[o + j] = v;
      A[j * n + i] = v;
    }
  }
}

/** Orders from which {@link invertSpdUpperInPlace} runs on the WebAssembly kernels. */
const WASM_MIN_ORDER = 192;

/** Orders from which the sweeps gain from threads (the callers' rule). */
export const THREADED_MIN_ORDER = 512;

/**
 * The sweeps of {@link invertSpdUpperInPlace} with the matrix resident in the kernels' memory (rows padded to a
 * multiple of 4): each block's two products run on `gemmF64` (the second on the upper triangle only, its rows split
 * among `threads`) on operands packed in place, so the n × n matrix is never copied per block. The same operations in
 * the same order as the JavaScript path (bit-identical). Leaves A as −A⁻¹ in its upper triangle, as the JavaScript
 * sweeps do; returns -1, or the first failed pivot, or undefined (nothing changed) where the kernels cannot run.
 */
function invertSpdUpperWithKernels(A: Float64Array, n: number, ridge: number, b0: number, threads: number): number | undefined {
  const n4 = (n + 3) & ~3;
  const b4max = (b0 + 3) & ~3;
  const opened = openKernelArena(
    new Map([
      ["A", 8 * n4 * n4],
      ["Y", 8 * n4 * b0],
      ["Z", 8 * n4 * b0],
      ["D", 8 * b0 * b4max],
      ["Zrows", 8 * n4 * b4max],
    ]),
    new Map(),
    threads,
  );
  if (opened === undefined) return undefined;
  const { arena } = opened;
  try {
    const Aw = arena.f64("A");
    const Ys = arena.f64("Y");
    const Zs = arena.f64("Z");
    const Ds = arena.f64("D");
    const Zr = arena.f64("Zrows");
    const at = (name: string): number => arena.offsets.get(name)!;
    const diagonal = new Float64Array(n);
    const D = new Float64Array(b0 * b0);
    for (let i = 0; i < n; i++) {
      Aw.set(A.subarray(i * n, i * n + n), i * n4);
      Aw[i * n4 + i]! += ridge;
      diagonal[i] = Aw[i * n4 + i]!;
    }
    for (let k0 = 0; k0 < n; k0 += b0) {
      const k1 = Math.min(n, k0 + b0);
      const b = k1 - k0;
      const b4 = (b + 3) & ~3;
      // Yᵀ (n × b) packed in strips of 4 rows: entry (i, kk) at ((i >> 2)·b + kk)·4 + (i & 3); zero inside the block
      // and in the padding rows.
      Ys.fill(0, 0, n4 * b);
      for (let i = 0; i < k0; i++) {
        const o = i * n4 + k0;
        const y = (i >> 2) * b * 4 + (i & 3);
        for (let kk = 0; kk < b; kk++) Ys[y + kk * 4] = Aw[o + kk]!;
      }
      for (let kk = 0; kk < b; kk++) {
        const row = (k0 + kk) * n4;
        for (let j = k1; j < n; j++) Ys[((j >> 2) * b + kk) * 4 + (j & 3)] = Aw[row + j]!;
        for (let c = kk; c < b; c++) D[kk * b + c] = Aw[row + k0 + c]!;
      }
      const failed = sweepBlock(D, b, diagonal, k0, n);
      if (failed >= 0) return k0 + failed;
      for (let r = 1; r < b; r++) for (let c = 0; c < r; c++) D[r * b + c] = D[c * b + r]!;
      // D (b × b) packed in strips of 4 columns: entry (k, c) at ((c >> 2)·b + k)·4 + (c & 3), padding columns zero.
      Ds.fill(0, 0, b * b4);
      for (let k = 0; k < b; k++) for (let c = 0; c < b; c++) Ds[((c >> 2) * b + k) * 4 + (c & 3)] = D[k * b + c]!;
      // Zᵀ = Yᵀ·D (n4 × b4, row-major), then packed in strips of 4 rows like Yᵀ.
      Zr.fill(0, 0, n4 * b4);
      runRows(opened, n4, false, (first, last) => [at("Y") + 8 * first * b, at("D"), at("Zrows") + 8 * first * b4, last - first, b, b4, 0]);
      for (let i = 0; i < n4; i++) {
        const z = (i >> 2) * b * 4 + (i & 3);
        for (let k = 0; k < b; k++) Zs[z + k * 4] = Zr[i * b4 + k]!;
      }
      // A += Zᵀ·Y on the upper triangle: A_RR − Y_Rᵀ·D·Y_R (the block's own rows and columns are overwritten below).
      runRows(opened, n4, true, (first, last) => [at("Z") + 8 * first * b, at("Y"), at("A") + 8 * first * n4, last - first, b, n4, 1 + first]);
      // A_KR ← D·Y_R = −Z_R; A_KK ← −D (the pivot block as swept)
      for (let i = 0; i < k0; i++) {
        const o = i * n4 + k0;
        for (let kk = 0; kk < b; kk++) Aw[o + kk] = -Zr[i * b4 + kk]!;
      }
      for (let kk = 0; kk < b; kk++) {
        const row = (k0 + kk) * n4;
        for (let j = k1; j < n; j++) Aw[row + j] = -Zr[j * b4 + kk]!;
        for (let c = kk; c < b; c++) Aw[row + k0 + c] = D[kk * b + c]!;
      }
    }
    for (let i = 0; i < n; i++) A.set(Aw.subarray(i * n4, i * n4 + n), i * n);
    return -1;
  } finally {
    opened.close();
  }
}

/**
 * Runs `gemmF64` over the rows 0 .. rows (a multiple of 4) in one contiguous range per thread, about equal work each
 * (with `upper`, row i's work is the n − i columns from its diagonal on); `call(first, last)` gives a range's arguments.
 */
function runRows(opened: ComputationArena, rows: number, upper: boolean, call: (first: number, last: number) => number[]): void {
  const calls: number[][] = [];
  const strips = rows >> 2;
  const work = (strip: number): number => (upper ? strips - strip : 1);
  let total = 0;
  for (let strip = 0; strip < strips; strip++) total += work(strip);
  for (let t = 0, strip = 0, done = 0; t < opened.threads; t++) {
    const first = strip;
    const target = (total * (t + 1)) / opened.threads;
    while (strip < strips && (t === opened.threads - 1 || done + work(strip) <= target)) done += work(strip++);
    calls.push(call(4 * first, 4 * strip));
  }
  if (opened.threaded !== undefined) opened.threaded.run("gemmF64", calls);
  else {
    const [A, Bp, C, m, n, p, upperOnly] = calls[0] as [number, number, number, number, number, number, number];
    opened.arena.kernels.gemmF64(A, Bp, C, m, n, p, upperOnly);
  }
}

/** Options of {@link spdInverse}. @category linalg */
export interface SpdInverseOptions {
  /** A value λ ≥ 0 added to the diagonal first: the result is (A + λI)⁻¹ (ridge regularization). @defaultValue 0 */
  ridge?: number;
}

/**
 * The inverse A⁻¹ (or (A + λI)⁻¹) of a symmetric positive definite matrix, by the blocked sweep operator
 * (Gauss–Jordan elimination without pivoting, Goodnight 1979), each step a rank-128 update through the
 * register-tiled matmul kernel. Made for the large dense inverses of item-item models such as EASE: on one core of a
 * shared 2-core machine n = 1,000 takes 0.3–0.5 s, n = 2,000 2.1–2.6 s and n = 4,000 13–14 s, where ml-matrix's
 * `inverse` (LU) takes 5.9 s, 47 s and 474 s. For solving systems, prefer {@link choleskySolve}: an inverse is only
 * worth forming when its entries are the result.
 *
 * A is checked for symmetry (relative tolerance 1e-10 of its largest entry); only its upper triangle is then read.
 *
 * Complexity: n³/2 + 128·n² multiply-adds, O(n²) memory for the result plus O(128·n) scratch.
 *
 * @param a - the SPD matrix A (n × n); not changed
 * @param options - an optional ridge λ added to the diagonal
 * @returns a new n × n matrix holding the (symmetric) inverse
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed or non-symmetric matrix or a bad ridge, `E_SHAPE` when
 *   A is not square, `E_NON_FINITE` naming a NaN or ±Infinity, `E_NOT_CONVERGED` when A is not positive definite
 *   (a pivot is ≤ 0 to working precision), naming the pivot's row
 * @example
 * ```ts
 * import { denseFromRows, denseToRows, spdInverse } from "nextbest/linalg";
 * denseToRows(spdInverse(denseFromRows([[4, 2], [2, 2]]))); // => [[0.5, -0.5], [-0.5, 1]]
 * denseToRows(spdInverse(denseFromRows([[1, 0], [0, 3]]), { ridge: 1 })); // => [[0.5, 0], [0, 0.25]]
 * ```
 * @category linalg
 */
export function spdInverse(a: DenseMatrix<Float64Array | Float32Array>, options: SpdInverseOptions = {}): DenseMatrix {
  const fn = "spdInverse";
  assertDense(fn, "a", a, true);
  if (a.rows !== a.cols) throw new NextbestError("E_SHAPE", `${fn}: a must be square, got ${a.rows} × ${a.cols}`);
  throwIfNonFiniteMatrix(fn, "a", a);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const ridge = options.ridge ?? 0;
  assertFiniteNumber(fn, "options.ridge", ridge);
  if (ridge < 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.ridge must be >= 0, got ${ridge}`);
  const n = a.rows;
  const source = a.data;
  let scale = 0;
  for (let i = 0; i < source.length; i++) {
    const v = Math.abs(source[i]!);
    if (v > scale) scale = v;
  }
  const tolerance = 1e-10 * scale;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const o = i * n;
    for (let j = i; j < n; j++) {
      const upper = source[o + j]!;
      const lower = source[j * n + i]!;
      if (Math.abs(upper - lower) > tolerance) {
        throw new NextbestError("E_BAD_INPUT", `${fn}: a must be symmetric, got a(${j}, ${i}) = ${lower} and a(${i}, ${j}) = ${upper}`);
      }
      data[o + j] = upper;
    }
  }
  const failed = invertSpdUpperInPlace(data, n, ridge);
  if (failed >= 0) {
    throw new NextbestError(
      "E_NOT_CONVERGED",
      `${fn}: a must be positive definite, got a non-positive pivot at row ${failed} (diagonal ${source[failed * n + failed]}${ridge > 0 ? ` + ridge ${ridge}` : ""})`,
    );
  }
  return { rows: n, cols: n, data };
}
