/**
 * Types shared by the evaluation protocols: model factories, metric names and per-user values.
 *
 * @module
 */
import type { Id } from "../core/id-index.ts";
import type { Interactions } from "../data/types.ts";
import type { Recommender } from "../recommend/types.ts";

/**
 * A model factory: fits a model on the training interactions and returns its {@link recommend!Recommender} adapter,
 * e.g. `(train) => popularityRecommender(fitPopularity(train))`. The protocols call it once per split or fold and
 * time the call as the model's fit time. It must not change `train`.
 *
 * @category evaluation
 */
export type ModelFactory = (train: Interactions) => Recommender;

/**
 * Rating-error metrics, lower is better: `"mae"`, `"rmse"`, `"mse"` (computed by `nextbest/metrics`' `mae`, `rmse`,
 * `mse` over the test pairs).
 *
 * @category evaluation
 */
export type RatingMetricName = "mae" | "rmse" | "mse";

/**
 * Ranking metrics of {@link evaluateRanking}, higher is better. Per user, averaged over the evaluated users
 * (a macro average, as cornac and RecTools): `"precision"`, `"recall"`, `"f1"`, `"hitRate"`, `"ndcg"` at k;
 * `"map"` (mean of average precision at k) and `"mrr"` (mean reciprocal rank within the top k); `"auc"` (per-user AUC
 * of the full ranking of the unseen catalog, no cutoff). Over all lists: `"coverage"` (catalog coverage at k),
 * `"novelty"` (mean self-information at k, in bits) and `"popularity"` (average recommendation popularity at k); the
 * last two need the training set.
 *
 * @category evaluation
 */
export type RankingMetricKey =
  | "precision"
  | "recall"
  | "f1"
  | "hitRate"
  | "ndcg"
  | "map"
  | "mrr"
  | "auc"
  | "coverage"
  | "novelty"
  | "popularity";

/**
 * A metric column of the experiment runners ({@link crossValidate}, {@link compareModels}, {@link gridSearch},
 * {@link randomSearch}): a rating error (`"rmse"`), a ranking metric at a cutoff (`"ndcg@10"`), or `"auc"`.
 *
 * @category evaluation
 */
export type MetricName = RatingMetricName | "auc" | `${Exclude<RankingMetricKey, "auc">}@${number}`;

/**
 * Per-user values of one metric, aligned by position: `values[j]` belongs to `users[j]`. Returned by
 * {@link userValues}; read by {@link bootstrapConfidenceInterval} and {@link pairedComparison}.
 *
 * @category evaluation
 */
export interface UserValues {
  /** The user ids, without repeats. */
  readonly users: readonly Id[];
  /** One value per user. */
  readonly values: ArrayLike<number>;
}

/**
 * Columns of per-user values: `values[column][j]` belongs to `users[j]`. Plain arrays, so results serialize with
 * `JSON.stringify` (a NaN, for a user whose metric is undefined, becomes `null` there).
 *
 * @category evaluation
 */
export interface PerUserTable {
  /** The evaluated users, in evaluation order. */
  readonly users: readonly Id[];
  /** Per metric column, one value per user. */
  readonly values: { readonly [column: string]: readonly number[] };
}
