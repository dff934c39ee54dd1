/**
 * Every item's score for one user id over any {@link Recommender}.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, indexOfId, type Id } from "../core/id-index.ts";
import { checkOptionsObject, checkRecommender, resolveStrict, unknownUser } from "./engine.ts";
import type { Recommender, ScoreItemsOptions, UserScores } from "./types.ts";

/**
 * Every item's score for one user, by external id: the model's own scores for a known user, the fallback's scores
 * (marked) for an unknown one. This is what the hybrid blender, the explainer and rating metrics read.
 *
 * Complexity: one `scoreUser` (or fallback) call; O(n) memory for n items unless `options.out` is given.
 *
 * @param recommender - any model adapter, e.g. `popularityRecommender(model)`
 * @param user - the user's external id
 * @param options - strictness and an optional output buffer
 * @returns the scores in item index order (`recommender.items.ids[i]`) and the fallback marker; all NaN with
 *   `fallback.source: null` for an unknown user when the model has no fallback
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed recommender, user id or option; `E_SHAPE` when
 *   `options.out` does not have one entry per item; `E_UNKNOWN_ID` for an unknown user under `strict`
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitPopularity, popularityRecommender } from "nextbest/baselines";
 * import { scoreItems } from "nextbest/recommend";
 * const data = createInteractions([
 *   { user: "alice", item: "laptop" }, { user: "bob", item: "laptop" }, { user: "bob", item: "dock" },
 * ]);
 * const popular = popularityRecommender(fitPopularity(data));
 * Array.from(scoreItems(popular, "alice").scores); // => [2, 1]
 * scoreItems(popular, "zoe").fallback; // => { reason: "unknown-user", source: "popularity" }
 * ```
 * @category recommend
 */
export function scoreItems(recommender: Recommender, user: Id, options?: ScoreItemsOptions): UserScores {
  const fn = "scoreItems";
  checkRecommender(fn, recommender);
  checkId(fn, "user", user);
  checkOptionsObject(fn, options);
  const strict = resolveStrict(fn, options?.strict);
  const n = recommender.items.ids.length;
  const given = options?.out;
  if (given !== undefined && !(given instanceof Float64Array)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.out must be a Float64Array, got ${describeValue(given)}`);
  }
  if (given !== undefined && given.length !== n) {
    throw new NextbestError("E_SHAPE", `${fn}: options.out must have length ${n} (one per item), got length ${given.length}`);
  }
  const scores = given ?? new Float64Array(n);
  const u = indexOfId(recommender.users, user);
  if (u >= 0) {
    recommender.scoreUser(u, scores);
    return { user, scores, fallback: null };
  }
  if (strict) unknownUser(fn, user);
  const fallback = recommender.fallback;
  if (fallback === undefined) {
    scores.fill(Number.NaN);
    return { user, scores, fallback: { reason: "unknown-user", source: null } };
  }
  fallback.scoreInto(user, scores);
  return { user, scores, fallback: { reason: "unknown-user", source: fallback.sourceFor?.(user) ?? fallback.source } };
}
