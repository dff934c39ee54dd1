/**
 * The buy-again baseline: each account's own products ranked by a time-decayed count of its purchases, the rest of
 * the catalogue by popularity below them.
 *
 * @module
 */
import type { IdIndex, IdIndexJSON } from "../core/id-index.ts";
import type { Interactions } from "../data/types.ts";
import {
  idIndexFieldFromJSON,
  idIndexFieldToJSON,
  readModelEnvelope,
  typedArrayToJSON,
} from "../internal/serialize.ts";
import { NextbestError } from "../core/errors.ts";
import { checkInteractions, checkModelHeader, checkScoreBuffer, seenFromJSON, seenToJSON } from "../recommend/contract.ts";
import type { ItemHistory, Recommender } from "../recommend/types.ts";
import {
  activePattern,
  checkModelArray,
  checkOptionsObject,
  dayLength,
  fillFromJSON,
  finiteFromJSON,
  halfLifeFromJSON,
  historySnapshot,
  itemsOfPairs,
  latestTime,
  nonNegativeArrayFromJSON,
  pairTimes,
  positiveDays,
  resolveAsOf,
  resolveFill,
  resolveTimeUnit,
  timeUnitFromJSON,
  type RepeatFill,
  type TimeUnit,
  ownProductsRecommender,
  popularityFill,
} from "./history.ts";

/**
 * Options of {@link fitBuyAgain}.
 *
 * @category repeat
 */
export interface BuyAgainOptions {
  /**
   * A purchase loses half its weight every `halfLifeDays` days before `asOf` (> 0; `Infinity`: every purchase counts
   * 1). Chosen on validation data (Online Retail II, train before 2010-06-01, next three months): 90 to 365 days
   * ranked alike and clearly above 7 to 30 days.
   * @defaultValue 180
   */
  halfLifeDays?: number;
  /** The time the counts are taken at, in `timeUnit`; purchases after it are ignored. @defaultValue the latest purchase's timestamp */
  asOf?: number;
  /** Unit of the timestamps (a day is 86,400 seconds). @defaultValue "seconds" */
  timeUnit?: TimeUnit;
  /**
   * Scores of products the account never bought: `"popularity"` ranks them by how many accounts bought them, below
   * every product the account bought; `"none"` leaves them NaN (never recommended), for use as one component of a
   * hybrid beside a model of new products.
   * @defaultValue "popularity"
   */
  fill?: RepeatFill;
}

/**
 * A fitted buy-again model: plain, frozen data with typed arrays inside. Serialize it with {@link buyAgainToJSON};
 * use it through {@link buyAgainRecommender}.
 *
 * @category repeat
 */
export interface BuyAgainModel {
  /** Always `"buy-again"`. */
  readonly kind: "buy-again";
  /** Format version, 1. */
  readonly version: 1;
  /** The accounts of the training data. */
  readonly users: IdIndex;
  /** The products of the training data. */
  readonly items: IdIndex;
  /** The half-life of a purchase's weight, in days (`Infinity`: no decay). */
  readonly halfLifeDays: number;
  /** The time the counts were taken at. */
  readonly asOf: number;
  /** Unit of `asOf` and the timestamps. */
  readonly timeUnit: TimeUnit;
  /** How products the account never bought score. */
  readonly fill: RepeatFill;
  /** `users + 1` offsets into `seenIndices`: the products each account bought up to `asOf`. */
  readonly seenIndptr: Int32Array;
  /** The product indices each account bought, ascending within an account. */
  readonly seenIndices: Int32Array;
  /** Per bought (account, product) pair, aligned with `seenIndices`: Σ 0.5^(age / half-life) over its purchases. */
  readonly decayedCounts: Float64Array;
  /** Per product: how many accounts bought it up to `asOf` (the fill and the unknown-account fallback). */
  readonly buyers: Float64Array;
}

/**
 * The JSON form of a {@link BuyAgainModel}.
 *
 * @category repeat
 */
export interface BuyAgainModelJSON {
  /** Always `"buy-again"`. */
  readonly kind: "buy-again";
  /** Format version, 1. */
  readonly version: 1;
  /** Account ids. */
  readonly users: IdIndexJSON;
  /** Product ids. */
  readonly items: IdIndexJSON;
  /** As {@link BuyAgainModel.halfLifeDays}; `null` for no decay (JSON has no Infinity). */
  readonly halfLifeDays: number | null;
  /** As the model. */
  readonly asOf: number;
  /** As the model. */
  readonly timeUnit: TimeUnit;
  /** As the model. */
  readonly fill: RepeatFill;
  /** As the model. */
  readonly seenIndptr: number[];
  /** As the model. */
  readonly seenIndices: number[];
  /** As the model. */
  readonly decayedCounts: number[];
  /** As the model. */
  readonly buyers: number[];
}

/**
 * Fits the buy-again baseline, the strong simple reference for B2B reordering: an account's score for a product it
 * bought is Σ 0.5^((asOf − t) / halfLife) over its purchases t (every event of `interactions.events`, so a product
 * ordered on six invoices counts six times), and with `fill: "popularity"` every other product scores
 * −1 / (1 + number of accounts that bought it), in [−1, 0): below every own product, ordered by popularity.
 *
 * Needs timestamps. A dataset without `events` (built by hand from merged pairs) counts each stored pair as one
 * purchase at its timestamp, the latest of its merged rows. Purchases after `asOf` are ignored, and an account's
 * products bought only after it are not its own yet.
 *
 * Complexity: O(events + users + items) time and O(pairs + items) memory.
 *
 * @param interactions - purchases with timestamps (from `createInteractions` and friends)
 * @param options - half-life (default 180 days), asOf (default the latest purchase), time unit, fill
 * @returns a new frozen {@link BuyAgainModel}; `interactions` is not changed
 * @throws {@link core!NextbestError} `E_BAD_INPUT` without timestamps or for a bad option; `E_SHAPE` / `E_EMPTY` for a
 *   malformed or empty dataset
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitBuyAgain } from "nextbest/repeat";
 * const day = 86_400;
 * const data = createInteractions([
 *   { user: "acme", item: "gloves", timestamp: 0 }, { user: "acme", item: "gloves", timestamp: 30 * day },
 *   { user: "acme", item: "masks", timestamp: 60 * day }, { user: "bolt", item: "masks", timestamp: 30 * day },
 * ]);
 * // gloves: bought 60 and 30 days before asOf (day 60), half-life 30 days: 0.25 + 0.5.
 * Array.from(fitBuyAgain(data, { halfLifeDays: 30 }).decayedCounts); // => [0.75, 1, 0.5]
 * ```
 * @category repeat
 */
export function fitBuyAgain(interactions: Interactions, options: BuyAgainOptions = {}): BuyAgainModel {
  const fn = "fitBuyAgain";
  checkInteractions(fn, interactions);
  checkOptionsObject(fn, options);
  const times = pairTimes(fn, interactions);
  const halfLifeDays = positiveDays(fn, "options.halfLifeDays", options.halfLifeDays ?? 180, true);
  const timeUnit = resolveTimeUnit(fn, options.timeUnit, interactions);
  const fill = resolveFill(fn, options.fill, "popularity");
  const asOf = resolveAsOf(fn, options.asOf, latestTime(times));
  const userIndptr = interactions.byUser.indptr;
  const itemOfPair = itemsOfPairs(interactions);
  const itemCount = interactions.items.ids.length;
  const snapshot = historySnapshot(userIndptr, itemOfPair, itemCount, times, asOf, true, halfLifeDays, dayLength(timeUnit));
  const { seenIndptr, seenIndices, source } = activePattern(userIndptr, itemOfPair, snapshot.active);
  const decayedCounts = new Float64Array(source.length);
  for (let k = 0; k < source.length; k++) decayedCounts[k] = snapshot.decayed[source[k]!]!;
  return Object.freeze({
    kind: "buy-again",
    version: 1,
    users: interactions.users,
    items: interactions.items,
    halfLifeDays,
    asOf,
    timeUnit,
    fill,
    seenIndptr,
    seenIndices,
    decayedCounts,
    buyers: snapshot.buyers,
  });
}

/**
 * The {@link Recommender} adapter of a buy-again model: an account's own products score their decayed purchase
 * counts, other products the popularity fill (or NaN with `fill: "none"`). Own products are its `seenItems`, so
 * `recommend(..., { excludeSeen: false })` is the reorder list and the default `excludeSeen: true` leaves only the
 * fill. Unknown accounts get the popularity fill as fallback (source `"popularity"`), or none with `fill: "none"`.
 *
 * Cheap: O(1) checks, no copying. `scoreUser` costs O(items).
 *
 * @param model - a fitted or deserialized buy-again model
 * @returns a recommender for `recommend`, `recommendMany`, `scoreItems`, evaluation and hybrids
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 buy-again model or its arrays
 *   disagree in length
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { buyAgainRecommender, fitBuyAgain } from "nextbest/repeat";
 * import { recommend } from "nextbest/recommend";
 * const data = createInteractions([
 *   { user: "acme", item: "gloves", timestamp: 1 }, { user: "acme", item: "gloves", timestamp: 2 },
 *   { user: "acme", item: "masks", timestamp: 3 }, { user: "bolt", item: "masks", timestamp: 3 },
 *   { user: "bolt", item: "tape", timestamp: 3 }, { user: "cray", item: "tape", timestamp: 3 },
 *   { user: "cray", item: "bins", timestamp: 3 },
 * ]);
 * const model = buyAgainRecommender(fitBuyAgain(data));
 * recommend(model, "acme", { k: 3, excludeSeen: false }).items.map((r) => r.item); // => ["gloves", "masks", "tape"]
 * recommend(model, "hooli", { k: 2 }).fallback; // => { reason: "unknown-user", source: "popularity" }
 * ```
 * @category repeat
 */
export function buyAgainRecommender(model: BuyAgainModel): Recommender {
  const fn = "buyAgainRecommender";
  checkModelHeader(fn, model, "buy-again", 1);
  checkModelArray(fn, "decayedCounts", model.decayedCounts, model.seenIndices.length, "one per bought pair");
  checkModelArray(fn, "buyers", model.buyers, model.items.ids.length, "one per item");
  const base = ownProductsRecommender(fn, "buy-again", model, model.decayedCounts);
  const itemCount = model.items.ids.length;
  const halfLife = model.halfLifeDays * dayLength(model.timeUnit);
  return Object.freeze({
    ...base,
    // A new account: its own products scored by their decayed purchase counts, as a trained account's; ages are
    // taken to the later of the model's asOf and the account's latest row, so recent purchases count in full.
    scoreHistory(history: ItemHistory, out: Float64Array): void {
      checkScoreBuffer(`${fn}.scoreHistory`, out, itemCount);
      const events = history.events;
      if (events === undefined) {
        throw new NextbestError("E_BAD_INPUT", `${fn}.scoreHistory: history.timestamps must be given for buy-again (it counts dated purchases), got none`);
      }
      let at = model.asOf;
      for (let e = 0; e < events.timestamps.length; e++) if (events.timestamps[e]! > at) at = events.timestamps[e]!;
      if (model.fill === "none") out.fill(Number.NaN);
      else for (let i = 0; i < itemCount; i++) out[i] = popularityFill(model.buyers[i]!);
      for (let k = 0; k < history.items.length; k++) {
        let weight = 0;
        for (let e = events.indptr[k]!; e < events.indptr[k + 1]!; e++) {
          weight += halfLife === Number.POSITIVE_INFINITY ? 1 : 0.5 ** ((at - events.timestamps[e]!) / halfLife);
        }
        out[history.items[k]!] = weight;
      }
    },
  });
}

/**
 * The JSON form of a buy-again model, ready for `JSON.stringify`.
 *
 * Complexity: O(users + items + pairs).
 *
 * @param model - the model
 * @returns a new plain object; the model is not changed
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 buy-again model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { buyAgainToJSON, fitBuyAgain } from "nextbest/repeat";
 * const model = fitBuyAgain(createInteractions([{ user: "acme", item: "gloves", timestamp: 5 }]));
 * JSON.stringify(buyAgainToJSON(model));
 * // => '{"kind":"buy-again","version":1,"users":{"ids":["acme"]},"items":{"ids":["gloves"]},"halfLifeDays":180,"asOf":5,"timeUnit":"seconds","fill":"popularity","seenIndptr":[0,1],"seenIndices":[0],"decayedCounts":[1],"buyers":[1]}'
 * ```
 * @category repeat
 */
export function buyAgainToJSON(model: BuyAgainModel): BuyAgainModelJSON {
  checkModelHeader("buyAgainToJSON", model, "buy-again", 1);
  return {
    kind: "buy-again",
    version: 1,
    users: idIndexFieldToJSON(model.users),
    items: idIndexFieldToJSON(model.items),
    halfLifeDays: Number.isFinite(model.halfLifeDays) ? model.halfLifeDays : null,
    asOf: model.asOf,
    timeUnit: model.timeUnit,
    fill: model.fill,
    ...seenToJSON(model),
    decayedCounts: typedArrayToJSON(model.decayedCounts),
    buyers: typedArrayToJSON(model.buyers),
  };
}

/**
 * Rebuilds a buy-again model from its JSON form (parsed), validating everything: kind, version, options, unique ids,
 * a well-formed seen pattern, one finite count ≥ 0 per bought pair and one buyer count ≥ 0 per product.
 *
 * Complexity: O(users + items + pairs).
 *
 * @param json - the parsed JSON (`JSON.parse` of `JSON.stringify(buyAgainToJSON(model))`)
 * @returns a new frozen {@link BuyAgainModel} equal to the one serialized
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { buyAgainFromJSON, buyAgainToJSON, fitBuyAgain } from "nextbest/repeat";
 * const model = fitBuyAgain(createInteractions([{ user: "acme", item: "gloves", timestamp: 5 }]));
 * Array.from(buyAgainFromJSON(JSON.parse(JSON.stringify(buyAgainToJSON(model)))).decayedCounts); // => [1]
 * buyAgainFromJSON({ ...buyAgainToJSON(model), decayedCounts: [-1] });
 * // throws NextbestError E_BAD_MODEL: "buyAgainFromJSON: json.decayedCounts[0] must be a finite number >= 0, got -1"
 * ```
 * @category repeat
 */
export function buyAgainFromJSON(json: unknown): BuyAgainModel {
  const fn = "buyAgainFromJSON";
  const record = readModelEnvelope(fn, json, "buy-again", [1]);
  const users = idIndexFieldFromJSON(fn, "json.users", record["users"]);
  const items = idIndexFieldFromJSON(fn, "json.items", record["items"]);
  const halfLifeDays = halfLifeFromJSON(fn, "json.halfLifeDays", record["halfLifeDays"]);
  const asOf = finiteFromJSON(fn, "json.asOf", record["asOf"]);
  const timeUnit = timeUnitFromJSON(fn, record["timeUnit"]);
  const fill = fillFromJSON(fn, record["fill"]);
  const seen = seenFromJSON(fn, record, users, items);
  const decayedCounts = nonNegativeArrayFromJSON(fn, "json.decayedCounts", record["decayedCounts"], seen.seenIndices.length, "one per bought pair");
  const buyers = nonNegativeArrayFromJSON(fn, "json.buyers", record["buyers"], items.ids.length, "one per item");
  return Object.freeze({ kind: "buy-again", version: 1, users, items, halfLifeDays, asOf, timeUnit, fill, ...seen, decayedCounts, buyers });
}
