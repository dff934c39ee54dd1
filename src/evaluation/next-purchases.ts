/**
 * The B2B next-purchase protocol: new products and all products in a window after a cut-off.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Seed } from "../core/random.ts";
import type { TemporalWindowSplit } from "../data/split-window.ts";
import type { RankingMetricKey } from "./types.ts";
import type { Recommender } from "../recommend/types.ts";
import { evaluateRankingFor, type EvaluateRankingOptions, type RankingEvaluation } from "./evaluate-ranking.ts";
import { bootstrapConfidenceInterval, type ConfidenceInterval } from "./statistics.ts";
import { checkRequiredOptions } from "./internal.ts";
import { assertInteger, assertOneOf, assertSeed } from "../internal/validate.ts";

/**
 * Which question {@link evaluateNextPurchases} asks:
 * - `"new-products"`: which products will the account buy in the window that it has never bought before? Relevant =
 *   the window's products new to the account (`split.newPairs`); the account's training products are left out of
 *   its list (cross-selling).
 * - `"all-products"`: which products will it buy in the window at all? Relevant = every product bought in the window
 *   (`split.test`), repeat purchases included; lists may hold products bought before (reordering).
 *
 * @category evaluation
 */
export type NextPurchaseTask = "new-products" | "all-products";

const TASKS: readonly NextPurchaseTask[] = ["new-products", "all-products"];

/**
 * Options of {@link evaluateNextPurchases}.
 *
 * @category evaluation
 */
export interface EvaluateNextPurchasesOptions {
  /** The question asked, see {@link NextPurchaseTask}. Required. */
  task: NextPurchaseTask;
  /** The cutoff(s) of the lists. @defaultValue 10 */
  k?: number | readonly number[];
  /** The metrics, as {@link EvaluateRankingOptions}. @defaultValue ["ndcg", "precision", "recall", "hitRate", "coverage"] */
  metrics?: readonly RankingMetricKey[];
  /**
   * Percentile-bootstrap 95% confidence intervals of each per-account mean, resampling accounts; `false` for none.
   * @defaultValue { resamples: 1000, seed: 1 }
   */
  bootstrap?: NextPurchaseBootstrap | false;
}

/**
 * The bootstrap of {@link evaluateNextPurchases}' confidence intervals.
 *
 * @category evaluation
 */
export interface NextPurchaseBootstrap {
  /** How many resamples of the accounts, an integer in [1, 1,000,000]. @defaultValue 1000 */
  readonly resamples?: number;
  /** Seed of the resampling. */
  readonly seed: Seed;
}

/**
 * What {@link evaluateNextPurchases} returns: the ranking evaluation and a confidence interval per per-account column.
 *
 * @category evaluation
 */
export interface NextPurchaseEvaluation extends RankingEvaluation {
  /** The question asked. */
  readonly task: NextPurchaseTask;
  /** Per per-account column (e.g. `"ndcg@10"`), its bootstrap interval; empty without bootstrap. */
  readonly confidence: { readonly [column: string]: ConfidenceInterval };
}


/**
 * Scores a recommender on the B2B next-purchase protocol: fitted on `split.train` (the rows before the cut-off), asked
 * for each account's top-k list, and judged against what the account bought in the window (from
 * `splitTemporalWindow`), over the accounts with at least one relevant product. The two tasks are the two questions a
 * seller asks: what to cross-sell (`"new-products"`) and what the account will order (`"all-products"`).
 *
 * Metrics are `evaluateRanking`'s (binary relevance; nDCG's ideal over min(k, relevant); precision over k), with
 * catalogue coverage, and a percentile bootstrap over accounts for each mean. Accounts and products unknown to the
 * model are handled as `evaluateRanking` does (skipped; misses).
 *
 * @param recommender - the model, fitted on `split.train`
 * @param split - a {@link data!splitTemporalWindow} result
 * @param options - the task (required), k (default 10), metrics, bootstrap
 * @returns the ranking evaluation with the task and confidence intervals
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a missing or unknown task, a split that is not a window split,
 *   or a bad option
 * @example
 * ```ts
 * import { createInteractions, splitTemporalWindow } from "nextbest/data";
 * import { fitPopularity, popularityRecommender } from "nextbest/baselines";
 * import { evaluateNextPurchases } from "nextbest/evaluation";
 * const data = createInteractions([
 *   { user: "acme", item: "tea", timestamp: 1 }, { user: "acme", item: "mug", timestamp: 2 },
 *   { user: "bolt", item: "tea", timestamp: 3 }, { user: "acme", item: "tea", timestamp: 11 },
 *   { user: "bolt", item: "mug", timestamp: 12 },
 * ]);
 * const split = splitTemporalWindow(data, { cutoff: 10 });
 * const model = popularityRecommender(fitPopularity(split.train));
 * // bolt's only new product is mug: popularity ranks tea (seen, left out) then mug, a hit at rank 1.
 * evaluateNextPurchases(model, split, { task: "new-products", k: 2, metrics: ["hitRate"], bootstrap: false }).mean;
 * // => { "hitRate@2": 1 }
 * // All products: acme reorders tea, bolt buys mug; lists [tea, mug] for both.
 * evaluateNextPurchases(model, split, { task: "all-products", k: 1, metrics: ["precision"], bootstrap: false }).mean;
 * // => { "precision@1": 0.5 }
 * ```
 * @category evaluation
 */
export function evaluateNextPurchases(
  recommender: Recommender,
  split: TemporalWindowSplit,
  options: EvaluateNextPurchasesOptions,
): NextPurchaseEvaluation {
  const fn = "evaluateNextPurchases";
  checkRequiredOptions(fn, options);
  assertOneOf(fn, "options.task", options.task, TASKS);
  if (typeof split !== "object" || split === null || typeof split.newPairs !== "object" || typeof split.test !== "object") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: split must be a splitTemporalWindow result (with newPairs), got ${describeValue(split)}`);
  }
  const task = options.task;
  const rankingOptions: EvaluateRankingOptions = {
    k: options.k ?? 10,
    metrics: options.metrics ?? ["ndcg", "precision", "recall", "hitRate", "coverage"],
    excludeSeen: task === "new-products",
    train: split.train,
  };
  const bootstrap = options.bootstrap ?? { resamples: 1000, seed: 1 };
  if (bootstrap !== false) {
    if (typeof bootstrap !== "object" || bootstrap === null || Array.isArray(bootstrap)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.bootstrap must be { resamples, seed } or false, got ${describeValue(bootstrap)}`);
    }
    assertInteger(fn, "options.bootstrap.resamples", bootstrap.resamples ?? 1000, 1, 1_000_000);
    assertSeed(fn, "options.bootstrap.seed", bootstrap.seed);
  }
  const evaluation = evaluateRankingFor(
    fn,
    { test: task === "new-products" ? "split.newPairs" : "split.test", train: "split.train" },
    recommender,
    task === "new-products" ? split.newPairs : split.test,
    rankingOptions,
  );
  const confidence: Record<string, ConfidenceInterval> = {};
  if (bootstrap !== false && evaluation.users.evaluated > 0) {
    for (const column of Object.keys(evaluation.perUser.values)) {
      const values = evaluation.perUser.values[column]!;
      if (values.some((v) => Number.isNaN(v))) continue;
      confidence[column] = bootstrapConfidenceInterval(values, { resamples: bootstrap.resamples ?? 1000, seed: bootstrap.seed });
    }
  }
  return { ...evaluation, task, confidence };
}
