/**
 * Uncertainty of evaluation results: bootstrap confidence intervals of a mean over users, and the paired comparison of
 * two models on the same users.
 *
 * @module
 */
import { largestMagnitude, scaleFor, unscale } from "../internal/scale.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, type Id } from "../core/id-index.ts";
import { createRandom, type Seed } from "../core/random.ts";
import { assertInteger, assertOneOf, assertSeed } from "../internal/validate.ts";
import { studentTTwoSidedPValue } from "./student-t.ts";
import type { UserValues } from "./types.ts";

/**
 * Options of {@link bootstrapConfidenceInterval}.
 *
 * @category evaluation
 */
export interface BootstrapOptions {
  /** The coverage of the interval, in (0, 1). @defaultValue 0.95 */
  confidence?: number;
  /**
   * How many bootstrap resamples to draw, an integer in [1, 1,000,000] (1,000 is the usual minimum for a 95%
   * interval; the time is resamples × values).
   * @defaultValue 1000
   */
  resamples?: number;
  /** Seed of the resampling; the same seed gives the same interval. Required. */
  seed: Seed;
}

/**
 * A percentile-bootstrap confidence interval of a mean.
 *
 * @category evaluation
 */
export interface ConfidenceInterval {
  /** The mean of the values (the point estimate). */
  readonly mean: number;
  /** The lower bound: the (1 - confidence) / 2 quantile of the resample means. */
  readonly lower: number;
  /** The upper bound: the (1 + confidence) / 2 quantile of the resample means. */
  readonly upper: number;
  /** The standard deviation of the resample means (the bootstrap standard error of the mean). */
  readonly standardError: number;
  /** The coverage asked for. */
  readonly confidence: number;
  /** How many resamples were drawn. */
  readonly resamples: number;
  /** How many values the mean is over. */
  readonly n: number;
  /** Always `"percentile-bootstrap"`: the interval is read off the sorted resample means. */
  readonly method: "percentile-bootstrap";
}

/** Throws unless `values` is an array-like of finite numbers; returns it as a Float64Array (a copy). */
function toFiniteArray(fn: string, name: string, values: unknown): Float64Array {
  if (
    values === null ||
    typeof values !== "object" ||
    !(Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView)))
  ) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be an array of numbers or { users, values }, got ${describeValue(values)}`);
  }
  const source = values as ArrayLike<unknown>;
  const out = new Float64Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const v = source[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new NextbestError(
        typeof v === "number" ? "E_NON_FINITE" : "E_BAD_INPUT",
        `${fn}: ${name}[${i}] must be a finite number, got ${describeValue(v)}`,
      );
    }
    out[i] = v;
  }
  return out;
}

function isUserValues(value: unknown): value is UserValues {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value) && "values" in value;
}

function checkConfidence(fn: string, value: unknown): number {
  const confidence = value ?? 0.95;
  if (typeof confidence !== "number" || !(confidence > 0 && confidence < 1)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.confidence must be a number in (0, 1), got ${describeValue(confidence)}`);
  }
  return confidence;
}

function checkOptions(fn: string, options: unknown): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object with a seed, got ${describeValue(options)}`);
  }
}

/** Neumaier-compensated mean. */
function meanOf(values: Float64Array): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return (sum + compensation) / values.length;
}

/** The q-quantile of ascending `sorted` by linear interpolation between order statistics (Hyndman & Fan type 7). */
function quantileSorted(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The most resamples a bootstrap draws: beyond a million the interval no longer moves, only the time grows. */
const MAX_RESAMPLES = 1_000_000;

/** The means of `resamples` bootstrap resamples of `values` (drawn with replacement, same size), sorted ascending. */
function bootstrapMeans(values: Float64Array, resamples: number, seed: Seed): Float64Array {
  const random = createRandom(seed);
  const n = values.length;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += values[Math.floor(random() * n)]!;
    means[r] = sum / n;
  }
  return means.sort();
}

function intervalOf(values: Float64Array, confidence: number, resamples: number, seed: Seed): ConfidenceInterval {
  const mean = meanOf(values);
  const means = bootstrapMeans(values, resamples, seed);
  const center = meanOf(means);
  let squares = 0;
  for (let r = 0; r < resamples; r++) squares += (means[r]! - center) ** 2;
  const alpha = 1 - confidence;
  let lower = quantileSorted(means, alpha / 2);
  let upper = quantileSorted(means, 1 - alpha / 2);
  // Constant values: every resample mean equals the sample mean up to rounding (the compensated mean and a plain sum
  // may differ in the last bit), so the interval is the point itself.
  if (means[0] === means[resamples - 1]) {
    lower = Math.min(lower, mean);
    upper = Math.max(upper, mean);
  }
  return {
    mean,
    lower,
    upper,
    standardError: resamples > 1 ? Math.sqrt(squares / (resamples - 1)) : 0,
    confidence,
    resamples,
    n: values.length,
    method: "percentile-bootstrap",
  };
}

/**
 * A confidence interval of the mean of per-user values (e.g. each user's NDCG@10) by the percentile bootstrap:
 * draw `resamples` samples of the users with replacement, take each sample's mean, and read the interval off the
 * (1 - confidence)/2 and (1 + confidence)/2 quantiles of those means (linear interpolation between order statistics,
 * Hyndman & Fan type 7).
 *
 * Reference: Efron & Tibshirani, An Introduction to the Bootstrap (1993), §13.3 (the percentile interval). The
 * percentile interval is simple and transformation-respecting; for small n or skewed values it under-covers somewhat
 * (Efron & Tibshirani §14 for the BCa correction). The interval narrows as 1/sqrt(n).
 *
 * Complexity: O(resamples × n) time, O(n + resamples) memory.
 *
 * @param values - the per-user values: an array of numbers, or `{ users, values }` as {@link userValues} returns
 * @param options - confidence (default 0.95), resamples (default 1000), seed (required)
 * @returns the mean, the bounds, the bootstrap standard error and the settings used
 * @throws {@link core!NextbestError} `E_EMPTY` for no values; `E_NON_FINITE` for a NaN/∞ value (naming its position);
 *   `E_BAD_INPUT` for a confidence outside (0, 1), resamples not a positive integer or a missing seed
 * @example
 * ```ts
 * import { bootstrapConfidenceInterval } from "nextbest/evaluation";
 * const ci = bootstrapConfidenceInterval([0.2, 0.4, 0.6, 0.8, 1.0], { seed: 7 });
 * ci.mean; // => 0.6
 * ci.lower < 0.6 && 0.6 < ci.upper; // => true
 * bootstrapConfidenceInterval([0.5, 0.5, 0.5], { seed: 7, resamples: 100 }).upper; // => 0.5
 * ```
 * @category evaluation
 */
export function bootstrapConfidenceInterval(values: ArrayLike<number> | UserValues, options: BootstrapOptions): ConfidenceInterval {
  const fn = "bootstrapConfidenceInterval";
  checkOptions(fn, options);
  const data = isUserValues(values) ? toFiniteArray(fn, "values.values", values.values) : toFiniteArray(fn, "values", values);
  const confidence = checkConfidence(fn, options.confidence);
  const resamples = options.resamples ?? 1000;
  assertInteger(fn, "options.resamples", resamples, 1, MAX_RESAMPLES);
  assertSeed(fn, "options.seed", options.seed);
  if (data.length === 0) throw new NextbestError("E_EMPTY", `${fn}: values must hold at least one value, got none`);
  // Values near ±1e308 would overflow the resample sums: bootstrap them scaled by a power of two (exact; 1 for
  // ordinary values, so the same draws give the same digits) and unscale the bounds.
  const scale = scaleFor(largestMagnitude(data));
  if (scale === 1) return intervalOf(data, confidence, resamples, options.seed);
  const interval = intervalOf(data.map((v) => v * scale), confidence, resamples, options.seed);
  return {
    ...interval,
    mean: unscale(fn, "the mean", interval.mean, scale),
    lower: unscale(fn, "the lower bound", interval.lower, scale),
    upper: unscale(fn, "the upper bound", interval.upper, scale),
    standardError: unscale(fn, "the standard error", interval.standardError, scale),
  };
}

/**
 * The test of {@link pairedComparison}: `"paired-t"`, Student's paired t-test (two-sided; assumes the mean difference
 * is roughly normal, which holds for a few dozen users or more by the central limit theorem), or `"sign-flip"`, a
 * permutation test that flips the sign of each user's difference at random (two-sided, exact in the limit of many
 * resamples; assumes only that the differences are symmetric about zero under the null hypothesis).
 *
 * @category evaluation
 */
export type PairedTest = "paired-t" | "sign-flip";

/**
 * Options of {@link pairedComparison}.
 *
 * @category evaluation
 */
export interface PairedComparisonOptions {
  /** Which test gives the p-value. @defaultValue "paired-t" */
  test?: PairedTest;
  /** Coverage of the bootstrap interval of the mean difference, in (0, 1). @defaultValue 0.95 */
  confidence?: number;
  /** Resamples for the bootstrap interval and for the sign-flip test, an integer >= 1. @defaultValue 1000 */
  resamples?: number;
  /** Seed of the bootstrap and of the sign-flip test. Required. */
  seed: Seed;
}

/**
 * The comparison of two models on the users both were evaluated on.
 *
 * @category evaluation
 */
export interface PairedComparison {
  /** How many users are in both inputs (the pairs compared). */
  readonly n: number;
  /** Users only in `a` (left out). */
  readonly onlyInA: number;
  /** Users only in `b` (left out). */
  readonly onlyInB: number;
  /** Mean of `a` over the paired users. */
  readonly meanA: number;
  /** Mean of `b` over the paired users. */
  readonly meanB: number;
  /** Mean of `a - b` over the paired users (positive: `a` scores higher). */
  readonly meanDifference: number;
  /** Percentile-bootstrap interval of the mean difference (users resampled in pairs). */
  readonly interval: ConfidenceInterval;
  /** The test of "no difference in mean". */
  readonly test: {
    /** Which test. */
    readonly name: PairedTest;
    /**
     * `"paired-t"`: t = mean / (sd / sqrt(n)) with the sample standard deviation (n - 1); 0 when every difference is
     * 0, ±Infinity when all differences are equal and non-zero; NaN for n < 2.
     * `"sign-flip"`: |mean difference|.
     */
    readonly statistic: number;
    /** n - 1 for `"paired-t"`; null for `"sign-flip"`. */
    readonly degreesOfFreedom: number | null;
    /**
     * Two-sided p-value. `"paired-t"`: from the Student t distribution (1 when every difference is 0, NaN for n < 2).
     * `"sign-flip"`: (1 + number of resamples at least as extreme) / (1 + resamples), never 0.
     */
    readonly pValue: number;
  };
}

function alignedDifferences(fn: string, a: unknown, b: unknown): { a: Float64Array; b: Float64Array; onlyInA: number; onlyInB: number } {
  const aUsers = isUserValues(a);
  const bUsers = isUserValues(b);
  if (aUsers !== bUsers) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: a and b must both be { users, values } (aligned by user id) or both arrays (aligned by position), got ${aUsers ? "{ users, values }" : describeValue(a)} and ${bUsers ? "{ users, values }" : describeValue(b)}`,
    );
  }
  if (!aUsers) {
    const va = toFiniteArray(fn, "a", a);
    const vb = toFiniteArray(fn, "b", b);
    if (va.length !== vb.length) {
      throw new NextbestError("E_SHAPE", `${fn}: b must have the length of a (${va.length}) when both are arrays, got length ${vb.length}`);
    }
    return { a: va, b: vb, onlyInA: 0, onlyInB: 0 };
  }
  const sides = [a as UserValues, b as UserValues];
  const names = ["a", "b"];
  const values: Float64Array[] = [];
  const lookups: Map<Id, number>[] = [];
  for (let s = 0; s < 2; s++) {
    const side = sides[s]!;
    const name = names[s]!;
    if (!Array.isArray(side.users)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}.users must be an array of user ids, got ${describeValue(side.users)}`);
    }
    const v = toFiniteArray(fn, `${name}.values`, side.values);
    if (v.length !== side.users.length) {
      throw new NextbestError("E_SHAPE", `${fn}: ${name}.values must have one value per user (${side.users.length}), got length ${v.length}`);
    }
    const lookup = new Map<Id, number>();
    for (let k = 0; k < side.users.length; k++) {
      const id: unknown = side.users[k];
      checkId(fn, `${name}.users[${k}]`, id);
      if (lookup.has(id)) {
        throw new NextbestError("E_DUPLICATE", `${fn}: ${name}.users must be unique, got ${describeValue(id)} again at position ${k}`);
      }
      lookup.set(id, k);
    }
    values.push(v);
    lookups.push(lookup);
  }
  const [usersA] = sides as [UserValues, UserValues];
  const pairedA: number[] = [];
  const pairedB: number[] = [];
  for (let k = 0; k < usersA.users.length; k++) {
    const j = lookups[1]!.get(usersA.users[k]!);
    if (j === undefined) continue;
    pairedA.push(values[0]![k]!);
    pairedB.push(values[1]![j]!);
  }
  return {
    a: Float64Array.from(pairedA),
    b: Float64Array.from(pairedB),
    onlyInA: usersA.users.length - pairedA.length,
    onlyInB: sides[1]!.users.length - pairedA.length,
  };
}

/**
 * Compares two models on per-user values of one metric, paired by user: the mean difference `a - b`, its
 * percentile-bootstrap confidence interval (users resampled in pairs, as {@link bootstrapConfidenceInterval}), and a
 * two-sided test of "no difference": Student's paired t-test by default (the p-value from the t distribution with
 * n - 1 degrees of freedom, computed through the regularized incomplete beta function), or a seeded sign-flip
 * permutation test.
 *
 * Inputs are aligned by user id when both are `{ users, values }` (as {@link userValues} returns; users in only one
 * input are left out and counted), or by position when both are plain arrays. Pairing removes the between-user
 * variance that dominates unpaired comparisons, so far smaller differences are detectable.
 *
 * References: Student's paired t-test (e.g. Wasserman, All of Statistics, §10.1); Smucker, Allan & Carterette, "A
 * Comparison of Statistical Significance Tests for Information Retrieval Evaluation", CIKM 2007 (t-test and
 * randomization test agree on IR metrics); Phipson & Smyth (2010) for the (1 + b) / (1 + m) permutation p-value.
 *
 * Complexity: O(n_a + n_b) to align, O(resamples × n) for the bootstrap (and the sign-flip test).
 *
 * @param a - per-user values of model A
 * @param b - per-user values of model B
 * @param options - test (default `"paired-t"`), confidence (0.95), resamples (1000), seed (required)
 * @returns the paired means, the mean difference with its interval, and the test
 * @throws {@link core!NextbestError} `E_EMPTY` when no user is in both inputs; `E_DUPLICATE` for a repeated user id;
 *   `E_SHAPE` when values and users disagree in length (or two plain arrays differ in length); `E_NON_FINITE` for a
 *   NaN/∞ value; `E_BAD_INPUT` for malformed inputs or options
 * @example
 * ```ts
 * import { pairedComparison } from "nextbest/evaluation";
 * const a = { users: ["u1", "u2", "u3", "u4"], values: [0.5, 0.75, 0.25, 1] };
 * const b = { users: ["u4", "u3", "u2", "u1"], values: [0.75, 0.25, 0.5, 0.5] };
 * const result = pairedComparison(a, b, { seed: 1 });
 * // differences 0, 0.25, 0, 0.25: mean 0.125, t = 0.125 / (0.1443 / 2) = 1.732 on 3 degrees of freedom
 * result.meanDifference; // => 0.125
 * result.test.degreesOfFreedom; // => 3
 * result.test.pValue > 0.05; // => true
 * pairedComparison(a, a, { seed: 1 }).test; // => { name: "paired-t", statistic: 0, degreesOfFreedom: 3, pValue: 1 }
 * ```
 * @category evaluation
 */
export function pairedComparison(
  a: ArrayLike<number> | UserValues,
  b: ArrayLike<number> | UserValues,
  options: PairedComparisonOptions,
): PairedComparison {
  const fn = "pairedComparison";
  checkOptions(fn, options);
  const test = options.test ?? "paired-t";
  assertOneOf(fn, "options.test", test, ["paired-t", "sign-flip"] as const);
  const confidence = checkConfidence(fn, options.confidence);
  const resamples = options.resamples ?? 1000;
  assertInteger(fn, "options.resamples", resamples, 1, MAX_RESAMPLES);
  assertSeed(fn, "options.seed", options.seed);
  const paired = alignedDifferences(fn, a, b);
  const n = paired.a.length;
  if (n === 0) throw new NextbestError("E_EMPTY", `${fn}: a and b must share at least one user, got none in common`);
  const differences = new Float64Array(n);
  for (let k = 0; k < n; k++) differences[k] = paired.a[k]! - paired.b[k]!;
  const meanDifference = meanOf(differences);
  const interval = intervalOf(differences, confidence, resamples, options.seed);
  let statistic: number;
  let pValue: number;
  let degreesOfFreedom: number | null = null;
  if (test === "paired-t") {
    degreesOfFreedom = n - 1;
    let squares = 0;
    for (let k = 0; k < n; k++) squares += (differences[k]! - meanDifference) ** 2;
    const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : Number.NaN;
    if (n < 2) {
      statistic = Number.NaN;
      pValue = Number.NaN;
    } else if (sd === 0) {
      statistic = meanDifference === 0 ? 0 : meanDifference > 0 ? Infinity : -Infinity;
      pValue = meanDifference === 0 ? 1 : 0;
    } else {
      statistic = meanDifference / (sd / Math.sqrt(n));
      pValue = studentTTwoSidedPValue(statistic, n - 1);
    }
  } else {
    statistic = Math.abs(meanDifference);
    // A separate stream from the bootstrap's, derived from the same seed.
    const random = createRandom(JSON.stringify(["sign-flip", options.seed]));
    // Compare sums rather than means, with a relative tolerance so that flips that reproduce the observed
    // arrangement up to rounding count as "at least as extreme".
    const observed = Math.abs(meanDifference * n);
    const tolerance = 1e-12 * Math.max(1, observed);
    let extreme = 0;
    for (let r = 0; r < resamples; r++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += random() < 0.5 ? -differences[k]! : differences[k]!;
      if (Math.abs(sum) >= observed - tolerance) extreme++;
    }
    pValue = (1 + extreme) / (1 + resamples);
  }
  return {
    n,
    onlyInA: paired.onlyInA,
    onlyInB: paired.onlyInB,
    meanA: meanOf(paired.a),
    meanB: meanOf(paired.b),
    meanDifference,
    interval,
    test: { name: test, statistic, degreesOfFreedom, pValue },
  };
}
