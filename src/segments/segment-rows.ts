/**
 * Segmentation end to end: encode raw rows, cluster them with k-means, score the silhouette and profile each segment.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Seed } from "../core/random.ts";
import { encodeRowsFor, fitFeatureEncoderFor, type FeatureEncoder, type FeatureRow, type FieldSpec } from "../content/encoder.ts";
import { assertInteger } from "../internal/validate.ts";
import { fitKMeansFor, predictKMeansFor, type fitKMeans, type predictKMeans, type KMeansModel } from "./kmeans.ts";
import { MAX_SEGMENTS, profileSegmentsFor, type profileSegments, type ProfileField, type ProfileOptions, type SegmentProfile } from "./profile.ts";
import { silhouette } from "./silhouette.ts";

/** Options of {@link segmentRows}. @category segments */
export interface SegmentRowsOptions {
  /** The features to cluster on, encoded by content's `fitFeatureEncoder` (scale numbers: `"standardize"` or `"log1p"`). */
  schema: readonly FieldSpec[];
  /** The number of segments: an integer in [1, rows], at most 10,000. */
  k: number;
  /**
   * The fields to describe segments by; they may differ from the clustering features (e.g. profile by channel
   * without clustering on it). @defaultValue the schema's categorical, tags and numeric fields
   */
  profile?: readonly ProfileField[];
  /** Wording thresholds and names of the profiles. @defaultValue \{\} */
  profileOptions?: ProfileOptions;
  /** Scale each encoded row to unit length (cosine geometry) before clustering. @defaultValue false */
  normalize?: boolean;
  /** The k-means seed. @defaultValue 42 */
  seed?: Seed;
  /** k-means restarts. @defaultValue 4 */
  restarts?: number;
  /** Score the silhouette on this many sampled rows. @defaultValue exact up to 3,000 rows, else 2,000 sampled */
  silhouetteSampleSize?: number;
}

/** What {@link segmentRows} returns: everything needed to explain and reuse the segmentation. @category segments */
export interface Segmentation {
  /** The fitted feature encoder (reuse it to assign new rows with {@link assignSegments}). */
  readonly encoder: FeatureEncoder;
  /** The k-means model; `model.labels` is the segment of each input row. */
  readonly model: KMeansModel;
  /** The mean silhouette of the segmentation (NaN for k = 1). */
  readonly silhouette: number;
  /** One plain-words profile per segment. */
  readonly profiles: readonly SegmentProfile[];
}

function defaultProfile(schema: readonly FieldSpec[]): ProfileField[] {
  const out: ProfileField[] = [];
  for (const spec of schema) {
    if (spec.kind === "categorical" || spec.kind === "tags" || spec.kind === "numeric") out.push({ field: spec.field, kind: spec.kind });
  }
  return out;
}

/**
 * Segments raw rows (accounts, customers) in one call: fits content's feature encoder on `schema` (unnormalized by
 * default, so k-means sees the scaled features themselves), runs {@link fitKMeans}, scores the mean
 * {@link silhouette}, and words each segment with {@link profileSegments} from the raw rows. Choose k first with
 * {@link kMeansElbow} on the same encoding.
 *
 * Complexity: encoding O(rows · features), then {@link fitKMeans}, {@link silhouette} and {@link profileSegments}.
 *
 * @param rows - the raw rows (plain objects or Maps)
 * @param options - schema, k, profile fields, seed (see {@link SegmentRowsOptions})
 * @returns the encoder, the k-means model, the silhouette and the profiles
 * @throws {@link core!NextbestError} the errors of `fitFeatureEncoder`, {@link fitKMeans} and {@link profileSegments},
 *   naming `segmentRows` and the argument as passed (`options.schema[0]`, `options.k`, `options.profile[1]`, `rows[3]`)
 * @example
 * ```ts
 * import { segmentRows } from "nextbest/segments";
 * const accounts = [
 *   { industry: "retail", seats: 12 }, { industry: "retail", seats: 15 }, { industry: "retail", seats: 10 },
 *   { industry: "finance", seats: 400 }, { industry: "finance", seats: 380 }, { industry: "finance", seats: 420 },
 * ];
 * const result = segmentRows(accounts, {
 *   schema: [{ field: "seats", kind: "numeric", transform: "log1p" }],
 *   profile: [{ field: "industry", kind: "categorical" }, { field: "seats", kind: "numeric", high: "large", low: "small" }],
 *   k: 2,
 *   seed: 1,
 * });
 * result.profiles.map((profile) => profile.summary); // => ["mostly retail, small", "mostly finance, large"]
 * result.silhouette > 0.9; // => true
 * ```
 * @category segments
 */
export function segmentRows(rows: readonly FeatureRow[], options: SegmentRowsOptions): Segmentation {
  const fn = "segmentRows";
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object with schema and k, got ${describeValue(options)}`);
  }
  if (typeof options.k === "number" && options.k > MAX_SEGMENTS) assertInteger(fn, "options.k", options.k, 1, MAX_SEGMENTS);
  const sampleSize = options.silhouetteSampleSize ?? (Array.isArray(rows) && rows.length > 3000 ? 2000 : undefined);
  if (sampleSize !== undefined) assertInteger(fn, "options.silhouetteSampleSize", sampleSize, 1);
  const encoder = fitFeatureEncoderFor(fn, "options.schema", rows, options.schema, { normalize: options.normalize ?? false });
  const features = encodeRowsFor(fn, encoder, rows);
  const model = fitKMeansFor(fn, features, { k: options.k, seed: options.seed ?? 42, restarts: options.restarts ?? 4 });
  let nonEmpty = 0;
  for (let c = 0; c < model.k; c++) if (model.sizes[c]! > 0) nonEmpty++;
  const score = nonEmpty < 2
    ? Number.NaN
    : silhouette(features, model.labels, sampleSize === undefined ? { seed: options.seed ?? 42 } : { sampleSize, seed: options.seed ?? 42 }).mean;
  const profiles = profileSegmentsFor(
    fn,
    { fields: options.profile === undefined ? "options.schema" : "options.profile", options: "options.profileOptions" },
    rows,
    model.labels,
    options.profile ?? defaultProfile(options.schema),
    options.profileOptions ?? {},
  );
  return Object.freeze({ encoder, model, silhouette: score, profiles: Object.freeze(profiles) });
}

/**
 * Assigns new rows to the segments of a {@link Segmentation}: encodes them with its encoder (unknown categories
 * encode as zeros, missing numbers as the fitted mean) and takes the nearest centroid.
 *
 * Complexity: O(rows · (features + k · dimension)).
 *
 * @param segmentation - the output of {@link segmentRows}
 * @param rows - the new rows
 * @returns the segment of each row
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a segmentation not from segmentRows; the errors of `encodeRows`
 *   for a bad row, naming `assignSegments` and `rows[r]`
 * @example
 * ```ts
 * import { assignSegments, segmentRows } from "nextbest/segments";
 * const segmentation = segmentRows(
 *   [{ seats: 10 }, { seats: 12 }, { seats: 900 }, { seats: 1000 }],
 *   { schema: [{ field: "seats", kind: "numeric", transform: "log1p" }], k: 2, seed: 1 },
 * );
 * Array.from(assignSegments(segmentation, [{ seats: 800 }, { seats: 9 }])); // => [1, 0]
 * ```
 * @category segments
 */
export function assignSegments(segmentation: Segmentation, rows: readonly FeatureRow[]): Int32Array {
  const fn = "assignSegments";
  const s = segmentation as Partial<Segmentation> | null;
  const encoder = s?.encoder as Partial<FeatureEncoder> | undefined;
  const model = s?.model as Partial<KMeansModel> | undefined;
  if (typeof s !== "object" || s === null || typeof encoder !== "object" || encoder === null || encoder.kind !== "feature-encoder" || encoder.version !== 1 || !Array.isArray(encoder.fields)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: segmentation must be the output of segmentRows (with a version-1 feature encoder), got ${describeValue(segmentation)}`);
  }
  if (typeof model !== "object" || model === null || model.kind !== "kmeans" || model.version !== 1 || model.dimension !== encoder.dimension) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: segmentation.model must be the k-means model of segmentRows (dimension ${encoder.dimension}), got ${describeValue(model)}`);
  }
  return predictKMeansFor(fn, model as KMeansModel, encodeRowsFor(fn, encoder as FeatureEncoder, rows));
}
