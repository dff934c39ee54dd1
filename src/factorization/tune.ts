/**
 * Hyper-parameter tuning of the factorization models: factors and regularization chosen on a seeded validation split
 * carved from the training data by `nextbest/evaluation`'s {@link evaluation!gridSearch}, then a refit on all of the
 * training data with the best values.
 *
 * Tuning is a function of its own (`tuneImplicitAls(data, { ...fitOptions, tune })`) rather than a `tune` option of
 * the `fit` functions on purpose: the search needs the evaluation protocols (splits, ranking and rating metrics,
 * the recommend engine), about 40 kB minified, while `fitImplicitAls` alone bundles to about 10 kB. A `tune` option
 * would put that code into every bundle that fits a model; as separate functions it is tree-shaken away unless used.
 * The dependency points one way: factorization imports evaluation, never the reverse.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Seed } from "../core/random.ts";
import type { Interactions } from "../data/types.ts";
import { gridSearch, type SearchValidation } from "../evaluation/search.ts";
import type { MetricName } from "../evaluation/types.ts";
import type { Recommender } from "../recommend/types.ts";
import { bprRecommender, fitBpr, type BprModel, type BprOptions } from "./bpr.ts";
import {
  DEFAULT_REGULARIZATION_SCALE,
  fitImplicitAls,
  implicitAlsRecommender,
  type ImplicitAlsModel,
  type ImplicitAlsOptions,
} from "./implicit-als.ts";
import { checkInteractions, checkOptions, seedOption } from "./internal.ts";
import {
  fitMatrixFactorization,
  matrixFactorizationRecommender,
  type MatrixFactorizationModel,
  type MatrixFactorizationOptions,
} from "./matrix-factorization.ts";
import type { FactorizationTuning, FactorizationTuningRow, TuningWarning } from "./tuning.ts";

/**
 * What {@link tuneMatrixFactorization}, {@link tuneImplicitAls} and {@link tuneBpr} search and how they validate.
 * Every combination of `factors` × `regularization` is fitted on the training part of the validation split (with
 * the model's other options as given) and scored on its held-out part; the best is refitted on all of the data.
 *
 * A `factors` or `regularization` set in the model options fixes that parameter (the search then varies only the
 * other one), unless the list here is given too.
 *
 * @category factorization
 */
export interface FactorizationTuneOptions {
  /**
   * The latent factor counts to try (integers in [1, 4096]).
   * @defaultValue [50, 100, 200] for matrix factorization; [32, 64, 128] for ALS and BPR; `[options.factors]` when the
   *   model options set `factors`
   */
  factors?: readonly number[];
  /**
   * The regularization values to try (finite, >= 0), in each model's own meaning.
   * @defaultValue matrix factorization [0.02, 0.05, 0.1] (up to its default 0.1, widened to 0.2 when 0.1 wins); ALS λ₀ · [0.25, 1, 4] with λ₀ its
   *   data-adaptive default 0.25 · interactions / users of the data passed; BPR [0.0025, 0.01, 0.04] (around 0.01);
   *   `[options.regularization]` when the model options set it
   */
  regularization?: readonly number[];
  /**
   * The objective, any column of the evaluation module (e.g. `"rmse"`, `"ndcg@10"`, `"recall@20"`); lower is better
   * for the rating errors, higher for the rest. Ranking metrics leave each user's training items out of the lists.
   * @defaultValue "rmse" for matrix factorization; "ndcg@10" for ALS and BPR
   */
  metric?: MetricName;
  /**
   * Where each candidate is scored, see {@link evaluation!SearchValidation}: a seeded random holdout of the
   * interactions, or seeded k-fold cross-validation. Test users or items missing from a split's training part are
   * dropped from its test part.
   * @defaultValue { split: "holdout", testFraction: 0.2, seed: options.seed ?? 0 }
   */
  validation?: SearchValidation;
  /**
   * How many times the grid may be widened: when the best value of `factors` or `regularization` is the smallest or
   * largest one tried (of a list of at least two values), one more value is tried beyond that edge (the edge value
   * times the ratio of the two outermost values on that side, e.g. λ · 4 after [λ/4, λ, 4λ]; factors within
   * [1, 4096]) with every value of the other parameter, and the search goes on from the new best. A best still on an
   * edge after that is reported in `tuning.warnings` (always, whether the grid was widened or not). 0 turns widening
   * off. By default only the default lists are widened: a list you give is searched exactly as given.
   * @defaultValue 2 for parameters searched over their default list, 0 for lists given in `tune`
   */
  widen?: number;
}

/**
 * Options of {@link tuneMatrixFactorization}: the options of `fitMatrixFactorization`, plus what to search.
 *
 * @category factorization
 */
export interface TuneMatrixFactorizationOptions extends MatrixFactorizationOptions {
  /** The grid, objective and validation. @defaultValue {} (see {@link FactorizationTuneOptions}) */
  tune?: FactorizationTuneOptions;
}

/**
 * Options of {@link tuneImplicitAls}: the options of `fitImplicitAls`, plus what to search.
 *
 * @category factorization
 */
export interface TuneImplicitAlsOptions extends ImplicitAlsOptions {
  /** The grid, objective and validation. @defaultValue {} (see {@link FactorizationTuneOptions}) */
  tune?: FactorizationTuneOptions;
}

/**
 * Options of {@link tuneBpr}: the options of `fitBpr`, plus what to search.
 *
 * @category factorization
 */
export interface TuneBprOptions extends BprOptions {
  /** The grid, objective and validation. @defaultValue {} (see {@link FactorizationTuneOptions}) */
  tune?: FactorizationTuneOptions;
}

type Candidate = { factors: number; regularization: number };

interface TuneDefaults {
  readonly factors: readonly number[];
  readonly regularization: readonly number[];
  readonly metric: MetricName;
}

const MAX_FACTORS = 4096;

/** Reads one grid value (`name` is its full option path); E_BAD_INPUT / E_NON_FINITE naming it. */
function readValue(fn: string, name: string, v: unknown, integer: boolean): number {
  const ok = integer
    ? typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= MAX_FACTORS
    : typeof v === "number" && Number.isFinite(v) && v >= 0;
  if (!ok) {
    const rule = integer ? `be an integer in [1, ${MAX_FACTORS}]` : "be a finite number >= 0";
    throw new NextbestError(typeof v === "number" && !integer && !Number.isFinite(v) ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: ${name} must ${rule}, got ${describeValue(v)}`);
  }
  return v as number;
}

/** Reads a grid list (`name` is its full option path); E_BAD_INPUT / E_EMPTY / E_NON_FINITE naming the entry. */
function readList(fn: string, name: string, value: unknown, integer: boolean): readonly number[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new NextbestError(Array.isArray(value) ? "E_EMPTY" : "E_BAD_INPUT", `${fn}: ${name} must be a non-empty array of numbers, got ${describeValue(value)}`);
  }
  return value.map((v: unknown, j) => readValue(fn, `${name}[${j}]`, v, integer));
}

/** The model options every tunable model shares, plus `tune`. */
interface TunableOptions {
  readonly tune?: FactorizationTuneOptions;
  readonly factors?: number;
  readonly regularization?: number;
  readonly seed?: Seed;
}

/**
 * The search driver of the three tune functions: validate, search the grid with gridSearch (each candidate fitted by
 * `fit` on a split's training part with the caller's options minus `tune`, scored through `recommenderOf`), refit the
 * best on all of `data`, attach the tuning record.
 */
function tuneModel<O extends TunableOptions, M extends object>(
  fn: string,
  data: Interactions,
  options: O,
  defaults: (data: Interactions) => TuneDefaults,
  fit: (data: Interactions, options: Omit<O, "tune"> & Candidate) => M,
  recommenderOf: (model: M) => Recommender,
): M {
  checkOptions(fn, options);
  const fitOptions = withoutTune(options);
  checkInteractions(fn, data);
  const tune = options.tune as unknown;
  if (tune !== undefined && (typeof tune !== "object" || tune === null || Array.isArray(tune))) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.tune must be an object { factors?, regularization?, metric?, validation? }, got ${describeValue(tune)}`);
  }
  const t = (tune ?? {}) as FactorizationTuneOptions;
  const seed = seedOption(fn, options.seed, 0);
  const fallback = defaults(data);
  // A list in `tune` wins; else a value set in the model options fixes the parameter; else the default grid.
  const factors =
    t.factors !== undefined
      ? readList(fn, "options.tune.factors", t.factors, true)
      : options.factors !== undefined
        ? [readValue(fn, "options.factors", options.factors, true)]
        : fallback.factors;
  const regularization =
    t.regularization !== undefined
      ? readList(fn, "options.tune.regularization", t.regularization, false)
      : options.regularization !== undefined
        ? [readValue(fn, "options.regularization", options.regularization, false)]
        : fallback.regularization;
  const metric = t.metric ?? fallback.metric;
  const validation: SearchValidation = t.validation ?? { split: "holdout", testFraction: 0.2, seed };
  const widen = t.widen ?? 2;
  if (typeof widen !== "number" || !Number.isInteger(widen) || widen < 0 || widen > 10) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.tune.widen must be an integer in [0, 10], got ${describeValue(widen)}`);
  }
  // Which lists may grow: default lists, or any list when tune.widen is set explicitly.
  const widenable = {
    factors: t.widen !== undefined || (t.factors === undefined && options.factors === undefined),
    regularization: t.widen !== undefined || (t.regularization === undefined && options.regularization === undefined),
  };
  const factory = (candidate: Candidate) => (train: Interactions) => recommenderOf(fit(train, { ...fitOptions, ...candidate }));
  const search = gridSearch<Candidate>(data, factory, { grid: { factors, regularization }, metric, validation });
  const rows: FactorizationTuningRow[] = search.rows.map(tuningRow);
  const better = (a: number | null, b: number | null): boolean =>
    a !== null && (b === null || (search.direction === "maximize" ? a > b : a < b));
  let bestIndex = search.bestIndex;
  const lists = { factors: [...factors], regularization: [...regularization] };
  // Widen the grid past an edge the best sits on, and search the new candidates (the first best wins ties).
  for (let round = 0; round < widen && bestIndex >= 0; round++) {
    const best = rows[bestIndex]!;
    const factorStep = widenable.factors ? widenStep(lists.factors, best.factors, true) : null;
    const regularizationStep = widenable.regularization ? widenStep(lists.regularization, best.regularization, false) : null;
    const parameter = factorStep !== null ? "factors" : regularizationStep !== null ? "regularization" : null;
    if (parameter === null) break;
    const value = parameter === "factors" ? factorStep! : regularizationStep!;
    lists[parameter].push(value);
    const grid = parameter === "factors" ? { factors: [value], regularization: lists.regularization } : { factors: lists.factors, regularization: [value] };
    const more = gridSearch<Candidate>(data, factory, { grid, metric, validation });
    for (const row of more.rows) {
      rows.push(tuningRow(row));
      if (better(rows[rows.length - 1]!.score, rows[bestIndex]!.score)) bestIndex = rows.length - 1;
    }
  }
  if (bestIndex < 0) {
    throw new NextbestError(
      "E_EMPTY",
      `${fn}: options.tune.validation must leave at least one test user to evaluate, got a NaN ${metric} for all ${search.rows.length} candidates`,
    );
  }
  const chosen = rows[bestIndex]!;
  const warnings: TuningWarning[] = [];
  for (const parameter of ["factors", "regularization"] as const) {
    const value = chosen[parameter];
    if (onEdge(lists[parameter], value)) {
      warnings.push(
        Object.freeze({
          kind: "edge-of-grid" as const,
          parameter,
          message: `${fn}: the best ${parameter} (${value}) is the ${value === Math.min(...lists[parameter]) ? "smallest" : "largest"} value tried (${lists[parameter].join(", ")}); the best may lie beyond it: try a wider options.tune.${parameter}`,
        }),
      );
    }
  }
  // Popularity on the same validation split, for ranking objectives: a tuned model below it adds nothing.
  let popularityScore: number | null = null;
  if (search.direction === "maximize") {
    const popular = gridSearch<{ popularity: number }>(data, () => (train) => popularityOf(train), { grid: { popularity: [1] }, metric, validation });
    popularityScore = Number.isNaN(popular.rows[0]!.score) ? null : popular.rows[0]!.score;
    if (popularityScore !== null && chosen.score !== null && chosen.score < popularityScore) {
      warnings.push(
        Object.freeze({
          kind: "below-popularity" as const,
          parameter: null,
          message: `${fn}: the best setting scores ${metric} ${chosen.score.toFixed(4)} on the validation split, below popularity's ${popularityScore.toFixed(4)}: on this data the model adds nothing over best-sellers; use popularity, or blend the two`,
        }),
      );
    }
  }
  const v = validation as { split?: string; testFraction?: number; folds?: number; seed: Seed };
  const tuning: FactorizationTuning = Object.freeze({
    metric: search.metric,
    direction: search.direction,
    validation: search.validation,
    testFraction: search.validation === "holdout" ? (v.testFraction ?? 0.2) : null,
    folds: search.validation === "k-fold" ? v.folds! : null,
    seed: v.seed,
    bestIndex,
    rows: Object.freeze(rows),
    popularityScore,
    warnings: Object.freeze(warnings),
  });
  const model = fit(data, { ...fitOptions, factors: chosen.factors, regularization: chosen.regularization });
  return Object.freeze({ ...model, tuning });
}

function tuningRow(row: { params: Candidate; score: number; standardDeviation: number | null }): FactorizationTuningRow {
  return Object.freeze({
    factors: row.params.factors,
    regularization: row.params.regularization,
    score: Number.isNaN(row.score) ? null : row.score,
    standardDeviation: row.standardDeviation === null || Number.isNaN(row.standardDeviation) ? null : row.standardDeviation,
  });
}

// Whether `value` is the smallest or largest of a list of at least two distinct values.
function onEdge(list: readonly number[], value: number): boolean {
  const distinct = new Set(list);
  if (distinct.size < 2) return false;
  return value === Math.min(...list) || value === Math.max(...list);
}

/**
 * The next value beyond the edge `value` sits on (the edge times the ratio of the two outermost values on that side),
 * or null when `value` is not on an edge of a list of at least two distinct values, or no valid value lies beyond.
 */
function widenStep(list: readonly number[], value: number, integer: boolean): number | null {
  if (!onEdge(list, value)) return null;
  const sorted = [...new Set(list)].sort((a, b) => a - b);
  const low = value === sorted[0];
  const edge = low ? sorted[0]! : sorted[sorted.length - 1]!;
  const inner = low ? sorted[1]! : sorted[sorted.length - 2]!;
  if (edge <= 0 || inner <= 0) return null;
  let next = edge * (edge / inner);
  if (integer) next = Math.round(next);
  if (integer ? next < 1 || next > MAX_FACTORS : !(Number.isFinite(next) && next >= 0)) return null;
  return next === edge || sorted.includes(next) ? null : next;
}

// Popularity (distinct training users per item, training items left out), the baseline a tuned model must beat.
function popularityOf(train: Interactions): Recommender {
  const { indptr } = train.byItem;
  const itemCount = train.items.ids.length;
  const scores = new Float64Array(itemCount);
  for (let i = 0; i < itemCount; i++) scores[i] = indptr[i + 1]! - indptr[i]!;
  const seen = train.byUser;
  return {
    name: "popularity",
    users: train.users,
    items: train.items,
    scoreUser(_user: number, out: Float64Array): void {
      out.set(scores);
    },
    seenItems(user: number): ArrayLike<number> {
      return seen.indices.subarray(seen.indptr[user]!, seen.indptr[user + 1]!);
    },
  };
}

function withoutTune<O extends { tune?: unknown }>(options: O): Omit<O, "tune"> {
  const { tune: _tune, ...rest } = options;
  return rest;
}

/**
 * Fits a biased matrix factorization with `factors` and `regularization` chosen by grid search on a validation split
 * of `interactions` (by default a seeded 20% random holdout scored by RMSE, as Surprise's `GridSearchCV` on one
 * split), then refitted on all of `interactions` with the best pair. The returned model records every candidate's
 * score in `tuning`; everything else is what `fitMatrixFactorization` with the chosen values returns.
 *
 * Default grid: factors {50, 100, 200} × regularization {0.02, 0.05, 0.1}, the other options as given (epochs,
 * learning rate, seed, ...). Deterministic for a seed (the validation split's seed defaults to `options.seed`).
 *
 * Complexity: (grid size + 1) fits of `fitMatrixFactorization` (or grid size × folds + 1 under k-fold) and one RMSE
 * evaluation per candidate.
 *
 * @param interactions - explicit ratings (your training set; keep the final test set out)
 * @param options - the options of `fitMatrixFactorization`, plus `tune` (grid, objective, validation)
 * @returns a new frozen matrix-factorization model with a `tuning` record
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed argument, option or grid (naming it), `E_EMPTY` for
 *   an empty grid list or a validation split that leaves no test pair, whatever `fitMatrixFactorization` or
 *   `gridSearch` throw
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { tuneMatrixFactorization } from "nextbest/factorization";
 * const rows = [];
 * for (let u = 0; u < 30; u++) for (let i = 0; i < 10; i++) rows.push({ user: u, item: i, value: 1 + ((u * i) % 5) });
 * const model = tuneMatrixFactorization(createInteractions(rows), { epochs: 10, seed: 1, tune: { factors: [2, 8], regularization: [0.05, 0.5] } });
 * model.tuning!.rows.length; // => 4
 * const best = model.tuning!.rows[model.tuning!.bestIndex]!;
 * [model.factors, model.hyperparameters.regularization].join() === [best.factors, best.regularization].join(); // => true
 * [model.tuning!.metric, model.tuning!.direction, model.tuning!.testFraction]; // => ["rmse", "minimize", 0.2]
 * ```
 * @category factorization
 */
export function tuneMatrixFactorization(interactions: Interactions, options: TuneMatrixFactorizationOptions = {}): MatrixFactorizationModel {
  return tuneModel(
    "tuneMatrixFactorization",
    interactions,
    options,
    () => ({ factors: [50, 100, 200], regularization: [0.02, 0.05, 0.1], metric: "rmse" }),
    fitMatrixFactorization,
    matrixFactorizationRecommender,
  );
}

/**
 * Fits implicit ALS with `factors` and the ridge λ chosen by grid search on a validation split of `interactions`
 * (by default a seeded 20% random holdout scored by NDCG@10 with each user's training items left out of the lists),
 * then refitted on all of `interactions` with the best pair. The returned model records every candidate's score in
 * `tuning`; everything else is what `fitImplicitAls` with the chosen values returns. The grid includes the defaults,
 * so on the validation split the tuned model is never worse than the default one.
 *
 * Default grid: factors {32, 64, 128} × λ ∈ λ₀ · {0.25, 1, 4}, where λ₀ = 0.25 · interactions / users (the
 * data-adaptive default of `fitImplicitAls`, computed on `interactions`); the values are absolute, so the refit uses
 * the λ that won on the validation split. The other options (iterations, α, solver, seed, ...) as given.
 * Deterministic for a seed (the validation split's seed defaults to `options.seed`).
 *
 * Complexity: (grid size + 1) fits of `fitImplicitAls` (or grid size × folds + 1 under k-fold) and one ranking
 * evaluation per candidate.
 *
 * @param interactions - implicit interactions (your training set; keep the final test set out)
 * @param options - the options of `fitImplicitAls`, plus `tune` (grid, objective, validation)
 * @returns a new frozen implicit ALS model with a `tuning` record
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed argument, option or grid (naming it), `E_EMPTY` for
 *   an empty grid list or a validation split that leaves no user to evaluate, whatever `fitImplicitAls` or
 *   `gridSearch` throw
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { tuneImplicitAls } from "nextbest/factorization";
 * const rows = [];
 * for (let u = 0; u < 40; u++) for (let i = 0; i < 8; i++) if ((u + i) % 4 !== 0) rows.push({ user: u, item: (u % 2) * 8 + i });
 * const model = tuneImplicitAls(createInteractions(rows), { iterations: 5, tune: { factors: [2, 4], regularization: [0.1, 2] } });
 * model.tuning!.rows.map((row) => [row.factors, row.regularization]); // => [[2, 0.1], [2, 2], [4, 0.1], [4, 2]]
 * const best = model.tuning!.rows[model.tuning!.bestIndex]!;
 * [model.factors, model.regularization].join() === [best.factors, best.regularization].join(); // => true
 * model.tuning!.metric; // => "ndcg@10"
 * ```
 * @category factorization
 */
export function tuneImplicitAls(interactions: Interactions, options: TuneImplicitAlsOptions = {}): ImplicitAlsModel {
  return tuneModel(
    "tuneImplicitAls",
    interactions,
    options,
    (data) => {
      const users = data.byUser.rows;
      const base = (DEFAULT_REGULARIZATION_SCALE * data.byUser.indptr[users]!) / users;
      return { factors: [32, 64, 128], regularization: [0.25 * base, base, 4 * base], metric: "ndcg@10" };
    },
    fitImplicitAls,
    implicitAlsRecommender,
  );
}

/**
 * Fits BPR with `factors` and `regularization` chosen by grid search on a validation split of `interactions` (by
 * default a seeded 20% random holdout scored by NDCG@10 with training items left out), then refitted on all of
 * `interactions` with the best pair, the record of every candidate in `tuning`.
 *
 * Default grid: factors {32, 64, 128} × regularization {0.0025, 0.01, 0.04} (around `fitBpr`'s default 0.01), the
 * other options as given. Deterministic for a seed (the validation split's seed defaults to `options.seed`).
 *
 * Complexity: (grid size + 1) fits of `fitBpr` (or grid size × folds + 1 under k-fold) and one ranking evaluation
 * per candidate.
 *
 * @param interactions - implicit interactions (your training set; keep the final test set out)
 * @param options - the options of `fitBpr`, plus `tune` (grid, objective, validation)
 * @returns a new frozen BPR model with a `tuning` record
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed argument, option or grid (naming it), `E_EMPTY` for
 *   an empty grid list or a validation split that leaves no user to evaluate, whatever `fitBpr` or `gridSearch` throw
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { tuneBpr } from "nextbest/factorization";
 * const rows = [];
 * for (let u = 0; u < 40; u++) for (let i = 0; i < 8; i++) if ((u + i) % 4 !== 0) rows.push({ user: u, item: (u % 2) * 8 + i });
 * const model = tuneBpr(createInteractions(rows), { epochs: 5, seed: 2, tune: { factors: [4], regularization: [0.001, 0.01], validation: { folds: 2, seed: 3 } } });
 * [model.tuning!.validation, model.tuning!.folds, model.tuning!.rows.length]; // => ["k-fold", 2, 2]
 * model.hyperparameters.regularization === model.tuning!.rows[model.tuning!.bestIndex]!.regularization; // => true
 * tuneBpr(createInteractions(rows), { tune: { factors: [] } });
 * // throws NextbestError E_EMPTY: "tuneBpr: options.tune.factors must be a non-empty array of numbers, got array of length 0"
 * ```
 * @category factorization
 */
export function tuneBpr(interactions: Interactions, options: TuneBprOptions = {}): BprModel {
  return tuneModel(
    "tuneBpr",
    interactions,
    options,
    () => ({ factors: [32, 64, 128], regularization: [0.0025, 0.01, 0.04], metric: "ndcg@10" }),
    fitBpr,
    bprRecommender,
  );
}
