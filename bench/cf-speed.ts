// Speed of the collaborative-filtering models beside their compiled peers, run in the same bench run on the same
// machine (issue 17, section 1): Surprise SVD, implicit ALS and item-item cosine, numpy top-k. Fit times on MovieLens
// 100K, one ALS iteration on a synthetic implicit matrix with 10M non-zeros, top-10 for every user. nextbest and each
// peer are timed alternately (ours, peer, ours, peer ...), single thread, wall and CPU time, medians. Accuracy of both
// sides is scored by nextbest's evaluator from each side's output (factors, predictions) on the same split.
// Run: npm run bench -- cf-speed (peers from ../peers-build, see ../shared/peers/README.md; absent peers leave the
// peer columns empty and the protocol says why).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import path from "node:path";
import { createIdIndex, createRandom, fillNormal, type Id } from "../src/core/index.ts";
import { createInteractions, interactionsToRows, type Interactions } from "../src/data/index.ts";
import { fitBpr, fitImplicitAls, fitMatrixFactorization, fitSvdPlusPlus, implicitAlsRecommender, matrixFactorizationRecommender } from "../src/factorization/index.ts";
import { ndcgAtK, rmse } from "../src/metrics/index.ts";
import { fitItemItemImplicit } from "../src/neighbors/index.ts";
import { csrTranspose, topKAgainstFactors, type CsrMatrix } from "../src/linalg/index.ts";
import { readMovieLens100k, readMovieLens100kSplit } from "../src/node/index.ts";
import { predictMany, recommendMany } from "../src/recommend/index.ts";
import { evaluateRanking } from "../src/evaluation/index.ts";
import { consume, movieLensDirectory, type BenchRow, type SuiteResult } from "./lib.ts";
import { exchangeDir, interleaved, medianTiming, sendCsr, startPeers, timeOurs, writeTable, type Timing } from "./peers.ts";


/** Warm-up fits of nextbest's ALS before its timed ones: V8 optimizes the WebAssembly kernels after they turn hot. */
const ALS_WARM_UP_FITS = 4;

/**
 * A seeded synthetic implicit matrix: `users` rows with `nnz` entries in all, item popularity following a Zipf-like
 * law (exponent 0.8), each row's items distinct and ascending, values 1. Built directly as CSR (no row objects).
 */
export function syntheticImplicit(users: number, items: number, nnz: number, seed: number): Interactions {
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

/** One timed comparison: our median, the peer's median (same run, alternated), as a wall row and a CPU row. */
function timedRows(rows: BenchRow[], name: string, unit: "s" | "ms", peerName: string | undefined, result: { ours: Timing; peer?: Timing | undefined }): void {
  const scale = unit === "ms" ? 1000 : 1;
  const peerFields = (value: number | undefined) => (peerName !== undefined && value !== undefined ? { peer: peerName, peerValue: value * scale } : {});
  rows.push({ name, value: result.ours.wall * scale, unit: `${unit} wall`, ...peerFields(result.peer?.wall) });
  rows.push({ name: `${name}-cpu`, value: result.ours.cpu * scale, unit: `${unit} CPU`, ...peerFields(result.peer?.cpu) });
}

/** NDCG@10 of top-10 lists from factor tables (seen items excluded), over users with test items: one evaluator for both sides. */
function factorNdcg(users: Float32Array, items: Float32Array, factors: number, train: Interactions, test: Interactions): number {
  const top = topKAgainstFactors(
    { rows: train.users.ids.length, cols: factors, data: users },
    { rows: train.items.ids.length, cols: factors, data: items },
    { k: 10, exclude: train.byUser },
  );
  let total = 0;
  let counted = 0;
  for (let testUser = 0; testUser < test.users.ids.length; testUser++) {
    const userId = test.users.ids[testUser]!;
    const user = train.users.lookup.get(userId) ?? -1;
    if (user < 0) continue;
    const relevant = new Set<Id>();
    for (let p = test.byUser.indptr[testUser]!; p < test.byUser.indptr[testUser + 1]!; p++) relevant.add(test.items.ids[test.byUser.indices[p]!]!);
    if (relevant.size === 0) continue;
    const list: Id[] = [];
    for (let r = 0; r < top.counts[user]!; r++) list.push(train.items.ids[top.indices[user * 10 + r]!]!);
    total += ndcgAtK(list, relevant, { k: 10 });
    counted++;
  }
  return total / counted;
}

/** Runs the suite and returns its rows (printed by bench/run.ts). */
export async function runCfSpeed(): Promise<SuiteResult> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const started = await startPeers();
  const peers = "unavailable" in started ? undefined : started;
  if (peers === undefined) {
    const reason = (started as { unavailable: string }).unavailable;
    console.log(`peers: not run (${reason}); peer columns stay empty`);
    notes.push(`Peers not run: ${reason}.`);
  } else {
    console.log(`peers: ${JSON.stringify(peers.versions)}`);
    notes.push(`Peers run in this process's child python3: ${Object.entries(peers.versions).map(([name, version]) => `${name} ${version}`).join(", ")}.`);
  }
  const surprise = peers?.has("surprise") ? peers : undefined;
  const implicitPeer = peers?.has("implicit") ? peers : undefined;
  const haveData = existsSync(path.join(movieLensDirectory, "u.data"));
  try {
    if (haveData) {
      // Biased MF beside Surprise SVD on u1.base; RMSE of both on the u1.test pairs both sides know, by nextbest's rmse.
      const { train, test } = await readMovieLens100kSplit(movieLensDirectory, { split: "u1" });
      const trainFile = path.join(exchangeDir, "ml100k-u1.base.tsv");
      const pairsFile = path.join(exchangeDir, "ml100k-u1.test-pairs.tsv");
      const testRows = interactionsToRows(test).filter((row) => train.users.lookup.has(row.user) && train.items.lookup.has(row.item));
      mkdirSync(exchangeDir, { recursive: true });
      writeFileSync(trainFile, interactionsToRows(train).map((row) => `${row.user}\t${row.item}\t${row.value}`).join("\n") + "\n");
      writeFileSync(pairsFile, testRows.map((row) => `${row.user}\t${row.item}`).join("\n") + "\n");
      const actual = testRows.map((row) => row.value ?? Number.NaN);
      const rmseOf = (model: ReturnType<typeof fitMatrixFactorization>): number => {
        const recommender = matrixFactorizationRecommender(model);
        return rmse(predictMany(recommender, testRows).map((prediction) => prediction.value), actual);
      };
      const surpriseRmse = async (params: Record<string, unknown>): Promise<number> => {
        const predictOut = path.join(exchangeDir, "surprise-predictions.f64");
        await surprise!.run({ cmd: "svd_fit", train: trainFile, params, predict: pairsFile, predictOut });
        return rmse(Array.from(new Float64Array(readFileSync(predictOut).buffer.slice(0))), actual);
      };
      // Equal settings: Surprise SVD's defaults (100 factors, 20 epochs, learning rate 0.005, regularization 0.02, init sd 0.1).
      const equalMf = { factors: 100, epochs: 20, learningRate: 0.005, regularization: 0.02, biasRegularization: 0.02, initStandardDeviation: 0.1 };
      const surpriseEqual = { n_factors: 100, n_epochs: 20, lr_all: 0.005, reg_all: 0.02, init_std_dev: 0.1, random_state: 0 };
      timedRows(rows, "mf-fit-seconds-per-fold", "s", surprise && "Surprise SVD (same settings)",
        await interleaved(3, () => fitMatrixFactorization(train, equalMf), surprise && (() => surprise.run({ cmd: "svd_fit", train: trainFile, params: surpriseEqual }))));
      rows.push({ name: "mf-rmse-u1", value: rmseOf(fitMatrixFactorization(train, equalMf)), unit: "RMSE", ...(surprise ? { peer: "Surprise SVD (same settings)", peerValue: await surpriseRmse(surpriseEqual) } : {}) });
      timedRows(rows, "mf-default-fit-seconds-per-fold", "s", surprise && "Surprise SVD (its defaults)",
        await interleaved(3, () => fitMatrixFactorization(train), surprise && (() => surprise.run({ cmd: "svd_fit", train: trainFile, params: { random_state: 0 } }))));
      rows.push({ name: "mf-default-rmse-u1", value: rmseOf(fitMatrixFactorization(train)), unit: "RMSE", ...(surprise ? { peer: "Surprise SVD (its defaults)", peerValue: await surpriseRmse({ random_state: 0 }) } : {}) });
      rows.push({ name: "svdpp-fit-seconds-per-fold", value: timeOurs(() => fitSvdPlusPlus(train)).wall, unit: "s wall" });

      // Implicit ALS beside implicit's ALS on all 100,000 ratings as interactions of value 1.
      const ratings = await readMovieLens100k(movieLensDirectory);
      const implicitData = createInteractions(interactionsToRows(ratings).map((row) => ({ ...row, value: 1 })));
      if (implicitPeer) await sendCsr(implicitPeer, "ml100k", implicitData.byUser);
      // The first fit in the process runs the ALS kernels before V8 has optimized them (WebAssembly starts on its
      // baseline compiler and tiers up hot functions in the background): reported on its own, then warm-up fits.
      const firstStart = performance.now();
      const ours = fitImplicitAls(implicitData, { factors: 64, iterations: 15, threads: 1 });
      rows.push({ name: "als-ml100k-first-fit-seconds", value: (performance.now() - firstStart) / 1000, unit: "s wall (the first ALS fit in this process)" });
      for (let warm = 0; warm < ALS_WARM_UP_FITS; warm++) fitImplicitAls(implicitData, { factors: 64, iterations: 15, threads: 1 });
      const equalAls = { factors: 64, iterations: 15, regularization: ours.regularization, alpha: 1, cg_steps: ours.hyperparameters.conjugateGradientSteps };
      if (implicitPeer) await implicitPeer.run({ cmd: "als_fit", data: "ml100k", params: equalAls, threads: 1 });
      timedRows(rows, "als-ml100k-fit-seconds", "s", implicitPeer && "implicit ALS, 1 thread (same settings)",
        await interleaved(5, () => fitImplicitAls(implicitData, { factors: 64, iterations: 15, threads: 1 }), implicitPeer && (() => implicitPeer.run({ cmd: "als_fit", data: "ml100k", params: equalAls, threads: 1 }))));
      timedRows(rows, "als-ml100k-fit-seconds-2-threads", "s", implicitPeer && "implicit ALS, 1 thread (same settings)",
        await interleaved(5, () => fitImplicitAls(implicitData, { factors: 64, iterations: 15, threads: 2 }), implicitPeer && (() => implicitPeer.run({ cmd: "als_fit", data: "ml100k", params: equalAls, threads: 1 }))));
      timedRows(rows, "als-ml100k-default-fit-seconds", "s", implicitPeer && "implicit ALS, 1 thread (its defaults)",
        await interleaved(5, () => fitImplicitAls(implicitData, { threads: 1 }), implicitPeer && (() => implicitPeer.run({ cmd: "als_fit", data: "ml100k", params: {}, threads: 1 }))));
      rows.push({ name: "als-ml100k-cholesky-fit-seconds", value: timeOurs(() => fitImplicitAls(implicitData, { factors: 64, iterations: 15, solver: "cholesky" })).wall, unit: "s wall" });
      rows.push({ name: "bpr-ml100k-fit-seconds", value: timeOurs(() => fitBpr(implicitData)).wall, unit: "s wall" });

      // Accuracy of both ALS at both settings: NDCG@10 on u1.test from each side's factors, one evaluator.
      const implicitTrain = createInteractions(interactionsToRows(train).map((row) => ({ ...row, value: 1 })));
      if (implicitPeer) await sendCsr(implicitPeer, "ml100k-u1", implicitTrain.byUser);
      const peerNdcg = async (params: Record<string, unknown>): Promise<{ value: number; factors: number }> => {
        const factorsOut = path.join(exchangeDir, "implicit-als");
        const answer = await implicitPeer!.run({ cmd: "als_fit", data: "ml100k-u1", params, threads: 1, factorsOut });
        const factors = answer.factors as number;
        const read = (suffix: string) => new Float32Array(new Uint8Array(readFileSync(factorsOut + suffix)).buffer);
        return { value: factorNdcg(read(".users"), read(".items"), factors, implicitTrain, test), factors };
      };
      for (const [name, oursOptions, peerParams, label] of [
        ["als-ml100k-ndcg10-u1", { factors: 64, iterations: 15 }, null, "same settings"],
        ["als-ml100k-default-ndcg10-u1", {}, {}, "its defaults"],
      ] as const) {
        const model = fitImplicitAls(implicitTrain, oursOptions);
        const value = factorNdcg(model.userFactors, model.itemFactors, model.factors, implicitTrain, test);
        const params = peerParams ?? { factors: 64, iterations: 15, regularization: model.regularization, alpha: 1, cg_steps: model.hyperparameters.conjugateGradientSteps };
        rows.push({ name, value, unit: "NDCG@10", ...(implicitPeer ? { peer: `implicit ALS (${label})`, peerValue: (await peerNdcg(params)).value } : {}) });
      }

      // Ranking evaluation of one ALS model over the u1.test users (pairs of known users and items, value 1): nextbest's
      // evaluateRanking (precision with implicit's min(k, relevant) denominator, MAP, nDCG at 10) beside implicit's own
      // evaluator, ranking_metrics_at_k, on the same factors; training items left out on both sides.
      {
        const evalModel = fitImplicitAls(implicitTrain, { factors: 64, iterations: 15 });
        const knownTest = interactionsToRows(test).filter((row) => implicitTrain.users.lookup.has(row.user) && implicitTrain.items.lookup.has(row.item));
        const testInteractions = createInteractions(knownTest.map((row) => ({ user: row.user, item: row.item, value: 1 })));
        const evalRecommender = implicitAlsRecommender(evalModel);
        const evaluationOptions = { k: 10, metrics: ["precision", "map", "ndcg"], precisionDenominator: "min-k-relevant" } as const;
        let evalCommand: Record<string, unknown> | undefined;
        if (implicitPeer) {
          const lists = Array.from({ length: implicitTrain.users.ids.length }, () => new Set<number>());
          for (const row of knownTest) lists[implicitTrain.users.lookup.get(row.user)!]!.add(implicitTrain.items.lookup.get(row.item)!);
          const indptr = new Int32Array(lists.length + 1);
          lists.forEach((items, u) => (indptr[u + 1] = indptr[u]! + items.size));
          const indices = Int32Array.from(lists.flatMap((items) => [...items].sort((a, b) => a - b)));
          await sendCsr(implicitPeer, "ml100k-u1-test", { rows: lists.length, cols: implicitTrain.items.ids.length, indptr, indices, values: new Float64Array(indices.length).fill(1) });
          evalCommand = {
            cmd: "implicit_evaluate", users: writeTable("u1-users", evalModel.userFactors), items: writeTable("u1-items", evalModel.itemFactors),
            userRows: implicitTrain.users.ids.length, itemRows: implicitTrain.items.ids.length, cols: 64, k: 10, train: "ml100k-u1", test: "ml100k-u1-test", threads: 1,
          };
        }
        const peerEvaluation = evalCommand && (() => implicitPeer!.run(evalCommand!));
        const evaluateWith = (threads: number) => () => evaluateRanking(evalRecommender, testInteractions, { ...evaluationOptions, threads });
        // Warm-up: a first evaluation in a fresh process takes several times the steady one (JIT tiers, WebAssembly
        // tier-up, the prepared item table); the rows time the steady state, the -first-call row the first call.
        const first = timeOurs(evaluateWith(1));
        for (let warm = 0; warm < 40; warm++) {
          evaluateWith(1)();
          evaluateWith(2)();
        }
        if (peerEvaluation) for (let warm = 0; warm < 2; warm++) await peerEvaluation();
        timedRows(rows, "evaluate-ranking-ml100k-ms", "ms", implicitPeer && "implicit ranking_metrics_at_k, 1 thread", await interleaved(9, evaluateWith(1), peerEvaluation));
        timedRows(rows, "evaluate-ranking-ml100k-ms-2-threads", "ms", implicitPeer && "implicit ranking_metrics_at_k, 1 thread", await interleaved(9, evaluateWith(2), peerEvaluation));
        rows.push({ name: "evaluate-ranking-ml100k-first-call-ms", value: first.wall * 1000, unit: "ms wall (the first evaluation in this process)" });
        const ours = evaluateWith(1)().mean;
        const theirs = peerEvaluation && (await peerEvaluation());
        // implicit's precision pools hits over users (Σ hits / Σ min(K, relevant)); nextbest's averages per user, so
        // only MAP and nDCG, defined alike on both sides, are compared.
        for (const metric of ["map", "ndcg"] as const) {
          rows.push({ name: `evaluate-ranking-ml100k-${metric}10`, value: ours[`${metric}@10`]!, unit: metric, ...(theirs ? { peer: "implicit ranking_metrics_at_k (same factors)", peerValue: theirs[metric] as number } : {}) });
        }
      }

      // Item-item cosine, K = 20, on the same 100,000 interactions.
      const knnPeer = implicitPeer && (() => implicitPeer.run({ cmd: "item_knn_fit", data: "ml100k", kind: "cosine", K: 20, threads: 1 }));
      timedRows(rows, "item-knn-fit-seconds", "s", implicitPeer && "implicit CosineRecommender K=20, 1 thread",
        await interleaved(5, () => fitItemItemImplicit(implicitData, { neighbors: 20, threads: 1 }), knnPeer));
      const knnTwo = await interleaved(5, () => fitItemItemImplicit(implicitData, { neighbors: 20, threads: 2 }), knnPeer);
      timedRows(rows, "item-knn-fit-seconds-2-threads", "s", implicitPeer && "implicit CosineRecommender K=20, 1 thread", knnTwo);

      // Top-10 for all 943 users from the same ALS factors, seen items excluded.
      const userTable = { rows: ours.users.ids.length, cols: 64, data: ours.userFactors };
      const itemTable = { rows: ours.items.ids.length, cols: 64, data: ours.itemFactors };
      if (peers && !implicitPeer) await sendCsr(peers, "ml100k", implicitData.byUser);
      const topkCommand = peers && {
        cmd: "topk_all", users: writeTable("ml100k-users", ours.userFactors), items: writeTable("ml100k-items", ours.itemFactors),
        userRows: userTable.rows, itemRows: itemTable.rows, cols: 64, k: 10, exclude: "ml100k",
      };
      const topk = await interleaved(9, () => topKAgainstFactors(userTable, itemTable, { k: 10, exclude: implicitData.byUser, threads: 1 }), topkCommand && (() => peers!.run(topkCommand)));
      timedRows(rows, "topk-all-users-ml100k-ms", "ms", peers && "numpy matmul + argpartition, 1 thread", topk);
      const recommender = implicitAlsRecommender(ours);
      const recommendManyTimes = Array.from({ length: 5 }, () => timeOurs(() => recommendMany(recommender, ours.users.ids, { k: 10 })));
      rows.push({ name: "topk-all-users-ml100k-recommendMany-ms", value: medianTiming(recommendManyTimes).wall * 1000, unit: "ms wall (median of 5)" });
    }

    // Batch top-10: 10,000 users over 100,000 items, 64 float32 factors, seeded normal factors, no exclusion.
    {
      const random = createRandom(11);
      const users = { rows: 10_000, cols: 64, data: fillNormal(new Float32Array(10_000 * 64), random) };
      const items = { rows: 100_000, cols: 64, data: fillNormal(new Float32Array(100_000 * 64), random) };
      const usersFile = peers ? writeTable("batch-users", users.data) : "";
      const itemsFile = peers ? writeTable("batch-items", items.data) : "";
      timedRows(rows, "topk-10k-users-100k-items-seconds", "s", peers && "numpy matmul + argpartition, 1 thread",
        await interleaved(1, () => topKAgainstFactors(users, items, { k: 10, threads: 1 }), peers && (() => peers.run({ cmd: "topk_all", users: usersFile, items: itemsFile, userRows: 10_000, itemRows: 100_000, cols: 64, k: 10 }))));
      rows.push({ name: "topk-10k-users-100k-items-seconds-2-threads", value: timeOurs(() => topKAgainstFactors(users, items, { k: 10, threads: 2 })).wall, unit: "s wall" });
    }

    // One ALS iteration on a seeded synthetic implicit matrix (138,493 × 26,744, 10M non-zeros, 64 factors):
    // fit with 1 iteration minus fit with 0 iterations (set-up and initialization), both sides.
    {
      const big = syntheticImplicit(138_493, 26_744, 10_000_000, 20);
      if (implicitPeer) await sendCsr(implicitPeer, "synthetic-10m", big.byUser);
      const regularization = fitImplicitAls(big, { factors: 64, iterations: 0 }).regularization;
      const params = (iterations: number) => ({ factors: 64, iterations, regularization, alpha: 1, cg_steps: 2 });
      const minus = (a: Timing, b: Timing): Timing => ({ wall: a.wall - b.wall, cpu: a.cpu - b.cpu });
      const perIteration = async (threads: number, peerThreads: number) => {
        const one = await interleaved(5, () => fitImplicitAls(big, { factors: 64, iterations: 1, threads }), implicitPeer && (() => implicitPeer.run({ cmd: "als_fit", data: "synthetic-10m", params: params(1), threads: peerThreads })));
        const zero = await interleaved(5, () => fitImplicitAls(big, { factors: 64, iterations: 0, threads }), implicitPeer && (() => implicitPeer.run({ cmd: "als_fit", data: "synthetic-10m", params: params(0), threads: peerThreads })));
        return { ours: minus(one.ours, zero.ours), peer: one.peer && zero.peer ? minus(one.peer, zero.peer) : undefined };
      };
      const single = await perIteration(1, 1);
      timedRows(rows, "als-10m-seconds-per-iteration", "s", implicitPeer && "implicit ALS, 1 thread (same settings)", single);
      // nextbest on 2 worker threads beside implicit on 1 (the issue's target) and on 2 threads (its own parallelism).
      const twoVsTwo = await perIteration(2, 2);
      timedRows(rows, "als-10m-seconds-per-iteration-2-threads", "s", implicitPeer && "implicit ALS, 1 thread (same settings)", { ours: twoVsTwo.ours, peer: single.peer });
      timedRows(rows, "als-10m-seconds-per-iteration-2-threads-both", "s", implicitPeer && "implicit ALS, 2 threads (same settings)", twoVsTwo);
    }
  } finally {
    peers?.close();
  }

  return {
    suite: "cf-speed",
    protocol:
      `Same run, same machine (${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores), Node ${process.version}; ` +
      "nextbest and each peer timed alternately (ours, peer, ours, peer ...), single thread on both sides (peers with " +
      "OPENBLAS_NUM_THREADS=1, OMP_NUM_THREADS=1 and num_threads=1); medians of the repetitions; each timing row has a " +
      "-cpu twin with process CPU time. Peers: Surprise and implicit built from their public sources by " +
      "../shared/peers/build-peers.sh, numpy from Debian, driven by bench/peers/peer_server.py on binary copies of the " +
      "same matrices; accuracy of both sides scored by nextbest's evaluator from each side's output. " +
      "MovieLens 100K: MF (3 alternations) on u1.base at Surprise SVD's default settings for both (100 factors, 20 epochs, " +
      "learning rate 0.005, regularization 0.02, init sd 0.1) and at each side's own defaults (nextbest: 100 factors, 40 " +
      "epochs, learning rate 0.01, regularization 0.1; Surprise: as above), RMSE on the u1.test pairs whose user and item are in u1.base. " +
      `ALS (after the first fit in the process, reported as als-ml100k-first-fit-seconds, ${ALS_WARM_UP_FITS} warm-up fits of ours and one of the peer's; then 5 alternations; threads: 1, and threads: 2 in the -2-threads row against implicit on 1) on all 100,000 ratings as value-1 interactions: same settings = nextbest's defaults given to ` +
      "implicit (64 factors, 15 iterations, regularization 0.25 x interactions per user, alpha 1, 2 CG steps); defaults " +
      "= each side's (implicit: 100 factors, regularization 0.01, 3 CG steps); NDCG@10 rows fit u1.base and score u1.test " +
      "with seen items excluded. Item-kNN: cosine, K 20 (5 alternations; threads: 1, and threads: 2 in the -2-threads row against implicit on 1). top-k: top-10 for all 943 users from the same " +
      "ALS factors, seen items excluded (9 alternations); batch 10,000 x 100,000 x 64 float32, no exclusion (1 each; the -2-threads row: nextbest's scoring and top-k selection on 2 worker threads). " +
      "Evaluation: one ALS model (64 factors, 15 iterations) fitted on u1.base as value-1 interactions, nextbest's " +
      "evaluateRanking (precision, MAP, nDCG at 10, precision over min(10, relevant)) beside implicit's " +
      "ranking_metrics_at_k on the same factors, over the u1.test pairs of known users and items, training items left " +
      "out (40 warm-up calls of each of ours (1 and 2 threads) and 2 of the peer's, then 9 alternations; threads: 1, and threads: 2 in the " +
      "-2-threads row against implicit on 1 (at 459 × 1,682 × 64 multiply-adds, below the 2^26 from which scoreUsers starts " +
      "workers, so one thread runs); -first-call: the first evaluation in the process, before any warm-up); the map/ndcg rows " +
      "compare the two evaluators' values. " +
      "ALS 10M: a seeded synthetic matrix (138,493 x 26,744, 10M non-zeros, Zipf-like items), 64 factors, one iteration = " +
      "fit(1) - fit(0), medians of 5 alternations each, on 1 thread (threads: 1) and on 2 worker threads (threads: 2, the 2-threads rows; " +
      "same model as 1 thread). nextbest's kernels: WebAssembly SIMD (the default where available; ALS in float32 as " +
      "implicit, MF in float64). Defaults of nextbest's MF and SVD++ were chosen on validation splits of " +
      "u1.base-u5.base only (bench/choose-defaults.ts, bench/results/defaults.json); u1.test is read only to report. " +
      notes.join(" ") +
      (haveData ? "" : " MovieLens 100K absent: its rows were skipped."),
    rows,
  };
}
