// Boundary checks and kernels shared by the metric functions. Not exported by the barrel.
// Kernels trust their inputs and allocate nothing; the checks run once per public call.
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import { assertArrayLike, assertInteger } from "../internal/validate.ts";

/** The relevant items of one user: a Set or an array of ids (repeats in an array count once). */
export type RelevantItems = ReadonlySet<Id> | readonly Id[];

/** Throws E_BAD_INPUT unless `k` is an integer >= 1. */
export function checkK(fn: string, k: unknown, name = "options.k"): asserts k is number {
  assertInteger(fn, name, k, 1);
}

/** Throws E_BAD_INPUT unless `options` is an object (a missing options object is a caller bug for k-metrics). */
export function checkOptions(fn: string, options: unknown): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
}

function isReadonlySet(value: unknown): value is ReadonlySet<Id> {
  if (value instanceof Set) return true;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const candidate = value as { has?: unknown; size?: unknown };
  return typeof candidate.has === "function" && typeof candidate.size === "number";
}

/** The relevant items as a Set (the caller's Set itself when it is one: never mutated). */
export function toIdSet(fn: string, name: string | (() => string), relevant: unknown): ReadonlySet<Id> {
  if (relevant instanceof Set) {
    checkIds(fn, name, Array.from(relevant as Set<unknown>));
    return relevant;
  }
  if (Array.isArray(relevant)) {
    checkIds(fn, name, relevant);
    return new Set(relevant as readonly Id[]);
  }
  if (isReadonlySet(relevant)) return relevant;
  throw new NextbestError(
    "E_BAD_INPUT",
    `${fn}: ${labelOf(name)} must be a Set or an array of ids, got ${describeValue(relevant)}`,
  );
}

/**
 * Throws E_BAD_INPUT unless `list` is an array, and E_DUPLICATE naming the id and both positions when an id repeats.
 * `name` may be a function so that batch callers build the label only when they throw.
 */
export function checkRankedList(fn: string, name: string | (() => string), list: unknown): asserts list is readonly Id[] {
  if (!Array.isArray(list)) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: ${labelOf(name)} must be an array of ids, got ${describeValue(list)}`,
    );
  }
  const second = findRepeat(list);
  if (second >= 0) {
    const id: unknown = list[second];
    throwDuplicate(fn, labelOf(name), id, list.indexOf(id), second);
  }
  checkIds(fn, name, list);
}

/**
 * Throws unless every entry is an id: a string or a finite number (NaN matches nothing, not even itself, so a NaN id
 * would silently never count as relevant). O(n), no allocation.
 */
export function checkIds(fn: string, name: string | (() => string), ids: readonly unknown[]): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (typeof id === "string" || (typeof id === "number" && Number.isFinite(id))) continue;
    throw new NextbestError(
      typeof id === "number" ? "E_NON_FINITE" : "E_BAD_INPUT",
      `${fn}: ${labelOf(name)}[${i}] must be an id (a string or a finite number), got ${describeValue(id)}`,
    );
  }
}

function labelOf(name: string | (() => string)): string {
  return typeof name === "string" ? name : name();
}

/**
 * Scratch for {@link findRepeat} across many lists: a Map from id to the number of the list that last held it, so no
 * table is cleared or allocated per list (clearing a Set reallocates its table in V8).
 */
export interface RepeatScratch {
  /** Id → the stamp of the last list that held it. */
  readonly lastList: Map<unknown, number>;
  /** The current list's stamp; incremented per call. */
  stamp: number;
}

/** A fresh {@link RepeatScratch}. */
export function createRepeatScratch(): RepeatScratch {
  return { lastList: new Map(), stamp: 0 };
}

/**
 * The position of the first entry that repeats an earlier one, or -1. Short lists of numbers are compared pairwise
 * (no allocation, about k²/2 comparisons of small integers); anything else goes through a Map, because comparing
 * distinct non-internalized strings of equal length is slow in V8. Batch callers pass one `scratch` to reuse.
 */
export function findRepeat(list: readonly unknown[], scratch?: RepeatScratch): number {
  const n = list.length;
  if (n <= 64 && typeof list[0] === "number") {
    for (let i = 1; i < n; i++) {
      const id = list[i];
      for (let j = 0; j < i; j++) if (list[j] === id) return i;
    }
    return -1;
  }
  const state = scratch ?? createRepeatScratch();
  const stamp = ++state.stamp;
  const lastList = state.lastList;
  for (let i = 0; i < n; i++) {
    const id = list[i];
    if (lastList.get(id) === stamp) return i;
    lastList.set(id, stamp);
  }
  return -1;
}

function throwDuplicate(fn: string, name: string, id: unknown, first: number, second: number): never {
  throw new NextbestError(
    "E_DUPLICATE",
    `${fn}: ${name} must not repeat an id, got ${describeValue(id)} at positions ${first} and ${second}`,
  );
}

/**
 * Marks `hits[i] = 1` when `list[i]` is relevant, for i < min(k, list.length), and returns the number of hits.
 * Slots past the end of a short list are misses (`hits[i] = 0`). `hits` must hold at least k entries.
 */
export function markHits(list: readonly Id[], relevant: ReadonlySet<Id>, k: number, hits: Uint8Array): number {
  const n = list.length < k ? list.length : k;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (relevant.has(list[i]!)) {
      hits[i] = 1;
      count++;
    } else {
      hits[i] = 0;
    }
  }
  for (let i = n; i < k; i++) hits[i] = 0;
  return count;
}

/** `discounts[i] = 1 / log2(i + 2)`: the nDCG discount of rank i + 1. */
export function discountTable(k: number): Float64Array {
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) out[i] = 1 / Math.log2(i + 2);
  return out;
}

/** Prefix sums of the discounts: `idealBinary[m - 1]` is the binary IDCG of m relevant items within the top k. */
export function cumulativeDiscounts(discounts: Float64Array): Float64Array {
  const out = new Float64Array(discounts.length);
  let s = 0;
  for (let i = 0; i < discounts.length; i++) {
    s += discounts[i]!;
    out[i] = s;
  }
  return out;
}

/** Average precision over the hit flags of the top k, with the given denominator (> 0). */
export function averagePrecisionOfHits(hits: Uint8Array, k: number, denominator: number): number {
  let found = 0;
  let sum = 0;
  for (let i = 0; i < k; i++) {
    if (hits[i] === 1) {
      found++;
      sum += found / (i + 1);
    }
  }
  return sum / denominator;
}

/** 1 / rank of the first hit within the top k, 0 without one. */
export function reciprocalRankOfHits(hits: Uint8Array, k: number): number {
  for (let i = 0; i < k; i++) if (hits[i] === 1) return 1 / (i + 1);
  return 0;
}

/** Binary DCG of the hit flags over the top k. */
export function binaryDcgOfHits(hits: Uint8Array, k: number, discounts: Float64Array): number {
  let dcg = 0;
  for (let i = 0; i < k; i++) if (hits[i] === 1) dcg += discounts[i]!;
  return dcg;
}

/** How graded relevance turns into a gain: the grade itself, or 2^grade − 1. */
export type GainKind = "linear" | "exponential";

/** Reads and validates a gain value. */
function checkedGain(fn: string, name: string, item: Id, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new NextbestError(
      typeof value === "number" && !Number.isFinite(value) ? "E_NON_FINITE" : "E_BAD_INPUT",
      `${fn}: ${name}.get(${describeValue(item)}) must be a finite number >= 0, got ${describeValue(value)}`,
    );
  }
  return value;
}

/**
 * Graded nDCG@k: the gains of the relevant items come from `grades` (every relevant item must have one); items outside
 * `relevant` have gain 0. `scratch` must hold at least |relevant| entries.
 */
export function gradedNdcg(
  fn: string,
  gainsName: string | (() => string),
  list: readonly Id[],
  relevant: ReadonlySet<Id>,
  grades: ReadonlyMap<Id, number>,
  gain: GainKind,
  k: number,
  discounts: Float64Array,
  scratch: Float64Array,
): number {
  let m = 0;
  for (const item of relevant) {
    const grade = grades.get(item);
    if (grade === undefined) {
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: ${labelOf(gainsName)} must have a gain for every relevant item, got none for ${describeValue(item)}`,
      );
    }
    const valid = typeof grade === "number" && grade >= 0 && grade < Number.POSITIVE_INFINITY;
    const g = valid ? grade : checkedGain(fn, labelOf(gainsName), item, grade);
    scratch[m++] = gain === "linear" ? g : 2 ** g - 1;
  }
  // The ideal order: gains descending. Insertion sort in place (|relevant| is small per user; no allocation),
  // falling back to the native sort for long relevant sets.
  if (m > 32) {
    scratch.subarray(0, m).sort().reverse();
  } else {
    for (let i = 1; i < m; i++) {
      const v = scratch[i]!;
      let j = i - 1;
      while (j >= 0 && scratch[j]! < v) {
        scratch[j + 1] = scratch[j]!;
        j--;
      }
      scratch[j + 1] = v;
    }
  }
  let idcg = 0;
  const top = m < k ? m : k;
  for (let i = 0; i < top; i++) idcg += scratch[i]! * discounts[i]!;
  let dcg = 0;
  const n = list.length < k ? list.length : k;
  for (let i = 0; i < n; i++) {
    const item = list[i]!;
    if (!relevant.has(item)) continue;
    const g = grades.get(item)!;
    dcg += (gain === "linear" ? g : 2 ** g - 1) * discounts[i]!;
  }
  // Every relevant grade 0: no ranking can gain anything; 0, as sklearn's ndcg_score.
  return idcg === 0 ? 0 : dcg / idcg;
}

/** Neumaier-compensated sum of `values[0 .. n)`. */
export function compensatedSum(values: ArrayLike<number>, n: number = values.length): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/** Throws E_BAD_INPUT unless `value` is an array or a typed array. */
export function checkArray(fn: string, name: string, value: unknown): asserts value is ArrayLike<number> {
  assertArrayLike(fn, name, value);
}

/** Throws E_SHAPE unless both arrays have the same length. */
export function checkSameLength(fn: string, a: string, b: string, x: ArrayLike<unknown>, y: ArrayLike<unknown>): void {
  if (x.length !== y.length) {
    throw new NextbestError(
      "E_SHAPE",
      `${fn}: ${b} must have the length of ${a} (${x.length}), got length ${y.length}`,
    );
  }
}

/** Throws E_EMPTY when the array is empty. */
export function checkNotEmpty(fn: string, name: string, x: ArrayLike<unknown>): void {
  if (x.length === 0) throw new NextbestError("E_EMPTY", `${fn}: ${name} must not be empty, got length 0`);
}

/** Throws E_BAD_INPUT naming the first label that is not 0 or 1 (numbers or booleans). Returns the positives. */
export function checkBinaryLabels(fn: string, name: string, labels: ArrayLike<number | boolean>): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v === 1 || v === true) positives++;
    else if (v !== 0 && v !== false) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}[${i}] must be 0 or 1, got ${describeValue(v)}`);
    }
  }
  return positives;
}

/** Returns `fallback` for undefined, `value` when it is one of `allowed`, else throws E_BAD_INPUT. */
export function checkChoice<T extends string>(fn: string, name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new NextbestError(
    "E_BAD_INPUT",
    `${fn}: ${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${describeValue(value)}`,
  );
}
