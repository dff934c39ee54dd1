/**
 * `nextbest/explain`: why a model scored what it scored. Shapley-value attributions for any model given as a function
 * — exact (every coalition), KernelSHAP (as the `shap` library samples it) and antithetic permutation sampling with
 * standard errors — over a weighted background, for single features or named groups; closed forms for linear and
 * logistic models; exact splits of nextbest's hybrid, item-item, EASE, RP3β and implicit-ALS scores over components
 * and purchases. Every result is one plain, JSON-serializable {@link Explanation}, turned into waterfall data, an SVG
 * waterfall chart, or a CrystalCandle-style narrative of reasons and risks told from the raw values. No dependencies.
 *
 * @module explain
 */
export {
  playerNames,
  explanationFromJSON,
  type Explanation,
  type ExplanationMethod,
  type ExplanationLink,
  type ExplanationGroup,
  type ModelFunction,
  type PlayerGroup,
  type BackgroundOptions,
} from "./types.ts";
export { explainExact, type ExactOptions } from "./exact.ts";
export { explainKernel, type KernelOptions } from "./kernel.ts";
export { explainPermutation, type PermutationOptions } from "./permutation.ts";
export { explainLinear, explainLogistic, type LinearModel, type LinearExplainOptions } from "./linear.ts";
export {
  explanationFromBlend,
  explainItemItemScore,
  explainItemWeightsScore,
  explainImplicitAlsScore,
  type ImplicitAlsExplanation,
  type ImplicitAlsExplainOptions,
} from "./recommenders.ts";
export {
  waterfallData,
  renderWaterfallSvg,
  estimateTextWidth,
  fitText,
  type WaterfallOptions,
  type WaterfallBar,
  type WaterfallData,
  type WaterfallSvgOptions,
} from "./waterfall.ts";
export {
  narrateExplanation,
  type NarrativeUnit,
  type FeatureMetadata,
  type ScoreBand,
  type NarrativeOptions,
  type NarrativeItem,
  type Narrative,
} from "./narrative.ts";
export {
  narrateRecommendation,
  type NarratableModel,
  type RecommendationNarrativeOptions,
  type RecommendationReason,
  type RecommendationNarrative,
} from "./recommendation-narrative.ts";
