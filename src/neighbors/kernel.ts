// The sparse similarity kernel of the neighbourhood models: for every row entity (an item, or a user), the
// similarities to the entities it shares at least one rater with, computed over co-rated pairs only, of which the
// best `stored` are kept. No dense n × n matrix is built: per row, dense accumulators over the row entities are
// filled through the transpose (item → its raters → their items), read back through a list of touched entities,
// and reset. Memory: O(entities) of workspace plus the kept lists. Not exported by the barrel.
import type { ProgressCallback } from "../core/progress.ts";
import type { CsrMatrix } from "../linalg/types.ts";
import { createTopKWorkspace, selectTopK } from "../linalg/topk.ts";
import { openKernelArena } from "../linalg/wasm/threads.ts";

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
  /**
   * Threads of mode "dot"'s WebAssembly kernel (worker threads over one shared memory), used from
   * {@link THREADED_MIN_PAIRS} co-rated pairs; every thread count gives the same lists. @defaultValue 1
   */
  readonly threads?: number;
  /** Co-rated pairs from which `threads` applies (tests lower it). @defaultValue {@link THREADED_MIN_PAIRS} */
  readonly threadedMinPairs?: number;
}

/** Co-rated pairs (Σ over raters of their entities squared) from which mode "dot" runs on the threads asked for. */
export const THREADED_MIN_PAIRS = 20_000_000;

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
  // Mode "dot" runs whole on the WebAssembly kernel where it can (same arithmetic in the same order, same ordering of
  // the kept neighbours: identical lists).
  if (mode === "dot" && stored > 0 && input.kernels !== "javascript") {
    const lists = neighborListsWasm(input, stored);
    if (lists !== undefined) return lists;
  }
  const count = new Int32Array(n);
  const prod = new Float64Array(n);
  const sqA = mode === "normalized" || mode === "pearson" ? new Float64Array(n) : prod;
  const sqB = mode === "normalized" || mode === "pearson" ? new Float64Array(n) : prod;
  const sumA = mode === "pearson" ? new Float64Array(n) : prod;
  const sumB = mode === "pearson" ? new Float64Array(n) : prod;
  const touched = new Int32Array(n);
  const candidateScores = new Float64Array(n);
  const candidateIndex = new Int32Array(n);
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
    if (!dense) {
      touched.subarray(0, touchedCount).sort();
    } else {
      touchedCount = 0;
      for (let b = 0; b < n; b++) if (count[b] !== 0) touched[touchedCount++] = b;
    }
    const sizeA = end - start;
    for (let t = 0; t < touchedCount; t++) {
      const b = touched[t]!;
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

/**
 * Mode "dot" on the WebAssembly kernel `neighborRowsDot`, rows split among `input.threads` threads by their co-rated
 * pairs, or undefined where the kernels cannot run or the lists' slots do not fit in its memory.
 */
function neighborListsWasm(input: KernelInput, stored: number): NeighborArrays | undefined {
  const { rows, columns, rowValues, columnValues, minSupport, shrinkage, positiveOnly, onProgress } = input;
  const n = rows.rows;
  const nnz = rows.indptr[n]!;
  const raters = columns.rows;
  // Each row's work: the co-rated pairs it visits.
  const work = new Float64Array(n + 1);
  for (let a = 0; a < n; a++) {
    let pairs = 0;
    for (let p = rows.indptr[a]!; p < rows.indptr[a + 1]!; p++) {
      const c = rows.indices[p]!;
      pairs += columns.indptr[c + 1]! - columns.indptr[c]!;
    }
    work[a + 1] = work[a]! + pairs;
  }
  const threads = work[n]! >= (input.threadedMinPairs ?? THREADED_MIN_PAIRS) ? Math.max(1, input.threads ?? 1) : 1;
  const opened = openKernelArena(
    new Map([
      ["params", 64],
      ["rp", 4 * (n + 1)],
      ["rc", 4 * nnz],
      ["rowValues", 8 * nnz],
      ["cp", 4 * (raters + 1)],
      ["ce", 4 * nnz],
      ["columnValues", 8 * nnz],
      ["outScores", 8 * n * stored],
      ["outIndices", 4 * n * stored],
      ["outKept", 4 * n],
    ]),
    new Map([["work", 16 * n + 12 * stored]]),
    threads,
  );
  if (opened === undefined) return undefined;
  const { arena, threaded } = opened;
  try {
    arena.i32("rp").set(rows.indptr.subarray(0, n + 1));
    arena.i32("rc").set(rows.indices.subarray(0, nnz));
    arena.f64("rowValues").set(rowValues.subarray(0, nnz));
    arena.i32("cp").set(columns.indptr.subarray(0, raters + 1));
    arena.i32("ce").set(columns.indices.subarray(0, nnz));
    arena.f64("columnValues").set(columnValues.subarray(0, nnz));
    const at = (name: string): number => arena.offsets.get(name)!;
    const params = arena.i32("params");
    params.set([at("rp"), at("rc"), at("rowValues"), at("cp"), at("ce"), at("columnValues"), at("outScores"), at("outIndices"), at("outKept"), n, stored, minSupport, positiveOnly ? 1 : 0, positiveOnly && minSupport <= 1 && shrinkage === 0 ? 1 : 0]);
    arena.f64("params")[7] = shrinkage;
    const parts = opened.threads;
    // Without progress reports, one call per thread; with them, about a hundred steps over the rows.
    const steps = onProgress === undefined ? 1 : Math.min(100, n);
    for (let step = 0, first = 0; step < steps; step++) {
      const last = Math.round((n * (step + 1)) / steps);
      const calls: number[][] = [];
      for (let t = 0, from = first; t < parts; t++) {
        let to = from;
        const target = work[first]! + ((work[last]! - work[first]!) * (t + 1)) / parts;
        while (to < last && (t === parts - 1 || work[to + 1]! <= target)) to++;
        calls.push([from, to, at("params"), at(`work${t}`)]);
        from = to;
      }
      if (threaded !== undefined) threaded.run("neighborRowsDot", calls);
      else arena.kernels.neighborRowsDot(calls[0]![0]!, calls[0]![1]!, calls[0]![2]!, calls[0]![3]!);
      if (onProgress !== undefined) onProgress({ phase: "similarities", step: last, total: n });
      first = last;
    }
    const kept = arena.i32("outKept");
    const slotScores = arena.f64("outScores");
    const slotIndices = arena.i32("outIndices");
    const indptr = new Int32Array(n + 1);
    for (let a = 0; a < n; a++) indptr[a + 1] = indptr[a]! + kept[a]!;
    const total = indptr[n]!;
    const indices = new Int32Array(total);
    const similarities = new Float64Array(total);
    for (let a = 0; a < n; a++) {
      const from = a * stored;
      indices.set(slotIndices.subarray(from, from + kept[a]!), indptr[a]!);
      similarities.set(slotScores.subarray(from, from + kept[a]!), indptr[a]!);
    }
    return { indptr, indices, similarities };
  } finally {
    opened.close();
  }
}
