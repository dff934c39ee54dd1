/**
 * RP3β, the popularity-discounted random walk of Paudel, Christoffel and Bernstein (ACM TiiS 2017): sparse item-item
 * weights from two steps of a walk on the account–product graph.
 *
 * @module
 */
import { progressOption, type ProgressCallback } from "../core/progress.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import type { IdIndex, IdIndexJSON } from "../core/id-index.ts";
import type { ValueTransform } from "../data/transform.ts";
import type { Interactions } from "../data/types.ts";
import {
  badModel,
  float64ArrayFromJSON,
  idIndexFieldFromJSON,
  idIndexFieldToJSON,
  readModelEnvelope,
  typedArrayToJSON,
} from "../internal/serialize.ts";
import { assertFiniteNumber, assertInteger } from "../internal/validate.ts";
import { checkInteractions, checkModelHeader, popularityFallback, seenFromJSON, seenToJSON } from "../recommend/contract.ts";
import type { Recommender } from "../recommend/types.ts";
import { inputMatrix, readValueOptions, valueOptionsFromJSON } from "./item-weights.ts";
import { computeNeighborLists } from "./kernel.ts";
import { availableThreads } from "../linalg/wasm/threads.ts";
import { elementwiseHistoryWeights, integerFromJSON, neighborListsFromJSON, sparseItemWeightsRecommender } from "./shared.ts";

/**
 * Options of {@link fitRp3Beta}. The defaults were chosen on the Online Retail II validation cut (train before
 * 2010-06-01, validate June–August 2010, binary values; 514 settings over α 0.25–1.5, β 0–0.8, K 10–400, with and
 * without normalization). With normalized rows, NDCG@10 on new products stays at 0.139–0.144 for α 0.375–0.75,
 * β 0.45–0.55, K 15–35 and falls for β ≥ 0.6 (0.03 at β = 0.8); without normalization the best cells are a little
 * higher (0.148 at α = 0.5, β = 0.4, K = 10, the grid's edge) but fall fast as α grows (at β = 0.5, K = 25: 0.135
 * at α = 0.75, 0.094 at α = 1). The defaults sit in the middle of the normalized plateau: 0.143 on new products, 0.310 on all
 * products (Dacrema et al.'s α = 1, β = 0.6, K = 100: 0.133 / 0.296). A larger K helps all products (0.322 at
 * K = 400) and costs new products (0.136).
 *
 * @category neighbors
 */
export interface Rp3BetaOptions {
  /** Called about a hundred times while the neighbour lists are computed (`phase` `"similarities"`). @defaultValue none */
  onProgress?: ProgressCallback;
  /** α > 0: each transition probability is raised to this power (α > 1 sharpens the walk, α < 1 flattens it). @defaultValue 0.75 */
  alpha?: number;
  /** β ≥ 0: each target item's weight is divided by its popularity to this power (0: the plain walk). @defaultValue 0.5 */
  beta?: number;
  /** K: how many target items each item keeps (the largest weights). @defaultValue 25 */
  neighbors?: number;
  /** Divide each item's kept weights by their sum, so every purchase carries the same total weight. @defaultValue true */
  normalize?: boolean;
  /**
   * How interaction values enter the graph (see `ValueTransform` in `nextbest/data`); a random walk needs values
   * >= 0. @defaultValue "binary"
   */
  values?: ValueTransform;
  /**
   * Leave pairs with a negative value (net returns) out of the graph: they stay seen but add nothing. Without it a
   * negative value throws (except with `"binary"`, which counts the pair as bought). @defaultValue false
   */
  dropNegative?: boolean;
  /**
   * Threads of the WebAssembly similarity kernel (Node's worker threads over one shared WebAssembly memory): the
   * items are split among them. Each item's list does not depend on the split, so the model is the same for every
   * thread count. Fits visiting fewer than 20 million co-rated pairs (Σ over users of their items squared) run on
   * one thread; the workers start once per process (about 60 ms each) and stay, idle, for later fits. Where threads
   * are unavailable (browsers, runtimes without SharedArrayBuffer) the fit runs on one.
   * @defaultValue the available cores in Node, 1 elsewhere
   */
  threads?: number;
}

/**
 * A fitted RP3β model: plain, versioned data. Serialize it with {@link rp3BetaToJSON}; use it through
 * {@link rp3BetaRecommender}; explain a score with `explainItemWeightsScore` in `nextbest/explain`.
 *
 * @category neighbors
 */
export interface Rp3BetaModel {
  /** Discriminant of the model family. */
  readonly kind: "rp3beta";
  /** Format version; {@link rp3BetaFromJSON} reads version 1. */
  readonly version: 1;
  /** α. */
  readonly alpha: number;
  /** β. */
  readonly beta: number;
  /** K, the targets kept per item. */
  readonly neighbors: number;
  /** Whether each item's weights were divided by their sum. */
  readonly normalize: boolean;
  /** How interaction values entered the graph. */
  readonly values: ValueTransform;
  /** Whether pairs with negative values were left out. */
  readonly dropNegative: boolean;
  /** The users seen in training. */
  readonly users: IdIndex;
  /** The items seen in training. */
  readonly items: IdIndex;
  /** `items + 1` offsets into the weight lists. */
  readonly neighborIndptr: Int32Array;
  /** Each item i's target items j, largest weight first (never i itself). */
  readonly neighborIndices: Int32Array;
  /** Their weights W_ij (all > 0). */
  readonly neighborSimilarities: Float64Array;
  /** `users + 1` offsets into the training interactions. */
  readonly seenIndptr: Int32Array;
  /** The items each user interacted with, ascending within a user. */
  readonly seenIndices: Int32Array;
  /** x_ui, the transformed values aligned with `seenIndices`: the weights of the score. */
  readonly seenValues: Float64Array;
}

/**
 * The JSON form of an {@link Rp3BetaModel}.
 *
 * @category neighbors
 */
export interface Rp3BetaModelJSON {
  /** Always `"rp3beta"`. */
  readonly kind: "rp3beta";
  /** The format version, 1. */
  readonly version: 1;
  /** α. */
  readonly alpha: number;
  /** β. */
  readonly beta: number;
  /** K. */
  readonly neighbors: number;
  /** Whether rows were normalized. */
  readonly normalize: boolean;
  /** The value transform. */
  readonly values: ValueTransform;
  /** Whether negative pairs were left out. */
  readonly dropNegative: boolean;
  /** User ids. */
  readonly users: IdIndexJSON;
  /** Item ids. */
  readonly items: IdIndexJSON;
  /** Weight list offsets. */
  readonly neighborIndptr: number[];
  /** Target items. */
  readonly neighborIndices: number[];
  /** Weights. */
  readonly neighborSimilarities: number[];
  /** Interaction offsets. */
  readonly seenIndptr: number[];
  /** Interacted items. */
  readonly seenIndices: number[];
  /** Transformed values. */
  readonly seenValues: number[];
}

/**
 * Fits RP3β (Paudel, Christoffel and Bernstein, "Updatable, Accurate, Diverse, and Scalable Recommendations for
 * Interactive Applications", ACM TiiS 2017; as implemented in Dacrema et al.'s RecSys 2019 evaluation): a walk from
 * item i to a buyer u and on to another of u's items j, with transition probabilities P_iu = x_ui / Σ_v x_vi and
 * P_uj = x_uj / Σ_k x_uk, each raised to the power α, discounted by the target's popularity pop_j = Σ_v x_vj to the
 * power β: W_ij = pop_j^−β · Σ_u P_iu^α · P_uj^α, W_ii = 0. Each item keeps its K largest weights, optionally
 * divided by their sum. A user's score for item j is Σ_i x_ui W_ij over the items i the user bought. β > 0 lifts
 * long-tail products; with binary values pop_j is the number of buyers, as in Dacrema et al.
 *
 * Computed sparsely (only co-bought pairs), without an items × items matrix.
 *
 * Complexity: O(Σ_users n_u²) time, O(items · K + nnz) memory for the model.
 *
 * @param interactions - the training interactions (values: counts, quantities, spend; 1 when the rows had none)
 * @param options - α, β, K, normalization, the value transform; see {@link Rp3BetaOptions}
 * @returns a new frozen {@link Rp3BetaModel}; `interactions` is not changed
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed Interactions object, an invalid option, or a
 *   negative value (unless `dropNegative`, or binary values); `E_EMPTY` without users or items; `E_NON_FINITE` for a
 *   non-finite value
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitRp3Beta } from "nextbest/neighbors";
 * const purchases = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "acme", item: "erp" },
 *   { user: "globex", item: "crm" }, { user: "globex", item: "erp" }, { user: "globex", item: "bi" },
 * ]);
 * // from crm to acme or globex (1/2 each), then to erp (1/2 from acme, 1/3 from globex) or bi (1/3 from globex)
 * const walk = fitRp3Beta(purchases, { alpha: 1, beta: 0, normalize: false });
 * Array.from(walk.neighborIndices.subarray(0, 2), (j) => walk.items.ids[j]); // => ["erp", "bi"]
 * Array.from(walk.neighborSimilarities.subarray(0, 2), (w) => w.toFixed(4)); // => ["0.4167", "0.1667"]
 * ```
 * @category neighbors
 */
export function fitRp3Beta(interactions: Interactions, options: Rp3BetaOptions = {}): Rp3BetaModel {
  const fn = "fitRp3Beta";
  checkInteractions(fn, interactions);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const alpha = options.alpha ?? 0.75;
  assertFiniteNumber(fn, "options.alpha", alpha);
  if (!(alpha > 0)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.alpha must be > 0, got ${describeValue(alpha)}`);
  const beta = options.beta ?? 0.5;
  assertFiniteNumber(fn, "options.beta", beta);
  if (!(beta >= 0)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.beta must be >= 0, got ${describeValue(beta)}`);
  const neighbors = options.neighbors ?? 25;
  assertInteger(fn, "options.neighbors", neighbors, 1, 2147483647);
  const threads = options.threads ?? availableThreads();
  assertInteger(fn, "options.threads", threads, 1, 256);
  const normalize = options.normalize ?? true;
  if (typeof normalize !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: options.normalize must be a boolean, got ${describeValue(normalize)}`);
  const valueOptions = readValueOptions(fn, options);
  const { byUser, byItem } = inputMatrix(fn, interactions, valueOptions, true);
  const userCount = byUser.rows;
  const itemCount = byItem.rows;
  const userSums = new Float64Array(userCount);
  for (let u = 0; u < userCount; u++) {
    let s = 0;
    for (let p = byUser.indptr[u]!; p < byUser.indptr[u + 1]!; p++) s += byUser.values[p]!;
    userSums[u] = s;
  }
  const itemSums = new Float64Array(itemCount);
  for (let i = 0; i < itemCount; i++) {
    let s = 0;
    for (let p = byItem.indptr[i]!; p < byItem.indptr[i + 1]!; p++) s += byItem.values[p]!;
    itemSums[i] = s;
  }
  // item → user steps P_iu^α (byItem order) and user → item steps with the target's discount P_uj^α · pop_j^−β
  // (byUser order); the kernel sums their products over the buyers u shared by i and j.
  const toUser = new Float64Array(byItem.values.length);
  for (let i = 0; i < itemCount; i++) {
    for (let p = byItem.indptr[i]!; p < byItem.indptr[i + 1]!; p++) {
      const x = byItem.values[p]!;
      toUser[p] = x > 0 ? Math.pow(x / itemSums[i]!, alpha) : 0;
    }
  }
  const toItem = new Float64Array(byUser.values.length);
  for (let u = 0; u < userCount; u++) {
    for (let p = byUser.indptr[u]!; p < byUser.indptr[u + 1]!; p++) {
      const x = byUser.values[p]!;
      const j = byUser.indices[p]!;
      toItem[p] = x > 0 ? Math.pow(x / userSums[u]!, alpha) * Math.pow(itemSums[j]!, -beta) : 0;
    }
  }
  const lists = computeNeighborLists({
    rows: byItem,
    columns: byUser,
    rowValues: toUser,
    columnValues: toItem,
    mode: "dot",
    minSupport: 1,
    shrinkage: 0,
    stored: neighbors,
    positiveOnly: true,
    onProgress: progressOption(fn, options.onProgress),
    threads,
  });
  if (normalize) {
    const w = lists.similarities;
    for (let i = 0; i < itemCount; i++) {
      let s = 0;
      for (let q = lists.indptr[i]!; q < lists.indptr[i + 1]!; q++) s += w[q]!;
      for (let q = lists.indptr[i]!; q < lists.indptr[i + 1]!; q++) w[q] = w[q]! / s;
    }
  }
  const nnz = byUser.indptr[userCount]!;
  return Object.freeze({
    kind: "rp3beta",
    version: 1,
    alpha,
    beta,
    neighbors,
    normalize,
    values: valueOptions.values,
    dropNegative: valueOptions.dropNegative,
    users: interactions.users,
    items: interactions.items,
    neighborIndptr: lists.indptr,
    neighborIndices: lists.indices,
    neighborSimilarities: lists.similarities,
    seenIndptr: byUser.indptr.slice(),
    seenIndices: byUser.indices.slice(0, nnz),
    seenValues: byUser.values.slice(0, nnz),
  });
}

/** O(1) structural checks of an RP3β model. */
function checkRp3BetaModel(fn: string, model: unknown): asserts model is Rp3BetaModel {
  const kind = (model as { kind?: unknown } | null)?.kind;
  if (kind !== "rp3beta") {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model must be an RP3β model (kind "rp3beta"), got ${typeof model === "object" && model !== null ? `kind ${describeValue(kind)}` : describeValue(model)}`);
  }
  checkModelHeader(fn, model, "rp3beta", 1);
  const m = model as Rp3BetaModel;
  const items = m.items.ids.length;
  const expect = (name: string, value: unknown, type: typeof Float64Array | typeof Int32Array, length: number | undefined, meaning: string): void => {
    if (!(value instanceof type) || (length !== undefined && value.length !== length)) {
      throw new NextbestError("E_BAD_MODEL", `${fn}: model.${name} must be a ${type.name} of length ${length} (${meaning}), got ${describeValue(value)}`);
    }
  };
  expect("neighborIndptr", m.neighborIndptr, Int32Array, items + 1, "one per item plus one");
  expect("neighborIndices", m.neighborIndices, Int32Array, m.neighborIndptr[items], "the number of stored weights");
  expect("neighborSimilarities", m.neighborSimilarities, Float64Array, m.neighborIndptr[items], "the number of stored weights");
  const nnz = m.seenIndptr[m.users.ids.length];
  expect("seenIndices", m.seenIndices, Int32Array, nnz, "the number of interactions");
  expect("seenValues", m.seenValues, Float64Array, nnz, "the number of interactions");
}

/**
 * The {@link Recommender} adapter of an RP3β model: `scoreUser` writes score(u, j) = Σ_i x_ui · W_ij for every item
 * (0 where no kept weight of the user's items reaches j); seen items are filtered by the generic functions. Unknown
 * users get the fallback popularity scores (distinct users per item), source `"popularity"`. The name is
 * `"rp3beta"`; there is no `predict` (the scores are not ratings).
 *
 * Cheap: O(1) checks, no copying. `scoreUser` costs O(items + n_u · K).
 *
 * @param model - a fitted or deserialized RP3β model
 * @returns a recommender for `recommend`, `recommendMany`, `scoreItems`, evaluation and hybrids
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 RP3β model or its arrays disagree
 *   in length
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitRp3Beta, rp3BetaRecommender } from "nextbest/neighbors";
 * import { recommend } from "nextbest/recommend";
 * const purchases = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "acme", item: "erp" },
 *   { user: "globex", item: "crm" }, { user: "globex", item: "erp" }, { user: "globex", item: "bi" },
 *   { user: "initech", item: "crm" },
 * ]);
 * const rp3 = rp3BetaRecommender(fitRp3Beta(purchases));
 * recommend(rp3, "initech").items.map((r) => r.item); // => ["erp", "bi"]
 * recommend(rp3, "hooli").fallback; // => { reason: "unknown-user", source: "popularity" }
 * ```
 * @category neighbors
 */
export function rp3BetaRecommender(model: Rp3BetaModel): Recommender {
  const fn = "rp3BetaRecommender";
  checkRp3BetaModel(fn, model);
  return sparseItemWeightsRecommender(
    fn,
    "rp3beta",
    model,
    popularityFallback(model.items, model.seenIndices),
    elementwiseHistoryWeights(model.values, model.dropNegative, model.items),
  );
}

/**
 * The JSON form of an RP3β model, ready for `JSON.stringify`.
 *
 * Complexity: O(users + items · K + nnz).
 *
 * @param model - the model
 * @returns a new plain object; the model is not changed
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 RP3β model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitRp3Beta, rp3BetaToJSON } from "nextbest/neighbors";
 * const model = fitRp3Beta(createInteractions([{ user: "acme", item: "crm" }, { user: "acme", item: "erp" }]));
 * rp3BetaToJSON(model).neighborSimilarities; // => [1, 1]
 * ```
 * @category neighbors
 */
export function rp3BetaToJSON(model: Rp3BetaModel): Rp3BetaModelJSON {
  checkRp3BetaModel("rp3BetaToJSON", model);
  return {
    kind: "rp3beta",
    version: 1,
    alpha: model.alpha,
    beta: model.beta,
    neighbors: model.neighbors,
    normalize: model.normalize,
    values: model.values,
    dropNegative: model.dropNegative,
    users: idIndexFieldToJSON(model.users),
    items: idIndexFieldToJSON(model.items),
    neighborIndptr: typedArrayToJSON(model.neighborIndptr),
    neighborIndices: typedArrayToJSON(model.neighborIndices),
    neighborSimilarities: typedArrayToJSON(model.neighborSimilarities),
    ...seenToJSON(model),
    seenValues: typedArrayToJSON(model.seenValues),
  };
}

/**
 * Rebuilds an RP3β model from its JSON form (parsed), validating kind, version, options, ids, the weight lists
 * (targets in range, never the item itself, weights positive and sorted, at most K per item) and the interactions
 * pattern.
 *
 * Complexity: O(users + items · K + nnz).
 *
 * @param json - the parsed JSON of {@link rp3BetaToJSON}
 * @returns a new frozen {@link Rp3BetaModel} that scores exactly as the one serialized
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitRp3Beta, rp3BetaFromJSON, rp3BetaToJSON } from "nextbest/neighbors";
 * const model = fitRp3Beta(createInteractions([{ user: "acme", item: "crm" }, { user: "acme", item: "erp" }]));
 * rp3BetaFromJSON(JSON.parse(JSON.stringify(rp3BetaToJSON(model)))).beta; // => 0.5
 * rp3BetaFromJSON({ ...rp3BetaToJSON(model), alpha: 0 });
 * // throws NextbestError E_BAD_MODEL: "rp3BetaFromJSON: json.alpha must be a finite number > 0, got 0"
 * ```
 * @category neighbors
 */
export function rp3BetaFromJSON(json: unknown): Rp3BetaModel {
  const fn = "rp3BetaFromJSON";
  const record = readModelEnvelope(fn, json, "rp3beta", [1]);
  const alpha = record["alpha"];
  if (typeof alpha !== "number" || !Number.isFinite(alpha) || !(alpha > 0)) badModel(fn, "json.alpha", "be a finite number > 0", alpha);
  const beta = record["beta"];
  if (typeof beta !== "number" || !Number.isFinite(beta) || !(beta >= 0)) badModel(fn, "json.beta", "be a finite number >= 0", beta);
  const neighbors = integerFromJSON(fn, "json.neighbors", record["neighbors"], 1);
  const normalize = record["normalize"];
  if (typeof normalize !== "boolean") badModel(fn, "json.normalize", "be a boolean", normalize);
  const { values, dropNegative } = valueOptionsFromJSON(fn, record);
  const users = idIndexFieldFromJSON(fn, "json.users", record["users"]);
  const items = idIndexFieldFromJSON(fn, "json.items", record["items"]);
  const lists = neighborListsFromJSON(fn, record, items.ids.length, true);
  for (let i = 0; i < items.ids.length; i++) {
    const kept = lists.indptr[i + 1]! - lists.indptr[i]!;
    if (kept > neighbors) badModel(fn, `json.neighborIndptr[${i + 1}]`, `keep at most json.neighbors = ${neighbors} weights for item ${i}`, kept);
  }
  const seen = seenFromJSON(fn, record, users, items);
  const seenValues = float64ArrayFromJSON(fn, "json.seenValues", record["seenValues"], { length: seen.seenIndices.length, lengthMeaning: "one per interaction" });
  return Object.freeze({
    kind: "rp3beta",
    version: 1,
    alpha,
    beta,
    neighbors,
    normalize,
    values,
    dropNegative,
    users,
    items,
    neighborIndptr: lists.indptr,
    neighborIndices: lists.indices,
    neighborSimilarities: lists.similarities,
    ...seen,
    seenValues,
  });
}
