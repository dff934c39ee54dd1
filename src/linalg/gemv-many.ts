// Many users' scores against one float32 factor table on worker threads, each row bit-identical to the one-vector
// gemv that scoreUser runs. Internal (the factor recommenders' scoreUsers); not exported by the barrel.
import type { PreparedGemvF32 } from "./kernels.ts";
import { openKernelArena } from "./wasm/threads.ts";

/**
 * Multiply-adds (vectors · rows · f) from which {@link gemvManyF32} starts worker threads. Measured on a quiet 2-core
 * machine, the kernel alone on two threads breaks even near 8 million multiply-adds and is 1.5–1.7× faster from 20
 * million (943 × 1,682 × 64: 8.6 ms instead of 13.3); inside an evaluation of 459 users × 1,682 × 64 (49 million) two
 * threads were no faster in the benchmark run (attaching the workers and moving the scores cost as much as they
 * saved), hence the margin.
 */
export const GEMV_MANY_THREADED_MIN_WORK: number = 1 << 26;

/** Most bytes of scores per threaded kernel round: the shared memory stays small enough to be reused. */
const THREADED_CHUNK_BYTES = 1 << 25;

/**
 * out[c·rows + r] = Σ_k table[r·f + k] · U[c·f + k] for the `count` vectors of U: row c equal, bit for bit, to
 * `prepared.gemv(U row c)`. From `minThreadedWork` multiply-adds and with `threads` > 1, the kernel `gemvManyF32F64`
 * runs on worker threads over a shared copy of the table, in chunks of vectors split in contiguous ranges (each pass
 * over the table serves two vectors, each entry summed as the one-vector kernel sums it); otherwise
 * `prepared.gemvMany` runs the same kernel on this thread over the prepared table.
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
  const chunk = Math.max(threads, Math.min(count, Math.floor(THREADED_CHUNK_BYTES / (8 * Math.max(1, rows)))));
  const opened = threads > 1 && count > 1 && count * rows * f >= minThreadedWork
    ? openKernelArena(new Map([["table", 4 * rows * f], ["U", 8 * chunk * f], ["out", 8 * chunk * rows]]), new Map(), Math.min(threads, count), false)
    : undefined;
  const pool = opened?.threaded;
  if (opened === undefined || pool === undefined) {
    opened?.close();
    prepared.gemvMany(U, count, out);
    return;
  }
  try {
    pool.f32("table").set(table.subarray(0, rows * f));
    const at = (name: string): number => pool.offsets.get(name)!;
    const vectors = pool.f64("U");
    const scores = pool.f64("out");
    for (let first = 0; first < count; first += chunk) {
      const size = Math.min(chunk, count - first);
      vectors.set(U.subarray(first * f, (first + size) * f));
      const calls: number[][] = [];
      for (let t = 0; t < pool.threads; t++) {
        calls.push([at("table"), rows, f, at("U"), Math.floor((size * t) / pool.threads), Math.floor((size * (t + 1)) / pool.threads), at("out")]);
      }
      pool.run("gemvManyF32F64", calls);
      out.set(scores.subarray(0, size * rows), first * rows);
    }
  } finally {
    opened.close();
  }
}
