/**
 * The record a tuned factorization model carries: which factors and regularization were tried, on which validation,
 * and how each scored. Plain JSON data, shared by the models' JSON helpers; imports nothing of `nextbest/evaluation`,
 * so reading or writing a model never pulls the search code into a bundle.
 *
 * @module
 */
import type { Seed } from "../core/random.ts";
import { badModel } from "../internal/serialize.ts";

/**
 * One candidate of a {@link FactorizationTuning}: the values tried and their validation score.
 *
 * @category factorization
 */
export interface FactorizationTuningRow {
  /** Latent factors tried. */
  readonly factors: number;
  /** Regularization tried (the model's own meaning: ALS's ridge λ, the factor L2 penalty of the SGD models). */
  readonly regularization: number;
  /** The objective on the validation split (the mean over the folds under k-fold); `null` when no user could be evaluated. */
  readonly score: number | null;
  /** Under k-fold validation the sample standard deviation of the objective over the folds, else `null`. */
  readonly standardDeviation: number | null;
}

/**
 * How a model's factors and regularization were chosen by `tuneMatrixFactorization`, `tuneImplicitAls` or `tuneBpr`:
 * the objective, the validation, every candidate in the order tried and the chosen one. The chosen values are the
 * model's `factors` and regularization; the model itself was refitted on all of the data with them. Plain data (no
 * timings, so the same seed gives an identical record).
 *
 * @category factorization
 */
export interface FactorizationTuning {
  /** The objective column, e.g. `"rmse"` or `"ndcg@10"`. */
  readonly metric: string;
  /** Whether lower or higher `metric` was better. */
  readonly direction: "minimize" | "maximize";
  /** `"holdout"` (one seeded random holdout) or `"k-fold"` (seeded folds). */
  readonly validation: "holdout" | "k-fold";
  /** The held-out share under holdout validation, else `null`. */
  readonly testFraction: number | null;
  /** The number of folds under k-fold validation, else `null`. */
  readonly folds: number | null;
  /** The seed of the validation split. */
  readonly seed: Seed;
  /** The position of the chosen candidate in `rows` (the first best on ties). */
  readonly bestIndex: number;
  /** Every candidate: the grid with factors varying slowest, then any candidates added by widening, in order tried. */
  readonly rows: readonly FactorizationTuningRow[];
  /**
   * Popularity's score on the same validation split (distinct accounts per item, training items left out), for
   * ranking objectives; `null` for rating errors. A tuned model scoring below it is flagged in `warnings`.
   */
  readonly popularityScore: number | null;
  /** What a reader of the search should know: the best setting on the edge of the grid, or below popularity. */
  readonly warnings: readonly TuningWarning[];
}

/**
 * A warning of a hyper-parameter search:
 * - `"edge-of-grid"`: the chosen value of `parameter` is the smallest or largest value tried, even after the grid was
 *   widened (`tune.widen` times): the best may lie further out; try a wider grid.
 * - `"below-popularity"`: the chosen setting scores below popularity on the validation split: on this data the model
 *   adds nothing over best-sellers at any setting tried; use popularity (or blend it in) instead.
 *
 * @category factorization
 */
export interface TuningWarning {
  /** What happened. */
  readonly kind: "edge-of-grid" | "below-popularity";
  /** The parameter on the edge (`"factors"` or `"regularization"`), or `null` for `"below-popularity"`. */
  readonly parameter: "factors" | "regularization" | null;
  /** A sentence for a log. */
  readonly message: string;
}

/** A deep plain copy of a tuning record for a model's JSON form. @internal */
export function tuningToJSON(tuning: FactorizationTuning): FactorizationTuning {
  return { ...tuning, rows: tuning.rows.map((row) => ({ ...row })), warnings: tuning.warnings.map((warning) => ({ ...warning })) };
}

function finiteOrNull(fn: string, field: string, value: unknown, min: number): number | null {
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    badModel(fn, field, min === Number.NEGATIVE_INFINITY ? "be a finite number or null" : `be a finite number >= ${min} or null`, value);
  }
  return value;
}

/**
 * Reads and validates a tuning record from a model's JSON form; `chosen` are the model's factors and regularization,
 * which must be the best row's. @internal
 */
export function tuningFromJSON(fn: string, value: unknown, chosen: { factors: number; regularization: number }): FactorizationTuning {
  const field = "json.tuning";
  if (typeof value !== "object" || value === null || Array.isArray(value)) badModel(fn, field, "be an object", value);
  const t = value as Record<string, unknown>;
  const metric = t["metric"];
  if (typeof metric !== "string" || metric.length === 0) badModel(fn, `${field}.metric`, "be a metric name", metric);
  const direction = t["direction"];
  if (direction !== "minimize" && direction !== "maximize") badModel(fn, `${field}.direction`, 'be "minimize" or "maximize"', direction);
  const validation = t["validation"];
  if (validation !== "holdout" && validation !== "k-fold") badModel(fn, `${field}.validation`, 'be "holdout" or "k-fold"', validation);
  const testFraction = t["testFraction"];
  const folds = t["folds"];
  if (validation === "holdout") {
    if (typeof testFraction !== "number" || !(testFraction > 0 && testFraction < 1)) badModel(fn, `${field}.testFraction`, "be a number in (0, 1) under holdout validation", testFraction);
    if (folds !== null) badModel(fn, `${field}.folds`, "be null under holdout validation", folds);
  } else {
    if (typeof folds !== "number" || !Number.isInteger(folds) || folds < 2) badModel(fn, `${field}.folds`, "be an integer >= 2 under k-fold validation", folds);
    if (testFraction !== null) badModel(fn, `${field}.testFraction`, "be null under k-fold validation", testFraction);
  }
  const seed = t["seed"];
  if (!(typeof seed === "string" || (typeof seed === "number" && Number.isFinite(seed)))) badModel(fn, `${field}.seed`, "be a string or a finite number", seed);
  const list = t["rows"];
  if (!Array.isArray(list) || list.length === 0) badModel(fn, `${field}.rows`, "be a non-empty array", list);
  const rows: FactorizationTuningRow[] = [];
  for (let r = 0; r < list.length; r++) {
    const where = `${field}.rows[${r}]`;
    const row = list[r] as unknown;
    if (typeof row !== "object" || row === null || Array.isArray(row)) badModel(fn, where, "be an object", row);
    const record = row as Record<string, unknown>;
    const factors = record["factors"];
    if (typeof factors !== "number" || !Number.isInteger(factors) || factors < 1) badModel(fn, `${where}.factors`, "be a positive integer", factors);
    const regularization = record["regularization"];
    if (typeof regularization !== "number" || !Number.isFinite(regularization) || regularization < 0) {
      badModel(fn, `${where}.regularization`, "be a finite number >= 0", regularization);
    }
    const score = finiteOrNull(fn, `${where}.score`, record["score"], Number.NEGATIVE_INFINITY);
    const standardDeviation = finiteOrNull(fn, `${where}.standardDeviation`, record["standardDeviation"], 0);
    rows.push(Object.freeze({ factors, regularization, score, standardDeviation }));
  }
  const bestIndex = t["bestIndex"];
  if (typeof bestIndex !== "number" || !Number.isInteger(bestIndex) || bestIndex < 0 || bestIndex >= rows.length) {
    badModel(fn, `${field}.bestIndex`, `be an integer in [0, ${rows.length})`, bestIndex);
  }
  const best = rows[bestIndex]!;
  if (best.score === null) badModel(fn, `${field}.rows[${bestIndex}].score`, "be a number (the chosen row)", null);
  if (best.factors !== chosen.factors || best.regularization !== chosen.regularization) {
    badModel(
      fn,
      `${field}.bestIndex`,
      `point at the row of the model's factors ${chosen.factors} and regularization ${chosen.regularization}`,
      `${bestIndex} (factors ${best.factors}, regularization ${best.regularization})`,
    );
  }
  const popularityScore = t["popularityScore"] === undefined ? null : finiteOrNull(fn, `${field}.popularityScore`, t["popularityScore"], Number.NEGATIVE_INFINITY);
  const warnings = warningsFromJSON(fn, `${field}.warnings`, t["warnings"]);
  return Object.freeze({
    metric,
    direction,
    validation,
    testFraction: validation === "holdout" ? (testFraction as number) : null,
    folds: validation === "k-fold" ? (folds as number) : null,
    seed: seed as Seed,
    bestIndex,
    rows: Object.freeze(rows),
    popularityScore,
    warnings,
  });
}

// Records written before warnings existed have none.
function warningsFromJSON(fn: string, field: string, value: unknown): readonly TuningWarning[] {
  if (value === undefined) return Object.freeze([]);
  if (!Array.isArray(value)) badModel(fn, field, "be an array", value);
  return Object.freeze(
    value.map((entry: unknown, w) => {
      const record = entry as Record<string, unknown> | null;
      if (typeof record !== "object" || record === null) badModel(fn, `${field}[${w}]`, "be an object", entry);
      const kind = record["kind"];
      if (kind !== "edge-of-grid" && kind !== "below-popularity") badModel(fn, `${field}[${w}].kind`, 'be "edge-of-grid" or "below-popularity"', kind);
      const parameter = record["parameter"];
      if (parameter !== "factors" && parameter !== "regularization" && parameter !== null) {
        badModel(fn, `${field}[${w}].parameter`, 'be "factors", "regularization" or null', parameter);
      }
      const message = record["message"];
      if (typeof message !== "string") badModel(fn, `${field}[${w}].message`, "be a string", message);
      return Object.freeze({ kind, parameter, message }) as TuningWarning;
    }),
  );
}
