/**
 * Top-k recommendations for one user over any {@link Recommender}.
 *
 * @module
 */
import { checkId, type Id } from "../core/id-index.ts";
import { checkRecommender, createWorkspace, planRecommend, recommendOne } from "./engine.ts";
import type { Recommendation, RecommendOptions, Recommender } from "./types.ts";

/**
 * The top-k items for one user: scores every item with the recommender, drops ineligible items (seen, not allowed,
 * denied, NaN-scored) and ranks the rest, best first, ties by item index.
 *
 * An unknown user is data, not an exception: the result carries `fallback: { reason: "unknown-user", source }` and
 * the model's fallback scores (an empty list with `source: null` when the model has none), unless `strict`.
 *
 * Complexity: one `scoreUser` call plus O(n log k) for the top-k over n items, O(n) memory for the score buffer
 * and mask; O(|allowItems| + |denyItems|) to build the mask. Use {@link recommendMany} for many users (one buffer).
 *
 * @param recommender - any model adapter, e.g. `popularityRecommender(model)`
 * @param user - the user's external id
 * @param options - k, seen filtering, allow/deny lists, strictness
 * @returns the ranked items, the fallback marker and how many seen items were left out
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed recommender, user id or option (k not a positive
 *   integer, a non-boolean flag, allow/deny not an iterable of ids); `E_NON_FINITE` for a NaN/∞ numeric id, or when
 *   the recommender (a custom one, say) writes a score of ±Infinity, naming the item (scores are finite numbers, or
 *   NaN for "cannot score": such items end the list); `E_UNKNOWN_ID` under `strict` for an unknown user or
 *   allow/deny item id
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitPopularity, popularityRecommender } from "nextbest/baselines";
 * import { recommend } from "nextbest/recommend";
 * const data = createInteractions([
 *   { user: "alice", item: "laptop" }, { user: "alice", item: "mouse" },
 *   { user: "bob", item: "laptop" }, { user: "bob", item: "dock" },
 *   { user: "carol", item: "laptop" }, { user: "carol", item: "mouse" }, { user: "carol", item: "monitor" },
 * ]);
 * const popular = popularityRecommender(fitPopularity(data));
 * recommend(popular, "bob", { k: 2 }).items;
 * // => [{ item: "mouse", score: 2, rank: 1 }, { item: "monitor", score: 1, rank: 2 }]
 * recommend(popular, "dave", { k: 2, denyItems: ["mouse"] });
 * // => { user: "dave", items: [{ item: "laptop", score: 3, rank: 1 }, { item: "dock", score: 1, rank: 2 }],
 * //      fallback: { reason: "unknown-user", source: "popularity" }, excludedSeen: 0 }
 * ```
 * @category recommend
 */
export function recommend(recommender: Recommender, user: Id, options?: RecommendOptions): Recommendation {
  const fn = "recommend";
  checkRecommender(fn, recommender);
  checkId(fn, "user", user);
  const plan = planRecommend(fn, recommender, options);
  return recommendOne(fn, recommender, user, plan, createWorkspace(recommender, plan));
}
