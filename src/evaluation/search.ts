/**
 * Hyper-parameter search over any model factory: exhaustive grid search and seeded random search, on a holdout split
 * carved from the data or by k-fold cross-validation.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { createRandom, type Seed } from "../core/random.ts";
import type { ColdStartPolicy, InteractionsSplit } from "../data/split-common.ts";
import { splitKFold } from "../data/split-k-fold.ts";
import { splitRandom } from "../data/split-random.ts";
import type { Interactions } from "../data/types.ts";
import { assertInteger, assertSeed } from "../internal/validate.ts";
import { crossValidateFolds } from "./cross-validate.ts";
import { checkProtocolOptions, evaluatePlanned, fitTimed, planMetrics, type ExperimentOptions, type MetricPlan } from "./experiment.ts";
import { checkInteractions, checkRequiredOptions, entryCount } from "./internal.ts";
import type { MetricName, ModelFactory } from "./types.ts";

/**
 * Where a search measures each candidate: `{ split: "holdout", testFraction, seed }` holds out a seeded random
 * share of the interactions once (`splitRandom`) and scores every candidate on it; `{ folds, seed }` cross-validates
 * every candidate on the same seeded folds (`splitKFold`) and scores it by the mean over the folds. Pass the
 * training part of your data, so the final test set stays unseen by the search.
 *
 * @category evaluation
 */
export type SearchValidation =
  | {
      /** Holdout validation. */
      readonly split: "holdout";
      /** Share of the interactions held out, in (0, 1). @defaultValue 0.2 */
      readonly testFraction?: number;
      /** Seed of the split. */
      readonly seed: Seed;
      /** Cold-start policy of the split. @defaultValue "drop" */
      readonly coldStart?: ColdStartPolicy;
    }
  | {
      /** Number of folds, an integer >= 2. */
      readonly folds: number;
      /** Seed of the folds. */
      readonly seed: Seed;
      /** Cold-start policy of the folds. @defaultValue "drop" */
      readonly coldStart?: ColdStartPolicy;
    };

/**
 * Whether a lower or a higher score is better.
 *
 * @category evaluation
 */
export type SearchDirection = "minimize" | "maximize";

/**
 * Options shared by {@link gridSearch} and {@link randomSearch}.
 *
 * @category evaluation
 */
export interface SearchOptions extends ExperimentOptions {
  /** The objective: a metric column, e.g. `"ndcg@10"` or `"rmse"`. Always the first column of the table. */
  metric: MetricName;
  /** Holdout or k-fold validation, see {@link SearchValidation}. */
  validation: SearchValidation;
  /**
   * Whether lower or higher `metric` is better.
   * @defaultValue "minimize" for the rating errors (`"mae"`, `"rmse"`, `"mse"`), "maximize" for every other column
   */
  direction?: SearchDirection;
  /** Further columns to report for each candidate (not optimised). @defaultValue [] */
  metrics?: readonly MetricName[];
}

/**
 * Options of {@link gridSearch}.
 *
 * @category evaluation
 */
export interface GridSearchOptions<P extends Record<string, unknown>> extends SearchOptions {
  /**
   * For each parameter, the values to try; every combination is tried (the last parameter varies fastest), at most
   * 100,000 combinations.
   */
  grid: { readonly [K in keyof P]: readonly P[K][] };
}

/** The most candidates a search fits: grid combinations, or random-search trials (each candidate is a model fit). */
const MAX_CANDIDATES = 100_000;

/**
 * A numeric distribution of {@link randomSearch}: `"uniform"` in [min, max), `"log-uniform"` (uniform in log space,
 * for learning rates and regularization; min > 0), `"integer"` (uniform over the integers min..max, inclusive).
 *
 * @category evaluation
 */
export interface NumericDistribution {
  /** The kind of distribution. */
  readonly kind: "uniform" | "log-uniform" | "integer";
  /** The lower bound. */
  readonly min: number;
  /** The upper bound (exclusive for the continuous kinds, inclusive for `"integer"`). */
  readonly max: number;
}

/**
 * Options of {@link randomSearch}.
 *
 * @category evaluation
 */
export interface RandomSearchOptions<P extends Record<string, unknown>> extends SearchOptions {
  /** For each parameter, an array of choices (drawn uniformly) or a {@link NumericDistribution}. */
  space: { readonly [K in keyof P]: readonly P[K][] | NumericDistribution };
  /** How many candidates to draw, an integer in [1, 100,000] (draws are independent: a candidate may repeat). */
  trials: number;
  /** Seed of the draws; the same seed gives the same candidates (the validation split has its own seed). */
  seed: Seed;
}

/**
 * One candidate of a {@link SearchResult}.
 *
 * @category evaluation
 */
export interface SearchRow<P> {
  /** The candidate's parameters. */
  readonly params: P;
  /** The objective's value (the mean over the folds under k-fold validation). */
  readonly score: number;
  /** Under k-fold validation the sample standard deviation of the objective over the folds, else `null`. */
  readonly standardDeviation: number | null;
  /** Per column (the objective first), the value. */
  readonly values: { readonly [column: string]: number };
  /** Seconds the factory took (summed over the folds). */
  readonly fitSeconds: number;
  /** Seconds the protocols took (summed over the folds). */
  readonly scoringSeconds: number;
}

/**
 * What {@link gridSearch} and {@link randomSearch} return: the best candidate and the whole table. Plain data when the
 * parameters are.
 *
 * @category evaluation
 */
export interface SearchResult<P> {
  /** The objective column. */
  readonly metric: MetricName;
  /** Whether lower or higher was better. */
  readonly direction: SearchDirection;
  /** `"holdout"` or `"k-fold"`. */
  readonly validation: "holdout" | "k-fold";
  /** The columns of every row's `values`. */
  readonly metrics: readonly MetricName[];
  /**
   * The best row (the first one on ties, so the grid's order or the draw order decides), or `null` when every score
   * is NaN (e.g. no user could be evaluated).
   */
  readonly best: SearchRow<P> | null;
  /** The best row's position in `rows`, or -1. */
  readonly bestIndex: number;
  /** Every candidate, in the order tried. */
  readonly rows: readonly SearchRow<P>[];
}

const RATING_ERRORS: readonly string[] = ["mae", "rmse", "mse"];

interface PreparedSearch {
  readonly plan: MetricPlan;
  readonly direction: SearchDirection;
  readonly kind: "holdout" | "k-fold";
  readonly splits: readonly InteractionsSplit[];
}

function prepareSearch(fn: string, data: Interactions, factoryFor: unknown, options: SearchOptions): PreparedSearch {
  checkInteractions(fn, "data", data);
  if (typeof factoryFor !== "function") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: factoryFor must be a function (params) => (train) => Recommender, got ${describeValue(factoryFor)}`);
  }
  checkRequiredOptions(fn, options);
  checkProtocolOptions(fn, options);
  const plan = planMetrics(fn, options.metrics, [options.metric]);
  const direction = options.direction ?? (RATING_ERRORS.includes(options.metric) ? "minimize" : "maximize");
  if (direction !== "minimize" && direction !== "maximize") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.direction must be "minimize" or "maximize", got ${describeValue(direction)}`);
  }
  const validation = options.validation as { split?: unknown; folds?: unknown; testFraction?: unknown; seed?: unknown; coldStart?: ColdStartPolicy } | undefined;
  if (typeof validation !== "object" || validation === null) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.validation must be { split: "holdout", testFraction, seed } or { folds, seed }, got ${describeValue(validation)}`);
  }
  assertSeed(fn, "options.validation.seed", validation.seed);
  const coldStart = validation.coldStart === undefined ? {} : { coldStart: validation.coldStart };
  if (validation.split === "holdout" && validation.folds === undefined) {
    const testFraction = validation.testFraction === undefined ? {} : { testFraction: validation.testFraction as number };
    return { plan, direction, kind: "holdout", splits: [splitRandom(data, { seed: validation.seed, ...testFraction, ...coldStart })] };
  }
  if (validation.split === undefined && validation.folds !== undefined) {
    assertInteger(fn, "options.validation.folds", validation.folds, 2, Math.max(2, entryCount(data)));
    return { plan, direction, kind: "k-fold", splits: splitKFold(data, { folds: validation.folds, seed: validation.seed, ...coldStart }) };
  }
  throw new NextbestError(
    "E_BAD_INPUT",
    `${fn}: options.validation must be { split: "holdout", testFraction, seed } or { folds, seed }, got ${describeValue(validation.split ?? validation)}`,
  );
}

function runSearch<P extends Record<string, unknown>>(
  fn: string,
  candidates: readonly P[],
  factoryFor: (params: P) => ModelFactory,
  prepared: PreparedSearch,
  options: SearchOptions,
): SearchResult<P> {
  const { plan, direction, kind, splits } = prepared;
  const metric = options.metric;
  const rows: SearchRow<P>[] = [];
  let bestIndex = -1;
  for (let c = 0; c < candidates.length; c++) {
    const params = candidates[c]!;
    const factory = factoryFor(params);
    if (typeof factory !== "function") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: factoryFor(params) must return a factory (train) => Recommender, got ${describeValue(factory)} for candidate ${c}`);
    }
    const label = `the factory of candidate ${c}`;
    let row: SearchRow<P>;
    if (kind === "holdout") {
      const { train, test } = splits[0]!;
      const { recommender, fitSeconds } = fitTimed(fn, label, factory, train);
      const evaluation = evaluatePlanned(recommender, train, test, plan, options);
      row = { params, score: evaluation.values[metric]!, standardDeviation: null, values: evaluation.values, fitSeconds, scoringSeconds: evaluation.scoringSeconds };
    } else {
      const cv = crossValidateFolds(fn, label, splits, factory, plan, options);
      let fitSeconds = 0;
      let scoringSeconds = 0;
      for (const fold of cv.perFold) {
        fitSeconds += fold.fitSeconds;
        scoringSeconds += fold.scoringSeconds;
      }
      row = { params, score: cv.mean[metric]!, standardDeviation: cv.standardDeviation[metric]!, values: cv.mean, fitSeconds, scoringSeconds };
    }
    rows.push(row);
    const score = row.score;
    if (score === score) {
      const best = bestIndex < 0 ? Number.NaN : rows[bestIndex]!.score;
      if (bestIndex < 0 || (direction === "minimize" ? score < best : score > best)) bestIndex = c;
    }
  }
  return { metric, direction, validation: kind, metrics: plan.columns, best: bestIndex < 0 ? null : rows[bestIndex]!, bestIndex, rows };
}

/**
 * Exhaustive grid search over a model factory's parameters, as Surprise's `GridSearchCV` and cornac's `GridSearch`:
 * every combination of the grid's values is fitted and scored on the same validation split (or the same folds), and
 * the best one by `metric` (lower for rating errors, higher otherwise) is returned with the full table.
 *
 * Complexity: (product of the grid's sizes) × (1 or `folds`) fits and evaluations.
 *
 * @param data - the interactions to search on (your training set; keep the final test set out)
 * @param factoryFor - makes a factory from parameters: `(params) => (train) => Recommender`
 * @param options - the grid, the objective `metric`, the validation, the direction, further columns, protocol options
 * @returns the best row, its index and every row in grid order
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed dataset, grid or option, or a grid of more than
 *   100,000 combinations (checked before any is built); `E_EMPTY` when a parameter has no values; whatever a factory
 *   throws
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitPopularity, popularityRecommender } from "nextbest/baselines";
 * import { gridSearch } from "nextbest/evaluation";
 * const rows = [];
 * for (let u = 0; u < 30; u++) for (let i = 0; i <= u % 6; i++) rows.push({ user: u, item: i, value: 1 + (i % 3) });
 * const search = gridSearch(createInteractions(rows), (params) => (train) => popularityRecommender(fitPopularity(train, params)), {
 *   grid: { measure: ["distinct-users", "value-sum"] },
 *   metric: "ndcg@3",
 *   validation: { split: "holdout", testFraction: 0.25, seed: 4 },
 * });
 * search.rows.length; // => 2
 * search.best === search.rows[search.bestIndex]; // => true
 * search.direction; // => "maximize"
 * ```
 * @category evaluation
 */
export function gridSearch<P extends Record<string, unknown>>(
  data: Interactions,
  factoryFor: (params: P) => ModelFactory,
  options: GridSearchOptions<P>,
): SearchResult<P> {
  const fn = "gridSearch";
  const prepared = prepareSearch(fn, data, factoryFor, options);
  const grid = options.grid as unknown;
  if (typeof grid !== "object" || grid === null || Array.isArray(grid)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.grid must be an object of parameter name → array of values, got ${describeValue(grid)}`);
  }
  const names = Object.keys(grid);
  checkParameterNames(fn, "options.grid", names);
  const choices: (readonly unknown[])[] = [];
  for (const name of names) {
    const values = (grid as Record<string, unknown>)[name];
    if (!Array.isArray(values)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.grid[${JSON.stringify(name)}] must be an array of values, got ${describeValue(values)}`);
    }
    if (values.length === 0) {
      throw new NextbestError("E_EMPTY", `${fn}: options.grid[${JSON.stringify(name)}] must hold at least one value, got none`);
    }
    choices.push(values);
  }
  const combinations = choices.reduce((product, values) => product * values.length, 1);
  if (combinations > MAX_CANDIDATES) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.grid must make at most ${MAX_CANDIDATES} combinations (each one a model fit), got ${combinations} (${choices.map((values) => values.length).join(" × ")})`,
    );
  }
  // Every combination, the last parameter varying fastest (an odometer over the choice indices).
  const candidates: P[] = [];
  const position = new Array<number>(names.length).fill(0);
  for (;;) {
    const params: Record<string, unknown> = {};
    for (let j = 0; j < names.length; j++) params[names[j]!] = choices[j]![position[j]!];
    candidates.push(params as P);
    let j = names.length - 1;
    while (j >= 0 && ++position[j]! === choices[j]!.length) {
      position[j] = 0;
      j--;
    }
    if (j < 0) break;
  }
  return runSearch(fn, candidates, factoryFor, prepared, options);
}

/** Names that would change an object's prototype or shadow its constructor when set as keys of the params. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Throws E_BAD_INPUT for a parameter name that cannot be a plain object key (e.g. "__proto__" from parsed JSON). */
function checkParameterNames(fn: string, where: string, names: readonly string[]): void {
  for (const name of names) {
    if (RESERVED_NAMES.has(name)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} must not have a parameter named ${JSON.stringify(name)} (it would change the params' prototype), got one`);
    }
  }
}

function drawValue(fn: string, name: string, distribution: unknown, random: () => number): unknown {
  if (Array.isArray(distribution)) return distribution[Math.floor(random() * distribution.length)];
  const d = distribution as NumericDistribution;
  if (d.kind === "integer") return d.min + Math.floor(random() * (d.max - d.min + 1));
  if (d.kind === "log-uniform") return Math.exp(Math.log(d.min) + random() * (Math.log(d.max) - Math.log(d.min)));
  if (d.kind === "uniform") return d.min + random() * (d.max - d.min);
  throw new NextbestError("E_BAD_INPUT", `${fn}: options.space[${JSON.stringify(name)}] must be an array of choices or { kind, min, max }, got ${describeValue(distribution)}`);
}

function checkDistribution(fn: string, name: string, distribution: unknown): void {
  const where = `options.space[${JSON.stringify(name)}]`;
  if (Array.isArray(distribution)) {
    if (distribution.length === 0) throw new NextbestError("E_EMPTY", `${fn}: ${where} must hold at least one choice, got none`);
    return;
  }
  const d = distribution as Partial<NumericDistribution> | null;
  if (typeof d !== "object" || d === null || (d.kind !== "uniform" && d.kind !== "log-uniform" && d.kind !== "integer")) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: ${where} must be an array of choices or { kind: "uniform" | "log-uniform" | "integer", min, max }, got ${describeValue(distribution)}`,
    );
  }
  const { min, max } = d;
  if (typeof min !== "number" || typeof max !== "number" || !Number.isFinite(min) || !Number.isFinite(max) || !(min <= max)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} must have finite min <= max, got min ${describeValue(min)}, max ${describeValue(max)}`);
  }
  if (d.kind === "integer" && (!Number.isInteger(min) || !Number.isInteger(max))) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} ("integer") must have integer bounds, got min ${min}, max ${max}`);
  }
  if (d.kind === "log-uniform" && !(min > 0)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} ("log-uniform") must have min > 0, got ${min}`);
  }
}

/**
 * Seeded random search over a model factory's parameters (Bergstra & Bengio 2012, "Random Search for Hyper-Parameter
 * Optimization", JMLR 13; Surprise's `RandomizedSearchCV`): `trials` candidates are drawn independently, each
 * parameter from its array of choices or its {@link NumericDistribution} (in the space's key order, from one
 * generator seeded by `seed`), then fitted and scored as in {@link gridSearch}. Usually finds a good region of a
 * large space with far fewer fits than a grid.
 *
 * Complexity: `trials` × (1 or `folds`) fits and evaluations.
 *
 * @param data - the interactions to search on (your training set; keep the final test set out)
 * @param factoryFor - makes a factory from parameters: `(params) => (train) => Recommender`
 * @param options - the space, trials, seed, the objective `metric`, the validation, the direction, further columns
 * @returns the best row, its index and every row in draw order
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed dataset, space or option (naming the parameter), or
 *   more than 100,000 trials; `E_EMPTY` for an empty array of choices; whatever a factory throws
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitRandom, randomRecommender } from "nextbest/baselines";
 * import { randomSearch } from "nextbest/evaluation";
 * const rows = [];
 * for (let u = 0; u < 20; u++) for (let i = 0; i <= u % 5; i++) rows.push({ user: u, item: i });
 * const search = randomSearch(createInteractions(rows), ({ seed }) => (train) => randomRecommender(fitRandom(train, { seed })), {
 *   space: { seed: { kind: "integer", min: 1, max: 1000 } },
 *   trials: 3,
 *   seed: 9,
 *   metric: "recall@2",
 *   validation: { folds: 2, seed: 1 },
 * });
 * search.rows.length; // => 3
 * search.rows.every((row) => Number.isInteger(row.params.seed) && row.standardDeviation !== null); // => true
 * ```
 * @category evaluation
 */
export function randomSearch<P extends Record<string, unknown>>(
  data: Interactions,
  factoryFor: (params: P) => ModelFactory,
  options: RandomSearchOptions<P>,
): SearchResult<P> {
  const fn = "randomSearch";
  const prepared = prepareSearch(fn, data, factoryFor, options);
  const space = options.space as unknown;
  if (typeof space !== "object" || space === null || Array.isArray(space)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.space must be an object of parameter name → choices or distribution, got ${describeValue(space)}`);
  }
  assertInteger(fn, "options.trials", options.trials, 1, MAX_CANDIDATES);
  assertSeed(fn, "options.seed", options.seed);
  const names = Object.keys(space);
  checkParameterNames(fn, "options.space", names);
  for (const name of names) checkDistribution(fn, name, (space as Record<string, unknown>)[name]);
  const random = createRandom(options.seed);
  const candidates: P[] = [];
  for (let t = 0; t < options.trials; t++) {
    const params: Record<string, unknown> = {};
    for (const name of names) params[name] = drawValue(fn, name, (space as Record<string, unknown>)[name], random);
    candidates.push(params as P);
  }
  return runSearch(fn, candidates, factoryFor, prepared, options);
}
