/**
 * Ready-made feature encodings of the synthetic B2B sample, for content, look-alike and intent models.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { encodeRows, fitFeatureEncoder, type FeatureRow, type FieldSpec } from "../content/encoder.ts";
import type { IntentCatalog } from "../content/intent.ts";
import type { ContentItems } from "../content/recommender.ts";
import type { B2bSample } from "./b2b-sample.ts";

/**
 * What {@link b2bSampleFeatures} returns: encoded product and account tables and the products' intent topics.
 *
 * @category datasets
 */
export interface B2bSampleFeatures {
  /** Products encoded from family, tags and price tier (unit rows), for `fitContentRecommender`. */
  readonly products: ContentItems;
  /** Accounts encoded from industry, employee band and technographics (unit rows), for projections and look-alikes. */
  readonly accounts: ContentItems;
  /** Each product's intent topic (its family), for `fitIntentModel`. */
  readonly productTopics: IntentCatalog;
}

const PRODUCT_FIELDS: readonly FieldSpec[] = [
  { field: "family", kind: "categorical" },
  { field: "tags", kind: "tags" },
  { field: "priceTier", kind: "categorical" },
];
const ACCOUNT_FIELDS: readonly FieldSpec[] = [
  { field: "industry", kind: "categorical" },
  { field: "employeeBand", kind: "categorical" },
  { field: "technographics", kind: "tags" },
];

/**
 * Encodes a {@link generateB2bSample} book with the fields that carry its planted signal: products by family,
 * tags (technology and family words, IDF-weighted) and price tier; accounts by industry, employee band and
 * technographics; and each product's family as its intent topic. A starting point for the content, look-alike and
 * intent models (your own tables need their own field choices).
 *
 * Complexity: O((accounts + products) · features).
 *
 * @param sample - the output of `generateB2bSample`
 * @returns the encoded tables and topics
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `sample` is not a B2B sample
 * @example
 * ```ts
 * import { b2bSampleFeatures, generateB2bSample } from "nextbest/datasets";
 * const features = b2bSampleFeatures(generateB2bSample({ accounts: 20, products: 10, seed: 1 }));
 * [features.products.features.rows, features.accounts.features.rows]; // => [10, 20]
 * features.productTopics.topics[0]; // => ["analytics"]
 * ```
 * @category datasets
 */
export function b2bSampleFeatures(sample: B2bSample): B2bSampleFeatures {
  if (typeof sample !== "object" || sample === null || !Array.isArray(sample.products) || !Array.isArray(sample.accounts)) {
    throw new NextbestError("E_BAD_INPUT", `b2bSampleFeatures: sample must be the output of generateB2bSample, got ${describeValue(sample)}`);
  }
  const rows = (records: readonly object[]) => records as unknown as FeatureRow[];
  const encode = (records: readonly object[], fields: readonly FieldSpec[]) => encodeRows(fitFeatureEncoder(rows(records), fields), rows(records));
  return {
    products: { ids: sample.products.map((p) => p.id), features: encode(sample.products, PRODUCT_FIELDS) },
    accounts: { ids: sample.accounts.map((a) => a.id), features: encode(sample.accounts, ACCOUNT_FIELDS) },
    productTopics: { ids: sample.products.map((p) => p.id), topics: sample.products.map((p) => [p.family]) },
  };
}
