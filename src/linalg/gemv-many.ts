// Many users' scores against one float32 factor table on worker threads, each row bit-identical to the one-vector
// gemv that scoreUser runs. Internal (the factor recommenders' scoreUsers); not exported by the barrel.
import type { PreparedGemvF32 } from "./kernels.ts";
import { openKernelArena } from "./wasm/threads.ts";

/**
 * Multiply-adds (vectors · rows · f) from which {@link gemvManyF32} starts worker threads: below, one thread is faster
 * than attaching the workers and copying the table into shared memory (a few milliseconds at this size).
 */
export const GEMV_MANY_THREADED_MIN_WORK: number = 1 << 25;

/**
 * out[c·rows + r] = Σ_k table[r·f + k] · U[c·f + k] for the `count` vectors of U: row c equal, bit for bit, to
 * `prepared.gemv(U row c)`. From `minThreadedWork` multiply-adds and with `threads` > 1, the kernel `gemvManyF32F64`
 * runs on worker threads over a shared copy of the table, the vectors split in contiguous ranges (each pass over the
 * table serves two vectors, each entry summed as the one-vector kernel sums it); otherwise `prepared.gemvMany` runs
 * the same kernel on this thread over the prepared table.
 */
export function gemvManyF32(
  table: Float32Array,
  rows: number,
  f: number,
  prepared: PreparedGemvF32,
  U: Float64Array,
  count: number,
  out: Float64Array,
  threads: number,
  minThreadedWork: number = GEMV_MANY_THREADED_MIN_WORK,
): void {
  const opened = threads > 1 && count > 1 && count * rows * f >= minThreadedWork
    ? openKernelArena(new Map([["table", 4 * rows * f], ["U", 8 * count * f], ["out", 8 * count * rows]]), new Map(), Math.min(threads, count))
    : undefined;
  const pool = opened?.threaded;
  if (opened === undefined || pool === undefined) {
    opened?.close();
    prepared.gemvMany(U, count, out);
    return;
  }
  try {
    pool.f32("table").set(table.subarray(0, rows * f));
    pool.f64("U").set(U.subarray(0, count * f));
    const at = (name: string): number => pool.offsets.get(name)!;
    const calls: number[][] = [];
    for (let t = 0; t < pool.threads; t++) {
      calls.push([at("table"), rows, f, at("U"), Math.floor((count * t) / pool.threads), Math.floor((count * (t + 1)) / pool.threads), at("out")]);
    }
    pool.run("gemvManyF32F64", calls);
    out.set(pool.f64("out").subarray(0, count * rows));
  } finally {
    opened.close();
  }
}
