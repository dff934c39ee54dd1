// Compute kernels shared by dense.ts, scoring.ts and solvers.ts. Not re-exported by the barrel.
// Kernels trust their inputs (the public functions validate) and allocate nothing inside their loops.
import { borrowKernelArena, createKernelArena, type KernelArena } from "./wasm/simd.ts";

/** Rows of A packed per block (MC), shared dimension per block (KC), columns of B per block (NC). */
const MC = 64;
const KC = 256;
const NC = 1024;

/** The JavaScript gemm's packing buffers (2.2 MB, whatever the matrix sizes). */
interface GemmBuffers {
  readonly packedA: Float64Array;
  readonly packedB: Float64Array;
  readonly tile: Float64Array;
}

/**
 * Packing buffers for {@link gemm}; create once with {@link createGemmWorkspace} and reuse across calls. The buffers
 * are allocated by the first product that runs in JavaScript: products on the WebAssembly kernel never need them.
 */
export interface GemmWorkspace {
  buffers: GemmBuffers | undefined;
}

/** A workspace for {@link gemm} whose buffers are allocated at first use. */
export function createGemmWorkspace(): GemmWorkspace {
  return { buffers: undefined };
}

/**
 * C += op(A) · op(B) where op(A) is m×n, op(B) is n×p and C is m×p row-major with row stride p.
 * Element (i, k) of op(A) is `A[i * aRow + k * aCol]`, element (k, j) of op(B) is `B[k * bRow + j * bCol]`,
 * so transposes cost nothing: they only swap strides.
 *
 * Goto-style blocking: B is packed into KC×NC panels of 4-column strips, A into MC×KC panels of 4-row strips, and a
 * 4×4 register-tile micro-kernel (16 float64 accumulators) runs over each pair of strips, so every value loaded in
 * the inner loop feeds four multiply-adds.
 *
 * With `upperOnly`, tiles that lie entirely below the diagonal are skipped (for symmetric results such as AᵀA;
 * the caller mirrors the upper triangle).
 *
 * Products of at least {@link WASM_GEMM_MIN_WORK} multiply-adds run on the WebAssembly SIMD kernel where the runtime
 * has it, with bit-identical results ({@link gemmWithKernels}).
 */
export function gemm(...args: Parameters<typeof gemmScalar>): void {
  const [m, n, p, A, aRow, aCol, B, bRow, bCol, C, upperOnly] = args;
  if (m * n * p >= WASM_GEMM_MIN_WORK && gemmWithKernels(m, n, p, A, aRow, aCol, B, bRow, bCol, C, upperOnly)) return;
  gemmScalar(...args);
}

/** {@link gemm} in JavaScript, whatever the size (the reference of the WebAssembly kernel's tests). */
export function gemmScalar(
  m: number,
  n: number,
  p: number,
  A: Float64Array,
  aRow: number,
  aCol: number,
  B: Float64Array,
  bRow: number,
  bCol: number,
  C: Float64Array,
  upperOnly: boolean,
  workspace: GemmWorkspace,
): void {
  const buffers = (workspace.buffers ??= {
    packedA: new Float64Array(MC * KC),
    packedB: new Float64Array(KC * NC),
    tile: new Float64Array(16),
  });
  const Ap = buffers.packedA;
  const Bp = buffers.packedB;
  const tile = buffers.tile;
  for (let jc = 0; jc < p; jc += NC) {
    const nc = Math.min(NC, p - jc);
    const stripsB = (nc + 3) >> 2;
    for (let kk = 0; kk < n; kk += KC) {
      const kc = Math.min(KC, n - kk);
      // Pack B[kk .. kk+kc, jc .. jc+nc] as strips of 4 columns: Bp[(s * kc + k) * 4 + t].
      for (let s = 0; s < stripsB; s++) {
        const j0 = jc + s * 4;
        const full = j0 + 4 <= p;
        let dst = s * kc * 4;
        for (let k = 0; k < kc; k++, dst += 4) {
          const src = (kk + k) * bRow + j0 * bCol;
          if (full) {
            Bp[dst] = B[src]!;
            Bp[dst + 1] = B[src + bCol]!;
            Bp[dst + 2] = B[src + 2 * bCol]!;
            Bp[dst + 3] = B[src + 3 * bCol]!;
          } else {
            for (let t = 0; t < 4; t++) Bp[dst + t] = j0 + t < p ? B[src + t * bCol]! : 0;
          }
        }
      }
      for (let ii = 0; ii < m; ii += MC) {
        const mc = Math.min(MC, m - ii);
        const stripsA = (mc + 3) >> 2;
        if (upperOnly && jc + nc <= ii) continue; // the whole block lies below the diagonal
        // Pack A[ii .. ii+mc, kk .. kk+kc] as strips of 4 rows: Ap[(s * kc + k) * 4 + t].
        for (let s = 0; s < stripsA; s++) {
          const i0 = ii + s * 4;
          const full = i0 + 4 <= m;
          let dst = s * kc * 4;
          for (let k = 0; k < kc; k++, dst += 4) {
            const src = i0 * aRow + (kk + k) * aCol;
            if (full) {
              Ap[dst] = A[src]!;
              Ap[dst + 1] = A[src + aRow]!;
              Ap[dst + 2] = A[src + 2 * aRow]!;
              Ap[dst + 3] = A[src + 3 * aRow]!;
            } else {
              for (let t = 0; t < 4; t++) Ap[dst + t] = i0 + t < m ? A[src + t * aRow]! : 0;
            }
          }
        }
        for (let sb = 0; sb < stripsB; sb++) {
          const j0 = jc + sb * 4;
          for (let sa = 0; sa < stripsA; sa++) {
            const i0 = ii + sa * 4;
            if (upperOnly && j0 + 3 < i0) continue;
            let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
            let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
            let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
            let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
            let ao = sa * kc * 4;
            let bo = sb * kc * 4;
            const aEnd = ao + kc * 4;
            for (; ao < aEnd; ao += 4, bo += 4) {
              const a0 = Ap[ao]!, a1 = Ap[ao + 1]!, a2 = Ap[ao + 2]!, a3 = Ap[ao + 3]!;
              const b0 = Bp[bo]!, b1 = Bp[bo + 1]!, b2 = Bp[bo + 2]!, b3 = Bp[bo + 3]!;
              c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
              c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
              c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
              c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            if (i0 + 4 <= m && j0 + 4 <= p) {
              let o = i0 * p + j0;
              C[o]! += c00; C[o + 1]! += c01; C[o + 2]! += c02; C[o + 3]! += c03;
              o += p;
              C[o]! += c10; C[o + 1]! += c11; C[o + 2]! += c12; C[o + 3]! += c13;
              o += p;
              C[o]! += c20; C[o + 1]! += c21; C[o + 2]! += c22; C[o + 3]! += c23;
              o += p;
              C[o]! += c30; C[o + 1]! += c31; C[o + 2]! += c32; C[o + 3]! += c33;
            } else {
              tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
              tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
              tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
              tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
              const rEnd = Math.min(4, m - i0);
              const cEnd = Math.min(4, p - j0);
              for (let r = 0; r < rEnd; r++) {
                for (let c = 0; c < cEnd; c++) C[(i0 + r) * p + j0 + c]! += tile[r * 4 + c]!;
              }
            }
          }
        }
      }
    }
  }
}

/** Products of at least this many multiply-adds run on the WebAssembly kernel (measured faster from n = 64: 4.4 against 2.3 GFLOP/s). */
const WASM_GEMM_MIN_WORK = 64 * 64 * 64;

/** The most memory the WebAssembly gemm lays out at once (A, packed B and C); larger products stay in JavaScript. */
const WASM_GEMM_MAX_BYTES = 512 * 1024 * 1024;

/**
 * {@link gemm} on the WebAssembly SIMD kernel `gemmF64`: A packed in strips of 4 rows (rows padded to a multiple of 4),
 * B in strips of 4 columns, C copied in and out (with `upperOnly`, only the entries of the tiles the
 * JavaScript kernel would update are copied back). The kernel sums each tile entry's products in the same order and
 * the same blocks of {@link KC} as the JavaScript kernel, so the results are bit-identical. Returns false, having
 * changed nothing, when the kernels cannot run here or the operands exceed {@link WASM_GEMM_MAX_BYTES}.
 */
export function gemmWithKernels(
  m: number,
  n: number,
  p: number,
  A: Float64Array,
  aRow: number,
  aCol: number,
  B: Float64Array,
  bRow: number,
  bCol: number,
  C: Float64Array,
  upperOnly: boolean,
): boolean {
  const m4 = (m + 3) & ~3;
  const p4 = (p + 3) & ~3;
  // The operands are copied into the kernels' memory as they lie (from their first to their last element), then
  // packed there by packStripsF64: op(B) is packed as op(B)ᵀ in strips of 4 rows, that is B in strips of 4 columns.
  const spanA = (m - 1) * aRow + (n - 1) * aCol + 1;
  const spanB = (n - 1) * bRow + (p - 1) * bCol + 1;
  if (8 * (spanA + spanB + m4 * n + n * p4 + m4 * p4) > WASM_GEMM_MAX_BYTES) return false;
  // Every value the kernels read is written first (the copied operands, the packed operands with their zero padding,
  // the copied C; padding entries of C are computed but never read back), so the lent memory need not be zeroed.
  const arena = borrowKernelArena(
    new Map([
      ["A", 8 * m4 * n], ["B", 8 * n * p4], ["C", 8 * m4 * p4], ["sourceA", 8 * spanA], ["sourceB", 8 * spanB],
    ]),
    { zero: false },
  );
  if (arena === undefined) return false;
  try {
    const Cw = arena.f64("C");
    arena.f64("sourceA").set(A.subarray(0, spanA));
    arena.f64("sourceB").set(B.subarray(0, spanB));
    const at = (name: string): number => arena.offsets.get(name)!;
    arena.kernels.packStripsF64(at("sourceA"), aRow, aCol, m, n, at("A"));
    arena.kernels.packStripsF64(at("sourceB"), bCol, bRow, p, n, at("B"));
    if (p4 === p) Cw.set(C.subarray(0, m * p));
    else for (let i = 0; i < m; i++) Cw.set(C.subarray(i * p, i * p + p), i * p4);
    arena.kernels.gemmF64(at("A"), at("B"), at("C"), m4, n, p4, upperOnly ? 1 : 0);
    if (p4 === p && !upperOnly) C.set(Cw.subarray(0, m * p));
    else {
      for (let i = 0; i < m; i++) {
        // With upperOnly the JavaScript kernel skips the tiles wholly below the diagonal (j0 + 3 < i0, that is j0 < i0).
        const first = upperOnly ? i & ~3 : 0;
        if (first < p) C.set(Cw.subarray(i * p4 + first, i * p4 + p), i * p + first);
      }
    }
  } finally {
    arena.release();
  }
  return true;
}

/**
 * out[r] = Σ_k V[r * f + k] · u[k] for r < rows: a row-major matrix times a vector (float64 storage).
 * Four rows at a time, two factors per step: each loaded u value feeds four rows, eight independent sums.
 */
export function gemvF64(V: Float64Array, rows: number, f: number, u: Float64Array, out: Float64Array): void {
  let r = 0;
  const f2 = f & ~1;
  for (; r + 4 <= rows; r += 4) {
    const o0 = r * f;
    const o1 = o0 + f;
    const o2 = o1 + f;
    const o3 = o2 + f;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    let k = 0;
    for (; k < f2; k += 2) {
      const uk = u[k]!;
      const ul = u[k + 1]!;
      s0 += V[o0 + k]! * uk; s1 += V[o1 + k]! * uk; s2 += V[o2 + k]! * uk; s3 += V[o3 + k]! * uk;
      t0 += V[o0 + k + 1]! * ul; t1 += V[o1 + k + 1]! * ul; t2 += V[o2 + k + 1]! * ul; t3 += V[o3 + k + 1]! * ul;
    }
    if (k < f) {
      const uk = u[k]!;
      s0 += V[o0 + k]! * uk; s1 += V[o1 + k]! * uk; s2 += V[o2 + k]! * uk; s3 += V[o3 + k]! * uk;
    }
    out[r] = s0 + t0;
    out[r + 1] = s1 + t1;
    out[r + 2] = s2 + t2;
    out[r + 3] = s3 + t3;
  }
  for (; r < rows; r++) {
    const o = r * f;
    let s = 0;
    for (let k = 0; k < f; k++) s += V[o + k]! * u[k]!;
    out[r] = s;
  }
}

/** {@link gemvF64} for float32 storage (a separate copy so each stays monomorphic); sums in float64. */
export function gemvF32(V: Float32Array, rows: number, f: number, u: Float64Array, out: Float64Array): void {
  let r = 0;
  const f2 = f & ~1;
  for (; r + 4 <= rows; r += 4) {
    const o0 = r * f;
    const o1 = o0 + f;
    const o2 = o1 + f;
    const o3 = o2 + f;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    let k = 0;
    for (; k < f2; k += 2) {
      const uk = u[k]!;
      const ul = u[k + 1]!;
      s0 += V[o0 + k]! * uk; s1 += V[o1 + k]! * uk; s2 += V[o2 + k]! * uk; s3 += V[o3 + k]! * uk;
      t0 += V[o0 + k + 1]! * ul; t1 += V[o1 + k + 1]! * ul; t2 += V[o2 + k + 1]! * ul; t3 += V[o3 + k + 1]! * ul;
    }
    if (k < f) {
      const uk = u[k]!;
      s0 += V[o0 + k]! * uk; s1 += V[o1 + k]! * uk; s2 += V[o2 + k]! * uk; s3 += V[o3 + k]! * uk;
    }
    out[r] = s0 + t0;
    out[r + 1] = s1 + t1;
    out[r + 2] = s2 + t2;
    out[r + 3] = s3 + t3;
  }
  for (; r < rows; r++) {
    const o = r * f;
    let s = 0;
    for (let k = 0; k < f; k++) s += V[o + k]! * u[k]!;
    out[r] = s;
  }
}

/** Tables from which {@link prepareGemvF32} holds them in WebAssembly memory (rows × f entries). */
const PREPARED_GEMV_MIN_ENTRIES = 4096;

/** A float32 table prepared for repeated {@link gemvF32} (see {@link prepareGemvF32}). */
export interface PreparedGemvF32 {
  /** out[r] = Σ_k table[r][k] · u[k]: gemvF32 on the prepared table, bit for bit. */
  gemv(u: Float64Array, out: Float64Array): void;
  /**
   * {@link PreparedGemvF32.gemv} of each of the `count` vectors of U (f values each, one after another) into the rows
   * of out (rows values each), bit for bit, allocating nothing: in WebAssembly a few vectors per pass over the table.
   */
  gemvMany(U: Float64Array, count: number, out: Float64Array): void;
}

/**
 * {@link gemvF32} over a fixed table, repeated: the table is copied once into WebAssembly memory (the same float32
 * values) and each call runs the kernel `gemvF32F64`, which sums in float64 in gemvF32's order (bit-identical, about
 * twice as fast). Small tables, and runtimes without the kernels, run gemvF32 itself.
 */
export function prepareGemvF32(table: Float32Array, rows: number, f: number): PreparedGemvF32 {
  // Vectors per kernel call of gemvMany: as many as keep their rows of scores within 8 MB, from 2 to 16.
  const chunk = Math.max(2, Math.min(16, Math.floor((1 << 20) / Math.max(1, rows))));
  const arena = rows * f >= PREPARED_GEMV_MIN_ENTRIES
    ? createKernelArena(new Map([["table", 4 * rows * f], ["u", 8 * chunk * f], ["out", 8 * chunk * rows]]))
    : undefined;
  if (arena === undefined) {
    const u = new Float64Array(f);
    const row = new Float64Array(rows);
    return {
      gemv: (vector, out) => gemvF32(table, rows, f, vector, out),
      gemvMany(U, count, out) {
        for (let c = 0; c < count; c++) {
          for (let k = 0; k < f; k++) u[k] = U[c * f + k]!;
          gemvF32(table, rows, f, u, row);
          out.set(row, c * rows);
        }
      },
    };
  }
  arena.f32("table").set(table.subarray(0, rows * f));
  const uView = arena.f64("u");
  const outView = arena.f64("out");
  const one = outView.subarray(0, rows);
  const at = (name: string): number => arena.offsets.get(name)!;
  const [tableAt, uAt, outAt] = [at("table"), at("u"), at("out")];
  return {
    gemv(u, out) {
      for (let k = 0; k < f; k++) uView[k] = u[k]!;
      arena.kernels.gemvF32F64(tableAt, rows, f, uAt, outAt);
      out.set(one);
    },
    gemvMany(U, count, out) {
      for (let first = 0; first < count; first += chunk) {
        const size = Math.min(chunk, count - first);
        for (let j = 0; j < size * f; j++) uView[j] = U[first * f + j]!;
        arena.kernels.gemvManyF32F64(tableAt, rows, f, uAt, 0, size, outAt);
        out.set(size === chunk ? outView : outView.subarray(0, size * rows), first * rows);
      }
    },
  };
}

/** out = Aᵀ x for row-major A (rows × cols): a sequence of row axpys, so A is read once, in order. */
export function gemvTransposeF64(A: Float64Array, rows: number, cols: number, x: Float64Array, out: Float64Array): void {
  out.fill(0);
  for (let r = 0; r < rows; r++) {
    const xr = x[r]!;
    if (xr === 0) continue;
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c]! += xr * A[o + c]!;
  }
}
