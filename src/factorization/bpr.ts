/**
 * Bayesian personalized ranking (Rendle et al. 2009) fitted by stochastic gradient ascent with seeded uniform
 * negative sampling, for implicit feedback.
 *
 * @module
 */
import { progressOption, type ProgressCallback } from "../core/progress.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import type { IdIndex, IdIndexJSON } from "../core/id-index.ts";
import { createRandom, fillNormal, type Seed } from "../core/random.ts";
import type { Interactions } from "../data/types.ts";
import { createKernelArena, kernelOption, type KernelChoice } from "../linalg/wasm/simd.ts";
import {
  badModel,
  compressedRowsFromJSON,
  float64ArrayFromJSON,
  idIndexFieldFromJSON,
  idIndexFieldToJSON,
  readModelEnvelope,
  typedArrayToJSON,
} from "../internal/serialize.ts";
import type { Recommender } from "../recommend/types.ts";
import { checkModelHeader } from "../recommend/contract.ts";
import { factorRecommender } from "./implicit-als.ts";
import {
  checkFactorTable,
  checkInteractions,
  checkShrinkage,
  checkOptions,
  checkVector,
  copySeen,
  finiteFromJSON,
  float32TableFromJSON,
  integerOption,
  numberOption,
  positiveIntegerFromJSON,
  rowOfEntries,
  seedOption,
} from "./internal.ts";
import { checkConverged } from "./internal.ts";
import { tuningFromJSON, tuningToJSON, type FactorizationTuning } from "./tuning.ts";

/** The default number of BPR epochs for `interactions` stored entries: at least 40 and at least 500,000 updates. */
function defaultBprEpochs(interactions: number): number {
  return interactions === 0 ? 40 : Math.min(100000, Math.max(40, Math.ceil(500_000 / interactions)));
}

/**
 * Options of {@link fitBpr}. The defaults were chosen on MovieLens 100K (80/20 random split, NDCG@10): a larger step
 * than implicit's 0.01 converges in far fewer epochs (0.05 with 64 factors reaches its plateau in about 40 epochs),
 * which keeps a fit near one second. To choose `factors` and `regularization` on a validation split instead, call
 * {@link tuneBpr} with these same options.
 *
 * @category factorization
 */
export interface BprOptions {
  /** Called after each epoch (`phase` `"epoch"`). @defaultValue none */
  onProgress?: ProgressCallback;
  /** Latent factors per user and item. @defaultValue 64 */
  factors?: number;
  /**
   * Epochs; each draws as many (user, positive, negative) triples as there are interactions. The default adapts to
   * the data: 40 epochs, or more on small data so that the fit makes at least 500,000 updates (short, sparse B2B
   * histories otherwise stop long before the item factors and biases have learned even popularity: on MovieLens cut
   * to each user's last 3 interactions, 40 epochs give NDCG@10 0.024 against popularity's 0.025, 177 epochs 0.033).
   * @defaultValue max(40, ceil(500,000 / interactions)), at most 100,000
   */
  epochs?: number;
  /** SGD step size. @defaultValue 0.05 */
  learningRate?: number;
  /** L2 penalty on factors and item biases. @defaultValue 0.01 */
  regularization?: number;
  /** Standard deviation of the normal (mean 0) initialization of the factors; biases start at 0. @defaultValue 0.01 */
  initStandardDeviation?: number;
  /** Seed of the initialization and the sampling. @defaultValue 0 */
  seed?: Seed;
  /**
   * The kernels of the SGD updates (see {@link linalg!KernelChoice}). Both compute in float64, operation for operation
   * the same, so the models are identical; the WebAssembly SIMD kernels are faster. @defaultValue "auto"
   */
  kernels?: KernelChoice;
}

/**
 * The resolved hyperparameters of a {@link BprModel} fit.
 *
 * @category factorization
 */
export interface BprHyperparameters {
  /** Epochs. */
  readonly epochs: number;
  /** Step size. */
  readonly learningRate: number;
  /** L2 penalty. */
  readonly regularization: number;
  /** Initialization standard deviation. */
  readonly initStandardDeviation: number;
  /** The seed. */
  readonly seed: Seed;
}

/**
 * A fitted BPR model: the score of item i for user u is b_i + p_uᵀ q_i (only the order within a user matters).
 *
 * @category factorization
 */
export interface BprModel {
  /** Discriminant of the model family. */
  readonly kind: "bpr";
  /** Format version; {@link bprFromJSON} reads version 1. */
  readonly version: 1;
  /** The users of the training data. */
  readonly users: IdIndex;
  /** The items of the training data. */
  readonly items: IdIndex;
  /** Latent factors. */
  readonly factors: number;
  /** p_u, users × factors, row-major. */
  readonly userFactors: Float32Array;
  /** q_i, items × factors, row-major. */
  readonly itemFactors: Float32Array;
  /** b_i, one per item. */
  readonly itemBias: Float64Array;
  /** The resolved hyperparameters. */
  readonly hyperparameters: BprHyperparameters;
  /** `users + 1` offsets into `seenIndices`. */
  readonly seenIndptr: Int32Array;
  /** The item indices each user interacted with in training, ascending within a user. */
  readonly seenIndices: Int32Array;
  /** How `factors` and `regularization` were chosen, when the model comes from {@link tuneBpr}. */
  readonly tuning?: FactorizationTuning;
}

/**
 * The JSON form of a {@link BprModel}.
 *
 * @category factorization
 */
export interface BprModelJSON {
  /** Always `"bpr"`. */
  readonly kind: "bpr";
  /** The format version, 1. */
  readonly version: 1;
  /** User ids in index order. */
  readonly users: IdIndexJSON;
  /** Item ids in index order. */
  readonly items: IdIndexJSON;
  /** Latent factors. */
  readonly factors: number;
  /** p_u, row-major. */
  readonly userFactors: number[];
  /** q_i, row-major. */
  readonly itemFactors: number[];
  /** b_i. */
  readonly itemBias: number[];
  /** Hyperparameters. */
  readonly hyperparameters: BprHyperparameters;
  /** `users + 1` offsets. */
  readonly seenIndptr: number[];
  /** Seen item indices. */
  readonly seenIndices: number[];
  /** The tuning record of a tuned model (absent otherwise; version-1 files without it stay readable). */
  readonly tuning?: FactorizationTuning;
}

/** Whether `item` is among the sorted `indices[start, end)` (binary search). */
function contains(indices: Int32Array, start: number, end: number, item: number): boolean {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = indices[mid]!;
    if (v === item) return true;
    if (v < item) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * One BPR stochastic gradient ascent step on the triple (u, i, j): with x = b_i − b_j + p_uᵀ(q_i − q_j) and
 * z = σ(−x) = ∂ ln σ(x) / ∂x, every parameter θ moves by γ (z ∂x/∂θ − λ θ). Returns x before the step.
 * Exported for the gradient test; not part of the barrel. @internal
 */
export function bprStep(
  P: Float64Array,
  Q: Float64Array,
  bias: Float64Array,
  f: number,
  u: number,
  i: number,
  j: number,
  lr: number,
  reg: number,
): number {
  const uo = u * f;
  const io = i * f;
  const jo = j * f;
  let d0 = 0;
  let d1 = 0;
  let k = 0;
  for (; k + 2 <= f; k += 2) {
    d0 += P[uo + k]! * (Q[io + k]! - Q[jo + k]!);
    d1 += P[uo + k + 1]! * (Q[io + k + 1]! - Q[jo + k + 1]!);
  }
  if (k < f) d0 += P[uo + k]! * (Q[io + k]! - Q[jo + k]!);
  const bI = bias[i]!;
  const bJ = bias[j]!;
  const x = bI - bJ + d0 + d1;
  const z = 1 / (1 + Math.exp(x));
  bias[i] = bI + lr * (z - reg * bI);
  bias[j] = bJ + lr * (-z - reg * bJ);
  const decay = 1 - lr * reg;
  const lz = lr * z;
  for (k = 0; k < f; k++) {
    const pu = P[uo + k]!;
    const qi = Q[io + k]!;
    const qj = Q[jo + k]!;
    P[uo + k] = decay * pu + lz * (qi - qj);
    Q[io + k] = decay * qi + lz * pu;
    Q[jo + k] = decay * qj - lz * pu;
  }
  return x;
}

/**
 * Fits Bayesian personalized ranking (Rendle, Freudenthaler, Gantner & Schmidt-Thieme 2009, "BPR: Bayesian
 * personalized ranking from implicit feedback"): maximizes Σ ln σ(x̂_ui − x̂_uj) − λ‖Θ‖² over triples of a user u,
 * an item i they interacted with and an item j they did not, with x̂_ui = b_i + p_uᵀ q_i, by stochastic gradient
 * ascent. Each epoch draws as many triples as there are interactions: the (u, i) pair uniformly among the
 * interactions (bootstrap sampling, as in the paper and in implicit) and j uniformly among all items, redrawn when
 * the user has seen it. All draws come from the seed. Interaction values are ignored (any stored pair is positive).
 *
 * One thread: each SGD update reads the factors the previous one wrote, so splitting the updates over threads would
 * change the model (and its dependence on the seed).
 *
 * Complexity: O(epochs · nnz · (factors + log n_u)) time, O((users + items) · factors + nnz) memory.
 *
 * @param interactions - implicit interactions
 * @param options - factors, epochs, learning rate, regularization, initialization, seed
 * @returns a new frozen {@link BprModel}; `interactions` is not changed
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed argument or option, `E_SHAPE`/`E_EMPTY` for
 *   malformed or empty interactions, `E_NON_FINITE` when training diverges (lower the learning rate)
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { bprRecommender, fitBpr } from "nextbest/factorization";
 * import { recommend } from "nextbest/recommend";
 * const purchases = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "acme", item: "erp" }, { user: "globex", item: "crm" },
 *   { user: "globex", item: "erp" }, { user: "initech", item: "crm" }, { user: "hooli", item: "hr" },
 * ]);
 * const bpr = bprRecommender(fitBpr(purchases, { factors: 4, epochs: 200, learningRate: 0.1, seed: 2 }));
 * recommend(bpr, "initech", { k: 1 }).items[0]!.item; // => "erp"
 * ```
 * @category factorization
 */
export function fitBpr(interactions: Interactions, options: BprOptions = {}): BprModel {
  const fn = "fitBpr";
  checkInteractions(fn, interactions);
  checkOptions(fn, options);
  const f = integerOption(fn, "factors", options.factors, 64, 1, 4096);
  const nnzForDefault = interactions.byUser.indptr[interactions.byUser.rows]!;
  const epochs = integerOption(fn, "epochs", options.epochs, defaultBprEpochs(nnzForDefault), 0, 100000);
  const learningRate = numberOption(fn, "learningRate", options.learningRate, 0.05, 0, true);
  const regularization = numberOption(fn, "regularization", options.regularization, 0.01, 0);
  checkShrinkage(fn, "learningRate", learningRate, "regularization", regularization);
  const initStandardDeviation = numberOption(fn, "initStandardDeviation", options.initStandardDeviation, 0.01, 0);
  const seed = seedOption(fn, options.seed, 0);
  const onProgress = progressOption(fn, options.onProgress);
  const { indptr, indices, rows: userCount } = interactions.byUser;
  const itemCount = interactions.items.ids.length;
  const nnz = indptr[userCount]!;
  const random = createRandom(seed);
  const P = fillNormal(new Float64Array(userCount * f), random, { standardDeviation: initStandardDeviation });
  const Q = fillNormal(new Float64Array(itemCount * f), random, { standardDeviation: initStandardDeviation });
  const bias = new Float64Array(itemCount);
  const rowOf = rowOfEntries(indptr, userCount);
  // The samples of one epoch depend only on the seeded generator and the data, so they are drawn first, in the same
  // order as the updates would draw them; the updates then run on the WebAssembly kernel (bit-identical to bprStep)
  // or in JavaScript.
  const kernels = kernelOption(fn, options.kernels);
  const wasm = kernels !== "javascript" && nnz > 0 && epochs > 0 ? bprKernel(P, Q, bias, f, nnz) : undefined;
  const samples = new Int32Array(3 * nnz);
  for (let epoch = 0; epoch < epochs && nnz > 0; epoch++) {
    let count = 0;
    for (let t = 0; t < nnz; t++) {
      const p = Math.floor(random() * nnz);
      const u = rowOf[p]!;
      const start = indptr[u]!;
      const end = indptr[u + 1]!;
      if (end - start >= itemCount) continue; // the user has seen every item: no negative exists
      let j = Math.floor(random() * itemCount);
      while (contains(indices, start, end, j)) j = Math.floor(random() * itemCount);
      samples[3 * count] = u;
      samples[3 * count + 1] = indices[p]!;
      samples[3 * count + 2] = j;
      count++;
    }
    if (wasm !== undefined) {
      wasm.steps(samples, count, learningRate, regularization);
    } else {
      for (let t = 0; t < count; t++) bprStep(P, Q, bias, f, samples[3 * t]!, samples[3 * t + 1]!, samples[3 * t + 2]!, learningRate, regularization);
    }
    const [p0, b0] = wasm === undefined ? [P[0]!, bias[0]!] : wasm.first();
    if (!Number.isFinite(p0) || !Number.isFinite(b0)) {
      wasm?.copyOut();
      checkConverged(fn, P, bias, learningRate);
    }
    onProgress?.({ phase: "epoch", step: epoch + 1, total: epochs });
  }
  wasm?.copyOut();
  checkConverged(fn, P, Q, bias, learningRate);
  return Object.freeze({
    kind: "bpr",
    version: 1,
    users: interactions.users,
    items: interactions.items,
    factors: f,
    userFactors: Float32Array.from(P),
    itemFactors: Float32Array.from(Q),
    itemBias: bias,
    hyperparameters: Object.freeze({ epochs, learningRate, regularization, initStandardDeviation, seed }),
    ...copySeen(interactions),
  });
}

/**
 * BPR's tables in a kernels instance (rows padded to an even number of doubles), with the epoch's samples: `steps`
 * runs them, `first` reads P[0] and bias[0] for the divergence check, `copyOut` writes the tables back. Undefined
 * where the kernels cannot run.
 */
function bprKernel(P: Float64Array, Q: Float64Array, bias: Float64Array, f: number, nnz: number) {
  const users = P.length / f;
  const items = Q.length / f;
  const stride = (f + 1) & ~1;
  const arena = createKernelArena(new Map([["P", 8 * users * stride], ["Q", 8 * items * stride], ["bias", 8 * items], ["samples", 12 * nnz]]));
  if (arena === undefined) return undefined;
  const tables = { P: arena.f64("P"), Q: arena.f64("Q") };
  for (let r = 0; r < users; r++) for (let k = 0; k < f; k++) tables.P[r * stride + k] = P[r * f + k]!;
  for (let r = 0; r < items; r++) for (let k = 0; k < f; k++) tables.Q[r * stride + k] = Q[r * f + k]!;
  const biasTable = arena.f64("bias");
  biasTable.set(bias);
  const sampleTable = arena.i32("samples");
  const at = (name: string): number => arena.offsets.get(name)!;
  return {
    steps(samples: Int32Array, count: number, lr: number, reg: number): void {
      sampleTable.set(samples.subarray(0, 3 * count));
      arena.kernels.bprSteps(at("P"), at("Q"), at("bias"), stride, at("samples"), count, lr, reg);
    },
    first: (): [number, number] => [tables.P[0]!, biasTable[0]!],
    copyOut(): void {
      for (let r = 0; r < users; r++) for (let k = 0; k < f; k++) P[r * f + k] = tables.P[r * stride + k]!;
      for (let r = 0; r < items; r++) for (let k = 0; k < f; k++) Q[r * f + k] = tables.Q[r * stride + k]!;
      bias.set(biasTable);
    },
  };
}

function checkBpr(fn: string, model: BprModel): void {
  checkModelHeader(fn, model, "bpr", 1);
  const f = model.factors;
  if (typeof f !== "number" || !Number.isInteger(f) || f < 1) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.factors must be a positive integer, got ${describeValue(f)}`);
  }
  checkFactorTable(fn, "userFactors", model.userFactors, model.users.ids.length, f, "users × factors");
  checkFactorTable(fn, "itemFactors", model.itemFactors, model.items.ids.length, f, "items × factors");
  checkVector(fn, "itemBias", model.itemBias, model.items.ids.length, "one per item");
}

/**
 * The {@link Recommender} adapter of a BPR model: scores b_i + p_uᵀ q_i, `predict(user, item)` for one pair;
 * unknown users get popularity (distinct training users per item) as fallback, source `"popularity"`.
 *
 * Cheap: O(1) checks, no copying. `scoreUser` costs O(items · factors); the first call copies the item factors into
 * WebAssembly memory where the runtime has the SIMD kernels (the same float32 values, as much memory again), after
 * which each call runs about three times faster with the same scores, bit for bit.
 *
 * @param model - a fitted or deserialized BPR model
 * @returns a recommender for `recommend`, `recommendMany`, evaluation and hybrids
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 BPR model or its tables disagree
 *   with its ids
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { bprRecommender, fitBpr } from "nextbest/factorization";
 * import { recommend } from "nextbest/recommend";
 * const bpr = bprRecommender(fitBpr(createInteractions([{ user: "acme", item: "crm" }, { user: "globex", item: "erp" }])));
 * recommend(bpr, "newco").fallback; // => { reason: "unknown-user", source: "popularity" }
 * ```
 * @category factorization
 */
export function bprRecommender(model: BprModel): Recommender {
  const fn = "bprRecommender";
  checkBpr(fn, model);
  return factorRecommender(fn, "bpr", model, model.userFactors, model.itemFactors, model.factors, model.itemBias);
}

/**
 * The JSON form of a BPR model, ready for `JSON.stringify`.
 *
 * Complexity: O((users + items) · factors + nnz).
 *
 * @param model - the model
 * @returns a new plain object; the model is not changed
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 BPR model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { bprToJSON, fitBpr } from "nextbest/factorization";
 * const json = bprToJSON(fitBpr(createInteractions([{ user: "acme", item: "crm" }]), { factors: 2, epochs: 1 }));
 * [json.kind, json.itemFactors.length, json.itemBias.length]; // => ["bpr", 2, 1]
 * ```
 * @category factorization
 */
export function bprToJSON(model: BprModel): BprModelJSON {
  checkBpr("bprToJSON", model);
  return {
    kind: "bpr",
    version: 1,
    users: idIndexFieldToJSON(model.users),
    items: idIndexFieldToJSON(model.items),
    factors: model.factors,
    userFactors: typedArrayToJSON(model.userFactors),
    itemFactors: typedArrayToJSON(model.itemFactors),
    itemBias: typedArrayToJSON(model.itemBias),
    hyperparameters: { ...model.hyperparameters },
    seenIndptr: typedArrayToJSON(model.seenIndptr),
    seenIndices: typedArrayToJSON(model.seenIndices),
    ...(model.tuning === undefined ? {} : { tuning: tuningToJSON(model.tuning) }),
  };
}

/**
 * Rebuilds a BPR model from its JSON form, validating kind, version, ids, every table and the seen pattern.
 *
 * Complexity: O((users + items) · factors + nnz).
 *
 * @param json - the parsed JSON of {@link bprToJSON}
 * @returns a new frozen {@link BprModel} that scores exactly as the one serialized
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { bprFromJSON, bprToJSON, fitBpr } from "nextbest/factorization";
 * const model = fitBpr(createInteractions([{ user: "acme", item: "crm" }]), { factors: 2, epochs: 1 });
 * bprFromJSON(JSON.parse(JSON.stringify(bprToJSON(model)))).factors; // => 2
 * bprFromJSON({ ...bprToJSON(model), factors: 3 });
 * // throws NextbestError E_BAD_MODEL: "bprFromJSON: json.userFactors must have length 3 (users × factors), got length 2"
 * ```
 * @category factorization
 */
export function bprFromJSON(json: unknown): BprModel {
  const fn = "bprFromJSON";
  const record = readModelEnvelope(fn, json, "bpr", [1]);
  const users = idIndexFieldFromJSON(fn, "json.users", record["users"]);
  const items = idIndexFieldFromJSON(fn, "json.items", record["items"]);
  const f = positiveIntegerFromJSON(fn, "json.factors", record["factors"]);
  const h = record["hyperparameters"];
  if (typeof h !== "object" || h === null || Array.isArray(h)) badModel(fn, "json.hyperparameters", "be an object", h);
  const hp = h as Record<string, unknown>;
  const epochs = hp["epochs"];
  if (typeof epochs !== "number" || !Number.isInteger(epochs) || epochs < 0) badModel(fn, "json.hyperparameters.epochs", "be an integer >= 0", epochs);
  const seed = hp["seed"];
  if (!(typeof seed === "string" || (typeof seed === "number" && Number.isFinite(seed)))) badModel(fn, "json.hyperparameters.seed", "be a string or a finite number", seed);
  const seen = compressedRowsFromJSON(fn, "json.seenIndptr", "json.seenIndices", record["seenIndptr"], record["seenIndices"], users.ids.length, items.ids.length);
  const regularization = finiteFromJSON(fn, "json.hyperparameters.regularization", hp["regularization"]);
  const tuning = record["tuning"] === undefined ? {} : { tuning: tuningFromJSON(fn, record["tuning"], { factors: f, regularization }) };
  return Object.freeze({
    kind: "bpr",
    version: 1,
    users,
    items,
    factors: f,
    userFactors: float32TableFromJSON(fn, "json.userFactors", record["userFactors"], users.ids.length, f, "users × factors"),
    itemFactors: float32TableFromJSON(fn, "json.itemFactors", record["itemFactors"], items.ids.length, f, "items × factors"),
    itemBias: float64ArrayFromJSON(fn, "json.itemBias", record["itemBias"], { length: items.ids.length, lengthMeaning: "one per item" }),
    hyperparameters: Object.freeze({
      epochs,
      learningRate: finiteFromJSON(fn, "json.hyperparameters.learningRate", hp["learningRate"]),
      regularization,
      initStandardDeviation: finiteFromJSON(fn, "json.hyperparameters.initStandardDeviation", hp["initStandardDeviation"]),
      seed: seed as Seed,
    }),
    seenIndptr: seen.indptr,
    seenIndices: seen.indices,
    ...tuning,
  });
}
