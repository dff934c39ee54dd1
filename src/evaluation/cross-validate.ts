/**
 * K-fold cross-validation of a model factory.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Seed } from "../core/random.ts";
import type { ColdStartPolicy, InteractionsSplit } from "../data/split-common.ts";
import { splitKFold } from "../data/split-k-fold.ts";
import type { Interactions } from "../data/types.ts";
import { checkProtocolOptions, evaluatePlanned, fitTimed, planMetrics, type ExperimentOptions, type MetricPlan } from "./experiment.ts";
import { checkInteractions, checkRequiredOptions, compensatedSum, entryCount, sampleStandardDeviation } from "./internal.ts";
import type { MetricName, ModelFactory } from "./types.ts";
import { assertInteger, assertSeed } from "../internal/validate.ts";

/**
 * Options of {@link crossValidate}.
 *
 * @category evaluation
 */
export interface CrossValidateOptions extends ExperimentOptions {
  /** Number of folds, an integer in [2, number of interactions]. @defaultValue 5 */
  folds?: number;
  /** Seed of the fold assignment (`splitKFold`); the same seed gives the same folds and the same results. */
  seed: Seed;
  /**
   * What each fold does with test interactions of users or items absent from its training part (`splitKFold`'s
   * `coldStart`): `"drop"` removes them, as Surprise's and cornac's folds do.
   * @defaultValue "drop"
   */
  coldStart?: ColdStartPolicy;
}

/**
 * One fold of a {@link CrossValidation}.
 *
 * @category evaluation
 */
export interface FoldResult {
  /** The fold number, from 0. */
  readonly fold: number;
  /** Per metric column, the fold's value. */
  readonly values: { readonly [column: string]: number };
  /** Seconds the factory took on the fold's training part. */
  readonly fitSeconds: number;
  /** Seconds the protocols took on the fold's test part (recommending or predicting, and the metrics). */
  readonly scoringSeconds: number;
  /** Interactions in the fold's training part. */
  readonly trainInteractions: number;
  /** Interactions in the fold's test part (after cold-start dropping). */
  readonly testInteractions: number;
}

/**
 * What {@link crossValidate} returns. Plain data; `JSON.stringify` keeps everything (NaN becomes `null`).
 *
 * @category evaluation
 */
export interface CrossValidation {
  /** The recommender's `name` (from the first fold). */
  readonly model: string;
  /** The number of folds. */
  readonly folds: number;
  /** The seed of the folds. */
  readonly seed: Seed;
  /** The metric columns. */
  readonly metrics: readonly MetricName[];
  /** Per fold, the values and timings. */
  readonly perFold: readonly FoldResult[];
  /** Per column, the mean over the folds. */
  readonly mean: { readonly [column: string]: number };
  /** Per column, the sample standard deviation over the folds (n - 1 denominator; see {@link crossValidate}). */
  readonly standardDeviation: { readonly [column: string]: number };
  /** Mean seconds of the factory per fold. */
  readonly meanFitSeconds: number;
  /** Mean seconds of the protocols per fold. */
  readonly meanScoringSeconds: number;
}

/** Runs one factory over prepared folds (shared with the hyper-parameter search). @internal */
export function crossValidateFolds(
  fn: string,
  label: string,
  splits: readonly InteractionsSplit[],
  factory: ModelFactory,
  plan: MetricPlan,
  options: ExperimentOptions,
): { model: string; perFold: FoldResult[]; mean: { [column: string]: number }; standardDeviation: { [column: string]: number } } {
  const perFold: FoldResult[] = [];
  let model = "";
  for (let f = 0; f < splits.length; f++) {
    const { train, test } = splits[f]!;
    const { recommender, fitSeconds } = fitTimed(fn, label, factory, train);
    if (f === 0) model = recommender.name;
    const evaluation = evaluatePlanned(recommender, train, test, plan, options);
    const first = plan.columns[0]!;
    options.onProgress?.({ phase: "fold", step: f + 1, total: splits.length, metric: evaluation.values[first]!, metricName: first });
    perFold.push({
      fold: f,
      values: evaluation.values,
      fitSeconds,
      scoringSeconds: evaluation.scoringSeconds,
      trainInteractions: entryCount(train),
      testInteractions: entryCount(test),
    });
  }
  const mean: { [column: string]: number } = {};
  const standardDeviation: { [column: string]: number } = {};
  for (const column of plan.columns) {
    const values = perFold.map((fold) => fold.values[column]!);
    mean[column] = compensatedSum(values) / values.length;
    standardDeviation[column] = sampleStandardDeviation(values);
  }
  return { model, perFold, mean, standardDeviation };
}

/**
 * K-fold cross-validation of a model factory: the interactions are split into `folds` seeded random folds
 * (`nextbest/data`'s `splitKFold`: each interaction is tested exactly once), the factory is fitted on each fold's
 * training part and evaluated on its test part with the requested metric columns (rating errors through
 * {@link evaluateRatings}, ranking metrics through {@link evaluateRanking}), and each column is summarised by its
 * mean and sample standard deviation over the folds (n - 1 denominator; Surprise's `cross_validate` prints numpy's
 * population standard deviation, which is smaller by a factor sqrt((n - 1) / n): 0.894 for 5 folds).
 *
 * Complexity: `folds` fits plus `folds` evaluations, O(folds × (n + users + items)) to split.
 *
 * @param data - all interactions
 * @param factory - fits a model on a training set: `(train) => Recommender`
 * @param options - folds (default 5), seed (required), metric columns, protocol options, cold-start policy
 * @returns per-fold values and timings, and per column the mean and the sample standard deviation
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed dataset or option (a metric column is named), a
 *   missing seed, folds outside [2, n], or a factory that does not return a Recommender; whatever the factory throws
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitPopularity, popularityRecommender } from "nextbest/baselines";
 * import { crossValidate } from "nextbest/evaluation";
 * const rows = [];
 * for (let u = 0; u < 20; u++) for (let i = 0; i <= u % 6; i++) rows.push({ user: `u${u}`, item: `p${i}` });
 * const popular = (train) => popularityRecommender(fitPopularity(train));
 * const cv = crossValidate(createInteractions(rows), popular, { folds: 3, seed: 1, metrics: ["recall@3", "ndcg@3"] });
 * cv.perFold.length; // => 3
 * cv.mean["recall@3"] > 0.5; // => true
 * Object.keys(cv.standardDeviation); // => ["recall@3", "ndcg@3"]
 * ```
 * @category evaluation
 */
export function crossValidate(data: Interactions, factory: ModelFactory, options: CrossValidateOptions): CrossValidation {
  const fn = "crossValidate";
  checkInteractions(fn, "data", data);
  if (typeof factory !== "function") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: factory must be a function (train) => Recommender, got ${describeValue(factory)}`);
  }
  checkRequiredOptions(fn, options);
  checkProtocolOptions(fn, options);
  const plan = planMetrics(fn, options.metrics);
  const folds = options.folds ?? 5;
  assertSeed(fn, "options.seed", options.seed);
  assertInteger(fn, "options.folds", folds, 2, Math.max(2, entryCount(data)));
  const splits = splitKFold(data, { folds, seed: options.seed, ...(options.coldStart === undefined ? {} : { coldStart: options.coldStart }) });
  const { model, perFold, mean, standardDeviation } = crossValidateFolds(fn, "factory", splits, factory, plan, options);
  return {
    model,
    folds,
    seed: options.seed,
    metrics: plan.columns,
    perFold,
    mean,
    standardDeviation,
    meanFitSeconds: compensatedSum(perFold.map((f) => f.fitSeconds)) / perFold.length,
    meanScoringSeconds: compensatedSum(perFold.map((f) => f.scoringSeconds)) / perFold.length,
  };
}
