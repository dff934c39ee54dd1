/**
 * Biased matrix factorization fitted by stochastic gradient descent (Funk SVD), for explicit ratings.
 *
 * @module
 */
import { progressOption, type ProgressCallback } from "../core/progress.ts";
import { NextbestError } from "../core/errors.ts";
import type { IdIndexJSON } from "../core/id-index.ts";
import type { Seed } from "../core/random.ts";
import type { Interactions } from "../data/types.ts";
import { createKernelArena, kernelOption, type KernelChoice } from "../linalg/wasm/simd.ts";
import { readModelEnvelope } from "../internal/serialize.ts";
import type { IdIndex } from "../core/id-index.ts";
import type { Recommender } from "../recommend/types.ts";
import { tuningFromJSON, tuningToJSON, type FactorizationTuning } from "./tuning.ts";
import {
  biasedFactorRecommender,
  biasedModelHeaderFromJSON,
  booleanOption,
  checkBiasedFactorModel,
  checkConverged,
  checkInteractions,
  checkedShrinkage,
  checkOptions,
  factorPartFromJSON,
  factorPartToJSON,
  fittedFactorPart,
  fittedTrainingPart,
  integerOption,
  numberOption,
  rowOfEntries,
  seedOption,
  sgdHyperparametersFromJSON,
  shuffleInPlace,
  startBiasedSgd,
  trainingPart,
  trainingPartToJSON,
  type ResolvedSgdOptions,
} from "./internal.ts";


/**
 * Options of {@link fitMatrixFactorization}. The defaults (100 factors, 40 epochs, learning rate 0.01, regularization
 * 0.1) differ from Surprise's `SVD` (100 factors, 20 epochs, learning rate 0.005, regularization 0.02). They were
 * chosen by `bench/choose-defaults.ts` on validation data carved from training data only: for each MovieLens 100K
 * training file u1.base–u5.base, 20% of each user's ratings held out (the test files u1.test–u5.test were not read),
 * among factors {50, 100, 200}, epochs {20, 40, 80}, learning rate {0.005, 0.01} and regularization {0.02, 0.05, 0.1},
 * plus 400 factors, learning rate 0.02 and regularization 0.2 past the grid's edges. These defaults beat the previous
 * ones (learning rate 0.005, regularization 0.05) by 0.012 validation RMSE; 200 or 400 factors and 80 epochs did
 * better by less than 0.001, within what changing the seed alone does, at two to four times the cost, so the cheaper
 * values were kept. Reported afterwards, for information: mean RMSE 0.911 on u1.test–u5.test. On other data, call
 * {@link tuneMatrixFactorization} with these same options to choose `factors` and `regularization` on a validation
 * split of your own.
 *
 * @category factorization
 */
export interface MatrixFactorizationOptions {
  /** Called after each epoch (`phase` `"epoch"`, `loss` the epoch's training RMSE). @defaultValue none */
  onProgress?: ProgressCallback;
  /** Number of latent factors per user and item. @defaultValue 100 */
  factors?: number;
  /** Passes over the training ratings; each pass visits every rating once in a fresh seeded random order. @defaultValue 40 */
  epochs?: number;
  /** Step size of the factor updates. @defaultValue 0.01 */
  learningRate?: number;
  /** L2 penalty on the user and item factors. @defaultValue 0.1 */
  regularization?: number;
  /** Step size of the bias updates. @defaultValue the `learningRate` */
  biasLearningRate?: number;
  /** L2 penalty on the user and item biases. @defaultValue 0.02 */
  biasRegularization?: number;
  /** Standard deviation of the normal initialization (mean 0) of the factors; biases start at 0. @defaultValue 0.1 */
  initStandardDeviation?: number;
  /** Clip predictions to the range of ratings seen in training. @defaultValue true */
  clip?: boolean;
  /** Seed of the initialization and of the order of the ratings in each epoch. @defaultValue 0 */
  seed?: Seed;
  /**
   * The kernels of the SGD epochs (see {@link linalg!KernelChoice}). Both compute in float64, operation for operation
   * the same, so the models are identical; the WebAssembly SIMD kernels are faster. @defaultValue "auto"
   */
  kernels?: KernelChoice;
}

/**
 * The hyperparameters a {@link MatrixFactorizationModel} was fitted with (all defaults resolved).
 *
 * @category factorization
 */
export interface MatrixFactorizationHyperparameters {
  /** Passes over the ratings. */
  readonly epochs: number;
  /** Factor step size. */
  readonly learningRate: number;
  /** Factor L2 penalty. */
  readonly regularization: number;
  /** Bias step size. */
  readonly biasLearningRate: number;
  /** Bias L2 penalty. */
  readonly biasRegularization: number;
  /** Initialization standard deviation. */
  readonly initStandardDeviation: number;
  /** The seed. */
  readonly seed: Seed;
}

/**
 * A fitted biased matrix factorization: r̂(u, i) = μ + b_u + b_i + q_iᵀ p_u, clipped to `[ratingMin, ratingMax]`
 * when `clip`. Plain, versioned data; serialize with {@link matrixFactorizationToJSON}.
 *
 * @category factorization
 */
export interface MatrixFactorizationModel {
  /** Discriminant of the model family. */
  readonly kind: "matrix-factorization";
  /** Format version; {@link matrixFactorizationFromJSON} reads version 1. */
  readonly version: 1;
  /** The users seen in training. */
  readonly users: IdIndex;
  /** The items seen in training. */
  readonly items: IdIndex;
  /** Latent factors per user and item. */
  readonly factors: number;
  /** μ, the mean training rating. */
  readonly globalMean: number;
  /** b_u, one per user. */
  readonly userBias: Float64Array;
  /** b_i, one per item. */
  readonly itemBias: Float64Array;
  /** p_u, users × factors, row-major. */
  readonly userFactors: Float32Array;
  /** q_i, items × factors, row-major. */
  readonly itemFactors: Float32Array;
  /** Whether predictions are clipped to the training rating range. */
  readonly clip: boolean;
  /** Smallest training rating. */
  readonly ratingMin: number;
  /** Largest training rating. */
  readonly ratingMax: number;
  /** The resolved hyperparameters of the fit. */
  readonly hyperparameters: MatrixFactorizationHyperparameters;
  /** `users + 1` offsets into `seenIndices`. */
  readonly seenIndptr: Int32Array;
  /** The item indices each user rated in training, ascending within a user. */
  readonly seenIndices: Int32Array;
  /** How `factors` and `regularization` were chosen, when the model comes from {@link tuneMatrixFactorization}. */
  readonly tuning?: FactorizationTuning;
}

/**
 * The JSON form of a {@link MatrixFactorizationModel} (typed arrays as number arrays, id indexes as `{ ids }`).
 *
 * @category factorization
 */
export interface MatrixFactorizationModelJSON {
  /** Always `"matrix-factorization"`. */
  readonly kind: "matrix-factorization";
  /** The format version, 1. */
  readonly version: 1;
  /** User ids in index order. */
  readonly users: IdIndexJSON;
  /** Item ids in index order. */
  readonly items: IdIndexJSON;
  /** Latent factors. */
  readonly factors: number;
  /** μ. */
  readonly globalMean: number;
  /** b_u. */
  readonly userBias: number[];
  /** b_i. */
  readonly itemBias: number[];
  /** p_u, row-major. */
  readonly userFactors: number[];
  /** q_i, row-major. */
  readonly itemFactors: number[];
  /** Clip flag. */
  readonly clip: boolean;
  /** Smallest training rating. */
  readonly ratingMin: number;
  /** Largest training rating. */
  readonly ratingMax: number;
  /** Hyperparameters. */
  readonly hyperparameters: MatrixFactorizationHyperparameters;
  /** `users + 1` offsets. */
  readonly seenIndptr: number[];
  /** Seen item indices. */
  readonly seenIndices: number[];
  /** The tuning record of a tuned model (absent otherwise; version-1 files without it stay readable). */
  readonly tuning?: FactorizationTuning;
}

// Reads learningRate and regularization first: with several bad options, the first of that order is reported. SVD++
// reads its options in another order, so the two resolvers stay separate.
function resolveOptions(fn: string, options: MatrixFactorizationOptions): ResolvedSgdOptions {
  checkOptions(fn, options);
  const learningRate = numberOption(fn, "learningRate", options.learningRate, 0.01, 0, true);
  const regularization = numberOption(fn, "regularization", options.regularization, 0.1, 0);
  return checkedShrinkage(fn, {
    factors: integerOption(fn, "factors", options.factors, 100, 1, 4096),
    epochs: integerOption(fn, "epochs", options.epochs, 40, 0, 100000),
    learningRate,
    regularization,
    biasLearningRate: numberOption(fn, "biasLearningRate", options.biasLearningRate, learningRate, 0, true),
    biasRegularization: numberOption(fn, "biasRegularization", options.biasRegularization, 0.02, 0),
    initStandardDeviation: numberOption(fn, "initStandardDeviation", options.initStandardDeviation, 0.1, 0),
    clip: booleanOption(fn, "clip", options.clip, true),
    seed: seedOption(fn, options.seed, 0),
  });
}


/**
 * Fits a biased matrix factorization r̂(u, i) = μ + b_u + b_i + q_iᵀ p_u to explicit ratings by stochastic gradient
 * descent on the regularized squared error, as Funk (2006) and Koren, Bell & Volinsky (2009, "Matrix factorization
 * techniques for recommender systems") describe and Surprise's `SVD` implements: for each rating, in a seeded random
 * order each epoch, with e = r − r̂,
 * b_u += γ_b (e − λ_b b_u), b_i += γ_b (e − λ_b b_i), p_u += γ (e q_i − λ p_u), q_i += γ (e p_u − λ q_i).
 *
 * Factors start as N(0, σ²) draws (seeded), biases at 0, μ is the mean training rating. Training runs in float64;
 * the model stores the factor tables as Float32Array.
 *
 * One thread: each SGD update reads the factors the previous one wrote, so splitting the updates over threads would
 * change the model (and its dependence on the seed); the WebAssembly kernel speeds up the single thread instead.
 *
 * Complexity: O(epochs · nnz · factors) time, O((users + items) · factors + nnz) memory.
 *
 * @param interactions - explicit ratings (the interaction values are the ratings)
 * @param options - factors, epochs, learning rates, regularization, initialization, clipping, seed
 * @returns a new frozen {@link MatrixFactorizationModel}; `interactions` is not changed
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed argument or option, `E_SHAPE` when the
 *   interactions' parts disagree, `E_EMPTY` without users or items, `E_NON_FINITE` naming a non-finite rating or
 *   when training diverges (lower the learning rate)
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitMatrixFactorization } from "nextbest/factorization";
 * const ratings = createInteractions([
 *   { user: "ann", item: "a", value: 5 }, { user: "ann", item: "b", value: 1 },
 *   { user: "bob", item: "a", value: 4 }, { user: "bob", item: "b", value: 2 },
 * ]);
 * const model = fitMatrixFactorization(ratings, { factors: 2, epochs: 50, seed: 1 });
 * model.globalMean; // => 3
 * [model.userFactors.length, model.itemFactors.length]; // => [4, 4]
 * ```
 * @category factorization
 */
export function fitMatrixFactorization(interactions: Interactions, options: MatrixFactorizationOptions = {}): MatrixFactorizationModel {
  const fn = "fitMatrixFactorization";
  checkInteractions(fn, interactions);
  const o = resolveOptions(fn, options);
  const onProgress = progressOption(fn, options.onProgress);
  const start = startBiasedSgd(fn, interactions, o);
  const { ratings: n, globalMean: mu, random, userFactors: P, itemFactors: Q, userBias: bu, itemBias: bi } = start;
  const { indptr, indices, values, rows: userCount } = interactions.byUser;
  const f = o.factors;
  const rowOf = rowOfEntries(indptr, userCount);
  const order = new Int32Array(n);
  for (let p = 0; p < n; p++) order[p] = p;
  const { learningRate: lr, regularization: reg, biasLearningRate: lrb, biasRegularization: regb } = o;
  const kernels = kernelOption(fn, options.kernels);
  const afterEpoch = (epoch: number, squaredErrors: number, bU0: number, P0: number): void => {
    if (!Number.isFinite(bU0) || !Number.isFinite(P0)) divergence(fn, epoch, lr);
    onProgress?.({ phase: "epoch", step: epoch + 1, total: o.epochs, loss: Math.sqrt(squaredErrors / n) });
  };
  const wasm = kernels !== "javascript" && o.epochs > 0 &&
    sgdEpochsWasm({ P, Q, bu, bi, f, order, rowOf, indices, values, n, mu, lr, reg, lrb, regb, epochs: o.epochs, random, afterEpoch });
  for (let epoch = 0; epoch < o.epochs && !wasm; epoch++) {
    shuffleInPlace(order, random);
    let squaredErrors = 0;
    for (let t = 0; t < n; t++) {
      const p = order[t]!;
      const u = rowOf[p]!;
      const i = indices[p]!;
      const uo = u * f;
      const io = i * f;
      let d0 = 0;
      let d1 = 0;
      let k = 0;
      for (; k + 2 <= f; k += 2) {
        d0 += P[uo + k]! * Q[io + k]!;
        d1 += P[uo + k + 1]! * Q[io + k + 1]!;
      }
      if (k < f) d0 += P[uo + k]! * Q[io + k]!;
      const bU = bu[u]!;
      const bI = bi[i]!;
      const err = values[p]! - (mu + bU + bI + d0 + d1);
      squaredErrors += err * err;
      bu[u] = bU + lrb * (err - regb * bU);
      bi[i] = bI + lrb * (err - regb * bI);
      const le = lr * err;
      const decay = 1 - lr * reg;
      for (k = 0; k < f; k++) {
        const pu = P[uo + k]!;
        const qi = Q[io + k]!;
        P[uo + k] = decay * pu + le * qi;
        Q[io + k] = decay * qi + le * pu;
      }
    }
    afterEpoch(epoch, squaredErrors, bu[0]!, P[0]!);
  }
  checkConverged(fn, P, Q, bu, bi, lr);
  return Object.freeze({
    kind: "matrix-factorization",
    version: 1,
    ...fittedFactorPart(interactions, o, start),
    ...fittedTrainingPart(interactions, o, start),
  });
}

/** The SGD fit's tables and settings, for {@link sgdEpochsWasm}. */
interface SgdEpochs {
  readonly P: Float64Array;
  readonly Q: Float64Array;
  readonly bu: Float64Array;
  readonly bi: Float64Array;
  readonly f: number;
  readonly order: Int32Array;
  readonly rowOf: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
  readonly n: number;
  readonly mu: number;
  readonly lr: number;
  readonly reg: number;
  readonly lrb: number;
  readonly regb: number;
  readonly epochs: number;
  readonly random: () => number;
  readonly afterEpoch: (epoch: number, squaredErrors: number, bU0: number, P0: number) => void;
}

/**
 * The epochs of {@link fitMatrixFactorization} on the WebAssembly SIMD kernel `mfSgdEpoch`, which performs the
 * JavaScript loop's operations in the same order (bit-identical models): the tables live in the kernels' memory
 * (rows padded to an even number of doubles) for the whole fit, each epoch's order is shuffled there by the same
 * seeded generator, and the tables are copied back at the end. Returns false, having changed nothing, when the
 * kernels cannot run here.
 */
function sgdEpochsWasm(run: SgdEpochs): boolean {
  const { P, Q, bu, bi, f, n } = run;
  const users = bu.length;
  const items = bi.length;
  const stride = (f + 1) & ~1;
  const arena = createKernelArena(
    new Map([
      ["P", 8 * users * stride],
      ["Q", 8 * items * stride],
      ["bu", 8 * users],
      ["bi", 8 * items],
      ["values", 8 * n],
      ["order", 4 * n],
      ["rowOf", 4 * n],
      ["indices", 4 * n],
    ]),
  );
  if (arena === undefined) return false;
  const tables = { P: arena.f64("P"), Q: arena.f64("Q") };
  for (let r = 0; r < users; r++) for (let k = 0; k < f; k++) tables.P[r * stride + k] = P[r * f + k]!;
  for (let r = 0; r < items; r++) for (let k = 0; k < f; k++) tables.Q[r * stride + k] = Q[r * f + k]!;
  const userBias = arena.f64("bu");
  const itemBias = arena.f64("bi");
  userBias.set(bu);
  itemBias.set(bi);
  arena.f64("values").set(run.values.subarray(0, n));
  const order = arena.i32("order");
  order.set(run.order);
  arena.i32("rowOf").set(run.rowOf);
  arena.i32("indices").set(run.indices.subarray(0, n));
  const at = (name: string): number => arena.offsets.get(name)!;
  for (let epoch = 0; epoch < run.epochs; epoch++) {
    shuffleInPlace(order, run.random);
    const squaredErrors = arena.kernels.mfSgdEpoch(
      at("P"), at("Q"), at("bu"), at("bi"), at("order"), at("rowOf"), at("indices"), at("values"), n, stride,
      run.mu, run.lr, run.reg, run.lrb, run.regb,
    );
    run.afterEpoch(epoch, squaredErrors, userBias[0]!, tables.P[0]!);
  }
  for (let r = 0; r < users; r++) for (let k = 0; k < f; k++) P[r * f + k] = tables.P[r * stride + k]!;
  for (let r = 0; r < items; r++) for (let k = 0; k < f; k++) Q[r * f + k] = tables.Q[r * stride + k]!;
  bu.set(userBias);
  bi.set(itemBias);
  return true;
}

function divergence(fn: string, epoch: number, lr: number): never {
  throw new NextbestError(
    "E_NON_FINITE",
    `${fn}: training must stay finite, got non-finite parameters in epoch ${epoch + 1} (lower options.learningRate, now ${lr})`,
  );
}

function checkMatrixFactorization(fn: string, model: MatrixFactorizationModel): void {
  checkBiasedFactorModel(fn, model, "matrix-factorization");
}

/**
 * The {@link Recommender} adapter of a biased matrix factorization. Scores are predicted ratings
 * μ + b_u + b_i + q_iᵀ p_u (clipped when the model says so), and `predict(user, item)` returns the same value for one
 * pair. Unknown users get the baseline μ + b_i as fallback, source `"baseline"`.
 *
 * Cheap: O(1) checks, no copying. `scoreUser` costs O(items · factors), `predict` O(factors); the first `scoreUser`
 * copies the item factors into WebAssembly memory where the runtime has the SIMD kernels (the same float32 values, as
 * much memory again), after which each call runs about three times faster with the same scores, bit for bit.
 *
 * @param model - a fitted or deserialized model
 * @returns a recommender for `recommend`, `recommendMany`, `scoreItems`, evaluation and hybrids
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 matrix factorization or its arrays
 *   disagree in length
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitMatrixFactorization, matrixFactorizationRecommender } from "nextbest/factorization";
 * import { recommend } from "nextbest/recommend";
 * const ratings = createInteractions([
 *   { user: "ann", item: "a", value: 5 }, { user: "ann", item: "b", value: 1 },
 *   { user: "bob", item: "a", value: 5 }, { user: "bob", item: "b", value: 1 }, { user: "bob", item: "c", value: 4 },
 * ]);
 * const mf = matrixFactorizationRecommender(fitMatrixFactorization(ratings, { factors: 2, epochs: 200, learningRate: 0.02, seed: 3 }));
 * recommend(mf, "ann").items.map((r) => r.item); // => ["c"]
 * Math.round(mf.predict!(0, 0)); // => 5
 * recommend(mf, "carol").fallback; // => { reason: "unknown-user", source: "baseline" }
 * ```
 * @category factorization
 */
export function matrixFactorizationRecommender(model: MatrixFactorizationModel): Recommender {
  const fn = "matrixFactorizationRecommender";
  checkMatrixFactorization(fn, model);
  const { userFactors, factors: f } = model;
  return biasedFactorRecommender(fn, "matrix-factorization", model, (user, out) => {
    for (let k = 0; k < f; k++) out[k] = userFactors[user * f + k]!;
  });
}

/**
 * The JSON form of a biased matrix factorization, ready for `JSON.stringify`. Float32 factors are written as the
 * exact decimal of each float, so {@link matrixFactorizationFromJSON} restores identical tables.
 *
 * Complexity: O((users + items) · factors + nnz).
 *
 * @param model - the model
 * @returns a new plain object; the model is not changed
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 matrix factorization
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitMatrixFactorization, matrixFactorizationToJSON } from "nextbest/factorization";
 * const model = fitMatrixFactorization(createInteractions([{ user: "ann", item: "a", value: 4 }]), { factors: 3 });
 * const json = matrixFactorizationToJSON(model);
 * [json.kind, json.userFactors.length, json.globalMean]; // => ["matrix-factorization", 3, 4]
 * ```
 * @category factorization
 */
export function matrixFactorizationToJSON(model: MatrixFactorizationModel): MatrixFactorizationModelJSON {
  checkMatrixFactorization("matrixFactorizationToJSON", model);
  return {
    kind: "matrix-factorization",
    version: 1,
    ...factorPartToJSON(model),
    ...trainingPartToJSON(model),
    ...(model.tuning === undefined ? {} : { tuning: tuningToJSON(model.tuning) }),
  };
}

/**
 * Rebuilds a biased matrix factorization from its JSON form, validating kind, version, ids, the length and finiteness
 * of every table, the rating range and the seen pattern.
 *
 * Complexity: O((users + items) · factors + nnz).
 *
 * @param json - the parsed JSON of {@link matrixFactorizationToJSON}
 * @returns a new frozen {@link MatrixFactorizationModel} that predicts exactly as the one serialized
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitMatrixFactorization, matrixFactorizationFromJSON, matrixFactorizationToJSON } from "nextbest/factorization";
 * const model = fitMatrixFactorization(createInteractions([{ user: "ann", item: "a", value: 4 }]), { factors: 3 });
 * const copy = matrixFactorizationFromJSON(JSON.parse(JSON.stringify(matrixFactorizationToJSON(model))));
 * Array.from(copy.itemFactors).join() === Array.from(model.itemFactors).join(); // => true
 * matrixFactorizationFromJSON({ ...matrixFactorizationToJSON(model), factors: 0 });
 * // throws NextbestError E_BAD_MODEL: "matrixFactorizationFromJSON: json.factors must be a positive integer, got 0"
 * ```
 * @category factorization
 */
export function matrixFactorizationFromJSON(json: unknown): MatrixFactorizationModel {
  const fn = "matrixFactorizationFromJSON";
  const record = readModelEnvelope(fn, json, "matrix-factorization", [1]);
  const header = biasedModelHeaderFromJSON(fn, record);
  const hyperparameters = sgdHyperparametersFromJSON(fn, record["hyperparameters"]);
  const tuning =
    record["tuning"] === undefined ? {} : { tuning: tuningFromJSON(fn, record["tuning"], { factors: header.factors, regularization: hyperparameters.regularization }) };
  return Object.freeze({
    kind: "matrix-factorization",
    version: 1,
    ...factorPartFromJSON(fn, record, header),
    ...trainingPart(header, hyperparameters),
    ...tuning,
  });
}
