/**
 * `nextbest/pipeline`: the recommended B2B pipeline in one call. `fitNextBestProducts` fits the account's own
 * reorders (`nextbest/repeat`), EASE, ALS, RP3β and popularity, learns how to blend them on the latest days of the
 * history (one blend for new products, one for every product), refits on all of it, and `recommendNextBestProducts`
 * gives each account its next best products with the reasons in plain words. The model is plain versioned data with
 * JSON helpers.
 *
 * @module pipeline
 */
export {
  fitNextBestProducts,
  nextBestProductsRecommender,
  recommendNextBestProducts,
  nextBestProductsToJSON,
  nextBestProductsFromJSON,
  type NextBestComponent,
  type NextBestTask,
  type NextBestProductsOptions,
  type NextBestValidation,
  type NextBestProductsModel,
  type NextBestComponents,
  type NextBestBlends,
  type NextBestValidationRecord,
  type NextBestDroppedComponent,
  type NextBestProductsModelJSON,
  type NextBestRecommenderOptions,
  type NextBestReason,
  type ProductWithReasons,
  type NextBestProducts,
  type RecommendNextBestOptions,
} from "./next-best-products.ts";
export {
  hybridModelToJSON,
  hybridModelFromJSON,
  type SavableModel,
  type HybridModelJSON,
  type LoadedHybrid,
  type HybridModelFromJSONOptions,
} from "./hybrid-json.ts";
