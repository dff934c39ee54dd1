/**
 * Shapley values by antithetic permutation sampling, with a standard error per value.
 *
 * @module
 */
import { createRandom, permutation, type Seed } from "../core/random.ts";
import { assertSeed } from "../internal/validate.ts";
import { checkOptionsObject, coalitionValue, explanationOf, integerOption, prepare, varyingPlayers } from "./internal.ts";
import type { BackgroundOptions, Explanation, ModelFunction } from "./types.ts";

/**
 * Options of {@link explainPermutation}.
 *
 * @category explain
 */
export interface PermutationOptions extends BackgroundOptions {
  /**
   * How many random permutations to walk; each is walked forward and then backward (the antithetic pair), so
   * 2 · permutations passes of M − 1 new coalitions each. At least 2 (a standard error needs two pairs).
   * @defaultValue 32
   */
  permutations?: number;
  /** Seed of the permutations. @defaultValue 0 */
  seed?: Seed;
}

/**
 * One pass along `order`: adds the players one by one and credits each with the change of v, writing the marginal
 * contributions into `out` (which sums to full − empty exactly, up to rounding: the sum telescopes).
 */
export function permutationPass(
  order: Int32Array,
  value: (mask: Uint8Array) => number,
  mask: Uint8Array,
  players: Int32Array,
  empty: number,
  full: number,
  out: Float64Array,
): void {
  const m = order.length;
  mask.fill(0);
  let previous = empty;
  for (let k = 0; k < m; k++) {
    const local = order[k]!;
    mask[players[local]!] = 1;
    const current = k === m - 1 ? full : value(mask);
    out[local] = current - previous;
    previous = current;
  }
}

/**
 * Shapley values estimated by sampling permutations (Castro, Gómez and Tejada 2009; the antithetic variant of
 * Mitchell et al., JMLR 2022, as shap's PermutationExplainer walks each permutation forward and backward): each pass
 * adds the players in a random order and credits each with its marginal contribution, so every pass, and their mean,
 * adds up exactly to link(f(x)) − base value. The standard error of each value is the standard deviation of the
 * per-permutation estimates (the mean of a forward and backward pass) over √permutations.
 *
 * Complexity: (2 · permutations · (M − 1) + 1) · B + 1 model calls for M varying players and B background rows.
 *
 * @param model - the model as a function of one feature row
 * @param x - the row to explain
 * @param options - background (required), weights, names, groups, link, permutations, seed
 * @returns the {@link Explanation} with method `"permutation"` and `standardErrors`
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a non-function model or a malformed option; `E_SHAPE` when a
 *   background row's length differs from x's; `E_EMPTY` for an empty x or background; `E_NON_FINITE` for a
 *   non-finite input or model output
 * @example
 * ```ts
 * import { explainPermutation } from "nextbest/explain";
 * // additive model: every permutation gives the same marginal contributions, so the standard errors are 0
 * const why = explainPermutation((z) => 3 * z[0]! - 2 * z[1]!, [1, 1], { background: [[0, 0]], permutations: 4 });
 * [why.values, why.standardErrors]; // => [[3, -2], [0, 0]]
 * const game = (z: Float64Array) => 10 * z[0]! + 20 * z[1]! + 30 * z[0]! * z[1]! * z[2]!;
 * const sampled = explainPermutation(game, [1, 1, 1], { background: [[0, 0, 0]], seed: 1 });
 * sampled.baseValue + sampled.values.reduce((a, b) => a + b, 0); // => 60
 * ```
 * @category explain
 */
export function explainPermutation(model: ModelFunction, x: ArrayLike<number>, options: PermutationOptions): Explanation {
  const fn = "explainPermutation";
  checkOptionsObject(fn, options);
  const permutations = integerOption(fn, "permutations", options.permutations, 32, 2, 1e7);
  const seed = options.seed ?? 0;
  assertSeed(fn, "options.seed", seed);
  const p = prepare(fn, model, x, options);
  const varying = varyingPlayers(p);
  const m = varying.length;
  const cv = coalitionValue(fn, model, p);
  const values = new Float64Array(p.playerCount);
  const errors = new Float64Array(p.playerCount);
  if (m > 0) {
    const random = createRandom(seed);
    const mask = new Uint8Array(p.playerCount);
    const forward = new Float64Array(m);
    const backward = new Float64Array(m);
    const reversed = new Int32Array(m);
    const mean = new Float64Array(m);
    const squares = new Float64Array(m);
    for (let t = 0; t < permutations; t++) {
      const order = permutation(m, random);
      for (let k = 0; k < m; k++) reversed[k] = order[m - 1 - k]!;
      permutationPass(order, cv.value, mask, varying, cv.empty, cv.full, forward);
      permutationPass(reversed, cv.value, mask, varying, cv.empty, cv.full, backward);
      // Welford's running mean and sum of squared deviations of the per-permutation estimates
      for (let i = 0; i < m; i++) {
        const estimate = (forward[i]! + backward[i]!) / 2;
        const delta = estimate - mean[i]!;
        mean[i]! += delta / (t + 1);
        squares[i]! += delta * (estimate - mean[i]!);
      }
    }
    for (let i = 0; i < m; i++) {
      values[varying[i]!] = mean[i]!;
      errors[varying[i]!] = Math.sqrt(squares[i]! / (permutations - 1) / permutations);
    }
  }
  return explanationOf(fn, p, "permutation", values, cv.empty, cv.full, errors, cv.calls());
}
