/**
 * Closed-form Shapley values of linear and logistic models.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { assertArrayLike, assertFiniteArray, assertFiniteNumber } from "../internal/validate.ts";
import { checkOptionsObject, prepareBackground, prepareFeatures } from "./internal.ts";
import { freezeExplanation, type Explanation, type PlayerGroup } from "./types.ts";

/**
 * A linear model f(x) = intercept + Σ coefficients_j · x_j; for {@link explainLogistic}, the log-odds of a logistic
 * model (p = 1 / (1 + e^(−f(x)))).
 *
 * @category explain
 */
export interface LinearModel {
  /** One coefficient per feature. */
  readonly coefficients: ArrayLike<number>;
  /** The constant term. @defaultValue 0 */
  readonly intercept?: number;
}

/**
 * Options of {@link explainLinear} and {@link explainLogistic}: the reference point as feature means or as background
 * rows (whose weighted means are used), names and groups.
 *
 * @category explain
 */
export interface LinearExplainOptions {
  /** The reference value of each feature (usually its mean over the accounts). Give this or `background`. */
  means?: ArrayLike<number>;
  /** Background rows; their (weighted) feature means are the reference. Give this or `means`. */
  background?: readonly ArrayLike<number>[];
  /** One weight >= 0 per background row. @defaultValue equal weights */
  backgroundWeights?: ArrayLike<number>;
  /** One name per feature. @defaultValue `"feature 0"`, `"feature 1"`, ... */
  featureNames?: readonly string[];
  /** Features explained together (their values summed); every feature in exactly one group. @defaultValue none */
  groups?: readonly PlayerGroup[];
}

function closedForm(fn: string, method: "linear" | "logistic", model: LinearModel, x: ArrayLike<number>, options: LinearExplainOptions): Explanation {
  if (typeof model !== "object" || model === null) throw new NextbestError("E_BAD_INPUT", `${fn}: model must be an object { coefficients, intercept? }, got ${describeValue(model)}`);
  checkOptionsObject(fn, options);
  const features = prepareFeatures(fn, x, options.featureNames, options.groups);
  const d = features.x.length;
  assertArrayLike(fn, "model.coefficients", model.coefficients);
  if (model.coefficients.length !== d) {
    throw new NextbestError("E_SHAPE", `${fn}: model.coefficients must have length ${d} (one per feature of x), got length ${model.coefficients.length}`);
  }
  assertFiniteArray(fn, "model.coefficients", model.coefficients);
  const intercept = model.intercept ?? 0;
  assertFiniteNumber(fn, "model.intercept", intercept);
  let means: Float64Array;
  if (options.means !== undefined) {
    if (options.background !== undefined) throw new NextbestError("E_BAD_INPUT", `${fn}: options must give means or background, not both, got both`);
    assertArrayLike(fn, "options.means", options.means);
    if (options.means.length !== d) throw new NextbestError("E_SHAPE", `${fn}: options.means must have length ${d} (as x), got length ${options.means.length}`);
    assertFiniteArray(fn, "options.means", options.means);
    means = Float64Array.from(options.means);
  } else {
    if (options.background === undefined) throw new NextbestError("E_BAD_INPUT", `${fn}: options must give means or background, got neither`);
    const bg = prepareBackground(fn, options.background, options.backgroundWeights, d);
    means = new Float64Array(d);
    for (let b = 0; b < bg.backgroundCount; b++) for (let j = 0; j < d; j++) means[j]! += bg.weights[b]! * bg.background[b * d + j]!;
  }
  const perFeature = new Float64Array(d);
  let baseValue = intercept;
  let output = intercept;
  for (let j = 0; j < d; j++) {
    const beta = model.coefficients[j]!;
    perFeature[j] = beta * (features.x[j]! - means[j]!);
    baseValue += beta * means[j]!;
    output += beta * features.x[j]!;
  }
  const values = features.playerFeatures.map((players) => {
    let sum = 0;
    for (const j of players) sum += perFeature[j]!;
    return sum;
  });
  return freezeExplanation(fn, {
    kind: "explanation",
    version: 1,
    method,
    link: method === "logistic" ? "logit" : "identity",
    baseValue,
    output,
    values,
    data: Array.from(features.x),
    featureNames: features.featureNames,
    groups: features.groups,
    standardErrors: null,
    modelCalls: 0,
  });
}

/**
 * The exact Shapley values of a linear model in closed form (Lundberg and Lee 2017, "linear SHAP" with independent
 * features): φ_j = β_j (x_j − mean_j), base value intercept + Σ β_j mean_j, output f(x). The same numbers as
 * {@link explainExact} with the same means or background, without a single model call. A group's value is the sum of
 * its features' values.
 *
 * Complexity: O(features) (plus O(B · features) to average B background rows).
 *
 * @param model - coefficients and intercept
 * @param x - the row to explain
 * @param options - the reference (means or background), names, groups
 * @returns the {@link Explanation} with method `"linear"`, link `"identity"`
 * @throws {@link core!NextbestError} `E_SHAPE` when the coefficients, means or background rows do not match x;
 *   `E_BAD_INPUT` when neither or both of means and background are given; `E_NON_FINITE` for a non-finite number
 * @example
 * ```ts
 * import { explainLinear } from "nextbest/explain";
 * const why = explainLinear({ coefficients: [2, -1], intercept: 1 }, [3, 4], { means: [1, 1], featureNames: ["seats", "tickets"] });
 * why.values; // => [4, -3]
 * [why.baseValue, why.output]; // => [2, 3]
 * ```
 * @category explain
 */
export function explainLinear(model: LinearModel, x: ArrayLike<number>, options: LinearExplainOptions): Explanation {
  return closedForm("explainLinear", "linear", model, x, options);
}

/**
 * The exact Shapley values of a logistic model on the log-odds scale, in closed form: the log-odds
 * intercept + Σ β_j x_j is linear, so φ_j = β_j (x_j − mean_j) with base value intercept + Σ β_j mean_j, and
 * base + Σ φ is the log-odds of the prediction (probability 1 / (1 + e^(−output))). Link `"logit"`. These are the
 * Shapley values of the model's margin; explaining the probability itself (not additive in the log-odds) needs
 * {@link explainExact} or {@link explainKernel} on the probability function.
 *
 * Complexity: O(features) (plus O(B · features) to average B background rows).
 *
 * @param model - the log-odds coefficients and intercept
 * @param x - the row to explain
 * @param options - the reference (means or background), names, groups
 * @returns the {@link Explanation} with method `"logistic"`, link `"logit"`
 * @throws {@link core!NextbestError} `E_SHAPE` when the coefficients, means or background rows do not match x;
 *   `E_BAD_INPUT` when neither or both of means and background are given; `E_NON_FINITE` for a non-finite number
 * @example
 * ```ts
 * import { explainLogistic } from "nextbest/explain";
 * const why = explainLogistic({ coefficients: [0.5, -2], intercept: -1 }, [4, 0], { means: [2, 0.5] });
 * why.values; // => [1, 1]
 * [why.baseValue, why.output, why.link]; // => [-1, 1, "logit"]
 * (1 / (1 + Math.exp(-why.output))).toFixed(3); // => "0.731"
 * ```
 * @category explain
 */
export function explainLogistic(model: LinearModel, x: ArrayLike<number>, options: LinearExplainOptions): Explanation {
  return closedForm("explainLogistic", "logistic", model, x, options);
}
