/**
 * The explanation object every explainer returns, its JSON reader, and the inputs the model-agnostic explainers share.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { attachDisplay, htmlTable } from "../internal/jupyter.ts";

/**
 * How an explanation's values were computed.
 * - `"exact"`: exact Shapley values by enumerating every coalition ({@link explainExact}).
 * - `"kernel"`: KernelSHAP, a weighted linear regression over sampled coalitions ({@link explainKernel}).
 * - `"permutation"`: antithetic permutation sampling ({@link explainPermutation}).
 * - `"linear"` / `"logistic"`: the closed form of a linear model, or of a logistic model on the log-odds scale
 *   ({@link explainLinear}, {@link explainLogistic}).
 * - `"blend"`: the exact parts of a hybrid recommender's score ({@link explanationFromBlend}).
 * - `"item-item"` / `"implicit-als"`: a recommendation's score split over the purchases behind it
 *   ({@link explainItemItemScore}, {@link explainImplicitAlsScore}).
 *
 * @category explain
 */
export type ExplanationMethod =
  | "exact"
  | "kernel"
  | "permutation"
  | "linear"
  | "logistic"
  | "blend"
  | "item-item"
  | "implicit-als";

/**
 * The scale on which values add up: `"identity"` (the model's output as it is) or `"logit"` (log-odds: the
 * explained quantity is log(p / (1 − p)) of a probability p, and base + Σ values is the log-odds of the prediction).
 *
 * @category explain
 */
export type ExplanationLink = "identity" | "logit";

/**
 * A named group of features explained as one player (all of its features switched on or off together).
 *
 * @category explain
 */
export interface ExplanationGroup {
  /** The group's name. */
  readonly name: string;
  /** The indices of its features in `featureNames`, ascending. */
  readonly features: readonly number[];
}

/**
 * An additive explanation of one prediction: `baseValue + Σ values = output` (on the `link` scale), with the raw
 * feature values it explains. Plain data: `JSON.stringify` writes it and {@link explanationFromJSON} reads it back.
 *
 * The players are the features (`groups` is `null`), or the groups (one value per group).
 *
 * @category explain
 */
export interface Explanation {
  /** Always `"explanation"`. */
  readonly kind: "explanation";
  /** Format version, 1. */
  readonly version: 1;
  /** How the values were computed. */
  readonly method: ExplanationMethod;
  /** The scale of `baseValue`, `values` and `output`. */
  readonly link: ExplanationLink;
  /** The expected output over the background (the value of the empty coalition), on the link scale. */
  readonly baseValue: number;
  /** The explained output f(x) on the link scale: `baseValue + Σ values`. */
  readonly output: number;
  /** One attribution per player (per group when `groups` is set, else per feature). */
  readonly values: readonly number[];
  /** The raw value of each feature in the explained row (NaN where a value does not exist; JSON writes `null`). */
  readonly data: readonly number[];
  /** The name of each feature. */
  readonly featureNames: readonly string[];
  /** The player groups, or `null` when each feature is its own player. */
  readonly groups: readonly ExplanationGroup[] | null;
  /** One standard error per value for sampled estimates (permutation), `null` for exact and regression methods. */
  readonly standardErrors: readonly number[] | null;
  /** How many times the model function was called (0 for closed forms and recommender adapters). */
  readonly modelCalls: number;
}

/**
 * A model as a function of one row of features, returning one number (a score, a probability, a prediction).
 * The explainers call it with a reused buffer: read it, do not keep a reference to it or change it.
 *
 * @category explain
 */
export type ModelFunction = (features: Float64Array) => number;

/**
 * A group of features to explain as one player, by feature index or by name (in `featureNames`).
 *
 * @category explain
 */
export interface PlayerGroup {
  /** The group's name, unique. */
  readonly name: string;
  /** Its features: indices, or names from `featureNames`. */
  readonly features: readonly (number | string)[];
}

/**
 * Options every model-agnostic explainer ({@link explainExact}, {@link explainKernel}, {@link explainPermutation})
 * shares: the background that stands for "feature unknown", names, groups and the link.
 *
 * @category explain
 */
export interface BackgroundOptions {
  /**
   * The background rows (each of the row's length): a switched-off feature takes each background row's value in
   * turn and the model's outputs are averaged (interventional Shapley values). One row of feature means is the
   * cheapest background; 50–200 sampled rows are usual.
   */
  background: readonly ArrayLike<number>[];
  /** One weight >= 0 per background row (normalised to sum 1). @defaultValue equal weights */
  backgroundWeights?: ArrayLike<number>;
  /** One name per feature. @defaultValue `"feature 0"`, `"feature 1"`, ... */
  featureNames?: readonly string[];
  /**
   * Features explained together as one player each; every feature in exactly one group.
   * @defaultValue each feature its own player
   */
  groups?: readonly PlayerGroup[];
  /**
   * The scale to explain on: `"logit"` explains log(p / (1 − p)) of the model's expected output p (a probability in
   * (0, 1)), as shap's `link="logit"`.
   * @defaultValue "identity"
   */
  link?: ExplanationLink;
}

/**
 * The names of an explanation's players: the group names when grouped, else the feature names.
 *
 * @param explanation - an explanation
 * @returns one name per value
 * @example
 * ```ts
 * import { explainLinear, playerNames } from "nextbest/explain";
 * const why = explainLinear({ coefficients: [2, 1], intercept: 0 }, [1, 1], {
 *   means: [0, 0], featureNames: ["seats", "spend"], groups: [{ name: "usage", features: ["seats", "spend"] }],
 * });
 * playerNames(why); // => ["usage"]
 * ```
 * @category explain
 */
export function playerNames(explanation: Explanation): string[] {
  return explanation.groups === null ? [...explanation.featureNames] : explanation.groups.map((g) => g.name);
}

const METHODS: readonly ExplanationMethod[] = ["exact", "kernel", "permutation", "linear", "logistic", "blend", "item-item", "implicit-als"];

function bad(fn: string, field: string, rule: string, value: unknown): never {
  throw new NextbestError("E_BAD_MODEL", `${fn}: ${field} must ${rule}, got ${describeValue(value)}`);
}

function numbersFromJSON(fn: string, field: string, value: unknown, length: number | undefined, finite: boolean): number[] {
  if (!Array.isArray(value)) bad(fn, field, "be an array of numbers", value);
  if (length !== undefined && value.length !== length) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: ${field} must have length ${length}, got length ${value.length}`);
  }
  return value.map((v: unknown, i) => {
    if (v === null && !finite) return Number.NaN;
    if (typeof v !== "number" || !Number.isFinite(v)) bad(fn, `${field}[${i}]`, finite ? "be a finite number" : "be a finite number or null", v);
    return v;
  });
}

/**
 * Reads an explanation back from its JSON text (parsed), checking every field: kind, version, method, link, the
 * array lengths (one value per player, one data value and name per feature), groups that partition the features,
 * and additivity (`baseValue + Σ values = output` to 1e-9 relative).
 *
 * Complexity: O(features + players).
 *
 * @param json - the parsed JSON of an {@link Explanation}
 * @returns a new frozen explanation (`null` data values become NaN)
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { explainLinear, explanationFromJSON } from "nextbest/explain";
 * const why = explainLinear({ coefficients: [2, -1], intercept: 1 }, [3, 4], { means: [1, 1] });
 * explanationFromJSON(JSON.parse(JSON.stringify(why))).values; // => [4, -3]
 * explanationFromJSON({ ...why, output: 99 });
 * // throws NextbestError E_BAD_MODEL: "explanationFromJSON: json.output must equal baseValue + the sum of values (3), got 99"
 * ```
 * @category explain
 */
export function explanationFromJSON(json: unknown): Explanation {
  const fn = "explanationFromJSON";
  if (typeof json !== "object" || json === null || Array.isArray(json)) bad(fn, "json", "be an object (a parsed explanation)", json);
  const r = json as Record<string, unknown>;
  if (r["kind"] !== "explanation") bad(fn, "json.kind", 'be "explanation"', r["kind"]);
  if (r["version"] !== 1) bad(fn, "json.version", "be 1", r["version"]);
  const method = r["method"];
  if (typeof method !== "string" || !(METHODS as readonly string[]).includes(method)) bad(fn, "json.method", `be one of ${METHODS.join(", ")}`, method);
  const link = r["link"];
  if (link !== "identity" && link !== "logit") bad(fn, "json.link", 'be "identity" or "logit"', link);
  const names = r["featureNames"];
  if (!Array.isArray(names) || names.some((n) => typeof n !== "string")) bad(fn, "json.featureNames", "be an array of strings", names);
  const featureCount = names.length;
  const data = numbersFromJSON(fn, "json.data", r["data"], featureCount, false);
  let groups: ExplanationGroup[] | null = null;
  const rawGroups = r["groups"];
  if (rawGroups !== null) {
    if (!Array.isArray(rawGroups)) bad(fn, "json.groups", "be null or an array of { name, features }", rawGroups);
    const owner = new Int32Array(featureCount).fill(-1);
    groups = rawGroups.map((g: unknown, k) => {
      const group = g as { name?: unknown; features?: unknown } | null;
      if (typeof group !== "object" || group === null || typeof group.name !== "string") bad(fn, `json.groups[${k}]`, "be an object { name, features }", g);
      const features = numbersFromJSON(fn, `json.groups[${k}].features`, group.features, undefined, true);
      for (const f of features) {
        if (!Number.isInteger(f) || f < 0 || f >= featureCount) bad(fn, `json.groups[${k}].features`, `hold feature indices in [0, ${featureCount})`, f);
        if (owner[f]! >= 0) bad(fn, `json.groups[${k}].features`, "not repeat a feature of another group", f);
        owner[f] = k;
      }
      return Object.freeze({ name: group.name, features: Object.freeze(features) });
    });
    const missing = owner.indexOf(-1);
    if (missing >= 0) bad(fn, "json.groups", "cover every feature", `feature ${missing} in no group`);
  }
  const players = groups === null ? featureCount : groups.length;
  const values = numbersFromJSON(fn, "json.values", r["values"], players, true);
  const baseValue = numbersFromJSON(fn, "json.baseValue", [r["baseValue"]], 1, true)[0]!;
  const output = numbersFromJSON(fn, "json.output", [r["output"]], 1, true)[0]!;
  let sum = baseValue;
  let scale = Math.abs(baseValue);
  for (const v of values) {
    sum += v;
    scale += Math.abs(v);
  }
  if (Math.abs(sum - output) > 1e-9 * Math.max(1, scale)) {
    bad(fn, "json.output", `equal baseValue + the sum of values (${sum})`, output);
  }
  const se = r["standardErrors"];
  const standardErrors = se === null ? null : numbersFromJSON(fn, "json.standardErrors", se, players, true);
  const calls = r["modelCalls"];
  if (typeof calls !== "number" || !Number.isInteger(calls) || calls < 0) bad(fn, "json.modelCalls", "be an integer >= 0", calls);
  return freezeExplanation(fn, {
    kind: "explanation",
    version: 1,
    method: method as ExplanationMethod,
    link,
    baseValue,
    output,
    values,
    data,
    featureNames: [...(names as string[])],
    groups,
    standardErrors,
    modelCalls: calls,
  });
}

/** Freezes an explanation and its arrays, attaching the notebook display (a table of the values). @internal */
export function freezeExplanation<T extends Explanation>(fn: string, explanation: T): T {
  // Finite inputs can still overflow when added up (model outputs near ±1e308): never hand back ∞ or NaN.
  const check = (field: string, value: number) => {
    if (!Number.isFinite(value)) {
      throw new NextbestError(
        "E_NON_FINITE",
        `${fn}: ${field} of the explanation must be finite, got ${describeValue(value)} (outputs or contributions beyond about 1.8e308 overflow; rescale the model's output)`,
      );
    }
  };
  check("baseValue", explanation.baseValue);
  check("output", explanation.output);
  explanation.values.forEach((value, j) => check(`values[${j}]`, value));
  explanation.standardErrors?.forEach((value, j) => check(`standardErrors[${j}]`, value));
  attachDisplay(explanation, () => {
    const names = playerNames(explanation);
    const order = explanation.values.map((_, j) => j).sort((a, b) => Math.abs(explanation.values[b]!) - Math.abs(explanation.values[a]!));
    return {
      "text/html": htmlTable(
        ["player", "value", "attribution"],
        [
          ["base value", null, explanation.baseValue],
          ...order.map((j) => [names[j] ?? String(j), names.length === explanation.data.length ? explanation.data[j]! : null, explanation.values[j]!] as const),
          ["output", null, explanation.output],
        ],
        `${explanation.method} attributions (${explanation.link} scale); base + Σ attributions = output`,
      ),
    };
  });
  Object.freeze(explanation.values);
  Object.freeze(explanation.data);
  Object.freeze(explanation.featureNames);
  if (explanation.groups !== null) Object.freeze(explanation.groups);
  if (explanation.standardErrors !== null) Object.freeze(explanation.standardErrors);
  return Object.freeze(explanation);
}
