/**
 * `nextbest/baselines`: the popularity and random recommenders, the reference baselines every model is measured
 * against and the library's last-resort cold-start fallback. Each is a plain versioned model with JSON helpers and
 * an adapter to the `nextbest/recommend` contract.
 *
 * @module baselines
 */
export {
  fitPopularity,
  popularityRecommender,
  popularityToJSON,
  popularityFromJSON,
  type PopularityModel,
  type PopularityModelJSON,
  type PopularityOptions,
  type PopularityMeasure,
} from "./popularity.ts";
export {
  fitRandom,
  randomRecommender,
  randomToJSON,
  randomFromJSON,
  type RandomModel,
  type RandomModelJSON,
  type RandomOptions,
} from "./random.ts";
export {
  fitBiases,
  biasRecommender,
  predictBiases,
  biasesToJSON,
  biasesFromJSON,
  type BiasModel,
  type BiasModelJSON,
  type BiasOptions,
  type BiasMethod,
} from "./bias.ts";
