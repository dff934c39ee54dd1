/**
 * The popularity baseline: every user gets the items most users interacted with.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { IdIndex, IdIndexJSON } from "../core/id-index.ts";
import type { Interactions } from "../data/types.ts";
import {
  float64ArrayFromJSON,
  idIndexFieldFromJSON,
  idIndexFieldToJSON,
  readModelEnvelope,
  typedArrayToJSON,
  badModel,
} from "../internal/serialize.ts";
import type { Recommender } from "../recommend/types.ts";
import { checkFittedFinite, checkInteractions, checkModelHeader, checkScoreBuffer, checkUserIndex, copySeen, seenFromJSON, seenToJSON } from "../recommend/contract.ts";

/**
 * What makes an item popular.
 * - `"distinct-users"`: how many distinct users interacted with the item (each user counts once, however often they
 *   bought). Robust to a few heavy buyers; the usual baseline.
 * - `"value-sum"`: the sum of the item's interaction values. With rows that carry no value and the default `"sum"`
 *   duplicate policy of `createInteractions`, that is the number of interaction rows (every repeat purchase counts);
 *   with quantities or amounts as values it is units sold or revenue.
 *
 * @category baselines
 */
export type PopularityMeasure = "distinct-users" | "value-sum";

const MEASURES: readonly PopularityMeasure[] = ["distinct-users", "value-sum"];

/**
 * Options of {@link fitPopularity}.
 *
 * @category baselines
 */
export interface PopularityOptions {
  /** What makes an item popular, see {@link PopularityMeasure}. @defaultValue "distinct-users" */
  measure?: PopularityMeasure;
  /**
   * Count only rows at or after this timestamp (the dataset's own unit), e.g. the last 90 days before the training
   * cut-off: what sells now rather than over all time. Reads each row's time from `interactions.events` (datasets
   * built by nextbest keep them), else each pair's latest timestamp. Seen items stay every item a user ever had.
   * @defaultValue undefined (all time)
   */
  since?: number;
}

/**
 * A fitted popularity model: plain, versioned data with typed arrays inside. Serialize it with
 * {@link popularityToJSON}; use it through {@link popularityRecommender}.
 *
 * @category baselines
 */
export interface PopularityModel {
  /** Discriminant of the model family. */
  readonly kind: "popularity";
  /** Format version of this model; {@link popularityFromJSON} reads version 1. */
  readonly version: 1;
  /** What the scores measure. */
  readonly measure: PopularityMeasure;
  /** Only rows at or after this timestamp were counted (absent: all time). */
  readonly since?: number;
  /** The users seen in training. */
  readonly users: IdIndex;
  /** The items seen in training; `scores[i]` belongs to `items.ids[i]`. */
  readonly items: IdIndex;
  /** One popularity score per item, the same for every user. */
  readonly scores: Float64Array;
  /** `users + 1` offsets into `seenIndices`: user u saw `seenIndices[seenIndptr[u] .. seenIndptr[u+1])`. */
  readonly seenIndptr: Int32Array;
  /** The item indices each user interacted with in training, ascending within a user. */
  readonly seenIndices: Int32Array;
}

/**
 * The JSON form of a {@link PopularityModel}: the same fields, typed arrays as number arrays, id indexes as `{ ids }`.
 *
 * @category baselines
 */
export interface PopularityModelJSON {
  /** Always `"popularity"`. */
  readonly kind: "popularity";
  /** The format version, 1. */
  readonly version: 1;
  /** What the scores measure. */
  readonly measure: PopularityMeasure;
  /** Only rows at or after this timestamp were counted (absent: all time). */
  readonly since?: number;
  /** User ids in index order. */
  readonly users: IdIndexJSON;
  /** Item ids in index order. */
  readonly items: IdIndexJSON;
  /** One finite score per item. */
  readonly scores: number[];
  /** `users + 1` offsets. */
  readonly seenIndptr: number[];
  /** Seen item indices. */
  readonly seenIndices: number[];
}

/**
 * Fits the popularity baseline: each item's score is how popular it is in the training interactions (by default the
 * number of distinct users who interacted with it). Every user gets the same ranking, minus what they have seen.
 *
 * It is the reference every personalized model must beat, and the cold-start fallback of the library: its
 * recommender gives unknown users the same popularity ranking.
 *
 * Complexity: O(users + items + nnz) time; the model holds O(items + users + nnz) numbers. The seen pattern is
 * copied, so the model shares no typed array with `interactions`; the (frozen) id indexes are shared.
 *
 * @param interactions - the training interactions (from `createInteractions`)
 * @param options - the popularity measure, and `since` to count only recent rows
 * @returns a new frozen {@link PopularityModel}; `interactions` is not changed
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `interactions` is not an Interactions object, the measure is
 *   unknown, or `since` is not a number or given for data without timestamps; `E_SHAPE` when its parts disagree in size; `E_EMPTY` when it has no users or no items
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitPopularity } from "nextbest/baselines";
 * const data = createInteractions([
 *   { user: "acme", item: "crm", value: 3 }, { user: "acme", item: "erp", value: 1 },
 *   { user: "globex", item: "erp", value: 2 }, { user: "initech", item: "erp", value: 1 },
 * ]);
 * Array.from(fitPopularity(data).scores); // => [1, 3]
 * Array.from(fitPopularity(data, { measure: "value-sum" }).scores); // => [3, 4]
 * // What sells lately: only rows from day 10 on count (acme bought crm on days 1 and 12, erp on day 2).
 * const dated = createInteractions([
 *   { user: "acme", item: "crm", timestamp: 1 }, { user: "acme", item: "erp", timestamp: 2 },
 *   { user: "acme", item: "crm", timestamp: 12 }, { user: "globex", item: "erp", timestamp: 3 },
 * ]);
 * Array.from(fitPopularity(dated, { since: 10 }).scores); // => [1, 0]
 * ```
 * @category baselines
 */
export function fitPopularity(interactions: Interactions, options: PopularityOptions = {}): PopularityModel {
  const fn = "fitPopularity";
  checkInteractions(fn, interactions);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const measure = options.measure ?? "distinct-users";
  if (!MEASURES.includes(measure)) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.measure must be "distinct-users" or "value-sum", got ${describeValue(measure)}`,
    );
  }
  const since = options.since;
  if (since !== undefined && (typeof since !== "number" || Number.isNaN(since))) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.since must be a number (a timestamp), got ${describeValue(since)}`);
  }
  if (since !== undefined && interactions.timestamps === undefined) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: interactions must have timestamps with options.since, got a dataset without them`);
  }
  const { indptr, values } = interactions.byItem;
  const itemCount = interactions.items.ids.length;
  const scores = since === undefined ? new Float64Array(itemCount) : recentScores(interactions, measure, since);
  if (since === undefined && measure === "distinct-users") {
    for (let i = 0; i < itemCount; i++) scores[i] = indptr[i + 1]! - indptr[i]!;
  } else if (since === undefined) {
    // Neumaier-compensated sum per item: spend figures mix magnitudes.
    for (let i = 0; i < itemCount; i++) {
      let sum = 0;
      let compensation = 0;
      for (let p = indptr[i]!; p < indptr[i + 1]!; p++) {
        const v = values[p]!;
        const t = sum + v;
        compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
        sum = t;
      }
      scores[i] = sum + compensation;
    }
  }
  checkFittedFinite(fn, "each item's value sum", scores, 'the values are too large to add up (near ±1e308); rescale them or use measure "distinct-users"');
  return Object.freeze({
    kind: "popularity",
    version: 1,
    measure,
    ...(since === undefined ? {} : { since }),
    users: interactions.users,
    items: interactions.items,
    scores,
    ...copySeen(interactions),
  });
}

// Popularity over the rows at or after `since`: distinct users with such a row, or the sum of those rows' values.
function recentScores(interactions: Interactions, measure: PopularityMeasure, since: number): Float64Array {
  const { indptr, indices, values, rows } = interactions.byUser;
  const scores = new Float64Array(interactions.items.ids.length);
  const events = interactions.events;
  const timestamps = interactions.timestamps!;
  for (let u = 0; u < rows; u++) {
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
      let recent = 0;
      if (events === undefined) {
        if (timestamps[p]! >= since) recent = measure === "distinct-users" ? 1 : values[p]!;
      } else {
        for (let e = events.indptr[p]!; e < events.indptr[p + 1]!; e++) {
          if (events.timestamps[e]! < since) continue;
          if (measure === "distinct-users") {
            recent = 1;
            break;
          }
          recent += events.values[e]!;
        }
      }
      scores[indices[p]!]! += recent;
    }
  }
  return scores;
}

/**
 * The {@link Recommender} adapter of a popularity model: every known user gets the model's scores (seen items are
 * filtered by the generic functions), and unknown users get the same scores as fallback, source `"popularity"`.
 *
 * Cheap: O(1) checks of the model's header and array lengths; no copying (the adapter reads the model's arrays, so
 * do not change them afterwards). `scoreUser` costs O(items), `seenItems` O(1) (a view into the model).
 *
 * @param model - a fitted or deserialized popularity model
 * @returns a recommender for `recommend`, `recommendMany`, `scoreItems`, evaluation and hybrids
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 popularity model or its arrays
 *   disagree in length
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitPopularity, popularityRecommender } from "nextbest/baselines";
 * import { recommend } from "nextbest/recommend";
 * const data = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "globex", item: "crm" }, { user: "globex", item: "erp" },
 * ]);
 * const popular = popularityRecommender(fitPopularity(data));
 * recommend(popular, "acme").items; // => [{ item: "erp", score: 1, rank: 1 }]
 * recommend(popular, "hooli").items.map((r) => r.item); // => ["crm", "erp"]
 * recommend(popular, "hooli").fallback; // => { reason: "unknown-user", source: "popularity" }
 * ```
 * @category baselines
 */
export function popularityRecommender(model: PopularityModel): Recommender {
  const fn = "popularityRecommender";
  checkModelHeader(fn, model, "popularity", 1);
  const { scores, seenIndptr, seenIndices, users, items } = model;
  const itemCount = items.ids.length;
  const userCount = users.ids.length;
  if (!(scores instanceof Float64Array) || scores.length !== itemCount) {
    throw new NextbestError(
      "E_BAD_MODEL",
      `${fn}: model.scores must be a Float64Array of length ${itemCount} (one per item), got ${describeValue(scores)}`,
    );
  }
  return Object.freeze({
    name: "popularity",
    users,
    items,
    scoreUser(user: number, out: Float64Array): void {
      checkUserIndex("popularityRecommender.scoreUser", user, userCount);
      checkScoreBuffer("popularityRecommender.scoreUser", out, itemCount);
      out.set(scores);
    },
    seenItems(user: number): ArrayLike<number> {
      checkUserIndex("popularityRecommender.seenItems", user, userCount);
      return seenIndices.subarray(seenIndptr[user]!, seenIndptr[user + 1]!);
    },
    // A new account gets the same ranking; its own items are left out by the caller.
    scoreHistory(_history: unknown, out: Float64Array): void {
      checkScoreBuffer("popularityRecommender.scoreHistory", out, itemCount);
      out.set(scores);
    },
    fallback: Object.freeze({
      source: "popularity",
      scoreInto(_user: unknown, out: Float64Array): void {
        checkScoreBuffer("popularityRecommender.fallback.scoreInto", out, itemCount);
        out.set(scores);
      },
    }),
  });
}

/**
 * The JSON form of a popularity model, ready for `JSON.stringify` (typed arrays become number arrays; calling
 * `JSON.stringify(model)` directly would turn them into objects that {@link popularityFromJSON} rejects).
 *
 * Complexity: O(users + items + nnz).
 *
 * @param model - the model
 * @returns a new plain object; the model is not changed
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 popularity model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitPopularity, popularityToJSON } from "nextbest/baselines";
 * const model = fitPopularity(createInteractions([{ user: "acme", item: "crm" }]));
 * JSON.stringify(popularityToJSON(model));
 * // => '{"kind":"popularity","version":1,"measure":"distinct-users","users":{"ids":["acme"]},"items":{"ids":["crm"]},"scores":[1],"seenIndptr":[0,1],"seenIndices":[0]}'
 * ```
 * @category baselines
 */
export function popularityToJSON(model: PopularityModel): PopularityModelJSON {
  checkModelHeader("popularityToJSON", model, "popularity", 1);
  return {
    kind: "popularity",
    version: 1,
    measure: model.measure,
    ...(model.since === undefined ? {} : { since: model.since }),
    users: idIndexFieldToJSON(model.users),
    items: idIndexFieldToJSON(model.items),
    scores: typedArrayToJSON(model.scores),
    ...seenToJSON(model),
  };
}

/**
 * Rebuilds a popularity model from its JSON form (parsed), validating everything: kind, version, measure, unique
 * ids, one finite score per item, and a well-formed seen pattern (offsets from 0 to the entry count, never
 * decreasing; item indices in range and strictly increasing per user).
 *
 * Complexity: O(users + items + nnz).
 *
 * @param json - the parsed JSON (`JSON.parse` of `JSON.stringify(popularityToJSON(model))`)
 * @returns a new frozen {@link PopularityModel} equal to the one serialized
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field (e.g. `json.scores[2]`)
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitPopularity, popularityFromJSON, popularityToJSON } from "nextbest/baselines";
 * const model = fitPopularity(createInteractions([{ user: "acme", item: "crm" }]));
 * const copy = popularityFromJSON(JSON.parse(JSON.stringify(popularityToJSON(model))));
 * Array.from(copy.scores); // => [1]
 * popularityFromJSON({ ...popularityToJSON(model), version: 2 });
 * // throws NextbestError E_BAD_MODEL: "popularityFromJSON: json.version must be 1 (the versions this release reads), got 2"
 * ```
 * @category baselines
 */
export function popularityFromJSON(json: unknown): PopularityModel {
  const fn = "popularityFromJSON";
  const record = readModelEnvelope(fn, json, "popularity", [1]);
  const measure = record["measure"];
  if (typeof measure !== "string" || !(MEASURES as readonly string[]).includes(measure)) {
    badModel(fn, "json.measure", 'be "distinct-users" or "value-sum"', measure);
  }
  const users = idIndexFieldFromJSON(fn, "json.users", record["users"]);
  const items = idIndexFieldFromJSON(fn, "json.items", record["items"]);
  const scores = float64ArrayFromJSON(fn, "json.scores", record["scores"], {
    length: items.ids.length,
    lengthMeaning: "one per item",
  });
  const since = record["since"];
  if (since !== undefined && (typeof since !== "number" || !Number.isFinite(since))) badModel(fn, "json.since", "be a finite number (a timestamp) when present", since);
  return Object.freeze({
    kind: "popularity",
    version: 1,
    measure: measure as PopularityMeasure,
    ...(since === undefined ? {} : { since }),
    users,
    items,
    scores,
    ...seenFromJSON(fn, record, users, items),
  });
}
