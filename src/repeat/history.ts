// Purchase histories of the repeat domain: each stored (account, product) pair's purchase events (or the pair itself
// when a dataset carries no events), option checks shared by the two models, their JSON helpers, and the snapshot of
// every pair's timing at a reference time that both models and the reasons read. Not exported by the barrel.
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Interactions } from "../data/types.ts";
import { badModel, float64ArrayFromJSON } from "../internal/serialize.ts";
import { checkScoreBuffer, checkUserIndex } from "../recommend/contract.ts";
import type { Recommender, RecommenderFallback } from "../recommend/types.ts";
import type { IdIndex } from "../core/id-index.ts";
import { dayLength, resolveTimeUnit, type TimeUnit } from "../internal/time.ts";
import { assertOneOf } from "../internal/validate.ts";

/** Where scores of products an account never bought come from: popularity below every own product, or NaN. */
export type RepeatFill = "popularity" | "none";

export const FILLS: readonly RepeatFill[] = ["popularity", "none"];

/** Each stored pair's purchase times, ascending: pair `p` owns `timestamps[indptr[p] .. indptr[p + 1])`. */
export interface PairTimes {
  readonly indptr: Int32Array;
  readonly timestamps: Float64Array;
}

/**
 * The purchase events of every stored pair: `interactions.events` when present, otherwise one event per stored pair
 * at the pair's timestamp. Throws E_BAD_INPUT when the dataset has no timestamps.
 */
export function pairTimes(fn: string, interactions: Interactions): PairTimes {
  const timestamps = interactions.timestamps;
  if (timestamps === undefined) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: interactions must have timestamps (repeat purchases are measured in time), got a dataset without them`,
    );
  }
  const pairs = interactions.byUser.indptr[interactions.users.ids.length]!;
  const events = interactions.events;
  if (events !== undefined && events.indptr.length === pairs + 1) return { indptr: events.indptr, timestamps: events.timestamps };
  const indptr = new Int32Array(pairs + 1);
  for (let p = 0; p <= pairs; p++) indptr[p] = p;
  return { indptr, timestamps: timestamps.subarray(0, pairs) };
}

/** The latest purchase time of the dataset (−Infinity when there is none). */
export function latestTime(times: PairTimes): number {
  let latest = Number.NEGATIVE_INFINITY;
  const { indptr, timestamps } = times;
  // Events are in time order within a pair: the last one of each pair is its latest.
  for (let p = 0; p + 1 < indptr.length; p++) {
    if (indptr[p + 1]! > indptr[p]!) {
      const t = timestamps[indptr[p + 1]! - 1]!;
      if (t > latest) latest = t;
    }
  }
  return latest;
}

/** Throws E_BAD_INPUT unless `options` is an object. */
export function checkOptionsObject(fn: string, options: unknown): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
}

/** A positive number of days, `Infinity` allowed when `allowInfinity` (no decay). */
export function positiveDays(fn: string, name: string, value: unknown, allowInfinity: boolean): number {
  if (typeof value !== "number" || Number.isNaN(value) || !(value > 0) || (!allowInfinity && !Number.isFinite(value))) {
    const rule = allowInfinity ? "be a number of days > 0 (Infinity: no decay)" : "be a finite number of days > 0";
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must ${rule}, got ${describeValue(value)}`);
  }
  return value;
}

/** `options.asOf` checked; default: the latest purchase time. */
export function resolveAsOf(fn: string, value: unknown, latest: number): number {
  const asOf = value ?? latest;
  if (typeof asOf !== "number" || !Number.isFinite(asOf)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.asOf must be a finite timestamp, got ${describeValue(asOf)}`);
  }
  return asOf;
}

/** `options.fill` checked, with its default. */
export function resolveFill(fn: string, value: unknown, fallback: RepeatFill): RepeatFill {
  const fill = value ?? fallback;
  assertOneOf(fn, "options.fill", fill, FILLS);
  return fill;
}

export { dayLength, resolveTimeUnit, type TimeUnit };

/** Reads a model JSON's fill. */
export function fillFromJSON(fn: string, value: unknown): RepeatFill {
  if (typeof value !== "string" || !(FILLS as readonly string[]).includes(value)) badModel(fn, "json.fill", 'be "popularity" or "none"', value);
  return value as RepeatFill;
}

/** Reads a model JSON's time unit. */
export function timeUnitFromJSON(fn: string, value: unknown): TimeUnit {
  if (value !== "seconds" && value !== "milliseconds") badModel(fn, "json.timeUnit", 'be "seconds" or "milliseconds"', value);
  return value;
}

/** Reads a finite number field. */
export function finiteFromJSON(fn: string, field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) badModel(fn, field, "be a finite number", value);
  return value;
}

/** Reads a half-life in days: a number > 0, or `null` for no decay (Infinity). */
export function halfLifeFromJSON(fn: string, field: string, value: unknown): number {
  if (value === null) return Number.POSITIVE_INFINITY;
  if (typeof value !== "number" || !Number.isFinite(value) || !(value > 0)) badModel(fn, field, "be a number > 0, or null (no decay)", value);
  return value;
}

/** A Float64Array as JSON with NaN as `null` (JSON has no NaN). */
export function nullableArrayToJSON(values: Float64Array): (number | null)[] {
  return Array.from(values, (v) => (Number.isNaN(v) ? null : v));
}

/** Reads a JSON array of numbers ≥ `min` or `null` (NaN) into a Float64Array of the given length. */
export function nullableArrayFromJSON(fn: string, field: string, value: unknown, length: number, meaning: string, min: number): Float64Array {
  if (!Array.isArray(value)) badModel(fn, field, "be an array of numbers or nulls (serialize models with their toJSON helper)", value);
  if (value.length !== length) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: ${field} must have length ${length} (${meaning}), got length ${value.length}`);
  }
  const out = new Float64Array(length);
  for (let k = 0; k < length; k++) {
    const v: unknown = value[k];
    if (v === null) out[k] = Number.NaN;
    else if (typeof v === "number" && Number.isFinite(v) && v >= min) out[k] = v;
    else badModel(fn, `${field}[${k}]`, `be a finite number >= ${min} or null`, v);
  }
  return out;
}

/** The score of a product an account never bought under `fill: "popularity"`: −1 / (1 + buyers), in [−1, 0). */
export function popularityFill(buyers: number): number {
  return -1 / (1 + buyers);
}

/** How recent "recent buyers" are: purchases in the 28 days before the reference time. */
export const RECENT_DAYS = 28;

/**
 * Every pair's timing at a reference time: what the repeat models know from the purchases up to it (before it when
 * `inclusive` is false). Purchase *occasions* are distinct timestamps (two lines of one order are one purchase);
 * decayed counts weigh every event.
 */
export interface HistorySnapshot {
  /** Per pair: 1 when the pair has a purchase in range. */
  readonly active: Uint8Array;
  /** Per pair: distinct purchase times in range. */
  readonly purchases: Float64Array;
  /** Per pair: Σ 0.5^(age / half-life) over the events in range, ages to the reference time. */
  readonly decayed: Float64Array;
  /** Per pair: the latest purchase time in range (NaN when none). */
  readonly lastPurchase: Float64Array;
  /** Per pair: the median gap between consecutive purchases, in days, when there are ≥ 2 gaps (else NaN). */
  readonly ownCycleDays: Float64Array;
  /** Per item: the median of every gap between consecutive purchases of the product by one account, in days (NaN: no gap). */
  readonly productCycleDays: Float64Array;
  /** The median of every gap of every pair, in days; NaN when no account bought anything twice. */
  readonly overallCycleDays: number;
  /** Per item: accounts with a purchase. */
  readonly buyers: Float64Array;
  /** Per item: accounts whose latest purchase of it is within {@link RECENT_DAYS} days of the reference time. */
  readonly recentBuyers: Float64Array;
  /** Per item: accounts with at least two purchase times. */
  readonly repeatBuyers: Float64Array;
  /** Per user: distinct purchase times across all products (orders). */
  readonly accountOrders: Float64Array;
  /** Per user: the first purchase time (NaN when none). */
  readonly accountFirst: Float64Array;
}

/** Sorts `values[start .. end)` ascending in place: heapsort, O(n log n), no allocation. */
function sortRange(values: Float64Array, start: number, end: number): void {
  const n = end - start;
  const siftDown = (root: number, size: number): void => {
    let parent = root;
    for (;;) {
      let child = 2 * parent + 1;
      if (child >= size) return;
      if (child + 1 < size && values[start + child + 1]! > values[start + child]!) child++;
      if (values[start + parent]! >= values[start + child]!) return;
      const t = values[start + parent]!;
      values[start + parent] = values[start + child]!;
      values[start + child] = t;
      parent = child;
    }
  };
  for (let root = (n >> 1) - 1; root >= 0; root--) siftDown(root, n);
  for (let size = n - 1; size > 0; size--) {
    const t = values[start]!;
    values[start] = values[start + size]!;
    values[start + size] = t;
    siftDown(0, size);
  }
}

/** The median of `values[start .. end)` (non-empty), sorting that range in place. */
export function medianOfRange(values: Float64Array, start: number, end: number): number {
  sortRange(values, start, end);
  const n = end - start;
  return n % 2 === 1 ? values[start + (n - 1) / 2]! : (values[start + n / 2 - 1]! + values[start + n / 2]!) / 2;
}

/**
 * Scans one pair's purchase times `timestamps[start .. end)` (ascending) at reference time `at`: writes the distinct
 * purchase times, the decayed count Σ 0.5^((at − t) / halfLife) over every row and the latest time into
 * `out[0..2]`, the gaps in days between consecutive distinct times into `gaps`, and returns how many gaps. No allocation.
 */
export function scanPurchases(
  timestamps: Float64Array,
  start: number,
  end: number,
  at: number,
  halfLife: number,
  day: number,
  gaps: Float64Array,
  out: Float64Array,
): number {
  let count = 0;
  let previous = Number.NaN;
  let weight = 0;
  let gapCount = 0;
  for (let e = start; e < end; e++) {
    const t = timestamps[e]!;
    weight += halfLife === Number.POSITIVE_INFINITY ? 1 : 0.5 ** ((at - t) / halfLife);
    if (t !== previous) {
      if (count > 0) gaps[gapCount++] = (t - previous) / day;
      count++;
      previous = t;
    }
  }
  out[0] = count;
  out[1] = weight;
  out[2] = previous;
  return gapCount;
}

/**
 * Computes the {@link HistorySnapshot} of every pair from its events up to `at` (included when `inclusive`).
 * O(events · log(events per item)); a few typed arrays of size pairs, items, users and gaps.
 */
export function historySnapshot(
  userIndptr: Int32Array,
  itemOfPair: Int32Array,
  itemCount: number,
  times: PairTimes,
  at: number,
  inclusive: boolean,
  halfLifeDays: number,
  day: number,
): HistorySnapshot {
  const userCount = userIndptr.length - 1;
  const pairCount = userIndptr[userCount]!;
  const { indptr, timestamps } = times;
  const active = new Uint8Array(pairCount);
  const purchases = new Float64Array(pairCount);
  const decayed = new Float64Array(pairCount);
  const lastPurchase = new Float64Array(pairCount).fill(Number.NaN);
  const ownCycleDays = new Float64Array(pairCount).fill(Number.NaN);
  const buyers = new Float64Array(itemCount);
  const recentBuyers = new Float64Array(itemCount);
  const repeatBuyers = new Float64Array(itemCount);
  const accountOrders = new Float64Array(userCount);
  const accountFirst = new Float64Array(userCount).fill(Number.NaN);
  const halfLife = halfLifeDays * day;
  const recent = RECENT_DAYS * day;

  // The end of each pair's range: events are ascending within a pair.
  const stop = new Int32Array(pairCount);
  let gapCount = 0;
  let longestPair = 0;
  let longestUser = 0;
  for (let u = 0; u < userCount; u++) {
    let userEvents = 0;
    for (let p = userIndptr[u]!; p < userIndptr[u + 1]!; p++) {
      let e = indptr[p]!;
      const end = indptr[p + 1]!;
      while (e < end && (inclusive ? timestamps[e]! <= at : timestamps[e]! < at)) e++;
      stop[p] = e;
      const n = e - indptr[p]!;
      if (n > longestPair) longestPair = n;
      userEvents += n;
      gapCount += n > 0 ? n - 1 : 0;
    }
    if (userEvents > longestUser) longestUser = userEvents;
  }

  // Per item gap lists in one flat array (counting sort by item): first count, then fill.
  const gapsPerItem = new Int32Array(itemCount + 1);
  const pairGaps = new Float64Array(Math.max(1, longestPair));
  const allGaps = new Float64Array(gapCount);
  let gapTotal = 0;
  const accountTimes = new Float64Array(Math.max(1, longestUser));
  const scan = new Float64Array(3);
  for (let u = 0; u < userCount; u++) {
    let orderCount = 0;
    for (let p = userIndptr[u]!; p < userIndptr[u + 1]!; p++) {
      const start = indptr[p]!;
      const end = stop[p]!;
      if (end === start) continue;
      active[p] = 1;
      const item = itemOfPair[p]!;
      for (let e = start; e < end; e++) accountTimes[orderCount++] = timestamps[e]!;
      const gaps = scanPurchases(timestamps, start, end, at, halfLife, day, pairGaps, scan);
      for (let g = 0; g < gaps; g++) allGaps[gapTotal++] = pairGaps[g]!;
      const count = scan[0]!;
      const previous = scan[2]!;
      purchases[p] = count;
      decayed[p] = scan[1]!;
      lastPurchase[p] = previous;
      if (gaps >= 2) ownCycleDays[p] = medianOfRange(pairGaps, 0, gaps);
      buyers[item] = buyers[item]! + 1;
      if (count >= 2) repeatBuyers[item] = repeatBuyers[item]! + 1;
      if (at - previous < recent) recentBuyers[item] = recentBuyers[item]! + 1;
      gapsPerItem[item + 1] = gapsPerItem[item + 1]! + gaps;
    }
    if (orderCount > 0) {
      sortRange(accountTimes, 0, orderCount);
      let orders = 1;
      for (let k = 1; k < orderCount; k++) if (accountTimes[k] !== accountTimes[k - 1]) orders++;
      accountOrders[u] = orders;
      accountFirst[u] = accountTimes[0]!;
    }
  }
  const overallCycleDays = gapTotal > 0 ? medianOfRange(allGaps, 0, gapTotal) : Number.NaN;

  // Second pass: place each pair's gaps in its item's segment, then take each item's median.
  for (let i = 0; i < itemCount; i++) gapsPerItem[i + 1] = gapsPerItem[i + 1]! + gapsPerItem[i]!;
  const cursor = gapsPerItem.slice(0, itemCount);
  const itemGaps = allGaps; // reused: the overall median is taken
  for (let p = 0; p < pairCount; p++) {
    const item = itemOfPair[p]!;
    let previous = Number.NaN;
    let count = 0;
    for (let e = indptr[p]!; e < stop[p]!; e++) {
      const t = timestamps[e]!;
      if (t !== previous) {
        if (count > 0) {
          itemGaps[cursor[item]!] = (t - previous) / day;
          cursor[item] = cursor[item]! + 1;
        }
        count++;
        previous = t;
      }
    }
  }
  const productCycleDays = new Float64Array(itemCount).fill(Number.NaN);
  for (let i = 0; i < itemCount; i++) {
    if (gapsPerItem[i + 1]! > gapsPerItem[i]!) productCycleDays[i] = medianOfRange(itemGaps, gapsPerItem[i]!, gapsPerItem[i + 1]!);
  }
  return {
    active,
    purchases,
    decayed,
    lastPurchase,
    ownCycleDays,
    productCycleDays,
    overallCycleDays,
    buyers,
    recentBuyers,
    repeatBuyers,
    accountOrders,
    accountFirst,
  };
}

/** The item index of every stored pair (`byUser.indices` without the unused tail). */
export function itemsOfPairs(interactions: Interactions): Int32Array {
  const pairs = interactions.byUser.indptr[interactions.users.ids.length]!;
  return interactions.byUser.indices.subarray(0, pairs);
}

/**
 * The model's seen pattern: the pairs with a purchase in range, in compressed rows (a sub-pattern of the dataset's),
 * and for each kept entry the dataset pair it came from.
 */
export function activePattern(userIndptr: Int32Array, itemOfPair: Int32Array, active: Uint8Array): { seenIndptr: Int32Array; seenIndices: Int32Array; source: Int32Array } {
  const userCount = userIndptr.length - 1;
  let kept = 0;
  for (let p = 0; p < active.length; p++) kept += active[p]!;
  const seenIndptr = new Int32Array(userCount + 1);
  const seenIndices = new Int32Array(kept);
  const source = new Int32Array(kept);
  let k = 0;
  for (let u = 0; u < userCount; u++) {
    for (let p = userIndptr[u]!; p < userIndptr[u + 1]!; p++) {
      if (active[p] === 1) {
        seenIndices[k] = itemOfPair[p]!;
        source[k] = p;
        k++;
      }
    }
    seenIndptr[u + 1] = k;
  }
  return { seenIndptr, seenIndices, source };
}

/** The popularity fallback of both repeat models (fill "popularity" only). */
export function repeatFallback(fn: string, fill: RepeatFill, buyers: Float64Array): RecommenderFallback | undefined {
  if (fill === "none") return undefined;
  const itemCount = buyers.length;
  return Object.freeze({
    source: "popularity",
    scoreInto(_user: unknown, out: Float64Array): void {
      checkScoreBuffer(`${fn}.fallback.scoreInto`, out, itemCount);
      for (let i = 0; i < itemCount; i++) out[i] = popularityFill(buyers[i]!);
    },
  });
}

/** Checks that a per-pair array of a model matches the seen pattern and a per-item one the items (O(1)). */
export function checkModelArray(fn: string, field: string, value: unknown, length: number, meaning: string): asserts value is Float64Array {
  if (!(value instanceof Float64Array) || value.length !== length) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.${field} must be a Float64Array of length ${length} (${meaning}), got ${describeValue(value)}`);
  }
}

/** Reads a JSON array of finite numbers ≥ 0 of a given length. */
export function nonNegativeArrayFromJSON(fn: string, field: string, value: unknown, length: number, meaning: string): Float64Array {
  const values = float64ArrayFromJSON(fn, field, value, { length, lengthMeaning: meaning });
  for (let k = 0; k < values.length; k++) {
    if (values[k]! < 0) throw new NextbestError("E_BAD_MODEL", `${fn}: ${field}[${k}] must be a finite number >= 0, got ${describeValue(values[k])}`);
  }
  return values;
}

/**
 * The recommender of a repeat model: each account's own products get their pair scores (aligned with the seen
 * pattern), the rest popularity below them (`fill: "popularity"`) or NaN (`"none"`); unknown accounts get the
 * popularity fallback under `"popularity"` and none under `"none"`.
 */
export function ownProductsRecommender(
  fn: string,
  name: string,
  model: {
    readonly users: IdIndex;
    readonly items: IdIndex;
    readonly seenIndptr: Int32Array;
    readonly seenIndices: Int32Array;
    readonly buyers: Float64Array;
    readonly fill: RepeatFill;
  },
  pairScores: Float64Array,
): Recommender {
  const { users, items, seenIndptr, seenIndices, buyers, fill } = model;
  const itemCount = items.ids.length;
  const userCount = users.ids.length;
  const fallback = repeatFallback(fn, fill, buyers);
  return Object.freeze({
    name,
    users,
    items,
    scoreUser(user: number, out: Float64Array): void {
      checkUserIndex(`${fn}.scoreUser`, user, userCount);
      checkScoreBuffer(`${fn}.scoreUser`, out, itemCount);
      if (fill === "none") out.fill(Number.NaN);
      else for (let i = 0; i < itemCount; i++) out[i] = popularityFill(buyers[i]!);
      for (let k = seenIndptr[user]!; k < seenIndptr[user + 1]!; k++) out[seenIndices[k]!] = pairScores[k]!;
    },
    seenItems(user: number): ArrayLike<number> {
      checkUserIndex(`${fn}.seenItems`, user, userCount);
      return seenIndices.subarray(seenIndptr[user]!, seenIndptr[user + 1]!);
    },
    ...(fallback === undefined ? {} : { fallback }),
  });
}
