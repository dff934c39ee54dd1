/**
 * `nextbest/evaluation`: the protocols that run any model through the `nextbest/recommend` contract: rating errors
 * and top-k ranking metrics on a test set, k-fold cross-validation, several models on one split as a table (like
 * cornac's `Experiment`), bootstrap confidence intervals and paired comparisons on per-user values, and grid and
 * seeded random hyper-parameter search. Imports no concrete model: models come in as `Recommender` adapters or as
 * factories `(train) => Recommender`; the arithmetic of every metric is `nextbest/metrics`'.
 *
 * @module evaluation
 */
export {
  evaluateRatings,
  type EvaluateRatingsOptions,
  type RatingsEvaluation,
  type UnpredictablePolicy,
} from "./evaluate-ratings.ts";
export {
  evaluateRanking,
  type EvaluateRankingOptions,
  type RankingEvaluation,
  type ColdUserPolicy,
  type SkipReason,
  type SkippedUser,
} from "./evaluate-ranking.ts";
export type { ExperimentOptions } from "./experiment.ts";
export { crossValidate, type CrossValidateOptions, type CrossValidation, type FoldResult } from "./cross-validate.ts";
export {
  compareModels,
  formatComparisonTable,
  type ComparisonInput,
  type TrainTestPair,
  type DataWithSplitter,
  type ComparisonRow,
  type ModelComparison,
  type FormatComparisonTableOptions,
} from "./compare-models.ts";
export {
  gridSearch,
  randomSearch,
  type SearchValidation,
  type SearchDirection,
  type SearchOptions,
  type GridSearchOptions,
  type RandomSearchOptions,
  type NumericDistribution,
  type SearchRow,
  type SearchResult,
} from "./search.ts";
export {
  bootstrapConfidenceInterval,
  pairedComparison,
  type BootstrapOptions,
  type ConfidenceInterval,
  type PairedTest,
  type PairedComparisonOptions,
  type PairedComparison,
} from "./statistics.ts";
export { userValues } from "./user-values.ts";
export {
  evaluateNextPurchases,
  type NextPurchaseTask,
  type EvaluateNextPurchasesOptions,
  type NextPurchaseBootstrap,
  type NextPurchaseEvaluation,
} from "./next-purchases.ts";
export type {
  ModelFactory,
  MetricName,
  RatingMetricName,
  RankingMetricKey,
  UserValues,
  PerUserTable,
} from "./types.ts";
