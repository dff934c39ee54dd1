/**
 * `nextbest/experiments`: A/B test analysis for B2B recommenders judged on business metrics — difference in
 * proportions (z test) and in means (Welch's t test) with confidence intervals, relative lift with a delta-method
 * interval, and sample-size and power calculators for planning.
 *
 * @module experiments
 */
export type { ExperimentInterval, ComparisonOptions } from "./types.ts";
export { compareProportions, type ProportionArm, type ProportionComparison } from "./proportions.ts";
export { compareMeans, summarizeSample, type SampleSummary, type MeanComparison } from "./means.ts";
export {
  sampleSizeForProportions,
  powerForProportions,
  sampleSizeForMeans,
  powerForMeans,
  type ProportionDesign,
  type MeanDesign,
  type SampleSizeOptions,
  type PowerOptions,
  type SampleSize,
} from "./power.ts";
