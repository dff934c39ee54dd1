/**
 * Rating-prediction errors: mean absolute error, mean squared error and root mean squared error.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkArray, checkNotEmpty, checkSameLength } from "./internal.ts";
import { unscale } from "../internal/scale.ts";

// Validates the pair once; the sums run first and the inputs are scanned for the offending entry only when a sum is
// not finite, so the happy path reads each array once.
function checkPair(fn: string, predicted: unknown, actual: unknown): void {
  checkArray(fn, "predicted", predicted);
  checkArray(fn, "actual", actual);
  checkSameLength(fn, "predicted", "actual", predicted, actual);
  checkNotEmpty(fn, "predicted", predicted);
}

// Throws naming the first entry (in index order, predicted before actual) that is not a finite number.
function throwFirstNonFinite(fn: string, predicted: ArrayLike<number>, actual: ArrayLike<number>): void {
  for (let i = 0; i < predicted.length; i++) {
    for (const [name, values] of [["predicted", predicted], ["actual", actual]] as const) {
      const v = values[i];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new NextbestError(
          typeof v === "number" ? "E_NON_FINITE" : "E_BAD_INPUT",
          `${fn}: ${name}[${i}] must be a finite number, got ${describeValue(v)}`,
        );
      }
    }
  }
}

function sumOfErrors(predicted: ArrayLike<number>, actual: ArrayLike<number>, squared: boolean): number {
  const n = predicted.length;
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < n; i++) {
    const d = predicted[i]! - actual[i]!;
    const v = squared ? d * d : d < 0 ? -d : d;
    const t = sum + v;
    compensation += sum >= v ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}

function meanError(fn: string, predicted: ArrayLike<number>, actual: ArrayLike<number>, squared: boolean): number {
  checkPair(fn, predicted, actual);
  // Plain arrays may hold non-numbers that arithmetic would coerce: scan them first. Typed arrays hold numbers, and
  // a finite sum proves every entry finite, so they are scanned only when the sum is NaN or infinite (the scan names
  // the first bad entry; when every entry is finite and only the sum overflowed, Infinity is returned).
  if (!ArrayBuffer.isView(predicted) || !ArrayBuffer.isView(actual)) throwFirstNonFinite(fn, predicted, actual);
  const sum = sumOfErrors(predicted, actual, squared);
  // Squares of errors below ~1e-154 underflow (to 0 below ~1e-162): redo those on scaled values too.
  const underflowed = squared && sum < 1e-290 && sum !== 0 ? true : squared && sum === 0 && !sameValues(predicted, actual);
  if (Number.isFinite(sum) && !underflowed) return fn === "rmse" ? Math.sqrt(sum / predicted.length) : sum / predicted.length;
  if (!underflowed) throwFirstNonFinite(fn, predicted, actual);
  // Every entry is finite but a difference, square or sum overflowed (values near ±1e308): redo it on halves (exact,
  // and their difference is always finite) scaled so the largest lands in [0.5, 1), then unscale.
  return scaledMeanError(fn, predicted, actual, squared);
}

function sameValues(predicted: ArrayLike<number>, actual: ArrayLike<number>): boolean {
  for (let i = 0; i < predicted.length; i++) if (predicted[i] !== actual[i]) return false;
  return true;
}

function scaledMeanError(fn: string, predicted: ArrayLike<number>, actual: ArrayLike<number>, squared: boolean): number {
  const n = predicted.length;
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(predicted[i]! / 2 - actual[i]! / 2));
  if (largest === 0) return 0;
  // A power of two (exact), kept within 2^±1023 so it stays finite for subnormal errors.
  const scale = 2 ** Math.min(1023, Math.max(-1023, -Math.ceil(Math.log2(largest)) - 1));
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < n; i++) {
    const d = (predicted[i]! / 2 - actual[i]! / 2) * scale;
    const v = squared ? d * d : Math.abs(d);
    const t = sum + v;
    compensation += sum >= v ? sum - t + v : v - t + sum;
    sum = t;
  }
  const mean = (sum + compensation) / n;
  // mean is of (d · scale / 2)^p; undo both factors, in the square root for the squared errors.
  const what = fn === "mae" ? "the mean absolute error" : fn === "mse" ? "the mean squared error" : "the root mean squared error";
  if (!squared) return unscale(fn, what, mean * 2, scale);
  if (fn === "rmse") return unscale(fn, what, Math.sqrt(mean) * 2, scale);
  return unscale(fn, what, unscale(fn, what, mean * 4, scale), scale);
}

/**
 * Mean absolute error, (1/n) Σ |predicted_i − actual_i| (Herlocker et al. 2004, §3.2.1; Surprise's `accuracy.mae`).
 * Neumaier-compensated sum; O(n).
 *
 * @param predicted - the predicted ratings
 * @param actual - the true ratings, aligned with `predicted`
 * @returns the MAE, >= 0
 * @throws {@link core!NextbestError} `E_SHAPE` when the lengths differ, `E_EMPTY` when they are empty,
 *   `E_NON_FINITE` naming the first NaN or infinite entry, `E_BAD_INPUT` when an argument is not an array
 * @example
 * ```ts
 * import { mae } from "nextbest/metrics";
 * mae([3, 4, 5], [2, 4, 3]); // => 1
 * mae([3, Number.NaN], [2, 4]);
 * // throws NextbestError E_NON_FINITE: "mae: predicted[1] must be a finite number, got NaN"
 * ```
 * @category metrics
 */
export function mae(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  return meanError("mae", predicted, actual, false);
}

/**
 * Mean squared error, (1/n) Σ (predicted_i − actual_i)² (Surprise's `accuracy.mse`). Neumaier-compensated sum; O(n).
 *
 * @param predicted - the predicted ratings
 * @param actual - the true ratings, aligned with `predicted`
 * @returns the MSE, >= 0
 * @throws {@link core!NextbestError} `E_SHAPE` when the lengths differ, `E_EMPTY` when they are empty,
 *   `E_NON_FINITE` naming the first NaN or infinite entry, `E_BAD_INPUT` when an argument is not an array
 * @example
 * ```ts
 * import { mse } from "nextbest/metrics";
 * mse([3, 4, 5], [2, 4, 3]); // => 5 / 3
 * mse([1, 2], [1]);
 * // throws NextbestError E_SHAPE: "mse: actual must have the length of predicted (2), got length 1"
 * ```
 * @category metrics
 */
export function mse(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  return meanError("mse", predicted, actual, true);
}

/**
 * Root mean squared error, √((1/n) Σ (predicted_i − actual_i)²) (Herlocker et al. 2004, §3.2.1; the Netflix Prize
 * measure; Surprise's `accuracy.rmse`). Always >= {@link mae} on the same data. Neumaier-compensated sum; O(n).
 *
 * @param predicted - the predicted ratings
 * @param actual - the true ratings, aligned with `predicted`
 * @returns the RMSE, >= 0
 * @throws {@link core!NextbestError} `E_SHAPE` when the lengths differ, `E_EMPTY` when they are empty,
 *   `E_NON_FINITE` naming the first NaN or infinite entry, `E_BAD_INPUT` when an argument is not an array
 * @example
 * ```ts
 * import { rmse } from "nextbest/metrics";
 * rmse([3, 4, 5], [2, 4, 3]).toFixed(4); // => "1.2910"
 * rmse([], []);
 * // throws NextbestError E_EMPTY: "rmse: predicted must not be empty, got length 0"
 * ```
 * @category metrics
 */
export function rmse(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  return meanError("rmse", predicted, actual, true);
}
