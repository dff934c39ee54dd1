/**
 * The look-alike recommender: an account is scored by what its most similar customers (by firmographics) bought.
 *
 * @module
 */
import { checkInteractions, checkModelHeader, checkScoreBuffer, checkUserIndex } from "../recommend/contract.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { uniqueIdIndex, type IdIndex, type IdIndexJSON } from "../core/id-index.ts";
import type { Interactions } from "../data/types.ts";
import {
  badModel,
  compressedRowsFromJSON,
  float64ArrayFromJSON,
  idIndexFieldFromJSON,
  idIndexFieldToJSON,
  readModelEnvelope,
  typedArrayToJSON,
} from "../internal/serialize.ts";
import { assertInteger } from "../internal/validate.ts";
import { gemvF64 } from "../linalg/kernels.ts";
import { topK } from "../linalg/topk.ts";
import type { Recommender } from "../recommend/types.ts";
import type { ContentItems } from "./recommender.ts";
import { checkAccountTable, unitRows } from "./similarity.ts";

/**
 * Options of {@link fitLookAlikeModel}.
 *
 * @category content
 */
export interface LookAlikeModelOptions {
  /** How many of the most similar customers vote (an integer >= 1). @defaultValue 50 */
  neighbors?: number;
}

/**
 * A fitted look-alike model: the accounts' unit firmographic rows and the customers' purchases. Plain, frozen data.
 *
 * @category content
 */
export interface LookAlikeModel {
  /** Always `"look-alike"`. */
  readonly kind: "look-alike";
  /** Format version, 1. */
  readonly version: 1;
  /** Every account with a firmographic row (customers and prospects), in the order of `accounts.ids`. */
  readonly users: IdIndex;
  /** The products bought. */
  readonly items: IdIndex;
  /** Number of firmographic features. */
  readonly dimension: number;
  /** `users × dimension` unit rows, row-major. */
  readonly features: Float64Array;
  /** Purchases per account in compressed rows (`users + 1` offsets); also what each account has seen. */
  readonly seenIndptr: Int32Array;
  /** Bought item indices, ascending within each account. */
  readonly seenIndices: Int32Array;
  /** How many neighbours vote. */
  readonly neighbors: number;
}

/**
 * The JSON form of a {@link LookAlikeModel}.
 *
 * @category content
 */
export interface LookAlikeModelJSON {
  /** Always `"look-alike"`. */
  readonly kind: "look-alike";
  /** Format version, 1. */
  readonly version: 1;
  /** Account ids. */
  readonly users: IdIndexJSON;
  /** Product ids. */
  readonly items: IdIndexJSON;
  /** As {@link LookAlikeModel.dimension}. */
  readonly dimension: number;
  /** As {@link LookAlikeModel.features}. */
  readonly features: number[];
  /** As {@link LookAlikeModel.seenIndptr}. */
  readonly seenIndptr: number[];
  /** As {@link LookAlikeModel.seenIndices}. */
  readonly seenIndices: number[];
  /** As {@link LookAlikeModel.neighbors}. */
  readonly neighbors: number;
}

/**
 * Fits the look-alike model: the accounts' firmographic rows (scaled to unit length) and who bought what. Accounts
 * without a firmographic row are left out; purchases of products are kept as bought/not bought.
 *
 * User-based nearest neighbours where similarity comes from firmographics instead of purchases (the "look-alike
 * audience" of B2B prospecting), so it answers for prospects that have bought nothing.
 *
 * Complexity: O(accounts · dimension + purchases).
 *
 * @param interactions - the purchases (users are accounts)
 * @param accounts - encoded firmographics, one row per account id (customers and prospects)
 * @param options - number of voting neighbours
 * @returns a new frozen {@link LookAlikeModel}
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for bad arguments, `E_SHAPE` when features and ids disagree,
 *   `E_DUPLICATE` for a repeated account id, `E_NON_FINITE` for a non-finite feature, `E_EMPTY` when no purchasing
 *   account has a firmographic row
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { denseFromRows } from "nextbest/linalg";
 * import { fitLookAlikeModel, lookAlikeRecommender } from "nextbest/content";
 * import { recommend } from "nextbest/recommend";
 * // Firmographics: [manufacturing, retail]. Two manufacturers bought "erp", a retailer "pos"; "m3" is a prospect.
 * const purchases = createInteractions([
 *   { user: "m1", item: "erp" }, { user: "m2", item: "erp" }, { user: "m2", item: "crm" }, { user: "r1", item: "pos" },
 * ]);
 * const accounts = { ids: ["m1", "m2", "r1", "m3"], features: denseFromRows([[1, 0], [1, 0.2], [0, 1], [1, 0]]) };
 * const model = fitLookAlikeModel(purchases, accounts, { neighbors: 2 });
 * recommend(lookAlikeRecommender(model), "m3").items.map((r) => r.item); // => ["erp", "crm", "pos"]
 * ```
 * @category content
 */
export function fitLookAlikeModel(interactions: Interactions, accounts: ContentItems, options: LookAlikeModelOptions = {}): LookAlikeModel {
  const fn = "fitLookAlikeModel";
  checkInteractions(fn, interactions);
  checkAccountTable(fn, "accounts", accounts);
  const a = accounts.features;
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const neighbors = options.neighbors ?? 50;
  assertInteger(fn, "options.neighbors", neighbors, 1);
  const users = uniqueIdIndex(fn, "accounts.ids", accounts.ids);
  const items = interactions.items;
  const rows: number[][] = Array.from({ length: users.ids.length }, () => []);
  let customers = 0;
  const { indptr, indices } = interactions.byUser;
  interactions.users.ids.forEach((id, source) => {
    const u = users.lookup.get(id);
    if (u === undefined || indptr[source + 1] === indptr[source]) return;
    customers++;
    const row = rows[u]!;
    for (let p = indptr[source]!; p < indptr[source + 1]!; p++) row.push(indices[p]!);
    row.sort((x, y) => x - y);
  });
  if (customers === 0) throw new NextbestError("E_EMPTY", `${fn}: no account with purchases has a row in accounts.ids`);
  const seenIndptr = new Int32Array(users.ids.length + 1);
  for (let u = 0; u < rows.length; u++) seenIndptr[u + 1] = seenIndptr[u]! + rows[u]!.length;
  return Object.freeze({
    kind: "look-alike",
    version: 1,
    users,
    items,
    dimension: a.cols,
    features: unitRows(a),
    seenIndptr,
    seenIndices: Int32Array.from(rows.flat()),
    neighbors,
  });
}

function checkLookAlikeModel(fn: string, model: unknown): asserts model is LookAlikeModel {
  checkModelHeader(fn, model, "look-alike", 1);
  const m = model as unknown as LookAlikeModel;
  if (!(m.features instanceof Float64Array) || m.features.length !== m.users.ids.length * m.dimension || m.seenIndptr.length !== m.users.ids.length + 1) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.features must be a Float64Array of users × dimension and seenIndptr must have users + 1 entries`);
  }
}

/**
 * The {@link Recommender} adapter of a look-alike model: for an account, its `neighbors` most similar other accounts
 * that bought something (cosine of firmographic rows, ties by account order) vote for what they bought, each vote
 * weighted by the similarity (negative similarities do not vote). Every account with a firmographic row is known,
 * prospects included; its own purchases are its seen items.
 *
 * Cheap: O(1). `scoreUser` costs O(accounts · dimension + neighbors · purchases per account).
 *
 * @param model - a fitted or deserialized look-alike model
 * @returns a recommender named `"look-alike"` for `recommend`, evaluation and hybrids
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 look-alike model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { denseFromRows } from "nextbest/linalg";
 * import { fitLookAlikeModel, lookAlikeRecommender } from "nextbest/content";
 * import { scoreItems } from "nextbest/recommend";
 * const purchases = createInteractions([{ user: "a", item: "x" }, { user: "b", item: "y" }]);
 * const accounts = { ids: ["a", "b", "p"], features: denseFromRows([[1, 0], [0, 1], [3, 4]]) };
 * const lookAlike = lookAlikeRecommender(fitLookAlikeModel(purchases, accounts));
 * Array.from(scoreItems(lookAlike, "p").scores, (s) => s.toFixed(2)); // => ["0.60", "0.80"]
 * ```
 * @category content
 */
export function lookAlikeRecommender(model: LookAlikeModel): Recommender {
  const fn = "lookAlikeRecommender";
  checkLookAlikeModel(fn, model);
  const { users, items, dimension, features, seenIndptr, seenIndices, neighbors } = model;
  const userCount = users.ids.length;
  const itemCount = items.ids.length;
  const similarity = new Float64Array(userCount);
  const mask = new Uint8Array(userCount);
  for (let v = 0; v < userCount; v++) if (seenIndptr[v + 1] === seenIndptr[v]) mask[v] = 1;
  const customers = userCount - mask.reduce((s, m) => s + m, 0);
  const k = Math.min(neighbors, Math.max(1, customers));
  return Object.freeze({
    name: "look-alike",
    users,
    items,
    scoreUser(user: number, out: Float64Array): void {
      checkUserIndex("lookAlikeRecommender.scoreUser", user, userCount);
      checkScoreBuffer("lookAlikeRecommender.scoreUser", out, itemCount);
      gemvF64(features, userCount, dimension, features.subarray(user * dimension, (user + 1) * dimension), similarity);
      const own = mask[user]!;
      mask[user] = 1;
      const top = topK(similarity, { k, exclude: mask });
      mask[user] = own;
      out.fill(0);
      for (let j = 0; j < top.length; j++) {
        const v = top[j]!;
        const weight = similarity[v]!;
        if (!(weight > 0)) continue;
        for (let p = seenIndptr[v]!; p < seenIndptr[v + 1]!; p++) out[seenIndices[p]!] = out[seenIndices[p]!]! + weight;
      }
    },
    seenItems(user: number): ArrayLike<number> {
      checkUserIndex("lookAlikeRecommender.seenItems", user, userCount);
      return seenIndices.subarray(seenIndptr[user]!, seenIndptr[user + 1]!);
    },
  });
}

/**
 * The JSON form of a look-alike model, ready for `JSON.stringify`.
 *
 * Complexity: O(accounts · dimension + purchases).
 *
 * @param model - the model
 * @returns plain data; {@link lookAlikeFromJSON} reads it back
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a look-alike model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { denseFromRows } from "nextbest/linalg";
 * import { fitLookAlikeModel, lookAlikeFromJSON, lookAlikeToJSON } from "nextbest/content";
 * const model = fitLookAlikeModel(createInteractions([{ user: "a", item: "x" }]), { ids: ["a"], features: denseFromRows([[3, 4]]) });
 * lookAlikeToJSON(model).features.map((v) => v.toFixed(2)); // => ["0.60", "0.80"]
 * lookAlikeFromJSON(JSON.parse(JSON.stringify(lookAlikeToJSON(model)))).neighbors; // => 50
 * ```
 * @category content
 */
export function lookAlikeToJSON(model: LookAlikeModel): LookAlikeModelJSON {
  checkLookAlikeModel("lookAlikeToJSON", model);
  return {
    kind: "look-alike",
    version: 1,
    users: idIndexFieldToJSON(model.users),
    items: idIndexFieldToJSON(model.items),
    dimension: model.dimension,
    features: typedArrayToJSON(model.features),
    seenIndptr: typedArrayToJSON(model.seenIndptr),
    seenIndices: typedArrayToJSON(model.seenIndices),
    neighbors: model.neighbors,
  };
}

/**
 * Rebuilds a look-alike model from its JSON form (parsed), validating every field.
 *
 * Complexity: O(accounts · dimension + purchases).
 *
 * @param json - the parsed JSON of {@link lookAlikeToJSON}
 * @returns a new frozen {@link LookAlikeModel}
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { denseFromRows } from "nextbest/linalg";
 * import { fitLookAlikeModel, lookAlikeFromJSON, lookAlikeToJSON } from "nextbest/content";
 * const json = lookAlikeToJSON(fitLookAlikeModel(createInteractions([{ user: "a", item: "x" }]), { ids: ["a"], features: denseFromRows([[1]]) }));
 * lookAlikeFromJSON({ ...json, neighbors: 0 });
 * // throws NextbestError E_BAD_MODEL: "lookAlikeFromJSON: json.neighbors must be an integer >= 1, got 0"
 * ```
 * @category content
 */
export function lookAlikeFromJSON(json: unknown): LookAlikeModel {
  const fn = "lookAlikeFromJSON";
  const record = readModelEnvelope(fn, json, "look-alike", [1]);
  const users = idIndexFieldFromJSON(fn, "json.users", record["users"]);
  const items = idIndexFieldFromJSON(fn, "json.items", record["items"]);
  const dimension = record["dimension"];
  if (typeof dimension !== "number" || !Number.isInteger(dimension) || dimension < 0) badModel(fn, "json.dimension", "be an integer >= 0", dimension);
  const neighbors = record["neighbors"];
  if (typeof neighbors !== "number" || !Number.isInteger(neighbors) || neighbors < 1) badModel(fn, "json.neighbors", "be an integer >= 1", neighbors);
  const features = float64ArrayFromJSON(fn, "json.features", record["features"], { length: users.ids.length * dimension, lengthMeaning: "users × dimension" });
  const seen = compressedRowsFromJSON(fn, "json.seenIndptr", "json.seenIndices", record["seenIndptr"], record["seenIndices"], users.ids.length, items.ids.length);
  return Object.freeze({
    kind: "look-alike",
    version: 1,
    users,
    items,
    dimension,
    features,
    seenIndptr: seen.indptr,
    seenIndices: seen.indices,
    neighbors,
  });
}
