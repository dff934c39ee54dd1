// The internal state behind a blended or fused recommender, kept in a WeakMap keyed by the adapter so that the
// adapter stays a plain Recommender and explainBlend can recompute a user's per-component parts. Not exported.
import type { Id } from "../core/id-index.ts";
import type { ItemHistory, Recommender } from "../recommend/types.ts";
import type { Alignment, ScoreSource } from "./shared.ts";

/** Per-call results kept in scratch buffers (component item order) so that the explainer can read them. */
export interface CombineState {
  readonly alignment: Alignment;
  readonly weights: Float64Array;
  /** Raw component scores of the last call, one buffer per component. */
  readonly raw: Float64Array[];
  /** The per-component value that is weighted (normalised score, or 1 / (k + rank) for RRF), per component item. */
  readonly parts: Float64Array[];
  /** What an item the component did not score gets, per component, from the last call. */
  readonly fill: Float64Array;
  /** Where each component's scores came from in the last call. */
  readonly sources: ScoreSource[];
  /**
   * For a non-additive combination (a formula blend): given the per-component values of one item, writes each
   * component's attribution into `contributions` and each component's weight (NaN when the formula is not linear) into
   * `weights`, and returns the base value (score = base + Σ contributions). Absent: contribution = weight × value, base 0.
   */
  readonly attribute?: (values: Float64Array, contributions: Float64Array, weights: Float64Array) => number;
  /** Writes the combined scores of a hybrid user index (−1 for an unknown user) into `out`. */
  readonly combine: (user: number, userId: Id, out: Float64Array, history?: ItemHistory) => void;
}

const registry = new WeakMap<Recommender, CombineState>();

export function register(recommender: Recommender, state: CombineState): void {
  registry.set(recommender, state);
}

export function stateOf(recommender: Recommender): CombineState | undefined {
  return registry.get(recommender);
}
