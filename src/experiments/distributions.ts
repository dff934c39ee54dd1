// The normal and Student t distribution functions behind the experiment tests and intervals. Not exported by the
// barrel; tested directly against published values in test/experiments/distributions.test.ts.
//
// References: Marsaglia, G. (2004), "Evaluating the Normal Distribution", Journal of Statistical Software 11(4)
// (the Taylor series of Φ); Abramowitz & Stegun 26.2.14 (the continued fraction of Mills' ratio for the tails);
// Acklam, P. J. (2003), "An algorithm for computing the inverse normal cumulative distribution function" (rational
// approximation, refined by one Halley step to full double precision); the t CDF is I_{ν/(ν+t²)}(ν/2, 1/2) through
// the regularized incomplete beta function (Abramowitz & Stegun 26.7.1, Numerical Recipes §6.4), shared with
// nextbest/evaluation's paired t-test.
import { studentTCdf as tCdf, studentTTwoSidedPValue } from "../evaluation/student-t.ts";

const INV_SQRT_2PI = 0.3989422804014327;

/** The standard normal density φ(x). */
export function normalDensity(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Upper tail Q(x) = 1 − Φ(x) for x > 3 by the continued fraction of Mills' ratio (modified Lentz). */
function upperTailContinuedFraction(x: number): number {
  // Q(x) = φ(x) / (x + 1/(x + 2/(x + 3/(x + ...))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    d = x + k * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = x + k / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return normalDensity(x) / f;
}

/** The standard normal cumulative distribution Φ(x); relative accuracy about 1e-15 in both tails. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x > 3) return 1 - upperTailContinuedFraction(x);
  if (x < -3) return upperTailContinuedFraction(-x);
  // Marsaglia's series: Φ(x) = 1/2 + φ(x) (x + x³/3 + x⁵/(3·5) + ...).
  let sum = x;
  let term = x;
  const x2 = x * x;
  for (let i = 3; i < 200; i += 2) {
    term *= x2 / i;
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  return 0.5 + sum * normalDensity(x);
}

/** The two-sided normal tail probability P(|Z| >= |z|) = 2 Q(|z|), accurate far into the tail. */
export function normalTwoSidedPValue(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const a = Math.abs(z);
  if (a === Number.POSITIVE_INFINITY) return 0;
  if (a > 3) return 2 * upperTailContinuedFraction(a);
  return 2 * (1 - normalCdf(a));
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** The standard normal quantile Φ⁻¹(p) for p in (0, 1); −∞ at 0, +∞ at 1. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
      (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -(((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  }
  // One Halley step on Φ(x) − p (the error of the rational approximation is below 1.2e-9 before it).
  const e = p < 0.5 ? normalCdf(x) - p : -(normalCdfUpper(x) - (1 - p));
  const u = e / normalDensity(x);
  return x - u / (1 + (x * u) / 2);
}

/** 1 − Φ(x), accurate in the upper tail. */
function normalCdfUpper(x: number): number {
  return x > 3 ? upperTailContinuedFraction(x) : 1 - normalCdf(x);
}

/** The Student t cumulative distribution P(T <= t) with ν > 0 degrees of freedom (∞ gives the normal). */
export function studentTCdf(t: number, degreesOfFreedom: number): number {
  if (degreesOfFreedom === Number.POSITIVE_INFINITY) return normalCdf(t);
  return tCdf(t, degreesOfFreedom);
}

/** The two-sided t tail probability P(|T| >= |t|) with ν > 0 degrees of freedom (∞ gives the normal). */
export function studentTTwoSided(t: number, degreesOfFreedom: number): number {
  // A difference with no sampling variance at all (both arms constant, means apart) is certain: p = 0.
  if (t === Number.POSITIVE_INFINITY || t === Number.NEGATIVE_INFINITY) return 0;
  if (degreesOfFreedom === Number.POSITIVE_INFINITY) return normalTwoSidedPValue(t);
  return studentTTwoSidedPValue(t, degreesOfFreedom);
}

/**
 * The Student t quantile: the t with P(T <= t) = p, for p in (0, 1) and ν > 0. Bisection on the CDF inside a bracket
 * grown from the normal quantile, to a relative width of 1e-13 (about 50 CDF evaluations).
 */
export function studentTQuantile(p: number, degreesOfFreedom: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(degreesOfFreedom > 0)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  if (degreesOfFreedom === Number.POSITIVE_INFINITY) return normalQuantile(p);
  if (p < 0.5) return -studentTQuantile(1 - p, degreesOfFreedom);
  // p > 0.5: the quantile is positive and at least the normal one.
  let lo = 0;
  let hi = Math.max(1, normalQuantile(p));
  while (tCdf(hi, degreesOfFreedom) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Number.POSITIVE_INFINITY;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (tCdf(mid, degreesOfFreedom) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
