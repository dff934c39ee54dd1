/**
 * The model's value for given (user, item) pairs over any {@link Recommender}: predicted ratings for rating models,
 * scores for the others.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, indexOfId, type Id } from "../core/id-index.ts";
import { checkOptionsObject, checkRecommender, resolveStrict } from "./engine.ts";
import type { Recommender } from "./types.ts";

/**
 * Why a prediction did not come from the model's own value for the pair:
 * `"unknown-user"`: the user is not among the model's users (the value is the fallback's, or NaN without one);
 * `"unknown-item"`: the item is not among the model's items (the model's `coldPairs` estimate when it has one, else NaN; a model's own
 * predictor may estimate it, e.g. μ + b_u); an unknown item takes precedence in {@link predict} when both ids are
 * unknown. Models' own predictors (`predictBiases`, `predictKnn`) may also report
 * `"unknown-user-and-item"` (neither id seen in training) and `"not-enough-neighbors"` (a neighbourhood model found
 * fewer than its `minNeighbors` neighbours and used its baseline instead).
 *
 * @category recommend
 */
export type PredictionFallbackReason = "unknown-user" | "unknown-item" | "unknown-user-and-item" | "not-enough-neighbors";

/**
 * How a prediction was produced when the model could not predict the pair itself.
 *
 * @category recommend
 */
export interface PredictionFallback {
  /** Why the model's own value was not used. */
  readonly reason: PredictionFallbackReason;
  /** The {@link RecommenderFallback.source} whose score was used, or `null` when none was (the value is NaN). */
  readonly source: string | null;
}

/**
 * The model's value for one (user, item) pair.
 *
 * @category recommend
 */
export interface Prediction {
  /** The user id as the caller passed it. */
  readonly user: Id;
  /** The item id as the caller passed it. */
  readonly item: Id;
  /**
   * The model's value: `recommender.predict(u, i)` when the model implements it, else the item's entry of
   * `scoreUser`. On the scale of the training values only for models whose scores are predicted values (see the
   * model's documentation). NaN when nothing can predict the pair.
   */
  readonly value: number;
  /** `null` when the model predicted the pair itself; otherwise why and from where the value came. */
  readonly fallback: PredictionFallback | null;
}

/**
 * One (user, item) pair to predict.
 *
 * @category recommend
 */
export interface PredictionPair {
  /** The user's external id. */
  readonly user: Id;
  /** The item's external id. */
  readonly item: Id;
}

/**
 * Options of {@link predict} and {@link predictMany}.
 *
 * @category recommend
 */
export interface PredictOptions {
  /**
   * Every id must be known to the model: an unknown user or item throws `E_UNKNOWN_ID` naming it, instead of giving a
   * marked fallback value (unknown user) or a marked NaN (unknown item).
   * @defaultValue false
   */
  strict?: boolean;
}

/**
 * Reads model values for pairs given by dense indices, scoring each user at most once per run of consecutive pairs
 * of that user: through `recommender.predict` when present, else through one reused score buffer. Used by
 * {@link predictMany} and the rating protocols of `nextbest/evaluation`. Not exported by the barrel.
 *
 * @internal
 */
export interface PairPredictor {
  /**
   * The model's value for a known user index and a known item index (NaN when the model cannot predict it).
   *
   * @param user - a user index of the recommender
   * @param item - an item index of the recommender
   */
  known(user: number, item: number): number;
  /**
   * The fallback's value for an unknown user id and a known item index; NaN when the model has no fallback.
   *
   * @param user - the unknown user's external id
   * @param item - an item index of the recommender
   */
  unknownUser(user: Id, item: number): number;
}

/** Builds a {@link PairPredictor}; validates `recommender.predict` when present. @internal */
export function createPairPredictor(fn: string, recommender: Recommender): PairPredictor {
  const own = recommender.predict;
  if (own !== undefined && typeof own !== "function") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: recommender.predict must be a function or absent, got ${describeValue(own)}`);
  }
  const n = recommender.items.ids.length;
  let scores: Float64Array | undefined;
  // Which user the buffer holds: a known index (>= 0) or, for fallback scores, the unknown id.
  let bufferUser = -1;
  let bufferUnknown: Id | undefined;
  let bufferHoldsUnknown = false;
  const fallback = recommender.fallback;
  return {
    known(user: number, item: number): number {
      if (own !== undefined) return own.call(recommender, user, item);
      if (scores === undefined) scores = new Float64Array(n);
      if (bufferHoldsUnknown || bufferUser !== user) {
        recommender.scoreUser(user, scores);
        bufferUser = user;
        bufferHoldsUnknown = false;
      }
      return scores[item]!;
    },
    unknownUser(user: Id, item: number): number {
      if (fallback === undefined) return Number.NaN;
      if (scores === undefined) scores = new Float64Array(n);
      if (!bufferHoldsUnknown || !Object.is(bufferUnknown, user)) {
        fallback.scoreInto(user, scores);
        bufferUnknown = user;
        bufferHoldsUnknown = true;
        bufferUser = -1;
      }
      return scores[item]!;
    },
  };
}

function unknownId(fn: string, name: string, kind: "user" | "item", id: Id): never {
  throw new NextbestError("E_UNKNOWN_ID", `${fn}: ${name} must be ${kind === "user" ? "a user" : "an item"} the model knows (strict), got ${describeValue(id)}`);
}

const UNKNOWN_ITEM: PredictionFallback = Object.freeze({ reason: "unknown-item", source: null });

function predictOne(
  fn: string,
  recommender: Recommender,
  predictor: PairPredictor,
  user: Id,
  item: Id,
  u: number,
  i: number,
  strict: boolean,
): Prediction {
  if (strict && u < 0) unknownId(fn, "user", "user", user);
  if (strict && i < 0) unknownId(fn, "item", "item", item);
  if (i < 0) {
    const cold = recommender.coldPairs;
    if (cold === undefined) return { user, item, value: Number.NaN, fallback: UNKNOWN_ITEM };
    return { user, item, value: cold.predict(user, item), fallback: { reason: u < 0 ? "unknown-user-and-item" : "unknown-item", source: cold.source } };
  }
  if (u >= 0) return { user, item, value: predictor.known(u, i), fallback: null };
  const source = recommender.fallback?.source ?? null;
  return { user, item, value: predictor.unknownUser(user, i), fallback: { reason: "unknown-user", source } };
}

/**
 * The model's value for one (user, item) pair: `recommender.predict(u, i)` when the model implements it (O(1) for
 * rating models), else the item's entry of the user's `scoreUser` scores.
 *
 * Cold start is data, not an exception (as Surprise's `was_impossible`): an unknown user gets the model's fallback
 * score, marked `{ reason: "unknown-user", source }` (NaN with `source: null` when the model has no fallback); an
 * unknown item gets the model's `coldPairs` estimate when it has one (e.g. μ + b_u), marked `"unknown-item"` (or
 * `"unknown-user-and-item"`) with its source, else NaN marked `{ reason: "unknown-item", source: null }`; unless
 * `strict`.
 *
 * Complexity: O(1) with `recommender.predict`, else one `scoreUser` (or fallback) call and O(n) memory for n items.
 * Use {@link predictMany} for many pairs (one buffer, one scoring per user).
 *
 * @param recommender - any model adapter, e.g. `popularityRecommender(model)`
 * @param user - the user's external id
 * @param item - the item's external id
 * @param options - strictness
 * @returns the value and the fallback marker
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed recommender, id or option; `E_NON_FINITE` for a
 *   NaN/∞ numeric id; `E_UNKNOWN_ID` under `strict` for an unknown user or item
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitPopularity, popularityRecommender } from "nextbest/baselines";
 * import { predict } from "nextbest/recommend";
 * const data = createInteractions([
 *   { user: "alice", item: "laptop" }, { user: "bob", item: "laptop" }, { user: "bob", item: "dock" },
 * ]);
 * const popular = popularityRecommender(fitPopularity(data));
 * predict(popular, "alice", "laptop"); // => { user: "alice", item: "laptop", value: 2, fallback: null }
 * predict(popular, "zoe", "dock").fallback; // => { reason: "unknown-user", source: "popularity" }
 * predict(popular, "alice", "phone").value; // => NaN
 * predict(popular, "alice", "phone", { strict: true });
 * // throws NextbestError E_UNKNOWN_ID: "predict: item must be an item the model knows (strict), got \"phone\""
 * ```
 * @category recommend
 */
export function predict(recommender: Recommender, user: Id, item: Id, options?: PredictOptions): Prediction {
  const fn = "predict";
  checkRecommender(fn, recommender);
  checkId(fn, "user", user);
  checkId(fn, "item", item);
  checkOptionsObject(fn, options);
  const strict = resolveStrict(fn, options?.strict);
  const predictor = createPairPredictor(fn, recommender);
  const u = indexOfId(recommender.users, user);
  const i = indexOfId(recommender.items, item);
  return predictOne(fn, recommender, predictor, user, item, u, i, strict);
}

/**
 * The model's value for each of many (user, item) pairs, in input order; equal, pair by pair, to {@link predict}
 * with the same options, but each distinct user is scored once (pairs are grouped by user internally, so their order
 * does not matter) and one score buffer is reused across users.
 *
 * Complexity: with `recommender.predict`, O(p) model calls for p pairs; otherwise one `scoreUser` (or fallback) call
 * per distinct user plus O(p + users) to group the pairs; O(n + p) memory besides the results.
 *
 * @param recommender - any model adapter, e.g. `popularityRecommender(model)`
 * @param pairs - the pairs (an array or any iterable of `{ user, item }`)
 * @param options - strictness (applied to every pair)
 * @returns one {@link Prediction} per pair, in input order
 * @throws {@link core!NextbestError} as {@link predict}, naming the pair by its position (`pairs[3].item`)
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitPopularity, popularityRecommender } from "nextbest/baselines";
 * import { predictMany } from "nextbest/recommend";
 * const data = createInteractions([
 *   { user: "alice", item: "laptop" }, { user: "bob", item: "laptop" }, { user: "bob", item: "dock" },
 * ]);
 * const popular = popularityRecommender(fitPopularity(data));
 * const pairs = [{ user: "alice", item: "dock" }, { user: "bob", item: "laptop" }, { user: "zoe", item: "tablet" }];
 * predictMany(popular, pairs).map((p) => [p.value, p.fallback?.reason]);
 * // => [[1, undefined], [2, undefined], [NaN, "unknown-item"]]
 * ```
 * @category recommend
 */
export function predictMany(recommender: Recommender, pairs: Iterable<PredictionPair>, options?: PredictOptions): Prediction[] {
  const fn = "predictMany";
  checkRecommender(fn, recommender);
  if (
    pairs === null ||
    typeof pairs !== "object" ||
    typeof (pairs as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
  ) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: pairs must be an iterable of { user, item } pairs, got ${describeValue(pairs)}`);
  }
  checkOptionsObject(fn, options);
  const strict = resolveStrict(fn, options?.strict);
  const predictor = createPairPredictor(fn, recommender);
  const userIds: Id[] = [];
  const itemIds: Id[] = [];
  const userIndex: number[] = [];
  const itemIndex: number[] = [];
  // Group key per pair: known users by index, unknown users after them by first appearance.
  const knownUsers = recommender.users.ids.length;
  const unknownGroups = new Map<Id, number>();
  const group: number[] = [];
  let position = 0;
  for (const pair of pairs) {
    if (typeof pair !== "object" || pair === null) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: pairs[${position}] must be a { user, item } object, got ${describeValue(pair)}`);
    }
    checkId(fn, `pairs[${position}].user`, pair.user);
    checkId(fn, `pairs[${position}].item`, pair.item);
    const u = indexOfId(recommender.users, pair.user);
    const i = indexOfId(recommender.items, pair.item);
    if (strict && u < 0) unknownId(fn, `pairs[${position}].user`, "user", pair.user);
    if (strict && i < 0) unknownId(fn, `pairs[${position}].item`, "item", pair.item);
    let key = u;
    if (u < 0) {
      key = unknownGroups.get(pair.user) ?? -1;
      if (key < 0) {
        key = knownUsers + unknownGroups.size;
        unknownGroups.set(pair.user, key);
      }
    }
    userIds.push(pair.user);
    itemIds.push(pair.item);
    userIndex.push(u);
    itemIndex.push(i);
    group.push(key);
    position++;
  }
  // Counting sort of the pair positions by group, stable.
  const groups = knownUsers + unknownGroups.size;
  const start = new Int32Array(groups + 1);
  for (let p = 0; p < position; p++) start[group[p]! + 1]!++;
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
  const order = new Int32Array(position);
  for (let p = 0; p < position; p++) order[start[group[p]!]!++] = p;
  const out = new Array<Prediction>(position);
  for (let r = 0; r < position; r++) {
    const p = order[r]!;
    out[p] = predictOne(fn, recommender, predictor, userIds[p]!, itemIds[p]!, userIndex[p]!, itemIndex[p]!, false);
  }
  return out;
}
