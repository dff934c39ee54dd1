// Shared by the factorization models: option readers, the seen-item pattern, factor-table JSON helpers, the
// cold-start fallbacks, and the parts the two SGD models (matrix factorization, SVD++) share: the start and end of a
// fit and the fields of their JSON form. Not exported by the barrel.
import { NextbestError, describeValue } from "../core/errors.ts";
import type { IdIndex } from "../core/id-index.ts";
import { createRandom, fillNormal, type Seed } from "../core/random.ts";
import type { Interactions } from "../data/types.ts";
import {
  badModel,
  compressedRowsFromJSON,
  float64ArrayFromJSON,
  idIndexFieldFromJSON,
  idIndexFieldToJSON,
  typedArrayToJSON,
} from "../internal/serialize.ts";
import type { Recommender, ScoreUsersOptions } from "../recommend/types.ts";
import {
  biasedColdPairs, biasedFallback, checkModelHeader, checkScoreBuffer as checkBuffer, checkScoreUsers, checkUserIndex as checkUser, copySeen,
} from "../recommend/contract.ts";
import { prepareGemvF32, type PreparedGemvF32 } from "../linalg/kernels.ts";
import { gemvManyF32 } from "../linalg/gemv-many.ts";
import { availableThreads } from "../linalg/wasm/threads.ts";
import type { MatrixFactorizationHyperparameters, MatrixFactorizationModel, MatrixFactorizationModelJSON } from "./matrix-factorization.ts";

export { checkInteractions, checkScoreBuffer, checkUserIndex, copySeen } from "../recommend/contract.ts";

/** Throws E_BAD_INPUT unless `options` is a plain object (not null, not an array). */
export function checkOptions(fn: string, options: unknown): asserts options is object {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
}

/** Reads an integer option in [min, max], or its default when undefined. */
export function integerOption(fn: string, name: string, value: unknown, fallback: number, min: number, max = 2147483647): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === 2147483647 ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be ${range}, got ${describeValue(value)}`);
  }
  return value;
}

/** Reads a finite number option >= min (> min when `exclusive`), or its default when undefined. */
export function numberOption(fn: string, name: string, value: unknown, fallback: number, min: number, exclusive = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be a number, got ${describeValue(value)}`);
  }
  if (!Number.isFinite(value)) {
    throw new NextbestError("E_NON_FINITE", `${fn}: options.${name} must be finite, got ${describeValue(value)}`);
  }
  if (exclusive ? !(value > min) : !(value >= min)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be ${exclusive ? ">" : ">="} ${min}, got ${describeValue(value)}`);
  }
  return value;
}

/** Reads a boolean option, or its default when undefined. */
export function booleanOption(fn: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be a boolean, got ${describeValue(value)}`);
  }
  return value;
}

/** Reads a seed option (a finite number or a string), or its default when undefined. */
export function seedOption(fn: string, value: unknown, fallback: Seed): Seed {
  if (value === undefined) return fallback;
  if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) return value;
  throw new NextbestError("E_BAD_INPUT", `${fn}: options.seed must be a finite number or a string, got ${describeValue(value)}`);
}

/** Throws E_NON_FINITE naming the first stored interaction whose value is not finite (O(nnz)). */
export function checkFiniteValues(fn: string, data: Interactions): void {
  const { indptr, indices, values } = data.byUser;
  for (let u = 0; u < data.byUser.rows; u++) {
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
      const v = values[p]!;
      if (v - v !== 0) {
        throw new NextbestError(
          "E_NON_FINITE",
          `${fn}: interactions value of user ${describeValue(data.users.ids[u])}, item ${describeValue(data.items.ids[indices[p]!])} must be finite, got ${describeValue(v)}`,
        );
      }
    }
  }
}

/** The row (user index) of every stored entry of a CSR pattern. */
export function rowOfEntries(indptr: Int32Array, rows: number): Int32Array {
  const out = new Int32Array(indptr[rows]!);
  for (let r = 0; r < rows; r++) out.fill(r, indptr[r]!, indptr[r + 1]!);
  return out;
}

/** Reads a factor table (rows × cols finite numbers) from JSON into a Float32Array. */
export function float32TableFromJSON(fn: string, field: string, value: unknown, rows: number, cols: number, what: string): Float32Array {
  const wide = float64ArrayFromJSON(fn, field, value, { length: rows * cols, lengthMeaning: what });
  const out = Float32Array.from(wide);
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (v - v !== 0) badModel(fn, `${field}[${i}]`, "fit in a 32-bit float", wide[i]);
  }
  return out;
}

/** Reads a positive integer field. */
export function positiveIntegerFromJSON(fn: string, field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) badModel(fn, field, "be a positive integer", value);
  return value;
}

/** Reads a finite number field. */
export function finiteFromJSON(fn: string, field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) badModel(fn, field, "be a finite number", value);
  return value;
}

/** O(1) checks of a factor model's tables against its id indexes, for the recommender factories. */
export function checkFactorTable(fn: string, name: string, table: unknown, rows: number, factors: number, what: string): asserts table is Float32Array {
  if (!(table instanceof Float32Array) || table.length !== rows * factors) {
    throw new NextbestError(
      "E_BAD_MODEL",
      `${fn}: model.${name} must be a Float32Array of length ${rows * factors} (${what}), got ${describeValue(table)}`,
    );
  }
}

/** O(1) check of a per-row Float64Array (biases) against its expected length. */
export function checkVector(fn: string, name: string, vector: unknown, length: number, what: string): asserts vector is Float64Array {
  if (!(vector instanceof Float64Array) || vector.length !== length) {
    throw new NextbestError(
      "E_BAD_MODEL",
      `${fn}: model.${name} must be a Float64Array of length ${length} (${what}), got ${describeValue(vector)}`,
    );
  }
}

/** Dot product of row `a` (offset ao) of A with row `b` (offset bo) of B, both of length f, float64 sums. */
export function rowDot(A: Float32Array | Float64Array, ao: number, B: Float32Array | Float64Array, bo: number, f: number): number {
  let s0 = 0;
  let s1 = 0;
  let k = 0;
  for (; k + 2 <= f; k += 2) {
    s0 += A[ao + k]! * B[bo + k]!;
    s1 += A[ao + k + 1]! * B[bo + k + 1]!;
  }
  if (k < f) s0 += A[ao + k]! * B[bo + k]!;
  return s0 + s1;
}

/**
 * The parts shared by the biased factor models (matrix factorization, SVD++): r̂ = μ + b_u + b_i + q_iᵀ v_u. SVD++
 * models carry every one of these fields too.
 */
export type BiasedFactorModel = Pick<
  MatrixFactorizationModel,
  | "users"
  | "items"
  | "factors"
  | "globalMean"
  | "userBias"
  | "itemBias"
  | "userFactors"
  | "itemFactors"
  | "clip"
  | "ratingMin"
  | "ratingMax"
  | "hyperparameters"
  | "seenIndptr"
  | "seenIndices"
> & { readonly kind: string };

/**
 * Checks a biased factor model's header, factor count, factor tables (users × f, items × f, plus `extraItemTables`,
 * each items × f) and bias vectors; throws E_BAD_MODEL naming the field.
 */
export function checkBiasedFactorModel(fn: string, model: BiasedFactorModel, kind: string, extraItemTables: Readonly<Record<string, unknown>> = {}): void {
  checkModelHeader(fn, model, kind, 1);
  const users = model.users.ids.length;
  const items = model.items.ids.length;
  const f = model.factors;
  if (typeof f !== "number" || !Number.isInteger(f) || f < 1) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.factors must be a positive integer, got ${describeValue(f)}`);
  }
  checkFactorTable(fn, "userFactors", model.userFactors, users, f, "users × factors");
  checkFactorTable(fn, "itemFactors", model.itemFactors, items, f, "items × factors");
  for (const [name, table] of Object.entries(extraItemTables)) checkFactorTable(fn, name, table, items, f, "items × factors");
  checkVector(fn, "userBias", model.userBias, users, "one per user");
  checkVector(fn, "itemBias", model.itemBias, items, "one per item");
}

/**
 * The Recommender adapter of a biased factor model: scores μ + b_u + b_i + q_iᵀ v_u (clipped when the model clips),
 * `predict` for one pair, seen items from the model, μ + b_u for unknown items and μ + b_i for unknown users (source
 * `"baseline"`). `userVectorInto(user, out)` writes the user's vector v_u in float64 (p_u for MF; p_u plus the
 * implicit term for SVD++), so both models share one scoring path.
 */
export function biasedFactorRecommender(
  fn: string,
  name: string,
  model: BiasedFactorModel,
  userVectorInto: (user: number, out: Float64Array) => void,
): Recommender {
  const { users, items, itemFactors, userBias, itemBias, seenIndptr, seenIndices, globalMean, factors: f } = model;
  const userCount = users.ids.length;
  const itemCount = items.ids.length;
  const lo = model.clip ? model.ratingMin : Number.NEGATIVE_INFINITY;
  const hi = model.clip ? model.ratingMax : Number.POSITIVE_INFINITY;
  const userVector = new Float64Array(f);
  // The item table goes into WebAssembly memory at the first scoreUser (the same scores, bit for bit, faster).
  let prepared: PreparedGemvF32 | undefined;
  return Object.freeze({
    name,
    users,
    items,
    scoreUser(user: number, out: Float64Array): void {
      checkUser(`${fn}.scoreUser`, user, userCount);
      checkBuffer(`${fn}.scoreUser`, out, itemCount);
      userVectorInto(user, userVector);
      prepared ??= prepareGemvF32(itemFactors, itemCount, f);
      prepared.gemv(userVector, out);
      const base = globalMean + userBias[user]!;
      for (let i = 0; i < itemCount; i++) {
        const r = base + itemBias[i]! + out[i]!;
        out[i] = r < lo ? lo : r > hi ? hi : r;
      }
    },
    scoreUsers(userIndices: Int32Array, out: Float64Array, options?: ScoreUsersOptions): void {
      const threads = checkScoreUsers(`${fn}.scoreUsers`, userIndices, out, userCount, itemCount, options) ?? availableThreads();
      const count = userIndices.length;
      const vectors = new Float64Array(count * f);
      for (let c = 0; c < count; c++) userVectorInto(userIndices[c]!, vectors.subarray(c * f, c * f + f));
      prepared ??= prepareGemvF32(itemFactors, itemCount, f);
      gemvManyF32(itemFactors, itemCount, f, prepared, vectors, count, out, threads);
      for (let c = 0; c < count; c++) {
        const base = globalMean + userBias[userIndices[c]!]!;
        const row = c * itemCount;
        for (let i = 0; i < itemCount; i++) {
          const r = base + itemBias[i]! + out[row + i]!;
          out[row + i] = r < lo ? lo : r > hi ? hi : r;
        }
      }
    },
    predict(user: number, item: number): number {
      checkUser(`${fn}.predict`, user, userCount);
      if (typeof item !== "number" || !Number.isInteger(item) || item < 0 || item >= itemCount) {
        throw new NextbestError("E_BAD_INPUT", `${fn}.predict: item must be an item index in [0, ${itemCount}), got ${describeValue(item)}`);
      }
      userVectorInto(user, userVector);
      const r = globalMean + userBias[user]! + itemBias[item]! + rowDot(userVector, 0, itemFactors, item * f, f);
      return r < lo ? lo : r > hi ? hi : r;
    },
    seenItems(user: number): ArrayLike<number> {
      checkUser(`${fn}.seenItems`, user, userCount);
      return seenIndices.subarray(seenIndptr[user]!, seenIndptr[user + 1]!);
    },
    coldPairs: biasedColdPairs("baseline", users, items, globalMean, userBias, itemBias, lo, hi),
    fallback: biasedFallback(fn, "baseline", globalMean, itemBias, lo, hi),
  });
}

/** Resolved options of the SGD fits (matrix factorization and SVD++, each with its own defaults). */
export interface ResolvedSgdOptions extends MatrixFactorizationHyperparameters {
  readonly factors: number;
  readonly clip: boolean;
}

/** Mean, min and max of the stored values (Neumaier-compensated mean). */
export function ratingStatistics(values: Float64Array, n: number): { mean: number; min: number; max: number } {
  let sum = 0;
  let compensation = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < n; p++) {
    const v = values[p]!;
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { mean: (sum + compensation) / n, min, max };
}

/** In-place Fisher–Yates shuffle of `order` (seeded). */
export function shuffleInPlace(order: Int32Array, random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}

/**
 * Throws E_BAD_INPUT unless learning rate × regularization is below 1: each SGD step multiplies a parameter by
 * (1 − their product) before the error term, so at 1 or more the regularization alone overshoots and training
 * diverges whatever the data (`regularization: 1e308` used to be reported as a learning-rate problem).
 */
export function checkShrinkage(fn: string, rateName: string, rate: number, regularizationName: string, regularization: number): void {
  if (rate * regularization >= 1) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.${rateName} × options.${regularizationName} must be below 1 (each step shrinks a parameter by 1 minus their product), got ${rate} × ${regularization} = ${rate * regularization}`,
    );
  }
}

/** The resolved options after checkShrinkage of the factor and the bias steps. */
export function checkedShrinkage(fn: string, resolved: ResolvedSgdOptions): ResolvedSgdOptions {
  checkShrinkage(fn, "learningRate", resolved.learningRate, "regularization", resolved.regularization);
  checkShrinkage(fn, "biasLearningRate", resolved.biasLearningRate, "biasRegularization", resolved.biasRegularization);
  return resolved;
}

/** Throws E_NON_FINITE when any parameter is not finite (SGD diverged). */
export function checkConverged(fn: string, ...arrays: [...Float64Array[], number]): void {
  const lr = arrays[arrays.length - 1] as number;
  for (let a = 0; a < arrays.length - 1; a++) {
    const values = arrays[a] as Float64Array;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v - v !== 0 || Math.abs(v) > 3.4e38) {
        throw new NextbestError(
          "E_NON_FINITE",
          `${fn}: training must stay finite, got ${describeValue(v)} in a fitted parameter (lower options.learningRate, now ${lr})`,
        );
      }
    }
  }
}

/** What an SGD fit of a biased factor model starts from; the fit trains these tables in place. */
export interface BiasedSgdStart {
  /** The number of stored ratings (nnz). */
  readonly ratings: number;
  /** μ, the mean training rating. */
  readonly globalMean: number;
  /** Smallest training rating. */
  readonly ratingMin: number;
  /** Largest training rating. */
  readonly ratingMax: number;
  /** The seeded generator, advanced past the draws of p and q. */
  readonly random: () => number;
  /** p_u, users × factors, N(0, σ²) draws. */
  readonly userFactors: Float64Array;
  /** q_i, items × factors, N(0, σ²) draws made after p. */
  readonly itemFactors: Float64Array;
  /** b_u, zeros. */
  readonly userBias: Float64Array;
  /** b_i, zeros. */
  readonly itemBias: Float64Array;
}

/**
 * The start of an SGD fit of a biased factor model: checks every rating is finite and that there is one, computes μ
 * and the rating range, then draws p (users × f) and q (items × f) in that order from a generator seeded with
 * `o.seed`; biases start at 0. Further tables (SVD++'s y) are drawn from the returned generator.
 */
export function startBiasedSgd(fn: string, interactions: Interactions, o: ResolvedSgdOptions): BiasedSgdStart {
  checkFiniteValues(fn, interactions);
  const { indptr, values, rows: userCount } = interactions.byUser;
  const itemCount = interactions.items.ids.length;
  const n = indptr[userCount]!;
  if (n === 0) throw new NextbestError("E_EMPTY", `${fn}: interactions must hold at least one rating, got 0`);
  const stats = ratingStatistics(values, n);
  const random = createRandom(o.seed);
  const userFactors = fillNormal(new Float64Array(userCount * o.factors), random, { standardDeviation: o.initStandardDeviation });
  const itemFactors = fillNormal(new Float64Array(itemCount * o.factors), random, { standardDeviation: o.initStandardDeviation });
  return {
    ratings: n,
    globalMean: stats.mean,
    ratingMin: stats.min,
    ratingMax: stats.max,
    random,
    userFactors,
    itemFactors,
    userBias: new Float64Array(userCount),
    itemBias: new Float64Array(itemCount),
  };
}

/** Reads the hyperparameters record shared by the SGD models. */
export function sgdHyperparametersFromJSON(fn: string, value: unknown): MatrixFactorizationHyperparameters {
  if (typeof value !== "object" || value === null || Array.isArray(value)) badModel(fn, "json.hyperparameters", "be an object", value);
  const h = value as Record<string, unknown>;
  const seed = h["seed"];
  if (!(typeof seed === "string" || (typeof seed === "number" && Number.isFinite(seed)))) {
    badModel(fn, "json.hyperparameters.seed", "be a string or a finite number", seed);
  }
  const epochs = h["epochs"];
  if (typeof epochs !== "number" || !Number.isInteger(epochs) || epochs < 0) badModel(fn, "json.hyperparameters.epochs", "be an integer >= 0", epochs);
  return Object.freeze({
    epochs,
    learningRate: finiteFromJSON(fn, "json.hyperparameters.learningRate", h["learningRate"]),
    regularization: finiteFromJSON(fn, "json.hyperparameters.regularization", h["regularization"]),
    biasLearningRate: finiteFromJSON(fn, "json.hyperparameters.biasLearningRate", h["biasLearningRate"]),
    biasRegularization: finiteFromJSON(fn, "json.hyperparameters.biasRegularization", h["biasRegularization"]),
    initStandardDeviation: finiteFromJSON(fn, "json.hyperparameters.initStandardDeviation", h["initStandardDeviation"]),
    seed: seed as Seed,
  });
}

// A biased SGD model (and its JSON form) is laid out as: kind, version, the factor part, the model's own tables
// (SVD++'s implicitFactors), the training part, then optional records (tuning). The helpers below build each part
// with its keys in that order, so both models keep one field order in memory and in JSON.

/** The fields of a biased SGD model from its ids to its factor tables, in model order. */
export type BiasedFactorPart = Pick<
  MatrixFactorizationModel,
  "users" | "items" | "factors" | "globalMean" | "userBias" | "itemBias" | "userFactors" | "itemFactors"
>;

/** The fields after the factor tables, in model order: clipping, rating range, hyperparameters, seen pattern. */
export type BiasedTrainingPart = Pick<MatrixFactorizationModel, "clip" | "ratingMin" | "ratingMax" | "hyperparameters" | "seenIndptr" | "seenIndices">;

/** The JSON form of a {@link BiasedFactorPart}. */
export type BiasedFactorPartJSON = Pick<
  MatrixFactorizationModelJSON,
  "users" | "items" | "factors" | "globalMean" | "userBias" | "itemBias" | "userFactors" | "itemFactors"
>;

/** The JSON form of a {@link BiasedTrainingPart}. */
export type BiasedTrainingPartJSON = Pick<
  MatrixFactorizationModelJSON,
  "clip" | "ratingMin" | "ratingMax" | "hyperparameters" | "seenIndptr" | "seenIndices"
>;

/** The factor part of a fitted model: the trained float64 tables stored as Float32Array. */
export function fittedFactorPart(interactions: Interactions, o: ResolvedSgdOptions, start: BiasedSgdStart): BiasedFactorPart {
  return {
    users: interactions.users,
    items: interactions.items,
    factors: o.factors,
    globalMean: start.globalMean,
    userBias: start.userBias,
    itemBias: start.itemBias,
    userFactors: Float32Array.from(start.userFactors),
    itemFactors: Float32Array.from(start.itemFactors),
  };
}

/** The training part of a fitted model: clip flag, rating range, the frozen hyperparameters, a copy of the seen pattern. */
export function fittedTrainingPart(interactions: Interactions, o: ResolvedSgdOptions, start: BiasedSgdStart): BiasedTrainingPart {
  const hyperparameters = Object.freeze({
    epochs: o.epochs,
    learningRate: o.learningRate,
    regularization: o.regularization,
    biasLearningRate: o.biasLearningRate,
    biasRegularization: o.biasRegularization,
    initStandardDeviation: o.initStandardDeviation,
    seed: o.seed,
  });
  return trainingPart({ clip: o.clip, ratingMin: start.ratingMin, ratingMax: start.ratingMax, ...copySeen(interactions) }, hyperparameters);
}

/** The training part with its keys in model order, from the checked facts of a fit or a JSON header. */
export function trainingPart(facts: Omit<BiasedTrainingPart, "hyperparameters">, hyperparameters: MatrixFactorizationHyperparameters): BiasedTrainingPart {
  const { clip, ratingMin, ratingMax, seenIndptr, seenIndices } = facts;
  return { clip, ratingMin, ratingMax, hyperparameters, seenIndptr, seenIndices };
}

/** The JSON of a model's factor part (float32 factors as the exact decimal of each float). */
export function factorPartToJSON(model: BiasedFactorModel): BiasedFactorPartJSON {
  return {
    users: idIndexFieldToJSON(model.users),
    items: idIndexFieldToJSON(model.items),
    factors: model.factors,
    globalMean: model.globalMean,
    userBias: typedArrayToJSON(model.userBias),
    itemBias: typedArrayToJSON(model.itemBias),
    userFactors: typedArrayToJSON(model.userFactors),
    itemFactors: typedArrayToJSON(model.itemFactors),
  };
}

/** The JSON of a model's training part. */
export function trainingPartToJSON(model: BiasedFactorModel): BiasedTrainingPartJSON {
  return {
    clip: model.clip,
    ratingMin: model.ratingMin,
    ratingMax: model.ratingMax,
    hyperparameters: { ...model.hyperparameters },
    seenIndptr: typedArrayToJSON(model.seenIndptr),
    seenIndices: typedArrayToJSON(model.seenIndices),
  };
}

/** What a biased SGD model's JSON is checked for first: ids, factor count, clip flag, rating range, seen pattern. */
export interface BiasedModelHeader {
  readonly users: IdIndex;
  readonly items: IdIndex;
  readonly factors: number;
  readonly clip: boolean;
  readonly ratingMin: number;
  readonly ratingMax: number;
  readonly seenIndptr: Int32Array;
  readonly seenIndices: Int32Array;
}

/** Reads and checks, in this order, json.users, items, factors, clip, ratingMin, ratingMax and the seen pattern. */
export function biasedModelHeaderFromJSON(fn: string, record: Readonly<Record<string, unknown>>): BiasedModelHeader {
  const users = idIndexFieldFromJSON(fn, "json.users", record["users"]);
  const items = idIndexFieldFromJSON(fn, "json.items", record["items"]);
  const factors = positiveIntegerFromJSON(fn, "json.factors", record["factors"]);
  const clip = record["clip"];
  if (typeof clip !== "boolean") badModel(fn, "json.clip", "be a boolean", clip);
  const ratingMin = finiteFromJSON(fn, "json.ratingMin", record["ratingMin"]);
  const ratingMax = finiteFromJSON(fn, "json.ratingMax", record["ratingMax"]);
  if (ratingMax < ratingMin) badModel(fn, "json.ratingMax", `be >= json.ratingMin = ${ratingMin}`, ratingMax);
  const seen = compressedRowsFromJSON(fn, "json.seenIndptr", "json.seenIndices", record["seenIndptr"], record["seenIndices"], users.ids.length, items.ids.length);
  return { users, items, factors, clip, ratingMin, ratingMax, seenIndptr: seen.indptr, seenIndices: seen.indices };
}

/** Reads and checks, in this order, json.globalMean, userBias, itemBias, userFactors and itemFactors against `header`. */
export function factorPartFromJSON(fn: string, record: Readonly<Record<string, unknown>>, header: BiasedModelHeader): BiasedFactorPart {
  const { users, items, factors: f } = header;
  const userCount = users.ids.length;
  const itemCount = items.ids.length;
  return {
    users,
    items,
    factors: f,
    globalMean: finiteFromJSON(fn, "json.globalMean", record["globalMean"]),
    userBias: float64ArrayFromJSON(fn, "json.userBias", record["userBias"], { length: userCount, lengthMeaning: "one per user" }),
    itemBias: float64ArrayFromJSON(fn, "json.itemBias", record["itemBias"], { length: itemCount, lengthMeaning: "one per item" }),
    userFactors: float32TableFromJSON(fn, "json.userFactors", record["userFactors"], userCount, f, "users × factors"),
    itemFactors: float32TableFromJSON(fn, "json.itemFactors", record["itemFactors"], itemCount, f, "items × factors"),
  };
}
