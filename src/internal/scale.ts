// Internal: power-of-two scaling for sums, means and spreads of values near the largest double (±1e308), where a
// plain sum or difference overflows to ±∞ although every input and the true result are finite. Multiplying by a
// power of two is exact (while results stay normal), so a computation on scaled values and unscaled at the end gives
// the same digits as the plain one would have without overflow. The plain path runs unchanged for ordinary values.
import { NextbestError } from "../core/errors.ts";

/** Values up to this magnitude never need scaling: n · 2^500 · 2^500 stays finite for any array length. */
export const SAFE_MAGNITUDE: number = 2 ** 500;

/** The largest |value| of a finite array (0 for an empty one). */
export function largestMagnitude(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) {
    const magnitude = Math.abs(values[i]!);
    if (magnitude > largest) largest = magnitude;
  }
  return largest;
}

/**
 * A power of two s with magnitude · s in [0.5, 1): multiplying by it is exact. 1 for magnitudes up to
 * {@link SAFE_MAGNITUDE}, so ordinary inputs are computed exactly as before.
 */
export function scaleFor(magnitude: number): number {
  if (!(magnitude > SAFE_MAGNITUDE) || !Number.isFinite(magnitude)) return 1;
  // 2^-e with e = floor(log2(magnitude)) + 1; Math.log2 may round across an integer, so correct it.
  let e = Math.floor(Math.log2(magnitude)) + 1;
  while (magnitude * 2 ** -e >= 1) e++;
  while (magnitude * 2 ** -e < 0.5) e--;
  return 2 ** -e;
}

/**
 * Undoes {@link scaleFor} on a result: `value / scale`, or an `E_NON_FINITE` naming `fn` and `what` when the true
 * result is beyond the largest double (the inputs were finite, the answer is not representable).
 */
export function unscale(fn: string, what: string, value: number, scale: number): number {
  const result = value / scale;
  if (!Number.isFinite(result) && Number.isFinite(value)) {
    throw new NextbestError(
      "E_NON_FINITE",
      `${fn}: ${what} is beyond the largest number (about 1.8e308) for these values; rescale them (e.g. to thousands) first`,
    );
  }
  return result;
}
