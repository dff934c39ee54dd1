/**
 * Per-user values of one metric out of an evaluation result.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import type { RankingEvaluation } from "./evaluate-ranking.ts";
import type { RatingsEvaluation } from "./evaluate-ratings.ts";
import type { UserValues } from "./types.ts";

/**
 * The per-user values of one metric column of an {@link evaluateRanking} or {@link evaluateRatings} result, ready for
 * {@link bootstrapConfidenceInterval} and {@link pairedComparison}. Users whose value is undefined (NaN, e.g. AUC
 * without a negative candidate) are left out, so the mean of the values is the evaluation's mean for that column
 * (for rating errors: the user-averaged error, not the pair-weighted one). O(users).
 *
 * @param evaluation - a ranking or rating evaluation (or a row's `ranking` / `ratings` of {@link compareModels})
 * @param column - a per-user column: `"ndcg@10"`, `"auc"`, ... for rankings; `"mae"`, `"rmse"`, `"mse"` for ratings
 * @returns the users and their values, aligned
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when the evaluation has no per-user values for `column` (naming the
 *   columns it has)
 * @example
 * ```ts
 * import { createIdIndex } from "nextbest/core";
 * import { createInteractions } from "nextbest/data";
 * import { evaluateRanking, userValues } from "nextbest/evaluation";
 * const model = {
 *   name: "fixed", users: createIdIndex(["ann", "bob"]), items: createIdIndex(["a", "b"]),
 *   scoreUser(user, out) { out.set([2, 1]); }, seenItems() { return []; },
 * };
 * const test = createInteractions([{ user: "ann", item: "a" }, { user: "bob", item: "b" }]);
 * userValues(evaluateRanking(model, test, { k: 1, metrics: ["hitRate"] }), "hitRate@1");
 * // => { users: ["ann", "bob"], values: [1, 0] }
 * ```
 * @category evaluation
 */
export function userValues(evaluation: RankingEvaluation | RatingsEvaluation, column: string): UserValues {
  const fn = "userValues";
  const e = evaluation as Partial<RankingEvaluation> | null;
  if (typeof e !== "object" || e === null || typeof e.perUser !== "object" || e.perUser === null || !Array.isArray(e.perUser.users)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: evaluation must be the result of evaluateRanking or evaluateRatings, got ${describeValue(evaluation)}`);
  }
  const table = e.perUser;
  const values = Object.hasOwn(table.values, column) && column !== "count" ? table.values[column] : undefined;
  if (!Array.isArray(values)) {
    const available = Object.keys(table.values).filter((name) => name !== "count");
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: column must be one of the evaluation's per-user columns (${available.map((name) => JSON.stringify(name)).join(", ")}), got ${describeValue(column)}`,
    );
  }
  const users: Id[] = [];
  const kept: number[] = [];
  for (let j = 0; j < table.users.length; j++) {
    const value = values[j]!;
    if (value !== value) continue;
    users.push(table.users[j]!);
    kept.push(value);
  }
  return { users, values: kept };
}
