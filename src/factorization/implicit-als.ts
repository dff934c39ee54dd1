/**
 * Implicit-feedback alternating least squares (Hu, Koren & Volinsky 2008) with the conjugate-gradient solver of
 * Takács, Pilászy & Tikk (2011), and the fold-in of new users.
 *
 * @module
 */
import { progressOption, type ProgressCallback } from "../core/progress.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, type Id, type IdIndex, type IdIndexJSON } from "../core/id-index.ts";
import { createRandom, fillNormalPolar, type Seed } from "../core/random.ts";
import type { Interactions } from "../data/types.ts";
import { transformValues } from "../data/transform.ts";
import {
  badModel,
  compressedRowsFromJSON,
  idIndexFieldFromJSON,
  idIndexFieldToJSON,
  readModelEnvelope,
  typedArrayToJSON,
} from "../internal/serialize.ts";
import type { ItemHistory, Recommender, ScoreUsersOptions } from "../recommend/types.ts";
import { checkFittedFinite, checkHistoryValues, checkModelHeader, checkScoreUsers, historyValue, popularityFallback } from "../recommend/contract.ts";
import { prepareGemvF32, type PreparedGemvF32 } from "../linalg/kernels.ts";
import { gemvManyF32 } from "../linalg/gemv-many.ts";
import { tuningFromJSON, tuningToJSON, type FactorizationTuning } from "./tuning.ts";
import { conjugateGradientAls, conjugateGradientAlsWasm, createAlsScratch, gramOf, solveRowCholesky, solveRowConjugateGradient } from "./als-kernels.ts";
import { kernelOption, type KernelChoice } from "../linalg/wasm/simd.ts";
import { availableThreads } from "../linalg/wasm/threads.ts";
import {
  checkFactorTable,
  checkFiniteValues,
  checkInteractions,
  checkOptions,
  checkScoreBuffer,
  checkUserIndex,
  copySeen,
  finiteFromJSON,
  float32TableFromJSON,
  integerOption,
  numberOption,
  positiveIntegerFromJSON,
  rowDot,
  seedOption,
} from "./internal.ts";

/**
 * How {@link fitImplicitAls} solves each user's and item's least-squares system.
 * - `"conjugate-gradient"`: a few conjugate-gradient steps warm-started at the previous factors (Takács et al. 2011);
 *   O(steps · (f² + n·f)) per row for a row with n interactions. The default, as in implicit.
 * - `"cholesky"`: the exact solve of Hu et al. (2008); O(n·f² + f³) per row.
 *
 * @category factorization
 */
export type ImplicitAlsSolver = "conjugate-gradient" | "cholesky";

const SOLVERS: readonly ImplicitAlsSolver[] = ["conjugate-gradient", "cholesky"];

/**
 * Options of {@link fitImplicitAls}. To choose `factors` and `regularization` on a validation split instead of the
 * defaults, call {@link tuneImplicitAls} with these same options.
 *
 * @category factorization
 */
export interface ImplicitAlsOptions {
  /** Called after each alternating iteration (`phase` `"iteration"`). @defaultValue none */
  onProgress?: ProgressCallback;
  /** Latent factors per user and item. @defaultValue 64 */
  factors?: number;
  /** Alternating iterations (each solves every user, then every item). @defaultValue 15 */
  iterations?: number;
  /** Confidence slope α: an interaction of value r has confidence c = 1 + α·r (Hu et al. 2008, eq. 6). @defaultValue 1 */
  alpha?: number;
  /**
   * The ridge λ added to every row's system. By default it adapts to the data: λ = 0.25 · nnz / users, the mean
   * number of interactions per user times 0.25 (0.25 · 85 ≈ 21 on MovieLens 100K). A fixed small λ such as
   * implicit's 0.01 lets users with two or three interactions fit noise and fall far below popularity; scaling λ with
   * the amount of data per user keeps the factors shrunk where histories are short.
   * @defaultValue 0.25 · (interactions / users)
   */
  regularization?: number;
  /** The per-row solver, see {@link ImplicitAlsSolver}. @defaultValue "conjugate-gradient" */
  solver?: ImplicitAlsSolver;
  /**
   * Conjugate-gradient steps per row and half-iteration. Two warm-started steps give the same NDCG@10 as three on
   * MovieLens 100K (0.45) at about 80% of the time (implicit uses three).
   * @defaultValue 2
   */
  conjugateGradientSteps?: number;
  /**
   * Standard deviation of the normal (mean 0) initialization of both factor tables, drawn by Marsaglia's polar method
   * (users' table first, then items'). @defaultValue 0.01
   */
  initStandardDeviation?: number;
  /** Seed of the initialization. @defaultValue 0 */
  seed?: Seed;
  /**
   * How interaction values enter the confidence c = 1 + α·value: `"raw"`, `"binary"` (1 per pair) or `"log1p"`
   * (log(1 + value)). `"auto"` keeps the values when they are all equal (plain 0/1 purchase data: nothing to
   * transform) and takes `"log1p"` otherwise, so a few huge counts, quantities or spends do not drown everything else.
   * Chosen on the Online Retail II validation cut (train before 2010-06-01, validate June–August 2010), where log1p
   * was level with binary on new products (NDCG@10 0.1408 vs 0.1405) and above it on all products (0.3753 vs 0.3689);
   * raw counts were 0.1401 / 0.3776. The model records the transform it used, and {@link foldInUser} applies it.
   * @defaultValue "auto"
   */
  values?: AlsValueTransform | "auto";
  /**
   * The kernels of the conjugate-gradient solver: WebAssembly SIMD in float32 (as `implicit`'s CPU solver) or
   * JavaScript with float64 sums; see {@link linalg!KernelChoice}. `"auto"` takes WebAssembly where the runtime has
   * it and the confidences fit float32 comfortably (α·value < 1e30). The Cholesky solver always runs in JavaScript.
   * @defaultValue "auto"
   */
  kernels?: KernelChoice;
  /**
   * Threads of the WebAssembly conjugate-gradient solver (Node's worker threads over one shared WebAssembly memory):
   * each half-iteration's rows are split among them. Rows are solved independently, so the model is the same for
   * every thread count. Fits with fewer than 50,000 interactions run on one thread; the workers start once per process
   * (about 60 ms each) and stay, idle, for later fits. Where threads are unavailable (browsers, runtimes without
   * SharedArrayBuffer) the fit runs on one.
   * @defaultValue the available cores in Node, 1 elsewhere
   */
  threads?: number;
}

/**
 * How an {@link ImplicitAlsModel} turned interaction values into confidence inputs, see {@link ImplicitAlsOptions.values}.
 *
 * @category factorization
 */
export type AlsValueTransform = "raw" | "binary" | "log1p";

const ALS_VALUE_TRANSFORMS: readonly AlsValueTransform[] = ["raw", "binary", "log1p"];

/** The value transform `"auto"` resolves to for these interactions (raw when every value is the same). @internal */
export function resolveAutoValues(interactions: Interactions): "raw" | "varied" {
  const { values, indptr, rows } = interactions.byUser;
  const nnz = indptr[rows]!;
  for (let p = 1; p < nnz; p++) if (values[p] !== values[0]) return "varied";
  return "raw";
}

// One value as the model's transform sees it.
/**
 * The resolved hyperparameters of an {@link ImplicitAlsModel} fit.
 *
 * @category factorization
 */
export interface ImplicitAlsHyperparameters {
  /** Alternating iterations. */
  readonly iterations: number;
  /** The solver. */
  readonly solver: ImplicitAlsSolver;
  /** Conjugate-gradient steps per row. */
  readonly conjugateGradientSteps: number;
  /** Initialization standard deviation. */
  readonly initStandardDeviation: number;
  /** The seed. */
  readonly seed: Seed;
  /** The value transform applied before fitting (and by {@link foldInUser}). */
  readonly values: AlsValueTransform;
}

/**
 * A fitted implicit ALS model: the score of item i for user u is x_uᵀ y_i (a preference, not a rating).
 * Plain, versioned data; serialize with {@link implicitAlsToJSON}, or exchange factor tables with Spark through
 * {@link alsToSparkJsonLines} / {@link alsFromSparkJsonLines}.
 *
 * @category factorization
 */
export interface ImplicitAlsModel {
  /** Discriminant of the model family. */
  readonly kind: "implicit-als";
  /** Format version; {@link implicitAlsFromJSON} reads version 1. */
  readonly version: 1;
  /** The users of the training data. */
  readonly users: IdIndex;
  /** The items of the training data. */
  readonly items: IdIndex;
  /** Latent factors. */
  readonly factors: number;
  /** The confidence slope α. */
  readonly alpha: number;
  /** The ridge λ actually used (the resolved default when none was given); {@link foldInUser} uses it too. */
  readonly regularization: number;
  /** x_u, users × factors, row-major. */
  readonly userFactors: Float32Array;
  /** y_i, items × factors, row-major. */
  readonly itemFactors: Float32Array;
  /** The resolved hyperparameters. */
  readonly hyperparameters: ImplicitAlsHyperparameters;
  /** `users + 1` offsets into `seenIndices`. */
  readonly seenIndptr: Int32Array;
  /** The item indices each user interacted with in training, ascending within a user. */
  readonly seenIndices: Int32Array;
  /** How `factors` and `regularization` were chosen, when the model comes from {@link tuneImplicitAls}. */
  readonly tuning?: FactorizationTuning;
}

/**
 * The JSON form of an {@link ImplicitAlsModel}.
 *
 * @category factorization
 */
export interface ImplicitAlsModelJSON {
  /** Always `"implicit-als"`. */
  readonly kind: "implicit-als";
  /** The format version, 1. */
  readonly version: 1;
  /** User ids in index order. */
  readonly users: IdIndexJSON;
  /** Item ids in index order. */
  readonly items: IdIndexJSON;
  /** Latent factors. */
  readonly factors: number;
  /** α. */
  readonly alpha: number;
  /** λ. */
  readonly regularization: number;
  /** x_u, row-major. */
  readonly userFactors: number[];
  /** y_i, row-major. */
  readonly itemFactors: number[];
  /** Hyperparameters. */
  readonly hyperparameters: ImplicitAlsHyperparameters;
  /** `users + 1` offsets. */
  readonly seenIndptr: number[];
  /** Seen item indices. */
  readonly seenIndices: number[];
  /** The tuning record of a tuned model (absent otherwise; version-1 files without it stay readable). */
  readonly tuning?: FactorizationTuning;
}

/** The factor of the default ridge: λ = DEFAULT_REGULARIZATION_SCALE · nnz / users. @internal */
export const DEFAULT_REGULARIZATION_SCALE = 0.25;

/**
 * Fits implicit-feedback ALS (Hu, Koren & Volinsky 2008, "Collaborative filtering for implicit feedback datasets"):
 * minimizes Σ_u Σ_i c_ui (p_ui − x_uᵀ y_i)² + λ (Σ‖x_u‖² + Σ‖y_i‖²) over *all* user–item pairs, where p_ui is 1 for
 * an observed interaction and 0 otherwise and c_ui = 1 + α·value (1 for unobserved pairs). Each iteration solves every
 * user's factors with the items fixed, then every item's with the users fixed, using YᵀY computed once per
 * half-iteration so a row costs only its own interactions.
 *
 * The default solver runs 2 conjugate-gradient steps per row warm-started at the previous factors (Takács, Pilászy &
 * Tikk 2011, "Applications of the conjugate gradient method for implicit feedback collaborative filtering"; the
 * `implicit` library runs 3, which `conjugateGradientSteps: 3` reproduces); `solver: "cholesky"` solves exactly. Interaction values must be >= 0 (counts, spend, or 1).
 *
 * Complexity: O(iterations · (nnz · f · steps + (users + items) · f² · steps)) with conjugate gradient;
 * O((users + items) · f) memory beyond the data.
 *
 * @param interactions - implicit interactions (values are strengths >= 0; 1 when the rows had no value)
 * @param options - factors, iterations, α, λ, solver, initialization, seed
 * @returns a new frozen {@link ImplicitAlsModel}; `interactions` is not changed
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed argument or option or a negative value,
 *   `E_SHAPE`/`E_EMPTY` for malformed or empty interactions, `E_NON_FINITE` naming a non-finite value
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitImplicitAls } from "nextbest/factorization";
 * const purchases = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "acme", item: "erp" },
 *   { user: "globex", item: "crm" }, { user: "globex", item: "erp" }, { user: "initech", item: "hr" },
 * ]);
 * const model = fitImplicitAls(purchases, { factors: 2, iterations: 10, regularization: 0.1 });
 * [model.userFactors.length, model.itemFactors.length]; // => [6, 6]
 * model.regularization; // => 0.1
 * fitImplicitAls(purchases).regularization; // => 0.25 * 5 / 3
 * ```
 * @category factorization
 */
export function fitImplicitAls(interactions: Interactions, options: ImplicitAlsOptions = {}): ImplicitAlsModel {
  const fn = "fitImplicitAls";
  checkInteractions(fn, interactions);
  checkOptions(fn, options);
  const f = integerOption(fn, "factors", options.factors, 64, 1, 4096);
  const iterations = integerOption(fn, "iterations", options.iterations, 15, 0, 100000);
  const alpha = numberOption(fn, "alpha", options.alpha, 1, 0);
  const solver = options.solver ?? "conjugate-gradient";
  if (!SOLVERS.includes(solver)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.solver must be "conjugate-gradient" or "cholesky", got ${describeValue(solver)}`);
  }
  const steps = integerOption(fn, "conjugateGradientSteps", options.conjugateGradientSteps, 2, 1, 10000);
  const initStandardDeviation = numberOption(fn, "initStandardDeviation", options.initStandardDeviation, 0.01, 0);
  const seed = seedOption(fn, options.seed, 0);
  const onProgress = progressOption(fn, options.onProgress);
  const kernels = kernelOption(fn, options.kernels);
  const threads = integerOption(fn, "threads", options.threads, availableThreads(), 1, 256);
  const requested = options.values ?? "auto";
  if (requested !== "auto" && !(ALS_VALUE_TRANSFORMS as readonly unknown[]).includes(requested)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.values must be one of "auto", "raw", "binary", "log1p", got ${describeValue(requested)}`);
  }
  checkFiniteValues(fn, interactions);
  for (let p = 0; p < interactions.byUser.indptr[interactions.byUser.rows]!; p++) {
    if (interactions.byUser.values[p]! < 0) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: interactions values must be >= 0 (confidence 1 + alpha·value), got ${describeValue(interactions.byUser.values[p])}`);
    }
  }
  const values: AlsValueTransform = requested === "auto" ? (resolveAutoValues(interactions) === "raw" ? "raw" : "log1p") : requested;
  const input = values === "raw" ? interactions : transformValues(interactions, values);
  const byUser = input.byUser;
  const byItem = input.byItem;
  const userCount = byUser.rows;
  const itemCount = byItem.rows;
  const nnz = byUser.indptr[userCount]!;
  const regularization = numberOption(fn, "regularization", options.regularization, (DEFAULT_REGULARIZATION_SCALE * nnz) / userCount, 0);
  const random = createRandom(seed);
  const X = fillNormalPolar(new Float64Array(userCount * f), random, initStandardDeviation);
  const Y = fillNormalPolar(new Float64Array(itemCount * f), random, initStandardDeviation);
  if (solver === "conjugate-gradient") {
    const afterIteration = (step: number): void => onProgress?.({ phase: "iteration", step, total: iterations });
    let largest = 0;
    for (let q = 0; q < nnz; q++) if (byUser.values[q]! > largest) largest = byUser.values[q]!;
    if (kernels === "webassembly" && !(alpha * largest < FLOAT32_SAFE)) {
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: options.kernels "webassembly" computes in float32, but the largest confidence alpha × value is ${describeValue(alpha * largest)} (>= 1e30); scale the values down or use kernels "javascript"`,
      );
    }
    const problem = { X, Y, f, byUser, byItem, alpha, regularization, iterations, steps, afterIteration };
    const wasm = kernels !== "javascript" && alpha * largest < FLOAT32_SAFE && conjugateGradientAlsWasm(problem, nnz >= THREADED_MIN_INTERACTIONS ? threads : 1);
    if (!wasm) conjugateGradientAls(problem);
  } else {
    const scratch = createAlsScratch(f);
    for (let iteration = 0; iteration < iterations; iteration++) {
      choleskyHalfIteration(X, userCount, Y, itemCount, f, byUser.indptr, byUser.indices, byUser.values, alpha, regularization, scratch);
      choleskyHalfIteration(Y, itemCount, X, userCount, f, byItem.indptr, byItem.indices, byItem.values, alpha, regularization, scratch);
      onProgress?.({ phase: "iteration", step: iteration + 1, total: iterations });
    }
  }
  // Confidences 1 + alpha·value near 1e308 overflow the normal equations; Float32 tables hold at most ~3.4e38.
  const hint = `the confidences 1 + alpha × value are too large (values ${values === "raw" ? "used raw" : `after ${values}`}); scale the values down or use options.values "log1p"`;
  checkFittedFinite(fn, "the user factors", X, hint, FLOAT32_MAX);
  checkFittedFinite(fn, "the item factors", Y, hint, FLOAT32_MAX);
  return Object.freeze({
    kind: "implicit-als",
    version: 1,
    users: interactions.users,
    items: interactions.items,
    factors: f,
    alpha,
    regularization,
    userFactors: Float32Array.from(X),
    itemFactors: Float32Array.from(Y),
    hyperparameters: Object.freeze({ iterations, solver, conjugateGradientSteps: steps, initStandardDeviation, seed, values }),
    ...copySeen(interactions),
  });
}

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** Fits with fewer interactions run on one thread: starting workers (tens of milliseconds) would cost more. */
const THREADED_MIN_INTERACTIONS = 50_000;

/** Confidences below this leave float32 arithmetic far from overflow (products of a few of them stay finite). */
const FLOAT32_SAFE = 1e30;

/** One exact half-iteration: every row of X solved by Cholesky against Y (conjugate gradient if A is not SPD). */
function choleskyHalfIteration(
  X: Float64Array,
  rows: number,
  Y: Float64Array,
  otherRows: number,
  f: number,
  indptr: Int32Array,
  indices: Int32Array,
  values: Float64Array,
  alpha: number,
  regularization: number,
  scratch: ReturnType<typeof createAlsScratch>,
): void {
  const gram = scratch.gram;
  gramOf(Y, otherRows, f, gram);
  for (let k = 0; k < f; k++) gram[k * f + k]! += regularization;
  for (let row = 0; row < rows; row++) {
    const start = indptr[row]!;
    const end = indptr[row + 1]!;
    if (!solveRowCholesky(X, row, Y, f, start, end, indices, values, alpha, scratch)) {
      solveRowConjugateGradient(X, row, Y, f, start, end, indices, values, alpha, f, scratch);
    }
  }
}

function checkImplicitAls(fn: string, model: ImplicitAlsModel): void {
  checkModelHeader(fn, model, "implicit-als", 1);
  const f = model.factors;
  if (typeof f !== "number" || !Number.isInteger(f) || f < 1) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.factors must be a positive integer, got ${describeValue(f)}`);
  }
  checkFactorTable(fn, "userFactors", model.userFactors, model.users.ids.length, f, "users × factors");
  checkFactorTable(fn, "itemFactors", model.itemFactors, model.items.ids.length, f, "items × factors");
}

/**
 * The {@link Recommender} adapter of an implicit ALS model: scores are x_uᵀ y_i (higher is better; a preference on
 * roughly the 0–1 scale of p_ui, not a rating), `predict(user, item)` gives one pair's score. Unknown users get
 * popularity (distinct training users per item) as fallback, source `"popularity"`; to score a new user from their
 * interactions instead, use {@link foldInUser}.
 *
 * Cheap: O(1) checks, no copying. `scoreUser` costs O(items · factors); the first call copies the item factors into
 * WebAssembly memory where the runtime has the SIMD kernels (the same float32 values, as much memory again), after
 * which each call runs about three times faster with the same scores, bit for bit.
 *
 * @param model - a fitted, deserialized or Spark-imported model
 * @returns a recommender for `recommend`, `recommendMany`, evaluation and hybrids
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 implicit ALS model or its tables
 *   disagree with its ids
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitImplicitAls, implicitAlsRecommender } from "nextbest/factorization";
 * import { recommend } from "nextbest/recommend";
 * const purchases = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "acme", item: "erp" }, { user: "globex", item: "crm" },
 *   { user: "globex", item: "erp" }, { user: "initech", item: "crm" }, { user: "hooli", item: "hr" },
 * ]);
 * const als = implicitAlsRecommender(fitImplicitAls(purchases, { factors: 2, regularization: 0.01, seed: 1 }));
 * recommend(als, "initech", { k: 1 }).items[0]!.item; // => "erp"
 * recommend(als, "newco", { k: 1 }).fallback; // => { reason: "unknown-user", source: "popularity" }
 * ```
 * @category factorization
 */
export function implicitAlsRecommender(model: ImplicitAlsModel): Recommender {
  const fn = "implicitAlsRecommender";
  checkImplicitAls(fn, model);
  const base = factorRecommender(fn, "implicit-als", model, model.userFactors, model.itemFactors, model.factors);
  const itemCount = model.items.ids.length;
  const Y = Float64Array.from(model.itemFactors);
  return Object.freeze({
    ...base,
    // A new account: fold it in (one ridge solve against the item factors, as foldInUser), then score x·yᵢ.
    scoreHistory(history: ItemHistory, out: Float64Array): void {
      checkScoreBuffer(`${fn}.scoreHistory`, out, itemCount);
      checkHistoryValues(`${fn}.scoreHistory`, history, model.items);
      const x = foldInIndices(model, Y, history.items, history.values);
      for (let i = 0; i < itemCount; i++) {
        let s = 0;
        for (let k = 0; k < model.factors; k++) s += x[k]! * Y[i * model.factors + k]!;
        out[i] = s;
      }
    },
  });
}

/** The adapter shared by the implicit factor models (scores x_uᵀ y_i, popularity fallback). @internal */
export function factorRecommender(
  fn: string,
  name: string,
  model: { users: IdIndex; items: IdIndex; seenIndptr: Int32Array; seenIndices: Int32Array },
  userFactors: Float32Array,
  itemFactors: Float32Array,
  f: number,
  itemBias?: Float64Array,
): Recommender {
  const { users, items, seenIndptr, seenIndices } = model;
  const userCount = users.ids.length;
  const itemCount = items.ids.length;
  const userVector = new Float64Array(f);
  // The item table goes into WebAssembly memory at the first scoreUser (the same scores, bit for bit, faster).
  let prepared: PreparedGemvF32 | undefined;
  return Object.freeze({
    name,
    users,
    items,
    scoreUser(user: number, out: Float64Array): void {
      checkUserIndex(`${fn}.scoreUser`, user, userCount);
      checkScoreBuffer(`${fn}.scoreUser`, out, itemCount);
      for (let k = 0; k < f; k++) userVector[k] = userFactors[user * f + k]!;
      prepared ??= prepareGemvF32(itemFactors, itemCount, f);
      prepared.gemv(userVector, out);
      if (itemBias !== undefined) for (let i = 0; i < itemCount; i++) out[i]! += itemBias[i]!;
    },
    scoreUsers(userIndices: Int32Array, out: Float64Array, options?: ScoreUsersOptions): void {
      const threads = checkScoreUsers(`${fn}.scoreUsers`, userIndices, out, userCount, itemCount, options) ?? availableThreads();
      const count = userIndices.length;
      const vectors = new Float64Array(count * f);
      for (let c = 0; c < count; c++) {
        const from = userIndices[c]! * f;
        for (let k = 0; k < f; k++) vectors[c * f + k] = userFactors[from + k]!;
      }
      prepared ??= prepareGemvF32(itemFactors, itemCount, f);
      gemvManyF32(itemFactors, itemCount, f, prepared, vectors, count, out, threads);
      if (itemBias !== undefined) {
        for (let c = 0; c < count; c++) for (let i = 0; i < itemCount; i++) out[c * itemCount + i]! += itemBias[i]!;
      }
    },
    predict(user: number, item: number): number {
      checkUserIndex(`${fn}.predict`, user, userCount);
      if (typeof item !== "number" || !Number.isInteger(item) || item < 0 || item >= itemCount) {
        throw new NextbestError("E_BAD_INPUT", `${fn}.predict: item must be an item index in [0, ${itemCount}), got ${describeValue(item)}`);
      }
      const s = rowDot(userFactors, user * f, itemFactors, item * f, f);
      return itemBias === undefined ? s : s + itemBias[item]!;
    },
    seenItems(user: number): ArrayLike<number> {
      checkUserIndex(`${fn}.seenItems`, user, userCount);
      return seenIndices.subarray(seenIndptr[user]!, seenIndptr[user + 1]!);
    },
    fallback: popularityFallback(items, seenIndices),
  });
}

/**
 * One interaction of a new user for {@link foldInUser}: an item id and its strength.
 *
 * @category factorization
 */
export interface FoldInInteraction {
  /** The item id (items the model does not know are ignored, unless `strict`). */
  readonly item: Id;
  /** The interaction strength (>= 0), as in training. @defaultValue 1 */
  readonly value?: number;
}

/** Options of {@link foldInUser}. @category factorization */
export interface FoldInUserOptions {
  /** Throw `E_UNKNOWN_ID` for an item the model does not know instead of ignoring it. @defaultValue false */
  strict?: boolean;
}

/**
 * The factors of a user the model has not seen, from their interactions, without retraining: the exact solution of
 * that user's ALS least-squares problem with the item factors fixed, x = (YᵀY + λI + Yᵀ(C − I)Y)⁻¹ YᵀC p
 * (Hu, Koren & Volinsky 2008, section 4; the same closed form as one ALS user step, solved by Cholesky). For a
 * training user after convergence it reproduces that user's fitted factors. Repeated items have their values summed.
 *
 * Score the result against the items with `scoreAgainstFactors(x, { rows: items, cols: factors, data: model.itemFactors })`
 * from `nextbest/linalg`.
 *
 * Complexity: O(items · f² + n · f² + f³) for n interactions (YᵀY is recomputed per call).
 *
 * @param model - an implicit ALS model
 * @param interactions - the new user's interactions
 * @param options - strictness about unknown items
 * @returns the user's factors (length `model.factors`); all zeros when no interaction names a known item
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a malformed model; `E_BAD_INPUT` for a malformed interaction
 *   or a negative value; `E_NON_FINITE` for a non-finite value; `E_UNKNOWN_ID` for an unknown item when `strict`
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitImplicitAls, foldInUser } from "nextbest/factorization";
 * import { scoreAgainstFactors, topK } from "nextbest/linalg";
 * const purchases = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "acme", item: "erp" }, { user: "globex", item: "crm" },
 *   { user: "globex", item: "erp" }, { user: "hooli", item: "hr" }, { user: "hooli", item: "payroll" },
 * ]);
 * const model = fitImplicitAls(purchases, { factors: 2, regularization: 0.01, seed: 1 });
 * const x = foldInUser(model, [{ item: "crm" }]);
 * const scores = scoreAgainstFactors(x, { rows: 4, cols: 2, data: model.itemFactors });
 * model.items.ids[topK(scores, { k: 2 })[1]!]; // => "erp"
 * ```
 * @category factorization
 */
export function foldInUser(model: ImplicitAlsModel, interactions: Iterable<FoldInInteraction>, options: FoldInUserOptions = {}): Float64Array {
  const fn = "foldInUser";
  checkImplicitAls(fn, model);
  checkOptions(fn, options);
  const strict = options.strict ?? false;
  if (typeof strict !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: options.strict must be a boolean, got ${describeValue(strict)}`);
  if (interactions === null || typeof interactions !== "object" || typeof (interactions as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: interactions must be an iterable of { item, value? }, got ${describeValue(interactions)}`);
  }
  const f = model.factors;
  const summed = new Map<number, number>();
  let position = 0;
  for (const entry of interactions) {
    if (typeof entry !== "object" || entry === null) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: interactions[${position}] must be an object { item, value? }, got ${describeValue(entry)}`);
    }
    checkId(fn, `interactions[${position}].item`, entry.item);
    const value = entry.value ?? 1;
    if (typeof value !== "number") throw new NextbestError("E_BAD_INPUT", `${fn}: interactions[${position}].value must be a number, got ${describeValue(value)}`);
    if (!Number.isFinite(value)) throw new NextbestError("E_NON_FINITE", `${fn}: interactions[${position}].value must be finite, got ${describeValue(value)}`);
    if (value < 0) throw new NextbestError("E_BAD_INPUT", `${fn}: interactions[${position}].value must be >= 0, got ${describeValue(value)}`);
    const index = model.items.lookup.get(entry.item);
    if (index === undefined) {
      if (strict) throw new NextbestError("E_UNKNOWN_ID", `${fn}: interactions[${position}].item must be an item the model knows (strict), got ${describeValue(entry.item)}`);
    } else {
      summed.set(index, (summed.get(index) ?? 0) + value);
    }
    position++;
  }
  const order = [...summed.keys()].sort((a, b) => a - b);
  return foldInIndices(model, Float64Array.from(model.itemFactors), Int32Array.from(order), Float64Array.from(order, (i) => summed.get(i)!));
}

/** The folded-in user vector for item indices (ascending) with raw summed values; `Y` the item factors as float64. */
function foldInIndices(model: ImplicitAlsModel, Y: Float64Array, indices: Int32Array, rawValues: Float64Array): Float64Array {
  const f = model.factors;
  const x = new Float64Array(f);
  if (indices.length === 0) return x;
  const transform = model.hyperparameters.values ?? "raw";
  const values = rawValues.map((value) => historyValue(transform, value));
  const itemCount = model.items.ids.length;
  const scratch = createAlsScratch(f);
  gramOf(Y, itemCount, f, scratch.gram);
  for (let k = 0; k < f; k++) scratch.gram[k * f + k]! += model.regularization;
  if (!solveRowCholesky(x, 0, Y, f, 0, indices.length, indices, values, model.alpha, scratch)) {
    solveRowConjugateGradient(x, 0, Y, f, 0, indices.length, indices, values, model.alpha, 2 * f, scratch);
  }
  return x;
}

/**
 * The JSON form of an implicit ALS model, ready for `JSON.stringify`.
 *
 * Complexity: O((users + items) · factors + nnz).
 *
 * @param model - the model
 * @returns a new plain object; the model is not changed
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 implicit ALS model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitImplicitAls, implicitAlsToJSON } from "nextbest/factorization";
 * const model = fitImplicitAls(createInteractions([{ user: "acme", item: "crm" }]), { factors: 4 });
 * const json = implicitAlsToJSON(model);
 * [json.kind, json.userFactors.length, json.hyperparameters.solver]; // => ["implicit-als", 4, "conjugate-gradient"]
 * ```
 * @category factorization
 */
export function implicitAlsToJSON(model: ImplicitAlsModel): ImplicitAlsModelJSON {
  checkImplicitAls("implicitAlsToJSON", model);
  return {
    kind: "implicit-als",
    version: 1,
    users: idIndexFieldToJSON(model.users),
    items: idIndexFieldToJSON(model.items),
    factors: model.factors,
    alpha: model.alpha,
    regularization: model.regularization,
    userFactors: typedArrayToJSON(model.userFactors),
    itemFactors: typedArrayToJSON(model.itemFactors),
    hyperparameters: { ...model.hyperparameters },
    seenIndptr: typedArrayToJSON(model.seenIndptr),
    seenIndices: typedArrayToJSON(model.seenIndices),
    ...(model.tuning === undefined ? {} : { tuning: tuningToJSON(model.tuning) }),
  };
}

/** Reads the ALS hyperparameters record. @internal */
export function alsHyperparametersFromJSON(fn: string, value: unknown): ImplicitAlsHyperparameters {
  if (typeof value !== "object" || value === null || Array.isArray(value)) badModel(fn, "json.hyperparameters", "be an object", value);
  const h = value as Record<string, unknown>;
  const solver = h["solver"];
  if (typeof solver !== "string" || !(SOLVERS as readonly string[]).includes(solver)) {
    badModel(fn, "json.hyperparameters.solver", 'be "conjugate-gradient" or "cholesky"', solver);
  }
  const iterations = h["iterations"];
  if (typeof iterations !== "number" || !Number.isInteger(iterations) || iterations < 0) badModel(fn, "json.hyperparameters.iterations", "be an integer >= 0", iterations);
  const seed = h["seed"];
  if (!(typeof seed === "string" || (typeof seed === "number" && Number.isFinite(seed)))) badModel(fn, "json.hyperparameters.seed", "be a string or a finite number", seed);
  return Object.freeze({
    iterations,
    solver: solver as ImplicitAlsSolver,
    conjugateGradientSteps: positiveIntegerFromJSON(fn, "json.hyperparameters.conjugateGradientSteps", h["conjugateGradientSteps"]),
    initStandardDeviation: finiteFromJSON(fn, "json.hyperparameters.initStandardDeviation", h["initStandardDeviation"]),
    seed: seed as Seed,
    values: alsValuesFromJSON(fn, h["values"]),
  });
}

// Models written before the option existed fitted raw values.
function alsValuesFromJSON(fn: string, value: unknown): AlsValueTransform {
  if (value === undefined) return "raw";
  if (typeof value !== "string" || !(ALS_VALUE_TRANSFORMS as readonly string[]).includes(value)) {
    badModel(fn, "json.hyperparameters.values", 'be "raw", "binary" or "log1p"', value);
  }
  return value as AlsValueTransform;
}

/**
 * Rebuilds an implicit ALS model from its JSON form, validating kind, version, ids, every table and the seen pattern.
 *
 * Complexity: O((users + items) · factors + nnz).
 *
 * @param json - the parsed JSON of {@link implicitAlsToJSON}
 * @returns a new frozen {@link ImplicitAlsModel} that scores exactly as the one serialized
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitImplicitAls, implicitAlsFromJSON, implicitAlsToJSON } from "nextbest/factorization";
 * const model = fitImplicitAls(createInteractions([{ user: "acme", item: "crm" }]), { factors: 4 });
 * const copy = implicitAlsFromJSON(JSON.parse(JSON.stringify(implicitAlsToJSON(model))));
 * Array.from(copy.userFactors).join() === Array.from(model.userFactors).join(); // => true
 * implicitAlsFromJSON({ ...implicitAlsToJSON(model), itemFactors: [1, 2] });
 * // throws NextbestError E_BAD_MODEL: "implicitAlsFromJSON: json.itemFactors must have length 4 (items × factors), got length 2"
 * ```
 * @category factorization
 */
export function implicitAlsFromJSON(json: unknown): ImplicitAlsModel {
  const fn = "implicitAlsFromJSON";
  const record = readModelEnvelope(fn, json, "implicit-als", [1]);
  const users = idIndexFieldFromJSON(fn, "json.users", record["users"]);
  const items = idIndexFieldFromJSON(fn, "json.items", record["items"]);
  const f = positiveIntegerFromJSON(fn, "json.factors", record["factors"]);
  const alpha = finiteFromJSON(fn, "json.alpha", record["alpha"]);
  if (alpha < 0) badModel(fn, "json.alpha", "be >= 0", alpha);
  const regularization = finiteFromJSON(fn, "json.regularization", record["regularization"]);
  if (regularization < 0) badModel(fn, "json.regularization", "be >= 0", regularization);
  const seen = compressedRowsFromJSON(fn, "json.seenIndptr", "json.seenIndices", record["seenIndptr"], record["seenIndices"], users.ids.length, items.ids.length);
  const tuning = record["tuning"] === undefined ? {} : { tuning: tuningFromJSON(fn, record["tuning"], { factors: f, regularization }) };
  return Object.freeze({
    kind: "implicit-als",
    version: 1,
    users,
    items,
    factors: f,
    alpha,
    regularization,
    userFactors: float32TableFromJSON(fn, "json.userFactors", record["userFactors"], users.ids.length, f, "users × factors"),
    itemFactors: float32TableFromJSON(fn, "json.itemFactors", record["itemFactors"], items.ids.length, f, "items × factors"),
    hyperparameters: alsHyperparametersFromJSON(fn, record["hyperparameters"]),
    seenIndptr: seen.indptr,
    seenIndices: seen.indices,
    ...tuning,
  });
}
