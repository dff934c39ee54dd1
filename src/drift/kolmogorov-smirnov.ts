/**
 * The two-sample Kolmogorov–Smirnov test between a reference window and a current one.
 *
 * @module
 */
import { checkSample } from "./stability.ts";

/** What {@link kolmogorovSmirnovTest} returns. @category drift */
export interface KolmogorovSmirnov {
  /** D = sup_x |F_ref(x) − F_cur(x)|, the largest gap between the two empirical CDFs, in [0, 1]. */
  readonly statistic: number;
  /** The asymptotic two-sided p-value Q_KS(√(n·m / (n + m)) · D). */
  readonly pValue: number;
  /** The smallest x where the gap D is reached (NaN when D is 0). */
  readonly at: number;
  /** The reference sample size n. */
  readonly referenceCount: number;
  /** The current sample size m. */
  readonly currentCount: number;
}

/** D of two ascending samples; ties advance both ECDFs together. */
export function ksStatistic(a: Float64Array, b: Float64Array): { statistic: number; at: number } {
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  let statistic = 0;
  let at = Number.NaN;
  while (i < n && j < m) {
    const x = a[i]! <= b[j]! ? a[i]! : b[j]!;
    while (i < n && a[i] === x) i++;
    while (j < m && b[j] === x) j++;
    const gap = Math.abs(i / n - j / m);
    if (gap > statistic) {
      statistic = gap;
      at = x;
    }
  }
  return { statistic, at };
}

/**
 * The survival function of the Kolmogorov distribution, Q(λ) = P(K > λ) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2 j² λ²}; for
 * λ < 1.18 the equivalent theta series 1 − (√(2π)/λ) Σ_{j≥1} e^{−(2j−1)² π² / (8 λ²)} converges faster
 * (Numerical Recipes, 3rd ed., §6.14.12).
 */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    const y = Math.exp((-Math.PI * Math.PI) / (8 * lambda * lambda));
    const y8 = y ** 8;
    // Σ y^{(2j−1)²} for j = 1..4: y, y⁹, y²⁵, y⁴⁹ (the rest is below 1e-17 for λ < 1.18).
    const sum = y * (1 + y8 * (1 + y8 * y8 * (1 + y8 * y8 * y8)));
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum));
  }
  let sum = 0;
  let sign = 1;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda);
    sum += sign * term;
    if (term < 1e-17) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * The two-sample Kolmogorov–Smirnov test of whether a feature or model score moved between a reference window and a
 * current one: D is the largest vertical gap between the two empirical CDFs (ties handled exactly), and the p-value
 * is the asymptotic Kolmogorov tail Q_KS(λ) at λ = √(n·m / (n + m)) · D, the limiting distribution R's
 * `ks.test(x, y, exact = FALSE)` uses (SciPy's `method = "asymp"` uses a finite-n correction instead). The asymptotic p-value is conservative for small samples; with
 * large windows almost any shift is "significant", so read D (or the PSI) for the size of the shift.
 *
 * Reference: Smirnov, N. (1948), Annals of Mathematical Statistics 19, 279–281; Kolmogorov, A. (1933).
 * Complexity: O(n log n + m log m) for the sorts, then O(n + m).
 *
 * @param reference - the reference window's values (finite)
 * @param current - the current window's values (finite)
 * @returns D, its p-value, where it is reached, and the sample sizes
 * @throws {@link core!NextbestError} `E_EMPTY` for an empty window; `E_NON_FINITE` naming the first NaN or infinite value;
 *   `E_BAD_INPUT` for a non-array
 * @example
 * ```ts
 * import { kolmogorovSmirnovTest } from "nextbest/drift";
 * // ECDF gaps: after 1, 2, 3, 4: |1/4 − 0|, |2/4 − 0|, |3/4 − 1/5|, |1 − 2/5| → D = 0.6 at x = 4
 * const result = kolmogorovSmirnovTest([1, 2, 3, 4], [3, 4, 5, 6, 7]);
 * [result.statistic, result.at]; // => [0.6, 4]
 * kolmogorovSmirnovTest([1, 2, 3], [1, 2, 3]).pValue; // => 1
 * kolmogorovSmirnovTest([], [1]);
 * // throws NextbestError E_EMPTY: "kolmogorovSmirnovTest: reference must hold at least one value, got 0 values"
 * ```
 * @category drift
 */
export function kolmogorovSmirnovTest(reference: ArrayLike<number>, current: ArrayLike<number>): KolmogorovSmirnov {
  const fn = "kolmogorovSmirnovTest";
  checkSample(fn, "reference", reference);
  checkSample(fn, "current", current);
  return ksOfSamples(reference, current);
}

/** The KS test of two checked samples. */
export function ksOfSamples(reference: ArrayLike<number>, current: ArrayLike<number>): KolmogorovSmirnov {
  const a = Float64Array.from(reference).sort();
  const b = Float64Array.from(current).sort();
  const { statistic, at } = ksStatistic(a, b);
  const n = a.length;
  const m = b.length;
  return {
    statistic,
    pValue: kolmogorovSurvival(Math.sqrt((n * m) / (n + m)) * statistic),
    at,
    referenceCount: n,
    currentCount: m,
  };
}
