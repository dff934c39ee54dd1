/**
 * A drift report over many features and a model score: what moved between a reference window and a current one, in
 * plain words, most severe first.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { assertInteger } from "../internal/validate.ts";
import { formatNumber, formatPercent } from "../internal/format.ts";
import { ksOfSamples, type KolmogorovSmirnov } from "./kolmogorov-smirnov.ts";
import {
  categoricalPsi,
  categoryOf,
  checkSample,
  epsilonOf,
  numericPsi,
  thresholdsOf,
  type StabilitySeverity,
  type StabilityThresholds,
} from "./stability.ts";

/**
 * One row of a window: a plain object or a Map, read by field name (own properties only, so `"__proto__"` is a
 * safe field name).
 *
 * @category drift
 */
export type DriftRow = Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>;

/** A feature to watch. @category drift */
export interface DriftFeature {
  /** The field name in the rows. */
  readonly field: string;
  /** `"numeric"`: finite numbers (PSI over reference quantile bins, plus KS); `"categorical"`: PSI over category shares. */
  readonly kind: "numeric" | "categorical";
  /** A readable name for the report. @defaultValue the field name */
  readonly label?: string;
}

/** Model scores of the two windows, watched like a numeric feature. @category drift */
export interface DriftScores {
  /** The scores of the reference window. */
  readonly reference: ArrayLike<number>;
  /** The scores of the current window. */
  readonly current: ArrayLike<number>;
  /** A readable name for the report. @defaultValue "model score" */
  readonly label?: string;
}

/** Options of {@link driftReport}. @category drift */
export interface DriftReportOptions {
  /** The features to watch. @defaultValue [] */
  features?: readonly DriftFeature[];
  /** Model scores to watch too. */
  scores?: DriftScores;
  /** Quantile bins of each numeric reference. @defaultValue 10 */
  bins?: number;
  /** The share that stands in for an empty bin. @defaultValue 1e-4 */
  epsilon?: number;
  /** The severity cut-offs. @defaultValue \{ moderate: 0.1, significant: 0.25 \} */
  thresholds?: StabilityThresholds;
}

/** The drift of one feature or of the model score. @category drift */
export interface FeatureDrift {
  /** The field name, or `"score"` for the model scores. */
  readonly field: string;
  /** The readable name. */
  readonly label: string;
  /** What was compared. */
  readonly kind: "numeric" | "categorical" | "score";
  /** The population stability index. */
  readonly psi: number;
  /** The severity of the PSI. */
  readonly severity: StabilitySeverity;
  /** The two-sample KS test (numeric features and scores), else null. */
  readonly ks: KolmogorovSmirnov | null;
  /** Non-missing values in the reference window. */
  readonly referenceCount: number;
  /** Non-missing values in the current window. */
  readonly currentCount: number;
  /** What changed, in words: the median (numeric) or the category whose share moved most (categorical). */
  readonly change: string;
  /** One sentence: label, severity, PSI (and KS), and the change. */
  readonly message: string;
}

/** What {@link driftReport} returns. @category drift */
export interface DriftReport {
  /** Every watched feature (and the score), most severe first, then by PSI descending, then by label. */
  readonly features: readonly FeatureDrift[];
  /** The labels of the features whose severity is not `"stable"`, in report order. */
  readonly moved: readonly string[];
  /** A one-paragraph summary naming what moved. */
  readonly summary: string;
}

const RANK: Record<StabilitySeverity, number> = { stable: 0, moderate: 1, significant: 2 };

function readField(row: DriftRow, field: string): unknown {
  if (row instanceof Map) return row.get(field);
  return Object.hasOwn(row, field) ? (row as Record<string, unknown>)[field] : undefined;
}

function checkRows(fn: string, name: string, rows: unknown): asserts rows is readonly DriftRow[] {
  if (!Array.isArray(rows)) throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be an array of objects or Maps, got ${describeValue(rows)}`);
  for (let r = 0; r < rows.length; r++) {
    const row: unknown = rows[r];
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}[${r}] must be an object or a Map, got ${describeValue(row)}`);
    }
  }
}

function numericColumn(fn: string, name: string, rows: readonly DriftRow[], field: string): Float64Array {
  const out: number[] = [];
  for (let r = 0; r < rows.length; r++) {
    const v = readField(rows[r]!, field);
    if (v === undefined || v === null) continue;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new NextbestError(
        typeof v === "number" ? "E_NON_FINITE" : "E_BAD_INPUT",
        `${fn}: ${name}[${r}].${field} must be a finite number, got ${describeValue(v)}`,
      );
    }
    out.push(v);
  }
  if (out.length === 0) throw new NextbestError("E_EMPTY", `${fn}: ${name} must hold at least one value of field ${describeValue(field)}, got none`);
  return Float64Array.from(out);
}

function categoricalColumn(fn: string, name: string, rows: readonly DriftRow[], field: string): string[] {
  const out: string[] = [];
  for (let r = 0; r < rows.length; r++) {
    const c = categoryOf(fn, `${name}[${r}].${field}`, readField(rows[r]!, field));
    if (c !== undefined) out.push(c);
  }
  if (out.length === 0) throw new NextbestError("E_EMPTY", `${fn}: ${name} must hold at least one value of field ${describeValue(field)}, got none`);
  return out;
}

/** The lower median of a sorted copy (type-7 interpolation at 0.5). */
function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const h = (sorted.length - 1) / 2;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!);
}

function numericChange(reference: Float64Array, current: Float64Array): string {
  const before = median(reference);
  const after = median(current);
  const relative = before !== 0 ? ` (${after >= before ? "+" : "−"}${formatPercent(Math.abs(after / before - 1))})` : "";
  return `median ${formatNumber(before)} → ${formatNumber(after)}${relative}`;
}

function categoricalChange(categories: readonly string[], reference: readonly string[], current: readonly string[]): string {
  const referenceCounts = new Map<string, number>();
  const currentCounts = new Map<string, number>();
  for (const c of reference) referenceCounts.set(c, (referenceCounts.get(c) ?? 0) + 1);
  for (const c of current) currentCounts.set(c, (currentCounts.get(c) ?? 0) + 1);
  let best = categories[0]!;
  let bestShift = -1;
  let before = 0;
  let after = 0;
  for (const category of categories) {
    const r = (referenceCounts.get(category) ?? 0) / reference.length;
    const c = (currentCounts.get(category) ?? 0) / current.length;
    if (Math.abs(c - r) > bestShift) {
      bestShift = Math.abs(c - r);
      best = category;
      before = r;
      after = c;
    }
  }
  const note = before === 0 ? " (new)" : after === 0 ? " (gone)" : "";
  return `share of ${JSON.stringify(best)} ${formatPercent(before)} → ${formatPercent(after)}${note}`;
}

function formatPValue(p: number): string {
  return p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`;
}

function messageOf(label: string, severity: StabilitySeverity, psi: number, ks: KolmogorovSmirnov | null, change: string): string {
  const verdict = severity === "stable" ? "is stable" : severity === "moderate" ? "moved moderately" : "moved significantly";
  const evidence = `PSI ${psi.toFixed(3)}${ks === null ? "" : `, KS D ${ks.statistic.toFixed(3)}, ${formatPValue(ks.pValue)}`}`;
  return `${label} ${verdict} (${evidence}): ${change}`;
}

/**
 * Compares a current window with a reference window, feature by feature and on model scores, and names what moved.
 * Numeric features and scores get the PSI over quantile bins of the reference ({@link populationStabilityIndex}) and
 * the two-sample KS test ({@link kolmogorovSmirnovTest}); categorical features the PSI over category shares
 * ({@link categoricalStabilityIndex}). Severity follows the PSI: < 0.1 stable, 0.1–0.25 moderate, > 0.25 significant
 * (see {@link StabilityThresholds}); the KS p-value is reported beside it but does not set the severity, because with
 * thousands of rows a negligible shift is already "significant" by KS. Missing values (null or undefined) are
 * skipped; each window must hold at least one value of each feature.
 *
 * Complexity: O(features × (n log n + m log m)).
 *
 * @param reference - the reference window's rows (plain objects or Maps)
 * @param current - the current window's rows
 * @param options - features, scores, bins, epsilon and thresholds (see {@link DriftReportOptions})
 * @returns one {@link FeatureDrift} per feature (and the score), most severe first, the labels that moved, a summary
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a non-array, a bad feature spec or option, or a value of the
 *   wrong type (naming `reference[r].field`); `E_NON_FINITE` for a NaN or infinite number; `E_EMPTY` when a window has
 *   no value of a feature, or nothing is watched; `E_DUPLICATE` when a field is watched twice
 * @example
 * ```ts
 * import { driftReport } from "nextbest/drift";
 * const reference = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({ deal: 1000 * i, tier: i % 2 ? "smb" : "mid" }));
 * const current = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({ deal: 1000 * i + 4000, tier: i % 2 ? "smb" : "mid" }));
 * const report = driftReport(reference, current, {
 *   features: [{ field: "deal", kind: "numeric", label: "deal size" }, { field: "tier", kind: "categorical" }],
 *   bins: 4,
 * });
 * report.moved; // => ["deal size"]
 * report.features[0].change; // => "median 4,500 → 8,500 (+89%)"
 * report.features[1].message; // => 'tier is stable (PSI 0.000): share of "smb" 50% → 50%'
 * ```
 * @category drift
 */
export function driftReport(reference: readonly DriftRow[], current: readonly DriftRow[], options: DriftReportOptions = {}): DriftReport {
  const fn = "driftReport";
  checkRows(fn, "reference", reference);
  checkRows(fn, "current", current);
  const epsilon = epsilonOf(fn, options);
  const thresholds = thresholdsOf(fn, options.thresholds);
  const bins = options.bins ?? 10;
  assertInteger(fn, "options.bins", bins, 2, 1000);
  const features = options.features ?? [];
  if (!Array.isArray(features)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.features must be an array, got ${describeValue(features)}`);
  if (features.length === 0 && options.scores === undefined) {
    throw new NextbestError("E_EMPTY", `${fn}: options must watch at least one feature or the scores, got none`);
  }
  const out: FeatureDrift[] = [];
  const seen = new Set<string>();
  for (let f = 0; f < features.length; f++) {
    const spec: unknown = features[f];
    const where = `options.features[${f}]`;
    if (typeof spec !== "object" || spec === null || typeof (spec as DriftFeature).field !== "string") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} must be an object with a string field, got ${describeValue(spec)}`);
    }
    const { field, kind } = spec as DriftFeature;
    if (kind !== "numeric" && kind !== "categorical") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.kind must be one of "numeric", "categorical", got ${describeValue(kind)}`);
    }
    if (seen.has(field)) throw new NextbestError("E_DUPLICATE", `${fn}: ${where}.field must be unique, got ${describeValue(field)} twice`);
    seen.add(field);
    const label = (spec as DriftFeature).label ?? field;
    if (kind === "numeric") {
      const ref = numericColumn(fn, "reference", reference, field);
      const cur = numericColumn(fn, "current", current, field);
      const psi = numericPsi(ref, cur, bins, epsilon, thresholds);
      const ks = ksOfSamples(ref, cur);
      const change = numericChange(ref, cur);
      out.push({ field, label, kind, psi: psi.value, severity: psi.severity, ks, referenceCount: ref.length, currentCount: cur.length, change, message: messageOf(label, psi.severity, psi.value, ks, change) });
    } else {
      const ref = categoricalColumn(fn, "reference", reference, field);
      const cur = categoricalColumn(fn, "current", current, field);
      const psi = categoricalPsi(ref, cur, epsilon, thresholds);
      const change = categoricalChange(psi.categories, ref, cur);
      out.push({ field, label, kind, psi: psi.value, severity: psi.severity, ks: null, referenceCount: ref.length, currentCount: cur.length, change, message: messageOf(label, psi.severity, psi.value, null, change) });
    }
  }
  if (options.scores !== undefined) {
    const scores: unknown = options.scores;
    if (typeof scores !== "object" || scores === null) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.scores must be an object { reference, current }, got ${describeValue(scores)}`);
    }
    const s = scores as DriftScores;
    checkSample(fn, "options.scores.reference", s.reference);
    checkSample(fn, "options.scores.current", s.current);
    const ref = Float64Array.from(s.reference);
    const cur = Float64Array.from(s.current);
    const label = s.label ?? "model score";
    const psi = numericPsi(ref, cur, bins, epsilon, thresholds);
    const ks = ksOfSamples(ref, cur);
    const change = numericChange(ref, cur);
    out.push({ field: "score", label, kind: "score", psi: psi.value, severity: psi.severity, ks, referenceCount: ref.length, currentCount: cur.length, change, message: messageOf(label, psi.severity, psi.value, ks, change) });
  }
  out.sort((a, b) => RANK[b.severity] - RANK[a.severity] || b.psi - a.psi || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const movedFeatures = out.filter((d) => d.severity !== "stable");
  const moved = movedFeatures.map((d) => d.label);
  let summary: string;
  if (movedFeatures.length === 0) {
    const top = out[0]!;
    summary = `Nothing moved: all ${out.length} watched ${out.length === 1 ? "feature is" : "features are"} stable (largest PSI ${top.psi.toFixed(3)}, ${top.label}).`;
  } else {
    const list = movedFeatures.map((d) => `${d.label} (${d.severity}, PSI ${d.psi.toFixed(3)}; ${d.change})`).join("; ");
    summary = `${movedFeatures.length} of ${out.length} watched ${out.length === 1 ? "feature" : "features"} moved: ${list}.`;
  }
  return { features: out, moved, summary };
}
