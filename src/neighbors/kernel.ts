// The sparse similarity kernel of the neighbourhood models: for every row entity (an item, or a user), the
// similarities to the entities it shares at least one rater with, computed over co-rated pairs only, of which the
// best `stored` are kept. No dense n × n matrix is built: per row, dense accumulators over the row entities are
// filled through the transpose (item → its raters → their items), read back through a list of touched entities,
// and reset. Memory: O(entities) of workspace plus the kept lists. Not exported by the barrel.
import type { ProgressCallback } from "../core/progress.ts";
import type { CsrMatrix } from "../linalg/types.ts";
import { createTopKWorkspace, selectTopK } from "../linalg/topk.ts";
import { createKernelArena } from "../linalg/wasm/simd.ts";

/**
 * How co-rated pairs are combined.
 * - `"normalized"`: Σ x·y / sqrt(Σ x² · Σ y²), sums over the co-rated pairs (cosine, adjusted cosine, pearson-baseline
 *   once the values are centered).
 * - `"pearson"`: the Pearson correlation of the co-rated pairs with means over those pairs.
 * - `"jaccard"`: |co-rated| / (|raters of a| + |raters of b| − |co-rated|).
 * - `"dot"`: Σ x·y (values pre-weighted and pre-normalized by the caller, as implicit does).
 */
export type KernelMode = "normalized" | "pearson" | "jaccard" | "dot";

/** Input of {@link computeNeighborLists}. */
export interface KernelInput {
  /** entities × raters; only its pattern is read (values come from `rowValues`). */
  readonly rows: CsrMatrix;
  /** raters × entities, the transpose of `rows`. */
  readonly columns: CsrMatrix;
  /** The value of each stored entry of `rows`, as the similarity sees it (e.g. centered). */
  readonly rowValues: Float64Array;
  /** The value of each stored entry of `columns`, computed exactly as the matching entry of `rowValues`. */
  readonly columnValues: Float64Array;
  readonly mode: KernelMode;
  /** Pairs with fewer co-raters get no similarity. */
  readonly minSupport: number;
  /** λ ≥ 0: similarities are multiplied by (n − 1) / (n − 1 + λ), n the support; 0 leaves them as they are. */
  readonly shrinkage: number;
  /** How many neighbours to keep per entity at most. */
  readonly stored: number;
  /** Keep only similarities > 0 (those that can contribute to a prediction). */
  readonly positiveOnly: boolean;
  /** Reports progress about a hundred times over the entities (`phase` `"similarities"`). */
  readonly onProgress?: ProgressCallback | undefined;
  /** `"javascript"` keeps mode "dot" off the WebAssembly kernel (tests compare both). @defaultValue "auto" */
  readonly kernels?: "auto" | "javascript";
}

/** Per-entity neighbour lists: entity e's neighbours are `indices[indptr[e] .. indptr[e+1])`, best first. */
export interface NeighborArrays {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly similarities: Float64Array;
}

/** Computes the neighbour lists. Trusts its inputs. */
export function computeNeighborLists(input: KernelInput): NeighborArrays {
  const { rows, columns, rowValues, columnValues, mode, minSupport, shrinkage, positiveOnly } = input;
  const n = rows.rows;
  const stored = Math.max(0, Math.min(input.stored, n - 1));
  const { indptr: rp, indices: rc } = rows;
  const { indptr: cp, indices: ce } = columns;
  // Mode "dot" accumulates on the WebAssembly kernel where it runs (same arithmetic, same order: identical lists);
  // its accumulators and touched list then live in the kernel's memory.
  const wasm = mode === "dot" && n > 0 && input.kernels !== "javascript" ? coRatingKernel(rows, columns, rowValues, columnValues) : undefined;
  const count = wasm?.count ?? new Int32Array(n);
  const prod = wasm?.prod ?? new Float64Array(n);
  const sqA = mode === "normalized" || mode === "pearson" ? new Float64Array(n) : prod;
  const sqB = mode === "normalized" || mode === "pearson" ? new Float64Array(n) : prod;
  const sumA = mode === "pearson" ? new Float64Array(n) : prod;
  const sumB = mode === "pearson" ? new Float64Array(n) : prod;
  const touched = wasm?.touched ?? new Int32Array(n);
  const candidateScores = wasm?.candidateScores ?? new Float64Array(n);
  const candidateIndex = wasm?.candidateIndex ?? new Int32Array(n);
  const workspace = createTopKWorkspace(stored);
  const picked = new Int32Array(stored);
  let outIndices = new Int32Array(Math.min(n * stored, 1 << 16));
  let outSimilarities = new Float64Array(outIndices.length);
  const indptr = new Int32Array(n + 1);
  let total = 0;
  const every = Math.max(1, Math.floor(n / 100));
  for (let a = 0; a < n; a++) {
    let touchedCount = 0;
    const start = rp[a]!;
    const end = rp[a + 1]!;
    // Accumulate over co-rated pairs: for each rater c of a, every other entity b rated by c.
    if (mode === "normalized") {
      for (let p = start; p < end; p++) {
        const c = rc[p]!;
        const x = rowValues[p]!;
        const xx = x * x;
        for (let q = cp[c]!; q < cp[c + 1]!; q++) {
          const b = ce[q]!;
          if (b === a) continue;
          if (count[b] === 0) touched[touchedCount++] = b;
          count[b]!++;
          const y = columnValues[q]!;
          prod[b]! += x * y;
          sqA[b]! += xx;
          sqB[b]! += y * y;
        }
      }
    } else if (mode === "pearson") {
      for (let p = start; p < end; p++) {
        const c = rc[p]!;
        const x = rowValues[p]!;
        const xx = x * x;
        for (let q = cp[c]!; q < cp[c + 1]!; q++) {
          const b = ce[q]!;
          if (b === a) continue;
          if (count[b] === 0) touched[touchedCount++] = b;
          count[b]!++;
          const y = columnValues[q]!;
          prod[b]! += x * y;
          sqA[b]! += xx;
          sqB[b]! += y * y;
          sumA[b]! += x;
          sumB[b]! += y;
        }
      }
    } else if (wasm !== undefined) {
      touchedCount = wasm.accumulate(a, start, end);
    } else if (mode === "dot") {
      for (let p = start; p < end; p++) {
        const c = rc[p]!;
        const x = rowValues[p]!;
        for (let q = cp[c]!; q < cp[c + 1]!; q++) {
          const b = ce[q]!;
          if (b === a) continue;
          if (count[b] === 0) touched[touchedCount++] = b;
          count[b]!++;
          prod[b]! += x * columnValues[q]!;
        }
      }
    } else {
      for (let p = start; p < end; p++) {
        const c = rc[p]!;
        for (let q = cp[c]!; q < cp[c + 1]!; q++) {
          const b = ce[q]!;
          if (b === a) continue;
          if (count[b] === 0) touched[touchedCount++] = b;
          count[b]!++;
        }
      }
    }
    // Ascending entity order, so that equal similarities keep the lower index first (deterministic lists): sort the
    // touched list when it is short, else (most entities touched, as on dense data) rebuild it by one ordered scan.
    const dense = touchedCount * Math.log2(touchedCount + 1) >= n;
    let candidates = 0;
    if (wasm !== undefined && dense) {
      candidates = wasm.collect(minSupport, shrinkage, positiveOnly);
    } else if (!dense) {
      touched.subarray(0, touchedCount).sort();
    } else {
      touchedCount = 0;
      for (let b = 0; b < n; b++) if (count[b] !== 0) touched[touchedCount++] = b;
    }
    if (!(wasm !== undefined && dense)) {
      const touchedView = touched;
      const sizeA = end - start;
      for (let t = 0; t < touchedCount; t++) {
        const b = touchedView[t]!;
        const support = count[b]!;
        let similarity = 0;
        if (support >= minSupport) {
          if (mode === "normalized") {
            const denominator = Math.sqrt(sqA[b]! * sqB[b]!);
            similarity = denominator > 0 ? prod[b]! / denominator : 0;
          } else if (mode === "pearson") {
            const numerator = support * prod[b]! - sumA[b]! * sumB[b]!;
            const varianceA = support * sqA[b]! - sumA[b]! * sumA[b]!;
            const varianceB = support * sqB[b]! - sumB[b]! * sumB[b]!;
            const denominator = Math.sqrt(varianceA * varianceB);
            similarity = varianceA > 0 && varianceB > 0 && denominator > 0 ? numerator / denominator : 0;
          } else if (mode === "dot") {
            similarity = prod[b]!;
          } else {
            similarity = support / (sizeA + (rp[b + 1]! - rp[b]!) - support);
          }
          if (mode !== "dot") similarity = similarity > 1 ? 1 : similarity < -1 ? -1 : similarity;
          if (shrinkage > 0) similarity *= (support - 1) / (support - 1 + shrinkage);
        }
        // reset the accumulators for the next row
        count[b] = 0;
        prod[b] = 0;
        sqA[b] = 0;
        sqB[b] = 0;
        sumA[b] = 0;
        sumB[b] = 0;
        if (support < minSupport || similarity !== similarity) continue;
        if (positiveOnly && similarity <= 0) continue;
        candidateScores[candidates] = similarity;
        candidateIndex[candidates] = b;
        candidates++;
      }
    }
    const kept = stored === 0 ? 0 : selectTopK(candidateScores, candidates, undefined, workspace, picked, 0);
    if (total + kept > outIndices.length) {
      const capacity = Math.max(total + kept, Math.min(n * stored, outIndices.length * 2));
      const grownIndices = new Int32Array(capacity);
      grownIndices.set(outIndices.subarray(0, total));
      const grownSimilarities = new Float64Array(capacity);
      grownSimilarities.set(outSimilarities.subarray(0, total));
      outIndices = grownIndices;
      outSimilarities = grownSimilarities;
    }
    for (let t = 0; t < kept; t++) {
      const position = picked[t]!;
      outIndices[total] = candidateIndex[position]!;
      outSimilarities[total] = candidateScores[position]!;
      total++;
    }
    indptr[a + 1] = total;
    if (input.onProgress !== undefined && ((a + 1) % every === 0 || a + 1 === n)) input.onProgress({ phase: "similarities", step: a + 1, total: n });
  }
  return { indptr, indices: outIndices.slice(0, total), similarities: outSimilarities.slice(0, total) };
}

/** The co-rating accumulation of mode "dot" on the WebAssembly kernel, with its accumulators as views of its memory. */
interface CoRatingKernel {
  readonly count: Int32Array;
  readonly prod: Float64Array;
  readonly touched: Int32Array;
  readonly candidateScores: Float64Array;
  readonly candidateIndex: Int32Array;
  /** Accumulates entity a's co-ratings over its entries start .. end; returns the touched count (from 0). */
  accumulate(a: number, start: number, end: number): number;
  /** Writes the candidates of every touched entity in ascending order and resets the accumulators; returns their count. */
  collect(minSupport: number, shrinkage: number, positiveOnly: boolean): number;
}

/** Lays out both matrices and the accumulators in a kernels instance, or undefined where the kernels cannot run. */
function coRatingKernel(rows: CsrMatrix, columns: CsrMatrix, rowValues: Float64Array, columnValues: Float64Array): CoRatingKernel | undefined {
  const n = rows.rows;
  const nnz = rows.indptr[n]!;
  const raters = columns.rows;
  const arena = createKernelArena(
    new Map([
      ["rc", 4 * nnz],
      ["rowValues", 8 * nnz],
      ["cp", 4 * (raters + 1)],
      ["ce", 4 * nnz],
      ["columnValues", 8 * nnz],
      ["count", 4 * n],
      ["prod", 8 * n],
      ["touched", 4 * n],
      ["candidateScores", 8 * n],
      ["candidateIndex", 4 * n],
    ]),
  );
  if (arena === undefined) return undefined;
  arena.i32("rc").set(rows.indices.subarray(0, nnz));
  arena.f64("rowValues").set(rowValues.subarray(0, nnz));
  arena.i32("cp").set(columns.indptr);
  arena.i32("ce").set(columns.indices.subarray(0, nnz));
  arena.f64("columnValues").set(columnValues.subarray(0, nnz));
  const at = (name: string): number => arena.offsets.get(name)!;
  const [rc, rv, cp, ce, cv, count, prod, touched, scores, index] = [
    "rc", "rowValues", "cp", "ce", "columnValues", "count", "prod", "touched", "candidateScores", "candidateIndex",
  ].map(at) as [number, number, number, number, number, number, number, number, number, number];
  return {
    count: arena.i32("count"),
    prod: arena.f64("prod"),
    touched: arena.i32("touched"),
    candidateScores: arena.f64("candidateScores"),
    candidateIndex: arena.i32("candidateIndex"),
    accumulate: (a, start, end) => arena.kernels.accumulateCoRatings(a, start, end, rc, rv, cp, ce, cv, count, prod, touched, 0),
    collect: (minSupport, shrinkage, positiveOnly) =>
      arena.kernels.collectDotCandidates(n, count, prod, scores, index, minSupport, shrinkage, positiveOnly ? 1 : 0),
  };
}
