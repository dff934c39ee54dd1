/**
 * Several models on the same split, as one table.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Interactions } from "../data/types.ts";
import type { RankingEvaluation } from "./evaluate-ranking.ts";
import type { RatingsEvaluation } from "./evaluate-ratings.ts";
import { checkProtocolOptions, evaluatePlanned, fitTimed, planMetrics, type ExperimentOptions } from "./experiment.ts";
import { attachDisplay, escapeHtml } from "../internal/jupyter.ts";
import { checkInteractions, checkOptionalOptions, entryCount } from "./internal.ts";
import type { MetricName, ModelFactory } from "./types.ts";

/**
 * What {@link compareModels} evaluates on: a train/test pair (any split's result, e.g. `splitRandom(data, ...)`), or
 * the data and a splitter that makes one.
 *
 * @category evaluation
 */
export type ComparisonInput = TrainTestPair | DataWithSplitter;

/**
 * A train/test pair, such as any split of `nextbest/data` returns.
 *
 * @category evaluation
 */
export interface TrainTestPair {
  /** The interactions the models are fitted on. */
  readonly train: Interactions;
  /** The held-out interactions they are evaluated on. */
  readonly test: Interactions;
}

/**
 * Data and the splitter that makes the train/test pair, e.g. `(data) => splitRandom(data, { seed: 1 })`.
 *
 * @category evaluation
 */
export interface DataWithSplitter {
  /** All interactions. */
  readonly data: Interactions;
  /** Makes the train/test pair from `data` (called once). */
  readonly splitter: (data: Interactions) => TrainTestPair;
}

/**
 * One model's row of a {@link ModelComparison}.
 *
 * @category evaluation
 */
export interface ComparisonRow {
  /** The model's name: its key in the factories. */
  readonly model: string;
  /** Per metric column, the model's value. */
  readonly values: { readonly [column: string]: number };
  /** Seconds the factory took on the training set. */
  readonly fitSeconds: number;
  /** Seconds the protocols took on the test set (recommending or predicting, and the metrics). */
  readonly scoringSeconds: number;
  /** The full ranking evaluation (per-user values for {@link pairedComparison}), or `null` when no ranking column was asked for. */
  readonly ranking: RankingEvaluation | null;
  /** The full rating evaluation, or `null` when no rating column was asked for. */
  readonly ratings: RatingsEvaluation | null;
}

/**
 * What {@link compareModels} returns: one row per model. Plain data: `JSON.stringify(result)` writes it whole (NaN
 * becomes `null`); {@link formatComparisonTable} prints it.
 *
 * @category evaluation
 */
export interface ModelComparison {
  /** The metric columns. */
  readonly metrics: readonly MetricName[];
  /** One row per model, in the factories' order. */
  readonly rows: readonly ComparisonRow[];
  /** Interactions in the training set. */
  readonly trainInteractions: number;
  /** Interactions in the test set. */
  readonly testInteractions: number;
}

function isInteractions(value: unknown): boolean {
  return typeof value === "object" && value !== null && "byUser" in value;
}

function resolveInput(fn: string, input: unknown): { train: Interactions; test: Interactions } {
  if (typeof input !== "object" || input === null) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: split must be { train, test } or { data, splitter }, got ${describeValue(input)}`);
  }
  const candidate = input as { train?: unknown; test?: unknown; data?: unknown; splitter?: unknown };
  if (candidate.data !== undefined || candidate.splitter !== undefined) {
    checkInteractions(fn, "split.data", candidate.data);
    if (typeof candidate.splitter !== "function") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: split.splitter must be a function (data) => { train, test }, got ${describeValue(candidate.splitter)}`);
    }
    const made: unknown = candidate.splitter(candidate.data);
    const pair = made as { train?: unknown; test?: unknown } | null;
    if (typeof pair !== "object" || pair === null || !isInteractions(pair.train) || !isInteractions(pair.test)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: split.splitter must return { train, test } (e.g. splitRandom's result), got ${describeValue(made)}`);
    }
    return resolveInput(fn, { train: pair.train, test: pair.test });
  }
  checkInteractions(fn, "split.train", candidate.train);
  checkInteractions(fn, "split.test", candidate.test);
  return { train: candidate.train, test: candidate.test };
}

function resolveFactories(fn: string, factories: unknown): [string, ModelFactory][] {
  let entries: [unknown, unknown][];
  if (factories instanceof Map) entries = Array.from(factories as Map<unknown, unknown>);
  else if (typeof factories === "object" && factories !== null && !Array.isArray(factories)) entries = Object.entries(factories);
  else {
    throw new NextbestError("E_BAD_INPUT", `${fn}: factories must be a Map or an object of name → (train) => Recommender, got ${describeValue(factories)}`);
  }
  if (entries.length === 0) throw new NextbestError("E_EMPTY", `${fn}: factories must hold at least one model, got none`);
  for (const [name, factory] of entries) {
    if (typeof name !== "string") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: factories' keys must be model names (strings), got ${describeValue(name)}`);
    }
    if (typeof factory !== "function") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: factories[${JSON.stringify(name)}] must be a function (train) => Recommender, got ${describeValue(factory)}`);
    }
  }
  return entries as [string, ModelFactory][];
}

/**
 * Fits several models on the same training set and evaluates them on the same test set with the same metric columns,
 * as cornac's `Experiment`: one row per model with its metric values, fit seconds and scoring seconds, plus each
 * model's full evaluations (per-user values for {@link pairedComparison} and {@link bootstrapConfidenceInterval}).
 * Print it with {@link formatComparisonTable}; store it with `JSON.stringify`. In a Deno notebook the result displays
 * as an HTML table with each metric's best value in bold (lowest for mae, mse and rmse, highest otherwise).
 *
 * Complexity: one fit and one evaluation per model. Models run one after another in the factories' order; timings are
 * wall-clock seconds (`performance.now()`), comparable within one run.
 *
 * @param split - `{ train, test }` (e.g. `splitRandom(data, { seed: 1 })`), or `{ data, splitter }`
 * @param factories - the models by name: a Map or an object of `(train) => Recommender`
 * @param options - metric columns and protocol options
 * @returns one row per model
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed split, factory or option; `E_EMPTY` without models;
 *   whatever a factory throws
 * @example
 * ```ts
 * import { createInteractions, splitRandom } from "nextbest/data";
 * import { fitPopularity, fitRandom, popularityRecommender, randomRecommender } from "nextbest/baselines";
 * import { compareModels } from "nextbest/evaluation";
 * const rows = [];
 * for (let u = 0; u < 30; u++) for (let i = 0; i <= u % 8; i++) rows.push({ user: u, item: i });
 * const split = splitRandom(createInteractions(rows), { testFraction: 0.3, seed: 2 });
 * const result = compareModels(split, {
 *   popularity: (train) => popularityRecommender(fitPopularity(train)),
 *   random: (train) => randomRecommender(fitRandom(train, { seed: 3 })),
 * }, { metrics: ["precision@3", "recall@3"] });
 * result.rows.map((row) => row.model); // => ["popularity", "random"]
 * result.rows[0].values["recall@3"] > result.rows[1].values["recall@3"]; // => true
 * ```
 * @category evaluation
 */
export function compareModels(
  split: ComparisonInput,
  factories: ReadonlyMap<string, ModelFactory> | { readonly [name: string]: ModelFactory },
  options?: ExperimentOptions,
): ModelComparison {
  const fn = "compareModels";
  checkOptionalOptions(fn, options);
  const o = options ?? {};
  checkProtocolOptions(fn, o);
  const plan = planMetrics(fn, o.metrics);
  const models = resolveFactories(fn, factories);
  const { train, test } = resolveInput(fn, split);
  const rows: ComparisonRow[] = [];
  for (const [model, factory] of models) {
    const { recommender, fitSeconds } = fitTimed(fn, `factories[${JSON.stringify(model)}]`, factory, train);
    const evaluation = evaluatePlanned(recommender, train, test, plan, o);
    const first = plan.columns[0]!;
    o.onProgress?.({ phase: `model ${model}`, step: rows.length + 1, total: models.length, metric: evaluation.values[first]!, metricName: first });
    rows.push({
      model,
      values: evaluation.values,
      fitSeconds,
      scoringSeconds: evaluation.scoringSeconds,
      ranking: evaluation.ranking,
      ratings: evaluation.ratings,
    });
  }
  const comparison: ModelComparison = { metrics: plan.columns, rows, trainInteractions: entryCount(train), testInteractions: entryCount(test) };
  return attachDisplay(comparison, () => ({ "text/html": comparisonHtml(comparison), "text/plain": formatComparisonTable(comparison) }));
}

/** Error metrics, where lower is better; every other column is better higher. */
const LOWER_IS_BETTER = new Set(["mae", "mse", "rmse"]);

/** The notebook view of a comparison: the text table's columns, each metric's best value in bold. */
function comparisonHtml(comparison: ModelComparison): string {
  const best = new Map<string, number>();
  for (const column of comparison.metrics) {
    const lower = LOWER_IS_BETTER.has(column);
    for (const row of comparison.rows) {
      const value = row.values[column];
      if (value === undefined || !Number.isFinite(value)) continue;
      const current = best.get(column);
      if (current === undefined || (lower ? value < current : value > current)) best.set(column, value);
    }
  }
  const cell = (value: number | undefined, digits: number, bold: boolean): string => {
    const text = value === undefined ? "-" : Number.isFinite(value) ? value.toFixed(digits) : String(value);
    return `<td style="text-align:right">${bold ? `<b>${text}</b>` : text}</td>`;
  };
  const head = ["model", ...comparison.metrics, "fit (s)", "scoring (s)"]
    .map((name, j) => `<th style="text-align:${j === 0 ? "left" : "right"}">${escapeHtml(name)}</th>`)
    .join("");
  const body = comparison.rows
    .map((row) => {
      const metrics = comparison.metrics.map((column) => cell(row.values[column], 4, row.values[column] === best.get(column)));
      return `<tr><td>${escapeHtml(row.model)}</td>${metrics.join("")}${cell(row.fitSeconds, 3, false)}${cell(row.scoringSeconds, 3, false)}</tr>`;
    })
    .join("");
  const caption = `${comparison.trainInteractions.toLocaleString("en-US")} training and ${comparison.testInteractions.toLocaleString("en-US")} test interactions; best value per metric in bold`;
  return `<table><caption style="text-align:left">${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/**
 * Options of {@link formatComparisonTable}.
 *
 * @category evaluation
 */
export interface FormatComparisonTableOptions {
  /** Digits after the decimal point for metric values. @defaultValue 4 */
  digits?: number;
  /** Digits after the decimal point for seconds. @defaultValue 3 */
  secondsDigits?: number;
}

/**
 * A {@link ModelComparison} as an aligned plain-text table: one line per model, one column per metric, then fit and
 * scoring seconds; names left-aligned, numbers right-aligned, NaN printed as `NaN`. O(models × columns).
 *
 * @param comparison - the result of {@link compareModels}
 * @param options - digits for metrics and for seconds
 * @returns the table, lines joined with `\n`, no trailing newline
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed comparison or digits outside [0, 20]
 * @example
 * ```ts
 * import { formatComparisonTable } from "nextbest/evaluation";
 * const comparison = {
 *   metrics: ["rmse", "ndcg@10"], trainInteractions: 80, testInteractions: 20,
 *   rows: [
 *     { model: "als", values: { rmse: 0.91234, "ndcg@10": 0.3 }, fitSeconds: 1.5, scoringSeconds: 0.25, ranking: null, ratings: null },
 *     { model: "popularity", values: { rmse: NaN, "ndcg@10": 0.1 }, fitSeconds: 0.01, scoringSeconds: 0.2, ranking: null, ratings: null },
 *   ],
 * };
 * formatComparisonTable(comparison, { digits: 3 }).split("\n");
 * // => ["model        rmse  ndcg@10  fit (s)  scoring (s)",
 * //      "als         0.912    0.300    1.500        0.250",
 * //      "popularity    NaN    0.100    0.010        0.200"]
 * ```
 * @category evaluation
 */
export function formatComparisonTable(comparison: ModelComparison, options?: FormatComparisonTableOptions): string {
  const fn = "formatComparisonTable";
  checkOptionalOptions(fn, options);
  const c = comparison as Partial<ModelComparison> | null;
  if (typeof c !== "object" || c === null || !Array.isArray(c.metrics) || !Array.isArray(c.rows)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: comparison must be the result of compareModels, got ${describeValue(comparison)}`);
  }
  const digits = options?.digits ?? 4;
  const secondsDigits = options?.secondsDigits ?? 3;
  for (const [name, value] of [["options.digits", digits], ["options.secondsDigits", secondsDigits]] as const) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 20) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be an integer in [0, 20], got ${describeValue(value)}`);
    }
  }
  const format = (value: unknown, places: number): string =>
    typeof value === "number" && Number.isFinite(value) ? value.toFixed(places) : typeof value === "number" ? String(value) : "-";
  const header = ["model", ...c.metrics, "fit (s)", "scoring (s)"];
  const lines: string[][] = [header];
  for (const row of c.rows) {
    lines.push([
      String(row.model),
      ...c.metrics.map((column) => format(row.values?.[column], digits)),
      format(row.fitSeconds, secondsDigits),
      format(row.scoringSeconds, secondsDigits),
    ]);
  }
  const widths = header.map((_, j) => Math.max(...lines.map((line) => line[j]!.length)));
  return lines
    .map((line) => line.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!))).join("  ").trimEnd())
    .join("\n");
}
