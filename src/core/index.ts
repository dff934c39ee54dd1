/**
 * `nextbest/core`: the error class, seeded randomness and the id index every other module builds on.
 *
 * @module core
 */
export { NextbestError, describeValue, type NextbestErrorCode } from "./errors.ts";
export {
  createRandom,
  randomUniform,
  randomInt,
  randomNormal,
  fillNormal,
  permutation,
  shuffle,
  sampleWithoutReplacement,
  type Seed,
  type RandomGenerator,
  type RandomUniformOptions,
  type RandomNormalOptions,
  type ShuffleOptions,
  type SampleOptions,
} from "./random.ts";
export {
  createIdIndex,
  indexOfId,
  idAt,
  idIndexToJSON,
  idIndexFromJSON,
  type Id,
  type IdIndex,
  type IdIndexJSON,
  type CreateIdIndexOptions,
} from "./id-index.ts";
export { type ProgressEvent, type ProgressCallback } from "./progress.ts";
