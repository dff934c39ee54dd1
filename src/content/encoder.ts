/**
 * The schema-driven feature encoder: turns rows of product or account attributes into dense numeric vectors.
 *
 * @module
 */
import { scaleFor } from "../internal/scale.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { badModel, float64ArrayFromJSON, readModelEnvelope, typedArrayToJSON } from "../internal/serialize.ts";
import type { DenseMatrix } from "../linalg/types.ts";

/**
 * One row of a feature table: a plain object or a Map, read by field name. Only own properties of plain objects are
 * read, so field names such as `"__proto__"` or `"constructor"` are safe.
 *
 * @category content
 */
export type FeatureRow = Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>;

/** How a numeric field becomes features. @category content */
export type NumericTransform = "standardize" | "log1p" | "min-max" | "buckets";

/**
 * A categorical field: one column per category seen at fit time (one-hot); a category not seen (or seen fewer than
 * `minCount` times) and a missing value encode as all zeros. Strings, numbers and booleans are categories by their
 * string form.
 *
 * @category content
 */
export interface CategoricalField {
  /** The field name. */
  readonly field: string;
  /** Field kind. */
  readonly kind: "categorical";
  /** Multiplies the field's columns. @defaultValue 1 */
  readonly weight?: number;
  /** Categories seen in fewer rows get no column. @defaultValue 1 */
  readonly minCount?: number;
}

/**
 * A multi-valued field (an array of tags, or one string as a single tag): one column per tag seen at fit time, with
 * value idf(tag) = ln((1 + n) / (1 + df)) + 1 when the row has the tag (n rows, df rows with the tag: the smoothed
 * IDF of scikit-learn's TfidfTransformer), else 0. Unknown tags are ignored.
 *
 * @category content
 */
export interface TagsField {
  /** The field name. */
  readonly field: string;
  /** Field kind. */
  readonly kind: "tags";
  /** Multiplies the field's columns. @defaultValue 1 */
  readonly weight?: number;
  /** Tags in fewer rows get no column. @defaultValue 1 */
  readonly minCount?: number;
  /** Weight tags by IDF; `false` gives plain multi-hot 0/1. @defaultValue true */
  readonly idf?: boolean;
}

/**
 * A numeric field. Missing values (undefined or null) are imputed with the fitted mean of the raw values, then
 * transformed (`"buckets"`: a missing value encodes as all zeros).
 * - `"standardize"`: (x − mean) / sd with the population standard deviation sd of the fit values (0 when sd is 0);
 *   one column.
 * - `"log1p"`: ln(1 + x), for counts and amounts (x must be > −1); one column.
 * - `"min-max"`: (x − min) / (max − min) clipped to [0, 1] (0 when max = min); one column.
 * - `"buckets"`: one-hot of the quantile bucket (edges at the j/B quantiles of the fit values, duplicates merged);
 *   bucket b holds edges[b−1] ≤ x < edges[b].
 *
 * @category content
 */
export interface NumericField {
  /** The field name. */
  readonly field: string;
  /** Field kind. */
  readonly kind: "numeric";
  /** Multiplies the field's columns. @defaultValue 1 */
  readonly weight?: number;
  /** The transform. @defaultValue "standardize" */
  readonly transform?: NumericTransform;
  /** Number of quantile buckets for `"buckets"`. @defaultValue 4 */
  readonly buckets?: number;
}

/**
 * A short text field (names, descriptions): lowercased and split on every character that is not a letter or a digit
 * (Unicode-aware); each token's weight is tf-idf with sublinear tf, (1 + ln tf) · idf with the smoothed IDF of
 * {@link TagsField}, and the field's block is L2-normalised per row (as scikit-learn's TfidfVectorizer with
 * `sublinear_tf=True, norm="l2"`). Unknown tokens are ignored.
 *
 * @category content
 */
export interface TextField {
  /** The field name. */
  readonly field: string;
  /** Field kind. */
  readonly kind: "text";
  /** Multiplies the field's columns. @defaultValue 1 */
  readonly weight?: number;
  /** Tokens in fewer rows are dropped. @defaultValue 1 */
  readonly minDocumentFrequency?: number;
  /** Tokens in more than this fraction of rows are dropped (stop words). @defaultValue 1 */
  readonly maxDocumentRatio?: number;
  /** Keep at most this many tokens, the most frequent by document frequency (ties: by token). @defaultValue 10000 */
  readonly maxVocabulary?: number;
  /** Use 1 + ln(tf) instead of the raw count tf. @defaultValue true */
  readonly sublinearTf?: boolean;
}

/** One field of a feature schema. @category content */
export type FieldSpec = CategoricalField | TagsField | NumericField | TextField;

/**
 * Options of {@link fitFeatureEncoder}.
 *
 * @category content
 */
export interface FeatureEncoderOptions {
  /** Scale every encoded row to unit L2 norm (all-zero rows stay zero), ready for cosine similarity. @defaultValue true */
  normalize?: boolean;
}

/** A fitted categorical field. @category content */
export interface FittedCategoricalField {
  /** Field kind. */
  readonly kind: "categorical";
  /** The field name. */
  readonly field: string;
  /** The field weight. */
  readonly weight: number;
  /** First column of the field's block. */
  readonly offset: number;
  /** The categories with a column, in column order. */
  readonly categories: readonly string[];
}

/** A fitted tags field. @category content */
export interface FittedTagsField {
  /** Field kind. */
  readonly kind: "tags";
  /** The field name. */
  readonly field: string;
  /** The field weight. */
  readonly weight: number;
  /** First column of the field's block. */
  readonly offset: number;
  /** The tags with a column, in column order. */
  readonly tags: readonly string[];
  /** The value of each tag's column when present (IDF, or 1). */
  readonly idf: Float64Array;
}

/** A fitted numeric field. @category content */
export interface FittedNumericField {
  /** Field kind. */
  readonly kind: "numeric";
  /** The field name. */
  readonly field: string;
  /** The field weight. */
  readonly weight: number;
  /** First column of the field's block. */
  readonly offset: number;
  /** The transform. */
  readonly transform: NumericTransform;
  /** Mean of the fit values (after ln(1 + x) for `"log1p"`); also the imputed value of missing entries. */
  readonly mean: number;
  /** Population standard deviation of the fit values. */
  readonly standardDeviation: number;
  /** Smallest fit value. */
  readonly min: number;
  /** Largest fit value. */
  readonly max: number;
  /** Inner bucket edges, ascending (buckets = edges.length + 1); empty for other transforms. */
  readonly edges: Float64Array;
}

/** A fitted text field. @category content */
export interface FittedTextField {
  /** Field kind. */
  readonly kind: "text";
  /** The field name. */
  readonly field: string;
  /** The field weight. */
  readonly weight: number;
  /** First column of the field's block. */
  readonly offset: number;
  /** The vocabulary, in column order. */
  readonly tokens: readonly string[];
  /** The IDF of each token. */
  readonly idf: Float64Array;
  /** Whether tf is sublinear. */
  readonly sublinearTf: boolean;
}

/** A fitted field of a {@link FeatureEncoder}. @category content */
export type FittedField = FittedCategoricalField | FittedTagsField | FittedNumericField | FittedTextField;

/**
 * A fitted feature encoder: plain, versioned data. Encode rows with {@link encodeRows}; serialize with
 * {@link featureEncoderToJSON}.
 *
 * @category content
 */
export interface FeatureEncoder {
  /** Discriminant. */
  readonly kind: "feature-encoder";
  /** Format version; {@link featureEncoderFromJSON} reads version 1. */
  readonly version: 1;
  /** Whether encoded rows are L2-normalised. */
  readonly normalize: boolean;
  /** The fitted fields, in schema order; their blocks tile the columns. */
  readonly fields: readonly FittedField[];
  /** One readable name per column: `field` (numeric), `field=value` (categorical), `field:token` (tags, text), `field∈[lo,hi)` (buckets). */
  readonly featureNames: readonly string[];
  /** The number of columns. */
  readonly dimension: number;
}

const KINDS = ["categorical", "tags", "numeric", "text"] as const;
const TRANSFORMS: readonly NumericTransform[] = ["standardize", "log1p", "min-max", "buckets"];
const TOKEN_SPLIT = /[^\p{L}\p{N}]+/u;

/** Reads `field` of a row: Map.get, or an own property of a plain object; undefined when absent. */
function readField(row: FeatureRow, field: string): unknown {
  if (row instanceof Map) return row.get(field);
  return Object.hasOwn(row, field) ? (row as Record<string, unknown>)[field] : undefined;
}

function checkRows(fn: string, rows: unknown): asserts rows is readonly FeatureRow[] {
  if (!Array.isArray(rows)) throw new NextbestError("E_BAD_INPUT", `${fn}: rows must be an array of objects or Maps, got ${describeValue(rows)}`);
  for (let r = 0; r < rows.length; r++) {
    const row: unknown = rows[r];
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: rows[${r}] must be an object or a Map, got ${describeValue(row)}`);
    }
  }
}

function categoryOf(fn: string, r: number, field: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new NextbestError("E_BAD_INPUT", `${fn}: rows[${r}].${field} must be a string, number or boolean, got ${describeValue(value)}`);
}

function tagsOf(fn: string, r: number, field: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return [value];
  if (!Array.isArray(value)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: rows[${r}].${field} must be an array of strings, got ${describeValue(value)}`);
  }
  const seen = new Set<string>();
  for (let t = 0; t < value.length; t++) {
    const tag: unknown = value[t];
    if (typeof tag !== "string") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: rows[${r}].${field}[${t}] must be a string, got ${describeValue(tag)}`);
    }
    seen.add(tag);
  }
  return [...seen];
}

function numberOf(fn: string, r: number, field: string, value: unknown, transform: NumericTransform): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new NextbestError(
      typeof value === "number" ? "E_NON_FINITE" : "E_BAD_INPUT",
      `${fn}: rows[${r}].${field} must be a finite number, got ${describeValue(value)}`,
    );
  }
  if (transform === "log1p" && value <= -1) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: rows[${r}].${field} must be > -1 for the log1p transform, got ${describeValue(value)}`);
  }
  return value;
}

function textTokens(fn: string, r: number, field: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== "string") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: rows[${r}].${field} must be a string, got ${describeValue(value)}`);
  }
  return value.toLowerCase().split(TOKEN_SPLIT).filter((token) => token.length > 0);
}

/** Smoothed IDF: ln((1 + n) / (1 + df)) + 1. */
function smoothIdf(n: number, df: number): number {
  return Math.log((1 + n) / (1 + df)) + 1;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function positiveInteger(fn: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

function fieldWeight(fn: string, name: string, value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a finite number >= 0, got ${describeValue(value)}`);
  }
  return value;
}

/** Counts in how many rows each key occurs; returns the kept keys (count ≥ minCount) in the fit order. */
function documentFrequencies(perRow: readonly (readonly string[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const keys of perRow) for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function fitField(fn: string, rows: readonly FeatureRow[], spec: FieldSpec, where: string, offset: number): FittedField {
  const field = spec.field;
  const weight = fieldWeight(fn, `${where}.weight`, spec.weight);
  const n = rows.length;
  if (spec.kind === "categorical") {
    const minCount = positiveInteger(fn, `${where}.minCount`, spec.minCount, 1);
    const perRow = rows.map((row, r) => {
      const c = categoryOf(fn, r, field, readField(row, field));
      return c === undefined ? [] : [c];
    });
    const counts = documentFrequencies(perRow);
    const categories = [...counts].filter(([, c]) => c >= minCount).map(([k]) => k).sort(compareStrings);
    return Object.freeze({ kind: "categorical", field, weight, offset, categories: Object.freeze(categories) });
  }
  if (spec.kind === "tags") {
    const minCount = positiveInteger(fn, `${where}.minCount`, spec.minCount, 1);
    const useIdf = spec.idf ?? true;
    if (typeof useIdf !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.idf must be a boolean, got ${describeValue(useIdf)}`);
    const counts = documentFrequencies(rows.map((row, r) => tagsOf(fn, r, field, readField(row, field))));
    const tags = [...counts].filter(([, c]) => c >= minCount).map(([k]) => k).sort(compareStrings);
    const idf = new Float64Array(tags.length);
    for (let t = 0; t < tags.length; t++) idf[t] = useIdf ? smoothIdf(n, counts.get(tags[t]!)!) : 1;
    return Object.freeze({ kind: "tags", field, weight, offset, tags: Object.freeze(tags), idf });
  }
  if (spec.kind === "numeric") {
    const transform = spec.transform ?? "standardize";
    if (!TRANSFORMS.includes(transform)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.transform must be one of ${TRANSFORMS.join(", ")}, got ${describeValue(transform)}`);
    }
    const bucketCount = positiveInteger(fn, `${where}.buckets`, spec.buckets, 4);
    const values: number[] = [];
    for (let r = 0; r < n; r++) {
      const v = numberOf(fn, r, field, readField(rows[r]!, field), transform);
      if (v !== undefined) values.push(transform === "log1p" ? Math.log1p(v) : v);
    }
    let mean = 0;
    let min = 0;
    let max = 0;
    let standardDeviation = 0;
    if (values.length > 0) {
      min = Infinity;
      max = -Infinity;
      for (const v of values) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      // Values near ±1e308 would overflow the sum and the squares: a power-of-two scale (exact; 1 for ordinary values).
      const scale = scaleFor(Math.max(Math.abs(min), Math.abs(max)));
      for (const v of values) mean += v * scale;
      mean /= values.length;
      let ss = 0;
      for (const v of values) ss += (v * scale - mean) * (v * scale - mean);
      standardDeviation = Math.sqrt(ss / values.length) / scale;
      mean /= scale;
    }
    const edgeList: number[] = [];
    if (transform === "buckets" && values.length > 0) {
      const sorted = Float64Array.from(values).sort();
      for (let j = 1; j < bucketCount; j++) {
        // Lower quantile at j/B (the value at floor(j·m/B) of the sorted fit values).
        const edge = sorted[Math.min(sorted.length - 1, Math.floor((j * sorted.length) / bucketCount))]!;
        if (edge > min && (edgeList.length === 0 || edge > edgeList[edgeList.length - 1]!)) edgeList.push(edge);
      }
    }
    return Object.freeze({ kind: "numeric", field, weight, offset, transform, mean, standardDeviation, min, max, edges: Float64Array.from(edgeList) });
  }
  if (spec.kind === "text") {
    const minDf = positiveInteger(fn, `${where}.minDocumentFrequency`, spec.minDocumentFrequency, 1);
    const maxVocabulary = positiveInteger(fn, `${where}.maxVocabulary`, spec.maxVocabulary, 10000);
    const maxRatio = spec.maxDocumentRatio ?? 1;
    if (typeof maxRatio !== "number" || !(maxRatio > 0 && maxRatio <= 1)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.maxDocumentRatio must be a number in (0, 1], got ${describeValue(maxRatio)}`);
    }
    const sublinearTf = spec.sublinearTf ?? true;
    if (typeof sublinearTf !== "boolean") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.sublinearTf must be a boolean, got ${describeValue(sublinearTf)}`);
    }
    const counts = documentFrequencies(rows.map((row, r) => [...new Set(textTokens(fn, r, field, readField(row, field)))]));
    const kept = [...counts]
      .filter(([, c]) => c >= minDf && c <= maxRatio * n)
      .sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]))
      .slice(0, maxVocabulary)
      .map(([k]) => k)
      .sort(compareStrings);
    const idf = new Float64Array(kept.length);
    for (let t = 0; t < kept.length; t++) idf[t] = smoothIdf(n, counts.get(kept[t]!)!);
    return Object.freeze({ kind: "text", field, weight, offset, tokens: Object.freeze(kept), idf, sublinearTf });
  }
  const kind = (spec as { kind?: unknown }).kind;
  throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.kind must be one of ${KINDS.join(", ")}, got ${describeValue(kind)}`);
}

function widthOf(field: FittedField): number {
  switch (field.kind) {
    case "categorical":
      return field.categories.length;
    case "tags":
      return field.tags.length;
    case "text":
      return field.tokens.length;
    case "numeric":
      return field.transform === "buckets" ? field.edges.length + 1 : 1;
  }
}

function formatEdge(value: number): string {
  return String(Number(value.toPrecision(6)));
}

function namesOf(field: FittedField): string[] {
  switch (field.kind) {
    case "categorical":
      return field.categories.map((c) => `${field.field}=${c}`);
    case "tags":
      return field.tags.map((t) => `${field.field}:${t}`);
    case "text":
      return field.tokens.map((t) => `${field.field}:${t}`);
    case "numeric": {
      if (field.transform !== "buckets") return [field.field];
      const bounds = [-Infinity, ...field.edges, Infinity];
      const names: string[] = [];
      for (let b = 0; b + 1 < bounds.length; b++) {
        const lo = bounds[b]!;
        const hi = bounds[b + 1]!;
        names.push(`${field.field}∈[${lo === -Infinity ? "-∞" : formatEdge(lo)},${hi === Infinity ? "∞" : formatEdge(hi)})`);
      }
      return names;
    }
  }
}

function buildEncoder(normalize: boolean, fields: readonly FittedField[]): FeatureEncoder {
  const featureNames: string[] = [];
  for (const field of fields) featureNames.push(...namesOf(field));
  return Object.freeze({
    kind: "feature-encoder",
    version: 1,
    normalize,
    fields: Object.freeze([...fields]),
    featureNames: Object.freeze(featureNames),
    dimension: featureNames.length,
  });
}

/**
 * Fits a feature encoder on a table of rows (products or accounts) following a schema: one block of columns per field,
 * in schema order — one-hot categories, IDF-weighted multi-hot tags, transformed numbers, and TF-IDF text with
 * sublinear tf (the conventions of scikit-learn's OneHotEncoder, StandardScaler, MinMaxScaler and TfidfVectorizer, and
 * quantile buckets; see each field type for the exact formulas). Each block is multiplied by its field weight, and rows
 * are L2-normalised unless `normalize` is false. The encoder then encodes any row, including rows not seen at fit
 * time (new products, prospects).
 *
 * Complexity: O(total field values + vocabulary · log vocabulary) time and memory.
 *
 * @param rows - the fit table: plain objects or Maps, read by field name (own properties only)
 * @param schema - the fields to encode; each field name at most once
 * @param options - normalisation
 * @returns a new frozen {@link FeatureEncoder}; `rows` is not changed
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a bad schema entry or option, or a value of the wrong type
 *   (naming `rows[r].field`); `E_NON_FINITE` for a NaN or infinite number; `E_EMPTY` when rows or schema is empty;
 *   `E_DUPLICATE` when a field appears twice in the schema
 * @example
 * ```ts
 * import { fitFeatureEncoder } from "nextbest/content";
 * const encoder = fitFeatureEncoder(
 *   [{ family: "crm", seats: 10 }, { family: "erp", seats: 30 }, { family: "crm" }],
 *   [{ field: "family", kind: "categorical" }, { field: "seats", kind: "numeric" }],
 * );
 * encoder.featureNames; // => ["family=crm", "family=erp", "seats"]
 * ```
 * @category content
 */
export function fitFeatureEncoder(
  rows: readonly FeatureRow[],
  schema: readonly FieldSpec[],
  options: FeatureEncoderOptions = {},
): FeatureEncoder {
  return fitFeatureEncoderFor("fitFeatureEncoder", "schema", rows, schema, options);
}

/**
 * {@link fitFeatureEncoder} for the public function `fn` the user called, `schemaPath` naming where they passed the
 * schema (`"options.schema"` for segmentRows), so that every message names their call. @internal
 */
export function fitFeatureEncoderFor(
  fn: string,
  schemaPath: string,
  rows: readonly FeatureRow[],
  schema: readonly FieldSpec[],
  options: FeatureEncoderOptions,
): FeatureEncoder {
  checkRows(fn, rows);
  if (rows.length === 0) throw new NextbestError("E_EMPTY", `${fn}: rows must hold at least one row, got 0 rows`);
  if (!Array.isArray(schema)) throw new NextbestError("E_BAD_INPUT", `${fn}: ${schemaPath} must be an array of field specs, got ${describeValue(schema)}`);
  if (schema.length === 0) throw new NextbestError("E_EMPTY", `${fn}: ${schemaPath} must hold at least one field, got 0 fields`);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const normalize = options.normalize ?? true;
  if (typeof normalize !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: options.normalize must be a boolean, got ${describeValue(normalize)}`);
  const names = new Set<string>();
  const fields: FittedField[] = [];
  let offset = 0;
  for (let s = 0; s < schema.length; s++) {
    const spec: unknown = schema[s];
    if (typeof spec !== "object" || spec === null || typeof (spec as { field?: unknown }).field !== "string") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${schemaPath}[${s}] must be an object with a string field, got ${describeValue(spec)}`);
    }
    const name = (spec as FieldSpec).field;
    if (names.has(name)) throw new NextbestError("E_DUPLICATE", `${fn}: ${schemaPath}[${s}].field must be unique, got ${describeValue(name)} twice`);
    names.add(name);
    const fitted = fitField(fn, rows, spec as FieldSpec, `${schemaPath}[${s}]`, offset);
    fields.push(fitted);
    offset += widthOf(fitted);
  }
  return buildEncoder(normalize, fields);
}

/**
 * Encodes rows with a fitted encoder into a dense row-major matrix (one row per input row, `encoder.dimension`
 * columns). Rows need not be from the fit table: unknown categories, tags and tokens encode as zeros, missing numbers
 * as the fitted mean, and numbers outside the fitted range are transformed the same way (min-max clips to [0, 1]).
 *
 * Complexity: O(vocabulary) to build the lookups, then O(rows · dimension + total field values).
 *
 * @param encoder - a fitted or deserialized encoder
 * @param rows - the rows to encode (plain objects or Maps)
 * @returns a new Float64 {@link linalg!DenseMatrix} of `rows.length × encoder.dimension`
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `encoder` is not a version-1 feature encoder; `E_BAD_INPUT` for
 *   a value of the wrong type naming `rows[r].field`; `E_NON_FINITE` for a NaN or infinite number
 * @example
 * ```ts
 * import { encodeRows, fitFeatureEncoder } from "nextbest/content";
 * const encoder = fitFeatureEncoder(
 *   [{ family: "crm" }, { family: "erp" }],
 *   [{ field: "family", kind: "categorical" }],
 * );
 * Array.from(encodeRows(encoder, [{ family: "erp" }, { family: "hr" }]).data); // => [0, 1, 0, 0]
 * ```
 * @category content
 */
export function encodeRows(encoder: FeatureEncoder, rows: readonly FeatureRow[]): DenseMatrix {
  const fn = "encodeRows";
  checkEncoder(fn, encoder);
  return encodeRowsFor(fn, encoder, rows);
}

/** {@link encodeRows} with a checked encoder, its row errors naming the public function `fn` the user called. @internal */
export function encodeRowsFor(fn: string, encoder: FeatureEncoder, rows: readonly FeatureRow[]): DenseMatrix {
  checkRows(fn, rows);
  const dim = encoder.dimension;
  const n = rows.length;
  const data = new Float64Array(n * dim);
  for (const field of encoder.fields) {
    const { offset, weight } = field;
    const name = field.field;
    if (field.kind === "categorical") {
      const column = new Map<string, number>(field.categories.map((c, j) => [c, j]));
      for (let r = 0; r < n; r++) {
        const c = categoryOf(fn, r, name, readField(rows[r]!, name));
        const j = c === undefined ? undefined : column.get(c);
        if (j !== undefined) data[r * dim + offset + j] = weight;
      }
    } else if (field.kind === "tags") {
      const column = new Map<string, number>(field.tags.map((t, j) => [t, j]));
      for (let r = 0; r < n; r++) {
        for (const tag of tagsOf(fn, r, name, readField(rows[r]!, name))) {
          const j = column.get(tag);
          if (j !== undefined) data[r * dim + offset + j] = weight * field.idf[j]!;
        }
      }
    } else if (field.kind === "text") {
      const column = new Map<string, number>(field.tokens.map((t, j) => [t, j]));
      for (let r = 0; r < n; r++) {
        const tf = new Map<number, number>();
        for (const token of textTokens(fn, r, name, readField(rows[r]!, name))) {
          const j = column.get(token);
          if (j !== undefined) tf.set(j, (tf.get(j) ?? 0) + 1);
        }
        let ss = 0;
        for (const [j, count] of tf) {
          const v = (field.sublinearTf ? 1 + Math.log(count) : count) * field.idf[j]!;
          data[r * dim + offset + j] = v;
          ss += v * v;
        }
        if (ss > 0) {
          const factor = weight / Math.sqrt(ss);
          for (const j of tf.keys()) data[r * dim + offset + j] = data[r * dim + offset + j]! * factor;
        }
      }
    } else {
      const { transform, mean, standardDeviation, min, max, edges } = field;
      for (let r = 0; r < n; r++) {
        const raw = numberOf(fn, r, name, readField(rows[r]!, name), transform);
        if (transform === "buckets") {
          if (raw === undefined) continue;
          let b = 0;
          while (b < edges.length && raw >= edges[b]!) b++;
          data[r * dim + offset + b] = weight;
          continue;
        }
        const x = raw === undefined ? mean : transform === "log1p" ? Math.log1p(raw) : raw;
        let v: number;
        if (transform === "standardize") v = standardDeviation > 0 ? standardized(x, mean, standardDeviation) : 0;
        else if (transform === "min-max") v = max > min ? Math.min(1, Math.max(0, rescaled(x, min, max))) : 0;
        else v = x;
        data[r * dim + offset] = weight * v;
      }
    }
  }
  if (encoder.normalize) normalizeRowsInPlace(data, n, dim);
  return { rows: n, cols: dim, data };
}

/** Scales each row of a row-major buffer to unit L2 norm (zero rows stay zero). */
function normalizeRowsInPlace(data: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let ss = 0;
    for (let j = 0; j < cols; j++) ss += data[o + j]! * data[o + j]!;
    if (ss > 0) {
      const inv = 1 / Math.sqrt(ss);
      for (let j = 0; j < cols; j++) data[o + j] = data[o + j]! * inv;
    }
  }
}

function checkEncoder(fn: string, encoder: unknown): asserts encoder is FeatureEncoder {
  const e = encoder as Partial<FeatureEncoder> | null;
  if (typeof e !== "object" || e === null || e.kind !== "feature-encoder" || e.version !== 1 || !Array.isArray(e.fields)) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: encoder must be a version-1 feature encoder (from fitFeatureEncoder), got ${describeValue(encoder)}`);
  }
}

/**
 * The JSON form of a {@link FeatureEncoder}: the same fields, typed arrays as number arrays.
 *
 * @category content
 */
export interface FeatureEncoderJSON {
  /** Always `"feature-encoder"`. */
  readonly kind: "feature-encoder";
  /** The format version, 1. */
  readonly version: 1;
  /** Whether rows are L2-normalised. */
  readonly normalize: boolean;
  /** The fitted fields, typed arrays as number arrays. */
  readonly fields: readonly Record<string, unknown>[];
}

/**
 * The JSON form of a feature encoder, ready for `JSON.stringify`.
 *
 * Complexity: O(vocabulary).
 *
 * @param encoder - the encoder
 * @returns a new plain object; the encoder is not changed
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `encoder` is not a version-1 feature encoder
 * @example
 * ```ts
 * import { featureEncoderToJSON, fitFeatureEncoder } from "nextbest/content";
 * const encoder = fitFeatureEncoder([{ tier: "gold" }], [{ field: "tier", kind: "categorical" }]);
 * JSON.stringify(featureEncoderToJSON(encoder));
 * // => '{"kind":"feature-encoder","version":1,"normalize":true,"fields":[{"kind":"categorical","field":"tier","weight":1,"categories":["gold"]}]}'
 * ```
 * @category content
 */
export function featureEncoderToJSON(encoder: FeatureEncoder): FeatureEncoderJSON {
  checkEncoder("featureEncoderToJSON", encoder);
  const fields = encoder.fields.map((f): Record<string, unknown> => {
    switch (f.kind) {
      case "categorical":
        return { kind: f.kind, field: f.field, weight: f.weight, categories: [...f.categories] };
      case "tags":
        return { kind: f.kind, field: f.field, weight: f.weight, tags: [...f.tags], idf: typedArrayToJSON(f.idf) };
      case "text":
        return { kind: f.kind, field: f.field, weight: f.weight, tokens: [...f.tokens], idf: typedArrayToJSON(f.idf), sublinearTf: f.sublinearTf };
      case "numeric":
        return {
          kind: f.kind, field: f.field, weight: f.weight, transform: f.transform,
          mean: f.mean, standardDeviation: f.standardDeviation, min: f.min, max: f.max, edges: typedArrayToJSON(f.edges),
        };
    }
  });
  return { kind: "feature-encoder", version: 1, normalize: encoder.normalize, fields };
}

function stringList(fn: string, field: string, value: unknown): string[] {
  if (!Array.isArray(value)) badModel(fn, field, "be an array of strings", value);
  const seen = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v !== "string") badModel(fn, `${field}[${i}]`, "be a string", v);
    if (seen.has(v)) badModel(fn, `${field}[${i}]`, "be unique", v);
    seen.add(v);
  }
  return value as string[];
}

function finiteNumber(fn: string, field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) badModel(fn, field, "be a finite number", value);
  return value;
}

/**
 * Rebuilds a feature encoder from its JSON form (parsed), validating every field: kinds, unique field names,
 * vocabularies of unique strings, one finite IDF per tag or token, ascending bucket edges.
 *
 * Complexity: O(vocabulary).
 *
 * @param json - the parsed JSON of {@link featureEncoderToJSON}
 * @returns a new frozen {@link FeatureEncoder} that encodes exactly as the original
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { encodeRows, featureEncoderFromJSON, featureEncoderToJSON, fitFeatureEncoder } from "nextbest/content";
 * const encoder = fitFeatureEncoder([{ tier: "gold" }, { tier: "silver" }], [{ field: "tier", kind: "categorical" }]);
 * const copy = featureEncoderFromJSON(JSON.parse(JSON.stringify(featureEncoderToJSON(encoder))));
 * Array.from(encodeRows(copy, [{ tier: "silver" }]).data); // => [0, 1]
 * featureEncoderFromJSON({ ...featureEncoderToJSON(encoder), fields: [] });
 * // throws NextbestError E_BAD_MODEL: "featureEncoderFromJSON: json.fields must be a non-empty array of fields, got array of length 0"
 * ```
 * @category content
 */
export function featureEncoderFromJSON(json: unknown): FeatureEncoder {
  const fn = "featureEncoderFromJSON";
  const record = readModelEnvelope(fn, json, "feature-encoder", [1]);
  const normalize = record["normalize"];
  if (typeof normalize !== "boolean") badModel(fn, "json.normalize", "be a boolean", normalize);
  const list = record["fields"];
  if (!Array.isArray(list) || list.length === 0) badModel(fn, "json.fields", "be a non-empty array of fields", list);
  const names = new Set<string>();
  const fields: FittedField[] = [];
  let offset = 0;
  for (let s = 0; s < list.length; s++) {
    const where = `json.fields[${s}]`;
    const f: unknown = list[s];
    if (typeof f !== "object" || f === null || Array.isArray(f)) badModel(fn, where, "be an object", f);
    const r = f as Record<string, unknown>;
    const field = r["field"];
    if (typeof field !== "string") badModel(fn, `${where}.field`, "be a string", field);
    if (names.has(field)) badModel(fn, `${where}.field`, "be unique", field);
    names.add(field);
    const weight = finiteNumber(fn, `${where}.weight`, r["weight"]);
    if (weight < 0) badModel(fn, `${where}.weight`, "be >= 0", weight);
    let fitted: FittedField;
    const kind = r["kind"];
    if (kind === "categorical") {
      fitted = { kind, field, weight, offset, categories: Object.freeze([...stringList(fn, `${where}.categories`, r["categories"])]) };
    } else if (kind === "tags" || kind === "text") {
      const key = kind === "tags" ? "tags" : "tokens";
      const vocabulary = Object.freeze([...stringList(fn, `${where}.${key}`, r[key])]);
      const idf = float64ArrayFromJSON(fn, `${where}.idf`, r["idf"], { length: vocabulary.length, lengthMeaning: `one per ${key === "tags" ? "tag" : "token"}` });
      if (kind === "tags") fitted = { kind, field, weight, offset, tags: vocabulary, idf };
      else {
        const sublinearTf = r["sublinearTf"];
        if (typeof sublinearTf !== "boolean") badModel(fn, `${where}.sublinearTf`, "be a boolean", sublinearTf);
        fitted = { kind, field, weight, offset, tokens: vocabulary, idf, sublinearTf };
      }
    } else if (kind === "numeric") {
      const transform = r["transform"];
      if (typeof transform !== "string" || !(TRANSFORMS as readonly string[]).includes(transform)) {
        badModel(fn, `${where}.transform`, `be one of ${TRANSFORMS.join(", ")}`, transform);
      }
      const standardDeviation = finiteNumber(fn, `${where}.standardDeviation`, r["standardDeviation"]);
      if (standardDeviation < 0) badModel(fn, `${where}.standardDeviation`, "be >= 0", standardDeviation);
      const edges = float64ArrayFromJSON(fn, `${where}.edges`, r["edges"]);
      for (let e = 1; e < edges.length; e++) if (!(edges[e]! > edges[e - 1]!)) badModel(fn, `${where}.edges[${e}]`, "be greater than the previous edge", edges[e]);
      fitted = {
        kind, field, weight, offset, transform: transform as NumericTransform,
        mean: finiteNumber(fn, `${where}.mean`, r["mean"]), standardDeviation,
        min: finiteNumber(fn, `${where}.min`, r["min"]), max: finiteNumber(fn, `${where}.max`, r["max"]), edges,
      };
    } else {
      return badModel(fn, `${where}.kind`, `be one of ${KINDS.join(", ")}`, kind);
    }
    fields.push(Object.freeze(fitted));
    offset += widthOf(fitted);
  }
  return buildEncoder(normalize, fields);
}

/** (x − mean) / sd, also when x − mean overflows (values near ±1e308): then as x / sd − mean / sd. */
function standardized(x: number, mean: number, standardDeviation: number): number {
  const v = (x - mean) / standardDeviation;
  return Number.isFinite(v) ? v : x / standardDeviation - mean / standardDeviation;
}

/** (x − min) / (max − min), on halves when a difference overflows (exact for normal numbers). */
function rescaled(x: number, min: number, max: number): number {
  const width = max - min;
  return Number.isFinite(width) && Number.isFinite(x - min) ? (x - min) / width : (x / 2 - min / 2) / (max / 2 - min / 2);
}
