/**
 * Learning a blend's weights by logistic regression of held-out purchases on the components' normalised scores.
 *
 * @module
 */
import { fitLogisticRegression } from "../classifiers/logistic.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { createRandom, type Seed } from "../core/random.ts";
import type { Interactions } from "../data/types.ts";
import { evaluateRanking } from "../evaluation/evaluate-ranking.ts";
import { assertInteger, assertOneOf, assertSeed } from "../internal/validate.ts";
import { denseMatrix } from "../linalg/dense.ts";
import type { Recommender } from "../recommend/types.ts";
import { MISSING, blendRecommenders, checkOptions, type BlendSpec, type MissingScorePolicy } from "./blend.ts";
import { checkLearnerInput, fitComponents, type BlendComponentFactory } from "./learn-weights.ts";
import { NORMALIZATIONS, type Normalization } from "./shared.ts";

/**
 * Options of {@link learnBlendWeightsLogistic}.
 *
 * @category hybrid
 */
export interface LogisticBlendOptions {
  /** Unbought items sampled per validation account as negatives (seeded); all when fewer. @defaultValue 50 */
  negativesPerUser?: number;
  /** The L2 penalty of the logistic regression (on standardised scores). @defaultValue 1 */
  l2?: number;
  /** Seeds the negative sampling. @defaultValue 0 */
  seed?: Seed;
  /** The blend's normalisation (also the features' scale). @defaultValue "z-score" */
  normalization?: Normalization;
  /** The blend's missing-score policy. @defaultValue "min" */
  missing?: MissingScorePolicy;
  /** The metric reported for the learned blend on the validation part: `"<metric>@<k>"` or `"auc"`. @defaultValue "ndcg@10" */
  metric?: string;
}

/**
 * What {@link learnBlendWeightsLogistic} returns.
 *
 * @category hybrid
 */
export interface LogisticBlendWeights {
  /** The blend spec: the positive coefficients, normalised to sum to 1 (negative ones become 0). */
  readonly spec: BlendSpec;
  /** The components fitted on the training part, by name. */
  readonly recommenders: ReadonlyMap<string, Recommender>;
  /** The raw coefficients of the logistic regression on the normalised scores, by component name. */
  readonly coefficients: ReadonlyMap<string, number>;
  /** The metric column reported, e.g. `"ndcg@10"`. */
  readonly metric: string;
  /** The metric of the learned blend on the validation part. */
  readonly value: number;
  /** Training rows of the regression: positives (held-out purchases) and sampled negatives. */
  readonly rows: LogisticBlendRows;
}

/**
 * The rows a logistic blend was fitted on.
 *
 * @category hybrid
 */
export interface LogisticBlendRows {
  /** Held-out purchases of the validation accounts (label 1). */
  readonly positives: number;
  /** Sampled items the validation accounts neither bought nor hold out (label 0). */
  readonly negatives: number;
}

/**
 * Learns blend weights by logistic regression: the components are fitted on `train`; for each account of `test`
 * (the validation part) its held-out items are positives and up to `negativesPerUser` sampled items it neither bought
 * nor holds out are negatives; each row's features are the components' normalised scores for the pair (as the blend
 * normalises them); the regression's coefficients, negatives clipped to 0 and normalised to sum to 1, are the blend's
 * weights. A pointwise alternative to {@link learnBlendWeights}' listwise coordinate ascent: one fit instead of a
 * search, and a natural reading ("a standard deviation of the CF score is worth β log-odds of a purchase").
 *
 * The score-level stacking of hybrid recommenders (Burke 2002; the linear "feature-weighted" blends of the Netflix
 * Prize, Sill et al. 2009, with logistic loss for implicit feedback).
 *
 * Complexity: the component fits, then O(validation accounts · (Σ scoreUser + items)) to build the rows and
 * O(rows · components²) for the regression, plus one evaluation of the learned blend.
 *
 * @param split - `train` to fit the components on, `test` (validation) holding the purchases to predict
 * @param components - the components' names and factories
 * @param options - negatives, penalty, seed, blend options, reported metric
 * @returns the spec, the fitted components, the coefficients, the metric and the row counts
 * @throws {@link core!NextbestError} `E_EMPTY` for no component or no validation account the components know,
 *   `E_DUPLICATE` for a repeated name, `E_BAD_INPUT` for a bad option or factory
 * @example
 * ```ts
 * import { createIdIndex } from "nextbest/core";
 * import { createInteractions } from "nextbest/data";
 * import type { Recommender } from "nextbest/recommend";
 * import { learnBlendWeightsLogistic } from "nextbest/hybrid";
 * const users = ["a", "b", "c", "d"];
 * const items = ["p", "q", "r", "s", "t"];
 * const train = createInteractions(users.map((user) => ({ user, item: "p" })));
 * const test = createInteractions(users.map((user, u) => ({ user, item: items[1 + u] })));
 * // "right" scores each account's held-out item highest; "noise" does not.
 * const component = (right: boolean) => (data: typeof train): Recommender => ({
 *   name: right ? "right" : "noise", users: data.users, items: createIdIndex(items),
 *   scoreUser(user, out) { out.fill(0); out[right ? 1 + user : 4 - user] = 1; }, seenItems() { return [0]; },
 * });
 * const learned = learnBlendWeightsLogistic({ train, test }, [
 *   { name: "right", factory: component(true) },
 *   { name: "noise", factory: component(false) },
 * ], { l2: 0.1 });
 * learned.coefficients.get("right")! > 0; // => true
 * learned.spec.components[0]!.weight > learned.spec.components[1]!.weight; // => true
 * ```
 * @category hybrid
 */
export function learnBlendWeightsLogistic(
  split: { readonly train: Interactions; readonly test: Interactions },
  components: readonly BlendComponentFactory[],
  options: LogisticBlendOptions = {},
): LogisticBlendWeights {
  const fn = "learnBlendWeightsLogistic";
  checkLearnerInput(fn, split, components);
  checkOptions(fn, options);
  const negativesPerUser = options.negativesPerUser ?? 50;
  assertInteger(fn, "options.negativesPerUser", negativesPerUser, 1);
  const l2 = options.l2 ?? 1;
  if (typeof l2 !== "number" || !Number.isFinite(l2) || l2 < 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.l2 must be a finite number >= 0, got ${describeValue(l2)}`);
  const seed = options.seed ?? 0;
  assertSeed(fn, "options.seed", seed);
  const normalization = options.normalization ?? "z-score";
  assertOneOf(fn, "options.normalization", normalization, NORMALIZATIONS);
  const missing = options.missing ?? "min";
  assertOneOf(fn, "options.missing", missing, MISSING);
  const metric = options.metric ?? "ndcg@10";
  const match = typeof metric === "string" ? /^([A-Za-z]+)@([1-9][0-9]*)$/.exec(metric) : null;
  if (metric !== "auc" && match === null) throw new NextbestError("E_BAD_INPUT", `${fn}: options.metric must be "auc" or <metric>@<k> (e.g. "ndcg@10"), got ${describeValue(metric)}`);

  const { fitted, recommenders } = fitComponents(fn, split.train, components);
  // One single-component blend per component gives its normalised scores aligned to the common catalog.
  const solo = fitted.map((_, c) => blendRecommenders(fitted.map((f, j) => ({ ...f, weight: j === c ? 1 : 0 })), { normalization, missing }));
  const first = solo[0]!;
  const itemCount = first.items.ids.length;
  const parts = solo.map(() => new Float64Array(itemCount));
  const random = createRandom(seed);
  const features: number[] = [];
  const labels: number[] = [];
  const { test } = split;
  const blocked = new Uint8Array(itemCount);
  const candidates: number[] = [];
  for (let tu = 0; tu < test.users.ids.length; tu++) {
    const u = first.users.lookup.get(test.users.ids[tu]!);
    if (u === undefined) continue;
    const positives: number[] = [];
    for (let p = test.byUser.indptr[tu]!; p < test.byUser.indptr[tu + 1]!; p++) {
      const h = first.items.lookup.get(test.items.ids[test.byUser.indices[p]!]!);
      if (h !== undefined) positives.push(h);
    }
    if (positives.length === 0) continue;
    solo.forEach((blend, c) => blend.scoreUser(u, parts[c]!));
    blocked.fill(0);
    const seen = first.seenItems(u);
    for (let j = 0; j < seen.length; j++) blocked[seen[j]!] = 1;
    for (const h of positives) blocked[h] = 1;
    candidates.length = 0;
    for (let h = 0; h < itemCount; h++) if (blocked[h] === 0 && parts.every((part) => part[h] === part[h])) candidates.push(h);
    // Partial Fisher–Yates: the first `negativesPerUser` candidates are a seeded sample without replacement.
    const take = Math.min(negativesPerUser, candidates.length);
    for (let j = 0; j < take; j++) {
      const r = j + Math.floor(random() * (candidates.length - j));
      const swap = candidates[j]!;
      candidates[j] = candidates[r]!;
      candidates[r] = swap;
    }
    const push = (h: number, label: number) => {
      for (const part of parts) features.push(part[h]! === part[h]! ? part[h]! : 0);
      labels.push(label);
    };
    for (const h of positives) if (parts.every((part) => part[h] === part[h])) push(h, 1);
    for (let j = 0; j < take; j++) push(candidates[j]!, 0);
  }
  const positives = labels.reduce((s, v) => s + v, 0);
  if (positives === 0 || positives === labels.length) {
    throw new NextbestError("E_EMPTY", `${fn}: the validation part must hold accounts the components know with held-out and unbought items, got ${positives} positives and ${labels.length - positives} negatives`);
  }
  const model = fitLogisticRegression(denseMatrix(labels.length, fitted.length, Float64Array.from(features)), labels, {
    l2,
    classWeights: "balanced",
    featureNames: fitted.map((f) => f.name),
  });
  const coefficients = new Map(fitted.map((f, c) => [f.name, model.coefficients[c]!] as const));
  const clipped = fitted.map((_, c) => Math.max(0, model.coefficients[c]!));
  const total = clipped.reduce((s, w) => s + w, 0);
  const weights = total > 0 ? clipped.map((w) => w / total) : clipped.map(() => 1 / fitted.length);
  const blend = blendRecommenders(fitted.map((f, c) => ({ ...f, weight: weights[c]! })), { normalization, missing });
  const key = match === null ? "auc" : match[1]!;
  const column = match === null ? "auc" : `${key}@${match[2]}`;
  const value = evaluateRanking(blend, split.test, { k: match === null ? 10 : Number(match[2]), metrics: [key as "ndcg"], train: split.train }).mean[column];
  return Object.freeze({
    spec: blend.spec,
    recommenders,
    coefficients,
    metric: column,
    value: value ?? Number.NaN,
    rows: Object.freeze({ positives, negatives: labels.length - positives }),
  });
}
