/**
 * Binary classification and calibration metrics for scorers such as account-propensity and win-probability models:
 * ROC AUC, log loss, Brier score, expected calibration error, cumulative gains and lift.
 *
 * Labels are 0/1 numbers or booleans; anything else throws `E_BAD_INPUT` naming the index.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import {
  checkArray,
  checkBinaryLabels,
  checkK,
  checkNotEmpty,
  checkOptions,
  checkSameLength,
  compensatedSum,
} from "./internal.ts";

/** Binary labels: 1 (or `true`) for the positive class, 0 (or `false`) for the negative class. @category metrics */
export type BinaryLabels = ArrayLike<number | boolean>;

function checkScoresAndLabels(fn: string, scoresName: string, scores: unknown, labels: unknown): number {
  checkArray(fn, scoresName, scores);
  if (labels === null || typeof labels !== "object" || typeof (labels as { length?: unknown }).length !== "number") {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: labels must be an array or a typed array, got ${describeValue(labels)}`,
    );
  }
  checkSameLength(fn, scoresName, "labels", scores, labels as ArrayLike<unknown>);
  checkNotEmpty(fn, scoresName, scores);
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i];
    if (typeof v !== "number") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${scoresName}[${i}] must be a number, got ${describeValue(v)}`);
    }
    if (v !== v) throw new NextbestError("E_NON_FINITE", `${fn}: ${scoresName}[${i}] must not be NaN, got NaN`);
  }
  return checkBinaryLabels(fn, "labels", labels as BinaryLabels);
}

function checkProbabilities(fn: string, probabilities: ArrayLike<number>): void {
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (!(p >= 0 && p <= 1)) {
      throw new NextbestError(
        Number.isFinite(p) ? "E_BAD_INPUT" : "E_NON_FINITE",
        `${fn}: probabilities[${i}] must be in [0, 1], got ${describeValue(p)}`,
      );
    }
  }
}

function isPositive(label: number | boolean): boolean {
  return label === 1 || label === true;
}

/** Indices 0..n-1 sorted by score ascending (ties by index). O(n log n). */
function sortedByScore(scores: ArrayLike<number>): Int32Array {
  const n = scores.length;
  const values = Float64Array.from(scores);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a]! - values[b]! || a - b);
  return order;
}

/**
 * The area under the ROC curve: the probability that a random positive scores above a random negative, ties counting
 * 1/2, computed as the Mann–Whitney U statistic with mid-ranks for ties, AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ n₋) where R₊
 * is the sum of the positives' ranks (Mann & Whitney 1947; Hanley & McNeil 1982; equal to sklearn's `roc_auc_score`,
 * whose trapezoidal rule gives the same tie credit). Computed by sorting each class's scores and one merge walk.
 * ±Infinity scores are allowed. O(n log n).
 *
 * @param scores - one score per example; higher means more likely positive
 * @param labels - 0/1 (or boolean) labels aligned with `scores`
 * @returns the AUC in [0, 1]
 * @throws {@link core!NextbestError} `E_SHAPE` when the lengths differ, `E_EMPTY` when they are empty,
 *   `E_NON_FINITE` for a NaN score, `E_BAD_INPUT` for a label other than 0/1 or when only one class is present
 * @example
 * ```ts
 * import { rocAuc } from "nextbest/metrics";
 * // sklearn's roc_curve / roc_auc_score documentation example
 * rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]); // => 0.75
 * // a tie between a positive and a negative counts 1/2
 * rocAuc([0.5, 0.5, 0.9], [0, 1, 1]); // => 0.75
 * ```
 * @category metrics
 */
export function rocAuc(scores: ArrayLike<number>, labels: BinaryLabels): number {
  const fn = "rocAuc";
  const positives = checkScoresAndLabels(fn, "scores", scores, labels);
  const n = scores.length;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: labels must contain both classes, got ${positives === 0 ? "no positive" : "no negative"} among ${n}`,
    );
  }
  // Sort each class's scores (native numeric sort), then one merge walk: for each positive score s, the negatives
  // below s win a full pair and the negatives equal to s half a pair. This is U = R₊ − n₊(n₊ + 1)/2 with mid-ranks.
  const positiveScores = new Float64Array(positives);
  const negativeScores = new Float64Array(negatives);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    if (isPositive(labels[i]!)) positiveScores[p++] = scores[i]!;
    else negativeScores[q++] = scores[i]!;
  }
  positiveScores.sort();
  negativeScores.sort();
  let below = 0; // negatives with score < s
  let notAbove = 0; // negatives with score <= s
  let won = 0;
  for (let i = 0; i < positives; i++) {
    const s = positiveScores[i]!;
    while (below < negatives && negativeScores[below]! < s) below++;
    if (notAbove < below) notAbove = below;
    while (notAbove < negatives && negativeScores[notAbove]! <= s) notAbove++;
    won += below + 0.5 * (notAbove - below);
  }
  return won / (positives * negatives);
}

/** Options of {@link logLoss}. @category metrics */
export interface LogLossOptions {
  /**
   * Probabilities are clipped to [eps, 1 − eps] before taking logs, so a confident mistake costs −ln(eps) (about 34.5
   * nats at the default) instead of infinity. In (0, 0.5).
   * @defaultValue 1e-15 (sklearn's long-standing default)
   */
  eps?: number;
}

/**
 * Log loss (binary cross-entropy) in nats: −(1/n) Σ [y ln p + (1 − y) ln(1 − p)], with p clipped to [eps, 1 − eps]
 * (Good 1952; sklearn's `log_loss`). Lower is better; 0 for certain, correct predictions. O(n).
 *
 * @param probabilities - predicted probabilities of the positive class, in [0, 1]
 * @param labels - 0/1 (or boolean) labels aligned with `probabilities`
 * @param options - the clipping eps
 * @returns the mean log loss, >= 0
 * @throws {@link core!NextbestError} `E_SHAPE` when the lengths differ, `E_EMPTY` when they are empty,
 *   `E_NON_FINITE` for a NaN probability, `E_BAD_INPUT` for a probability outside [0, 1], a label other than 0/1
 *   or an eps outside (0, 0.5)
 * @example
 * ```ts
 * import { logLoss } from "nextbest/metrics";
 * // sklearn's log_loss documentation example, P(spam) for [spam, ham, ham, spam]
 * logLoss([0.9, 0.1, 0.2, 0.65], [1, 0, 0, 1]).toFixed(5); // => "0.21616"
 * ```
 * @category metrics
 */
export function logLoss(probabilities: ArrayLike<number>, labels: BinaryLabels, options: LogLossOptions = {}): number {
  const fn = "logLoss";
  checkOptions(fn, options);
  const eps = options.eps ?? 1e-15;
  if (typeof eps !== "number" || !(eps > 0 && eps < 0.5)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.eps must be in (0, 0.5), got ${describeValue(eps)}`);
  }
  checkScoresAndLabels(fn, "probabilities", probabilities, labels);
  checkProbabilities(fn, probabilities);
  const n = probabilities.length;
  const losses = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const raw = probabilities[i]!;
    const p = raw < eps ? eps : raw > 1 - eps ? 1 - eps : raw;
    losses[i] = isPositive(labels[i]!) ? -Math.log(p) : -Math.log(1 - p);
  }
  return compensatedSum(losses) / n;
}

/**
 * Brier score: the mean squared difference between the predicted probability and the 0/1 outcome,
 * (1/n) Σ (p − y)² (Brier 1950; sklearn's `brier_score_loss`). Lower is better; 0.25 for always predicting 0.5.
 * O(n).
 *
 * @param probabilities - predicted probabilities of the positive class, in [0, 1]
 * @param labels - 0/1 (or boolean) labels aligned with `probabilities`
 * @returns the Brier score in [0, 1]
 * @throws {@link core!NextbestError} `E_SHAPE` when the lengths differ, `E_EMPTY` when they are empty,
 *   `E_NON_FINITE` for a NaN probability, `E_BAD_INPUT` for a probability outside [0, 1] or a label other than 0/1
 * @example
 * ```ts
 * import { brierScore } from "nextbest/metrics";
 * // sklearn's brier_score_loss documentation example
 * brierScore([0.1, 0.9, 0.8, 0.3], [0, 1, 1, 0]).toFixed(4); // => "0.0375"
 * ```
 * @category metrics
 */
export function brierScore(probabilities: ArrayLike<number>, labels: BinaryLabels): number {
  const fn = "brierScore";
  checkScoresAndLabels(fn, "probabilities", probabilities, labels);
  checkProbabilities(fn, probabilities);
  const n = probabilities.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = probabilities[i]! - (isPositive(labels[i]!) ? 1 : 0);
    sum += d * d;
  }
  return sum / n;
}

/** Options of {@link expectedCalibrationError}. @category metrics */
export interface ExpectedCalibrationErrorOptions {
  /** The number of equal-width probability bins over [0, 1]; a positive integer. @defaultValue 10 */
  bins?: number;
}

/**
 * Expected calibration error: Σ_b (n_b / n) · |acc_b − conf_b| over equal-width probability bins, where acc_b is
 * the share of positives and conf_b the mean predicted probability among the n_b examples of bin b; bins are weighted
 * by their share of examples and empty bins contribute nothing (Naeini, Cooper & Hauskrecht 2015; Guo et al. 2017,
 * eq. 3, with "accuracy" read as the positive rate for a binary probability). Bin b of B holds p in [b/B, (b+1)/B),
 * the last bin also holds p = 1. O(n + B).
 *
 * @param probabilities - predicted probabilities of the positive class, in [0, 1]
 * @param labels - 0/1 (or boolean) labels aligned with `probabilities`
 * @param options - the number of bins
 * @returns the ECE in [0, 1]
 * @throws {@link core!NextbestError} `E_SHAPE` when the lengths differ, `E_EMPTY` when they are empty,
 *   `E_NON_FINITE` for a NaN probability, `E_BAD_INPUT` for a probability outside [0, 1], a label other than 0/1
 *   or a bad bin count
 * @example
 * ```ts
 * import { expectedCalibrationError } from "nextbest/metrics";
 * // 2 bins: [0.2, 0.4] → conf 0.3, positive rate 0; [0.6, 0.8] → conf 0.7, positive rate 1
 * // ECE = 2/4 · |0 − 0.3| + 2/4 · |1 − 0.7| = 0.3
 * expectedCalibrationError([0.2, 0.4, 0.6, 0.8], [0, 0, 1, 1], { bins: 2 }).toFixed(4); // => "0.3000"
 * ```
 * @category metrics
 */
export function expectedCalibrationError(
  probabilities: ArrayLike<number>,
  labels: BinaryLabels,
  options: ExpectedCalibrationErrorOptions = {},
): number {
  const fn = "expectedCalibrationError";
  checkOptions(fn, options);
  const bins = options.bins ?? 10;
  checkK(fn, bins, "options.bins");
  checkScoresAndLabels(fn, "probabilities", probabilities, labels);
  checkProbabilities(fn, probabilities);
  const n = probabilities.length;
  // At most n bins are occupied: number the occupied ones (in ascending bin order) so memory follows the data, not
  // `bins` (a billion bins cost nothing more than ten).
  const binOf = new Float64Array(n);
  for (let i = 0; i < n; i++) binOf[i] = Math.min(Math.floor(probabilities[i]! * bins), bins - 1);
  const occupied = Float64Array.from(new Set(binOf)).sort();
  const slot = new Map<number, number>();
  occupied.forEach((b, j) => slot.set(b, j));
  const count = new Float64Array(occupied.length);
  const confidence = new Float64Array(occupied.length);
  const positives = new Float64Array(occupied.length);
  for (let i = 0; i < n; i++) {
    const b = slot.get(binOf[i]!)!;
    count[b]! += 1;
    confidence[b]! += probabilities[i]!;
    if (isPositive(labels[i]!)) positives[b]! += 1;
  }
  let ece = 0;
  for (let b = 0; b < occupied.length; b++) {
    const c = count[b]!;
    ece += (c / n) * Math.abs(positives[b]! / c - confidence[b]! / c);
  }
  return ece;
}

/** Options of {@link cumulativeGains}. @category metrics */
export interface CumulativeGainsOptions {
  /** How many equal-size groups to cut the ranked population into (10 for deciles). @defaultValue 10 */
  groups?: number;
}

/** One row of the {@link cumulativeGains} table: the population through group `group`. @category metrics */
export interface CumulativeGainsRow {
  /** The group, 1 for the best-scored (for deciles: the top 10%). */
  readonly group: number;
  /** The examples in the groups 1..group. */
  readonly count: number;
  /** Their share of the population, count / n. */
  readonly fraction: number;
  /** The positives among them (fractional when a tie straddles a group boundary, see {@link cumulativeGains}). */
  readonly positives: number;
  /** The share of all positives captured, positives / n₊ (the cumulative gains curve). */
  readonly gain: number;
  /** Cumulative lift: their positive rate over the overall positive rate, gain / fraction (NaN for count 0). */
  readonly lift: number;
  /** Lift of this group alone: its positive rate over the overall rate (NaN for an empty group). */
  readonly groupLift: number;
}

/**
 * The cumulative gains and lift table: examples ranked by score, best first, cut into equal-size groups (group g ends
 * at position floor(g·n/G)), with per group the cumulative positives, gain (share of positives captured) and lift
 * (positive rate relative to the overall rate), as in marketing response analysis (Berry & Linoff, "Data Mining
 * Techniques", ch. on lift charts; scikit-plot's `plot_cumulative_gain`). Ties: examples with equal scores have no
 * order, so a tie block that straddles a group boundary shares its positives in proportion to how many of its
 * examples fall on each side (the expected count under a random order of the tie), and the table does not depend on
 * input order. O(n log n).
 *
 * @param scores - one score per example; higher means more likely positive
 * @param labels - 0/1 (or boolean) labels aligned with `scores`
 * @param options - the number of groups
 * @returns one row per group, in order
 * @throws {@link core!NextbestError} `E_SHAPE` when the lengths differ, `E_EMPTY` when they are empty,
 *   `E_NON_FINITE` for a NaN score, `E_BAD_INPUT` for a label other than 0/1, no positive label or a bad group count
 * @example
 * ```ts
 * import { cumulativeGains } from "nextbest/metrics";
 * // the top half (0.9, 0.8) holds one of the two positives
 * const table = cumulativeGains([0.9, 0.8, 0.7, 0.2], [1, 0, 1, 0], { groups: 2 });
 * table.map((row) => row.gain); // => [0.5, 1]
 * table.map((row) => row.lift); // => [1, 1]
 * // a tie block (0.5, 0.5) straddling the boundary shares its one positive: 1 + 1/2
 * cumulativeGains([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0], { groups: 2 })[0].positives; // => 1.5
 * ```
 * @category metrics
 */
export function cumulativeGains(
  scores: ArrayLike<number>,
  labels: BinaryLabels,
  options: CumulativeGainsOptions = {},
): CumulativeGainsRow[] {
  const fn = "cumulativeGains";
  checkOptions(fn, options);
  const groups = options.groups ?? 10;
  checkK(fn, groups, "options.groups");
  return gainsTable(fn, scores, labels, groups);
}

function gainsTable(fn: string, scores: ArrayLike<number>, labels: BinaryLabels, groups: number): CumulativeGainsRow[] {
  const positives = checkScoresAndLabels(fn, "scores", scores, labels);
  if (positives === 0) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: labels must contain a positive, got none among ${scores.length}`);
  }
  const n = scores.length;
  const ascending = sortedByScore(scores);
  // Tie blocks in descending score order: block b covers positions [start[b], start[b + 1]) with blockPositives[b].
  const starts: number[] = [0];
  const blockPositives: number[] = [];
  let current = 0;
  for (let t = 0; t < n; t++) {
    const index = ascending[n - 1 - t]!;
    if (t > 0 && scores[index]! !== scores[ascending[n - t]!]!) {
      blockPositives.push(current);
      starts.push(t);
      current = 0;
    }
    if (isPositive(labels[index]!)) current++;
  }
  blockPositives.push(current);
  starts.push(n);
  const rate = positives / n;
  const rows: CumulativeGainsRow[] = [];
  let block = 0;
  let positivesBeforeBlock = 0;
  let previousCount = 0;
  let previousPositives = 0;
  for (let g = 1; g <= groups; g++) {
    const end = g === groups ? n : Math.floor((g * n) / groups);
    while (block < blockPositives.length && starts[block + 1]! <= end) {
      positivesBeforeBlock += blockPositives[block]!;
      block++;
    }
    let cumulative = positivesBeforeBlock;
    if (block < blockPositives.length && starts[block]! < end) {
      const size = starts[block + 1]! - starts[block]!;
      cumulative += (blockPositives[block]! * (end - starts[block]!)) / size;
    }
    const inGroup = end - previousCount;
    rows.push(
      Object.freeze({
        group: g,
        count: end,
        fraction: end / n,
        positives: cumulative,
        gain: cumulative / positives,
        lift: end === 0 ? Number.NaN : cumulative / end / rate,
        groupLift: inGroup === 0 ? Number.NaN : (cumulative - previousPositives) / inGroup / rate,
      }),
    );
    previousCount = end;
    previousPositives = cumulative;
  }
  return rows;
}

/** Options of {@link liftAtDecile}. @category metrics */
export interface LiftAtDecileOptions {
  /** The decile, 1 (top 10% by score) to 10. */
  decile: number;
  /**
   * `true`: the cumulative lift of deciles 1..decile (the usual "lift at the top 20%"); `false`: the lift of that
   * decile alone.
   * @defaultValue true
   */
  cumulative?: boolean;
}

/**
 * Lift at a decile: the positive rate among the top `decile` tenths of examples ranked by score, over the overall
 * positive rate (or of that tenth alone with `cumulative: false`); a lift of 3 at decile 1 means the top 10% holds
 * three times the average share of positives. The row `decile` of {@link cumulativeGains} with 10 groups, with the
 * same tie convention. O(n log n).
 *
 * @param scores - one score per example; higher means more likely positive
 * @param labels - 0/1 (or boolean) labels aligned with `scores`
 * @param options - the decile and whether the lift is cumulative
 * @returns the lift, >= 0 (NaN when the decile holds no example, which needs n < 10)
 * @throws {@link core!NextbestError} `E_SHAPE` when the lengths differ, `E_EMPTY` when they are empty,
 *   `E_NON_FINITE` for a NaN score, `E_BAD_INPUT` for a label other than 0/1, no positive label or a decile outside
 *   1..10
 * @example
 * ```ts
 * import { liftAtDecile } from "nextbest/metrics";
 * const scores = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
 * const labels = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0];
 * liftAtDecile(scores, labels, { decile: 1 }); // => 5
 * liftAtDecile(scores, labels, { decile: 2 }); // => 5
 * liftAtDecile(scores, labels, { decile: 3, cumulative: false }); // => 0
 * ```
 * @category metrics
 */
export function liftAtDecile(scores: ArrayLike<number>, labels: BinaryLabels, options: LiftAtDecileOptions): number {
  const fn = "liftAtDecile";
  checkOptions(fn, options);
  const decile = options.decile;
  if (typeof decile !== "number" || !Number.isInteger(decile) || decile < 1 || decile > 10) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.decile must be an integer in [1, 10], got ${describeValue(decile)}`,
    );
  }
  const cumulative = options.cumulative ?? true;
  if (typeof cumulative !== "boolean") {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.cumulative must be a boolean, got ${describeValue(cumulative)}`,
    );
  }
  const row = gainsTable(fn, scores, labels, 10)[decile - 1]!;
  return cumulative ? row.lift : row.groupLift;
}
