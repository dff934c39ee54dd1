/**
 * `nextbest/factorization`: matrix-factorization recommenders. For explicit ratings, biased matrix factorization
 * (Funk SVD) and SVD++ fitted by SGD; for implicit feedback (purchases, renewals, usage), alternating least squares
 * with confidence weighting (conjugate-gradient or Cholesky solves, fold-in of new users) and BPR. Every model is a
 * plain, versioned object with Float32Array factor tables, JSON helpers and an adapter to the `nextbest/recommend`
 * contract; ALS factor tables also travel to and from Spark MLlib as JSON lines.
 *
 * @module factorization
 */
export {
  fitMatrixFactorization,
  matrixFactorizationRecommender,
  matrixFactorizationToJSON,
  matrixFactorizationFromJSON,
  type MatrixFactorizationModel,
  type MatrixFactorizationModelJSON,
  type MatrixFactorizationOptions,
  type MatrixFactorizationHyperparameters,
} from "./matrix-factorization.ts";
export {
  fitSvdPlusPlus,
  svdPlusPlusRecommender,
  svdPlusPlusToJSON,
  svdPlusPlusFromJSON,
  type SvdPlusPlusModel,
  type SvdPlusPlusModelJSON,
  type SvdPlusPlusOptions,
} from "./svd-plus-plus.ts";
export {
  fitImplicitAls,
  implicitAlsRecommender,
  implicitAlsToJSON,
  implicitAlsFromJSON,
  foldInUser,
  type ImplicitAlsModel,
  type ImplicitAlsModelJSON,
  type ImplicitAlsOptions,
  type ImplicitAlsHyperparameters,
  type AlsValueTransform,
  type ImplicitAlsSolver,
  type FoldInInteraction,
  type FoldInUserOptions,
} from "./implicit-als.ts";
export {
  fitBpr,
  bprRecommender,
  bprToJSON,
  bprFromJSON,
  type BprModel,
  type BprModelJSON,
  type BprOptions,
  type BprHyperparameters,
} from "./bpr.ts";
export {
  alsFromSparkJsonLines,
  alsToSparkJsonLines,
  type SparkAlsJsonLines,
  type SparkAlsTables,
} from "./spark.ts";
export {
  tuneMatrixFactorization,
  tuneImplicitAls,
  tuneBpr,
  type FactorizationTuneOptions,
  type TuneMatrixFactorizationOptions,
  type TuneImplicitAlsOptions,
  type TuneBprOptions,
} from "./tune.ts";
export type { FactorizationTuning, FactorizationTuningRow, TuningWarning } from "./tuning.ts";
