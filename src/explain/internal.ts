// Shared machinery of the model-agnostic explainers: boundary checks of (model, x, options) and the coalition value
// function v(S) = link(Σ_b w_b f(x_S, background_b elsewhere)), with the model calls counted.
// Not exported by the barrel.
import { NextbestError, describeValue } from "../core/errors.ts";
import { assertArrayLike, assertFiniteArray, assertOneOf } from "../internal/validate.ts";
import type { BackgroundOptions, ExplanationGroup, ExplanationLink, ExplanationMethod, Explanation, ModelFunction, PlayerGroup } from "./types.ts";
import { freezeExplanation } from "./types.ts";

/** The checked inputs of an explainer. */
export interface Prepared {
  readonly featureCount: number;
  readonly x: Float64Array;
  /** Background rows, row-major, `backgroundCount × featureCount`. */
  readonly background: Float64Array;
  readonly backgroundCount: number;
  /** Normalised weights (sum 1). */
  readonly weights: Float64Array;
  readonly featureNames: string[];
  readonly groups: ExplanationGroup[] | null;
  readonly playerCount: number;
  /** The features of each player. */
  readonly playerFeatures: Int32Array[];
  readonly link: ExplanationLink;
}

export function checkOptionsObject(fn: string, options: unknown): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
}

/** Checks x, names and groups (shared by the model-agnostic explainers and the closed forms). */
export function prepareFeatures(
  fn: string,
  x: unknown,
  featureNames: readonly string[] | undefined,
  groups: readonly PlayerGroup[] | undefined,
): { x: Float64Array; featureNames: string[]; groups: ExplanationGroup[] | null; playerFeatures: Int32Array[] } {
  assertArrayLike(fn, "x", x);
  if (x.length === 0) throw new NextbestError("E_EMPTY", `${fn}: x must hold at least one feature, got length 0`);
  assertFiniteArray(fn, "x", x);
  const d = x.length;
  let names: string[];
  if (featureNames === undefined) names = Array.from({ length: d }, (_, j) => `feature ${j}`);
  else {
    if (!Array.isArray(featureNames)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.featureNames must be an array of strings, got ${describeValue(featureNames)}`);
    if (featureNames.length !== d) throw new NextbestError("E_SHAPE", `${fn}: options.featureNames must have length ${d} (one per feature), got length ${featureNames.length}`);
    const seen = new Set<string>();
    featureNames.forEach((name: unknown, j) => {
      if (typeof name !== "string") throw new NextbestError("E_BAD_INPUT", `${fn}: options.featureNames[${j}] must be a string, got ${describeValue(name)}`);
      if (seen.has(name)) throw new NextbestError("E_DUPLICATE", `${fn}: options.featureNames[${j}] must be unique, got ${JSON.stringify(name)} again`);
      seen.add(name);
    });
    names = [...featureNames];
  }
  if (groups === undefined) {
    return { x: Float64Array.from(x), featureNames: names, groups: null, playerFeatures: Array.from({ length: d }, (_, j) => Int32Array.of(j)) };
  }
  if (!Array.isArray(groups)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.groups must be an array of { name, features }, got ${describeValue(groups)}`);
  if (groups.length === 0) throw new NextbestError("E_EMPTY", `${fn}: options.groups must hold at least one group, got 0`);
  const byName = new Map(names.map((name, j) => [name, j] as const));
  const owner = new Int32Array(d).fill(-1);
  const groupNames = new Set<string>();
  const out: ExplanationGroup[] = groups.map((group: unknown, k) => {
    const g = group as Partial<PlayerGroup> | null;
    if (typeof g !== "object" || g === null || typeof g.name !== "string" || !Array.isArray(g.features)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.groups[${k}] must be an object { name, features }, got ${describeValue(group)}`);
    }
    if (groupNames.has(g.name)) throw new NextbestError("E_DUPLICATE", `${fn}: options.groups[${k}].name must be unique, got ${JSON.stringify(g.name)} again`);
    groupNames.add(g.name);
    if (g.features.length === 0) throw new NextbestError("E_EMPTY", `${fn}: options.groups[${k}].features must hold at least one feature, got 0`);
    const features = g.features.map((feature: unknown, p) => {
      const j = typeof feature === "string" ? byName.get(feature) : feature;
      if (typeof j !== "number" || !Number.isInteger(j) || j < 0 || j >= d) {
        throw new NextbestError(
          "E_BAD_INPUT",
          `${fn}: options.groups[${k}].features[${p}] must be a feature index in [0, ${d}) or a name in featureNames, got ${describeValue(feature)}`,
        );
      }
      if (owner[j]! >= 0) {
        throw new NextbestError("E_DUPLICATE", `${fn}: options.groups[${k}].features[${p}] must not be in another group, got ${JSON.stringify(names[j])} (also in groups[${owner[j]}])`);
      }
      owner[j] = k;
      return j;
    });
    features.sort((a, b) => a - b);
    return Object.freeze({ name: g.name, features: Object.freeze(features) });
  });
  const missing = owner.indexOf(-1);
  if (missing >= 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.groups must put every feature in a group, got ${JSON.stringify(names[missing])} in none`);
  return { x: Float64Array.from(x), featureNames: names, groups: out, playerFeatures: out.map((g) => Int32Array.from(g.features)) };
}

/** Checks background rows and weights against the feature count; returns them flat with normalised weights. */
export function prepareBackground(
  fn: string,
  background: unknown,
  backgroundWeights: unknown,
  d: number,
): { background: Float64Array; backgroundCount: number; weights: Float64Array } {
  if (!Array.isArray(background)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.background must be an array of rows, got ${describeValue(background)}`);
  if (background.length === 0) throw new NextbestError("E_EMPTY", `${fn}: options.background must hold at least one row, got 0`);
  const count = background.length;
  const flat = new Float64Array(count * d);
  background.forEach((row: unknown, b) => {
    assertArrayLike(fn, `options.background[${b}]`, row);
    if (row.length !== d) throw new NextbestError("E_SHAPE", `${fn}: options.background[${b}] must have length ${d} (as x), got length ${row.length}`);
    assertFiniteArray(fn, `options.background[${b}]`, row);
    for (let j = 0; j < d; j++) flat[b * d + j] = row[j]!;
  });
  const weights = new Float64Array(count);
  if (backgroundWeights === undefined) weights.fill(1 / count);
  else {
    assertArrayLike(fn, "options.backgroundWeights", backgroundWeights);
    if (backgroundWeights.length !== count) {
      throw new NextbestError("E_SHAPE", `${fn}: options.backgroundWeights must have length ${count} (one per background row), got length ${backgroundWeights.length}`);
    }
    assertFiniteArray(fn, "options.backgroundWeights", backgroundWeights);
    let total = 0;
    for (let b = 0; b < count; b++) {
      const w = backgroundWeights[b]!;
      if (w < 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.backgroundWeights[${b}] must be >= 0, got ${w}`);
      total += w;
    }
    if (!(total > 0)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.backgroundWeights must have a positive sum, got ${total}`);
    for (let b = 0; b < count; b++) weights[b] = backgroundWeights[b]! / total;
  }
  return { background: flat, backgroundCount: count, weights };
}

/** Checks everything a model-agnostic explainer takes. */
export function prepare(fn: string, model: unknown, x: unknown, options: BackgroundOptions): Prepared {
  if (typeof model !== "function") throw new NextbestError("E_BAD_INPUT", `${fn}: model must be a function (features) => number, got ${describeValue(model)}`);
  checkOptionsObject(fn, options);
  const features = prepareFeatures(fn, x, options.featureNames, options.groups);
  const d = features.x.length;
  const bg = prepareBackground(fn, options.background, options.backgroundWeights, d);
  const link = options.link ?? "identity";
  assertOneOf(fn, "options.link", link, ["identity", "logit"]);
  return {
    featureCount: d,
    x: features.x,
    ...bg,
    featureNames: features.featureNames,
    groups: features.groups,
    playerCount: features.playerFeatures.length,
    playerFeatures: features.playerFeatures,
    link,
  };
}

/** The players whose features differ from x in at least one background row; the others are dummies (value 0). */
export function varyingPlayers(p: Prepared): Int32Array {
  const out: number[] = [];
  const d = p.featureCount;
  for (let k = 0; k < p.playerCount; k++) {
    let varies = false;
    for (const j of p.playerFeatures[k]!) {
      for (let b = 0; b < p.backgroundCount && !varies; b++) if (p.background[b * d + j] !== p.x[j]) varies = true;
      if (varies) break;
    }
    if (varies) out.push(k);
  }
  return Int32Array.from(out);
}

/** The coalition value function over players, with its call counter. */
export interface CoalitionValue {
  /** v(S) for the players with `mask[k] === 1` (on the link scale). */
  value(mask: Uint8Array): number;
  /** How many times the model has been called so far. */
  readonly calls: () => number;
  /** link(f(x)): the value of the full coalition (one model call). */
  readonly full: number;
  /** link(E_b f(background_b)): the value of the empty coalition. */
  readonly empty: number;
}

function linkOf(fn: string, link: ExplanationLink, mean: number, what: string): number {
  if (link === "identity") return mean;
  if (!(mean > 0 && mean < 1)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: model must return probabilities in (0, 1) with link "logit", got an expected output of ${mean} for ${what}`);
  }
  return Math.log(mean / (1 - mean));
}

/** Builds v(S) = link(Σ_b w_b f(row_b(S))), row_b(S) = x on the features of S's players, background row b elsewhere. */
export function coalitionValue(fn: string, model: ModelFunction, p: Prepared): CoalitionValue {
  const d = p.featureCount;
  const B = p.backgroundCount;
  const { x, background, weights, playerFeatures, link } = p;
  const row = new Float64Array(d);
  const fromBackground = new Int32Array(d);
  let calls = 0;
  // `what`: the background row, or -1 for x itself (the message is built only on failure)
  const call = (what: number): number => {
    const y = model(row);
    calls++;
    if (typeof y !== "number" || !Number.isFinite(y)) {
      throw new NextbestError(
        typeof y === "number" ? "E_NON_FINITE" : "E_BAD_INPUT",
        `${fn}: model must return a finite number, got ${describeValue(y)} for ${what < 0 ? "x" : `background row ${what} with x's features in a coalition`}`,
      );
    }
    return y;
  };
  const inCoalition = new Uint8Array(d);
  const value = (mask: Uint8Array): number => {
    // row = x on the coalition's features; only the other features are refilled from each background row
    inCoalition.fill(0);
    for (let k = 0; k < mask.length; k++) {
      if (mask[k] === 1) {
        const features = playerFeatures[k]!;
        for (let q = 0; q < features.length; q++) inCoalition[features[q]!] = 1;
      }
    }
    let count = 0;
    for (let j = 0; j < d; j++) {
      if (inCoalition[j] === 1) row[j] = x[j]!;
      else fromBackground[count++] = j;
    }
    let mean = 0;
    for (let b = 0; b < B; b++) {
      const offset = b * d;
      for (let q = 0; q < count; q++) {
        const j = fromBackground[q]!;
        row[j] = background[offset + j]!;
      }
      mean += weights[b]! * call(b);
    }
    return linkOf(fn, link, mean, "a coalition");
  };
  row.set(x);
  const full = linkOf(fn, link, call(-1), "x");
  const empty = value(new Uint8Array(p.playerCount));
  return { value, calls: () => calls, full, empty };
}

/** Builds the frozen explanation of a model-agnostic explainer. */
export function explanationOf(
  fn: string,
  p: Prepared,
  method: ExplanationMethod,
  values: Float64Array,
  baseValue: number,
  output: number,
  standardErrors: Float64Array | null,
  modelCalls: number,
): Explanation {
  return freezeExplanation(fn, {
    kind: "explanation",
    version: 1,
    method,
    link: p.link,
    baseValue,
    output,
    values: Array.from(values),
    data: Array.from(p.x),
    featureNames: p.featureNames,
    groups: p.groups,
    standardErrors: standardErrors === null ? null : Array.from(standardErrors),
    modelCalls,
  });
}

/** Reads an optional integer option in [min, max]. */
export function integerOption(fn: string, name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be an integer in [${min}, ${max}], got ${describeValue(value)}`);
  }
  return value;
}
