/**
 * EASE, the embarrassingly shallow autoencoder (Steck, WWW 2019): a dense item-item weight matrix in closed form.
 *
 * @module
 */
import { progressOption, type ProgressCallback } from "../core/progress.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import type { IdIndex, IdIndexJSON } from "../core/id-index.ts";
import type { ValueTransform } from "../data/transform.ts";
import type { Interactions } from "../data/types.ts";
import { freezeInteractions } from "../data/build.ts";
import { dayLength, resolveTimeUnit, type TimeUnit } from "../internal/time.ts";
import { invertSpdUpperInPlace, THREADED_MIN_ORDER } from "../linalg/spd-inverse.ts";
import { availableThreads } from "../linalg/wasm/threads.ts";
import {
  badModel,
  float64ArrayFromJSON,
  idIndexFieldFromJSON,
  idIndexFieldToJSON,
  readModelEnvelope,
  typedArrayToJSON,
} from "../internal/serialize.ts";
import { assertFiniteNumber, assertInteger } from "../internal/validate.ts";
import { checkInteractions, checkModelHeader, checkScoreBuffer, checkUserIndex, popularityFallback, seenFromJSON, seenToJSON } from "../recommend/contract.ts";
import type { ItemHistory, Recommender } from "../recommend/types.ts";
import { inputMatrix, readValueOptions, valueOptionsFromJSON } from "./item-weights.ts";
import { elementwiseHistoryWeights } from "./shared.ts";

/**
 * λ as a multiple of the mean diagonal of XᵀX when no `regularization` is given. Chosen on the Online Retail II
 * validation cut (train before 2010-06-01, validate June–August 2010), see {@link EaseOptions.relativeRegularization}.
 */
const DEFAULT_RELATIVE_REGULARIZATION = 10;

/**
 * Options of {@link fitEase}.
 *
 * @category neighbors
 */
export interface EaseOptions {
  /** Called after the item Gram matrix (`phase` `"gram"`) and after its inversion (`phase` `"inverse"`). @defaultValue none */
  onProgress?: ProgressCallback;
  /**
   * λ, the L2 penalty added to the diagonal of the Gram matrix XᵀX, as an absolute number (> 0). Give it or
   * `relativeRegularization`, not both.
   * @defaultValue `relativeRegularization` × the mean diagonal of XᵀX
   */
  regularization?: number;
  /**
   * λ as a multiple (> 0) of the mean diagonal of XᵀX (the mean number of buyers per item for binary values), so
   * one default fits binary purchases, counts and spend alike. Used when `regularization` is not given; when X is
   * all zeros, λ is this multiple itself. Chosen on the Online Retail II validation cut (train before 2010-06-01,
   * validate June–August 2010, binary values, 2,684 accounts, 3,558 products): NDCG@10 on new products rises from
   * 0.110 at 0.05 to a plateau of 0.156 from 10 to 30 (0.153 at 50); on all products it peaks at 7.5–10 (0.355).
   * @defaultValue 10
   */
  relativeRegularization?: number;
  /**
   * How interaction values enter X (see `ValueTransform` in `nextbest/data`): `"binary"` (1 per bought pair),
   * `"log1p"`, `"raw"`, `"bm25"` or `"tfidf"`. B2B values are counts, quantities and spend, where a few huge orders
   * dominate the Gram matrix: on the validation cut above (values = quantities), NDCG@10 on new products was 0.156
   * binary, 0.152 log1p, 0.111 bm25 and 0.071 raw (each at its best of λ multiples 3, 10, 30); log1p did better on
   * all products (0.361 vs 0.355).
   * @defaultValue "binary"
   */
  values?: ValueTransform;
  /**
   * Leave the pairs whose value is negative (net returns) out of X: they stay seen (not recommended back) but add
   * nothing. Without it, `"binary"` counts them as bought, `"raw"` keeps the negative value, and the other
   * transforms throw.
   * @defaultValue false
   */
  dropNegative?: boolean;
  /**
   * Weight each pair by how recently the account last bought the product: x_ui × 0.5^(age / half-life), with the age
   * taken to `asOf`. Recent purchases then shape both the item-item weights (co-purchases of what accounts buy now)
   * and each account's score (what it buys now). `Infinity` is classic EASE. Needs timestamps. On the Online Retail II
   * validation cut (train before 2010-06-01, validate June–August 2010) a 90-day half-life raised NDCG@10 on new
   * products from 0.156 to 0.165 (60 days 0.166, 120 days 0.164, 30 days 0.159); `nextbest/pipeline` uses 90.
   * @defaultValue Infinity (classic EASE: no decay)
   */
  recencyHalfLifeDays?: number;
  /** The time ages are taken to, with `recencyHalfLifeDays`. @defaultValue the latest timestamp in the data */
  asOf?: number;
  /** Unit of the timestamps, with `recencyHalfLifeDays` (a day is 86,400 seconds). @defaultValue "seconds" */
  timeUnit?: TimeUnit;
  /**
   * Threads of the dense inversion (Node's worker threads over one shared WebAssembly memory): each rank-b update of
   * the sweeps splits its rows among them, so the weights are the same for every thread count. Used from 512 items;
   * the workers start once per process (about 60 ms each) and stay, idle, for later fits. Where threads are
   * unavailable (browsers, runtimes without SharedArrayBuffer) the fit runs on one.
   * @defaultValue the available cores in Node, 1 elsewhere
   */
  threads?: number;
}

/**
 * How an EASE model weighted pairs by the age of their last purchase.
 *
 * @category neighbors
 */
export interface EaseRecency {
  /** The half-life in days; `Infinity` for classic EASE (no decay). */
  readonly halfLifeDays: number;
  /** The time ages were taken to, or `null` without decay. */
  readonly asOf: number | null;
  /** Unit of `asOf` and of the training timestamps. */
  readonly timeUnit: TimeUnit;
}

/**
 * The JSON form of {@link EaseRecency} (JSON has no `Infinity`).
 *
 * @category neighbors
 */
export interface EaseRecencyJSON {
  /** The half-life in days, or `null` for no decay. */
  readonly halfLifeDays: number | null;
  /** The time ages were taken to, or `null` without decay. */
  readonly asOf: number | null;
  /** Unit of `asOf`. */
  readonly timeUnit: TimeUnit;
}

/**
 * A fitted EASE model: plain, versioned data. Serialize it with {@link easeToJSON}; use it through
 * {@link easeRecommender}; explain a score with `explainItemWeightsScore` in `nextbest/explain`.
 *
 * @category neighbors
 */
export interface EaseModel {
  /** Discriminant of the model family. */
  readonly kind: "ease";
  /** Format version; {@link easeFromJSON} reads version 1. */
  readonly version: 1;
  /** How interaction values entered X. */
  readonly values: ValueTransform;
  /** Whether pairs with negative values were left out of X. */
  readonly dropNegative: boolean;
  /** λ, the penalty used (absolute). */
  readonly regularization: number;
  /** The recency weighting used, see {@link EaseOptions.recencyHalfLifeDays}. */
  readonly recency: EaseRecency;
  /** The users seen in training. */
  readonly users: IdIndex;
  /** The items seen in training. */
  readonly items: IdIndex;
  /**
   * B, items × items row-major: `weights[i * items + j]` is B_ij, how much having item i adds to item j's score.
   * The diagonal is 0. Float32 storage: half the memory of float64 (a 4,000-item model holds 16 M weights, 64 MB),
   * far more precision than a ranking needs; scores sum in float64.
   */
  readonly weights: Float32Array;
  /** `users + 1` offsets into the training interactions. */
  readonly seenIndptr: Int32Array;
  /** The items each user interacted with, ascending within a user. */
  readonly seenIndices: Int32Array;
  /** x_ui, the user's row of X (transformed values) aligned with `seenIndices`: the weights of the score. */
  readonly seenValues: Float64Array;
}

/**
 * The JSON form of an {@link EaseModel}.
 *
 * @category neighbors
 */
export interface EaseModelJSON {
  /** Always `"ease"`. */
  readonly kind: "ease";
  /** The format version, 1. */
  readonly version: 1;
  /** The value transform. */
  readonly values: ValueTransform;
  /** Whether negative pairs were left out. */
  readonly dropNegative: boolean;
  /** λ. */
  readonly regularization: number;
  /** The recency weighting (`halfLifeDays` null: none); absent in models written before it existed. */
  readonly recency?: EaseRecencyJSON;
  /** User ids. */
  readonly users: IdIndexJSON;
  /** Item ids. */
  readonly items: IdIndexJSON;
  /** B row-major (items × items), each a 32-bit float. */
  readonly weights: number[];
  /** Interaction offsets. */
  readonly seenIndptr: number[];
  /** Interacted items. */
  readonly seenIndices: number[];
  /** X's values. */
  readonly seenValues: number[];
}

function readRegularization(fn: string, options: EaseOptions): { absolute: number | undefined; relative: number } {
  const absolute = options.regularization;
  const relative = options.relativeRegularization;
  if (absolute !== undefined && relative !== undefined) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.regularization and options.relativeRegularization must not both be given, got ${describeValue(absolute)} and ${describeValue(relative)}`,
    );
  }
  for (const [name, value] of [["options.regularization", absolute], ["options.relativeRegularization", relative]] as const) {
    if (value === undefined) continue;
    assertFiniteNumber(fn, name, value);
    if (!(value > 0)) throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be > 0, got ${describeValue(value)}`);
  }
  return { absolute, relative: relative ?? DEFAULT_RELATIVE_REGULARIZATION };
}

/**
 * Fits EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): the item-item weights B that
 * minimize ‖X − XB‖² + λ‖B‖² subject to diag(B) = 0, in closed form: with P = (XᵀX + λI)⁻¹,
 * B_ij = −P_ij / P_jj (i ≠ j) and B_ii = 0. A user's score for item j is Σ_i x_ui B_ij over the items i the user
 * bought, so every score splits over the purchases behind it. X holds the interaction values as `values` says
 * (binary by default); λ defaults to a multiple of the mean diagonal of XᵀX. Weights can be negative (items
 * that rarely go together).
 *
 * The Gram matrix is accumulated sparsely from each user's items; the inverse is the blocked sweep of
 * `spdInverse` (`nextbest/linalg`), nearly all of the time: on the Online Retail II training period before
 * 2010-09-01 (3,299 accounts, 3,735 products) the fit takes 12–13 s on one core of a shared 2-core machine.
 *
 * Complexity: O(Σ_u n_u² + items³/2) time, O(items²) memory (8 bytes per pair while fitting, 4 in the model).
 *
 * @param interactions - the training interactions (values: counts, quantities, spend; 1 when the rows had none)
 * @param options - λ (absolute or relative), the value transform, negative values; see {@link EaseOptions}
 * @returns a new frozen {@link EaseModel}; `interactions` is not changed
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed Interactions object or an invalid option, or a
 *   negative value with a transform that needs values >= 0; `E_EMPTY` without users or items; `E_NON_FINITE` for a
 *   non-finite value; `E_NOT_CONVERGED` when XᵀX + λI is not positive definite to working precision (a λ far too
 *   small for the values' scale)
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitEase } from "nextbest/neighbors";
 * const purchases = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "acme", item: "erp" },
 *   { user: "globex", item: "crm" }, { user: "globex", item: "erp" }, { user: "globex", item: "bi" },
 *   { user: "initech", item: "crm" },
 * ]);
 * // XᵀX + λI = [[4, 2, 1], [2, 3, 1], [1, 1, 2]]; its inverse is [[5, -3, -1], [-3, 7, -2], [-1, -2, 8]] / 13
 * const model = fitEase(purchases, { regularization: 1 });
 * // row crm: B(crm, erp) = 3 / 7, B(crm, bi) = 1 / 8
 * Array.from(model.weights.subarray(0, 3), (w) => w.toFixed(4)); // => ["0.0000", "0.4286", "0.1250"]
 * // λ by default: 10 × the mean diagonal of XᵀX (buyers per item 3, 2, 1)
 * fitEase(purchases).regularization; // => 20
 * ```
 * @category neighbors
 */
export function fitEase(interactions: Interactions, options: EaseOptions = {}): EaseModel {
  const fn = "fitEase";
  checkInteractions(fn, interactions);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const { absolute, relative } = readRegularization(fn, options);
  const valueOptions = readValueOptions(fn, options);
  const recency = readRecency(fn, options, interactions);
  const threads = options.threads ?? availableThreads();
  assertInteger(fn, "options.threads", threads, 1, 256);
  const X = decayed(inputMatrix(fn, interactions, valueOptions, false), interactions, recency).byUser;
  const n = X.cols;
  const { indptr, indices, values } = X;
  // G = XᵀX, upper triangle, one user's outer product at a time (each user's items are ascending).
  const onProgress = progressOption(fn, options.onProgress);
  const G = new Float64Array(n * n);
  for (let u = 0; u < X.rows; u++) {
    const end = indptr[u + 1]!;
    for (let p = indptr[u]!; p < end; p++) {
      const xa = values[p]!;
      if (xa === 0) continue;
      const row = indices[p]! * n;
      for (let q = p; q < end; q++) G[row + indices[q]!]! += xa * values[q]!;
    }
  }
  onProgress?.({ phase: "gram", step: 1, total: 1 });
  let trace = 0;
  for (let i = 0; i < n; i++) trace += G[i * n + i]!;
  const regularization = absolute ?? (trace > 0 ? (relative * trace) / n : relative);
  const failed = invertSpdUpperInPlace(G, n, regularization, undefined, n >= THREADED_MIN_ORDER ? threads : 1);
  onProgress?.({ phase: "inverse", step: 1, total: 1 });
  if (failed >= 0) {
    throw new NextbestError(
      "E_NOT_CONVERGED",
      `${fn}: options.regularization must make XᵀX + λI positive definite to working precision, got λ = ${regularization} (pivot of item ${describeValue(interactions.items.ids[failed])})`,
    );
  }
  // B_ij = −P_ij / P_jj, B_ii = 0
  const inverseDiagonal = new Float64Array(n);
  for (let j = 0; j < n; j++) inverseDiagonal[j] = 1 / G[j * n + j]!;
  const weights = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const o = i * n;
    for (let j = 0; j < n; j++) weights[o + j] = (0 - G[o + j]!) * inverseDiagonal[j]!; // 0 − P, so zeros stay +0
    weights[o + i] = 0;
  }
  const nnz = indptr[X.rows]!;
  return Object.freeze({
    kind: "ease",
    version: 1,
    values: valueOptions.values,
    dropNegative: valueOptions.dropNegative,
    regularization,
    recency,
    users: interactions.users,
    items: interactions.items,
    weights,
    seenIndptr: indptr.slice(),
    seenIndices: indices.slice(0, nnz),
    seenValues: values.slice(0, nnz),
  });
}

// Reads the recency options: the half-life (Infinity: none), the time ages are taken to, the unit.
function readRecency(fn: string, options: EaseOptions, interactions: Interactions): EaseModel["recency"] {
  const halfLifeDays = options.recencyHalfLifeDays ?? Number.POSITIVE_INFINITY;
  if (typeof halfLifeDays !== "number" || !(halfLifeDays > 0)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.recencyHalfLifeDays must be a number > 0 (Infinity: no decay), got ${describeValue(halfLifeDays)}`);
  }
  const timeUnit = resolveTimeUnit(fn, options.timeUnit, interactions);
  if (halfLifeDays === Number.POSITIVE_INFINITY) return Object.freeze({ halfLifeDays, asOf: null, timeUnit });
  const timestamps = interactions.timestamps;
  if (timestamps === undefined) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: interactions must have timestamps with options.recencyHalfLifeDays, got a dataset without them`);
  }
  let asOf = options.asOf;
  if (asOf === undefined) {
    asOf = Number.NEGATIVE_INFINITY;
    for (let p = 0; p < timestamps.length; p++) if (timestamps[p]! > asOf) asOf = timestamps[p]!;
  } else if (typeof asOf !== "number" || !Number.isFinite(asOf)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.asOf must be a finite number (a timestamp), got ${describeValue(asOf)}`);
  }
  return Object.freeze({ halfLifeDays, asOf, timeUnit });
}

// X with each pair's value times 0.5^(age of its latest purchase / half-life); X itself without decay. Pairs bought
// after asOf count as bought at asOf.
function decayed(X: Interactions, source: Interactions, recency: EaseModel["recency"]): Interactions {
  if (recency.asOf === null) return X;
  const { byUser } = X;
  const nnz = byUser.indptr[byUser.rows]!;
  const out = new Float64Array(nnz);
  const scale = recency.halfLifeDays * dayLength(recency.timeUnit);
  const times = source.timestamps!;
  for (let p = 0; p < nnz; p++) out[p] = byUser.values[p]! * Math.pow(0.5, Math.max(0, recency.asOf - times[p]!) / scale);
  return freezeInteractions(X.users, X.items, { ...byUser, values: out }, undefined);
}

/** O(1) structural checks of an EASE model. */
function checkEaseModel(fn: string, model: unknown): asserts model is EaseModel {
  const kind = (model as { kind?: unknown } | null)?.kind;
  if (kind !== "ease") {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model must be an EASE model (kind "ease"), got ${typeof model === "object" && model !== null ? `kind ${describeValue(kind)}` : describeValue(model)}`);
  }
  checkModelHeader(fn, model, "ease", 1);
  const m = model as EaseModel;
  const items = m.items.ids.length;
  if (!(m.weights instanceof Float32Array) || m.weights.length !== items * items) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.weights must be a Float32Array of length ${items * items} (items × items), got ${describeValue(m.weights)}`);
  }
  const nnz = m.seenIndptr[m.users.ids.length]!;
  if (m.seenIndices.length !== nnz || !(m.seenValues instanceof Float64Array) || m.seenValues.length !== nnz) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.seenValues must be a Float64Array of length ${nnz} (one per interaction), got ${describeValue(m.seenValues)}`);
  }
}

/**
 * The {@link Recommender} adapter of an EASE model: `scoreUser` writes score(u, j) = Σ_i x_ui · B_ij for every item j,
 * summed over the user's items i in ascending order (float64 sums); seen items are filtered by the generic
 * functions. Unknown users get the fallback popularity scores (distinct users per item), source `"popularity"`.
 * The name is `"ease"`; there is no `predict` (the scores are not ratings).
 *
 * Cheap: O(1) checks, no copying. `scoreUser` costs O(n_u · items).
 *
 * @param model - a fitted or deserialized EASE model
 * @returns a recommender for `recommend`, `recommendMany`, `scoreItems`, evaluation and hybrids
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 EASE model or its arrays disagree
 *   in length
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { easeRecommender, fitEase } from "nextbest/neighbors";
 * import { recommend } from "nextbest/recommend";
 * const purchases = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "acme", item: "erp" },
 *   { user: "globex", item: "crm" }, { user: "globex", item: "erp" }, { user: "globex", item: "bi" },
 *   { user: "initech", item: "crm" },
 * ]);
 * const ease = easeRecommender(fitEase(purchases, { regularization: 1 }));
 * recommend(ease, "initech").items.map((r) => [r.item, r.score.toFixed(4)]); // => [["erp", "0.4286"], ["bi", "0.1250"]]
 * recommend(ease, "hooli").fallback; // => { reason: "unknown-user", source: "popularity" }
 * ```
 * @category neighbors
 */
export function easeRecommender(model: EaseModel): Recommender {
  const fn = "easeRecommender";
  checkEaseModel(fn, model);
  const { users, items, weights: B, seenIndptr: up, seenIndices: ui, seenValues: uv } = model;
  const n = items.ids.length;
  const userCount = users.ids.length;
  return Object.freeze({
    name: "ease",
    users,
    items,
    scoreUser(user: number, out: Float64Array): void {
      checkUserIndex("easeRecommender.scoreUser", user, userCount);
      checkScoreBuffer("easeRecommender.scoreUser", out, n);
      out.fill(0);
      for (let p = up[user]!; p < up[user + 1]!; p++) {
        const w = uv[p]!;
        if (w === 0) continue;
        const o = ui[p]! * n;
        for (let j = 0; j < n; j++) out[j]! += w * B[o + j]!;
      }
    },
    seenItems(user: number): ArrayLike<number> {
      checkUserIndex("easeRecommender.seenItems", user, userCount);
      return ui.subarray(up[user]!, up[user + 1]!);
    },
    fallback: popularityFallback(items, ui),
    // A new account's rows weighted as a training account's (value transform, recency decay when it has times).
    ...(historyWeights(model) === undefined
      ? {}
      : {
          scoreHistory(history: ItemHistory, out: Float64Array): void {
            checkScoreBuffer("easeRecommender.scoreHistory", out, n);
            const weights = historyWeights(model)!("easeRecommender.scoreHistory", history);
            out.fill(0);
            for (let k = 0; k < history.items.length; k++) {
              const w = weights[k]!;
              if (w === 0) continue;
              const o = history.items[k]! * n;
              for (let j = 0; j < n; j++) out[j]! += w * B[o + j]!;
            }
          },
        }),
  });
}

/**
 * How a new account's rows are weighted, as `inputMatrix` and the recency decay weighted a training account's; undefined
 * for the corpus-wide transforms (bm25, tfidf), whose weights a single new row cannot reproduce.
 */
function historyWeights(model: EaseModel): ((fn: string, history: ItemHistory) => Float64Array) | undefined {
  const { recency } = model;
  const weights = elementwiseHistoryWeights(model.values, model.dropNegative, model.items);
  if (weights === undefined) return undefined;
  const scale = recency.halfLifeDays * dayLength(recency.timeUnit);
  return (fn, history) =>
    weights(fn, history).map((weight, k) => {
      const time = history.timestamps?.[k];
      return recency.asOf === null || time === undefined ? weight : weight * Math.pow(0.5, Math.max(0, recency.asOf - time) / scale);
    });
}

/**
 * The JSON form of an EASE model, ready for `JSON.stringify`. The weights are items² numbers: a 3,735-item model
 * writes 14 M of them, 322 MB of JSON text (3.7 s to stringify). V8's longest string (about 537 M characters) caps
 * `JSON.stringify` of a model near 4,800 items.
 *
 * Complexity: O(users + items² + nnz).
 *
 * @param model - the model
 * @returns a new plain object; the model is not changed
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 EASE model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { easeToJSON, fitEase } from "nextbest/neighbors";
 * const model = fitEase(createInteractions([{ user: "acme", item: "crm" }, { user: "acme", item: "erp" }]), { regularization: 1 });
 * // XᵀX + I = [[2, 1], [1, 2]]: B(crm, erp) = B(erp, crm) = 1 / 2
 * easeToJSON(model).weights; // => [0, 0.5, 0.5, 0]
 * ```
 * @category neighbors
 */
export function easeToJSON(model: EaseModel): EaseModelJSON {
  checkEaseModel("easeToJSON", model);
  return {
    kind: "ease",
    version: 1,
    values: model.values,
    dropNegative: model.dropNegative,
    regularization: model.regularization,
    recency: {
      halfLifeDays: model.recency.halfLifeDays === Number.POSITIVE_INFINITY ? null : model.recency.halfLifeDays,
      asOf: model.recency.asOf,
      timeUnit: model.recency.timeUnit,
    },
    users: idIndexFieldToJSON(model.users),
    items: idIndexFieldToJSON(model.items),
    weights: typedArrayToJSON(model.weights),
    ...seenToJSON(model),
    seenValues: typedArrayToJSON(model.seenValues),
  };
}

// Models written before the recency option are classic EASE.
function recencyFromJSON(fn: string, value: unknown): EaseModel["recency"] {
  if (value === undefined) return Object.freeze({ halfLifeDays: Number.POSITIVE_INFINITY, asOf: null, timeUnit: "seconds" });
  if (typeof value !== "object" || value === null) badModel(fn, "json.recency", "be an object { halfLifeDays, asOf, timeUnit }", value);
  const r = value as Record<string, unknown>;
  const halfLifeDays = r["halfLifeDays"];
  if (halfLifeDays !== null && (typeof halfLifeDays !== "number" || !Number.isFinite(halfLifeDays) || !(halfLifeDays > 0))) {
    badModel(fn, "json.recency.halfLifeDays", "be a finite number > 0 or null (no decay)", halfLifeDays);
  }
  const asOf = r["asOf"];
  if (halfLifeDays === null ? asOf !== null : typeof asOf !== "number" || !Number.isFinite(asOf)) {
    badModel(fn, "json.recency.asOf", halfLifeDays === null ? "be null without decay" : "be a finite number (a timestamp)", asOf);
  }
  const timeUnit = r["timeUnit"];
  if (timeUnit !== "seconds" && timeUnit !== "milliseconds") badModel(fn, "json.recency.timeUnit", 'be "seconds" or "milliseconds"', timeUnit);
  return Object.freeze({ halfLifeDays: halfLifeDays ?? Number.POSITIVE_INFINITY, asOf: asOf as number | null, timeUnit });
}

/** Reads the weights straight into a Float32Array: finite 32-bit floats, a zero diagonal. */
function weightsFromJSON(fn: string, value: unknown, n: number): Float32Array {
  if (!Array.isArray(value)) badModel(fn, "json.weights", "be an array of numbers (serialize models with easeToJSON)", value);
  if (value.length !== n * n) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: json.weights must have length ${n * n} (items × items), got length ${value.length}`);
  }
  const out = new Float32Array(n * n);
  for (let p = 0; p < out.length; p++) {
    const v = value[p];
    if (typeof v !== "number") badModel(fn, `json.weights[${p}]`, "be a finite number", v);
    out[p] = v;
    if (out[p]! - out[p]! !== 0) badModel(fn, `json.weights[${p}]`, "be a finite number that fits a 32-bit float", v);
  }
  for (let i = 0; i < n; i++) if (out[i * n + i] !== 0) badModel(fn, `json.weights[${i * n + i}]`, `be 0 (the diagonal B(${i}, ${i}))`, out[i * n + i]);
  return out;
}

/**
 * Rebuilds an EASE model from its JSON form (parsed), validating kind, version, options, ids, the weights (items²
 * finite 32-bit floats with a zero diagonal) and the interactions pattern.
 *
 * Complexity: O(users + items² + nnz).
 *
 * @param json - the parsed JSON of {@link easeToJSON}
 * @returns a new frozen {@link EaseModel} that scores exactly as the one serialized
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { easeFromJSON, easeToJSON, fitEase } from "nextbest/neighbors";
 * const model = fitEase(createInteractions([{ user: "acme", item: "crm" }, { user: "acme", item: "erp" }]), { regularization: 1 });
 * easeFromJSON(JSON.parse(JSON.stringify(easeToJSON(model)))).regularization; // => 1
 * easeFromJSON({ ...easeToJSON(model), weights: [1, 0.5, 0.5, 0] });
 * // throws NextbestError E_BAD_MODEL: "easeFromJSON: json.weights[0] must be 0 (the diagonal B(0, 0)), got 1"
 * ```
 * @category neighbors
 */
export function easeFromJSON(json: unknown): EaseModel {
  const fn = "easeFromJSON";
  const record = readModelEnvelope(fn, json, "ease", [1]);
  const { values, dropNegative } = valueOptionsFromJSON(fn, record);
  const regularization = record["regularization"];
  if (typeof regularization !== "number" || !Number.isFinite(regularization) || !(regularization > 0)) {
    badModel(fn, "json.regularization", "be a finite number > 0", regularization);
  }
  const users = idIndexFieldFromJSON(fn, "json.users", record["users"]);
  const items = idIndexFieldFromJSON(fn, "json.items", record["items"]);
  const weights = weightsFromJSON(fn, record["weights"], items.ids.length);
  const seen = seenFromJSON(fn, record, users, items);
  const seenValues = float64ArrayFromJSON(fn, "json.seenValues", record["seenValues"], { length: seen.seenIndices.length, lengthMeaning: "one per interaction" });
  const recency = recencyFromJSON(fn, record["recency"]);
  return Object.freeze({
    kind: "ease",
    version: 1,
    values,
    dropNegative,
    regularization,
    recency,
    users,
    items,
    weights,
    ...seen,
    seenValues,
  });
}
