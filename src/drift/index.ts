/**
 * `nextbest/drift`: watch B2B features and model scores for drift between a reference window and a current one —
 * the population stability index (quantile bins from the reference, category shares for categorical features), the
 * two-sample Kolmogorov–Smirnov test, the usual PSI severities (< 0.1 stable, 0.1–0.25 moderate, > 0.25
 * significant), and a report that names what moved, most severe first.
 *
 * @module drift
 */
export {
  populationStabilityIndex,
  populationStabilityIndexFromCounts,
  categoricalStabilityIndex,
  stabilitySeverity,
  type StabilitySeverity,
  type StabilityThresholds,
  type StabilityOptions,
  type NumericStabilityOptions,
  type PopulationStability,
  type NumericPopulationStability,
  type CategoricalPopulationStability,
} from "./stability.ts";
export { kolmogorovSmirnovTest, type KolmogorovSmirnov } from "./kolmogorov-smirnov.ts";
export {
  driftReport,
  type DriftRow,
  type DriftFeature,
  type DriftScores,
  type DriftReportOptions,
  type FeatureDrift,
  type DriftReport,
} from "./report.ts";
