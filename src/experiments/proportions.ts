/**
 * Difference in proportions between two arms of an A/B test: conversion, win or renewal rates.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { normalQuantile, normalTwoSidedPValue } from "./distributions.ts";
import { confidenceOf, logRatioLift } from "./internal.ts";
import type { ComparisonOptions, ExperimentInterval } from "./types.ts";

/** The outcome count of one arm: `successes` out of `trials`. @category experiments */
export interface ProportionArm {
  /** Units with the outcome (conversions, wins, renewals): an integer in [0, trials]. */
  readonly successes: number;
  /** Units in the arm: a positive integer. */
  readonly trials: number;
}

/** What {@link compareProportions} returns. @category experiments */
export interface ProportionComparison {
  /** The control rate successes / trials. */
  readonly controlRate: number;
  /** The treatment rate. */
  readonly treatmentRate: number;
  /** treatmentRate − controlRate. */
  readonly difference: number;
  /** The Wald interval of the difference, with the unpooled standard error. */
  readonly differenceInterval: ExperimentInterval;
  /** treatmentRate / controlRate − 1 (NaN when the control rate is 0). */
  readonly relativeLift: number;
  /** The delta-method interval of the relative lift on the log scale (NaN bounds when a rate is 0). */
  readonly relativeLiftInterval: ExperimentInterval;
  /** The unpooled standard error √(p̂c q̂c / nc + p̂t q̂t / nt) of the difference. */
  readonly standardError: number;
  /** The z statistic of the two-sided test of equal rates, with the pooled standard error. */
  readonly zStatistic: number;
  /** The two-sided p-value P(|Z| >= |z|) (1 when both arms have rate 0 or both have rate 1). */
  readonly pValue: number;
  /** The confidence level of the intervals. */
  readonly confidence: number;
}

function checkArm(fn: string, name: string, arm: unknown): ProportionArm {
  if (typeof arm !== "object" || arm === null) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be an object { successes, trials }, got ${describeValue(arm)}`);
  }
  const { successes, trials } = arm as { successes?: unknown; trials?: unknown };
  if (typeof trials !== "number" || !Number.isInteger(trials) || trials < 1) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}.trials must be an integer >= 1, got ${describeValue(trials)}`);
  }
  if (typeof successes !== "number" || !Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}.successes must be an integer in [0, ${trials}], got ${describeValue(successes)}`);
  }
  return { successes, trials };
}

/**
 * Compares the rates of two arms: the difference with a Wald confidence interval (unpooled standard error), the
 * relative lift with a delta-method interval on the log of the rate ratio (Katz et al. 1978, the usual relative-risk
 * interval), and the two-sided z test of equal rates with the pooled standard error. The z² of the test equals the
 * Pearson chi-square of the 2×2 table, so the p-value and interval match R's `prop.test(x, n, correct = FALSE)`.
 *
 * Reference: Agresti, A. (2013), Categorical Data Analysis (3rd ed.), §1.4 and §3.1.
 * Complexity: O(1).
 *
 * @param control - the control arm's successes and trials
 * @param treatment - the treatment arm's successes and trials
 * @param options - the confidence level (see {@link ComparisonOptions})
 * @returns the rates, difference, lift, intervals and test (see {@link ProportionComparison})
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when an arm's counts are not integers with 0 <= successes <= trials,
 *   trials >= 1, or the confidence is outside (0, 1)
 * @example
 * ```ts
 * import { compareProportions } from "nextbest/experiments";
 * // Physicians' Health Study (Agresti 2013, Table 2.3): heart attacks on placebo vs aspirin.
 * const result = compareProportions({ successes: 104, trials: 11037 }, { successes: 189, trials: 11034 });
 * result.difference.toFixed(4); // => "0.0077"
 * (result.zStatistic ** 2).toFixed(2); // => "25.01"
 * [result.differenceInterval.lower.toFixed(3), result.differenceInterval.upper.toFixed(3)]; // => ["0.005", "0.011"]
 * compareProportions({ successes: 5, trials: 4 }, { successes: 1, trials: 4 });
 * // throws NextbestError E_BAD_INPUT: "compareProportions: control.successes must be an integer in [0, 4], got 5"
 * ```
 * @category experiments
 */
export function compareProportions(
  control: ProportionArm,
  treatment: ProportionArm,
  options: ComparisonOptions = {},
): ProportionComparison {
  const fn = "compareProportions";
  const c = checkArm(fn, "control", control);
  const t = checkArm(fn, "treatment", treatment);
  const confidence = confidenceOf(fn, options);
  const z = normalQuantile(0.5 + confidence / 2);
  const pc = c.successes / c.trials;
  const pt = t.successes / t.trials;
  const difference = pt - pc;
  const varianceControl = (pc * (1 - pc)) / c.trials;
  const varianceTreatment = (pt * (1 - pt)) / t.trials;
  const standardError = Math.sqrt(varianceControl + varianceTreatment);
  const pooled = (c.successes + t.successes) / (c.trials + t.trials);
  const pooledError = Math.sqrt(pooled * (1 - pooled) * (1 / c.trials + 1 / t.trials));
  const zStatistic = pooledError > 0 ? difference / pooledError : 0;
  const lift = logRatioLift(pt, pc, varianceTreatment, varianceControl, z);
  return {
    controlRate: pc,
    treatmentRate: pt,
    difference,
    differenceInterval: { lower: difference - z * standardError, upper: difference + z * standardError },
    relativeLift: lift.lift,
    relativeLiftInterval: { lower: lift.lower, upper: lift.upper },
    standardError,
    zStatistic,
    pValue: pooledError > 0 ? normalTwoSidedPValue(zStatistic) : 1,
    confidence,
  };
}
