/**
 * Explanations of nextbest's own recommenders: a hybrid's score split over its components, and an item-item, EASE,
 * RP3β or implicit-ALS score split over the purchases behind it ("because they bought X"). Each is exact, by
 * linearity.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, type Id } from "../core/id-index.ts";
import type { ImplicitAlsModel } from "../factorization/implicit-als.ts";
import type { BlendExplanation } from "../hybrid/explain.ts";
import type { EaseModel } from "../neighbors/ease.ts";
import type { ItemItemImplicitModel } from "../neighbors/item-item-implicit.ts";
import type { Rp3BetaModel } from "../neighbors/rp3beta.ts";
import { solveSymmetric } from "./solve.ts";
import { freezeExplanation, type Explanation } from "./types.ts";

/**
 * Turns a hybrid's score parts (from `explainBlend` in `nextbest/hybrid`) into an {@link Explanation}: one player per
 * component, values the components' contributions, base value the blend's constant part, data the components' raw
 * scores (NaN where a component did not score the item). Exact: a blend's score is by construction the sum of its
 * parts (a non-linear formula blend is split by exact Shapley values inside `explainBlend`).
 *
 * Complexity: O(components).
 *
 * @param blend - the output of `explainBlend(hybrid, user, item)`
 * @returns the {@link Explanation} with method `"blend"`
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `blend` is not a blend explanation; `E_NON_FINITE` when no
 *   component scores the item (the score is NaN)
 * @example
 * ```ts
 * import { createIdIndex } from "nextbest/core";
 * import type { Recommender } from "nextbest/recommend";
 * import { blendRecommenders, explainBlend } from "nextbest/hybrid";
 * import { explanationFromBlend } from "nextbest/explain";
 * const fixed = (name: string, scores: number[]): Recommender => ({
 *   name, users: createIdIndex(["acme"]), items: createIdIndex(["a", "b", "c"]),
 *   scoreUser(_user, out) { out.set(scores); }, seenItems() { return []; },
 * });
 * const hybrid = blendRecommenders(
 *   [{ name: "similar-accounts", recommender: fixed("knn", [4, 2, 0]), weight: 0.75 },
 *    { name: "product-fit", recommender: fixed("content", [0, 1, 1]), weight: 0.25 }],
 *   { normalization: "min-max" },
 * );
 * const why = explanationFromBlend(explainBlend(hybrid, "acme", "b"));
 * [why.featureNames, why.values, why.output]; // => [["similar-accounts", "product-fit"], [0.375, 0.25], 0.625]
 * ```
 * @category explain
 */
export function explanationFromBlend(blend: BlendExplanation): Explanation {
  const fn = "explanationFromBlend";
  if (typeof blend !== "object" || blend === null || !Array.isArray(blend.contributions) || typeof blend.score !== "number") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: blend must be the output of explainBlend, got ${describeValue(blend)}`);
  }
  if (!Number.isFinite(blend.score)) {
    throw new NextbestError("E_NON_FINITE", `${fn}: blend.score must be finite (no component scores item ${describeValue(blend.item)}), got ${describeValue(blend.score)}`);
  }
  return freezeExplanation(fn, {
    kind: "explanation",
    version: 1,
    method: "blend",
    link: "identity",
    baseValue: blend.base,
    output: blend.score,
    values: blend.contributions.map((c) => c.contribution),
    data: blend.contributions.map((c) => c.raw),
    featureNames: blend.contributions.map((c) => c.name),
    groups: null,
    standardErrors: null,
    modelCalls: 0,
  });
}

function modelHeader(fn: string, model: unknown, kind: string): void {
  const m = model as { kind?: unknown; version?: unknown; users?: { lookup?: unknown }; items?: { lookup?: unknown } } | null;
  if (typeof m !== "object" || m === null || m.kind !== kind) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model must be an ${kind} model (kind ${JSON.stringify(kind)}), got ${typeof m === "object" && m !== null ? `kind ${describeValue(m.kind)}` : describeValue(model)}`);
  }
  if (m.version !== 1) throw new NextbestError("E_BAD_MODEL", `${fn}: model.version must be 1, got ${describeValue(m.version)}`);
  if (!(m.users?.lookup instanceof Map) || !(m.items?.lookup instanceof Map)) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.users and model.items must be IdIndex objects, got ${describeValue(m.users)}`);
  }
}

function indexOf(fn: string, name: string, index: ReadonlyMap<Id, number>, id: Id, what: string): number {
  checkId(fn, name, id);
  const i = index.get(id);
  if (i === undefined) throw new NextbestError("E_UNKNOWN_ID", `${fn}: ${name} must be ${what}, got ${describeValue(id)}`);
  return i;
}

/**
 * Splits an implicit item-item score over the user's purchases: score(u, i) = Σ_j w(u, j) · s(j, i) is a sum over
 * the items j the user bought, so the part of purchase j is w(u, j) · s(j, i) (0 when i is not among j's K
 * neighbours) — "recommended because they bought j". These are also the exact Shapley values of the game whose
 * players are the purchases (the score is linear in them). One player per purchase, in the model's order; data the
 * interaction values w(u, j); base value 0.
 *
 * Complexity: O(n_u · K) for a user with n_u purchases.
 *
 * @param model - a fitted implicit item-item model (`fitItemItemImplicit` in `nextbest/neighbors`)
 * @param user - a user the model knows
 * @param item - an item the model knows
 * @returns the {@link Explanation} with method `"item-item"`; feature names are the purchased items' ids as strings
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a malformed model; `E_UNKNOWN_ID` for an unknown user or item
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitItemItemImplicit } from "nextbest/neighbors";
 * import { explainItemItemScore } from "nextbest/explain";
 * const purchases = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "acme", item: "erp" },
 *   { user: "globex", item: "crm" }, { user: "globex", item: "erp" }, { user: "globex", item: "bi" },
 *   { user: "initech", item: "crm" }, { user: "initech", item: "erp" },
 * ]);
 * const why = explainItemItemScore(fitItemItemImplicit(purchases), "acme", "bi");
 * why.featureNames; // => ["crm", "erp"]
 * why.values.map((v) => v.toFixed(4)); // => ["0.5774", "0.5774"]
 * ```
 * @category explain
 */
export function explainItemItemScore(model: ItemItemImplicitModel, user: Id, item: Id): Explanation {
  const fn = "explainItemItemScore";
  modelHeader(fn, model, "item-item-implicit");
  return splitOverPurchases(fn, model, user, item, listWeight(model));
}

/** The seen pattern and values of an item-weight model: what a split over purchases reads. */
interface PurchaseRows {
  readonly users: { readonly ids: readonly Id[]; readonly lookup: ReadonlyMap<Id, number> };
  readonly items: { readonly ids: readonly Id[]; readonly lookup: ReadonlyMap<Id, number> };
  readonly seenIndptr: Int32Array;
  readonly seenIndices: Int32Array;
  readonly seenValues: Float64Array;
}

/** W(j, i) read from per-item weight lists (0 when i is not among j's kept targets). */
function listWeight(model: { readonly neighborIndptr: Int32Array; readonly neighborIndices: Int32Array; readonly neighborSimilarities: Float64Array }): (j: number, i: number) => number {
  const { neighborIndptr: np, neighborIndices: ni, neighborSimilarities: ns } = model;
  return (j, i) => {
    for (let q = np[j]!; q < np[j + 1]!; q++) if (ni[q] === i) return ns[q]!;
    return 0;
  };
}

// score(u, i) = Σ_j w(u, j) · W(j, i) over the user's purchases j, summed in the recommenders' order so `output` is
// their score to the last bit: one player per purchase, its part w(u, j) · W(j, i).
function splitOverPurchases(fn: string, model: PurchaseRows, user: Id, item: Id, weight: (j: number, i: number) => number): Explanation {
  const u = indexOf(fn, "user", model.users.lookup, user, "a user the model knows (the popularity fallback has no purchases to attribute)");
  const i = indexOf(fn, "item", model.items.lookup, item, "an item the model knows");
  const { seenIndptr: up, seenIndices: ui, seenValues: uv } = model;
  const values: number[] = [];
  const data: number[] = [];
  const names: string[] = [];
  let output = 0;
  for (let p = up[u]!; p < up[u + 1]!; p++) {
    const j = ui[p]!;
    const w = uv[p]!;
    const weightJI = weight(j, i);
    const part = w === 0 || weightJI === 0 ? 0 : w * weightJI; // +0, never −0, when nothing flows
    output += part;
    values.push(part);
    data.push(w);
    names.push(String(model.items.ids[j]));
  }
  return freezeExplanation(fn, {
    kind: "explanation",
    version: 1,
    method: "item-item",
    link: "identity",
    baseValue: 0,
    output,
    values,
    data,
    featureNames: names,
    groups: null,
    standardErrors: null,
    modelCalls: 0,
  });
}

function expectArray(fn: string, name: string, value: unknown, type: typeof Float32Array | typeof Float64Array | typeof Int32Array, length: number, meaning: string): void {
  if (!(value instanceof type) || value.length !== length) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.${name} must be a ${type.name} of length ${length} (${meaning}), got ${describeValue(value)}`);
  }
}

/**
 * Splits an EASE or RP3β score over the user's purchases (`fitEase` / `fitRp3Beta` in `nextbest/neighbors`): both
 * score item i as score(u, i) = Σ_j x_uj · W(j, i), a sum over the items j the user bought with x_uj the model's
 * input value, so the part of purchase j is x_uj · W(j, i) — "recommended because they bought j". W is EASE's dense
 * B (parts may be negative: products rarely bought together) or RP3β's kept walk weights (0 when i is not among
 * j's K targets). The parts are the exact Shapley values of the game whose players are the purchases (the score is
 * linear in them) and add up to the recommender's score to the last bit. One player per purchase, in the model's
 * order; data the input values x_uj; base value 0.
 *
 * Complexity: O(n_u) for EASE, O(n_u · K) for RP3β, for a user with n_u purchases.
 *
 * @param model - a fitted EASE or RP3β model
 * @param user - a user the model knows
 * @param item - an item the model knows
 * @returns the {@link Explanation} with method `"item-item"`; feature names are the purchased items' ids as strings
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a malformed model or one of another kind; `E_UNKNOWN_ID` for
 *   an unknown user or item
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitEase } from "nextbest/neighbors";
 * import { explainItemWeightsScore } from "nextbest/explain";
 * const purchases = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "acme", item: "erp" },
 *   { user: "globex", item: "crm" }, { user: "globex", item: "erp" }, { user: "globex", item: "bi" },
 *   { user: "initech", item: "crm" }, { user: "initech", item: "erp" },
 * ]);
 * // XᵀX + I = [[4, 3, 1], [3, 4, 1], [1, 1, 2]]: B(crm, bi) = B(erp, bi) = 1 / 7
 * const why = explainItemWeightsScore(fitEase(purchases, { regularization: 1 }), "acme", "bi");
 * why.featureNames; // => ["crm", "erp"]
 * why.values.map((v) => v.toFixed(4)); // => ["0.1429", "0.1429"]
 * ```
 * @category explain
 */
export function explainItemWeightsScore(model: EaseModel | Rp3BetaModel, user: Id, item: Id): Explanation {
  const fn = "explainItemWeightsScore";
  const kind = (model as { kind?: unknown } | null)?.kind;
  if (kind !== "ease" && kind !== "rp3beta") {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model must be an EASE or RP3β model (kind "ease" or "rp3beta"), got ${typeof model === "object" && model !== null ? `kind ${describeValue(kind)}` : describeValue(model)}`);
  }
  modelHeader(fn, model, kind);
  const n = model.items.ids.length;
  expectArray(fn, "seenIndptr", model.seenIndptr, Int32Array, model.users.ids.length + 1, "one per user plus one");
  const nnz = model.seenIndptr[model.users.ids.length]!;
  expectArray(fn, "seenIndices", model.seenIndices, Int32Array, nnz, "one per interaction");
  expectArray(fn, "seenValues", model.seenValues, Float64Array, nnz, "one per interaction");
  if (model.kind === "ease") {
    expectArray(fn, "weights", model.weights, Float32Array, n * n, "items × items");
    const B = model.weights;
    return splitOverPurchases(fn, model, user, item, (j, i) => B[j * n + i]!);
  }
  expectArray(fn, "neighborIndptr", model.neighborIndptr, Int32Array, n + 1, "one per item plus one");
  const stored = model.neighborIndptr[n]!;
  expectArray(fn, "neighborIndices", model.neighborIndices, Int32Array, stored, "one per kept weight");
  expectArray(fn, "neighborSimilarities", model.neighborSimilarities, Float64Array, stored, "one per kept weight");
  return splitOverPurchases(fn, model, user, item, listWeight(model));
}

/**
 * An implicit-ALS score explanation: the {@link Explanation} plus the model's own score for the pair.
 *
 * @category explain
 */
export interface ImplicitAlsExplanation extends Explanation {
  /**
   * x_uᵀ y_i from the model's stored user factors, or `null` for a user the model does not know. It equals `output`
   * when the stored factors are the exact solution for the user's interactions (a converged Cholesky fit); the
   * difference is the fit's remaining optimisation error (conjugate-gradient steps, iterations).
   */
  readonly modelScore: number | null;
}

/**
 * Options of {@link explainImplicitAlsScore}.
 *
 * @category explain
 */
export interface ImplicitAlsExplainOptions {
  /**
   * The user's interactions with their strengths (as passed to `foldInUser`; repeated items summed, unknown items
   * ignored). Needed for a user the model does not know, and for exact parts when training values were not all 1
   * (the model stores which items each user bought, not the values).
   * @defaultValue the user's training items, each with value 1
   */
  interactions?: Iterable<{
    /** The item id. */
    readonly item: Id;
    /** The interaction strength (>= 0). @defaultValue 1 */
    readonly value?: number;
  }>;
}

/**
 * Splits an implicit-ALS score over the user's purchases, as the `implicit` library's `ALS.explain` does (after Hu,
 * Koren and Volinsky 2008, section 5): with the item factors fixed, the user's factors are
 * x_u = W_u Σ_j c_uj y_j with W_u = (YᵀY + λI + Σ_j (c_uj − 1) y_j y_jᵀ)⁻¹ and c_uj = 1 + α r_uj (r_uj the strength
 * through the model's value transform, as `foldInUser` applies it), so the score
 * y_iᵀ x_u = Σ_j c_uj · y_iᵀ W_u y_j is a sum over the purchases j: purchase j's part is c_uj · y_iᵀ W_u y_j.
 * The parts are exact for the fold-in score (`output`, base value 0), holding W_u — the user's own weighting of the
 * latent space — fixed; `modelScore` gives the stored-factor score beside it.
 *
 * Complexity: O(items · f² + n_u · f² + f³) for f factors and n_u purchases (YᵀY is recomputed per call).
 *
 * @param model - a fitted implicit ALS model (`fitImplicitAls` in `nextbest/factorization`)
 * @param user - the user (known to the model unless `options.interactions` is given)
 * @param item - an item the model knows
 * @param options - the user's interactions with values
 * @returns the {@link ImplicitAlsExplanation} with method `"implicit-als"`, one player per purchased item
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a malformed model; `E_UNKNOWN_ID` for an unknown item, or an
 *   unknown user without `options.interactions`; `E_BAD_INPUT` / `E_NON_FINITE` for a malformed interaction
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitImplicitAls, foldInUser } from "nextbest/factorization";
 * import { explainImplicitAlsScore } from "nextbest/explain";
 * const purchases = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "acme", item: "erp" }, { user: "globex", item: "crm" },
 *   { user: "globex", item: "erp" }, { user: "initech", item: "crm" }, { user: "hooli", item: "hr" },
 * ]);
 * const model = fitImplicitAls(purchases, { factors: 2, regularization: 0.01, solver: "cholesky", seed: 1 });
 * const why = explainImplicitAlsScore(model, "initech", "erp");
 * why.featureNames; // => ["crm"]
 * // the parts add up to the fold-in score of the user's purchases, exactly
 * const x = foldInUser(model, [{ item: "crm" }]);
 * const erp = model.items.lookup.get("erp")! * 2;
 * Math.abs(why.output - (x[0]! * model.itemFactors[erp]! + x[1]! * model.itemFactors[erp + 1]!)) < 1e-12; // => true
 * Math.abs(why.output - why.modelScore!) < 0.01; // => true
 * ```
 * @category explain
 */
export function explainImplicitAlsScore(model: ImplicitAlsModel, user: Id, item: Id, options: ImplicitAlsExplainOptions = {}): ImplicitAlsExplanation {
  const fn = "explainImplicitAlsScore";
  modelHeader(fn, model, "implicit-als");
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const f = model.factors;
  const itemCount = model.items.ids.length;
  const userCount = model.users.ids.length;
  if (!(model.itemFactors instanceof Float32Array) || model.itemFactors.length !== itemCount * f) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.itemFactors must be a Float32Array of length ${itemCount * f} (items × factors), got ${describeValue(model.itemFactors)}`);
  }
  if (!(model.userFactors instanceof Float32Array) || model.userFactors.length !== userCount * f) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.userFactors must be a Float32Array of length ${userCount * f} (users × factors), got ${describeValue(model.userFactors)}`);
  }
  const i = indexOf(fn, "item", model.items.lookup, item, "an item the model knows");
  checkId(fn, "user", user);
  const u = model.users.lookup.get(user);
  const strengths = new Map<number, number>();
  if (options.interactions !== undefined) {
    const interactions = options.interactions as unknown;
    if (typeof interactions !== "object" || interactions === null || typeof (interactions as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.interactions must be an iterable of { item, value? }, got ${describeValue(interactions)}`);
    }
    let position = 0;
    for (const entry of options.interactions) {
      if (typeof entry !== "object" || entry === null) throw new NextbestError("E_BAD_INPUT", `${fn}: options.interactions[${position}] must be an object { item, value? }, got ${describeValue(entry)}`);
      checkId(fn, `options.interactions[${position}].item`, entry.item);
      const value = entry.value ?? 1;
      if (typeof value !== "number") throw new NextbestError("E_BAD_INPUT", `${fn}: options.interactions[${position}].value must be a number, got ${describeValue(value)}`);
      if (!Number.isFinite(value)) throw new NextbestError("E_NON_FINITE", `${fn}: options.interactions[${position}].value must be finite, got ${describeValue(value)}`);
      if (value < 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.interactions[${position}].value must be >= 0, got ${value}`);
      const j = model.items.lookup.get(entry.item);
      if (j !== undefined) strengths.set(j, (strengths.get(j) ?? 0) + value);
      position++;
    }
  } else {
    if (u === undefined) {
      throw new NextbestError("E_UNKNOWN_ID", `${fn}: user must be a user the model knows (or pass options.interactions), got ${describeValue(user)}`);
    }
    for (let p = model.seenIndptr[u]!; p < model.seenIndptr[u + 1]!; p++) strengths.set(model.seenIndices[p]!, 1);
  }
  const purchased = [...strengths.keys()].sort((a, b) => a - b);
  // the confidence input of each purchase, through the model's value transform (as foldInUser applies it)
  const transform = model.hyperparameters?.values ?? "raw";
  const input = (j: number): number => {
    const r = strengths.get(j)!;
    return transform === "binary" ? 1 : transform === "log1p" ? Math.log1p(r) : r;
  };
  const Y = model.itemFactors;
  const alpha = model.alpha;
  // W_u⁻¹ = YᵀY + λI + Σ_j α r_j y_j y_jᵀ
  const A = new Float64Array(f * f);
  for (let r = 0; r < itemCount; r++) {
    const o = r * f;
    for (let a = 0; a < f; a++) {
      const ya = Y[o + a]!;
      if (ya === 0) continue;
      for (let c = 0; c <= a; c++) A[a * f + c]! += ya * Y[o + c]!;
    }
  }
  for (const j of purchased) {
    const w = alpha * input(j);
    const o = j * f;
    for (let a = 0; a < f; a++) for (let c = 0; c <= a; c++) A[a * f + c]! += w * Y[o + a]! * Y[o + c]!;
  }
  for (let a = 0; a < f; a++) {
    A[a * f + a]! += model.regularization;
    for (let c = 0; c < a; c++) A[c * f + a] = A[a * f + c]!;
  }
  const yi = Float64Array.from(Y.subarray(i * f, i * f + f));
  const z = solveSymmetric(A, yi, f);
  const values: number[] = [];
  let output = 0;
  for (const j of purchased) {
    let dot = 0;
    for (let a = 0; a < f; a++) dot += z[a]! * Y[j * f + a]!;
    const part = (1 + alpha * input(j)) * dot;
    values.push(part);
    output += part;
  }
  let modelScore: number | null = null;
  if (u !== undefined) {
    modelScore = 0;
    for (let a = 0; a < f; a++) modelScore += model.userFactors[u * f + a]! * Y[i * f + a]!;
  }
  const explanation = freezeExplanation(fn, {
    kind: "explanation" as const,
    version: 1 as const,
    method: "implicit-als" as const,
    link: "identity" as const,
    baseValue: 0,
    output,
    values,
    data: purchased.map((j) => strengths.get(j)!),
    featureNames: purchased.map((j) => String(model.items.ids[j])),
    groups: null,
    standardErrors: null,
    modelCalls: 0,
    modelScore,
  });
  return explanation;
}
