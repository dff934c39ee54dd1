/**
 * The per-component parts of a hybrid's score, for explanations ("how much came from similar accounts' purchases,
 * how much from product fit").
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, type Id } from "../core/id-index.ts";
import type { RecommendationFallback, Recommender } from "../recommend/types.ts";
import { stateOf } from "./state.ts";

/**
 * One component's part of a hybrid score.
 *
 * @category hybrid
 */
export interface BlendContribution {
  /** The component's name. */
  readonly name: string;
  /** The component's weight; for a non-linear formula blend ({@link blendByFormula}), `null`. */
  readonly weight: number | null;
  /**
   * Where the component's scores for this user came from: `"model"` (it knows the user), `"fallback"` (its own
   * cold-start scores), `"none"` (it could not score the user: contributes 0).
   */
  readonly source: "model" | "fallback" | "none";
  /** Whether the component scored this item (false: the item is not in its catalog or its score is NaN). */
  readonly scored: boolean;
  /** The component's raw score for the item (NaN when not scored). */
  readonly raw: number;
  /**
   * The weighted value: the normalised score for a blend (the missing-score value when not scored), 1 / (k + rank)
   * for reciprocal rank fusion (0 when not ranked).
   */
  readonly value: number;
  /**
   * This component's part of the hybrid score: weight × value for weighted blends, fusions and linear formulas; for a
   * non-linear formula, the component's exact Shapley value of the formula at this item's values, with every absent
   * component at 0 (so `base + Σ contribution = score` always).
   */
  readonly contribution: number;
}

/**
 * A hybrid score split into its components' parts.
 *
 * @category hybrid
 */
export interface BlendExplanation {
  /** The user id as passed. */
  readonly user: Id;
  /** The item id as passed. */
  readonly item: Id;
  /** The hybrid's score for the pair (`base` + the sum of the contributions; NaN when no component scores the item). */
  readonly score: number;
  /**
   * The part of the score no component accounts for: 0 for weighted blends and fusions, the formula's value with every
   * component at 0 for a formula blend (its constant term when linear).
   */
  readonly base: number;
  /** `null` when the hybrid knows the user; otherwise the hybrid fallback was used. */
  readonly fallback: RecommendationFallback | null;
  /** One entry per component, in the hybrid's component order. */
  readonly contributions: readonly BlendContribution[];
}

/**
 * How much each component contributed to a hybrid's score for one (user, item) pair: each component's normalised
 * score (or reciprocal rank) and its weighted part, whose sum is the hybrid's score.
 *
 * The additive decomposition of a linear score fusion: the parts are exact, not approximations, because the hybrid's
 * score is by construction the sum of weight × value over components. Works for recommenders from
 * {@link blendRecommenders}, {@link blendFromSpec}, {@link reciprocalRankFusion} and {@link blendByFormula} (a
 * non-linear formula is split by exact Shapley values over its components, see {@link BlendContribution}).
 *
 * Complexity: one `scoreUser` of the hybrid, O(Σ_c scoreUser_c + Σ items).
 *
 * @param hybrid - a recommender made by this module's blend or fusion factories
 * @param user - a user id (an unknown user is explained through the hybrid's fallback when it has one)
 * @param item - an item id in the hybrid's catalog
 * @returns the score and its parts
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `hybrid` is not a blend or fusion, `E_UNKNOWN_ID` for an item
 *   not in the catalog or an unknown user when the hybrid has no fallback
 * @example
 * ```ts
 * import { createIdIndex } from "nextbest/core";
 * import type { Recommender } from "nextbest/recommend";
 * import { blendRecommenders, explainBlend } from "nextbest/hybrid";
 * const fixed = (name: string, scores: number[]): Recommender => ({
 *   name, users: createIdIndex(["acme"]), items: createIdIndex(["a", "b", "c"]),
 *   scoreUser(_user, out) { out.set(scores); }, seenItems() { return []; },
 * });
 * const hybrid = blendRecommenders(
 *   [{ name: "similar-accounts", recommender: fixed("knn", [4, 2, 0]), weight: 0.75 },
 *    { name: "product-fit", recommender: fixed("content", [0, 1, 1]), weight: 0.25 }],
 *   { normalization: "min-max" },
 * );
 * const why = explainBlend(hybrid, "acme", "b");
 * why.contributions.map((c) => [c.name, c.value, c.contribution]);
 * // => [["similar-accounts", 0.5, 0.375], ["product-fit", 1, 0.25]]
 * why.score; // => 0.625
 * ```
 * @category hybrid
 */
export function explainBlend(hybrid: Recommender, user: Id, item: Id): BlendExplanation {
  const fn = "explainBlend";
  const state = typeof hybrid === "object" && hybrid !== null ? stateOf(hybrid) : undefined;
  if (state === undefined) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: hybrid must be a recommender from blendRecommenders, blendFromSpec, blendByFormula or reciprocalRankFusion, got ${describeValue(hybrid)}`,
    );
  }
  checkId(fn, "user", user);
  checkId(fn, "item", item);
  const { alignment } = state;
  const h = alignment.items.lookup.get(item);
  if (h === undefined) throw new NextbestError("E_UNKNOWN_ID", `${fn}: item must be in the hybrid's catalog, got ${describeValue(item)}`);
  const u = alignment.users.lookup.get(user) ?? -1;
  let fallback: RecommendationFallback | null = null;
  if (u < 0) {
    if (hybrid.fallback === undefined) {
      throw new NextbestError("E_UNKNOWN_ID", `${fn}: user must be known to the hybrid (it has no fallback), got ${describeValue(user)}`);
    }
    fallback = { reason: "unknown-user", source: hybrid.fallback.sourceFor?.(user) ?? hybrid.fallback.source };
  }
  const out = new Float64Array(alignment.items.ids.length);
  state.combine(u, user, out);
  const count = alignment.components.length;
  const values = new Float64Array(count);
  const weights = Float64Array.from(state.weights);
  const parts = new Float64Array(count);
  const scored = alignment.components.map((component, c) => {
    const i = component.itemBack[h]!;
    const part = i >= 0 ? state.parts[c]![i]! : Number.NaN;
    values[c] = part === part ? part : state.fill[c]!;
    return part === part;
  });
  const score = out[h]!;
  let base = 0;
  if (score !== score) parts.fill(Number.NaN);
  else if (state.attribute !== undefined) base = state.attribute(values, parts, weights);
  else for (let c = 0; c < count; c++) parts[c] = weights[c]! * values[c]!;
  const contributions = alignment.components.map((component, c): BlendContribution => {
    const i = component.itemBack[h]!;
    const raw = i >= 0 ? state.raw[c]![i]! : Number.NaN;
    const weight = weights[c]!;
    return Object.freeze({
      name: component.name,
      weight: weight === weight ? weight : null,
      source: state.sources[c]!,
      scored: scored[c]!,
      raw,
      value: values[c]!,
      contribution: parts[c]!,
    });
  });
  return Object.freeze({ user, item, score, base, fallback, contributions: Object.freeze(contributions) });
}
