// The linalg suite: vectors, matmul beside ml-matrix, sparse × dense, topK, Cholesky beside ml-matrix, CG,
// factor-model scoring beside the machine's read-bandwidth floor. Fixed sizes and seeds; peers in the same run.
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { createRandom, fillNormal } from "../src/core/index.ts";
import {
  choleskySolve,
  conjugateGradient,
  cosineSimilarity,
  csrFromTriplets,
  csrMultiplyDense,
  csrToDense,
  dot,
  gram,
  matmul,
  prepareFactorScoring,
  scoreAgainstFactors,
  topK,
  topKAgainstFactors,
  type DenseMatrix,
} from "../src/linalg/index.ts";
import { timeMs, type BenchRow, type SuiteResult } from "./lib.ts";
import { interleaved, startPeers } from "./peers.ts";

function randomDense(rows: number, cols: number, seed: number): DenseMatrix {
  return { rows, cols, data: fillNormal(new Float64Array(rows * cols), createRandom(seed)) };
}

function toMl(matrix: DenseMatrix): Matrix {
  return Matrix.from1DArray(matrix.rows, matrix.cols, Array.from(matrix.data));
}

// The fastest plain sum we know how to write: four independent float64 sums over the array.
function sumArray(a: Float64Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = a.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i]!;
    s1 += a[i + 1]!;
    s2 += a[i + 2]!;
    s3 += a[i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]!;
  return s0 + s1 + (s2 + s3);
}

function spdMatrix(n: number, seed: number): DenseMatrix {
  const b = randomDense(2 * n, n, seed);
  const a = gram(b);
  for (let i = 0; i < n; i++) a.data[i * n + i]! += 0.1 * n;
  return a;
}

export async function runLinalg(): Promise<SuiteResult> {
  const rows: BenchRow[] = [];
  let numpyNote = "";
  const log = (row: BenchRow): void => {
    rows.push(row);
    const peer = row.peerValue === undefined ? "" : `  (${row.peer}: ${row.peerValue.toPrecision(4)})`;
    console.log(`  ${row.name}: ${row.value.toPrecision(4)} ${row.unit}${peer}`);
  };

  // Read bandwidth: sum a Float64Array of the size of the 100,000 × 64 factor table (51.2 MB, beyond the caches).
  const items = 100_000;
  const factors = 64;
  const itemFactors = randomDense(items, factors, 7);
  const floorMs = timeMs(() => sumArray(itemFactors.data), { minTotalMs: 300 });
  log({ name: "read-bandwidth", value: (itemFactors.data.byteLength / floorMs) / 1e6, unit: "GB/s" });

  // Vectors.
  for (const n of [64, 256, 1024, 4096]) {
    const a = fillNormal(new Float64Array(n), createRandom(n));
    const b = fillNormal(new Float64Array(n), createRandom(n + 1));
    const dotMs = timeMs(() => dot(a, b));
    log({ name: `dot-f64-${n}`, value: dotMs * 1e6, unit: "ns/op" });
    const cosMs = timeMs(() => cosineSimilarity(a, b));
    log({ name: `cosine-f64-${n}`, value: cosMs * 1e6, unit: "ns/op" });
  }
  {
    const n = 1024;
    const a = fillNormal(new Float32Array(n), createRandom(11));
    const b = fillNormal(new Float32Array(n), createRandom(12));
    log({ name: `dot-f32-${n}`, value: timeMs(() => dot(a, b)) * 1e6, unit: "ns/op" });
  }

  // Matmul beside ml-matrix mmul (same inputs, same process).
  for (const n of [128, 256, 512, 1024]) {
    const a = randomDense(n, n, 100 + n);
    const b = randomDense(n, n, 200 + n);
    const flops = 2 * n * n * n;
    const oursMs = timeMs(() => matmul(a, b), { minTotalMs: n >= 1024 ? 1500 : 400, batches: n >= 1024 ? 3 : 7 });
    const mlA = toMl(a);
    const mlB = toMl(b);
    // ml-matrix is ~20x slower: at n = 1024 one call takes seconds, so a single batch of one call.
    const peerMs =
      n >= 1024
        ? timeMs(() => mlA.mmul(mlB), { batches: 1, maxCallsPerBatch: 1, warmupMs: 0 })
        : timeMs(() => mlA.mmul(mlB), { minTotalMs: 400, batches: n >= 512 ? 3 : 5, maxCallsPerBatch: 50 });
    log({ name: `matmul-f64-${n}`, value: flops / oursMs / 1e6, unit: "GFLOP/s", peer: "ml-matrix", peerValue: flops / peerMs / 1e6 });
  }
  {
    const a = randomDense(2000, 64, 5);
    const flops = 2000 * 64 * 64; // multiply-adds of the upper triangle, counted as 2 flops each, times 2 halves / 2
    const oursMs = timeMs(() => gram(a));
    const peerMs = timeMs(() => matmul(a, a, { transposeA: true }));
    log({ name: "gram-f64-2000x64", value: oursMs, unit: "ms", peer: "matmul-transposeA", peerValue: peerMs });
    void flops;
  }

  // Matmul n = 512 beside numpy (OpenBLAS, one thread) in a child python3, timed alternately (9 each, medians).
  {
    const started = await startPeers();
    if ("unavailable" in started) {
      console.log(`numpy: not run (${started.unavailable})`);
      numpyNote = ` numpy not run: ${started.unavailable}.`;
    } else {
      const n = 512;
      const a = randomDense(n, n, 100 + n);
      const b = randomDense(n, n, 200 + n);
      const flops = 2 * n * n * n;
      for (let warm = 0; warm < 3; warm++) matmul(a, b);
      const timing = await interleaved(9, () => matmul(a, b), () => started.run({ cmd: "matmul", n, seed: n }));
      started.close();
      log({ name: `matmul-f64-${n}-vs-numpy`, value: flops / timing.ours.wall / 1e9, unit: "GFLOP/s", peer: `numpy ${started.versions.numpy} (OpenBLAS, 1 thread)`, peerValue: flops / timing.peer!.wall / 1e9 });
      numpyNote = ` matmul-f64-512-vs-numpy: nextbest and numpy ${started.versions.numpy} (child python3, OPENBLAS_NUM_THREADS=1) timed alternately, 9 calls each, median wall time.`;
    }
  }

  // Sparse × dense: a MovieLens-100K-shaped user × item matrix (943 × 1,682, 100,000 entries) times 1,682 × 64.
  {
    const random = createRandom(3);
    const nnz = 100_000;
    const rowIndices = new Int32Array(nnz);
    const colIndices = new Int32Array(nnz);
    const values = new Float64Array(nnz);
    for (let t = 0; t < nnz; t++) {
      rowIndices[t] = Math.floor(random() * 943);
      colIndices[t] = Math.floor(random() * 1682);
      values[t] = 1 + Math.floor(random() * 5);
    }
    const sparse = csrFromTriplets({ rows: 943, cols: 1682, rowIndices, colIndices, values }, { duplicates: "last" });
    const dense = randomDense(1682, 64, 4);
    const sparseMs = timeMs(() => csrMultiplyDense(sparse, dense));
    const asDense = csrToDense(sparse);
    const denseMs = timeMs(() => matmul(asDense, dense), { minTotalMs: 400 });
    log({ name: `spmm-943x1682-nnz${sparse.indptr[943]}-x64`, value: sparseMs, unit: "ms", peer: "dense-matmul", peerValue: denseMs });
  }

  // topK over 100,000 scores, k = 10, beside a full sort of the indices.
  {
    const scores = fillNormal(new Float64Array(100_000), createRandom(9));
    const ms = timeMs(() => topK(scores, { k: 10 }));
    const sortMs = timeMs(
      () => {
        const order = Array.from({ length: scores.length }, (_, i) => i);
        order.sort((x, y) => scores[y]! - scores[x]! || x - y);
        return order.slice(0, 10);
      },
      { minTotalMs: 300, batches: 5 },
    );
    log({ name: "topk-100000-k10", value: ms, unit: "ms", peer: "full-sort", peerValue: sortMs });
  }

  // Cholesky k = 64 beside ml-matrix's CholeskyDecomposition (factor + solve for both).
  {
    const k = 64;
    const a = spdMatrix(k, 21);
    const b = fillNormal(new Float64Array(k), createRandom(22));
    const oursMs = timeMs(() => choleskySolve(a, b));
    const mlA = toMl(a);
    const mlB = Matrix.columnVector(Array.from(b));
    const peerMs = timeMs(() => new CholeskyDecomposition(mlA).solve(mlB));
    log({ name: "cholesky-64", value: oursMs * 1e3, unit: "µs", peer: "ml-matrix", peerValue: peerMs * 1e3 });
    const cgMs = timeMs(() => conjugateGradient(a, b, { tolerance: 1e-10 }));
    log({ name: "cg-64-tol1e-10", value: cgMs * 1e3, unit: "µs", peer: "cholesky-64", peerValue: oursMs * 1e3 });
  }

  // One user against 100,000 items × 64 factors with top-10, beside the bandwidth floor (sum of the same bytes).
  {
    const user = fillNormal(new Float64Array(factors), createRandom(8));
    const out = new Float64Array(items);
    const scoreMs = timeMs(() => topK(scoreAgainstFactors(user, itemFactors, out), { k: 10 }), { minTotalMs: 300 });
    const floorAgainMs = timeMs(() => sumArray(itemFactors.data), { minTotalMs: 300 });
    log({ name: "score-one-user-100000x64", value: scoreMs, unit: "ms", peer: "bandwidth-floor", peerValue: floorAgainMs });
    const onlyMs = timeMs(() => scoreAgainstFactors(user, itemFactors, out), { minTotalMs: 300 });
    log({ name: "score-one-user-100000x64-no-topk", value: onlyMs, unit: "ms", peer: "bandwidth-floor", peerValue: floorAgainMs });
    const f32 = { rows: items, cols: factors, data: Float32Array.from(itemFactors.data) };
    const halfFloor = new Float64Array(itemFactors.data.buffer, 0, itemFactors.data.length / 2);
    const f32Ms = timeMs(() => topK(scoreAgainstFactors(user, f32, out), { k: 10 }), { minTotalMs: 300 });
    const f32FloorMs = timeMs(() => sumArray(halfFloor), { minTotalMs: 300 });
    log({ name: "score-one-user-f32-100000x64", value: f32Ms, unit: "ms", peer: "bandwidth-floor", peerValue: f32FloorMs });
    // The serving path: the table prepared once (float32 in WebAssembly memory), then scored per user with top-10.
    const prepared = prepareFactorScoring(f32);
    const preparedMs = timeMs(() => topK(prepared.score(user, out), { k: 10 }), { minTotalMs: 300 });
    log({ name: "score-one-user-prepared-f32-100000x64", value: preparedMs, unit: "ms", peer: "bandwidth-floor", peerValue: f32FloorMs });
  }

  // All 943 users × 1,682 items × 64 factors with top-10 each, beside a per-user loop of the one-user path.
  {
    const users = randomDense(943, 64, 31);
    const catalog = randomDense(1682, 64, 32);
    const batchMs = timeMs(() => topKAgainstFactors(users, catalog, { k: 10 }), { minTotalMs: 400 });
    const out = new Float64Array(1682);
    const loopMs = timeMs(
      () => {
        let total = 0;
        for (let u = 0; u < 943; u++) {
          total += topK(scoreAgainstFactors(users.data.subarray(u * 64, (u + 1) * 64), catalog, out), { k: 10 })[0]!;
        }
        return total;
      },
      { minTotalMs: 400 },
    );
    log({ name: "score-all-users-943x1682x64", value: batchMs, unit: "ms", peer: "per-user-loop", peerValue: loopMs });
  }

  return {
    suite: "linalg",
    protocol:
      "Synthetic standard-normal data, fixed seeds; median of batches after warm-up (bench/lib.ts timeMs), one process, " +
      "single thread; peers run in the same process on the same inputs. GFLOP/s = 2n³ / time. read-bandwidth and " +
      "bandwidth-floor: a 4-way unrolled sum over a Float64Array of the scored table's byte size (51.2 MB; 25.6 MB for f32). " +
      "ml-matrix mmul at n = 1024 is timed once (one call takes seconds). nextbest's kernels are the defaults: " +
      "WebAssembly SIMD for float64 matmul from 64³ multiply-adds (bit-identical to the JavaScript kernel) and for the " +
      "prepared float32 scorer (prepareFactorScoring); score-one-user rows without 'prepared' run the JavaScript " +
      "kernels, which read the caller's table in place. The floor is JavaScript's summing speed over the bytes, not " +
      "the memory's: a table that fits the CPU's last-level cache can be scored faster than it." + numpyNote,
    rows,
  };
}
