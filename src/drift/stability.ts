/**
 * The population stability index (PSI) between a reference window and a current one, for numbers (quantile bins
 * from the reference), for categories (category shares) and for ready-made histograms.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { assertArrayLike, assertFiniteArray, assertInteger } from "../internal/validate.ts";

/** How far a distribution moved, by PSI. @category drift */
export type StabilitySeverity = "stable" | "moderate" | "significant";

/**
 * The PSI cut-offs between severities. The usual rule of thumb from credit-scorecard monitoring (Siddiqi 2006,
 * Credit Risk Scorecards, ch. 8): PSI < 0.1 stable, 0.1–0.25 a moderate shift worth a look, > 0.25 a significant
 * shift (rebuild or recalibrate).
 *
 * @category drift
 */
export interface StabilityThresholds {
  /** PSI at or above which a shift is moderate. @defaultValue 0.1 */
  moderate?: number;
  /** PSI above which a shift is significant. @defaultValue 0.25 */
  significant?: number;
}

/** Options of {@link populationStabilityIndexFromCounts} and {@link categoricalStabilityIndex}. @category drift */
export interface StabilityOptions {
  /** The share that stands in for an empty bin in either window (so ln(c / r) stays finite), in (0, 1). @defaultValue 1e-4 */
  epsilon?: number;
  /** The severity cut-offs. @defaultValue \{ moderate: 0.1, significant: 0.25 \} */
  thresholds?: StabilityThresholds;
}

/** Options of {@link populationStabilityIndex}. @category drift */
export interface NumericStabilityOptions extends StabilityOptions {
  /** The number of quantile bins of the reference (fewer when the reference has ties at the cut points). @defaultValue 10 */
  bins?: number;
}

/** A PSI with its per-bin detail. @category drift */
export interface PopulationStability {
  /** The PSI Σ (c − r) ln(c / r) over the bins: ≥ 0, and 0 when the shares agree. */
  readonly value: number;
  /** The severity of {@link PopulationStability.value} under the thresholds. */
  readonly severity: StabilitySeverity;
  /** The reference share of each bin (an empty bin counts as epsilon). */
  readonly referenceShares: Float64Array;
  /** The current share of each bin (an empty bin counts as epsilon). */
  readonly currentShares: Float64Array;
  /** Each bin's term (c − r) ln(c / r), ≥ 0; they sum to the value. */
  readonly contributions: Float64Array;
}

/** A PSI over quantile bins of a numeric reference. @category drift */
export interface NumericPopulationStability extends PopulationStability {
  /** The inner bin edges, ascending: bin b holds edges[b − 1] ≤ x < edges[b]; the outer bins are open-ended. */
  readonly edges: Float64Array;
}

/** A PSI over the categories of two windows. @category drift */
export interface CategoricalPopulationStability extends PopulationStability {
  /** The categories (reference categories in first-seen order, then categories new in the current window). */
  readonly categories: readonly string[];
}

const DEFAULT_EPSILON = 1e-4;

/** Reads and checks the thresholds: 0 < moderate <= significant. */
export function thresholdsOf(fn: string, thresholds: unknown): { moderate: number; significant: number } {
  if (thresholds === undefined) return { moderate: 0.1, significant: 0.25 };
  if (typeof thresholds !== "object" || thresholds === null) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.thresholds must be an object, got ${describeValue(thresholds)}`);
  }
  const t = thresholds as StabilityThresholds;
  const moderate = t.moderate ?? 0.1;
  const significant = t.significant ?? 0.25;
  if (typeof moderate !== "number" || !(moderate > 0) || !Number.isFinite(moderate)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.thresholds.moderate must be a finite number > 0, got ${describeValue(moderate)}`);
  }
  if (typeof significant !== "number" || !(significant >= moderate) || !Number.isFinite(significant)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.thresholds.significant must be a finite number >= thresholds.moderate (${moderate}), got ${describeValue(significant)}`);
  }
  return { moderate, significant };
}

/** Reads and checks epsilon in (0, 1). */
export function epsilonOf(fn: string, options: unknown): number {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const epsilon = (options as StabilityOptions).epsilon ?? DEFAULT_EPSILON;
  if (typeof epsilon !== "number" || !(epsilon > 0 && epsilon < 1)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.epsilon must be a number in (0, 1), got ${describeValue(epsilon)}`);
  }
  return epsilon;
}

function severityFor(value: number, t: { moderate: number; significant: number }): StabilitySeverity {
  return value < t.moderate ? "stable" : value <= t.significant ? "moderate" : "significant";
}

/**
 * Names the severity of a PSI: `"stable"` below `thresholds.moderate` (0.1), `"moderate"` up to
 * `thresholds.significant` (0.25), `"significant"` above. See {@link StabilityThresholds} for the source of the cut-offs.
 *
 * Complexity: O(1).
 *
 * @param psi - a population stability index, >= 0
 * @param thresholds - the cut-offs (see {@link StabilityThresholds})
 * @returns the severity
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a negative or non-finite PSI, or thresholds that are not
 *   0 < moderate <= significant
 * @example
 * ```ts
 * import { stabilitySeverity } from "nextbest/drift";
 * [stabilitySeverity(0.05), stabilitySeverity(0.1), stabilitySeverity(0.25), stabilitySeverity(0.3)];
 * // => ["stable", "moderate", "moderate", "significant"]
 * ```
 * @category drift
 */
export function stabilitySeverity(psi: number, thresholds?: StabilityThresholds): StabilitySeverity {
  const fn = "stabilitySeverity";
  if (typeof psi !== "number" || !Number.isFinite(psi) || psi < 0) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: psi must be a finite number >= 0, got ${describeValue(psi)}`);
  }
  return severityFor(psi, thresholdsOf(fn, thresholds));
}

/** The PSI of two count vectors of equal length (already checked). Empty windows are the caller's error. */
export function psiOfCounts(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
  referenceTotal: number,
  currentTotal: number,
  epsilon: number,
  thresholds: { moderate: number; significant: number },
): PopulationStability {
  const bins = referenceCounts.length;
  const referenceShares = new Float64Array(bins);
  const currentShares = new Float64Array(bins);
  const contributions = new Float64Array(bins);
  let value = 0;
  for (let b = 0; b < bins; b++) {
    const r = referenceCounts[b]! > 0 ? referenceCounts[b]! / referenceTotal : epsilon;
    const c = currentCounts[b]! > 0 ? currentCounts[b]! / currentTotal : epsilon;
    referenceShares[b] = r;
    currentShares[b] = c;
    // (c − r) and ln(c / r) share their sign, so each term is >= 0; equal shares give exactly 0.
    const term = r === c ? 0 : (c - r) * Math.log(c / r);
    contributions[b] = term;
    value += term;
  }
  return { value, severity: severityFor(value, thresholds), referenceShares, currentShares, contributions };
}

function checkCounts(fn: string, name: string, counts: unknown): number {
  assertArrayLike(fn, name, counts);
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const v = counts[i];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new NextbestError(
        typeof v === "number" && !Number.isFinite(v) ? "E_NON_FINITE" : "E_BAD_INPUT",
        `${fn}: ${name}[${i}] must be a finite count >= 0, got ${describeValue(v)}`,
      );
    }
    total += v;
  }
  if (!(total > 0)) throw new NextbestError("E_EMPTY", `${fn}: ${name} must hold a positive total count, got ${total}`);
  return total;
}

/**
 * The population stability index of two histograms over the same bins: PSI = Σ_b (c_b − r_b) ln(c_b / r_b), with
 * r_b and c_b the reference and current shares of bin b and an empty bin's share replaced by `epsilon`. Counts need
 * not be integers (weights work too).
 *
 * Reference: Yurdakul, B. (2018), Statistical Properties of Population Stability Index, Western Michigan University
 * (PSI as the symmetrised Kullback–Leibler divergence of the binned shares). Complexity: O(bins).
 *
 * @param referenceCounts - the reference window's count in each bin
 * @param currentCounts - the current window's count in the same bins
 * @param options - epsilon and thresholds (see {@link StabilityOptions})
 * @returns the PSI, its severity and per-bin shares and terms
 * @throws {@link core!NextbestError} `E_SHAPE` when the lengths differ; `E_BAD_INPUT` for a negative count or a bad
 *   option; `E_NON_FINITE` for a NaN or infinite count; `E_EMPTY` when a window's total is 0
 * @example
 * ```ts
 * import { populationStabilityIndexFromCounts } from "nextbest/drift";
 * // shares 10/20/30/40% → 20/20/30/30%: 0.1·ln 2 + 0.1·ln(4/3)
 * populationStabilityIndexFromCounts([10, 20, 30, 40], [20, 20, 30, 30]).value.toFixed(4); // => "0.0981"
 * populationStabilityIndexFromCounts([1, 2], [1, 2, 3]);
 * // throws NextbestError E_SHAPE: "populationStabilityIndexFromCounts: currentCounts must have length 2, got length 3"
 * ```
 * @category drift
 */
export function populationStabilityIndexFromCounts(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
  options: StabilityOptions = {},
): PopulationStability {
  const fn = "populationStabilityIndexFromCounts";
  const referenceTotal = checkCounts(fn, "referenceCounts", referenceCounts);
  assertArrayLike(fn, "currentCounts", currentCounts);
  if (currentCounts.length !== referenceCounts.length) {
    throw new NextbestError("E_SHAPE", `${fn}: currentCounts must have length ${referenceCounts.length}, got length ${currentCounts.length}`);
  }
  const currentTotal = checkCounts(fn, "currentCounts", currentCounts);
  const epsilon = epsilonOf(fn, options);
  return psiOfCounts(referenceCounts, currentCounts, referenceTotal, currentTotal, epsilon, thresholdsOf(fn, options.thresholds));
}

/** The inner edges of `bins` quantile bins of ascending `sorted`: the value at floor(j·n/bins), strictly increasing, above the minimum. */
export function quantileEdges(sorted: Float64Array, bins: number): Float64Array {
  const n = sorted.length;
  const edges: number[] = [];
  let last = sorted[0]!;
  for (let j = 1; j < bins; j++) {
    const edge = sorted[Math.floor((j * n) / bins)]!;
    if (edge > last) {
      edges.push(edge);
      last = edge;
    }
  }
  return Float64Array.from(edges);
}

/** The bin of x: the number of edges <= x (binary search). */
export function binOf(edges: Float64Array, x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The PSI of two numeric samples (already checked, non-empty) over quantile bins of the reference. */
export function numericPsi(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  bins: number,
  epsilon: number,
  thresholds: { moderate: number; significant: number },
): NumericPopulationStability {
  const sorted = Float64Array.from(reference).sort();
  const edges = quantileEdges(sorted, bins);
  const referenceCounts = new Float64Array(edges.length + 1);
  const currentCounts = new Float64Array(edges.length + 1);
  for (let i = 0; i < reference.length; i++) referenceCounts[binOf(edges, reference[i]!)]! += 1;
  for (let i = 0; i < current.length; i++) currentCounts[binOf(edges, current[i]!)]! += 1;
  return { ...psiOfCounts(referenceCounts, currentCounts, reference.length, current.length, epsilon, thresholds), edges };
}

/**
 * The population stability index of a numeric feature or model score between a reference window and a current one,
 * over quantile bins of the reference: the inner edges are the reference values at ranks ⌊j·n / bins⌋ (j = 1 …
 * bins − 1), ties merged, and the outer bins are open-ended so current values outside the reference range still
 * count. Then PSI = Σ (c − r) ln(c / r) as in {@link populationStabilityIndexFromCounts}. PSI is 0 for identical
 * samples and never negative.
 *
 * Reference: Siddiqi, N. (2006), Credit Risk Scorecards, Wiley, ch. 8 (the characteristic and population stability
 * reports). Complexity: O(n log n) to sort the reference, then O((n + m) log bins).
 *
 * @param reference - the reference window's values (finite)
 * @param current - the current window's values (finite)
 * @param options - bins, epsilon and thresholds (see {@link NumericStabilityOptions})
 * @returns the PSI, its severity, the bin edges and per-bin shares and terms
 * @throws {@link core!NextbestError} `E_EMPTY` for an empty window; `E_NON_FINITE` naming the first NaN or infinite value;
 *   `E_BAD_INPUT` for bins not an integer in [2, 1000] or a bad option
 * @example
 * ```ts
 * import { populationStabilityIndex } from "nextbest/drift";
 * const reference = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
 * populationStabilityIndex(reference, reference).value; // => 0
 * const shifted = populationStabilityIndex(reference, [6, 7, 8, 9, 10, 11, 12, 13, 14, 15], { bins: 2 });
 * Array.from(shifted.edges); // => [6]
 * shifted.severity; // => "significant"
 * ```
 * @category drift
 */
export function populationStabilityIndex(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: NumericStabilityOptions = {},
): NumericPopulationStability {
  const fn = "populationStabilityIndex";
  checkSample(fn, "reference", reference);
  checkSample(fn, "current", current);
  const epsilon = epsilonOf(fn, options);
  const bins = options.bins ?? 10;
  assertInteger(fn, "options.bins", bins, 2, 1000);
  return numericPsi(reference, current, bins, epsilon, thresholdsOf(fn, options.thresholds));
}

/** Throws unless `values` is a non-empty array of finite numbers. */
export function checkSample(fn: string, name: string, values: unknown): asserts values is ArrayLike<number> {
  assertArrayLike(fn, name, values);
  if (values.length === 0) throw new NextbestError("E_EMPTY", `${fn}: ${name} must hold at least one value, got 0 values`);
  assertFiniteArray(fn, name, values);
}

/** Counts categories (already stringified); returns the union in reference-first order. */
export function categoricalPsi(
  reference: readonly string[],
  current: readonly string[],
  epsilon: number,
  thresholds: { moderate: number; significant: number },
): CategoricalPopulationStability {
  const column = new Map<string, number>();
  const categories: string[] = [];
  for (const list of [reference, current]) {
    for (const value of list) {
      if (!column.has(value)) {
        column.set(value, categories.length);
        categories.push(value);
      }
    }
  }
  const referenceCounts = new Float64Array(categories.length);
  const currentCounts = new Float64Array(categories.length);
  for (const value of reference) referenceCounts[column.get(value)!]! += 1;
  for (const value of current) currentCounts[column.get(value)!]! += 1;
  return {
    ...psiOfCounts(referenceCounts, currentCounts, reference.length, current.length, epsilon, thresholds),
    categories: Object.freeze(categories),
  };
}

/** The category of a value: strings as they are, numbers and booleans by their string form; null/undefined missing. */
export function categoryOf(fn: string, where: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} must be a string, number or boolean, got ${describeValue(value)}`);
}

/**
 * The population stability index of a categorical feature by category shares: one bin per category seen in either
 * window (a category new in the current window has reference share epsilon, a vanished one current share epsilon).
 * Strings, numbers and booleans are categories by their string form; null and undefined are skipped as missing.
 *
 * Reference: Siddiqi (2006), ch. 8 (the characteristic analysis). Complexity: O(n + m) with a Map of categories.
 *
 * @param reference - the reference window's categories
 * @param current - the current window's categories
 * @param options - epsilon and thresholds (see {@link StabilityOptions})
 * @returns the PSI, its severity, the categories and per-category shares and terms
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a non-array or a value that is not a string, number or boolean
 *   (naming its index); `E_EMPTY` when a window has no non-missing value
 * @example
 * ```ts
 * import { categoricalStabilityIndex } from "nextbest/drift";
 * const result = categoricalStabilityIndex(["smb", "smb", "mid", "ent"], ["smb", "mid", "mid", "ent"]);
 * result.categories; // => ["smb", "mid", "ent"]
 * Array.from(result.currentShares); // => [0.25, 0.5, 0.25]
 * result.value.toFixed(4); // => "0.3466"
 * ```
 * @category drift
 */
export function categoricalStabilityIndex(
  reference: readonly unknown[],
  current: readonly unknown[],
  options: StabilityOptions = {},
): CategoricalPopulationStability {
  const fn = "categoricalStabilityIndex";
  const ref = categoriesOf(fn, "reference", reference);
  const cur = categoriesOf(fn, "current", current);
  return categoricalPsi(ref, cur, epsilonOf(fn, options), thresholdsOf(fn, options.thresholds));
}

function categoriesOf(fn: string, name: string, values: unknown): string[] {
  if (!Array.isArray(values)) throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be an array, got ${describeValue(values)}`);
  const out: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const c = categoryOf(fn, `${name}[${i}]`, values[i]);
    if (c !== undefined) out.push(c);
  }
  if (out.length === 0) throw new NextbestError("E_EMPTY", `${fn}: ${name} must hold at least one non-missing value, got none`);
  return out;
}
