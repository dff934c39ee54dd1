/**
 * The model contract: the one small interface every recommender in nextbest implements, and the result types of the
 * generic functions over it.
 *
 * A fitted model is plain, versioned, JSON-serializable data (`{ kind, version, ... }` with typed arrays inside). To be
 * used by {@link recommend}, {@link recommendMany}, {@link scoreItems}, evaluation, the hybrid blender or the explainer,
 * a model is wrapped in a {@link Recommender}: a thin adapter made by the model's own factory
 * (`popularityRecommender(model)`, ...). Consumers import only these types, never a concrete model, so a bundle that
 * evaluates a kNN model pulls in no popularity or factorization code.
 *
 * @module
 */
import type { Id, IdIndex } from "../core/id-index.ts";

/**
 * Scores for users a model does not know (cold start), and where those scores come from.
 *
 * @category recommend
 */
export interface RecommenderFallback {
  /**
   * Where the fallback scores come from, reported in results as `fallback.source`
   * (e.g. `"popularity"`, `"random"`, or the name of the model a hybrid falls back to).
   */
  readonly source: string;
  /**
   * Writes a score for every item (item index order) into `out` for a user id the model does not know.
   * Same rules as {@link Recommender.scoreUser}: higher is better, NaN means "cannot score this item".
   *
   * @param user - the unknown user's external id (a fallback may use it, e.g. to seed random scores, or ignore it)
   * @param out - a buffer of length `items.ids.length`, overwritten entirely
   */
  scoreInto(user: Id, out: Float64Array): void;
  /**
   * The source for one unknown user, when it depends on the user (e.g. `"firmographics"` for a prospect with a
   * firmographic row, `"popularity"` for one without); results report it instead of `source`. Optional.
   *
   * @param user - the unknown user's external id
   * @returns the source reported for this user
   */
  sourceFor?(user: Id): string;
}

/**
 * A model's own estimate for (user, item) pairs it cannot score from its fitted parameters because the item, the
 * user or both were not in the training data, on the scale of the training values: for a biased model μ + b_u for an
 * unknown item, μ + b_i for an unknown user, μ for both (as Surprise's baseline estimates).
 *
 * @category recommend
 */
export interface ColdPairPredictor {
  /** Where the estimate comes from, reported in results as `fallback.source` (e.g. `"biases"`). */
  readonly source: string;
  /**
   * The estimate for a pair where at least one id is unknown to the model.
   *
   * @param user - the user's external id (known or not)
   * @param item - the item's external id (known or not)
   * @returns the estimate (NaN when the model has none)
   */
  predict(user: Id, item: Id): number;
}

/**
 * The model contract: a thin, read-only adapter over a fitted model that scores items for users.
 *
 * Rules every implementation follows:
 * - **Cheap to construct.** A factory such as `popularityRecommender(model)` validates the model's header in O(1) and
 *   closes over the model's typed arrays without copying them; make one per call site freely.
 * - **Dense indices inside, external ids outside.** `scoreUser` and `seenItems` take a user *index* (into
 *   `users.ids`) and speak item *indices* (into `items.ids`); the generic functions map external ids at the boundary.
 * - **Scores.** `scoreUser` overwrites every entry of `out`. Higher is better; only the order within one user matters
 *   for ranking (models whose scores are predicted ratings say so in their own documentation). NaN means "this model
 *   cannot score this item for this user": such items are never recommended. ±Infinity is not a score: `recommend`
 *   and `recommendMany` throw `E_NON_FINITE` naming the item.
 * - **No allocation per item** in `scoreUser`: batch callers reuse one buffer across users.
 * - **Stateless.** Calls do not change the adapter or the model; the same call gives the same scores.
 *
 * Implement it for your own model and every generic function of nextbest works with it.
 *
 * @example
 * ```ts
 * import { createIdIndex } from "nextbest/core";
 * import { recommend, type Recommender } from "nextbest/recommend";
 * // A hand-written recommender: two users, three items, fixed scores, user "u1" has seen item "b".
 * const custom: Recommender = {
 *   name: "fixed",
 *   users: createIdIndex(["u1", "u2"]),
 *   items: createIdIndex(["a", "b", "c"]),
 *   scoreUser(user, out) { out.set(user === 0 ? [0.2, 0.9, 0.5] : [0.1, 0.2, 0.3]); },
 *   seenItems(user) { return user === 0 ? [1] : []; },
 * };
 * recommend(custom, "u1", { k: 2 }).items.map((r) => r.item); // => ["c", "a"]
 * ```
 * @category recommend
 */
export interface Recommender {
  /** A short name of the model, e.g. `"popularity"`; hybrids and reports use it to say where a score came from. */
  readonly name: string;
  /** The users the model knows: user index `u` is `users.ids[u]`. */
  readonly users: IdIndex;
  /** The items the model scores: item index `i` is `items.ids[i]`; score buffers have `items.ids.length` entries. */
  readonly items: IdIndex;
  /**
   * Writes a score for every item (item index order) into `out` for a known user. Higher is better; NaN means the
   * model cannot score that item for that user.
   *
   * @param user - a user index in [0, users.ids.length)
   * @param out - a buffer of length `items.ids.length`, overwritten entirely
   */
  scoreUser(user: number, out: Float64Array): void;
  /**
   * Writes every item's score for many known users at once: row r of `out` (row-major, `users.length` rows of
   * `items.ids.length` scores) exactly what `scoreUser(users[r], …)` writes, bit for bit. Optional: `recommendMany`,
   * and with it the ranking evaluations, scores blocks of users through it when present; the factor models (ALS, BPR,
   * matrix factorization, SVD++) split the users among worker threads.
   *
   * @param users - user indices in [0, users.ids.length)
   * @param out - a buffer of length `users.length × items.ids.length`, overwritten entirely
   * @param options - how many threads may share the work
   */
  scoreUsers?(users: Int32Array, out: Float64Array, options?: ScoreUsersOptions): void;
  /**
   * The item indices the user interacted with in training, ascending, without repeats: what seen-item filtering
   * removes. May be a view into the model's arrays: read it, never write to it.
   *
   * @param user - a user index in [0, users.ids.length)
   * @returns the seen item indices, ascending
   */
  seenItems(user: number): ArrayLike<number>;
  /**
   * The model's predicted value for one known (user, item) pair, on the scale of the training values: a predicted
   * rating for explicit models, a preference score for implicit ones. Optional: models whose scores are predicted
   * ratings (baseline, kNN with means, matrix factorization) implement it so that rating protocols (MAE, RMSE) need
   * not score the whole catalog per test pair. Must agree with `scoreUser` for the same pair.
   *
   * @param user - a user index in [0, users.ids.length)
   * @param item - an item index in [0, items.ids.length)
   * @returns the predicted value (NaN when the model cannot predict the pair)
   */
  predict?(user: number, item: number): number;
  /**
   * The model's estimate for pairs with an unknown item (or unknown user and item), for models that have one on the
   * rating scale; used by `predict`, `predictMany` and rating protocols, results marked with the reason and its
   * `source`. Absent: such pairs are NaN ("cannot predict").
   */
  readonly coldPairs?: ColdPairPredictor;
  /**
   * Scores for users the model does not know, and where they come from; absent when the model has no cold-start
   * answer (then unknown users get an empty, marked result unless the caller asked for strictness).
   */
  readonly fallback?: RecommenderFallback;
  /**
   * Writes a score for every item into `out` for an account the model was not trained on, from that account's own
   * history (items it bought, with values and times), weighted as the model weighted a training account's rows: ALS
   * folds the account in, item-kNN, EASE and RP3β sum their item weights, content builds the account's profile,
   * buy-again counts its dated purchases, repeat purchases scores each product's dates, popularity ignores the history. Optional: `recommendForHistory` uses it and says so when a model lacks it.
   *
   * @param history - the account's items (indices, ascending, no repeats), summed raw values, latest timestamps
   * @param out - a buffer of length `items.ids.length`, overwritten entirely
   */
  scoreHistory?(history: ItemHistory, out: Float64Array): void;
}

/**
 * Options of {@link Recommender.scoreUsers}.
 *
 * @category recommend
 */
export interface ScoreUsersOptions {
  /**
   * Threads that may share the work (1: the calling thread only). A model may use fewer, for instance when the work is
   * too small to repay starting them; the scores do not depend on the count.
   * @defaultValue the model's choice: the available cores for the factor models
   */
  threads?: number;
}

/**
 * A new account's history in a model's item index space, as {@link Recommender.scoreHistory} reads it.
 *
 * @category recommend
 */
export interface ItemHistory {
  /** Item indices, ascending, without repeats. */
  readonly items: Int32Array;
  /** The summed raw value of each item (1 for a row without a value), on the training data's scale. */
  readonly values: Float64Array;
  /** The latest timestamp of each item, in the training data's unit, or undefined when not given. */
  readonly timestamps: Float64Array | undefined;
  /**
   * Every dated row behind each item, for models that count purchase events (buy-again): item `k`'s rows are
   * positions `events.indptr[k]` to `events.indptr[k + 1] − 1`, times ascending. Undefined without timestamps.
   */
  readonly events?:
    | {
        /** Offsets: item `k`'s rows are `indptr[k]` … `indptr[k + 1] − 1`; length = items + 1. */
        readonly indptr: Int32Array;
        /** Each row's timestamp, ascending within an item. */
        readonly timestamps: Float64Array;
      }
    | undefined;
}

/**
 * Why a result did not come from the model's own scores for that user.
 * `"unknown-user"`: the user id is not among the model's users (cold start).
 *
 * @category recommend
 */
export type FallbackReason = "unknown-user";

/**
 * How a result was produced when the model could not score the user itself.
 *
 * @category recommend
 */
export interface RecommendationFallback {
  /** Why the model's own scores were not used. */
  readonly reason: FallbackReason;
  /**
   * The {@link RecommenderFallback.source} whose scores were used, or `null` when the model has no fallback
   * (the result is then empty).
   */
  readonly source: string | null;
}

/**
 * One recommended item.
 *
 * @category recommend
 */
export interface RecommendedItem {
  /** The item's external id. */
  readonly item: Id;
  /** The model's score for the item (higher is better; comparable only within one result). */
  readonly score: number;
  /** 1 for the best item, then 2, 3, ... with no gaps; ties in score are ordered by item index. */
  readonly rank: number;
}

/**
 * The top-k recommendations for one user.
 *
 * @category recommend
 */
export interface Recommendation {
  /** The user id as the caller passed it. */
  readonly user: Id;
  /** At most k items, best first, with ranks 1..n. */
  readonly items: readonly RecommendedItem[];
  /** `null` when the model scored the user itself; otherwise why and from where the scores came (cold start). */
  readonly fallback: RecommendationFallback | null;
  /**
   * How many items were left out because the user had already seen them (counting only items the allow and deny
   * lists let through); 0 when `excludeSeen` is false or the user is unknown.
   */
  readonly excludedSeen: number;
}

/**
 * Options of {@link recommend} and {@link recommendMany}.
 *
 * An item is eligible when it is in `allowItems` (if given), not in `denyItems`, not seen by the user (if
 * `excludeSeen`), and its score is not NaN. Results hold `min(k, eligible)` items.
 *
 * @category recommend
 */
export interface RecommendOptions {
  /** How many items to return at most (fewer when fewer are eligible; any k larger than the catalog is fine). @defaultValue 10 */
  k?: number;
  /** Leave out items the user interacted with in training (`Recommender.seenItems`). @defaultValue true */
  excludeSeen?: boolean;
  /**
   * Only these item ids may be recommended (e.g. the products in stock, or a sales rep's portfolio). An empty list
   * allows nothing. Ids the model does not know are ignored (it cannot score them), unless `strict`.
   * @defaultValue undefined (every item is allowed)
   */
  allowItems?: Iterable<Id>;
  /**
   * These item ids are never recommended (e.g. discontinued products). Applied after `allowItems`.
   * Ids the model does not know are ignored, unless `strict`.
   * @defaultValue undefined (no item is denied)
   */
  denyItems?: Iterable<Id>;
  /**
   * Every id passed must be known to the model. `false`: an unknown user gets the model's fallback scores, marked in
   * `result.fallback` with the reason (an empty list when the model has no fallback), and unknown ids in
   * `allowItems`/`denyItems` are ignored. `true`: any unknown user or item id throws `E_UNKNOWN_ID` naming it.
   * @defaultValue false
   */
  strict?: boolean;
}

/**
 * Options of {@link recommendMany}: those of {@link recommend}, plus the threads of the scoring.
 *
 * @category recommend
 */
export interface RecommendManyOptions extends RecommendOptions {
  /**
   * Threads that may score the users of a model with {@link Recommender.scoreUsers} (the factor models: worker
   * threads over one shared memory, from about 67 million multiply-adds per block of users; browsers and runtimes
   * without SharedArrayBuffer use one). The lists do not depend on it: every score is computed the same way.
   * @defaultValue the model's choice: the available cores (Node and Deno; 1 elsewhere) for the factor models
   */
  threads?: number;
}

/**
 * Options of {@link scoreItems}.
 *
 * @category recommend
 */
export interface ScoreItemsOptions {
  /** An unknown user throws `E_UNKNOWN_ID` instead of getting the fallback scores. @defaultValue false */
  strict?: boolean;
  /**
   * A buffer of length `items.ids.length` to write the scores into (reuse it across users to avoid allocation).
   * @defaultValue undefined (a new Float64Array)
   */
  out?: Float64Array;
}

/**
 * Every item's score for one user.
 *
 * @category recommend
 */
export interface UserScores {
  /** The user id as the caller passed it. */
  readonly user: Id;
  /** One score per item in item index order (`recommender.items.ids[i]`); NaN where the model cannot score. */
  readonly scores: Float64Array;
  /** `null` when the model scored the user itself; otherwise why and from where (all NaN when `source` is null). */
  readonly fallback: RecommendationFallback | null;
}
