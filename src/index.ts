/**
 * nextbest: recommenders for B2B sales. The root entry re-exports every domain except the Node-only
 * `nextbest/node`; import from a subpath (`nextbest/linalg`, ...) or from here, and a bundler keeps only what you use.
 *
 * @module nextbest
 */
export * from "./core/index.ts";
export * from "./linalg/index.ts";
export * from "./data/index.ts";
export * from "./recommend/index.ts";
export * from "./baselines/index.ts";
export * from "./metrics/index.ts";
export * from "./evaluation/index.ts";
export * from "./neighbors/index.ts";
export * from "./factorization/index.ts";
export * from "./datasets/index.ts";
export * from "./content/index.ts";
export * from "./hybrid/index.ts";
export * from "./classifiers/index.ts";
export * from "./accounts/index.ts";
export * from "./sequence/index.ts";
export * from "./segments/index.ts";
export * from "./drift/index.ts";
export * from "./experiments/index.ts";
export * from "./explain/index.ts";
export * from "./repeat/index.ts";
export * from "./pipeline/index.ts";
