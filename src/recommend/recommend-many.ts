/**
 * Top-k recommendations for many users over any {@link Recommender}, batch-first.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, type Id } from "../core/id-index.ts";
import { checkRecommender, createWorkspace, planRecommend, recommendOne } from "./engine.ts";
import type { Recommendation, RecommendOptions, Recommender } from "./types.ts";

/**
 * The top-k items for each of many users, in input order; equal, user by user, to {@link recommend} with the same
 * options, but the options are validated and the allow/deny mask is built once, and one score buffer and one mask
 * are reused across all users (no allocation per item).
 *
 * Complexity: per user one `scoreUser` call plus O(n log k + s) for n items and s seen items; O(n) memory in all
 * besides the results.
 *
 * @param recommender - any model adapter, e.g. `popularityRecommender(model)`
 * @param users - the users' external ids (an array, a Set, any iterable; repeats give repeated results)
 * @param options - k, seen filtering, allow/deny lists, strictness (applied to every user)
 * @returns one {@link Recommendation} per user, in input order
 * @throws {@link core!NextbestError} as {@link recommend}; an invalid id is named by its position in `users`, and under
 *   `strict` the first unknown user throws `E_UNKNOWN_ID`
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitPopularity, popularityRecommender } from "nextbest/baselines";
 * import { recommendMany } from "nextbest/recommend";
 * const data = createInteractions([
 *   { user: "alice", item: "laptop" }, { user: "alice", item: "mouse" },
 *   { user: "bob", item: "laptop" }, { user: "bob", item: "dock" },
 *   { user: "carol", item: "laptop" }, { user: "carol", item: "mouse" }, { user: "carol", item: "monitor" },
 * ]);
 * const popular = popularityRecommender(fitPopularity(data));
 * recommendMany(popular, ["alice", "bob", "dave"], { k: 1 }).map((r) => [r.user, r.items[0]?.item, r.fallback?.source]);
 * // => [["alice", "dock", undefined], ["bob", "mouse", undefined], ["dave", "laptop", "popularity"]]
 * ```
 * @category recommend
 */
export function recommendMany(recommender: Recommender, users: Iterable<Id>, options?: RecommendOptions): Recommendation[] {
  const fn = "recommendMany";
  checkRecommender(fn, recommender);
  if (
    users === null ||
    typeof users !== "object" ||
    typeof (users as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
  ) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: users must be an iterable of user ids (an array or a Set), got ${describeValue(users)}`);
  }
  const plan = planRecommend(fn, recommender, options);
  const workspace = createWorkspace(recommender, plan);
  const out: Recommendation[] = [];
  let position = 0;
  for (const user of users) {
    checkId(fn, `users[${position}]`, user);
    out.push(recommendOne(fn, recommender, user, plan, workspace));
    position++;
  }
  return out;
}
