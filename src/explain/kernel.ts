/**
 * KernelSHAP: Shapley values as the solution of a weighted linear regression over coalitions, sampled as the
 * reference `shap` library samples them.
 *
 * @module
 */
import { NextbestError } from "../core/errors.ts";
import { createRandom, type Seed } from "../core/random.ts";
import { assertSeed } from "../internal/validate.ts";
import { checkOptionsObject, coalitionValue, explanationOf, integerOption, prepare, varyingPlayers } from "./internal.ts";
import { solveSymmetric } from "./solve.ts";
import type { BackgroundOptions, Explanation, ModelFunction } from "./types.ts";

/** The most coalition-mask bytes (samples × varying players) explainKernel allocates. */
const MAX_MASK_BYTES = 100_000_000;

/**
 * Options of {@link explainKernel}.
 *
 * @category explain
 */
export interface KernelOptions extends BackgroundOptions {
  /**
   * How many coalitions to evaluate (each costs one model call per background row), capped at 2^M − 2 (every
   * coalition but the two ends) for M varying players. At the cap the result is the exact Shapley values. An integer
   * in [1, 100,000,000], and the coalitions times M at most 100,000,000 (one byte each: 100 MB of masks).
   * @defaultValue 2 · M + 2048 (shap's `nsamples="auto"`)
   */
  samples?: number;
  /** Seed of the coalition sampling. @defaultValue 0 */
  seed?: Seed;
  /**
   * Keep at most this many non-zero values: the players with the largest |value| in the full regression are kept and
   * the regression is solved again over them alone (the others get 0, efficiency still holds exactly). shap selects
   * with LARS (`l1_reg="num_features(k)"`); this selection by magnitude is simpler and deterministic.
   * @defaultValue every player (no selection)
   */
  maxFeatures?: number;
}

/** The sampled design of a KernelSHAP run: coalitions (m-bit masks, row-major) and their kernel weights. */
export interface KernelDesign {
  readonly masks: Uint8Array;
  readonly weights: Float64Array;
  readonly count: number;
}

/**
 * Builds KernelSHAP's coalition design for m players as shap's KernelExplainer does: Shapley kernel weight
 * (m − 1) / (s (m − s)) per coalition size s; whole sizes (with their complements) enumerated from the smallest while
 * the budget covers them; the remaining budget sampled in complementary pairs from the remaining sizes, repeated
 * draws adding weight to the first copy; the sampled weights rescaled to the kernel mass left.
 */
export function kernelDesign(m: number, samples: number, seed: Seed): KernelDesign {
  const budget = m <= 30 ? Math.min(samples, 2 ** m - 2) : samples;
  const masks = new Uint8Array(budget * m);
  const weights = new Float64Array(budget);
  let added = 0;
  const add = (mask: Uint8Array, weight: number): void => {
    masks.set(mask, added * m);
    weights[added++] = weight;
  };
  const subsetSizes = Math.ceil((m - 1) / 2);
  const pairedSizes = Math.floor((m - 1) / 2);
  const weightVector = new Float64Array(subsetSizes);
  let total = 0;
  for (let s = 1; s <= subsetSizes; s++) {
    weightVector[s - 1] = ((m - 1) / (s * (m - s))) * (s <= pairedSizes ? 2 : 1);
    total += weightVector[s - 1]!;
  }
  for (let s = 0; s < subsetSizes; s++) weightVector[s]! /= total;
  const remaining = Float64Array.from(weightVector);
  let fullSizes = 0;
  let left = budget;
  const mask = new Uint8Array(m);
  const combination = new Int32Array(m);
  for (let s = 1; s <= subsetSizes; s++) {
    const paired = s <= pairedSizes;
    const subsets = binomial(m, s) * (paired ? 2 : 1);
    if ((left * remaining[s - 1]!) / subsets < 1 - 1e-8) break;
    fullSizes++;
    left -= subsets;
    if (remaining[s - 1]! < 1) {
      const rest = 1 - remaining[s - 1]!;
      for (let k = 0; k < subsetSizes; k++) remaining[k]! /= rest;
    }
    const weight = weightVector[s - 1]! / binomial(m, s) / (paired ? 2 : 1);
    for (let k = 0; k < s; k++) combination[k] = k;
    for (;;) {
      mask.fill(0);
      for (let k = 0; k < s; k++) mask[combination[k]!] = 1;
      add(mask, weight);
      if (paired) {
        for (let k = 0; k < m; k++) mask[k] = 1 - mask[k]!;
        add(mask, weight);
      }
      // next combination in lexicographic order
      let k = s - 1;
      while (k >= 0 && combination[k] === m - s + k) k--;
      if (k < 0) break;
      combination[k]!++;
      for (let q = k + 1; q < s; q++) combination[q] = combination[q - 1]! + 1;
    }
  }
  const fixed = added;
  let samplesLeft = budget - added;
  if (fullSizes !== subsetSizes && samplesLeft > 0) {
    const sizeWeights = new Float64Array(subsetSizes - fullSizes);
    let sum = 0;
    for (let s = fullSizes + 1; s <= subsetSizes; s++) {
      sizeWeights[s - fullSizes - 1] = weightVector[s - 1]! / (s <= pairedSizes ? 2 : 1);
      sum += sizeWeights[s - fullSizes - 1]!;
    }
    const cumulative = new Float64Array(sizeWeights.length);
    let running = 0;
    for (let k = 0; k < sizeWeights.length; k++) cumulative[k] = running += sizeWeights[k]! / sum;
    const random = createRandom(seed);
    const order = new Int32Array(m);
    for (let k = 0; k < m; k++) order[k] = k;
    const used = new Map<string, number>();
    const draws = 4 * samplesLeft;
    for (let draw = 0; draw < draws && samplesLeft > 0; draw++) {
      const u = random();
      let index = 0;
      while (index < cumulative.length - 1 && u >= cumulative[index]!) index++;
      const size = index + fullSizes + 1;
      // a uniform random subset of `size` players: a partial Fisher–Yates shuffle
      for (let k = 0; k < size; k++) {
        const j = k + Math.floor(random() * (m - k));
        const t = order[k]!;
        order[k] = order[j]!;
        order[j] = t;
      }
      mask.fill(0);
      for (let k = 0; k < size; k++) mask[order[k]!] = 1;
      const key = mask.join("");
      const first = used.get(key);
      const isNew = first === undefined;
      if (isNew) {
        used.set(key, added);
        samplesLeft--;
        add(mask, 1);
      } else {
        weights[first]! += 1;
      }
      if (samplesLeft > 0 && size <= pairedSizes) {
        for (let k = 0; k < m; k++) mask[k] = 1 - mask[k]!;
        if (isNew) {
          samplesLeft--;
          add(mask, 1);
        } else {
          weights[first + 1]! += 1;
        }
      }
    }
    let weightLeft = 0;
    for (let s = fullSizes; s < subsetSizes; s++) weightLeft += weightVector[s]!;
    let sampled = 0;
    for (let k = fixed; k < added; k++) sampled += weights[k]!;
    if (sampled > 0) for (let k = fixed; k < added; k++) weights[k]! *= weightLeft / sampled;
  }
  return { masks: masks.subarray(0, added * m), weights: weights.subarray(0, added), count: added };
}

function binomial(n: number, k: number): number {
  let out = 1;
  for (let i = 1; i <= k; i++) out = (out * (n - k + i)) / i;
  return Math.round(out);
}

/**
 * The constrained weighted least squares of KernelSHAP over the players in `selected` (local indices, ascending):
 * efficiency Σ φ = total is imposed exactly by eliminating the last selected player (as shap does), the others are
 * solved from the normal equations. Players not selected get 0.
 */
export function solveKernel(
  design: KernelDesign,
  m: number,
  adjusted: Float64Array,
  total: number,
  selected: Int32Array,
): Float64Array {
  const phi = new Float64Array(m);
  const n = selected.length;
  if (n === 0) return phi;
  const last = selected[n - 1]!;
  if (n === 1) {
    phi[last] = total;
    return phi;
  }
  const q = n - 1;
  const A = new Float64Array(q * q);
  const b = new Float64Array(q);
  const e = new Float64Array(q);
  const { masks, weights, count } = design;
  for (let k = 0; k < count; k++) {
    const w = weights[k]!;
    const row = k * m;
    const lastBit = masks[row + last]!;
    const y = adjusted[k]! - lastBit * total;
    for (let a = 0; a < q; a++) e[a] = masks[row + selected[a]!]! - lastBit;
    for (let a = 0; a < q; a++) {
      const wa = w * e[a]!;
      if (wa === 0) continue;
      b[a]! += wa * y;
      for (let c = 0; c <= a; c++) A[a * q + c]! += wa * e[c]!;
    }
  }
  for (let a = 0; a < q; a++) for (let c = 0; c < a; c++) A[c * q + a] = A[a * q + c]!;
  const solution = solveSymmetric(A, b, q);
  let sum = 0;
  for (let a = 0; a < q; a++) {
    phi[selected[a]!] = solution[a]!;
    sum += solution[a]!;
  }
  phi[last] = total - sum;
  return phi;
}

/**
 * KernelSHAP (Lundberg and Lee, NeurIPS 2017) as the reference `shap` library's KernelExplainer computes it: the
 * Shapley values are the coefficients of a linear model of v(S) on coalition indicators, fitted by least squares with
 * the Shapley kernel weights (M − 1) / (C(M, |S|) |S| (M − |S|)). Whole coalition sizes (and their complements) are
 * enumerated first while the budget covers them, the rest of the budget is sampled in complementary pairs, and
 * efficiency (base value + Σ φ = link(f(x))) is imposed exactly by eliminating one player. With the full budget
 * (2^M − 2 coalitions) the result equals the exact Shapley values. Seeded: equal seeds give equal values.
 *
 * Complexity: samples · B model calls for B background rows, O(samples · M²) for the regression plus O(M³) for its
 * solve; O(samples · M) memory.
 *
 * @param model - the model as a function of one feature row
 * @param x - the row to explain
 * @param options - background (required), weights, names, groups, link, samples, seed, maxFeatures
 * @returns the {@link Explanation} with method `"kernel"`
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a non-function model or a malformed option; `E_SHAPE` when a
 *   background row's length differs from x's, or samples × varying features above 100,000,000 (checked before the
 *   masks are allocated); `E_EMPTY` for an empty x or background; `E_NON_FINITE` for a non-finite input or model
 *   output
 * @example
 * ```ts
 * import { explainKernel } from "nextbest/explain";
 * const game = (z: Float64Array) => 10 * z[0]! + 20 * z[1]! + 30 * z[0]! * z[1]! * z[2]!;
 * // three players: the default budget covers all 2^3 − 2 coalitions, so the values are exact
 * const why = explainKernel(game, [1, 1, 1], { background: [[0, 0, 0]] });
 * why.values.map((v) => Math.round(v * 1e9) / 1e9); // => [20, 30, 10]
 * why.modelCalls; // => 8
 * ```
 * @category explain
 */
export function explainKernel(model: ModelFunction, x: ArrayLike<number>, options: KernelOptions): Explanation {
  const fn = "explainKernel";
  checkOptionsObject(fn, options);
  const samples = integerOption(fn, "samples", options.samples, -1, 1, 1e8);
  const seed = options.seed ?? 0;
  assertSeed(fn, "options.seed", seed);
  const p = prepare(fn, model, x, options);
  const maxFeatures = integerOption(fn, "maxFeatures", options.maxFeatures, p.playerCount, 1, p.playerCount);
  const varying = varyingPlayers(p);
  const m = varying.length;
  const budget = samples === -1 ? 2 * m + 2048 : samples;
  if (m > 1 && (m <= 30 ? Math.min(budget, 2 ** m - 2) : budget) * m > MAX_MASK_BYTES) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.samples must keep samples × varying features at most ${MAX_MASK_BYTES} (the coalition masks), got ${budget} × ${m}; lower options.samples or explain fewer features`,
    );
  }
  const cv = coalitionValue(fn, model, p);
  const total = cv.full - cv.empty;
  const values = new Float64Array(p.playerCount);
  if (m === 1) values[varying[0]!] = total;
  else if (m > 1) {
    const design = kernelDesign(m, budget, seed);
    const adjusted = new Float64Array(design.count);
    const mask = new Uint8Array(p.playerCount);
    for (let k = 0; k < design.count; k++) {
      for (let i = 0; i < m; i++) mask[varying[i]!] = design.masks[k * m + i]!;
      adjusted[k] = cv.value(mask) - cv.empty;
    }
    const all = Int32Array.from({ length: m }, (_, i) => i);
    let local = solveKernel(design, m, adjusted, total, all);
    if (maxFeatures < m) {
      const kept = Array.from(all)
        .sort((a, b) => Math.abs(local[b]!) - Math.abs(local[a]!) || a - b)
        .slice(0, maxFeatures)
        .sort((a, b) => a - b);
      local = solveKernel(design, m, adjusted, total, Int32Array.from(kept));
    }
    for (let i = 0; i < m; i++) values[varying[i]!] = local[i]!;
  }
  return explanationOf(fn, p, "kernel", values, cv.empty, cv.full, null, cv.calls());
}
