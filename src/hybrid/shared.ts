// Shared by the hybrid recommenders: checking components, aligning catalogs by external id (built once per adapter),
// per-user score normalisation, and the union of seen items. Not exported by the barrel.
import { NextbestError, describeValue } from "../core/errors.ts";
import { createIdIndex, type Id, type IdIndex } from "../core/id-index.ts";
import { checkRecommender } from "../recommend/engine.ts";
import type { ItemHistory, Recommender } from "../recommend/types.ts";

/** How one component's raw scores of one user are mapped to a common scale before weighting. */
export type Normalization = "z-score" | "min-max" | "rank-percentile" | "none";

export const NORMALIZATIONS: readonly Normalization[] = ["z-score", "min-max", "rank-percentile", "none"];

/** A component recommender aligned to the hybrid's user and item indices. */
export interface AlignedComponent {
  readonly name: string;
  readonly recommender: Recommender;
  /** Hybrid user index → the component's user index, or -1 when the component does not know the user. */
  readonly userMap: Int32Array;
  /** Component item index → hybrid item index. */
  readonly itemMap: Int32Array;
  /** Hybrid item index → component item index, or -1 when the item is not in the component's catalog. */
  readonly itemBack: Int32Array;
}

/** The hybrid's user and item indices (unions in first-seen order) and every component aligned to them. */
export interface Alignment {
  readonly users: IdIndex;
  readonly items: IdIndex;
  readonly components: readonly AlignedComponent[];
}

/** Throws unless `name` is a non-empty string. */
export function checkName(fn: string, what: string, name: unknown): asserts name is string {
  if (typeof name !== "string" || name === "") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${what} must be a non-empty string, got ${describeValue(name)}`);
  }
}

/** Builds the union user and item indices and the per-component maps. O(Σ users + Σ items). */
export function alignComponents(
  fn: string,
  parts: readonly { readonly name: string; readonly recommender: Recommender }[],
  where: (component: number) => string = (c) => `components[${c}]`,
): Alignment {
  parts.forEach((p, c) => checkRecommender(`${fn}: ${where(c)}`, p.recommender));
  const users = createIdIndex(parts.flatMap((p) => p.recommender.users.ids));
  const items = createIdIndex(parts.flatMap((p) => p.recommender.items.ids));
  const components = parts.map(({ name, recommender }): AlignedComponent => {
    const userMap = new Int32Array(users.ids.length).fill(-1);
    recommender.users.ids.forEach((id, u) => {
      userMap[users.lookup.get(id)!] = u;
    });
    const itemMap = new Int32Array(recommender.items.ids.length);
    const itemBack = new Int32Array(items.ids.length).fill(-1);
    recommender.items.ids.forEach((id, i) => {
      const h = items.lookup.get(id)!;
      itemMap[i] = h;
      itemBack[h] = i;
    });
    return Object.freeze({ name, recommender, userMap, itemMap, itemBack });
  });
  return { users, items, components };
}

/** Where a component's scores for one user came from. */
export type ScoreSource = "model" | "fallback" | "none";

/**
 * Writes the component's raw scores for a user into `out` (component item order): its own scores when it knows the
 * user, its fallback's otherwise, all NaN when it has neither. Returns where they came from.
 */
export function componentScores(component: AlignedComponent, user: number, userId: Id, out: Float64Array, history?: ItemHistory): ScoreSource {
  if (history !== undefined) {
    component.recommender.scoreHistory!(historyIn(component, history), out);
    return "model";
  }
  const own = user >= 0 ? component.userMap[user]! : -1;
  if (own >= 0) {
    component.recommender.scoreUser(own, out);
    return "model";
  }
  const fallback = component.recommender.fallback;
  if (fallback !== undefined) {
    fallback.scoreInto(userId, out);
    return "fallback";
  }
  out.fill(Number.NaN);
  return "none";
}

/**
 * Normalises `scores` in place over its non-NaN entries (NaN stays NaN) and returns the smallest normalised value
 * (NaN when no entry is scored). `sorted` is scratch of the same length (used by rank-percentile).
 * - z-score: (s − mean) / population standard deviation; 0 for every entry when the deviation is 0.
 * - min-max: (s − min) / (max − min); 0.5 for every entry when max = min.
 * - rank-percentile: the average 0-based ascending rank (ties share their mean rank) divided by (n − 1), in [0, 1];
 *   0.5 when n = 1.
 * - none: unchanged.
 */
export function normalizeInPlace(scores: Float64Array, normalization: Normalization, sorted: Float64Array): number {
  const n = scores.length;
  let count = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (s !== s) continue;
    count++;
    sum += s;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  if (count === 0) return Number.NaN;
  if (normalization === "none") return min;
  if (normalization === "min-max") {
    const range = max - min;
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      if (s === s) scores[i] = range > 0 ? (s - min) / range : 0.5;
    }
    return range > 0 ? 0 : 0.5;
  }
  if (normalization === "z-score") {
    const mean = sum / count;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      if (s === s) squares += (s - mean) * (s - mean);
    }
    const sd = Math.sqrt(squares / count);
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      if (s === s) scores[i] = sd > 0 ? (s - mean) / sd : 0;
    }
    return sd > 0 ? (min - mean) / sd : 0;
  }
  // rank-percentile: sort the scored values, then each value's rank range by binary search.
  let m = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (s === s) sorted[m++] = s;
  }
  const view = sorted.subarray(0, m);
  view.sort();
  const denominator = m - 1;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (s !== s) continue;
    if (denominator === 0) {
      scores[i] = 0.5;
      continue;
    }
    const less = lowerBound(view, s);
    const upTo = upperBound(view, s);
    scores[i] = (less + (upTo - less - 1) / 2) / denominator;
  }
  if (denominator === 0) return 0.5;
  return (upperBound(view, view[0]!) - 1) / 2 / denominator;
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Fills `raw` with the component's scores for a user and `normalized` with them normalised; returns the value an item
 * the component does not score gets (`missing` "min": its smallest normalised score, "zero": 0; 0 when it scores
 * nothing) and writes where the scores came from into `sources[c]`.
 */
export function normalizedComponentScores(
  component: AlignedComponent,
  user: number,
  userId: Id,
  raw: Float64Array,
  normalized: Float64Array,
  normalization: Normalization,
  missing: "min" | "zero",
  sorted: Float64Array,
  sources: ScoreSource[],
  c: number,
  history?: ItemHistory,
): number {
  sources[c] = componentScores(component, user, userId, raw, history);
  normalized.set(raw);
  const min = normalizeInPlace(normalized, normalization, sorted);
  return min !== min ? 0 : missing === "min" ? min : 0;
}

/** The union of the components' seen items for a hybrid user, as ascending hybrid item indices without repeats. */
export function unionSeen(components: readonly AlignedComponent[], user: number): Int32Array {
  const collected: number[] = [];
  for (const component of components) {
    const own = component.userMap[user]!;
    if (own < 0) continue;
    const seen = component.recommender.seenItems(own);
    for (let j = 0; j < seen.length; j++) collected.push(component.itemMap[seen[j]!]!);
  }
  const sorted = Int32Array.from(collected).sort();
  let m = 0;
  for (let j = 0; j < sorted.length; j++) {
    if (j === 0 || sorted[j] !== sorted[m - 1]) sorted[m++] = sorted[j]!;
  }
  return sorted.slice(0, m);
}

/** Throws E_BAD_INPUT unless `user` is a hybrid user index. */
export function checkUser(fn: string, user: unknown, count: number): asserts user is number {
  if (typeof user !== "number" || !Number.isInteger(user) || user < 0 || user >= count) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: user must be an integer in [0, ${count - 1}], got ${describeValue(user)}`);
  }
}

/** Throws E_SHAPE unless `out` is a Float64Array of the catalog's length. */
export function checkBuffer(fn: string, out: unknown, length: number): asserts out is Float64Array {
  if (!(out instanceof Float64Array) || out.length !== length) {
    throw new NextbestError(
      "E_SHAPE",
      `${fn}: out must be a Float64Array of length ${length} (one per item), got ${out instanceof Float64Array ? `length ${out.length}` : describeValue(out)}`,
    );
  }
}

/** A history in hybrid item indices, mapped to the component's own item space (items it lacks dropped). */
function historyIn(component: AlignedComponent, history: ItemHistory): ItemHistory {
  const back = component.itemBack;
  const order: number[] = [];
  for (let k = 0; k < history.items.length; k++) if (back[history.items[k]!]! >= 0) order.push(k);
  order.sort((a, b) => back[history.items[a]!]! - back[history.items[b]!]!);
  return {
    items: Int32Array.from(order, (k) => back[history.items[k]!]!),
    values: Float64Array.from(order, (k) => history.values[k]!),
    timestamps: history.timestamps === undefined ? undefined : Float64Array.from(order, (k) => history.timestamps![k]!),
  };
}

/** Whether every component can score a new account's history (then the hybrid can). */
export function allScoreHistory(components: readonly AlignedComponent[]): boolean {
  return components.every((component) => typeof component.recommender.scoreHistory === "function");
}
