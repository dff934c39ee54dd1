/**
 * What the experiment runners ({@link crossValidate}, {@link compareModels}, {@link gridSearch}, {@link randomSearch})
 * share: metric columns by name, and fitting plus evaluating one model on one train/test pair, timed.
 *
 * @module
 */
import { progressOption, type ProgressCallback } from "../core/progress.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Interactions } from "../data/types.ts";
import type { Recommender } from "../recommend/types.ts";
import { evaluateRanking, type EvaluateRankingOptions, type RankingEvaluation } from "./evaluate-ranking.ts";
import { evaluateRatings, type EvaluateRatingsOptions, type RatingsEvaluation } from "./evaluate-ratings.ts";
import { now, secondsSince } from "./internal.ts";
import type { MetricName, ModelFactory, RankingMetricKey, RatingMetricName } from "./types.ts";

/**
 * Options every experiment runner takes: which metric columns to report and how the two protocols run.
 *
 * @category evaluation
 */
export interface ExperimentOptions {
  /**
   * The metric columns, in this order: rating errors (`"rmse"`, `"mae"`, `"mse"`, through {@link evaluateRatings}),
   * ranking metrics at a cutoff (`"precision@10"`, `"ndcg@5"`, `"coverage@10"`, ..., through
   * {@link evaluateRanking}) and `"auc"`; mix them freely (as cornac's `Experiment`).
   * @defaultValue ["precision@10", "recall@10", "ndcg@10", "map@10"]
   */
  metrics?: readonly MetricName[];
  /**
   * Options of the ranking protocol (relevance threshold, seen filtering, cold users, metric conventions); the cutoffs
   * and metrics come from `metrics`, the training set from the split.
   * @defaultValue {} (the defaults of {@link evaluateRanking})
   */
  ranking?: Omit<EvaluateRankingOptions, "k" | "metrics" | "train">;
  /**
   * Options of the rating protocol (unpredictable pairs, fallback use); the training set comes from the split.
   * @defaultValue {} (the defaults of {@link evaluateRatings})
   */
  ratings?: Omit<EvaluateRatingsOptions, "train">;
  /**
   * Called after each model (`compareModels`, `phase` `"model <name>"`) or fold (`crossValidate`, `phase` `"fold"`)
   * is fitted and evaluated, with the first metric column as `metric`. @defaultValue none
   */
  onProgress?: ProgressCallback;
}

/** Metric columns resolved into what each protocol must compute. @internal */
export interface MetricPlan {
  /** The columns, in the caller's order, without repeats. */
  readonly columns: readonly MetricName[];
  /** Rating errors to compute (empty: the rating protocol does not run). */
  readonly rating: readonly RatingMetricName[];
  /** Ranking metric keys to compute (empty: the ranking protocol does not run). */
  readonly ranking: readonly RankingMetricKey[];
  /** Cutoffs of the ranking protocol. */
  readonly ks: readonly number[];
}

const DEFAULT_COLUMNS: readonly MetricName[] = ["precision@10", "recall@10", "ndcg@10", "map@10"];
const RATING: readonly string[] = ["mae", "rmse", "mse"];
const AT_K: readonly string[] = ["precision", "recall", "f1", "hitRate", "ndcg", "map", "mrr", "coverage", "novelty", "popularity"];

/** Parses one metric column name; E_BAD_INPUT naming it when malformed. @internal */
export function parseMetricName(
  fn: string,
  name: string,
  column: unknown,
): { kind: "rating"; metric: RatingMetricName } | { kind: "ranking"; metric: RankingMetricKey; k: number | null } {
  if (typeof column === "string") {
    if (RATING.includes(column)) return { kind: "rating", metric: column as RatingMetricName };
    if (column === "auc") return { kind: "ranking", metric: "auc", k: null };
    const match = /^([A-Za-z]+)@([1-9][0-9]*)$/.exec(column);
    if (match !== null && AT_K.includes(match[1]!)) {
      return { kind: "ranking", metric: match[1] as RankingMetricKey, k: Number(match[2]) };
    }
  }
  throw new NextbestError(
    "E_BAD_INPUT",
    `${fn}: ${name} must be "mae", "rmse", "mse", "auc" or <metric>@<k> with metric one of ${AT_K.join(", ")} and k a positive integer (e.g. "ndcg@10"), got ${describeValue(column)}`,
  );
}

/** Resolves the `metrics` option (plus `extra` columns first, for the search's objective). @internal */
export function planMetrics(fn: string, metrics: unknown, extra: readonly MetricName[] = []): MetricPlan {
  if (metrics !== undefined && (!Array.isArray(metrics) || metrics.length === 0)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.metrics must be a non-empty array of metric names, got ${describeValue(metrics)}`);
  }
  const given = (metrics as readonly unknown[] | undefined) ?? (extra.length > 0 ? [] : DEFAULT_COLUMNS);
  const columns: MetricName[] = [];
  const rating: RatingMetricName[] = [];
  const ranking: RankingMetricKey[] = [];
  const ks: number[] = [];
  const all: { name: string; value: unknown }[] = [
    ...extra.map((value) => ({ name: "options.metric", value })),
    ...given.map((value, j) => ({ name: `options.metrics[${j}]`, value })),
  ];
  for (const { name, value } of all) {
    const parsed = parseMetricName(fn, name, value);
    if (columns.includes(value as MetricName)) continue;
    columns.push(value as MetricName);
    if (parsed.kind === "rating") {
      rating.push(parsed.metric);
    } else {
      if (!ranking.includes(parsed.metric)) ranking.push(parsed.metric);
      if (parsed.k !== null && !ks.includes(parsed.k)) ks.push(parsed.k);
    }
  }
  return { columns, rating, ranking, ks: ks.length === 0 ? [10] : ks.sort((a, b) => a - b) };
}

/** Checks the `ranking` and `ratings` sub-options are objects. @internal */
export function checkProtocolOptions(fn: string, options: ExperimentOptions): void {
  progressOption(fn, options.onProgress);
  for (const name of ["ranking", "ratings"] as const) {
    const value: unknown = options[name];
    if (value !== undefined && (typeof value !== "object" || value === null || Array.isArray(value))) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be an object, got ${describeValue(value)}`);
    }
  }
}

/** Calls a factory on `train`, timed; E_BAD_INPUT when it does not return a Recommender. @internal */
export function fitTimed(fn: string, label: string, factory: ModelFactory, train: Interactions): { recommender: Recommender; fitSeconds: number } {
  const start = now();
  const recommender = factory(train);
  const fitSeconds = secondsSince(start);
  const r = recommender as Partial<Recommender> | null;
  if (typeof r !== "object" || r === null || typeof r.scoreUser !== "function" || typeof r.seenItems !== "function") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${label} must return a Recommender (e.g. popularityRecommender(fitPopularity(train))), got ${describeValue(recommender)}`);
  }
  return { recommender, fitSeconds };
}

/** The evaluation of one fitted model on one split: the requested columns and the protocols' full results. @internal */
export interface PlannedEvaluation {
  readonly values: { [column: string]: number };
  readonly ranking: RankingEvaluation | null;
  readonly ratings: RatingsEvaluation | null;
  readonly scoringSeconds: number;
}

/** Runs the protocols the plan needs on one fitted model, timed. @internal */
export function evaluatePlanned(
  recommender: Recommender,
  train: Interactions,
  test: Interactions,
  plan: MetricPlan,
  options: ExperimentOptions,
): PlannedEvaluation {
  const start = now();
  let ranking: RankingEvaluation | null = null;
  let ratings: RatingsEvaluation | null = null;
  if (plan.ranking.length > 0) {
    ranking = evaluateRanking(recommender, test, { ...options.ranking, k: plan.ks, metrics: plan.ranking, train });
  }
  if (plan.rating.length > 0) {
    ratings = evaluateRatings(recommender, test, { ...options.ratings, train });
  }
  const scoringSeconds = secondsSince(start);
  const values: { [column: string]: number } = {};
  for (const column of plan.columns) {
    values[column] = column === "mae" || column === "rmse" || column === "mse" ? ratings![column] : ranking!.mean[column]!;
  }
  return { values, ranking, ratings, scoringSeconds };
}
