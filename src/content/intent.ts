/**
 * The buyer-intent recommender: products are scored by how much recent intent an account shows on their topics.
 *
 * @module
 */
import { checkModelHeader, checkScoreBuffer, checkUserIndex } from "../recommend/contract.ts";
import { validateInteractions } from "../data/validate.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, createIdIndex, uniqueIdIndex, type Id, type IdIndex, type IdIndexJSON } from "../core/id-index.ts";
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
import type { Recommender } from "../recommend/types.ts";

/**
 * One buyer-intent observation: an account researched a topic with some strength at some time (third-party intent
 * feeds, web visits, content downloads).
 *
 * @category content
 */
export interface IntentSignal {
  /** The account. */
  readonly account: Id;
  /** The topic, matched against the products' topics. */
  readonly topic: string;
  /** The strength, a finite number >= 0. */
  readonly score: number;
  /** When it was observed, in `timeUnit`. */
  readonly timestamp: number;
}

/**
 * The products and the intent topics each one answers: `topics[i]` belongs to product `ids[i]`.
 *
 * @category content
 */
export interface IntentCatalog {
  /** Product ids, unique. */
  readonly ids: readonly Id[];
  /** The topics of each product (e.g. its family); a product without topics scores 0. */
  readonly topics: readonly (readonly string[])[];
}

/**
 * Options of {@link fitIntentModel}.
 *
 * @category content
 */
export interface IntentOptions {
  /** Signals lose half their weight every `halfLifeDays` days before `asOf` (> 0; `Infinity`: no decay). @defaultValue 30 */
  halfLifeDays?: number;
  /** The time the intent is measured at, in `timeUnit`; later signals are ignored. @defaultValue the latest signal's timestamp */
  asOf?: number;
  /** Unit of the timestamps. @defaultValue "seconds" */
  timeUnit?: "seconds" | "milliseconds";
  /**
   * Purchases so far: their accounts' bought products are `seenItems` (not recommended again), and their accounts are
   * known even without intent. Items outside the catalog are ignored.
   * @defaultValue undefined (nothing seen)
   */
  purchases?: Interactions;
}

/**
 * A fitted intent model: plain, frozen data with typed arrays inside.
 *
 * @category content
 */
export interface IntentModel {
  /** Always `"intent"`. */
  readonly kind: "intent";
  /** Format version, 1. */
  readonly version: 1;
  /** The accounts: those with a signal, then those with purchases only. */
  readonly users: IdIndex;
  /** The catalog's products. */
  readonly items: IdIndex;
  /** The topics of the catalog, in first-seen order. */
  readonly topics: IdIndex;
  /** Decayed intent, `users × topics` row-major: Σ score · 2^(−age / half-life) over the account's signals on the topic. */
  readonly intent: Float64Array;
  /** `items × topics` row-major: 1 / (number of the item's topics) for each of its topics, else 0. */
  readonly itemTopics: Float64Array;
  /** The seen pattern (purchases) in compressed rows: `users + 1` offsets. */
  readonly seenIndptr: Int32Array;
  /** Seen item indices, ascending within each account. */
  readonly seenIndices: Int32Array;
  /** The time the intent was measured at, in the unit of the timestamps. */
  readonly asOf: number;
  /** The half-life used, in days. */
  readonly halfLifeDays: number;
}

/**
 * The JSON form of an {@link IntentModel}.
 *
 * @category content
 */
export interface IntentModelJSON {
  /** Always `"intent"`. */
  readonly kind: "intent";
  /** Format version, 1. */
  readonly version: 1;
  /** Account ids. */
  readonly users: IdIndexJSON;
  /** Product ids. */
  readonly items: IdIndexJSON;
  /** Topics. */
  readonly topics: IdIndexJSON;
  /** As {@link IntentModel.intent}. */
  readonly intent: number[];
  /** As {@link IntentModel.itemTopics}. */
  readonly itemTopics: number[];
  /** As {@link IntentModel.seenIndptr}. */
  readonly seenIndptr: number[];
  /** As {@link IntentModel.seenIndices}. */
  readonly seenIndices: number[];
  /** As {@link IntentModel.asOf}. */
  readonly asOf: number;
  /** As {@link IntentModel.halfLifeDays}; `null` for no decay (JSON has no Infinity). */
  readonly halfLifeDays: number | null;
}


/**
 * Fits the buyer-intent model: each account's intent per topic is the exponentially decayed sum of its signals
 * up to `asOf`, and a product's score for the account is the mean intent over the product's topics. A spike on
 * "security" last month ranks the security products first, for accounts with or without purchases.
 *
 * The time-decayed intent score of B2B intent data providers (recency-weighted topic surges); used as one component
 * of a hybrid, where the blender learns how much it is worth next to purchase history and firmographics.
 *
 * Complexity: O(signals + items · topics + users · topics + purchases).
 *
 * @param signals - the intent observations (any order)
 * @param catalog - the products and their topics
 * @param options - half-life, as-of time, time unit, purchases (see {@link IntentOptions})
 * @returns a new frozen {@link IntentModel}
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed signal, catalog or option (naming the row),
 *   `E_NON_FINITE` for a non-finite score or timestamp, `E_DUPLICATE` for a repeated product id,
 *   `E_EMPTY` when the catalog is empty
 * @example
 * ```ts
 * import { fitIntentModel, intentRecommender } from "nextbest/content";
 * import { recommend } from "nextbest/recommend";
 * const day = 86_400;
 * const model = fitIntentModel(
 *   [
 *     { account: "acme", topic: "security", score: 80, timestamp: 30 * day },
 *     { account: "acme", topic: "analytics", score: 80, timestamp: 0 },
 *   ],
 *   { ids: ["firewall", "dashboards"], topics: [["security"], ["analytics"]] },
 *   { halfLifeDays: 30 },
 * );
 * Array.from(model.intent); // => [80, 40]
 * recommend(intentRecommender(model), "acme").items.map((r) => [r.item, r.score]);
 * // => [["firewall", 80], ["dashboards", 40]]
 * ```
 * @category content
 */
export function fitIntentModel(signals: readonly IntentSignal[], catalog: IntentCatalog, options: IntentOptions = {}): IntentModel {
  const fn = "fitIntentModel";
  if (!Array.isArray(signals)) throw new NextbestError("E_BAD_INPUT", `${fn}: signals must be an array of { account, topic, score, timestamp }, got ${describeValue(signals)}`);
  if (typeof catalog !== "object" || catalog === null || !Array.isArray(catalog.ids) || !Array.isArray(catalog.topics)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: catalog must be { ids, topics }, got ${describeValue(catalog)}`);
  }
  if (catalog.ids.length === 0) throw new NextbestError("E_EMPTY", `${fn}: catalog must hold at least one product, got 0`);
  if (catalog.topics.length !== catalog.ids.length) {
    throw new NextbestError("E_SHAPE", `${fn}: catalog.topics must have one entry per id (${catalog.ids.length}), got ${catalog.topics.length}`);
  }
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const halfLifeDays = options.halfLifeDays ?? 30;
  if (typeof halfLifeDays !== "number" || Number.isNaN(halfLifeDays) || halfLifeDays <= 0) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.halfLifeDays must be a number > 0 (Infinity for no decay), got ${describeValue(halfLifeDays)}`);
  }
  const timeUnit = resolveTimeUnit(fn, options.timeUnit);
  const items = uniqueIdIndex(fn, "catalog.ids", catalog.ids);
  const topicList: string[] = [];
  catalog.topics.forEach((topics, i) => {
    if (!Array.isArray(topics)) throw new NextbestError("E_BAD_INPUT", `${fn}: catalog.topics[${i}] must be an array of strings, got ${describeValue(topics)}`);
    topics.forEach((topic: unknown, t) => {
      if (typeof topic !== "string" || topic === "") {
        throw new NextbestError("E_BAD_INPUT", `${fn}: catalog.topics[${i}][${t}] must be a non-empty string, got ${describeValue(topic)}`);
      }
      topicList.push(topic);
    });
  });
  const topics = createIdIndex(topicList);
  const topicCount = topics.ids.length;
  const itemTopics = new Float64Array(items.ids.length * topicCount);
  catalog.topics.forEach((list, i) => {
    const distinct = new Set<string>(list as readonly string[]);
    for (const topic of distinct) itemTopics[i * topicCount + topics.lookup.get(topic)!] = 1 / distinct.size;
  });

  let latest = Number.NEGATIVE_INFINITY;
  signals.forEach((signal: unknown, row) => {
    if (typeof signal !== "object" || signal === null) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: signals[${row}] must be an object { account, topic, score, timestamp }, got ${describeValue(signal)}`);
    }
    const { account, topic, score, timestamp } = signal as Partial<IntentSignal>;
    checkId(fn, `signals[${row}].account`, account);
    if (typeof topic !== "string" || topic === "") throw new NextbestError("E_BAD_INPUT", `${fn}: signals[${row}].topic must be a non-empty string, got ${describeValue(topic)}`);
    if (typeof score !== "number" || !Number.isFinite(score)) {
      throw new NextbestError(typeof score === "number" ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: signals[${row}].score must be a finite number >= 0, got ${describeValue(score)}`);
    }
    if (score < 0) throw new NextbestError("E_BAD_INPUT", `${fn}: signals[${row}].score must be a finite number >= 0, got ${score}`);
    if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) {
      throw new NextbestError(typeof timestamp === "number" ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: signals[${row}].timestamp must be a finite number, got ${describeValue(timestamp)}`);
    }
    if (timestamp > latest) latest = timestamp;
  });
  const asOf = options.asOf ?? (latest === Number.NEGATIVE_INFINITY ? 0 : latest);
  if (typeof asOf !== "number" || !Number.isFinite(asOf)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.asOf must be a finite number, got ${describeValue(asOf)}`);
  const purchases = options.purchases;
  if (purchases !== undefined) validateInteractions(fn, "options.purchases", purchases);

  const users = createIdIndex([...signals.map((s) => s.account), ...(purchases?.users.ids ?? [])]);
  const userCount = users.ids.length;
  const intent = new Float64Array(userCount * topicCount);
  const halfLife = halfLifeDays * dayLength(timeUnit);
  for (const { account, topic, score, timestamp } of signals) {
    const t = topics.lookup.get(topic);
    if (t === undefined || timestamp > asOf) continue;
    const u = users.lookup.get(account)!;
    const sum = intent[u * topicCount + t]! + score * 2 ** (-(asOf - timestamp) / halfLife);
    if (sum === Number.POSITIVE_INFINITY) {
      throw new NextbestError(
        "E_NON_FINITE",
        `${fn}: the decayed scores of account ${describeValue(account)} on topic ${describeValue(topic)} must sum to a finite number, got Infinity (scores near 1e308; rescale them)`,
      );
    }
    intent[u * topicCount + t] = sum;
  }

  const seenIndptr = new Int32Array(userCount + 1);
  const seenRows: number[][] = Array.from({ length: userCount }, () => []);
  if (purchases !== undefined) {
    const { indptr, indices } = purchases.byUser;
    purchases.users.ids.forEach((id, pu) => {
      const row = seenRows[users.lookup.get(id)!]!;
      for (let p = indptr[pu]!; p < indptr[pu + 1]!; p++) {
        const i = items.lookup.get(purchases.items.ids[indices[p]!]!);
        if (i !== undefined) row.push(i);
      }
      row.sort((a, b) => a - b);
    });
  }
  for (let u = 0; u < userCount; u++) seenIndptr[u + 1] = seenIndptr[u]! + seenRows[u]!.length;
  const seenIndices = Int32Array.from(seenRows.flat());
  return Object.freeze({ kind: "intent", version: 1, users, items, topics, intent, itemTopics, seenIndptr, seenIndices, asOf, halfLifeDays });
}

function isIdIndexLike(value: unknown): value is IdIndex {
  return typeof value === "object" && value !== null && Array.isArray((value as IdIndex).ids) && (value as IdIndex).lookup instanceof Map;
}

function checkIntentModel(fn: string, model: unknown): asserts model is IntentModel {
  checkModelHeader(fn, model, "intent", 1);
  const m = model as unknown as IntentModel;
  if (!(m.intent instanceof Float64Array) || !(m.itemTopics instanceof Float64Array) || !isIdIndexLike(m.topics)) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.intent and model.itemTopics must be Float64Arrays and model.topics an id index`);
  }
  const users = m.users.ids.length;
  const items = m.items.ids.length;
  const topics = m.topics.ids.length;
  if (m.intent.length !== users * topics || m.itemTopics.length !== items * topics || m.seenIndptr.length !== users + 1) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model arrays must match its ${users} users, ${items} items and ${topics} topics`);
  }
}

/**
 * The {@link Recommender} adapter of an intent model: a known account's score for a product is the mean decayed
 * intent over the product's topics. It has no fallback: an account without signals or purchases is unknown (in a
 * hybrid, the other components answer for it).
 *
 * Cheap: O(1); `scoreUser` costs O(items · topics).
 *
 * @param model - a fitted or deserialized intent model
 * @returns a recommender named `"intent"` for `recommend`, evaluation and hybrids
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 intent model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitIntentModel, intentRecommender } from "nextbest/content";
 * import { recommend } from "nextbest/recommend";
 * const model = fitIntentModel(
 *   [{ account: "acme", topic: "security", score: 50, timestamp: 0 }],
 *   { ids: ["firewall", "vpn", "crm"], topics: [["security"], ["security", "network"], ["sales"]] },
 *   { purchases: createInteractions([{ user: "acme", item: "firewall" }]) },
 * );
 * recommend(intentRecommender(model), "acme").items.map((r) => [r.item, r.score]);
 * // => [["vpn", 25], ["crm", 0]]
 * ```
 * @category content
 */
export function intentRecommender(model: IntentModel): Recommender {
  const fn = "intentRecommender";
  checkIntentModel(fn, model);
  const { users, items, topics, intent, itemTopics, seenIndptr, seenIndices } = model;
  const userCount = users.ids.length;
  const itemCount = items.ids.length;
  const topicCount = topics.ids.length;
  return Object.freeze({
    name: "intent",
    users,
    items,
    scoreUser(user: number, out: Float64Array): void {
      checkUserIndex("intentRecommender.scoreUser", user, userCount);
      checkScoreBuffer("intentRecommender.scoreUser", out, itemCount);
      gemvF64(itemTopics, itemCount, topicCount, intent.subarray(user * topicCount, (user + 1) * topicCount), out);
    },
    seenItems(user: number): ArrayLike<number> {
      checkUserIndex("intentRecommender.seenItems", user, userCount);
      return seenIndices.subarray(seenIndptr[user]!, seenIndptr[user + 1]!);
    },
  });
}

/**
 * The JSON form of an intent model, ready for `JSON.stringify`.
 *
 * Complexity: O((users + items) · topics + purchases).
 *
 * @param model - the model
 * @returns plain data; {@link intentFromJSON} reads it back
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not an intent model
 * @example
 * ```ts
 * import { fitIntentModel, intentFromJSON, intentToJSON } from "nextbest/content";
 * const model = fitIntentModel([{ account: "acme", topic: "t", score: 2, timestamp: 0 }], { ids: ["p"], topics: [["t"]] });
 * intentToJSON(model).intent; // => [2]
 * intentFromJSON(JSON.parse(JSON.stringify(intentToJSON(model)))).users.ids; // => ["acme"]
 * ```
 * @category content
 */
export function intentToJSON(model: IntentModel): IntentModelJSON {
  checkIntentModel("intentToJSON", model);
  return {
    kind: "intent",
    version: 1,
    users: idIndexFieldToJSON(model.users),
    items: idIndexFieldToJSON(model.items),
    topics: idIndexFieldToJSON(model.topics),
    intent: typedArrayToJSON(model.intent),
    itemTopics: typedArrayToJSON(model.itemTopics),
    seenIndptr: typedArrayToJSON(model.seenIndptr),
    seenIndices: typedArrayToJSON(model.seenIndices),
    asOf: model.asOf,
    halfLifeDays: Number.isFinite(model.halfLifeDays) ? model.halfLifeDays : null,
  };
}

/**
 * Rebuilds an intent model from its JSON form (parsed), validating kind, version, ids, array lengths, finiteness and
 * the seen pattern.
 *
 * Complexity: O((users + items) · topics + purchases).
 *
 * @param json - the parsed JSON of {@link intentToJSON}
 * @returns a new frozen {@link IntentModel}
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { fitIntentModel, intentFromJSON, intentToJSON } from "nextbest/content";
 * const json = intentToJSON(fitIntentModel([{ account: "acme", topic: "t", score: 2, timestamp: 0 }], { ids: ["p"], topics: [["t"]] }));
 * intentFromJSON({ ...json, intent: [] });
 * // throws NextbestError E_BAD_MODEL: "intentFromJSON: json.intent must have length 1 (users × topics), got length 0"
 * ```
 * @category content
 */
export function intentFromJSON(json: unknown): IntentModel {
  const fn = "intentFromJSON";
  const record = readModelEnvelope(fn, json, "intent", [1]);
  const users = idIndexFieldFromJSON(fn, "json.users", record["users"]);
  const items = idIndexFieldFromJSON(fn, "json.items", record["items"]);
  const topics = idIndexFieldFromJSON(fn, "json.topics", record["topics"]);
  const u = users.ids.length;
  const t = topics.ids.length;
  const intent = float64ArrayFromJSON(fn, "json.intent", record["intent"], { length: u * t, lengthMeaning: "users × topics" });
  const itemTopics = float64ArrayFromJSON(fn, "json.itemTopics", record["itemTopics"], { length: items.ids.length * t, lengthMeaning: "items × topics" });
  const seen = compressedRowsFromJSON(fn, "json.seenIndptr", "json.seenIndices", record["seenIndptr"], record["seenIndices"], u, items.ids.length);
  // A fitted model's intent is a sum of decayed scores >= 0, and an item's topic weights are 1/k for its k topics:
  // anything else (a weight of −1e308) would score products ±∞.
  intent.forEach((value, k) => {
    if (value < 0) badModel(fn, `json.intent[${k}]`, "be >= 0", value);
  });
  for (let i = 0; i < items.ids.length; i++) {
    let total = 0;
    for (let k = i * t; k < (i + 1) * t; k++) {
      const weight = itemTopics[k]!;
      if (!(weight >= 0 && weight <= 1)) badModel(fn, `json.itemTopics[${k}]`, "be in [0, 1]", weight);
      total += weight;
    }
    if (total > 1 + 1e-9) badModel(fn, `json.itemTopics (item ${i})`, "sum to at most 1 over the topics", total);
  }
  const asOf = record["asOf"];
  if (typeof asOf !== "number" || !Number.isFinite(asOf)) badModel(fn, "json.asOf", "be a finite number", asOf);
  const halfLifeDays = record["halfLifeDays"];
  // JSON has no Infinity: a model fitted without decay stores null.
  const halfLife = halfLifeDays === null ? Number.POSITIVE_INFINITY : halfLifeDays;
  if (halfLifeDays === Number.POSITIVE_INFINITY || typeof halfLife !== "number" || !(halfLife > 0)) badModel(fn, "json.halfLifeDays", "be a finite number > 0 (null for no decay)", halfLifeDays);
  return Object.freeze({
    kind: "intent",
    version: 1,
    users,
    items,
    topics,
    intent,
    itemTopics,
    seenIndptr: seen.indptr,
    seenIndices: seen.indices,
    asOf,
    halfLifeDays: halfLife,
  });
}
