/**
 * Plain-words profiles of segments: what sets each segment apart from the whole population.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { FeatureRow } from "../content/encoder.ts";
import { assertInteger, assertInRange } from "../internal/validate.ts";
import { formatNumber, formatPercent } from "../internal/format.ts";

/**
 * A categorical field to profile: the category most over-represented in a segment, compared with its overall share.
 *
 * @category segments
 */
export interface ProfileCategoricalField {
  /** The field name in the rows. */
  readonly field: string;
  /** Field kind. */
  readonly kind: "categorical";
  /** A readable name. @defaultValue the field name */
  readonly label?: string;
  /**
   * The phrase, with `{category}` and `{label}` filled in, e.g. `"in {category}"` or `"{category} accounts"`.
   * @defaultValue "mostly {category}" when the segment share is at least 50%, else "often {category}"
   */
  readonly template?: string;
}

/** A multi-valued field (an array of tags per row): the tag most over-represented in a segment. @category segments */
export interface ProfileTagsField {
  /** The field name in the rows. */
  readonly field: string;
  /** Field kind. */
  readonly kind: "tags";
  /** A readable name. @defaultValue the field name */
  readonly label?: string;
  /** The phrase, with `{category}` (the tag) and `{label}`. @defaultValue "mostly {category}" / "often {category}" as for categories */
  readonly template?: string;
}

/** A numeric field to profile: the segment median compared with the overall median. @category segments */
export interface ProfileNumericField {
  /** The field name in the rows. */
  readonly field: string;
  /** Field kind. */
  readonly kind: "numeric";
  /** A readable name. @defaultValue the field name */
  readonly label?: string;
  /** How values print: `"number"` (1,234 or 0.123) or `"percent"` (0.12 → 12%). @defaultValue "number" */
  readonly format?: "number" | "percent";
  /**
   * Where the effect is measured: `"linear"` on the values, `"log"` on ln(1 + x) (for skewed amounts and head
   * counts, matching an encoder's `"log1p"` transform; values must be > −1). Medians print on the original scale.
   * @defaultValue "linear"
   */
  readonly scale?: "linear" | "log";
  /** The phrase when the segment is higher, with `{label}`, `{median}`, `{overall}`, e.g. `"heavy buyers of grocery"`. @defaultValue "high {label}" */
  readonly high?: string;
  /** The phrase when the segment is lower, e.g. `"light buyers of grocery"`. @defaultValue "low {label}" */
  readonly low?: string;
}

/** A field of a segment profile. @category segments */
export type ProfileField = ProfileCategoricalField | ProfileTagsField | ProfileNumericField;

/** Options of {@link profileSegments}. @category segments */
export interface ProfileOptions {
  /** At most this many highlights per segment, the strongest first (at most one per field). @defaultValue 3 */
  maxHighlights?: number;
  /** A category (or tag) stands out when its segment share exceeds its overall share by at least this. @defaultValue 0.1 */
  minShareDifference?: number;
  /** A number stands out when |segment median − overall median| is at least this many overall interquartile ranges. @defaultValue 0.3 */
  minEffect?: number;
  /** A name per segment. @defaultValue "Segment 1", "Segment 2", ... */
  names?: readonly string[];
}

/** One thing that sets a segment apart. @category segments */
export interface SegmentHighlight {
  /** The field. */
  readonly field: string;
  /** The field's readable name. */
  readonly label: string;
  /** The field kind. */
  readonly kind: "categorical" | "tags" | "numeric";
  /** The category or tag that stands out (null for a numeric field). */
  readonly category: string | null;
  /** The segment's share of the category, or its median (on the original scale). */
  readonly segmentValue: number;
  /** The population's share of the category, or its median. */
  readonly overallValue: number;
  /**
   * How strongly it stands out: the share difference over √(p(1 − p)) of the overall share p for categories and
   * tags; (segment median − overall median) / overall IQR for numbers (signed; on ln(1 + x) for the log scale).
   */
  readonly effect: number;
  /** The plain-words phrase, e.g. "mostly retail". */
  readonly phrase: string;
  /** The evidence, e.g. "92% vs 32% overall" or "median 9,000 vs 3,000 overall". */
  readonly evidence: string;
}

/** The profile of one segment. @category segments */
export interface SegmentProfile {
  /** The segment number (the label). */
  readonly segment: number;
  /** Its name. */
  readonly name: string;
  /** Rows in the segment. */
  readonly size: number;
  /** size / all rows. */
  readonly share: number;
  /** What stands out, strongest first. */
  readonly highlights: readonly SegmentHighlight[];
  /** The phrases joined: "mostly retail, heavy buyers of grocery" ("close to the overall population" when nothing stands out). */
  readonly summary: string;
  /** One line with name, size and the evidence: "Segment 1 (142 rows, 32%): mostly retail (92% vs 32% overall); ...". */
  readonly description: string;
}

function readField(row: FeatureRow, field: string): unknown {
  if (row instanceof Map) return row.get(field);
  return Object.hasOwn(row, field) ? (row as Record<string, unknown>)[field] : undefined;
}

function fill(template: string, values: ReadonlyMap<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values.get(key) ?? whole);
}

function median(sorted: Float64Array): number {
  const h = (sorted.length - 1) / 2;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!);
}

function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!);
}

/** The categories of one row of a categorical or tags field (deduplicated). */
function categoriesOfRow(fn: string, r: number, spec: ProfileField, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const one = (v: unknown, where: string): string => {
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} must be a string, number or boolean, got ${describeValue(v)}`);
  };
  if (spec.kind === "tags" && Array.isArray(value)) return [...new Set(value.map((v, t) => one(v, `rows[${r}].${spec.field}[${t}]`)))];
  return [one(value, `rows[${r}].${spec.field}`)];
}

/** The most segments profileSegments describes (one profile per segment number, empty ones included). */
export const MAX_SEGMENTS = 10_000;

function checkField(fn: string, where: string, spec: unknown): ProfileField {
  if (typeof spec !== "object" || spec === null || typeof (spec as ProfileField).field !== "string") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} must be an object with a string field, got ${describeValue(spec)}`);
  }
  const kind = (spec as ProfileField).kind;
  if (kind !== "categorical" && kind !== "tags" && kind !== "numeric") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.kind must be one of "categorical", "tags", "numeric", got ${describeValue(kind)}`);
  }
  if (kind === "numeric") {
    const format = (spec as ProfileNumericField).format ?? "number";
    if (format !== "number" && format !== "percent") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.format must be one of "number", "percent", got ${describeValue(format)}`);
    }
    const scale = (spec as ProfileNumericField).scale ?? "linear";
    if (scale !== "linear" && scale !== "log") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.scale must be one of "linear", "log", got ${describeValue(scale)}`);
    }
  }
  return spec as ProfileField;
}

function categoricalHighlights(
  fn: string,
  rows: readonly FeatureRow[],
  labels: Int32Array,
  sizes: Int32Array,
  spec: ProfileCategoricalField | ProfileTagsField,
  minShareDifference: number,
  out: (SegmentHighlight | undefined)[][],
): void {
  const k = sizes.length;
  const overall = new Map<string, number>();
  const perSegment = new Map<string, Float64Array>();
  for (let r = 0; r < rows.length; r++) {
    for (const category of categoriesOfRow(fn, r, spec, readField(rows[r]!, spec.field))) {
      overall.set(category, (overall.get(category) ?? 0) + 1);
      let counts = perSegment.get(category);
      if (counts === undefined) perSegment.set(category, (counts = new Float64Array(k)));
      counts[labels[r]!]! += 1;
    }
  }
  const label = spec.label ?? spec.field;
  const n = rows.length;
  for (let c = 0; c < k; c++) {
    if (sizes[c] === 0) continue;
    let best: SegmentHighlight | undefined;
    for (const [category, total] of overall) {
      const p = total / n;
      if (p >= 1) continue;
      const share = perSegment.get(category)![c]! / sizes[c]!;
      const difference = share - p;
      if (difference < minShareDifference) continue;
      const effect = difference / Math.sqrt(p * (1 - p));
      if (best !== undefined && effect <= best.effect) continue;
      const template = spec.template ?? (share >= 0.5 ? "mostly {category}" : "often {category}");
      best = {
        field: spec.field,
        label,
        kind: spec.kind,
        category,
        segmentValue: share,
        overallValue: p,
        effect,
        phrase: fill(template, new Map([["category", category], ["label", label]])),
        evidence: `${formatPercent(share)} vs ${formatPercent(p)} overall`,
      };
    }
    out[c]!.push(best);
  }
}

function numericHighlights(
  fn: string,
  rows: readonly FeatureRow[],
  labels: Int32Array,
  sizes: Int32Array,
  spec: ProfileNumericField,
  minEffect: number,
  out: (SegmentHighlight | undefined)[][],
): void {
  const k = sizes.length;
  const log = spec.scale === "log";
  const back = (x: number): number => (log ? Math.expm1(x) : x);
  const all: number[] = [];
  const bySegment: number[][] = Array.from({ length: k }, () => []);
  for (let r = 0; r < rows.length; r++) {
    const v = readField(rows[r]!, spec.field);
    if (v === undefined || v === null) continue;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new NextbestError(typeof v === "number" ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: rows[${r}].${spec.field} must be a finite number, got ${describeValue(v)}`);
    }
    if (log && v <= -1) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: rows[${r}].${spec.field} must be > -1 for the log scale, got ${describeValue(v)}`);
    }
    const x = log ? Math.log1p(v) : v;
    all.push(x);
    bySegment[labels[r]!]!.push(x);
  }
  if (all.length === 0) return;
  const sorted = Float64Array.from(all).sort();
  const overall = median(sorted);
  let scale = quantile(sorted, 0.75) - quantile(sorted, 0.25);
  if (!(scale > 0)) {
    let deviation = 0;
    for (const v of all) deviation += Math.abs(v - overall);
    scale = deviation / all.length;
  }
  if (!(scale > 0)) return;
  const label = spec.label ?? spec.field;
  const format = spec.format === "percent" ? formatPercent : formatNumber;
  for (let c = 0; c < k; c++) {
    const values = bySegment[c]!;
    if (values.length === 0) {
      out[c]!.push(undefined);
      continue;
    }
    const segmentMedian = median(Float64Array.from(values).sort());
    const effect = (segmentMedian - overall) / scale;
    if (Math.abs(effect) < minEffect) {
      out[c]!.push(undefined);
      continue;
    }
    const template = effect > 0 ? (spec.high ?? "high {label}") : (spec.low ?? "low {label}");
    const shown = format(back(segmentMedian));
    const shownOverall = format(back(overall));
    const words = new Map([["label", label], ["median", shown], ["overall", shownOverall]]);
    out[c]!.push({
      field: spec.field,
      label,
      kind: "numeric",
      category: null,
      segmentValue: back(segmentMedian),
      overallValue: back(overall),
      effect,
      phrase: fill(template, words),
      evidence: `median ${shown} vs ${shownOverall} overall`,
    });
  }
}

/**
 * Describes each segment in plain words by what sets it apart from the whole population, read from the raw rows
 * (not the encoded features) and the field metadata: for a categorical or tags field, the category whose share in
 * the segment most exceeds its overall share (by at least `minShareDifference`), scored by the standardized
 * difference (p_seg − p) / √(p(1 − p)); for a numeric field, the segment median against the overall median in units
 * of the overall interquartile range (mean absolute deviation when the IQR is 0), standing out at `minEffect`. The
 * strongest highlights (at most one per field) become phrases filled from each field's templates, e.g. a spend field
 * with `high: "heavy buyers of grocery"` and a growth field with `format: "percent", high: "growing {median} a year"`
 * give "mostly retail, heavy buyers of grocery, growing 12% a year".
 *
 * Complexity: O(rows · fields + Σ numeric fields n log n).
 *
 * @param rows - the raw rows (plain objects or Maps), in the order of `labels`
 * @param labels - the segment of each row, integers in [0, 9999] (e.g. `model.labels` of {@link fitKMeans}): one
 *   profile is built per segment number up to the largest, so at most 10,000 segments
 * @param fields - the fields to profile and how to word them (see {@link ProfileField})
 * @param options - thresholds, highlight count and names (see {@link ProfileOptions})
 * @returns one {@link SegmentProfile} per segment number 0 … max label
 * @throws {@link core!NextbestError} `E_SHAPE` when labels and rows differ in length; `E_BAD_INPUT` for a bad label,
 *   field spec, option or value type (naming `rows[r].field`); `E_NON_FINITE` for a NaN or infinite number; `E_EMPTY`
 *   for no rows
 * @example
 * ```ts
 * import { profileSegments } from "nextbest/segments";
 * const rows = [
 *   { channel: "retail", grocery: 9000 }, { channel: "retail", grocery: 12000 }, { channel: "horeca", grocery: 8000 },
 *   { channel: "horeca", grocery: 1500 }, { channel: "horeca", grocery: 2000 }, { channel: "horeca", grocery: 2500 },
 * ];
 * const [big, small] = profileSegments(rows, [1, 1, 1, 0, 0, 0], [
 *   { field: "channel", kind: "categorical" },
 *   { field: "grocery", kind: "numeric", high: "heavy grocery buyers", low: "light grocery buyers" },
 * ]);
 * small.summary; // => "mostly retail, heavy grocery buyers"
 * small.description;
 * // => "Segment 2 (3 rows, 50%): mostly retail (67% vs 33% overall); heavy grocery buyers (median 9,000 vs 5,250 overall)"
 * big.summary; // => "mostly horeca, light grocery buyers"
 * ```
 * @category segments
 */
export function profileSegments(
  rows: readonly FeatureRow[],
  labels: ArrayLike<number>,
  fields: readonly ProfileField[],
  options: ProfileOptions = {},
): SegmentProfile[] {
  return profileSegmentsFor("profileSegments", { fields: "fields", options: "options" }, rows, labels, fields, options);
}

/**
 * {@link profileSegments} for the public function `fn` the user called, with the argument paths they passed the fields
 * and the options under (`options.profile` and `options.profileOptions` for segmentRows). @internal
 */
export function profileSegmentsFor(
  fn: string,
  paths: { readonly fields: string; readonly options: string },
  rows: readonly FeatureRow[],
  labels: ArrayLike<number>,
  fields: readonly ProfileField[],
  options: ProfileOptions,
): SegmentProfile[] {
  if (!Array.isArray(rows)) throw new NextbestError("E_BAD_INPUT", `${fn}: rows must be an array of objects or Maps, got ${describeValue(rows)}`);
  if (rows.length === 0) throw new NextbestError("E_EMPTY", `${fn}: rows must hold at least one row, got 0 rows`);
  for (let r = 0; r < rows.length; r++) {
    const row: unknown = rows[r];
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: rows[${r}] must be an object or a Map, got ${describeValue(row)}`);
    }
  }
  if (typeof labels !== "object" || labels === null || !(Array.isArray(labels) || ArrayBuffer.isView(labels))) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: labels must be an array of segment numbers, got ${describeValue(labels)}`);
  }
  if (labels.length !== rows.length) throw new NextbestError("E_SHAPE", `${fn}: labels must have length ${rows.length} (one per row), got length ${labels.length}`);
  const segment = new Int32Array(rows.length);
  let k = 0;
  for (let r = 0; r < rows.length; r++) {
    const v: unknown = labels[r];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= MAX_SEGMENTS) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: labels[${r}] must be an integer in [0, ${MAX_SEGMENTS - 1}] (at most ${MAX_SEGMENTS} segments), got ${describeValue(v)}`);
    }
    segment[r] = v;
    if (v + 1 > k) k = v + 1;
  }
  if (!Array.isArray(fields)) throw new NextbestError("E_BAD_INPUT", `${fn}: ${paths.fields} must be an array of field specs, got ${describeValue(fields)}`);
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: ${paths.options} must be an object, got ${describeValue(options)}`);
  const maxHighlights = options.maxHighlights ?? 3;
  assertInteger(fn, `${paths.options}.maxHighlights`, maxHighlights, 0);
  const minShareDifference = options.minShareDifference ?? 0.1;
  assertInRange(fn, `${paths.options}.minShareDifference`, minShareDifference, 0, 1);
  const minEffect = options.minEffect ?? 0.3;
  assertInRange(fn, `${paths.options}.minEffect`, minEffect, 0, Number.POSITIVE_INFINITY);
  const names = options.names;
  if (names !== undefined && (!Array.isArray(names) || names.length < k || names.some((name) => typeof name !== "string"))) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${paths.options}.names must be an array of at least ${k} strings (one per segment), got ${describeValue(names)}`);
  }
  const sizes = new Int32Array(k);
  for (let r = 0; r < rows.length; r++) sizes[segment[r]!]!++;
  const found: (SegmentHighlight | undefined)[][] = Array.from({ length: k }, () => []);
  const seen = new Set<string>();
  for (let s = 0; s < fields.length; s++) {
    const spec = checkField(fn, `${paths.fields}[${s}]`, fields[s]);
    if (seen.has(spec.field)) throw new NextbestError("E_DUPLICATE", `${fn}: ${paths.fields}[${s}].field must be unique, got ${describeValue(spec.field)} twice`);
    seen.add(spec.field);
    if (spec.kind === "numeric") numericHighlights(fn, rows, segment, sizes, spec, minEffect, found);
    else categoricalHighlights(fn, rows, segment, sizes, spec, minShareDifference, found);
  }
  const profiles: SegmentProfile[] = [];
  for (let c = 0; c < k; c++) {
    const name = names?.[c] ?? `Segment ${c + 1}`;
    const highlights = found[c]!
      .filter((h): h is SegmentHighlight => h !== undefined)
      .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
      .slice(0, maxHighlights);
    const size = sizes[c]!;
    const share = size / rows.length;
    const summary = size === 0 ? "no rows" : highlights.length === 0 ? "close to the overall population" : highlights.map((h) => h.phrase).join(", ");
    const detail = highlights.length === 0 ? summary : highlights.map((h) => `${h.phrase} (${h.evidence})`).join("; ");
    profiles.push(Object.freeze({
      segment: c,
      name,
      size,
      share,
      highlights: Object.freeze(highlights),
      summary,
      description: `${name} (${size} ${size === 1 ? "row" : "rows"}, ${formatPercent(share)}): ${detail}`,
    }));
  }
  return profiles;
}
