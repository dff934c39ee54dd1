/**
 * `nextbest/neighbors`: neighbourhood collaborative filtering. Explicit kNN rating models, item-based and user-based
 * (Surprise's KNNBasic / KNNWithMeans / KNNBaseline with cosine, Pearson, pearson-baseline, adjusted cosine and
 * Jaccard similarities), and item-item models for implicit feedback (implicit's cosine, TF-IDF and BM25
 * recommenders). Similarities are computed sparsely over co-rated pairs and only the best neighbours per entity are
 * kept. Every model is plain versioned data with JSON helpers and an adapter to the `nextbest/recommend` contract.
 *
 * @module neighbors
 */
export {
  computeNeighbors,
  type SimilarityMeasure,
  type NeighborBasis,
  type NeighborOptions,
  type NeighborLists,
} from "./similarity.ts";
export {
  fitItemKnn,
  fitUserKnn,
  knnRecommender,
  predictKnn,
  knnToJSON,
  knnFromJSON,
  type KnnModel,
  type KnnModelJSON,
  type KnnOptions,
  type KnnVariant,
} from "./knn.ts";
export {
  fitItemItemImplicit,
  itemItemImplicitRecommender,
  itemItemImplicitToJSON,
  itemItemImplicitFromJSON,
  type ItemItemImplicitModel,
  type ItemItemImplicitModelJSON,
  type ItemItemImplicitOptions,
  type ImplicitWeighting,
} from "./item-item-implicit.ts";
export { similarItems, similarUsers, type SimilarOptions, type SimilarEntry } from "./similar.ts";
