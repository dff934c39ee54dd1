/**
 * `nextbest/recommend`: the model contract ({@link Recommender}) and the generic functions over it: top-k for one
 * user or many with seen-item filtering, allow/deny lists and cold-start fallback, and all-item scores for a user.
 * Imports no concrete model; models (`nextbest/baselines`, ...) provide adapters to this contract.
 *
 * @module recommend
 */
export { recommend } from "./recommend.ts";
export { recommendMany } from "./recommend-many.ts";
export { recommendForHistory, type AccountHistory, type HistoryRecommendation } from "./history.ts";
export { scoreItems } from "./score-items.ts";
export {
  predict,
  predictMany,
  type Prediction,
  type PredictionFallback,
  type PredictionFallbackReason,
  type PredictionPair,
  type PredictOptions,
} from "./predict.ts";
export type {
  Recommender,
  RecommenderFallback,
  ColdPairPredictor,
  Recommendation,
  RecommendedItem,
  RecommendationFallback,
  FallbackReason,
  RecommendOptions,
  RecommendManyOptions,
  ScoreUsersOptions,
  ScoreItemsOptions,
  UserScores,
  ItemHistory,
} from "./types.ts";
