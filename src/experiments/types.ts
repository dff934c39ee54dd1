/**
 * Shared shapes of the experiment analyses.
 *
 * @module
 */

/** A two-sided confidence interval. @category experiments */
export interface ExperimentInterval {
  /** The lower bound. */
  readonly lower: number;
  /** The upper bound. */
  readonly upper: number;
}

/** Options shared by the comparisons. @category experiments */
export interface ComparisonOptions {
  /** The confidence level of the intervals, in (0, 1). @defaultValue 0.95 */
  confidence?: number;
}
