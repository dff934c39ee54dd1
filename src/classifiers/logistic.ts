/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least squares), with class
 * weights, standardised inputs and closed-form attributions on the log-odds scale.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { badModel, float64ArrayFromJSON, readModelEnvelope, typedArrayToJSON } from "../internal/serialize.ts";
import { choleskySubstituteInPlace, tryCholeskyFactor } from "../linalg/solvers.ts";
import type { DenseMatrix } from "../linalg/types.ts";
import { checkBinaryLabels, checkFeatureMatrix, checkFeatureNames, resolveClassWeights, type ClassWeights } from "./shared.ts";

/**
 * Options of {@link fitLogisticRegression}.
 *
 * @category classifiers
 */
export interface LogisticRegressionOptions {
  /** The L2 penalty λ ≥ 0 on the coefficients of the standardised features (the intercept is not penalised). @defaultValue 1 */
  l2?: number;
  /** Weights of the negative and positive class, or `"balanced"` (n / (2 · n_class)). @defaultValue { negative: 1, positive: 1 } */
  classWeights?: ClassWeights;
  /** Newton iterations at most. @defaultValue 50 */
  maxIterations?: number;
  /** Stop when the largest coefficient change is below this. @defaultValue 1e-10 */
  tolerance?: number;
  /** Feature names, one per column, kept in the model for explanations. @defaultValue ["x0", "x1", ...] */
  featureNames?: readonly string[];
}

/**
 * A fitted logistic regression: plain, frozen data. Probabilities are σ(intercept + Σ_j coefficients[j] · x_j) on the
 * raw (unstandardised) features.
 *
 * @category classifiers
 */
export interface LogisticRegressionModel {
  /** Always `"logistic-regression"`. */
  readonly kind: "logistic-regression";
  /** Format version, 1. */
  readonly version: 1;
  /** One name per feature. */
  readonly featureNames: readonly string[];
  /** Coefficients on the raw features. */
  readonly coefficients: Float64Array;
  /** The intercept on the raw features. */
  readonly intercept: number;
  /** The training means of the features (the reference point of {@link logisticAttributions}). */
  readonly means: Float64Array;
  /** The L2 penalty used. */
  readonly l2: number;
  /** Newton iterations run. */
  readonly iterations: number;
}

/**
 * The JSON form of a {@link LogisticRegressionModel}.
 *
 * @category classifiers
 */
export interface LogisticRegressionModelJSON {
  /** Always `"logistic-regression"`. */
  readonly kind: "logistic-regression";
  /** Format version, 1. */
  readonly version: 1;
  /** As the model. */
  readonly featureNames: readonly string[];
  /** As the model. */
  readonly coefficients: number[];
  /** As the model. */
  readonly intercept: number;
  /** As the model. */
  readonly means: number[];
  /** As the model. */
  readonly l2: number;
  /** As the model. */
  readonly iterations: number;
}

/**
 * Fits an L2-regularised logistic regression by Newton's method: with standardised features z, each step solves
 * (Zᵀ W Z + λ I') Δ = Zᵀ c (y − p) − λ I' β, where W = diag(c · p (1 − p)), c the class weight of each row and I' the
 * identity without the intercept; the coefficients are mapped back to the raw features at the end. Constant columns
 * get coefficient 0.
 *
 * The standard maximum-penalised-likelihood fit (Hastie, Tibshirani & Friedman, "The Elements of Statistical Learning",
 * 4.4.1 and 4.4.4); the penalty makes the problem strictly convex, so Newton converges in a few steps even on separable
 * data.
 *
 * Complexity: O(iterations · (n · d² + d³)) for n rows and d features.
 *
 * @param features - n × d training features
 * @param labels - n labels, each 0 or 1 (or false/true)
 * @param options - penalty, class weights, iterations, tolerance, feature names
 * @returns a new frozen {@link LogisticRegressionModel}
 * @throws {@link core!NextbestError} `E_SHAPE` when labels and rows disagree, `E_NON_FINITE` for a non-finite feature,
 *   `E_BAD_INPUT` for a label other than 0/1, a single class or a bad option, `E_EMPTY` for no rows,
 *   `E_NOT_CONVERGED` when the iterations run out (naming the last change) or Newton's system is singular (separable
 *   classes or collinear features with a too small `options.l2`)
 * @example
 * ```ts
 * import { denseFromRows } from "nextbest/linalg";
 * import { fitLogisticRegression, predictLogisticRegression } from "nextbest/classifiers";
 * const x = denseFromRows([[0], [1], [2], [3], [4], [5]]);
 * const model = fitLogisticRegression(x, [0, 0, 1, 0, 1, 1], { l2: 0.1, featureNames: ["seats"] });
 * model.coefficients[0] > 0; // => true
 * Array.from(predictLogisticRegression(model, denseFromRows([[0], [5]])), (p) => p.toFixed(2)); // => ["0.07", "0.93"]
 * ```
 * @category classifiers
 */
export function fitLogisticRegression(
  features: DenseMatrix,
  labels: ArrayLike<number | boolean>,
  options: LogisticRegressionOptions = {},
): LogisticRegressionModel {
  const fn = "fitLogisticRegression";
  checkFeatureMatrix(fn, "features", features);
  const y = checkBinaryLabels(fn, labels, features.rows);
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const l2 = options.l2 ?? 1;
  if (typeof l2 !== "number" || !Number.isFinite(l2) || l2 < 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.l2 must be a finite number >= 0, got ${describeValue(l2)}`);
  const maxIterations = options.maxIterations ?? 50;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.maxIterations must be an integer >= 1, got ${describeValue(maxIterations)}`);
  }
  const tolerance = options.tolerance ?? 1e-10;
  if (typeof tolerance !== "number" || !(tolerance > 0)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.tolerance must be a number > 0, got ${describeValue(tolerance)}`);
  const d = features.cols;
  const featureNames = checkFeatureNames(fn, options.featureNames, d);
  const rowWeight = resolveClassWeights(fn, options.classWeights, y);
  const n = features.rows;
  const x = features.data;

  // Standardise: z = (x − mean) / scale (scale 1 for constant columns, whose coefficient stays 0).
  const means = new Float64Array(d);
  const scales = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) means[j] = means[j]! + x[i * d + j]!;
  for (let j = 0; j < d; j++) means[j] = means[j]! / n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const c = x[i * d + j]! - means[j]!;
      scales[j] = scales[j]! + c * c;
    }
  }
  const constant = new Uint8Array(d);
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(scales[j]! / n);
    constant[j] = sd > 1e-12 * (1 + Math.abs(means[j]!)) ? 0 : 1;
    scales[j] = constant[j] ? 1 : sd;
  }
  const z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) z[i * d + j] = constant[j] ? 0 : (x[i * d + j]! - means[j]!) / scales[j]!;

  // Newton on (β_0, β_1..β_d) in standardised space; the parameter vector puts the intercept last.
  const m = d + 1;
  const beta = new Float64Array(m);
  const hessian = new Float64Array(m * m);
  const gradient = new Float64Array(m);
  let iterations = 0;
  let change = Number.POSITIVE_INFINITY;
  while (iterations < maxIterations && change > tolerance) {
    iterations++;
    hessian.fill(0);
    gradient.fill(0);
    for (let i = 0; i < n; i++) {
      let eta = beta[d]!;
      for (let j = 0; j < d; j++) eta += beta[j]! * z[i * d + j]!;
      const p = 1 / (1 + Math.exp(-eta));
      const c = rowWeight[i]!;
      const w = c * p * (1 - p);
      const r = c * (y[i]! - p);
      for (let j = 0; j < m; j++) {
        const zj = j < d ? z[i * d + j]! : 1;
        gradient[j] = gradient[j]! + r * zj;
        for (let k = 0; k <= j; k++) {
          const zk = k < d ? z[i * d + k]! : 1;
          hessian[j * m + k] = hessian[j * m + k]! + w * zj * zk;
        }
      }
    }
    for (let j = 0; j < m; j++) for (let k = j + 1; k < m; k++) hessian[j * m + k] = hessian[k * m + j]!;
    for (let j = 0; j < d; j++) {
      gradient[j] = gradient[j]! - l2 * beta[j]!;
      // The penalty's curvature; a tiny floor keeps constant columns (all-zero rows of Z) positive definite.
      hessian[j * m + j] = hessian[j * m + j]! + l2 + (constant[j] ? 1 : 0);
    }
    hessian[d * m + d] = hessian[d * m + d]! + 1e-12 * n;
    const factor = tryCholeskyFactor({ rows: m, cols: m, data: hessian }, 0);
    if (typeof factor === "number") {
      throw new NextbestError(
        "E_NOT_CONVERGED",
        `${fn}: options.l2 must be large enough to keep Newton's system positive definite (the classes are separable or features collinear), got ${l2} (at iteration ${iterations}); raise options.l2`,
      );
    }
    const step = Float64Array.from(gradient);
    choleskySubstituteInPlace(factor, step);
    change = 0;
    for (let j = 0; j < m; j++) {
      beta[j] = beta[j]! + step[j]!;
      change = Math.max(change, Math.abs(step[j]!));
    }
  }
  if (change > tolerance && change > 1e-6) {
    throw new NextbestError(
      "E_NOT_CONVERGED",
      `${fn}: Newton did not converge in ${maxIterations} iterations (last change ${change}); raise options.l2 or options.maxIterations`,
    );
  }
  const coefficients = new Float64Array(d);
  let intercept = beta[d]!;
  for (let j = 0; j < d; j++) {
    coefficients[j] = constant[j] ? 0 : beta[j]! / scales[j]!;
    intercept -= coefficients[j]! * means[j]!;
  }
  return Object.freeze({
    kind: "logistic-regression",
    version: 1,
    featureNames: Object.freeze([...featureNames]),
    coefficients,
    intercept,
    means,
    l2,
    iterations,
  });
}

function checkModel(fn: string, model: unknown): asserts model is LogisticRegressionModel {
  const m = model as Partial<LogisticRegressionModel> | null;
  if (typeof m !== "object" || m === null || m.kind !== "logistic-regression" || m.version !== 1 || !(m.coefficients instanceof Float64Array)) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model must be a version-1 logistic regression (from fitLogisticRegression), got ${describeValue(model)}`);
  }
}

function checkRows(fn: string, model: LogisticRegressionModel, features: unknown): asserts features is DenseMatrix {
  checkFeatureMatrix(fn, "features", features);
  if (features.cols !== model.coefficients.length) {
    throw new NextbestError("E_SHAPE", `${fn}: features must have ${model.coefficients.length} columns (the model's features), got ${features.cols}`);
  }
}

/**
 * The linear predictor (log-odds) intercept + Σ_j coefficient_j · x_j of every row.
 *
 * Complexity: O(n · d).
 *
 * @param model - a fitted model
 * @param features - n × d rows
 * @returns n log-odds
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a bad model, `E_SHAPE` / `E_NON_FINITE` for bad rows
 * @example
 * ```ts
 * import { denseFromRows } from "nextbest/linalg";
 * import { logisticRegressionFromJSON, logisticLogOdds } from "nextbest/classifiers";
 * const model = logisticRegressionFromJSON({ kind: "logistic-regression", version: 1, featureNames: ["a"], coefficients: [2], intercept: -1, means: [0], l2: 0, iterations: 1 });
 * Array.from(logisticLogOdds(model, denseFromRows([[0], [1]]))); // => [-1, 1]
 * ```
 * @category classifiers
 */
export function logisticLogOdds(model: LogisticRegressionModel, features: DenseMatrix): Float64Array {
  const fn = "logisticLogOdds";
  checkModel(fn, model);
  checkRows(fn, model, features);
  return linearPredictor(model, features);
}

function linearPredictor(model: LogisticRegressionModel, features: DenseMatrix): Float64Array {
  const { coefficients, intercept } = model;
  const d = coefficients.length;
  const out = new Float64Array(features.rows);
  const x = features.data;
  for (let i = 0; i < features.rows; i++) {
    let eta = intercept;
    for (let j = 0; j < d; j++) eta += coefficients[j]! * x[i * d + j]!;
    out[i] = eta;
  }
  return out;
}

/**
 * The probability of the positive class for every row: σ(log-odds).
 *
 * Complexity: O(n · d).
 *
 * @param model - a fitted model
 * @param features - n × d rows
 * @returns n probabilities in (0, 1)
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a bad model, `E_SHAPE` / `E_NON_FINITE` for bad rows
 * @example
 * ```ts
 * import { denseFromRows } from "nextbest/linalg";
 * import { logisticRegressionFromJSON, predictLogisticRegression } from "nextbest/classifiers";
 * const model = logisticRegressionFromJSON({ kind: "logistic-regression", version: 1, featureNames: ["a"], coefficients: [1], intercept: 0, means: [0], l2: 0, iterations: 1 });
 * Array.from(predictLogisticRegression(model, denseFromRows([[0]]))); // => [0.5]
 * ```
 * @category classifiers
 */
export function predictLogisticRegression(model: LogisticRegressionModel, features: DenseMatrix): Float64Array {
  const fn = "predictLogisticRegression";
  checkModel(fn, model);
  checkRows(fn, model, features);
  const eta = linearPredictor(model, features);
  for (let i = 0; i < eta.length; i++) eta[i] = 1 / (1 + Math.exp(-eta[i]!));
  return eta;
}

/**
 * A row's log-odds split into a base value and one part per feature: base + Σ values = log-odds.
 *
 * @category classifiers
 */
export interface LogisticAttribution {
  /** The log-odds at the reference point. */
  readonly base: number;
  /** One part per feature, β_j (x_j − reference_j). */
  readonly values: Float64Array;
}

/**
 * Per-feature attributions of one row's log-odds, in closed form: φ_j = β_j (x_j − mean_j) against the training
 * means (or a given reference), with base value the log-odds at the reference, so base + Σ φ = log-odds(x) exactly.
 * These are the exact Shapley values of the linear predictor with the reference as the background (Lundberg & Lee
 * 2017, linear SHAP with independent features).
 *
 * Complexity: O(d).
 *
 * @param model - a fitted model
 * @param row - d raw feature values
 * @param reference - d reference values. @defaultValue the model's training means
 * @returns `{ base, values }` on the log-odds scale
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a bad model, `E_SHAPE` / `E_NON_FINITE` for a bad row
 * @example
 * ```ts
 * import { logisticRegressionFromJSON, logisticAttributions } from "nextbest/classifiers";
 * const model = logisticRegressionFromJSON({ kind: "logistic-regression", version: 1, featureNames: ["a", "b"], coefficients: [2, -1], intercept: 0.5, means: [1, 1], l2: 0, iterations: 1 });
 * const { base, values } = logisticAttributions(model, [3, 0]);
 * [base, Array.from(values)]; // => [1.5, [4, 1]]
 * ```
 * @category classifiers
 */
export function logisticAttributions(
  model: LogisticRegressionModel,
  row: ArrayLike<number>,
  reference?: ArrayLike<number>,
): LogisticAttribution {
  const fn = "logisticAttributions";
  checkModel(fn, model);
  const d = model.coefficients.length;
  const check = (name: string, values: ArrayLike<number>) => {
    if (typeof values !== "object" || values === null || values.length !== d) {
      throw new NextbestError("E_SHAPE", `${fn}: ${name} must hold ${d} values (one per feature), got ${describeValue(values)}`);
    }
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(values[j])) throw new NextbestError("E_NON_FINITE", `${fn}: ${name}[${j}] (${model.featureNames[j]}) must be finite, got ${describeValue(values[j])}`);
    }
  };
  check("row", row);
  const at = reference ?? model.means;
  if (reference !== undefined) check("reference", reference);
  const values = new Float64Array(d);
  let base = model.intercept;
  for (let j = 0; j < d; j++) {
    base += model.coefficients[j]! * at[j]!;
    values[j] = model.coefficients[j]! * (row[j]! - at[j]!);
  }
  return Object.freeze({ base, values });
}

/**
 * The JSON form of a logistic regression.
 *
 * Complexity: O(d).
 *
 * @param model - the model
 * @returns plain data; {@link logisticRegressionFromJSON} reads it back
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a bad model
 * @example
 * ```ts
 * import { denseFromRows } from "nextbest/linalg";
 * import { fitLogisticRegression, logisticRegressionToJSON } from "nextbest/classifiers";
 * const json = logisticRegressionToJSON(fitLogisticRegression(denseFromRows([[0], [1]]), [0, 1], { featureNames: ["x"] }));
 * [json.kind, json.featureNames]; // => ["logistic-regression", ["x"]]
 * ```
 * @category classifiers
 */
export function logisticRegressionToJSON(model: LogisticRegressionModel): LogisticRegressionModelJSON {
  checkModel("logisticRegressionToJSON", model);
  return {
    kind: "logistic-regression",
    version: 1,
    featureNames: [...model.featureNames],
    coefficients: typedArrayToJSON(model.coefficients),
    intercept: model.intercept,
    means: typedArrayToJSON(model.means),
    l2: model.l2,
    iterations: model.iterations,
  };
}

/**
 * Rebuilds a logistic regression from its JSON form (parsed), validating every field.
 *
 * Complexity: O(d).
 *
 * @param json - the parsed JSON of {@link logisticRegressionToJSON}
 * @returns a new frozen model
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { logisticRegressionFromJSON } from "nextbest/classifiers";
 * logisticRegressionFromJSON({ kind: "logistic-regression", version: 1, featureNames: ["a"], coefficients: [1, 2], intercept: 0, means: [0], l2: 0, iterations: 1 });
 * // throws NextbestError E_BAD_MODEL: "logisticRegressionFromJSON: json.coefficients must have length 1 (one per feature), got length 2"
 * ```
 * @category classifiers
 */
export function logisticRegressionFromJSON(json: unknown): LogisticRegressionModel {
  const fn = "logisticRegressionFromJSON";
  const record = readModelEnvelope(fn, json, "logistic-regression", [1]);
  const names = record["featureNames"];
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) badModel(fn, "json.featureNames", "be an array of strings", names);
  const d = (names as string[]).length;
  const coefficients = float64ArrayFromJSON(fn, "json.coefficients", record["coefficients"], { length: d, lengthMeaning: "one per feature" });
  const means = float64ArrayFromJSON(fn, "json.means", record["means"], { length: d, lengthMeaning: "one per feature" });
  const intercept = record["intercept"];
  if (typeof intercept !== "number" || !Number.isFinite(intercept)) badModel(fn, "json.intercept", "be a finite number", intercept);
  const l2 = record["l2"];
  if (typeof l2 !== "number" || !Number.isFinite(l2) || !(l2 >= 0)) badModel(fn, "json.l2", "be a finite number >= 0", l2);
  const iterations = record["iterations"];
  if (typeof iterations !== "number" || !Number.isInteger(iterations) || iterations < 0) badModel(fn, "json.iterations", "be an integer >= 0", iterations);
  return Object.freeze({
    kind: "logistic-regression",
    version: 1,
    featureNames: Object.freeze([...(names as string[])]),
    coefficients,
    intercept,
    means,
    l2,
    iterations,
  });
}
