/**
 * `nextbest/linalg`: vectors, dense and CSR matrices, top-k selection, small SPD solvers, a blocked SPD inverse and
 * factor-model scoring, all over flat typed arrays.
 *
 * @module linalg
 */
export type { DenseMatrix, CsrMatrix } from "./types.ts";
export {
  dot,
  norm,
  cosineSimilarity,
  axpy,
  axpyInto,
  scale,
  type VectorLike,
  type FloatVector,
} from "./vectors.ts";
export {
  denseMatrix,
  denseZeros,
  denseIdentity,
  denseFromRows,
  denseToRows,
  matmul,
  matVec,
  transpose,
  gram,
  type MatmulOptions,
  type MatVecOptions,
} from "./dense.ts";
export { toMlMatrix, fromMlMatrix } from "./ml-matrix-interop.ts";
export {
  csrFromTriplets,
  csrTranspose,
  csrToTriplets,
  csrRow,
  csrMultiplyDense,
  csrToDense,
  csrFromDense,
  type DuplicatePolicy,
  type Triplets,
  type CsrTriplets,
  type CsrFromTripletsOptions,
  type CsrRowView,
} from "./csr.ts";
export { topK, type TopKOptions } from "./topk.ts";
export {
  choleskyFactor,
  choleskySolve,
  choleskySolveWithFactor,
  conjugateGradient,
  createConjugateGradientWorkspace,
  type CholeskyFactorization,
  type CholeskyOptions,
  type CholeskySolveWithFactorOptions,
  type LinearOperator,
  type ConjugateGradientOptions,
  type ConjugateGradientResult,
  type ConjugateGradientWorkspace,
} from "./solvers.ts";
export { spdInverse, type SpdInverseOptions } from "./spd-inverse.ts";
export {
  scoreAgainstFactors,
  scoreAllAgainstFactors,
  topKAgainstFactors,
  prepareFactorScoring,
  type FactorScorer,
  type FactorScoringOptions,
  type TopKAgainstFactorsOptions,
  type TopKAgainstFactorsResult,
} from "./scoring.ts";
export { simdAvailable, type KernelChoice } from "./wasm/simd.ts";
export { availableThreads, prepareThreads } from "./wasm/threads.ts";
