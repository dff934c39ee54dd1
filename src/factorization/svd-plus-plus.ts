/**
 * SVD++ (Koren 2008): biased matrix factorization whose user vector is enriched by the set of items the user rated.
 *
 * @module
 */
import { progressOption, type ProgressCallback } from "../core/progress.ts";
import type { IdIndex, IdIndexJSON } from "../core/id-index.ts";
import { fillNormal, type Seed } from "../core/random.ts";
import type { Interactions } from "../data/types.ts";
import { readModelEnvelope, typedArrayToJSON } from "../internal/serialize.ts";
import type { Recommender } from "../recommend/types.ts";
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
  float32TableFromJSON,
  integerOption,
  numberOption,
  seedOption,
  sgdHyperparametersFromJSON,
  shuffleInPlace,
  startBiasedSgd,
  trainingPart,
  trainingPartToJSON,
  type ResolvedSgdOptions,
} from "./internal.ts";
import type { MatrixFactorizationHyperparameters } from "./matrix-factorization.ts";

/**
 * Options of {@link fitSvdPlusPlus}. The defaults (100 factors, 40 epochs, learning rate 0.01, regularization 0.1)
 * differ from Surprise's `SVDpp` (20 factors, 20 epochs, learning rate 0.007, regularization 0.02). They were chosen
 * by `bench/choose-defaults.ts` on validation data carved from training data only: for each MovieLens 100K training
 * file u1.base–u5.base, 20% of each user's ratings held out (the test files u1.test–u5.test were not read), among
 * factors {20, 50, 100}, epochs {20, 40}, learning rate {0.005, 0.01} and regularization {0.05, 0.1, 0.2}, plus 200
 * and 400 factors, 80 epochs and learning rate 0.02 past the grid's edges. 200 and 400 factors did better by at most
 * 0.0004 validation RMSE, within what changing the seed alone does, at two to four times the cost, so 100 was kept;
 * the previous default of 50 factors (about half the fit time) was 0.0013 behind the best, beyond that noise.
 * Reported afterwards, for information: mean RMSE 0.908 on u1.test–u5.test.
 *
 * @category factorization
 */
export interface SvdPlusPlusOptions {
  /** Called after each epoch (`phase` `"epoch"`, `loss` the epoch's training RMSE). @defaultValue none */
  onProgress?: ProgressCallback;
  /** Latent factors. @defaultValue 100 */
  factors?: number;
  /** Passes over the users (in a fresh seeded order each epoch). @defaultValue 40 */
  epochs?: number;
  /** Step size of the factor updates (p, q and y). @defaultValue 0.01 */
  learningRate?: number;
  /** L2 penalty on p, q and y. @defaultValue 0.1 */
  regularization?: number;
  /** Step size of the bias updates. @defaultValue the `learningRate` */
  biasLearningRate?: number;
  /** L2 penalty on the biases. @defaultValue 0.02 */
  biasRegularization?: number;
  /** Standard deviation of the normal (mean 0) initialization of p, q and y. @defaultValue 0.05 */
  initStandardDeviation?: number;
  /** Clip predictions to the range of training ratings. @defaultValue true */
  clip?: boolean;
  /** Seed of the initialization and the orders. @defaultValue 0 */
  seed?: Seed;
}

/**
 * A fitted SVD++ model: r̂(u, i) = μ + b_u + b_i + q_iᵀ (p_u + |N(u)|^-½ Σ_{j∈N(u)} y_j), where N(u) is the set of
 * items u rated in training (the seen pattern), clipped to the training rating range when `clip`.
 *
 * @category factorization
 */
export interface SvdPlusPlusModel {
  /** Discriminant of the model family. */
  readonly kind: "svd-plus-plus";
  /** Format version; {@link svdPlusPlusFromJSON} reads version 1. */
  readonly version: 1;
  /** The users seen in training. */
  readonly users: IdIndex;
  /** The items seen in training. */
  readonly items: IdIndex;
  /** Latent factors. */
  readonly factors: number;
  /** μ. */
  readonly globalMean: number;
  /** b_u. */
  readonly userBias: Float64Array;
  /** b_i. */
  readonly itemBias: Float64Array;
  /** p_u, users × factors. */
  readonly userFactors: Float32Array;
  /** q_i, items × factors. */
  readonly itemFactors: Float32Array;
  /** y_j, items × factors: what having rated item j says about a user. */
  readonly implicitFactors: Float32Array;
  /** Clip flag. */
  readonly clip: boolean;
  /** Smallest training rating. */
  readonly ratingMin: number;
  /** Largest training rating. */
  readonly ratingMax: number;
  /** The resolved hyperparameters. */
  readonly hyperparameters: MatrixFactorizationHyperparameters;
  /** `users + 1` offsets into `seenIndices` (also N(u)). */
  readonly seenIndptr: Int32Array;
  /** The item indices each user rated in training, ascending within a user. */
  readonly seenIndices: Int32Array;
}

/**
 * The JSON form of an {@link SvdPlusPlusModel}.
 *
 * @category factorization
 */
export interface SvdPlusPlusModelJSON {
  /** Always `"svd-plus-plus"`. */
  readonly kind: "svd-plus-plus";
  /** The format version, 1. */
  readonly version: 1;
  /** User ids. */
  readonly users: IdIndexJSON;
  /** Item ids. */
  readonly items: IdIndexJSON;
  /** Latent factors. */
  readonly factors: number;
  /** μ. */
  readonly globalMean: number;
  /** b_u. */
  readonly userBias: number[];
  /** b_i. */
  readonly itemBias: number[];
  /** p_u. */
  readonly userFactors: number[];
  /** q_i. */
  readonly itemFactors: number[];
  /** y_j. */
  readonly implicitFactors: number[];
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
}

// Reads factors and epochs first: with several bad options, the first of that order is reported (unlike matrix
// factorization, which reads learningRate first), so the two resolvers stay separate.
function resolveOptions(fn: string, options: SvdPlusPlusOptions): ResolvedSgdOptions {
  checkOptions(fn, options);
  const factors = integerOption(fn, "factors", options.factors, 100, 1, 4096);
  const epochs = integerOption(fn, "epochs", options.epochs, 40, 0, 100000);
  const learningRate = numberOption(fn, "learningRate", options.learningRate, 0.01, 0, true);
  return checkedShrinkage(fn, {
    factors,
    epochs,
    learningRate,
    regularization: numberOption(fn, "regularization", options.regularization, 0.1, 0),
    biasLearningRate: numberOption(fn, "biasLearningRate", options.biasLearningRate, learningRate, 0, true),
    biasRegularization: numberOption(fn, "biasRegularization", options.biasRegularization, 0.02, 0),
    initStandardDeviation: numberOption(fn, "initStandardDeviation", options.initStandardDeviation, 0.05, 0),
    clip: booleanOption(fn, "clip", options.clip, true),
    seed: seedOption(fn, options.seed, 0),
  });
}

/**
 * Fits SVD++ (Koren 2008, "Factorization meets the neighborhood", section 4.1) by stochastic gradient descent on the
 * regularized squared error, as Surprise's `SVDpp`, with one efficiency change that the fast implementations share:
 * instead of recomputing the implicit term z_u = |N(u)|^-½ Σ_{j∈N(u)} y_j and touching every y_j after each rating
 * (O(|N(u)| · f) per rating), each epoch visits the users in a seeded random order and, per user, computes z_u once,
 * runs the updates of b_u, b_i, p_u, q_i over the user's ratings (in a seeded random order) with that z_u while
 * summing the y-gradient Σ e·q_i, then updates every y_j of N(u) once:
 * y_j ← (1 − γλ)^{|R(u)|} y_j + γ |N(u)|^-½ Σ e q_i (the same total step, applied once). An epoch costs
 * O(nnz · f) instead of O(Σ_u |R(u)|² · f).
 *
 * One thread: each SGD update reads the factors the previous one wrote, so splitting the updates over threads would
 * change the model (and its dependence on the seed).
 *
 * Complexity: O(epochs · nnz · factors) time, O((users + 2 · items) · factors + nnz) memory.
 *
 * @param interactions - explicit ratings
 * @param options - factors, epochs, learning rates, regularization, initialization, clipping, seed
 * @returns a new frozen {@link SvdPlusPlusModel}; `interactions` is not changed
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed argument or option, `E_SHAPE`/`E_EMPTY` for
 *   malformed or empty interactions, `E_NON_FINITE` for a non-finite rating or when training diverges
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitSvdPlusPlus } from "nextbest/factorization";
 * const ratings = createInteractions([
 *   { user: "ann", item: "a", value: 5 }, { user: "ann", item: "b", value: 1 }, { user: "bob", item: "a", value: 3 },
 * ]);
 * const model = fitSvdPlusPlus(ratings, { factors: 2, seed: 1 });
 * [model.implicitFactors.length, model.globalMean]; // => [4, 3]
 * ```
 * @category factorization
 */
export function fitSvdPlusPlus(interactions: Interactions, options: SvdPlusPlusOptions = {}): SvdPlusPlusModel {
  const fn = "fitSvdPlusPlus";
  checkInteractions(fn, interactions);
  const o = resolveOptions(fn, options);
  const onProgress = progressOption(fn, options.onProgress);
  const start = startBiasedSgd(fn, interactions, o);
  const { ratings: n, globalMean: mu, random, userFactors: P, itemFactors: Q, userBias: bu, itemBias: bi } = start;
  const { indptr, indices, values, rows: userCount } = interactions.byUser;
  const { factors: f, epochs, learningRate: lr, regularization: reg, biasLearningRate: lrb, biasRegularization: regb } = o;
  const Yf = fillNormal(new Float64Array(interactions.items.ids.length * f), random, { standardDeviation: o.initStandardDeviation });
  const z = new Float64Array(f);
  const acc = new Float64Array(f);
  const userOrder = new Int32Array(userCount);
  for (let u = 0; u < userCount; u++) userOrder[u] = u;
  const positions = new Int32Array(n);
  for (let p = 0; p < n; p++) positions[p] = p;
  const decayStep = 1 - lr * reg;
  for (let epoch = 0; epoch < epochs; epoch++) {
    let squaredErrors = 0;
    shuffleInPlace(userOrder, random);
    for (let t = 0; t < userCount; t++) {
      const u = userOrder[t]!;
      const start = indptr[u]!;
      const end = indptr[u + 1]!;
      const count = end - start;
      if (count === 0) continue;
      shuffleInPlace(positions.subarray(start, end), random);
      const norm = 1 / Math.sqrt(count);
      z.fill(0);
      for (let q = start; q < end; q++) {
        const jo = indices[q]! * f;
        for (let k = 0; k < f; k++) z[k]! += Yf[jo + k]!;
      }
      for (let k = 0; k < f; k++) z[k]! *= norm;
      acc.fill(0);
      const uo = u * f;
      for (let q = start; q < end; q++) {
        const p = positions[q]!;
        const i = indices[p]!;
        const io = i * f;
        let dot = 0;
        for (let k = 0; k < f; k++) dot += Q[io + k]! * (P[uo + k]! + z[k]!);
        const bU = bu[u]!;
        const bI = bi[i]!;
        const err = values[p]! - (mu + bU + bI + dot);
        squaredErrors += err * err;
        bu[u] = bU + lrb * (err - regb * bU);
        bi[i] = bI + lrb * (err - regb * bI);
        const le = lr * err;
        for (let k = 0; k < f; k++) {
          const pu = P[uo + k]!;
          const qi = Q[io + k]!;
          acc[k]! += err * qi;
          P[uo + k] = decayStep * pu + le * qi;
          Q[io + k] = decayStep * qi + le * (pu + z[k]!);
        }
      }
      const decay = Math.pow(decayStep, count);
      const step = lr * norm;
      for (let q = start; q < end; q++) {
        const jo = indices[q]! * f;
        for (let k = 0; k < f; k++) Yf[jo + k] = decay * Yf[jo + k]! + step * acc[k]!;
      }
    }
    if (!Number.isFinite(bu[0]!) || !Number.isFinite(P[0]!)) checkConverged(fn, P, bu, lr);
    onProgress?.({ phase: "epoch", step: epoch + 1, total: epochs, loss: Math.sqrt(squaredErrors / Math.max(1, indptr[userCount]!)) });
  }
  checkConverged(fn, P, Q, Yf, bu, bi, lr);
  return Object.freeze({
    kind: "svd-plus-plus",
    version: 1,
    ...fittedFactorPart(interactions, o, start),
    implicitFactors: Float32Array.from(Yf),
    ...fittedTrainingPart(interactions, o, start),
  });
}

function checkSvdPlusPlus(fn: string, model: SvdPlusPlusModel): void {
  checkBiasedFactorModel(fn, model, "svd-plus-plus", { implicitFactors: model.implicitFactors });
}

/**
 * The {@link Recommender} adapter of an SVD++ model: scores are predicted ratings (clipped when the model says so),
 * `predict(user, item)` gives one pair. Unknown users get the baseline μ + b_i, source `"baseline"`.
 *
 * Cheap to build: O(1) checks. The effective user vectors p_u + |N(u)|^-½ Σ y_j are computed on the first score
 * request, O(nnz · factors), and reused. `scoreUser` then costs O(items · factors), `predict` O(factors); the first
 * `scoreUser` also copies the item factors into WebAssembly memory where the runtime has the SIMD kernels (the same
 * scores, bit for bit, about three times faster).
 *
 * @param model - a fitted or deserialized SVD++ model
 * @returns a recommender
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 SVD++ model or its tables disagree
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitSvdPlusPlus, svdPlusPlusRecommender } from "nextbest/factorization";
 * const ratings = createInteractions([
 *   { user: "ann", item: "a", value: 5 }, { user: "ann", item: "b", value: 1 }, { user: "bob", item: "a", value: 5 },
 * ]);
 * const svdpp = svdPlusPlusRecommender(fitSvdPlusPlus(ratings, { epochs: 100, seed: 1 }));
 * svdpp.predict!(1, 0) > svdpp.predict!(1, 1); // => true
 * ```
 * @category factorization
 */
export function svdPlusPlusRecommender(model: SvdPlusPlusModel): Recommender {
  const fn = "svdPlusPlusRecommender";
  checkSvdPlusPlus(fn, model);
  const { users, items, userFactors, itemFactors, implicitFactors, userBias, itemBias, seenIndptr, seenIndices, globalMean, factors: f } = model;
  const userCount = users.ids.length;
  const itemCount = items.ids.length;
  const lo = model.clip ? model.ratingMin : Number.NEGATIVE_INFINITY;
  const hi = model.clip ? model.ratingMax : Number.POSITIVE_INFINITY;
  let effective: Float64Array | undefined;
  const effectiveUsers = (): Float64Array => {
    if (effective !== undefined) return effective;
    const table = new Float64Array(userCount * f);
    for (let u = 0; u < userCount; u++) {
      const start = seenIndptr[u]!;
      const end = seenIndptr[u + 1]!;
      const uo = u * f;
      for (let q = start; q < end; q++) {
        const jo = seenIndices[q]! * f;
        for (let k = 0; k < f; k++) table[uo + k]! += implicitFactors[jo + k]!;
      }
      const norm = end > start ? 1 / Math.sqrt(end - start) : 0;
      for (let k = 0; k < f; k++) table[uo + k] = userFactors[uo + k]! + norm * table[uo + k]!;
    }
    effective = table;
    return table;
  };
  return biasedFactorRecommender(fn, "svd-plus-plus", model, (user, out) => {
    const table = effectiveUsers();
    for (let k = 0; k < f; k++) out[k] = table[user * f + k]!;
  });
}

/**
 * The JSON form of an SVD++ model, ready for `JSON.stringify`.
 *
 * Complexity: O((users + items) · factors + nnz).
 *
 * @param model - the model
 * @returns a new plain object
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 SVD++ model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitSvdPlusPlus, svdPlusPlusToJSON } from "nextbest/factorization";
 * const json = svdPlusPlusToJSON(fitSvdPlusPlus(createInteractions([{ user: "ann", item: "a", value: 4 }]), { factors: 3 }));
 * [json.kind, json.implicitFactors.length]; // => ["svd-plus-plus", 3]
 * ```
 * @category factorization
 */
export function svdPlusPlusToJSON(model: SvdPlusPlusModel): SvdPlusPlusModelJSON {
  checkSvdPlusPlus("svdPlusPlusToJSON", model);
  return {
    kind: "svd-plus-plus",
    version: 1,
    ...factorPartToJSON(model),
    implicitFactors: typedArrayToJSON(model.implicitFactors),
    ...trainingPartToJSON(model),
  };
}

/**
 * Rebuilds an SVD++ model from its JSON form, validating every field.
 *
 * Complexity: O((users + items) · factors + nnz).
 *
 * @param json - the parsed JSON of {@link svdPlusPlusToJSON}
 * @returns a new frozen {@link SvdPlusPlusModel} that predicts exactly as the one serialized
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitSvdPlusPlus, svdPlusPlusFromJSON, svdPlusPlusToJSON } from "nextbest/factorization";
 * const model = fitSvdPlusPlus(createInteractions([{ user: "ann", item: "a", value: 4 }]), { factors: 3 });
 * svdPlusPlusFromJSON(JSON.parse(JSON.stringify(svdPlusPlusToJSON(model)))).factors; // => 3
 * svdPlusPlusFromJSON({ ...svdPlusPlusToJSON(model), ratingMax: 1 });
 * // throws NextbestError E_BAD_MODEL: "svdPlusPlusFromJSON: json.ratingMax must be >= json.ratingMin = 4, got 1"
 * ```
 * @category factorization
 */
export function svdPlusPlusFromJSON(json: unknown): SvdPlusPlusModel {
  const fn = "svdPlusPlusFromJSON";
  const record = readModelEnvelope(fn, json, "svd-plus-plus", [1]);
  const header = biasedModelHeaderFromJSON(fn, record);
  return Object.freeze({
    kind: "svd-plus-plus",
    version: 1,
    ...factorPartFromJSON(fn, record, header),
    implicitFactors: float32TableFromJSON(fn, "json.implicitFactors", record["implicitFactors"], header.items.ids.length, header.factors, "items × factors"),
    ...trainingPart(header, sgdHyperparametersFromJSON(fn, record["hyperparameters"])),
  });
}
