/**
 * `nextbest/content`: content-based features and similarity for products and accounts — a schema-driven feature
 * encoder (categories, tags, numbers, short text) that also encodes unseen rows, exact blocked cosine top-k, look-alike
 * accounts, a content recommender on the shared contract that can recommend products nobody has bought yet, and a
 * buyer-intent recommender (recent, decayed intent topics matched to product topics).
 *
 * @module content
 */
export {
  fitFeatureEncoder,
  encodeRows,
  featureEncoderToJSON,
  featureEncoderFromJSON,
  type FeatureRow,
  type FieldSpec,
  type CategoricalField,
  type TagsField,
  type NumericField,
  type NumericTransform,
  type TextField,
  type FeatureEncoderOptions,
  type FeatureEncoder,
  type FeatureEncoderJSON,
  type FittedField,
  type FittedCategoricalField,
  type FittedTagsField,
  type FittedNumericField,
  type FittedTextField,
} from "./encoder.ts";
export {
  similarRows,
  lookAlikes,
  type SimilarRows,
  type SimilarRowsOptions,
  type LookAlikes,
  type LookAlikeOptions,
  type LookAlikeMethod,
} from "./similarity.ts";
export {
  fitContentRecommender,
  contentRecommender,
  contentToJSON,
  contentFromJSON,
  type ContentItems,
  type ContentOptions,
  type ContentRecommenderOptions,
  type ContentModel,
  type ContentProfileWeighting,
  type ContentModelJSON,
  type ValueWeighting,
} from "./recommender.ts";
export {
  fitFirmographicProjection,
  type FirmographicProjectionOptions,
} from "./projection.ts";
export {
  fitIntentModel,
  intentRecommender,
  intentToJSON,
  intentFromJSON,
  type IntentSignal,
  type IntentCatalog,
  type IntentOptions,
  type IntentModel,
  type IntentModelJSON,
} from "./intent.ts";
export {
  fitLookAlikeModel,
  lookAlikeRecommender,
  lookAlikeToJSON,
  lookAlikeFromJSON,
  type LookAlikeModel,
  type LookAlikeModelJSON,
  type LookAlikeModelOptions,
} from "./look-alike-recommender.ts";
export { parseFeatureTable, type FeatureTable, type FeatureTableOptions } from "./table.ts";
