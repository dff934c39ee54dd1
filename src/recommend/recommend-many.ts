/**
 * Top-k recommendations for many users over any {@link Recommender}, batch-first.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, indexOfId, type Id } from "../core/id-index.ts";
import { assertInteger } from "../internal/validate.ts";
import { checkRecommender, createWorkspace, planRecommend, recommendOne } from "./engine.ts";
import type { Recommendation, RecommendManyOptions, Recommender } from "./types.ts";

/**
 * The top-k items for each of many users, in input order; equal, user by user, to {@link recommend} with the same
 * options, but the options are validated and the allow/deny mask is built once, and one score buffer and one mask
 * are reused across all users (no allocation per item). A model with {@link Recommender.scoreUsers} (ALS, BPR, matrix
 * factorization, SVD++) scores blocks of users in one call, on `threads` worker threads where the block is large
 * enough; its scores equal `scoreUser`'s bit for bit, so the lists do not depend on the path or the thread count.
 *
 * Complexity: per user one `scoreUser` call (or a share of a `scoreUsers` block) plus O(n log k + s) for n items and
 * s seen items; O(n) memory besides the results, or a block of at most 64 users' scores (and 32 MB) with `scoreUsers`.
 *
 * @param recommender - any model adapter, e.g. `popularityRecommender(model)`
 * @param users - the users' external ids (an array, a Set, any iterable; repeats give repeated results)
 * @param options - k, seen filtering, allow/deny lists, strictness (applied to every user), threads of the scoring
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
export function recommendMany(recommender: Recommender, users: Iterable<Id>, options?: RecommendManyOptions): Recommendation[] {
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
  const threads = options?.threads;
  if (threads !== undefined) assertInteger(fn, "options.threads", threads, 1, 256);
  const workspace = createWorkspace(recommender, plan);
  const out: Recommendation[] = [];
  const scoreUsers = recommender.scoreUsers;
  if (scoreUsers === undefined) {
    let position = 0;
    for (const user of users) {
      checkId(fn, `users[${position}]`, user);
      out.push(recommendOne(fn, recommender, user, plan, workspace));
      position++;
    }
    return out;
  }
  // Blocks of users scored by one scoreUsers call each, then ranked one by one.
  const ids: Id[] = [];
  for (const user of users) {
    checkId(fn, `users[${ids.length}]`, user);
    ids.push(user);
  }
  const itemCount = recommender.items.ids.length;
  const blockUsers = Math.max(1, Math.min(ids.length, SCORE_BLOCK_USERS, Math.floor(SCORE_BLOCK_ENTRIES / Math.max(1, itemCount))));
  const known = new Int32Array(blockUsers);
  const rowOf = new Int32Array(blockUsers);
  const blockScores = new Float64Array(blockUsers * itemCount);
  for (let from = 0; from < ids.length; from += blockUsers) {
    const to = Math.min(ids.length, from + blockUsers);
    let count = 0;
    for (let position = from; position < to; position++) {
      const u = indexOfId(recommender.users, ids[position]!);
      rowOf[position - from] = u < 0 ? -1 : count;
      if (u >= 0) known[count++] = u;
    }
    if (count > 0) scoreUsers.call(recommender, known.subarray(0, count), blockScores.subarray(0, count * itemCount), threads === undefined ? {} : { threads });
    for (let position = from; position < to; position++) {
      const row = rowOf[position - from]!;
      const scored = row < 0 ? undefined : blockScores.subarray(row * itemCount, (row + 1) * itemCount);
      out.push(recommendOne(fn, recommender, ids[position]!, plan, workspace, scored));
    }
  }
  return out;
}

/**
 * At most this many scores (32 MB of float64) and this many users per {@link Recommender.scoreUsers} call. Larger
 * blocks of a small catalog made the garbage collector run every few evaluations (459 users × 1,682 items: a 6 MB block
 * per call, and every fifth evaluation took 2.5× the others); worker threads start on large catalogs, where 64 users
 * are enough work.
 */
const SCORE_BLOCK_ENTRIES = 1 << 22;
const SCORE_BLOCK_USERS = 64;
