/**
 * The content recommender: an account's profile is the weighted mean of the feature vectors of the products it
 * bought, and products are scored by cosine with that profile.
 *
 * @module
 */
import { checkInteractions, checkModelHeader, checkScoreBuffer, checkUserIndex } from "../recommend/contract.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { uniqueIdIndex, type Id, type IdIndex, type IdIndexJSON } from "../core/id-index.ts";
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
import { dayLength, resolveTimeUnit } from "../internal/time.ts";
import { gemvF64 } from "../linalg/kernels.ts";
import type { DenseMatrix } from "../linalg/types.ts";
import type { ItemHistory, Recommender } from "../recommend/types.ts";
import { checkAccountTable, unitRows } from "./similarity.ts";

/**
 * The product catalog with its features: `features` row `i` describes product `ids[i]`. It may hold products nobody
 * has bought yet; they are scored like any other.
 *
 * @category content
 */
export interface ContentItems {
  /** Product ids, unique, one per feature row. */
  readonly ids: readonly Id[];
  /** The encoded products (e.g. `encodeRows(encoder, products)`), `ids.length` rows. */
  readonly features: DenseMatrix;
}

/** How interaction values weight a purchase in a profile. @category content */
export type ValueWeighting = "none" | "linear" | "log1p";

/**
 * Options of {@link fitContentRecommender}.
 *
 * @category content
 */
export interface ContentOptions {
  /**
   * Recency weighting: a purchase `age` days before the reference time weighs 2^(−age / halfLifeDays).
   * Requires timestamps in the interactions.
   * @defaultValue undefined (no decay: every purchase counts fully)
   */
  halfLifeDays?: number;
  /** Unit of the interaction timestamps. @defaultValue "seconds" */
  timeUnit?: "seconds" | "milliseconds";
  /** The time ages are measured from, in `timeUnit`. @defaultValue the latest timestamp in the interactions */
  referenceTime?: number;
  /**
   * Value weighting: `"linear"` weighs a purchase by its value (quantity, spend), `"log1p"` by ln(1 + value) (for
   * spend spanning orders of magnitude), `"none"` counts every purchase once. Values must be ≥ 0 unless `"none"`.
   * @defaultValue "linear"
   */
  valueWeighting?: ValueWeighting;
  /**
   * What an interaction with a product missing from the catalog does: `"error"` throws `E_UNKNOWN_ID`, `"ignore"`
   * leaves it out of the profile (and of the seen items).
   * @defaultValue "error"
   */
  missingItems?: "error" | "ignore";
}

/**
 * A fitted content model: plain, versioned data with typed arrays inside. Use it through
 * {@link contentRecommender}; serialize it with {@link contentToJSON}.
 *
 * @category content
 */
export interface ContentModel {
  /** Discriminant. */
  readonly kind: "content";
  /** Format version; {@link contentFromJSON} reads version 1. */
  readonly version: 1;
  /** The accounts with a profile (those in the interactions). */
  readonly users: IdIndex;
  /** The catalog, in the order of `ContentItems.ids`. */
  readonly items: IdIndex;
  /** Feature dimension. */
  readonly dimension: number;
  /** `items × dimension` unit-norm product vectors (all-zero rows stay zero). */
  readonly itemVectors: Float64Array;
  /** `users × dimension` unit-norm account profiles (zero when no purchase had features or weight). */
  readonly profiles: Float64Array;
  /** Distinct buyers per catalog product: the fallback ranking for unknown accounts. */
  readonly popularity: Float64Array;
  /** `users + 1` offsets into `seenIndices`. */
  readonly seenIndptr: Int32Array;
  /** The catalog indices each account bought, ascending per account. */
  readonly seenIndices: Int32Array;
  /**
   * How purchases were weighted into the profiles, so a new account's history is weighted the same way
   * (`recommendForHistory`); absent in models written before it was recorded (read as linear values, no decay).
   */
  readonly profileWeighting?: ContentProfileWeighting;
}

/**
 * How a content model weighted purchases into profiles: the value weighting and the recency decay.
 *
 * @category content
 */
export interface ContentProfileWeighting {
  /** The value weighting, see {@link ContentOptions.valueWeighting}. */
  readonly valueWeighting: ValueWeighting;
  /** The half-life in days, or null for no decay. */
  readonly halfLifeDays: number | null;
  /** The time ages were measured from, or null without decay. */
  readonly referenceTime: number | null;
  /** The unit of the timestamps. */
  readonly timeUnit: "seconds" | "milliseconds";
}

/**
 * The JSON form of a {@link ContentModel}.
 *
 * @category content
 */
export interface ContentModelJSON {
  /** Always `"content"`. */
  readonly kind: "content";
  /** The format version, 1. */
  readonly version: 1;
  /** Account ids. */
  readonly users: IdIndexJSON;
  /** Product ids. */
  readonly items: IdIndexJSON;
  /** Feature dimension. */
  readonly dimension: number;
  /** Product vectors, row-major. */
  readonly itemVectors: number[];
  /** Account profiles, row-major. */
  readonly profiles: number[];
  /** Distinct buyers per product. */
  readonly popularity: number[];
  /** Seen offsets. */
  readonly seenIndptr: number[];
  /** Seen product indices. */
  readonly seenIndices: number[];
  /** How purchases were weighted into the profiles; absent in older models. */
  readonly profileWeighting?: ContentProfileWeighting;
}


function checkPositive(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a finite number > 0, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Fits the content recommender. Each account's profile is the weighted mean of the unit feature vectors of the
 * products it bought, each purchase weighted by its value (see `valueWeighting`) times 2^(−age / half-life) (see
 * `halfLifeDays`); a product's score is the cosine of the profile and the product vector (the classic content-based
 * profile of Pazzani & Billsus, "Content-based recommendation systems", 2007, with exponential time decay). Every
 * catalog product gets a score, including products nobody has bought, so new products can be recommended the day they
 * are added. Unknown accounts get popularity (distinct buyers) as a marked fallback.
 *
 * Complexity: O(nnz · dimension + (users + items) · dimension) time; the model holds O((users + items) · dimension)
 * numbers.
 *
 * @param interactions - the purchases (from `createInteractions`); values and timestamps are used as configured
 * @param catalog - the product ids and their encoded features
 * @param options - recency and value weighting, missing products
 * @returns a new frozen {@link ContentModel}; the inputs are not changed
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a bad option or argument, a negative value with value weighting,
 *   or `halfLifeDays` without timestamps; `E_SHAPE` when features and ids disagree; `E_DUPLICATE` for a repeated
 *   product id; `E_UNKNOWN_ID` for a purchased product missing from the catalog (unless ignored); `E_NON_FINITE` for a
 *   NaN feature
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { denseFromRows } from "nextbest/linalg";
 * import { contentRecommender, fitContentRecommender } from "nextbest/content";
 * import { recommend } from "nextbest/recommend";
 * const purchases = createInteractions([{ user: "acme", item: "crm" }, { user: "globex", item: "erp" }]);
 * // Columns: sales tools, finance tools. "crm-ai" is new: nobody has bought it.
 * const catalog = { ids: ["crm", "erp", "crm-ai"], features: denseFromRows([[1, 0], [0, 1], [0.9, 0.1]]) };
 * const model = fitContentRecommender(purchases, catalog);
 * recommend(contentRecommender(model), "acme", { k: 1 }).items[0].item; // => "crm-ai"
 * ```
 * @category content
 */
export function fitContentRecommender(interactions: Interactions, catalog: ContentItems, options: ContentOptions = {}): ContentModel {
  const fn = "fitContentRecommender";
  checkInteractions(fn, interactions);
  if (typeof catalog !== "object" || catalog === null || !Array.isArray(catalog.ids)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: catalog must be { ids, features }, got ${describeValue(catalog)}`);
  }
  const features = catalog.features as Partial<DenseMatrix> | undefined;
  if (typeof features !== "object" || features === null || !(features.data instanceof Float64Array) || !Number.isInteger(features.cols) || features.cols! < 0) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: catalog.features must be a Float64 DenseMatrix, got ${describeValue(features)}`);
  }
  const itemCount = catalog.ids.length;
  const dimension = features.cols!;
  if (features.rows !== itemCount || features.data.length !== itemCount * dimension) {
    throw new NextbestError(
      "E_SHAPE",
      `${fn}: catalog.features must have one row per id (${itemCount} × ${dimension}), got ${describeValue(features.rows)} rows and ${features.data.length} values`,
    );
  }
  for (let p = 0; p < features.data.length; p++) {
    if (!Number.isFinite(features.data[p]!)) {
      throw new NextbestError("E_NON_FINITE", `${fn}: catalog.features row ${Math.floor(p / dimension)} column ${p % dimension} must be finite, got ${describeValue(features.data[p])}`);
    }
  }
  if (itemCount === 0) throw new NextbestError("E_EMPTY", `${fn}: catalog.ids must hold at least one product, got 0`);
  const items = uniqueIdIndex(fn, "catalog.ids", catalog.ids);
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const halfLife = options.halfLifeDays === undefined ? undefined : checkPositive(fn, "options.halfLifeDays", options.halfLifeDays);
  const timeUnit = resolveTimeUnit(fn, options.timeUnit, interactions);
  const weighting = options.valueWeighting ?? "linear";
  if (weighting !== "none" && weighting !== "linear" && weighting !== "log1p") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.valueWeighting must be "none", "linear" or "log1p", got ${describeValue(weighting)}`);
  }
  const missing = options.missingItems ?? "error";
  if (missing !== "error" && missing !== "ignore") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.missingItems must be "error" or "ignore", got ${describeValue(missing)}`);
  }
  const timestamps = interactions.timestamps;
  if (halfLife !== undefined && timestamps === undefined) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.halfLifeDays needs interactions with timestamps, got interactions without timestamps`);
  }
  let reference = -Infinity;
  if (halfLife !== undefined) {
    if (options.referenceTime !== undefined) {
      if (typeof options.referenceTime !== "number" || !Number.isFinite(options.referenceTime)) {
        throw new NextbestError("E_BAD_INPUT", `${fn}: options.referenceTime must be a finite number, got ${describeValue(options.referenceTime)}`);
      }
      reference = options.referenceTime;
    } else {
      for (const t of timestamps!) if (t > reference) reference = t;
    }
  }
  const unitsPerDay = dayLength(timeUnit);

  // Map interaction item indices to catalog indices.
  const sourceItems = interactions.items.ids;
  const toCatalog = new Int32Array(sourceItems.length);
  for (let i = 0; i < sourceItems.length; i++) {
    const c = items.lookup.get(sourceItems[i]!);
    if (c === undefined) {
      if (missing === "error") {
        throw new NextbestError("E_UNKNOWN_ID", `${fn}: interactions item ${describeValue(sourceItems[i])} must be in catalog.ids (or set options.missingItems to "ignore")`);
      }
      toCatalog[i] = -1;
    } else toCatalog[i] = c;
  }

  const itemVectors = unitRows({ rows: itemCount, cols: dimension, data: features.data });
  const userCount = interactions.users.ids.length;
  const profiles = new Float64Array(userCount * dimension);
  const popularity = new Float64Array(itemCount);
  const { indptr, indices, values } = interactions.byUser;
  const seenIndptr = new Int32Array(userCount + 1);
  const seenList: number[] = [];
  for (let u = 0; u < userCount; u++) {
    const o = u * dimension;
    const start = seenList.length;
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
      const c = toCatalog[indices[p]!]!;
      if (c < 0) continue;
      seenList.push(c);
      popularity[c] = popularity[c]! + 1;
      const value = values[p]!;
      let w = 1;
      if (weighting !== "none") {
        if (!(value >= 0)) {
          throw new NextbestError("E_BAD_INPUT", `${fn}: interactions value of user ${describeValue(interactions.users.ids[u])} and item ${describeValue(sourceItems[indices[p]!])} must be >= 0 for value weighting, got ${describeValue(value)}`);
        }
        w = weighting === "linear" ? value : Math.log1p(value);
      }
      if (halfLife !== undefined) {
        const ageDays = Math.max(0, (reference - timestamps![p]!) / unitsPerDay);
        w *= Math.pow(2, -ageDays / halfLife);
      }
      if (w === 0) continue;
      const io = c * dimension;
      for (let j = 0; j < dimension; j++) profiles[o + j] = profiles[o + j]! + w * itemVectors[io + j]!;
    }
    // The mean's scale does not change cosines: store the unit profile.
    let ss = 0;
    for (let j = 0; j < dimension; j++) ss += profiles[o + j]! * profiles[o + j]!;
    if (ss > 0 && Number.isFinite(ss)) {
      const inv = 1 / Math.sqrt(ss);
      for (let j = 0; j < dimension; j++) profiles[o + j] = profiles[o + j]! * inv;
    } else profiles.fill(0, o, o + dimension);
    const mine = seenList.slice(start).sort((a, b) => a - b);
    for (let t = 0; t < mine.length; t++) seenList[start + t] = mine[t]!;
    seenIndptr[u + 1] = seenList.length;
  }
  return Object.freeze({
    kind: "content",
    version: 1,
    users: interactions.users,
    items,
    dimension,
    itemVectors,
    profiles,
    popularity,
    seenIndptr,
    seenIndices: Int32Array.from(seenList),
    profileWeighting: Object.freeze({
      valueWeighting: weighting,
      halfLifeDays: halfLife ?? null,
      referenceTime: halfLife === undefined ? null : reference,
      timeUnit,
    }),
  });
}

function checkContentModel(fn: string, model: unknown): asserts model is ContentModel {
  checkModelHeader(fn, model, "content", 1);
  const m = model as ContentModel;
  const users = m.users.ids.length;
  const items = m.items.ids.length;
  const d = m.dimension;
  if (!Number.isInteger(d) || d < 0) throw new NextbestError("E_BAD_MODEL", `${fn}: model.dimension must be an integer >= 0, got ${describeValue(d)}`);
  const checks: [string, unknown, number][] = [
    ["itemVectors", m.itemVectors, items * d],
    ["profiles", m.profiles, users * d],
    ["popularity", m.popularity, items],
  ];
  for (const [name, value, length] of checks) {
    if (!(value instanceof Float64Array) || value.length !== length) {
      throw new NextbestError("E_BAD_MODEL", `${fn}: model.${name} must be a Float64Array of length ${length}, got ${describeValue(value)}`);
    }
  }
}

/**
 * Options of {@link contentRecommender}: a firmographic cold start. An account the model does not know but that has a
 * row in `accounts` gets the profile `accountVector · projection` (a row vector times an `accountDim × itemDim`
 * matrix that maps account features to product-feature space, e.g. "manufacturing" → "industrial IoT" tags), and its
 * products are scored by cosine with that profile.
 *
 * @category content
 */
export interface ContentRecommenderOptions {
  /**
   * Encoded firmographics of accounts that may be cold (e.g. prospects), one row per id.
   * @defaultValue undefined (unknown accounts get popularity)
   */
  accounts?: ContentItems;
  /**
   * The `accounts.features.cols × model.dimension` projection from account features to product features; required
   * with `accounts`.
   * @defaultValue undefined
   */
  projection?: DenseMatrix;
}

/**
 * The {@link Recommender} adapter of a content model: a known account's scores are the cosines of its profile with
 * every product (0 for products without features). Unknown accounts get the catalog's popularity (distinct buyers),
 * marked with source `"popularity"`; with `accounts` and `projection` given, the fallback's source is
 * `"firmographics"`: unknown accounts with a firmographic row get cosines with their projected profile, and the rest
 * (or those whose projected profile is all zero) get popularity, reported per account as source `"popularity"`.
 *
 * Cheap: O(1) checks of the model, no copying (O(accounts) to index the optional accounts). `scoreUser` and the
 * firmographic fallback cost O(items · dimension).
 *
 * @param model - a fitted or deserialized content model
 * @param options - an optional firmographic cold start
 * @returns a recommender for `recommend`, evaluation and hybrids
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 content model or its arrays
 *   disagree in length; `E_BAD_INPUT` / `E_SHAPE` / `E_DUPLICATE` for bad accounts or projection
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { denseFromRows } from "nextbest/linalg";
 * import { contentRecommender, fitContentRecommender } from "nextbest/content";
 * import { recommend } from "nextbest/recommend";
 * const purchases = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "globex", item: "erp" }, { user: "initech", item: "erp" },
 * ]);
 * const catalog = { ids: ["crm", "erp"], features: denseFromRows([[1, 0], [0, 1]]) };
 * const model = fitContentRecommender(purchases, catalog);
 * const content = contentRecommender(model);
 * recommend(content, "acme").items; // => [{ item: "erp", score: 0, rank: 1 }]
 * recommend(content, "hooli").items.map((r) => r.item); // => ["erp", "crm"]
 * recommend(content, "hooli").fallback; // => { reason: "unknown-user", source: "popularity" }
 * // Firmographics (columns: sales-led, finance-led) mapped to product features by a given projection.
 * const cold = contentRecommender(model, {
 *   accounts: { ids: ["hooli"], features: denseFromRows([[1, 0]]) },
 *   projection: denseFromRows([[1, 0], [0, 1]]),
 * });
 * recommend(cold, "hooli").items.map((r) => r.item); // => ["crm", "erp"]
 * recommend(cold, "hooli").fallback; // => { reason: "unknown-user", source: "firmographics" }
 * ```
 * @category content
 */
export function contentRecommender(model: ContentModel, options: ContentRecommenderOptions = {}): Recommender {
  const fn = "contentRecommender";
  checkContentModel(fn, model);
  const { users, items, dimension, itemVectors, profiles, popularity, seenIndptr, seenIndices } = model;
  const itemCount = items.ids.length;
  const userCount = users.ids.length;
  const profile = new Float64Array(dimension);
  const firmographic = firmographicFallback(fn, model, options);
  return Object.freeze({
    name: "content",
    users,
    items,
    scoreUser(user: number, out: Float64Array): void {
      checkUserIndex("contentRecommender.scoreUser", user, userCount);
      checkScoreBuffer("contentRecommender.scoreUser", out, itemCount);
      profile.set(profiles.subarray(user * dimension, (user + 1) * dimension));
      gemvF64(itemVectors, itemCount, dimension, profile, out);
    },
    seenItems(user: number): ArrayLike<number> {
      checkUserIndex("contentRecommender.seenItems", user, userCount);
      return seenIndices.subarray(seenIndptr[user]!, seenIndptr[user + 1]!);
    },
    // A new account: its profile from its history, weighted as the training accounts' were, then cosines.
    scoreHistory(history: ItemHistory, out: Float64Array): void {
      checkScoreBuffer("contentRecommender.scoreHistory", out, itemCount);
      const weighting = model.profileWeighting;
      profile.fill(0);
      for (let k = 0; k < history.items.length; k++) {
        const value = history.values[k]!;
        let w = 1;
        if (weighting?.valueWeighting !== "none") {
          if (!(value >= 0)) {
            throw new NextbestError("E_BAD_INPUT", `contentRecommender.scoreHistory: history values must be >= 0 for value weighting, got ${describeValue(value)} for item ${describeValue(items.ids[history.items[k]!])}`);
          }
          w = weighting?.valueWeighting === "log1p" ? Math.log1p(value) : value;
        }
        const time = history.timestamps?.[k];
        if (weighting !== undefined && weighting.halfLifeDays !== null && weighting.referenceTime !== null && time !== undefined) {
          w *= Math.pow(2, -Math.max(0, (weighting.referenceTime - time) / dayLength(weighting.timeUnit)) / weighting.halfLifeDays);
        }
        if (w === 0) continue;
        const io = history.items[k]! * dimension;
        for (let j = 0; j < dimension; j++) profile[j] = profile[j]! + w * itemVectors[io + j]!;
      }
      let ss = 0;
      for (let j = 0; j < dimension; j++) ss += profile[j]! * profile[j]!;
      if (ss > 0 && Number.isFinite(ss)) {
        const inverse = 1 / Math.sqrt(ss);
        for (let j = 0; j < dimension; j++) profile[j] = profile[j]! * inverse;
      } else profile.fill(0);
      gemvF64(itemVectors, itemCount, dimension, profile, out);
    },
    fallback: Object.freeze({
      source: firmographic === undefined ? "popularity" : "firmographics",
      scoreInto(user: Id, out: Float64Array): void {
        checkScoreBuffer("contentRecommender.fallback.scoreInto", out, itemCount);
        if (firmographic === undefined || !firmographic(user, out)) out.set(popularity);
      },
      // A prospect without a usable firmographic row gets popularity, and is reported so.
      sourceFor(user: Id): string {
        return firmographic !== undefined && firmographic(user, null) ? "firmographics" : "popularity";
      },
    }),
  });
}

/**
 * Builds the firmographic scorer: projects the account's row and, when the profile is usable, writes cosines with it
 * into `out` (unless `out` is null: only the answer is wanted) and returns true; returns false otherwise.
 */
function firmographicFallback(
  fn: string,
  model: ContentModel,
  options: ContentRecommenderOptions,
): ((user: Id, out: Float64Array | null) => boolean) | undefined {
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const { accounts, projection } = options;
  if (accounts === undefined && projection === undefined) return undefined;
  if (accounts === undefined || projection === undefined) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.accounts and options.projection must be given together, got only ${accounts === undefined ? "projection" : "accounts"}`);
  }
  checkAccountTable(fn, "options.accounts", accounts);
  const a = accounts.features;
  if (typeof projection !== "object" || projection === null || !(projection.data instanceof Float64Array)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.projection must be a Float64 DenseMatrix, got ${describeValue(projection)}`);
  }
  const d = model.dimension;
  if (projection.rows !== a.cols || projection.cols !== d || projection.data.length !== a.cols * d) {
    throw new NextbestError("E_SHAPE", `${fn}: options.projection must be ${a.cols} × ${d} (account features × product features), got ${projection.rows} × ${projection.cols}`);
  }
  for (let p = 0; p < projection.data.length; p++) {
    if (!Number.isFinite(projection.data[p]!)) {
      throw new NextbestError("E_NON_FINITE", `${fn}: options.projection row ${Math.floor(p / d)} column ${p % d} must be finite, got ${describeValue(projection.data[p])}`);
    }
  }
  const lookup = uniqueIdIndex(fn, "options.accounts.ids", accounts.ids).lookup;
  const accountData = a.data;
  const projectionData = projection.data;
  const accountDim = a.cols;
  const { itemVectors } = model;
  const itemCount = model.items.ids.length;
  const profile = new Float64Array(d);
  return (user: Id, out: Float64Array | null): boolean => {
    const row = lookup.get(user);
    if (row === undefined) return false;
    profile.fill(0);
    for (let f = 0; f < accountDim; f++) {
      const x = accountData[row * accountDim + f]!;
      if (x === 0) continue;
      for (let j = 0; j < d; j++) profile[j] = profile[j]! + x * projectionData[f * d + j]!;
    }
    let ss = 0;
    for (let j = 0; j < d; j++) ss += profile[j]! * profile[j]!;
    if (!(ss > 0) || !Number.isFinite(ss)) return false;
    const inv = 1 / Math.sqrt(ss);
    for (let j = 0; j < d; j++) profile[j] = profile[j]! * inv;
    if (out !== null) gemvF64(itemVectors, itemCount, d, profile, out);
    return true;
  };
}

/**
 * The JSON form of a content model, ready for `JSON.stringify`.
 *
 * Complexity: O((users + items) · dimension + nnz).
 *
 * @param model - the model
 * @returns a new plain object; the model is not changed
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 content model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { denseFromRows } from "nextbest/linalg";
 * import { contentToJSON, fitContentRecommender } from "nextbest/content";
 * const model = fitContentRecommender(createInteractions([{ user: "acme", item: "crm" }]), {
 *   ids: ["crm"], features: denseFromRows([[3, 4]]),
 * });
 * contentToJSON(model).itemVectors.map((v) => v.toFixed(2)); // => ["0.60", "0.80"]
 * ```
 * @category content
 */
export function contentToJSON(model: ContentModel): ContentModelJSON {
  checkContentModel("contentToJSON", model);
  return {
    kind: "content",
    version: 1,
    users: idIndexFieldToJSON(model.users),
    items: idIndexFieldToJSON(model.items),
    dimension: model.dimension,
    itemVectors: typedArrayToJSON(model.itemVectors),
    profiles: typedArrayToJSON(model.profiles),
    popularity: typedArrayToJSON(model.popularity),
    seenIndptr: typedArrayToJSON(model.seenIndptr),
    seenIndices: typedArrayToJSON(model.seenIndices),
    ...(model.profileWeighting === undefined ? {} : { profileWeighting: { ...model.profileWeighting } }),
  };
}

/**
 * Rebuilds a content model from its JSON form (parsed), validating kind, version, ids, array lengths, finiteness and
 * the seen pattern.
 *
 * Complexity: O((users + items) · dimension + nnz).
 *
 * @param json - the parsed JSON of {@link contentToJSON}
 * @returns a new frozen {@link ContentModel} equal to the one serialized
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { denseFromRows } from "nextbest/linalg";
 * import { contentFromJSON, contentToJSON, fitContentRecommender } from "nextbest/content";
 * const model = fitContentRecommender(createInteractions([{ user: "acme", item: "crm" }]), {
 *   ids: ["crm"], features: denseFromRows([[3, 4]]),
 * });
 * const copy = contentFromJSON(JSON.parse(JSON.stringify(contentToJSON(model))));
 * Array.from(copy.profiles).map((v) => v.toFixed(2)); // => ["0.60", "0.80"]
 * contentFromJSON({ ...contentToJSON(model), dimension: -1 });
 * // throws NextbestError E_BAD_MODEL: "contentFromJSON: json.dimension must be an integer >= 0, got -1"
 * ```
 * @category content
 */
export function contentFromJSON(json: unknown): ContentModel {
  const fn = "contentFromJSON";
  const record = readModelEnvelope(fn, json, "content", [1]);
  const users = idIndexFieldFromJSON(fn, "json.users", record["users"]);
  const items = idIndexFieldFromJSON(fn, "json.items", record["items"]);
  const dimension = record["dimension"];
  if (typeof dimension !== "number" || !Number.isInteger(dimension) || dimension < 0) badModel(fn, "json.dimension", "be an integer >= 0", dimension);
  const itemVectors = float64ArrayFromJSON(fn, "json.itemVectors", record["itemVectors"], { length: items.ids.length * dimension, lengthMeaning: "items × dimension" });
  const profiles = float64ArrayFromJSON(fn, "json.profiles", record["profiles"], { length: users.ids.length * dimension, lengthMeaning: "users × dimension" });
  const popularity = float64ArrayFromJSON(fn, "json.popularity", record["popularity"], { length: items.ids.length, lengthMeaning: "one per item" });
  const seen = compressedRowsFromJSON(fn, "json.seenIndptr", "json.seenIndices", record["seenIndptr"], record["seenIndices"], users.ids.length, items.ids.length);
  const profileWeighting = record["profileWeighting"] === undefined ? undefined : profileWeightingFromJSON(fn, record["profileWeighting"]);
  return Object.freeze({
    ...(profileWeighting === undefined ? {} : { profileWeighting }),
    kind: "content",
    version: 1,
    users,
    items,
    dimension,
    itemVectors,
    profiles,
    popularity,
    seenIndptr: seen.indptr,
    seenIndices: seen.indices,
  });
}

function profileWeightingFromJSON(fn: string, value: unknown): ContentProfileWeighting {
  const r = value as Partial<Record<keyof ContentProfileWeighting, unknown>> | null;
  if (typeof r !== "object" || r === null) badModel(fn, "json.profileWeighting", "be an object { valueWeighting, halfLifeDays, referenceTime, timeUnit }", value);
  const w = r as Partial<Record<keyof ContentProfileWeighting, unknown>>;
  if (w.valueWeighting !== "none" && w.valueWeighting !== "linear" && w.valueWeighting !== "log1p") badModel(fn, "json.profileWeighting.valueWeighting", 'be "none", "linear" or "log1p"', w.valueWeighting);
  if (w.halfLifeDays !== null && !(typeof w.halfLifeDays === "number" && Number.isFinite(w.halfLifeDays) && w.halfLifeDays > 0)) badModel(fn, "json.profileWeighting.halfLifeDays", "be a finite number > 0 or null", w.halfLifeDays);
  if (w.referenceTime !== null && !(typeof w.referenceTime === "number" && Number.isFinite(w.referenceTime))) badModel(fn, "json.profileWeighting.referenceTime", "be a finite number or null", w.referenceTime);
  if (w.timeUnit !== "seconds" && w.timeUnit !== "milliseconds") badModel(fn, "json.profileWeighting.timeUnit", 'be "seconds" or "milliseconds"', w.timeUnit);
  return Object.freeze({
    valueWeighting: w.valueWeighting as ValueWeighting,
    halfLifeDays: w.halfLifeDays as number | null,
    referenceTime: w.referenceTime as number | null,
    timeUnit: w.timeUnit as "seconds" | "milliseconds",
  });
}
