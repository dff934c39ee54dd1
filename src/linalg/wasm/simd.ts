// Loads the WebAssembly SIMD kernels (kernels.wat, shipped as base64 in kernels-wasm.ts) and lays out their memory.
// Not exported by the barrel. Each caller gets its own instance and memory: nothing is shared between fits, so two
// fits never see each other's data and the results do not depend on what ran before. The compiled module (immutable
// code, about 3 kB) is cached after the first use; it compiles synchronously, within the 4 kB that browsers allow on
// the main thread.
import { NextbestError, describeValue } from "../../core/errors.ts";
import { KERNELS_WASM_BASE64 } from "./kernels-wasm.ts";

// The few WebAssembly JavaScript API members used here, declared so the core modules need neither the DOM nor the
// Node type libraries (every runtime nextbest supports has them; kernelsModule() checks at run time).
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmModule {
  readonly __wasmModule?: never;
}
declare const atob: (base64: string) => string;
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared?: boolean }) => WasmMemory;
};

/** The exports of the kernels module (see kernels.wat for each kernel's contract). */
export interface KernelExports {
  readonly memory: WasmMemory;
  alsConjugateGradientRows(
    X: number, rows: number, T: number, f: number, stride: number, indptr: number, indices: number, conf: number,
    steps: number, G: number, diagonal: number, scratch: number, gather: number, gatherRows: number, identity: number,
  ): void;
  gramF32(T: number, rows: number, f: number, stride: number, G: number): void;
  gemmF64(A: number, Bp: number, C: number, m: number, n: number, p: number, upperOnly: number): void;
  packStripsF64(src: number, rowStride: number, colStride: number, rows: number, cols: number, dst: number): void;
  gemvF32(T: number, rows: number, stride: number, u: number, out: number): void;
  bprSteps(P: number, Q: number, bias: number, stride: number, samples: number, count: number, lr: number, reg: number): void;
  neighborRowsDot(first: number, last: number, params: number, work: number): void;
  selectTopKRowsF32(params: number, firstRow: number, lastRow: number, heap: number): void;
  spmmF64(rows: number, indptr: number, indices: number, values: number, B: number, p: number, C: number): void;
  gemvF32F64(T: number, rows: number, f: number, u: number, out: number): void;
  gemvManyF32F64(T: number, rows: number, f: number, U: number, first: number, last: number, out: number): void;
  mfSgdEpoch(
    P: number, Q: number, bu: number, bi: number, order: number, rowOf: number, indices: number, values: number, n: number,
    stride: number, mu: number, lr: number, reg: number, lrb: number, regb: number,
  ): number;
  scoreBlockF32(A: number, m: number, B: number, n: number, stride: number, C: number, ldc: number): void;
  scoreChunkedF32(A: number, m: number, B: number, n: number, stride: number, C: number, ldc: number, chunk: number): void;
  lstmMatVecF64(Wi: number, rows: number, cols: number, x: number, z: number): void;
  lstmOuterF64(P: number, grad: number, rows: number, cols: number, d: number, x: number, dx: number): void;
  lstmCellBackwardF64(
    H: number, gates: number, cPrev: number, tanhCell: number, fromAbove: number, dhNext: number, dcNext: number, dz: number,
    bias: number, stage: number,
  ): void;
}

/**
 * Which compute kernels a fit or scoring call runs: `"auto"` takes the WebAssembly SIMD kernels where the runtime has
 * them (Node ≥ 16.4, Deno, current browsers) and the JavaScript kernels elsewhere; `"webassembly"` requires the
 * former (an error where they are missing), `"javascript"` forces the latter. The two compute the same mathematics;
 * where the WebAssembly kernels work in float32 with float32 sums (implicit ALS, float32 factor scoring) and the
 * JavaScript kernels sum in float64, results agree to float32 rounding, not bit for bit; the float64 kernels (MF and
 * BPR updates, dense products, the LSTM's products) give the same bits on both paths.
 *
 * @category linalg
 */
export type KernelChoice = "auto" | "webassembly" | "javascript";

const KERNEL_CHOICES: readonly KernelChoice[] = Object.freeze(["auto", "webassembly", "javascript"]);

/** Reads a `kernels` option (default `"auto"`); `"webassembly"` where the kernels cannot run is an error. */
export function kernelOption(fn: string, value: unknown): KernelChoice {
  if (value === undefined) return "auto";
  if (!(KERNEL_CHOICES as readonly unknown[]).includes(value)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.kernels must be "auto", "webassembly" or "javascript", got ${describeValue(value)}`);
  }
  if (value === "webassembly" && !simdAvailable()) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.kernels is "webassembly" but this runtime has no WebAssembly SIMD (128-bit); use "auto" to fall back to the JavaScript kernels`,
    );
  }
  return value as KernelChoice;
}

let compiled: WasmModule | null | undefined;

/** The compiled kernels module, or null where WebAssembly or its SIMD instructions are missing. */
function kernelsModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (typeof WebAssembly !== "object" || typeof atob !== "function") return compiled;
  compiled = compileModule(KERNELS_WASM_BASE64);
  return compiled;
}

/**
 * Compiles a base64-encoded module, with `patch` (offset, value) applied to its bytes, or null where it does not
 * validate or compilation is forbidden.
 */
export function compileModule(base64: string, patch?: readonly [number, number]): WasmModule | null {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k++) bytes[k] = text.charCodeAt(k);
  if (patch !== undefined) bytes[patch[0]] = patch[1];
  try {
    return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    return null; // a runtime that forbids WebAssembly compilation (content security policy): the JavaScript kernels
  }
}

/**
 * Whether this runtime can run nextbest's WebAssembly SIMD kernels (WebAssembly with 128-bit SIMD and bulk memory,
 * compilation allowed). Where it cannot, `kernels: "auto"` runs the JavaScript kernels.
 *
 * @returns true when the kernels compile and validate here
 * @example
 * ```ts
 * import { simdAvailable } from "nextbest/linalg";
 * typeof simdAvailable(); // => "boolean"
 * ```
 * @category linalg
 */
export function simdAvailable(): boolean {
  return kernelsModule() !== null;
}

/** Bytes of WebAssembly memory per page. */
export const PAGE = 65_536;

/** The largest WebAssembly memory (32-bit addresses, 65,536 pages), less one page. */
const MAX_BYTES = 4 * 1024 * 1024 * 1024 - PAGE;

/** A kernels instance with its memory laid out: `offsets[name]` is the byte offset of each requested region. */
export interface KernelArena {
  readonly kernels: KernelExports;
  readonly offsets: ReadonlyMap<string, number>;
  /** A Float32Array view of region `name` (valid until the memory grows; arenas never grow after creation). */
  f32(name: string): Float32Array;
  /** An Int32Array view of region `name`. */
  i32(name: string): Int32Array;
  /** A Float64Array view of region `name`. */
  f64(name: string): Float64Array;
}

/**
 * A fresh kernels instance whose memory holds the regions `sizes` (name → bytes, each 16-byte aligned), or
 * undefined when the kernels cannot run here or the regions exceed WebAssembly's 4 GiB (the caller then runs its
 * JavaScript kernels).
 */
export function createKernelArena(sizes: ReadonlyMap<string, number>): KernelArena | undefined {
  const module = kernelsModule();
  if (module === null) return undefined;
  const layout = layOut(sizes);
  if (layout === undefined) return undefined;
  let memory: WasmMemory;
  try {
    memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(layout.total / PAGE)), maximum: 65_536 });
  } catch {
    return undefined; // the runtime refused the memory: the JavaScript kernels need less at once
  }
  const instance = new WebAssembly.Instance(module, { env: { exp: Math.exp, memory } });
  return arenaOf({ ...(instance.exports as Omit<KernelExports, "memory">), memory }, layout);
}

/** The most memory the reused kernels instance of {@link borrowKernelArena} holds; larger layouts get their own. */
const REUSED_BYTES = 64 * 1024 * 1024;

/**
 * One kernels instance whose memory is lent to one computation at a time: a cache of scratch memory, since the first
 * write to fresh WebAssembly memory pays a page fault per 4 kB (on these virtual machines about 5 ms for a 3 MB
 * fit). It never changes a result: a borrower sees its regions zeroed (or, when it writes every value it reads before
 * reading it, as the previous borrower left them), exactly what a fresh memory would hold.
 */
let reused: { kernels: KernelExports; busy: boolean } | undefined;

/** A {@link KernelArena} lent by {@link borrowKernelArena}; `release` gives it back (a no-op for a fresh arena). */
export interface BorrowedArena extends KernelArena {
  release(): void;
}

/**
 * {@link createKernelArena} on the reused instance's memory when it is free and the regions fit in
 * {@link REUSED_BYTES}, else on a fresh one. `zero: false` leaves the regions as the previous borrower left them:
 * only for callers that write every value before they read it. Release it when done (also on error); a borrower that
 * runs code which may borrow again (a progress callback) simply makes that code take a fresh arena meanwhile.
 */
export function borrowKernelArena(sizes: ReadonlyMap<string, number>, options: { zero: boolean }): BorrowedArena | undefined {
  const layout = layOut(sizes);
  if (layout === undefined) return undefined;
  if (layout.total > REUSED_BYTES || reused?.busy === true) {
    const arena = createKernelArena(sizes);
    return arena === undefined ? undefined : { ...arena, release() {} };
  }
  if (reused === undefined) {
    const arena = createKernelArena(new Map([["scratch", layout.total]]));
    if (arena === undefined) return undefined;
    reused = { kernels: arena.kernels, busy: false };
  }
  const { kernels } = reused;
  const pages = Math.ceil(layout.total / PAGE);
  const current = kernels.memory.buffer.byteLength / PAGE;
  try {
    if (pages > current) kernels.memory.grow(pages - current);
  } catch {
    const arena = createKernelArena(sizes);
    return arena === undefined ? undefined : { ...arena, release() {} };
  }
  if (options.zero) new Uint8Array(kernels.memory.buffer, 0, layout.total).fill(0);
  const lent = reused;
  lent.busy = true;
  return {
    ...arenaOf(kernels, layout),
    release() {
      lent.busy = false;
    },
  };
}

/** Byte offsets (16-byte aligned, from 16) and lengths of named regions, or undefined beyond WebAssembly's 4 GiB. */
export interface ArenaLayout {
  readonly offsets: ReadonlyMap<string, number>;
  readonly lengths: ReadonlyMap<string, number>;
  readonly total: number;
}

/** Lays out `sizes` (name → bytes) one after another, each 16-byte aligned; offset 0 stays unused. */
export function layOut(sizes: ReadonlyMap<string, number>): ArenaLayout | undefined {
  const offsets = new Map<string, number>();
  const lengths = new Map<string, number>();
  let total = 16;
  for (const [name, size] of sizes) {
    offsets.set(name, total);
    lengths.set(name, size);
    total += Math.ceil(size / 16) * 16;
  }
  return total > MAX_BYTES ? undefined : { offsets, lengths, total };
}

/** The arena of kernels whose memory already holds `layout`. */
export function arenaOf(kernels: KernelExports, layout: ArenaLayout): KernelArena {
  const buffer = kernels.memory.buffer;
  const { offsets, lengths } = layout;
  // Callers name only the regions they laid out.
  const region = (name: string): [number, number] => [offsets.get(name)!, lengths.get(name)!];
  return {
    kernels,
    offsets,
    f32(name) {
      const [offset, bytes] = region(name);
      return new Float32Array(buffer, offset, bytes >> 2);
    },
    i32(name) {
      const [offset, bytes] = region(name);
      return new Int32Array(buffer, offset, bytes >> 2);
    },
    f64(name) {
      const [offset, bytes] = region(name);
      return new Float64Array(buffer, offset, bytes >> 3);
    },
  };
}

/** The row stride, in floats, of a float32 table of `f` columns in the kernels' layout: `f` rounded up to 4. */
export function f32Stride(f: number): number {
  return (f + 3) & ~3;
}
