// Speed of the matrix-factorization models (issue 4, section 3): fit times on MovieLens 100K, one ALS iteration on a
// synthetic implicit matrix the size of MovieLens 20M, and top-10 for every user. Single thread, one process.
// Run: npx tsx -e 'import("./bench/cf-speed.ts").then((m) => m.runCfSpeed()).then((r) => console.log(JSON.stringify(r, null, 2)))'
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createIdIndex } from "../src/core/index.ts";
import { createRandom, fillNormal } from "../src/core/index.ts";
import { createInteractions, interactionsToRows, type Interactions } from "../src/data/index.ts";
import { fitBpr, fitImplicitAls, fitMatrixFactorization, fitSvdPlusPlus, implicitAlsRecommender } from "../src/factorization/index.ts";
import { csrTranspose, topKAgainstFactors, type CsrMatrix } from "../src/linalg/index.ts";
import { readMovieLens100k, readMovieLens100kSplit } from "../src/node/index.ts";
import { recommendMany } from "../src/recommend/index.ts";
import { consume, type BenchRow, type SuiteResult } from "./lib.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const movieLensDir = path.resolve(here, "../../shared/data/movielens-100k");

/** Median wall time in seconds of `runs` calls (fits are long: no batching). */
function seconds(fn: () => unknown, runs: number): number {
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    consume(fn());
    samples.push((performance.now() - t0) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/**
 * A seeded synthetic implicit matrix: `users` rows with `nnz` entries in all, item popularity following a Zipf-like
 * law (exponent 0.8), each row's items distinct and ascending, values 1. Built directly as CSR (no row objects).
 */
function syntheticImplicit(users: number, items: number, nnz: number, seed: number): Interactions {
  const random = createRandom(seed);
  // Zipf-like cumulative weights over items for inverse-CDF sampling.
  const cumulative = new Float64Array(items);
  let total = 0;
  for (let i = 0; i < items; i++) {
    total += 1 / Math.pow(i + 1, 0.8);
    cumulative[i] = total;
  }
  const indptr = new Int32Array(users + 1);
  const perUser = nnz / users;
  // Row lengths: geometric-ish spread around the mean, at least 1, scaled to hit nnz.
  const lengths = new Float64Array(users);
  let sum = 0;
  for (let u = 0; u < users; u++) {
    lengths[u] = 1 + -Math.log(1 - random()) * (perUser - 1);
    sum += lengths[u]!;
  }
  for (let u = 0; u < users; u++) indptr[u + 1] = indptr[u]! + Math.max(1, Math.min(items, Math.round((lengths[u]! * nnz) / sum)));
  const indices = new Int32Array(indptr[users]!);
  const mark = new Uint8Array(items);
  for (let u = 0; u < users; u++) {
    const start = indptr[u]!;
    const end = indptr[u + 1]!;
    for (let p = start; p < end; p++) {
      let item: number;
      do {
        const target = random() * total;
        let lo = 0;
        let hi = items - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid]! < target) lo = mid + 1;
          else hi = mid;
        }
        item = lo;
      } while (mark[item] === 1);
      mark[item] = 1;
      indices[p] = item;
    }
    indices.subarray(start, end).sort();
    for (let p = start; p < end; p++) mark[indices[p]!] = 0;
  }
  const byUser: CsrMatrix = { rows: users, cols: items, indptr, indices, values: new Float64Array(indices.length).fill(1) };
  return {
    users: createIdIndex(Array.from({ length: users }, (_, u) => u)),
    items: createIdIndex(Array.from({ length: items }, (_, i) => i)),
    byUser,
    byItem: csrTranspose(byUser),
    timestamps: undefined,
  };
}

/** Runs the suite and returns its rows (also printed by bench/run.ts once registered). */
export async function runCfSpeed(): Promise<SuiteResult> {
  const rows: BenchRow[] = [];
  const haveData = existsSync(path.join(movieLensDir, "u.data"));
  if (haveData) {
    const { train } = await readMovieLens100kSplit(movieLensDir, { split: "u1" });
    rows.push({
      name: "mf-fit-seconds-per-fold",
      value: seconds(() => fitMatrixFactorization(train, { factors: 100, epochs: 20 }), 3),
      unit: "s",
      peer: "Surprise SVD (published on this machine class, not run here)",
      peerValue: 1.4,
    });
    rows.push({ name: "mf-default-fit-seconds-per-fold", value: seconds(() => fitMatrixFactorization(train), 1), unit: "s" });
    rows.push({ name: "svdpp-fit-seconds-per-fold", value: seconds(() => fitSvdPlusPlus(train), 1), unit: "s" });
    const ratings = await readMovieLens100k(movieLensDir);
    const implicit = createInteractions(interactionsToRows(ratings).map((row) => ({ ...row, value: 1 })));
    rows.push({
      name: "als-ml100k-fit-seconds",
      value: seconds(() => fitImplicitAls(implicit, { factors: 64, iterations: 15 }), 3),
      unit: "s",
      peer: "implicit ALS, compiled, one thread (published here, not run)",
      peerValue: 1.05,
    });
    rows.push({
      name: "als-ml100k-cholesky-fit-seconds",
      value: seconds(() => fitImplicitAls(implicit, { factors: 64, iterations: 15, solver: "cholesky" }), 1),
      unit: "s",
    });
    rows.push({ name: "bpr-ml100k-fit-seconds", value: seconds(() => fitBpr(implicit), 1), unit: "s" });

    const model = fitImplicitAls(implicit, { factors: 64, iterations: 15 });
    const userTable = { rows: model.users.ids.length, cols: 64, data: model.userFactors };
    const itemTable = { rows: model.items.ids.length, cols: 64, data: model.itemFactors };
    const seen: CsrMatrix = { ...implicit.byUser };
    const factorMs = seconds(() => topKAgainstFactors(userTable, itemTable, { k: 10, exclude: seen }), 7) * 1000;
    rows.push({
      name: "topk-all-users-ml100k-ms",
      value: factorMs,
      unit: "ms",
      peer: "numpy matmul + argpartition (published here, not run)",
      peerValue: 38,
    });
    const recommender = implicitAlsRecommender(model);
    const allUsers = model.users.ids;
    rows.push({
      name: "topk-all-users-ml100k-recommendMany-ms",
      value: seconds(() => recommendMany(recommender, allUsers, { k: 10 }), 5) * 1000,
      unit: "ms",
    });
  }

  // Batch top-10: 10,000 users over 100,000 items, 64 factors, seeded normal factors, no exclusion.
  {
    const random = createRandom(11);
    const users = { rows: 10_000, cols: 64, data: fillNormal(new Float32Array(10_000 * 64), random) };
    const items = { rows: 100_000, cols: 64, data: fillNormal(new Float32Array(100_000 * 64), random) };
    rows.push({ name: "topk-10k-users-100k-items-seconds", value: seconds(() => topKAgainstFactors(users, items, { k: 10 }), 1), unit: "s" });
  }

  // ALS iteration on a MovieLens-20M-sized synthetic implicit matrix (138,493 × 26,744, 10M non-zeros, 64 factors).
  {
    const big = syntheticImplicit(138_493, 26_744, 10_000_000, 20);
    const oneIteration = seconds(() => fitImplicitAls(big, { factors: 64, iterations: 1 }), 1);
    const setup = seconds(() => fitImplicitAls(big, { factors: 64, iterations: 0 }), 1);
    rows.push({
      name: "als-20m-seconds-per-iteration",
      value: oneIteration - setup,
      unit: "s",
      peer: "Spark MLlib ALS (published)",
      peerValue: 12.3,
    });
  }

  return {
    suite: "cf-speed",
    protocol:
      "Single thread, one process, Node " +
      process.version +
      ". MovieLens 100K: mf = biased MF (100 factors, 20 epochs) on u1.base (median of 3); mf-default and svdpp with their " +
      "documented defaults on u1.base; ALS = 64 factors × 15 iterations, conjugate gradient (2 steps, the default), all 100,000 ratings " +
      "as interactions of value 1 (median of 3); BPR with defaults on the same data. top-k: top-10 for all 943 users with " +
      "seen items filtered, from the ALS factors, via topKAgainstFactors (seen CSR as exclude; median of 7) and via " +
      "recommendMany. Batch: 10,000 × 100,000, 64 float32 factors, one run. ALS 20M: a seeded synthetic matrix " +
      "(138,493 users × 26,744 items, 10M non-zeros, Zipf-like item popularity), 64 factors, time of one iteration " +
      "(fit with 1 iteration minus fit with 0). Peer values are the figures quoted in issue 4 (same machine class), not run here." +
      (haveData ? "" : " MovieLens 100K absent: its rows were skipped."),
    rows,
  };
}
