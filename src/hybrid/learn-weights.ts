/**
 * Learning a blend's weights on a validation split by coordinate ascent on a ranking metric.
 *
 * @module
 */
import { progressOption, type ProgressCallback } from "../core/progress.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { createRandom, permutation, type Seed } from "../core/random.ts";
import type { Interactions } from "../data/types.ts";
import { evaluateRanking } from "../evaluation/evaluate-ranking.ts";
import type { RankingMetricKey } from "../evaluation/types.ts";
import { assertInteger, assertOneOf, assertSeed } from "../internal/validate.ts";
import type { Recommender } from "../recommend/types.ts";
import type { Id } from "../core/id-index.ts";
import { topK } from "../linalg/topk.ts";
import { rankingMetricsOverUsers, type RankingMetricName } from "../metrics/index.ts";
import { blendRecommenders, checkOptions, type BlendSpec, type MissingScorePolicy } from "./blend.ts";
import { NORMALIZATIONS, checkName, type Normalization } from "./shared.ts";

/**
 * One component to learn a weight for: its name and how to fit it on the training part of the split.
 *
 * @category hybrid
 */
export interface BlendComponentFactory {
  /** A unique, non-empty name. */
  readonly name: string;
  /** Fits the component on the training interactions (called once). */
  readonly factory: (train: Interactions) => Recommender;
}

/**
 * Options of {@link learnBlendWeights}.
 *
 * @category hybrid
 */
export interface LearnBlendWeightsOptions {
  /** Called after each pass of coordinate ascent (`phase` `"pass"`, `metric` the best validation value so far). @defaultValue none */
  onProgress?: ProgressCallback;
  /** The ranking metric to maximise on the validation part: `"<metric>@<k>"` (e.g. `"ndcg@10"`, `"map@5"`) or `"auc"`. @defaultValue "ndcg@10" */
  metric?: string;
  /** Passes of coordinate ascent over all components (stops early after a pass without improvement). An integer >= 1. @defaultValue 3 */
  steps?: number;
  /** The weights tried for each coordinate (finite, >= 0). @defaultValue [0, 0.1, 0.25, 0.5, 1, 2, 4, 10] */
  grid?: readonly number[];
  /** Seeds the order in which components are visited in each pass. @defaultValue 0 */
  seed?: Seed;
  /** The blend's normalisation. @defaultValue "z-score" */
  normalization?: Normalization;
  /** The blend's missing-score policy. @defaultValue "min" */
  missing?: MissingScorePolicy;
  /** A validation interaction is relevant when its value is >= this (as `evaluateRanking`). @defaultValue undefined (all relevant) */
  relevanceThreshold?: number;
  /**
   * Leave each account's seen items out of the ranked lists (as `evaluateRanking`); `false` for repeat-purchase
   * catalogs where buying the same product again is the outcome to predict.
   * @defaultValue true
   */
  excludeSeen?: boolean;
  /**
   * How many of each component's best items per validation account are kept as candidates. Every component scores
   * each validation account once; the blend of any weights is then ranked over the union of the components' top
   * `candidates` (a linear blend with weights >= 0 ranks an item first only when some component ranks it high), so a
   * pass costs O(accounts × candidates × components) instead of scoring every component again. `Infinity` keeps every
   * item (exact, as slow as evaluating each trial blend in full); the `"auc"` metric always ranks every item.
   * @defaultValue 100
   */
  candidates?: number;
}

/**
 * One accepted move of the coordinate ascent.
 *
 * @category hybrid
 */
export interface BlendWeightStep {
  /** The pass, from 1. */
  readonly pass: number;
  /** The component whose weight changed. */
  readonly component: string;
  /** Its new (unnormalised) weight. */
  readonly weight: number;
  /** The metric after the move. */
  readonly value: number;
}

/**
 * What {@link learnBlendWeights} returns.
 *
 * @category hybrid
 */
export interface LearnedBlendWeights {
  /** The blend spec with the learned weights, normalised to sum to 1 (plain data; rebuild with `blendFromSpec`). */
  readonly spec: BlendSpec;
  /** The components fitted on the training part, by name (pass to `blendFromSpec` with the spec). */
  readonly recommenders: ReadonlyMap<string, Recommender>;
  /** The metric column optimised, e.g. `"ndcg@10"`. */
  readonly metric: string;
  /** The metric of the learned blend on the validation part. */
  readonly value: number;
  /** The metric of the equal-weight blend; `value >= baseline`. */
  readonly baseline: number;
  /** The metric of each component alone on the validation part, by name; `value >=` each of them. */
  readonly alone: ReadonlyMap<string, number>;
  /** The accepted moves, in order. */
  readonly history: readonly BlendWeightStep[];
}

const AT_K = ["precision", "recall", "f1", "hitRate", "ndcg", "map", "mrr"];

/** Our metric keys → the per-user metric names of `rankingMetricsOverUsers` (as `evaluateRanking`). */
const PER_USER_METRIC: ReadonlyMap<string, RankingMetricName> = new Map<string, RankingMetricName>([
  ["precision", "precision"],
  ["recall", "recall"],
  ["f1", "f1"],
  ["hitRate", "hitRate"],
  ["ndcg", "ndcg"],
  ["map", "averagePrecision"],
  ["mrr", "reciprocalRank"],
]);

interface CachedScorerOptions {
  readonly normalization: Normalization;
  readonly missing: MissingScorePolicy;
  readonly k: number;
  readonly metric: RankingMetricName;
  readonly candidates: number;
  readonly excludeSeen: boolean;
  readonly relevanceThreshold: number | undefined;
}

/**
 * The metric of the blend of any weights on `test`, as `evaluateRanking` computes it (same users, same seen
 * filtering, same tie order), from each component's normalised scores computed once per validation user and kept
 * for the union of the components' top `candidates` items. Each component's normalised scores (with the blend's
 * missing-score filler) are read off a blend with weight 1 on it and 0 on the others, so they are exactly the blend's.
 */
function cachedBlendScorer(
  fitted: readonly { name: string; recommender: Recommender }[],
  test: Interactions,
  options: CachedScorerOptions,
): (weights: readonly number[]) => number {
  const { normalization, missing, k, candidates: perComponent, excludeSeen, relevanceThreshold } = options;
  const count = fitted.length;
  const oneHot = fitted.map((_, c) =>
    blendRecommenders(
      fitted.map((f, j) => ({ ...f, weight: j === c ? 1 : 0 })),
      { normalization, missing },
    ),
  );
  const probe = oneHot[0]!;
  const itemCount = probe.items.ids.length;
  const keep = Math.min(perComponent, itemCount);
  // Relevant items per test user, as evaluateRanking: users with at least one relevant item and known to the blend.
  const users: Id[] = [];
  const relevant = new Map<Id, Id[]>();
  const { indptr, indices, values } = test.byUser;
  for (let u = 0; u < test.users.ids.length; u++) {
    const user = test.users.ids[u]!;
    const items: Id[] = [];
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
      if (relevanceThreshold !== undefined && !(values[p]! >= relevanceThreshold)) continue;
      items.push(test.items.ids[indices[p]!]!);
    }
    if (items.length === 0 || !probe.users.lookup.has(user)) continue;
    users.push(user);
    relevant.set(user, items);
  }
  // Per user: candidate item indices and their normalised score per component (candidate-major).
  const candidateItems: Int32Array[] = [];
  const candidateScores: Float64Array[] = [];
  const parts = fitted.map(() => new Float64Array(itemCount));
  const exclude = new Uint8Array(itemCount);
  const marked = new Uint8Array(itemCount);
  for (const user of users) {
    const u = probe.users.lookup.get(user)!;
    for (let c = 0; c < count; c++) oneHot[c]!.scoreUser(u, parts[c]!);
    exclude.fill(0);
    if (excludeSeen) for (const i of Array.from(probe.seenItems(u))) exclude[i] = 1;
    // Items no component scores are NaN in every part: never candidates.
    for (let i = 0; i < itemCount; i++) if (Number.isNaN(parts[0]![i]!)) exclude[i] = 1;
    marked.fill(0);
    const chosen: number[] = [];
    for (let c = 0; c < count; c++) {
      const top = keep >= itemCount ? allIndices(itemCount) : topK(parts[c]!, { k: keep, exclude });
      for (const i of top) {
        if (exclude[i] === 0 && marked[i] === 0) {
          marked[i] = 1;
          chosen.push(i);
        }
      }
    }
    chosen.sort((a, b) => a - b);
    const scores = new Float64Array(chosen.length * count);
    for (let q = 0; q < chosen.length; q++) for (let c = 0; c < count; c++) scores[q * count + c] = parts[c]![chosen[q]!]!;
    candidateItems.push(Int32Array.from(chosen));
    candidateScores.push(scores);
  }
  const itemIds = probe.items.ids;
  // A list never holds more than the catalogue: size by that, not by k.
  const slots = Math.min(k, itemCount);
  const bestIndex = new Int32Array(slots);
  const bestScore = new Float64Array(slots);
  return (weights: readonly number[]): number => {
    const lists = new Map<Id, Id[]>();
    for (let r = 0; r < users.length; r++) {
      const items = candidateItems[r]!;
      const scores = candidateScores[r]!;
      // The k best by (score desc, item index asc): candidates are in ascending index order, so a later candidate
      // displaces an equal-scored one never (strict >), as topK orders ties.
      let filled = 0;
      for (let q = 0; q < items.length; q++) {
        let value = 0;
        for (let c = 0; c < count; c++) value += weights[c]! * scores[q * count + c]!;
        if (filled === slots && !(value > bestScore[slots - 1]!)) continue;
        let pos = filled === slots ? slots - 1 : filled++;
        while (pos > 0 && value > bestScore[pos - 1]!) {
          bestScore[pos] = bestScore[pos - 1]!;
          bestIndex[pos] = bestIndex[pos - 1]!;
          pos--;
        }
        bestScore[pos] = value;
        bestIndex[pos] = items[q]!;
      }
      const list: Id[] = [];
      for (let j = 0; j < filled; j++) list.push(itemIds[bestIndex[j]!]!);
      lists.set(users[r]!, list);
    }
    if (users.length === 0) return Number.NEGATIVE_INFINITY;
    const value = rankingMetricsOverUsers(lists, relevant, { k, users }).mean[options.metric];
    return value === undefined || Number.isNaN(value) ? Number.NEGATIVE_INFINITY : value;
  };
}

function allIndices(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Checks the split and the component list shared by the weight learners (before any option). */
export function checkLearnerInput(
  fn: string,
  split: unknown,
  components: unknown,
): asserts split is { readonly train: Interactions; readonly test: Interactions } {
  const s = split as { train?: unknown; test?: unknown } | null;
  if (typeof s !== "object" || s === null || typeof s.train !== "object" || typeof s.test !== "object") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: split must be { train, test } Interactions, got ${describeValue(split)}`);
  }
  if (!Array.isArray(components)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: components must be an array of { name, factory }, got ${describeValue(components)}`);
  }
  if (components.length === 0) throw new NextbestError("E_EMPTY", `${fn}: components must hold at least one component, got 0`);
}

/** Fits each named component once on `train` (names unique and non-empty, factories functions). */
export function fitComponents(
  fn: string,
  train: Interactions,
  components: readonly BlendComponentFactory[],
): { fitted: { name: string; recommender: Recommender }[]; recommenders: Map<string, Recommender> } {
  const names = new Set<string>();
  const recommenders = new Map<string, Recommender>();
  const fitted = components.map(({ name, factory }, c) => {
    checkName(fn, `components[${c}].name`, name);
    if (names.has(name)) throw new NextbestError("E_DUPLICATE", `${fn}: components[${c}].name must be unique, got ${JSON.stringify(name)} again`);
    names.add(name);
    if (typeof factory !== "function") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: components[${c}].factory must be a function (train) => Recommender, got ${describeValue(factory)}`);
    }
    const recommender = factory(train);
    recommenders.set(name, recommender);
    return { name, recommender };
  });
  return { fitted, recommenders };
}

/**
 * Learns a blend's component weights on a train/validation split: the components are fitted once on `train`, then
 * coordinate ascent tries each grid weight for one component at a time (the others fixed), keeps the best by the
 * metric on `test` (`nextbest/evaluation`'s `evaluateRanking`, seen items excluded unless `excludeSeen` is false),
 * and repeats for `steps` passes.
 *
 * Coordinate ascent for linear ranking models as Metzler & Croft (2007), "Linear feature-based models for
 * information retrieval", Information Retrieval 10(3), with a fixed grid per coordinate. Starts from the best of
 * equal weights and each component alone, and accepts only strict improvements, so the learned blend is never worse
 * on the validation part than equal weights or any single component (it can overfit it: validate on a split you do
 * not report on). Weights are normalised to sum to 1 at the end
 * (rankings do not change under a common scale).
 *
 * Complexity: components fits once, then components + 1 + steps · components · grid evaluations of the blend on
 * the validation users.
 *
 * @param split - `train` to fit on, `test` (validation) to score the metric on, e.g. from `splitTemporal`
 * @param components - the components' names and factories
 * @param options - metric, passes, grid, seed, blend options
 * @returns the learned spec, the fitted components, the metric before and after, and the moves
 * @throws {@link core!NextbestError} `E_EMPTY` for no component, `E_DUPLICATE` for a repeated name, `E_BAD_INPUT` for a
 *   bad option or a factory that does not return a recommender
 * @example
 * ```ts
 * import { createIdIndex } from "nextbest/core";
 * import { createInteractions } from "nextbest/data";
 * import type { Recommender } from "nextbest/recommend";
 * import { learnBlendWeights } from "nextbest/hybrid";
 * const train = createInteractions([{ user: "acme", item: "a" }, { user: "acme", item: "b" }, { user: "acme", item: "c" }]);
 * const test = createInteractions([{ user: "acme", item: "d" }]);
 * const fixed = (scores: number[]) => (data: typeof train): Recommender => ({
 *   name: "fixed", users: data.users, items: createIdIndex(["a", "b", "c", "e", "d"]),
 *   scoreUser(_user, out) { out.set(scores); }, seenItems() { return [0, 1, 2]; },
 * });
 * const learned = learnBlendWeights({ train, test }, [
 *   { name: "right", factory: fixed([0, 0, 0, 0, 1]) },   // ranks d first
 *   { name: "wrong", factory: fixed([0, 0, 0, 1, 0]) },   // ranks e first
 * ], { metric: "ndcg@1" });
 * // equal weights tie d and e, and e comes first by item index: the starting blend misses
 * learned.baseline; // => 0
 * learned.value; // => 1
 * learned.spec.components.map((c) => c.name); // => ["right", "wrong"]
 * learned.spec.components[0]!.weight > learned.spec.components[1]!.weight; // => true
 * ```
 * @category hybrid
 */
export function learnBlendWeights(
  split: { readonly train: Interactions; readonly test: Interactions },
  components: readonly BlendComponentFactory[],
  options: LearnBlendWeightsOptions = {},
): LearnedBlendWeights {
  const fn = "learnBlendWeights";
  checkLearnerInput(fn, split, components);
  checkOptions(fn, options);
  const metric = options.metric ?? "ndcg@10";
  const match = typeof metric === "string" ? /^([A-Za-z]+)@([1-9][0-9]*)$/.exec(metric) : null;
  if (metric !== "auc" && (match === null || !AT_K.includes(match[1]!))) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.metric must be "auc" or <metric>@<k> with metric one of ${AT_K.join(", ")} (e.g. "ndcg@10"), got ${describeValue(metric)}`,
    );
  }
  const key = (match === null ? "auc" : match[1]) as RankingMetricKey;
  const k = match === null ? 10 : Number(match[2]);
  const steps = options.steps ?? 3;
  const onProgress = progressOption(fn, options.onProgress);
  assertInteger(fn, "options.steps", steps, 1);
  const grid = options.grid ?? [0, 0.1, 0.25, 0.5, 1, 2, 4, 10];
  if (!Array.isArray(grid) || grid.length === 0 || grid.some((w) => typeof w !== "number" || !Number.isFinite(w) || w < 0)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.grid must be a non-empty array of finite numbers >= 0, got ${describeValue(grid)}`);
  }
  const seed = options.seed ?? 0;
  assertSeed(fn, "options.seed", seed);
  const normalization = options.normalization ?? "z-score";
  assertOneOf(fn, "options.normalization", normalization, NORMALIZATIONS);
  const missing = options.missing ?? "min";
  assertOneOf(fn, "options.missing", missing, ["min", "zero"] as const);

  const { fitted, recommenders } = fitComponents(fn, split.train, components);

  const evaluationOptions = {
    k,
    metrics: [key],
    train: split.train,
    ...(options.relevanceThreshold !== undefined ? { relevanceThreshold: options.relevanceThreshold } : {}),
    excludeSeen: options.excludeSeen ?? true,
  };
  const column = key === "auc" ? "auc" : `${key}@${k}`;
  const candidates = options.candidates ?? 100;
  if (typeof candidates !== "number" || !(candidates >= k) || (Number.isFinite(candidates) && !Number.isInteger(candidates))) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.candidates must be an integer >= k (${k}) or Infinity, got ${describeValue(candidates)}`);
  }
  const score =
    key === "auc"
      ? (weights: readonly number[]): number => {
          const blend = blendRecommenders(
            fitted.map((f, c) => ({ ...f, weight: weights[c]! })),
            { normalization, missing },
          );
          const value = evaluateRanking(blend, split.test, evaluationOptions).mean[column];
          return value === undefined || Number.isNaN(value) ? Number.NEGATIVE_INFINITY : value;
        }
      : cachedBlendScorer(fitted, split.test, {
          normalization,
          missing,
          k,
          metric: PER_USER_METRIC.get(key)!,
          candidates,
          excludeSeen: evaluationOptions.excludeSeen,
          relevanceThreshold: options.relevanceThreshold,
        });

  // Start from the best of equal weights and each component alone, so the result is never worse on the validation
  // part than any single component.
  const weights = fitted.map(() => 1);
  const baseline = score(weights);
  let best = baseline;
  const alone = new Map<string, number>();
  fitted.forEach((f, c) => {
    const only = fitted.map((_, j) => (j === c ? 1 : 0));
    const value = fitted.length === 1 ? baseline : score(only);
    alone.set(f.name, value);
    if (value > best) {
      best = value;
      weights.fill(0);
      weights[c] = 1;
    }
  });
  const history: BlendWeightStep[] = [];
  const random = createRandom(seed);
  for (let pass = 1; pass <= steps; pass++) {
    let improved = false;
    for (const c of permutation(fitted.length, random)) {
      const current = weights[c]!;
      for (const candidate of grid) {
        if (candidate === current) continue;
        const trial = weights.slice();
        trial[c] = candidate;
        if (trial.every((w) => w === 0)) continue;
        const value = score(trial);
        if (value > best) {
          best = value;
          weights[c] = candidate;
          improved = true;
        }
      }
      if (weights[c] !== current) history.push(Object.freeze({ pass, component: fitted[c]!.name, weight: weights[c]!, value: best }));
    }
    onProgress?.({ phase: "pass", step: pass, total: steps, metric: best, metricName: column });
    if (!improved) break;
  }
  const total = weights.reduce((s, w) => s + w, 0);
  const spec = blendRecommenders(
    fitted.map((f, c) => ({ ...f, weight: weights[c]! / total })),
    { normalization, missing },
  ).spec;
  return Object.freeze({ spec, recommenders, metric: column, value: best, baseline, alone, history: Object.freeze(history) });
}
