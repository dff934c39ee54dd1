/**
 * `nextbest/segments`: customer segmentation for B2B books ("one size does not fit all") — seeded k-means with
 * k-means++ seeding on Float64Array rows, the silhouette (exact or sampled), an elbow table to choose k, plain-words
 * profiles of each segment against the whole population, and a one-call pipeline over content's feature encoder.
 *
 * @module segments
 */
export type { SegmentData } from "./matrix.ts";
export {
  fitKMeans,
  predictKMeans,
  kMeansToJSON,
  kMeansFromJSON,
  type KMeansOptions,
  type KMeansModel,
  type KMeansModelJSON,
} from "./kmeans.ts";
export { silhouette, type SilhouetteOptions, type Silhouette } from "./silhouette.ts";
export { kMeansElbow, type ElbowOptions, type ElbowRow, type ElbowTable } from "./elbow.ts";
export {
  profileSegments,
  type ProfileField,
  type ProfileCategoricalField,
  type ProfileTagsField,
  type ProfileNumericField,
  type ProfileOptions,
  type SegmentHighlight,
  type SegmentProfile,
} from "./profile.ts";
export { segmentRows, assignSegments, type SegmentRowsOptions, type Segmentation } from "./segment-rows.ts";
