/**
 * Top-k selection over a score array.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { assertArrayLike } from "../internal/validate.ts";

/** Options of {@link topK}. @category linalg */
export interface TopKOptions {
  /** How many entries to return (fewer when fewer are eligible). */
  k: number;
  /**
   * Entries to skip: a mask where a non-zero byte at `i` excludes index `i` (for example items the user has seen).
   * Must have the same length as the scores.
   */
  exclude?: Uint8Array;
}

/**
 * The indices of the k largest scores, best first, in O(n log k) time with a bounded min-heap and O(k) memory
 * (O(n) in practice: once the heap is full, most scores fail a single comparison with its root).
 * Scores other than a Float64Array are copied into one first.
 *
 * Ties break by index (the lower index ranks first), so the result is deterministic. NaN is never ranked above a
 * number: NaN scores rank below every number, including -Infinity, and among themselves by index.
 *
 * @param scores - the scores, one per index
 * @param options - k and an optional exclusion mask
 * @returns an Int32Array of at most k indices ordered from the best score down
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when k is not a positive integer, scores is not an array or the mask
 *   is not a Uint8Array, `E_SHAPE` when the mask's length
 *   differs from the scores'
 * @example
 * ```ts
 * import { topK } from "nextbest/linalg";
 * Array.from(topK(new Float64Array([0.1, 0.9, 0.5, 0.9]), { k: 3 })); // => [1, 3, 2]
 * ```
 * @category linalg
 */
export function topK(scores: ArrayLike<number>, options: TopKOptions): Int32Array {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `topK: options must be an object with k, got ${describeValue(options)}`);
  }
  const { k, exclude } = options;
  if (!Number.isInteger(k) || k < 1) {
    throw new NextbestError("E_BAD_INPUT", `topK: options.k must be a positive integer, got ${describeValue(k)}`);
  }
  assertArrayLike("topK", "scores", scores);
  const n = scores.length;
  if (exclude !== undefined && !(exclude instanceof Uint8Array)) {
    throw new NextbestError("E_BAD_INPUT", `topK: options.exclude must be a Uint8Array, got ${describeValue(exclude)}`);
  }
  if (exclude !== undefined && exclude.length !== n) {
    throw new NextbestError(
      "E_SHAPE",
      `topK: options.exclude must have the scores' length ${n}, got length ${exclude.length}`,
    );
  }
  const values = scores instanceof Float64Array ? scores : Float64Array.from(scores);
  const capacity = Math.min(k, n);
  const out = new Int32Array(capacity);
  const size = selectTopK(values, n, exclude, createTopKWorkspace(capacity), out, 0);
  return size === capacity ? out : out.slice(0, size);
}

/** Heap buffers for {@link selectTopK}, reusable across calls with the same or a smaller k. */
export interface TopKWorkspace {
  /** Index of each heap entry. */
  readonly heapIndex: Int32Array;
  /** Score of each heap entry (NaN stored as -Infinity with the flag below). */
  readonly heapScore: Float64Array;
  /** 1 when the heap entry's score is NaN. */
  readonly heapNan: Uint8Array;
}

/** Buffers for selecting up to `capacity` entries. */
export function createTopKWorkspace(capacity: number): TopKWorkspace {
  return { heapIndex: new Int32Array(capacity), heapScore: new Float64Array(capacity), heapNan: new Uint8Array(capacity) };
}

/**
 * Kernel of {@link topK}: writes the indices of the best `workspace.heapIndex.length` scores among
 * `scores[0 .. n)` (skipping `exclude[i] !== 0`) into `out[offset ..]`, best first, and returns how many it wrote.
 * Trusts its inputs; allocates nothing.
 */
export function selectTopK(
  scores: Float64Array,
  n: number,
  exclude: Uint8Array | undefined,
  workspace: TopKWorkspace,
  out: Int32Array,
  offset: number,
): number {
  const { heapIndex, heapScore, heapNan } = workspace;
  const capacity = heapIndex.length;
  if (capacity === 0) return 0;
  // Min-heap of the best `capacity` entries seen so far; root = the worst of them.
  // Keys: NaN is mapped to -Infinity with a "nan" flag so comparisons stay cheap; order is (score, -index).
  let size = 0;
  // Once the heap is full, `threshold` is the root's score when the root is a number (else -Infinity, root NaN):
  // a number strictly below it, or any NaN while the root is a number, cannot enter.
  let threshold = Number.NEGATIVE_INFINITY;
  let rootNan = 1;
  for (let i = 0; i < n; i++) {
    if (exclude !== undefined && exclude[i] !== 0) continue;
    const raw = scores[i]!;
    if (size === capacity) {
      if (raw !== raw) {
        if (rootNan === 0) continue;
      } else if (raw < threshold) continue;
    }
    const isNan = raw !== raw ? 1 : 0;
    const s = isNan ? Number.NEGATIVE_INFINITY : raw;
    if (size < capacity) {
      // sift up
      let pos = size++;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!worse(s, isNan, i, heapScore[parent]!, heapNan[parent]!, heapIndex[parent]!)) break;
        heapScore[pos] = heapScore[parent]!;
        heapNan[pos] = heapNan[parent]!;
        heapIndex[pos] = heapIndex[parent]!;
        pos = parent;
      }
      heapScore[pos] = s;
      heapNan[pos] = isNan;
      heapIndex[pos] = i;
    } else if (worse(heapScore[0]!, heapNan[0]!, heapIndex[0]!, s, isNan, i)) {
      // replace root and sift down
      let pos = 0;
      for (;;) {
        const left = 2 * pos + 1;
        if (left >= size) break;
        const right = left + 1;
        let child = left;
        if (
          right < size &&
          worse(heapScore[right]!, heapNan[right]!, heapIndex[right]!, heapScore[left]!, heapNan[left]!, heapIndex[left]!)
        ) {
          child = right;
        }
        if (!worse(heapScore[child]!, heapNan[child]!, heapIndex[child]!, s, isNan, i)) break;
        heapScore[pos] = heapScore[child]!;
        heapNan[pos] = heapNan[child]!;
        heapIndex[pos] = heapIndex[child]!;
        pos = child;
      }
      heapScore[pos] = s;
      heapNan[pos] = isNan;
      heapIndex[pos] = i;
    } else {
      continue;
    }
    if (size === capacity) {
      rootNan = heapNan[0]!;
      threshold = rootNan === 0 ? heapScore[0]! : Number.NEGATIVE_INFINITY;
    }
  }
  // Pop the heap from worst to best into the result's tail.
  const count = size;
  for (let end = size - 1; end >= 0; end--) {
    out[offset + end] = heapIndex[0]!;
    const s = heapScore[end]!;
    const isNan = heapNan[end]!;
    const idx = heapIndex[end]!;
    let pos = 0;
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= end) break;
      const right = left + 1;
      let child = left;
      if (
        right < end &&
        worse(heapScore[right]!, heapNan[right]!, heapIndex[right]!, heapScore[left]!, heapNan[left]!, heapIndex[left]!)
      ) {
        child = right;
      }
      if (!worse(heapScore[child]!, heapNan[child]!, heapIndex[child]!, s, isNan, idx)) break;
      heapScore[pos] = heapScore[child]!;
      heapNan[pos] = heapNan[child]!;
      heapIndex[pos] = heapIndex[child]!;
      pos = child;
    }
    heapScore[pos] = s;
    heapNan[pos] = isNan;
    heapIndex[pos] = idx;
  }
  return count;
}

// True when entry a ranks strictly below entry b: lower score, or NaN vs number, or equal score and higher index.
function worse(aScore: number, aNan: number, aIndex: number, bScore: number, bNan: number, bIndex: number): boolean {
  if (aNan !== bNan) return aNan > bNan;
  if (aScore !== bScore) return aScore < bScore;
  return aIndex > bIndex;
}
