/**
 * `nextbest/neighbors`: neighbourhood collaborative filtering. Explicit kNN rating models, item-based and user-based
 * (Surprise's KNNBasic / KNNWithMeans / KNNBaseline with cosine, Pearson, pearson-baseline, adjusted cosine and
 * Jaccard similarities), item-item models for implicit feedback (implicit's cosine, TF-IDF and BM25
 * recommenders), EASE (Steck 2019: dense item-item weights in closed form) and RP3β (Paudel et al. 2017: a
 * popularity-discounted random walk). Similarities are computed sparsely over co-rated pairs and only the best
 * neighbours per entity are kept (EASE keeps all). Every model is plain versioned data with JSON helpers and an
 * adapter to the `nextbest/recommend` contract.
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
export {
  fitEase,
  easeRecommender,
  easeToJSON,
  easeFromJSON,
  type EaseModel,
  type EaseModelJSON,
  type EaseOptions,
  type EaseRecency,
  type EaseRecencyJSON,
} from "./ease.ts";
export {
  fitRp3Beta,
  rp3BetaRecommender,
  rp3BetaToJSON,
  rp3BetaFromJSON,
  type Rp3BetaModel,
  type Rp3BetaModelJSON,
  type Rp3BetaOptions,
} from "./rp3beta.ts";
export { similarItems, similarUsers, type SimilarOptions, type SimilarEntry } from "./similar.ts";
