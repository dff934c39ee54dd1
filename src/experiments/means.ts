/**
 * Difference in means between two arms of an A/B test (bookings, revenue or deal size per account), by Welch's t.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { scaleFor, unscale } from "../internal/scale.ts";
import { studentTQuantile, studentTTwoSided } from "./distributions.ts";
import { confidenceOf, logRatioLift } from "./internal.ts";
import type { ComparisonOptions, ExperimentInterval } from "./types.ts";

/** The summary of one arm's values: mean, sample standard deviation (n − 1 denominator) and count. @category experiments */
export interface SampleSummary {
  /** The arithmetic mean. */
  readonly mean: number;
  /** The sample standard deviation, with the n − 1 denominator. */
  readonly standardDeviation: number;
  /** The number of values, at least 2. */
  readonly count: number;
}

/** What {@link compareMeans} returns. @category experiments */
export interface MeanComparison {
  /** The control mean. */
  readonly controlMean: number;
  /** The treatment mean. */
  readonly treatmentMean: number;
  /** treatmentMean − controlMean. */
  readonly difference: number;
  /** The Welch interval difference ± t(1 − α/2, df) · standardError. */
  readonly differenceInterval: ExperimentInterval;
  /** treatmentMean / controlMean − 1 (NaN when the control mean is 0). */
  readonly relativeLift: number;
  /** The delta-method interval of the relative lift on the log scale (NaN bounds unless both means are > 0). */
  readonly relativeLiftInterval: ExperimentInterval;
  /** √(sc² / nc + st² / nt). */
  readonly standardError: number;
  /** Welch's t statistic difference / standardError (0 when both arms are constant and equal). */
  readonly tStatistic: number;
  /** The Welch–Satterthwaite degrees of freedom. */
  readonly degreesOfFreedom: number;
  /** The two-sided p-value P(|T_df| >= |t|). */
  readonly pValue: number;
  /** The confidence level of the intervals. */
  readonly confidence: number;
}

/**
 * Summarizes values into mean, sample standard deviation (n − 1 denominator, two-pass for accuracy) and count.
 *
 * Complexity: O(n).
 *
 * @param values - the finite values of one arm, at least 2
 * @returns the {@link SampleSummary}
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a non-array or fewer than 2 values; `E_NON_FINITE` naming the first
 *   NaN or infinite value
 * @example
 * ```ts
 * import { summarizeSample } from "nextbest/experiments";
 * summarizeSample([2, 4, 4, 4, 5, 5, 7, 9]); // => { mean: 5, standardDeviation: Math.sqrt(32 / 7), count: 8 }
 * ```
 * @category experiments
 */
export function summarizeSample(values: ArrayLike<number>): SampleSummary {
  return summarize("summarizeSample", "values", values);
}

function summarize(fn: string, name: string, values: unknown): SampleSummary {
  if (typeof values !== "object" || values === null || !(Array.isArray(values) || ArrayBuffer.isView(values))) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be an array of numbers or a summary { mean, standardDeviation, count }, got ${describeValue(values)}`);
  }
  const list = values as ArrayLike<unknown>;
  if (list.length < 2) throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must hold at least 2 values, got ${list.length}`);
  let largest = 0;
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new NextbestError(typeof v === "number" ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: ${name}[${i}] must be a finite number, got ${describeValue(v)}`);
    }
    largest = Math.max(largest, Math.abs(v));
  }
  // Values near ±1e308 would overflow the sum and the squares: compute on values scaled by a power of two (exact;
  // 1 for ordinary values), then unscale the mean and the deviation.
  const scale = scaleFor(largest);
  let sum = 0;
  for (let i = 0; i < list.length; i++) sum += (list[i] as number) * scale;
  const mean = sum / list.length;
  let squares = 0;
  let residual = 0;
  for (let i = 0; i < list.length; i++) {
    const d = (list[i] as number) * scale - mean;
    squares += d * d;
    residual += d;
  }
  // Corrected two-pass formula (Chan, Golub & LeVeque 1983).
  const variance = (squares - (residual * residual) / list.length) / (list.length - 1);
  return {
    mean: unscale(fn, `the mean of ${name}`, mean, scale),
    standardDeviation: unscale(fn, `the standard deviation of ${name}`, Math.sqrt(Math.max(0, variance)), scale),
    count: list.length,
  };
}

function armOf(fn: string, name: string, arm: unknown): SampleSummary {
  if (typeof arm === "object" && arm !== null && !Array.isArray(arm) && !ArrayBuffer.isView(arm)) {
    const { mean, standardDeviation, count } = arm as Partial<Record<keyof SampleSummary, unknown>>;
    if (typeof mean !== "number" || !Number.isFinite(mean)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}.mean must be a finite number, got ${describeValue(mean)}`);
    }
    if (typeof standardDeviation !== "number" || !Number.isFinite(standardDeviation) || standardDeviation < 0) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}.standardDeviation must be a finite number >= 0, got ${describeValue(standardDeviation)}`);
    }
    if (typeof count !== "number" || !Number.isInteger(count) || count < 2) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}.count must be an integer >= 2, got ${describeValue(count)}`);
    }
    return { mean, standardDeviation, count };
  }
  return summarize(fn, name, arm);
}

/**
 * Compares the means of two arms with Welch's unequal-variance t test: the difference with its t interval, the
 * relative lift with a delta-method interval on the log of the ratio of means (variance ≈ st²/(nt·x̄t²) +
 * sc²/(nc·x̄c²), valid when both means are positive, as bookings and revenue are), and the two-sided p-value from the
 * Student t distribution (its CDF through the regularized incomplete beta function) with the Welch–Satterthwaite
 * degrees of freedom df = (vc + vt)² / (vc²/(nc − 1) + vt²/(nt − 1)), v = s²/n. Matches R's
 * `t.test(treatment, control)`. Each arm is raw values or a {@link SampleSummary}.
 *
 * The worked example below has the shape of LinkedIn's Account Prioritizer test (renewal bookings per account,
 * +8.08% in treatment); the means, spreads and counts are illustrative, not LinkedIn's (which are not public).
 *
 * Reference: Welch, B. L. (1947), Biometrika 34, 28–35; Satterthwaite, F. E. (1946), Biometrics Bulletin 2, 110–114.
 * Complexity: O(n) for raw values (one summary pass per arm), O(1) for summaries, plus O(50) t-CDF evaluations for
 * the quantile.
 *
 * @param control - the control arm: values, or { mean, standardDeviation, count }
 * @param treatment - the treatment arm, in the same forms
 * @param options - the confidence level (see {@link ComparisonOptions})
 * @returns the means, difference, lift, intervals and test (see {@link MeanComparison})
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for an arm with fewer than 2 values or a malformed summary, or a
 *   confidence outside (0, 1); `E_NON_FINITE` naming a NaN or infinite value
 * @example
 * ```ts
 * import { compareMeans } from "nextbest/experiments";
 * // Renewal bookings per account (USD), 4,000 accounts per arm.
 * const result = compareMeans(
 *   { mean: 50000, standardDeviation: 60000, count: 4000 },
 *   { mean: 54040, standardDeviation: 62000, count: 4000 },
 * );
 * result.relativeLift.toFixed(4); // => "0.0808"
 * result.pValue < 0.01; // => true
 * result.relativeLiftInterval.lower > 0; // => true
 * compareMeans([1, 2, 3], [4]);
 * // throws NextbestError E_BAD_INPUT: "compareMeans: treatment must hold at least 2 values, got 1"
 * ```
 * @category experiments
 */
export function compareMeans(
  control: ArrayLike<number> | SampleSummary,
  treatment: ArrayLike<number> | SampleSummary,
  options: ComparisonOptions = {},
): MeanComparison {
  const fn = "compareMeans";
  const c = armOf(fn, "control", control);
  const t = armOf(fn, "treatment", treatment);
  const confidence = confidenceOf(fn, options);
  // Means or deviations near ±1e308 would overflow the variances and the difference: compare the arms in units
  // scaled by a power of two (exact; 1 for ordinary values) and unscale the results that carry the unit. The t
  // statistic, degrees of freedom, p-value and relative lift do not depend on the unit.
  const scale = scaleFor(Math.max(Math.abs(c.mean), Math.abs(t.mean), c.standardDeviation, t.standardDeviation));
  return unscaleComparison(fn, compareScaled(scaleArm(c, scale), scaleArm(t, scale), confidence), scale);
}

function scaleArm(arm: SampleSummary, scale: number): SampleSummary {
  return scale === 1 ? arm : { mean: arm.mean * scale, standardDeviation: arm.standardDeviation * scale, count: arm.count };
}

function unscaleComparison(fn: string, result: MeanComparison, scale: number): MeanComparison {
  if (scale === 1) return result;
  const back = (what: string, value: number) => unscale(fn, what, value, scale);
  return {
    ...result,
    controlMean: back("the control mean", result.controlMean),
    treatmentMean: back("the treatment mean", result.treatmentMean),
    difference: back("the difference of the means", result.difference),
    differenceInterval: {
      lower: back("the difference interval's lower bound", result.differenceInterval.lower),
      upper: back("the difference interval's upper bound", result.differenceInterval.upper),
    },
    standardError: back("the standard error", result.standardError),
  };
}

function compareScaled(c: SampleSummary, t: SampleSummary, confidence: number): MeanComparison {
  const vc = (c.standardDeviation * c.standardDeviation) / c.count;
  const vt = (t.standardDeviation * t.standardDeviation) / t.count;
  const standardError = Math.sqrt(vc + vt);
  const difference = t.mean - c.mean;
  const denominator = (vc * vc) / (c.count - 1) + (vt * vt) / (t.count - 1);
  // Both arms constant: no sampling variance; the test is degenerate (df ∞, t 0 for equal means, ±∞ otherwise).
  const degreesOfFreedom = denominator > 0 ? ((vc + vt) * (vc + vt)) / denominator : Number.POSITIVE_INFINITY;
  const tStatistic = standardError > 0 ? difference / standardError : difference === 0 ? 0 : Math.sign(difference) * Number.POSITIVE_INFINITY;
  const quantile = studentTQuantile(0.5 + confidence / 2, degreesOfFreedom);
  const lift = logRatioLift(t.mean, c.mean, vt, vc, quantile);
  return {
    controlMean: c.mean,
    treatmentMean: t.mean,
    difference,
    differenceInterval: { lower: difference - quantile * standardError, upper: difference + quantile * standardError },
    relativeLift: lift.lift,
    relativeLiftInterval: { lower: lift.lower, upper: lift.upper },
    standardError,
    tStatistic,
    degreesOfFreedom,
    pValue: studentTTwoSided(tStatistic, degreesOfFreedom),
    confidence,
  };
}
