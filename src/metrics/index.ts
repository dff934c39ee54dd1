/**
 * `nextbest/metrics`: pure metric functions over plain data (ids, arrays, Maps), knowing no model, so any
 * recommender's output can be scored, including another library's. Ranking metrics per user and over users, rating
 * errors, beyond-accuracy measures, and classification and calibration metrics, each with its convention and
 * reference stated.
 *
 * @module metrics
 */
export {
  precisionAtK,
  recallAtK,
  f1AtK,
  hitRateAtK,
  ndcgAtK,
  averagePrecisionAtK,
  reciprocalRank,
  type RelevantItems,
  type GainKind,
  type RankingMetricOptions,
  type PrecisionAtKOptions,
  type PrecisionDenominator,
  type AveragePrecisionAtKOptions,
  type AveragePrecisionDenominator,
  type NdcgAtKOptions,
  type ReciprocalRankOptions,
} from "./ranking.ts";
export { aucForUser, type AucForUserOptions } from "./auc-for-user.ts";
export {
  rankingMetricsOverUsers,
  meanOverUsers,
  RANKING_METRIC_NAMES,
  type RankingMetricName,
  type EmptyRelevantPolicy,
  type RankingMetricsOverUsersOptions,
  type RankingMetricsOverUsersResult,
  type RankingMetricValues,
  type RankingMetricMeans,
  type PooledRankingMetrics,
  type MeanOverUsersOptions,
} from "./over-users.ts";
export { mae, mse, rmse } from "./rating.ts";
export {
  catalogCoverage,
  novelty,
  averageRecommendationPopularity,
  intraListDiversity,
  type RecommendationLists,
  type ListCutoffOptions,
  type CatalogCoverageOptions,
  type NoveltyOptions,
  type AverageRecommendationPopularityOptions,
  type IntraListDiversityOptions,
} from "./beyond-accuracy.ts";
export {
  rocAuc,
  logLoss,
  brierScore,
  expectedCalibrationError,
  cumulativeGains,
  liftAtDecile,
  type BinaryLabels,
  type LogLossOptions,
  type ExpectedCalibrationErrorOptions,
  type CumulativeGainsOptions,
  type CumulativeGainsRow,
  type LiftAtDecileOptions,
} from "./classification.ts";
