/**
 * `nextbest/hybrid`: combine recommenders that follow the shared contract (content, kNN, matrix factorization,
 * popularity) — a weighted sum over per-user normalised scores (z-score, min-max, rank percentile) or a formula over
 * component names (`"0.7 * cf + 0.3 * content"`), with the
 * per-component parts of every score kept for explanations, reciprocal rank fusion, and switching by how much history
 * an account has.
 *
 * @module hybrid
 */
export {
  blendRecommenders,
  blendFromSpec,
  type Normalization,
  type MissingScorePolicy,
  type HybridComponent,
  type BlendOptions,
  type BlendSpec,
  type BlendedRecommender,
} from "./blend.ts";
export {
  blendByFormula,
  formulaBlendFromSpec,
  type FormulaBlendOptions,
  type FormulaBlendSpec,
  type FormulaBlendedRecommender,
  type LinearFormula,
} from "./formula.ts";
export { reciprocalRankFusion, type RrfOptions } from "./rrf.ts";
export { explainBlend, type BlendContribution, type BlendExplanation } from "./explain.ts";
export { switchingRecommender, switchRoute, type SwitchingOptions, type SwitchRoute } from "./switching.ts";
export {
  learnBlendWeights,
  type BlendComponentFactory,
  type LearnBlendWeightsOptions,
  type BlendWeightStep,
  type LearnedBlendWeights,
} from "./learn-weights.ts";
export {
  learnBlendWeightsLogistic,
  type LogisticBlendOptions,
  type LogisticBlendWeights,
  type LogisticBlendRows,
} from "./learn-logistic.ts";
