/**
 * A blend rule written as a formula over component names, e.g. `"0.7 * cf + 0.3 * content"`, parsed by mathjs and
 * checked against a restricted grammar before anything is evaluated.
 *
 * @module
 */
import { create, parseDependencies } from "mathjs/number";
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Recommender } from "../recommend/types.ts";
import {
  combinedRecommender,
  resolveBlendOptions,
  scoreBuffers,
  specOptions,
  type BlendOptions,
  type MissingScorePolicy,
} from "./blend.ts";
import { alignComponents, normalizedComponentScores, type Normalization } from "./shared.ts";
import type { CombineState } from "./state.ts";

/** Options of {@link blendByFormula}: those of a weighted blend. @category hybrid */
export interface FormulaBlendOptions extends BlendOptions {}

/**
 * The plain, JSON-serializable description of a formula blend; rebuild it with {@link formulaBlendFromSpec}.
 *
 * @category hybrid
 */
export interface FormulaBlendSpec {
  /** Always `"formula"`. */
  readonly kind: "formula";
  /** Format version, 1. */
  readonly version: 1;
  /** The hybrid's name. */
  readonly name: string;
  /** The normalisation applied to each component's scores before the formula sees them. */
  readonly normalization: Normalization;
  /** The missing-score policy. */
  readonly missing: MissingScorePolicy;
  /** The formula as given. */
  readonly formula: string;
  /** The component names the formula uses, in the hybrid's component order. */
  readonly components: readonly string[];
}

/**
 * The linear form of a formula, when it has one: `score = constant + Σ weights.get(name) · normalised(name)`.
 *
 * @category hybrid
 */
export interface LinearFormula {
  /** The constant term (it shifts every score equally, so it never changes a ranking). */
  readonly constant: number;
  /** Each component's coefficient, by name, in the hybrid's component order. */
  readonly weights: ReadonlyMap<string, number>;
}

/**
 * A recommender made by {@link blendByFormula}.
 *
 * @category hybrid
 */
export interface FormulaBlendedRecommender extends Recommender {
  /** The blend's plain description (JSON-serializable). */
  readonly spec: FormulaBlendSpec;
  /** The formula's linear form, or `null` when it multiplies components together. */
  readonly linear: LinearFormula | null;
}

// The subset of mathjs's node shape this module reads.
interface FormulaNode {
  readonly type: string;
  readonly op?: string;
  readonly fn?: unknown;
  readonly args?: readonly FormulaNode[];
  readonly content?: FormulaNode;
  readonly name?: string;
  readonly value?: unknown;
  toString(): string;
}

/** An affine form over the components, or null for a non-linear expression. */
interface Affine {
  readonly constant: number;
  readonly coefficients: Float64Array;
}

type Compiled = (values: Float64Array) => number;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_FORMULA_LENGTH = 1000;
const MAX_SHAPLEY_COMPONENTS = 12;
const ALLOWED = "numbers, the component names, + - * / and parentheses";

const NODE_WORDS: ReadonlyMap<string, string> = new Map([
  ["BlockNode", "a sequence of statements"],
  ["ArrayNode", "a matrix"],
  ["ConditionalNode", "a conditional"],
  ["AccessorNode", "a property access"],
  ["IndexNode", "an index"],
  ["ObjectNode", "an object"],
  ["RangeNode", "a range"],
  ["RelationalNode", "a comparison"],
]);

let parser: ((text: string) => unknown) | undefined;

function parseFormula(text: string): FormulaNode {
  if (parser === undefined) {
    const math = create({ parseDependencies: parseDependencies! });
    parser = (t: string) => math.parse(t);
  }
  return parser(text) as FormulaNode;
}

function operatorName(node: FormulaNode): string {
  return typeof node.fn === "string" ? node.fn : String((node.fn as { name?: unknown } | undefined)?.name ?? "");
}

/**
 * Checks the parsed formula against the grammar and turns it into an evaluator and, when linear, an affine form.
 * Only constants, component symbols, the four arithmetic operators, unary signs and parentheses pass.
 */
function compileNode(
  fn: string,
  node: FormulaNode,
  indexOf: ReadonlyMap<string, number>,
  used: Set<string>,
): { compiled: Compiled; affine: Affine | null } {
  const count = indexOf.size;
  const reject = (what: string): never => {
    throw new NextbestError("E_BAD_INPUT", `${fn}: formula may only use ${ALLOWED}; got ${what} ${JSON.stringify(node.toString())}`);
  };
  switch (node.type) {
    case "ConstantNode": {
      const value = node.value;
      if (typeof value !== "number") return reject("the constant");
      if (!Number.isFinite(value)) {
        throw new NextbestError("E_NON_FINITE", `${fn}: formula constants must be finite, got ${JSON.stringify(node.toString())}`);
      }
      return { compiled: () => value, affine: { constant: value, coefficients: new Float64Array(count) } };
    }
    case "SymbolNode": {
      const name = node.name ?? "";
      const c = indexOf.get(name);
      if (c === undefined) {
        const names = [...indexOf.keys()].map((n) => JSON.stringify(n)).join(", ");
        throw new NextbestError("E_UNKNOWN_ID", `${fn}: formula names ${JSON.stringify(name)}, which is not a component (components: ${names})`);
      }
      used.add(name);
      const coefficients = new Float64Array(count);
      coefficients[c] = 1;
      return { compiled: (values) => values[c]!, affine: { constant: 0, coefficients } };
    }
    case "ParenthesisNode":
      return compileNode(fn, node.content!, indexOf, used);
    case "OperatorNode": {
      const op = operatorName(node);
      const args = node.args ?? [];
      if (args.length === 1 && (op === "unaryMinus" || op === "unaryPlus")) {
        const inner = compileNode(fn, args[0]!, indexOf, used);
        if (op === "unaryPlus") return inner;
        const f = inner.compiled;
        return { compiled: (values) => -f(values), affine: inner.affine === null ? null : scaleAffine(inner.affine, -1) };
      }
      if (args.length !== 2 || !(op === "add" || op === "subtract" || op === "multiply" || op === "divide")) {
        return reject(`the operator ${JSON.stringify(node.op ?? op)} in`);
      }
      const left = compileNode(fn, args[0]!, indexOf, used);
      const right = compileNode(fn, args[1]!, indexOf, used);
      const a = left.compiled;
      const b = right.compiled;
      const la = left.affine;
      const ra = right.affine;
      if (op === "add" || op === "subtract") {
        const sign = op === "add" ? 1 : -1;
        const affine = la !== null && ra !== null ? addAffine(la, ra, sign) : null;
        return { compiled: sign === 1 ? (values) => a(values) + b(values) : (values) => a(values) - b(values), affine };
      }
      if (op === "multiply") {
        let affine: Affine | null = null;
        if (la !== null && ra !== null) {
          if (isConstant(ra)) affine = scaleAffine(la, ra.constant);
          else if (isConstant(la)) affine = scaleAffine(ra, la.constant);
        }
        return { compiled: (values) => a(values) * b(values), affine };
      }
      // Division: only by a non-zero number, so that no item's score can become infinite or NaN.
      if (ra === null || !isConstant(ra)) {
        throw new NextbestError(
          "E_BAD_INPUT",
          `${fn}: formula may only divide by a number, got ${JSON.stringify(node.toString())} (its divisor uses a component)`,
        );
      }
      if (ra.constant === 0) throw new NextbestError("E_BAD_INPUT", `${fn}: formula divides by zero in ${JSON.stringify(node.toString())}`);
      const divisor = ra.constant;
      return { compiled: (values) => a(values) / divisor, affine: la === null ? null : scaleAffine(la, 1 / divisor) };
    }
    case "AssignmentNode":
    case "FunctionAssignmentNode":
      return reject("an assignment");
    case "FunctionNode":
      return reject("the function call");
    default:
      return reject(NODE_WORDS.get(node.type) ?? "the expression");
  }
}

function isConstant(form: Affine): boolean {
  for (let c = 0; c < form.coefficients.length; c++) if (form.coefficients[c] !== 0) return false;
  return true;
}

function scaleAffine(form: Affine, factor: number): Affine {
  return { constant: form.constant * factor, coefficients: form.coefficients.map((w) => w * factor) };
}

function addAffine(left: Affine, right: Affine, sign: number): Affine {
  return {
    constant: left.constant + sign * right.constant,
    coefficients: left.coefficients.map((w, c) => w + sign * right.coefficients[c]!),
  };
}

/**
 * Exact Shapley values of `f` at `values` against the reference point 0: component c gets the weighted mean, over
 * subsets S of the other components, of f(S ∪ {c}) − f(S), where components outside a subset are 0.
 * 2^n evaluations of f; returns f(0).
 */
function shapley(f: Compiled, values: Float64Array, out: Float64Array): number {
  const n = values.length;
  const subsets = 1 << n;
  const outcome = new Float64Array(subsets);
  const point = new Float64Array(n);
  for (let mask = 0; mask < subsets; mask++) {
    for (let c = 0; c < n; c++) point[c] = (mask >> c) & 1 ? values[c]! : 0;
    outcome[mask] = f(point);
  }
  // weight[s] = s! (n − s − 1)! / n!
  const weight = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    let w = 1 / n;
    for (let j = 1; j <= s; j++) w *= j / (n - j);
    weight[s] = w;
  }
  out.fill(0);
  for (let mask = 0; mask < subsets; mask++) {
    let size = 0;
    for (let c = 0; c < n; c++) size += (mask >> c) & 1;
    for (let c = 0; c < n; c++) {
      if ((mask >> c) & 1) continue;
      out[c] = out[c]! + weight[size]! * (outcome[mask | (1 << c)]! - outcome[mask]!);
    }
  }
  return outcome[0]!;
}

/**
 * A hybrid whose rule is a formula over component names, e.g. `"0.7 * cf + 0.3 * content"` or
 * `"cf + 0.5 * cf * content - 0.2 * popularity"`: for each user every component's scores are normalised (as in
 * {@link blendRecommenders}), then each item's score is the formula evaluated at the components' normalised scores.
 *
 * The formula is parsed with mathjs (`parse` only, from `mathjs/number`) and then checked node by node before it is
 * used; nothing is ever evaluated by mathjs. Allowed: numbers, the component names, `+`, `-`, `*`, `/` (division only
 * by a number), unary signs and parentheses. Everything else — assignments (`cf = 1`), function definitions or calls
 * (`f(x) = x`, `max(cf, content)`), other operators (`^`, `>`, `and`), matrices, strings, unknown names — is rejected
 * with an error naming the offending part. Every component must appear in the formula.
 * - A linear formula (components never multiplied together) is a weighted blend with a constant shift: `linear` gives
 *   its weights, and {@link explainBlend} splits scores as weight × value. Negative weights are allowed (e.g. to push
 *   down what is merely popular).
 * - A non-linear formula is explained by exact Shapley values over its components (at most 12 for explanations).
 * - Unknown users, missing items, seen items and the fallback behave as in {@link blendRecommenders}.
 * The mathjs parser adds about 40 kB gzipped to a bundle that uses this function; the other hybrid functions do not
 * load it in an ESM bundle.
 *
 * Complexity: parsing O(formula length); `scoreUser` as a blend plus O(formula size) per item.
 *
 * @param formula - the rule, at most 1000 characters
 * @param recommenders - the components by name (each a valid identifier: a letter or `_`, then letters, digits, `_`)
 * @param options - normalisation (default `"z-score"`), missing-score policy (default `"min"`), name (default `"hybrid"`)
 * @returns the formula-blended recommender
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a formula outside the grammar, a syntax error or an unused
 *   component, `E_UNKNOWN_ID` for a name that is not a component, `E_NON_FINITE` for a non-finite constant
 * @example
 * ```ts
 * import { createIdIndex } from "nextbest/core";
 * import { recommend, type Recommender } from "nextbest/recommend";
 * import { blendByFormula } from "nextbest/hybrid";
 * const fixed = (name: string, scores: number[]): Recommender => ({
 *   name, users: createIdIndex(["acme"]), items: createIdIndex(["a", "b", "c"]),
 *   scoreUser(_user, out) { out.set(scores); }, seenItems() { return []; },
 * });
 * const recommenders = new Map([["cf", fixed("cf", [3, 2, 1])], ["content", fixed("content", [0, 0, 9])]]);
 * const hybrid = blendByFormula("0.7 * cf + 0.3 * content", recommenders, { normalization: "min-max" });
 * recommend(hybrid, "acme", { k: 3 }).items.map((r) => [r.item, r.score]);
 * // => [["a", 0.7], ["b", 0.35], ["c", 0.3]]
 * hybrid.linear?.weights; // => new Map([["cf", 0.7], ["content", 0.3]])
 * blendByFormula("cf = 1", recommenders);
 * // throws NextbestError E_BAD_INPUT: "blendByFormula: formula may only use numbers, the component names, + - * / and parentheses; got an assignment \"cf = 1\""
 * ```
 * @category hybrid
 */
export function blendByFormula(
  formula: string,
  recommenders: ReadonlyMap<string, Recommender>,
  options: FormulaBlendOptions = {},
): FormulaBlendedRecommender {
  return buildFormulaBlend("blendByFormula", formula, recommenders, options);
}

function buildFormulaBlend(
  fn: string,
  formula: string,
  recommenders: ReadonlyMap<string, Recommender>,
  options: FormulaBlendOptions,
): FormulaBlendedRecommender {
  if (typeof formula !== "string" || formula.trim() === "") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: formula must be a non-empty string, got ${describeValue(formula)}`);
  }
  if (formula.length > MAX_FORMULA_LENGTH) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: formula must be at most ${MAX_FORMULA_LENGTH} characters, got ${formula.length}`);
  }
  if (!(recommenders instanceof Map)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: recommenders must be a Map from component name to Recommender, got ${describeValue(recommenders)}`);
  }
  if (recommenders.size === 0) throw new NextbestError("E_EMPTY", `${fn}: recommenders must hold at least one component, got 0`);
  const { normalization, missing, name } = resolveBlendOptions(fn, options);
  const indexOf = new Map<string, number>();
  for (const key of recommenders.keys()) {
    if (typeof key !== "string" || !IDENTIFIER.test(key)) {
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: component names must be identifiers (a letter or "_", then letters, digits or "_"), got ${describeValue(key)}`,
      );
    }
    indexOf.set(key, indexOf.size);
  }
  let root: FormulaNode;
  try {
    root = parseFormula(formula);
  } catch (error) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: formula ${JSON.stringify(formula)} does not parse: ${(error as Error).message}`);
  }
  const used = new Set<string>();
  const { compiled, affine } = compileNode(fn, root, indexOf, used);
  for (const key of indexOf.keys()) {
    if (!used.has(key)) throw new NextbestError("E_BAD_INPUT", `${fn}: formula does not use the component ${JSON.stringify(key)}`);
  }

  const components = [...recommenders].map(([component, recommender]) => ({ name: component, recommender }));
  const alignment = alignComponents(fn, components);
  const parts = alignment.components;
  const count = parts.length;
  const { raw, normalized, sorted, fill, sources } = scoreBuffers(parts);
  const weights = affine === null ? new Float64Array(count).fill(Number.NaN) : Float64Array.from(affine.coefficients);
  const values = new Float64Array(count);
  const state: CombineState = {
    alignment,
    weights,
    raw,
    parts: normalized,
    fill,
    sources,
    combine(user, userId, out, history) {
      for (let c = 0; c < count; c++) {
        fill[c] = normalizedComponentScores(parts[c]!, user, userId, raw[c]!, normalized[c]!, normalization, missing, sorted, sources, c, history);
      }
      for (let h = 0; h < out.length; h++) {
        let scored = false;
        for (let c = 0; c < count; c++) {
          const i = parts[c]!.itemBack[h]!;
          const v = i >= 0 ? normalized[c]![i]! : Number.NaN;
          if (v === v) {
            values[c] = v;
            scored = true;
          } else values[c] = fill[c]!;
        }
        out[h] = scored ? compiled(values) : Number.NaN;
      }
    },
    attribute(itemValues, contributions, weightsOut) {
      if (affine !== null) {
        for (let c = 0; c < count; c++) contributions[c] = affine.coefficients[c]! * itemValues[c]!;
        return affine.constant;
      }
      weightsOut.fill(Number.NaN);
      if (count > MAX_SHAPLEY_COMPONENTS) {
        throw new NextbestError(
          "E_BAD_INPUT",
          `explainBlend: a non-linear formula blend can be explained for at most ${MAX_SHAPLEY_COMPONENTS} components, got ${count}`,
        );
      }
      return shapley(compiled, itemValues, contributions);
    },
  };
  const spec: FormulaBlendSpec = Object.freeze({
    kind: "formula",
    version: 1,
    name,
    normalization,
    missing,
    formula,
    components: Object.freeze([...indexOf.keys()]),
  });
  const linear: LinearFormula | null =
    affine === null
      ? null
      : Object.freeze({ constant: affine.constant, weights: new Map([...indexOf.keys()].map((key, c) => [key, affine.coefficients[c]!])) });
  return combinedRecommender(fn, name, state, { spec, linear });
}

/**
 * Rebuilds a formula blend from its plain {@link FormulaBlendSpec} (e.g. parsed from JSON) and the components by name;
 * entries of `recommenders` the spec does not name are ignored.
 *
 * Complexity: as {@link blendByFormula}.
 *
 * @param spec - a formula blend spec (`hybrid.spec`, possibly through JSON)
 * @param recommenders - the component recommenders by the spec's names
 * @returns the formula-blended recommender
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a malformed spec, `E_UNKNOWN_ID` for a name with no recommender,
 *   and the errors of {@link blendByFormula}
 * @example
 * ```ts
 * import { createIdIndex } from "nextbest/core";
 * import { recommend, type Recommender } from "nextbest/recommend";
 * import { formulaBlendFromSpec } from "nextbest/hybrid";
 * const cf: Recommender = {
 *   name: "cf", users: createIdIndex(["acme"]), items: createIdIndex(["a", "b"]),
 *   scoreUser(_user, out) { out.set([1, 2]); }, seenItems() { return []; },
 * };
 * const spec = JSON.parse('{"kind":"formula","version":1,"name":"hybrid","normalization":"min-max","missing":"min","formula":"-cf","components":["cf"]}');
 * recommend(formulaBlendFromSpec(spec, new Map([["cf", cf]])), "acme").items.map((r) => r.item); // => ["a", "b"]
 * ```
 * @category hybrid
 */
export function formulaBlendFromSpec(spec: FormulaBlendSpec, recommenders: ReadonlyMap<string, Recommender>): FormulaBlendedRecommender {
  const fn = "formulaBlendFromSpec";
  const s = spec as Partial<FormulaBlendSpec> | null;
  if (
    typeof s !== "object" ||
    s === null ||
    s.kind !== "formula" ||
    s.version !== 1 ||
    typeof s.formula !== "string" ||
    !Array.isArray(s.components) ||
    !s.components.every((c) => typeof c === "string")
  ) {
    throw new NextbestError(
      "E_BAD_MODEL",
      `${fn}: spec must be a formula blend spec ({ kind: "formula", version: 1, name, normalization, missing, formula, components }), got ${describeValue(spec)}`,
    );
  }
  if (!(recommenders instanceof Map)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: recommenders must be a Map from component name to Recommender, got ${describeValue(recommenders)}`);
  }
  const chosen = new Map<string, Recommender>();
  s.components.forEach((name, index) => {
    const recommender = recommenders.get(name);
    if (recommender === undefined) {
      throw new NextbestError(
        "E_UNKNOWN_ID",
        `${fn}: recommenders must hold a recommender named ${JSON.stringify(name)} (spec.components[${index}]), got none`,
      );
    }
    chosen.set(name, recommender);
  });
  return buildFormulaBlend(fn, s.formula, chosen, specOptions(s));
}
