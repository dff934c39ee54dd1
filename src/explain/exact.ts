/**
 * Exact Shapley values by enumerating every coalition of players.
 *
 * @module
 */
import { NextbestError } from "../core/errors.ts";
import { checkOptionsObject, coalitionValue, explanationOf, integerOption, prepare, varyingPlayers } from "./internal.ts";
import type { BackgroundOptions, Explanation, ModelFunction } from "./types.ts";

/**
 * Options of {@link explainExact}.
 *
 * @category explain
 */
export interface ExactOptions extends BackgroundOptions {
  /**
   * The most players (features or groups that vary between x and the background) to enumerate: 2^players coalitions,
   * each costing one model call per background row. Above it the call is refused; use {@link explainKernel} or
   * {@link explainPermutation}, or group features. At most 24.
   * @defaultValue 16
   */
  maxPlayers?: number;
}

/**
 * Exact Shapley values of one prediction (Shapley 1953; as a feature attribution, Lundberg and Lee, NeurIPS 2017):
 * φ_i = Σ_{S ⊆ N∖{i}} |S|! (M − |S| − 1)! / M! · (v(S ∪ {i}) − v(S)), with the interventional value function
 * v(S) = link(Σ_b w_b f(x on S, background row b elsewhere)). Every coalition is a bitmask evaluated once, so
 * base value v(∅) + Σ φ = v(N) = link(f(x)) holds to rounding. Players that do not vary between x and every background
 * row are dummies: their value is 0 and they are not enumerated.
 *
 * Complexity: 2^M · B model calls and O(M · 2^M) arithmetic for M varying players and B background rows;
 * O(2^M) memory.
 *
 * @param model - the model as a function of one feature row
 * @param x - the row to explain
 * @param options - background (required), weights, names, groups, link, the player limit
 * @returns the {@link Explanation} with method `"exact"`
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a non-function model, a malformed option or more varying
 *   players than `maxPlayers`; `E_SHAPE` when a background row's length differs from x's; `E_EMPTY` for an empty x
 *   or background; `E_NON_FINITE` for a non-finite input or model output
 * @example
 * ```ts
 * import { explainExact } from "nextbest/explain";
 * // A three-player game: f = 10·a + 20·b + 30·a·b·c, explained at x = (1, 1, 1) against the background (0, 0, 0).
 * const game = (z: Float64Array) => 10 * z[0]! + 20 * z[1]! + 30 * z[0]! * z[1]! * z[2]!;
 * const why = explainExact(game, [1, 1, 1], { background: [[0, 0, 0]], featureNames: ["a", "b", "c"] });
 * why.values; // => [20, 30, 10]
 * [why.baseValue, why.output, why.modelCalls]; // => [0, 60, 8]
 * explainExact(game, [1, 1, 1], { background: [[0, 0, 0]], maxPlayers: 2 });
 * // throws NextbestError E_BAD_INPUT: "explainExact: the players that vary must be at most options.maxPlayers (2), got 3 (use explainKernel or explainPermutation, or group features)"
 * ```
 * @category explain
 */
export function explainExact(model: ModelFunction, x: ArrayLike<number>, options: ExactOptions): Explanation {
  const fn = "explainExact";
  checkOptionsObject(fn, options);
  const maxPlayers = integerOption(fn, "maxPlayers", options.maxPlayers, 16, 1, 24);
  const p = prepare(fn, model, x, options);
  const varying = varyingPlayers(p);
  const m = varying.length;
  if (m > maxPlayers) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: the players that vary must be at most options.maxPlayers (${maxPlayers}), got ${m} (use explainKernel or explainPermutation, or group features)`,
    );
  }
  const cv = coalitionValue(fn, model, p);
  const values = new Float64Array(p.playerCount);
  if (m > 0) {
    const local = exactShapleyOfTable(coalitionTable(cv.value, varying, p.playerCount, cv.empty, cv.full), m);
    for (let i = 0; i < m; i++) values[varying[i]!] = local[i]!;
  }
  return explanationOf(fn, p, "exact", values, cv.empty, cv.full, null, cv.calls());
}

/** v over every bitmask of the m local players (bit i = players[i]); the two ends are given. */
export function coalitionTable(
  value: (mask: Uint8Array) => number,
  players: Int32Array,
  playerCount: number,
  empty: number,
  full: number,
): Float64Array {
  const m = players.length;
  const size = 2 ** m;
  const table = new Float64Array(size);
  const mask = new Uint8Array(playerCount);
  table[0] = empty;
  table[size - 1] = full;
  for (let s = 1; s < size - 1; s++) {
    for (let i = 0; i < m; i++) mask[players[i]!] = (s >>> i) & 1;
    table[s] = value(mask);
  }
  return table;
}

/**
 * Exact Shapley values from a table of v over all 2^m bitmasks: O(m · 2^m). The marginal contributions are summed per
 * coalition size first and divided by m · C(m − 1, s) once per size, which keeps integer games exact.
 */
export function exactShapleyOfTable(table: Float64Array, m: number): Float64Array {
  const size = 2 ** m;
  const popcount = new Uint8Array(size);
  for (let s = 1; s < size; s++) popcount[s] = popcount[s >>> 1]! + (s & 1);
  // sums[i · m + s]: Σ over coalitions S of size s without i of v(S ∪ {i}) − v(S)
  const sums = new Float64Array(m * m);
  for (let s = 0; s < size; s++) {
    const c = popcount[s]!;
    if (c === m) continue;
    const v = table[s]!;
    for (let i = 0; i < m; i++) {
      const bit = 1 << i;
      if ((s & bit) === 0) sums[i * m + c]! += table[s | bit]! - v;
    }
  }
  // weight of a coalition of size s not containing i: s! (m − s − 1)! / m! = 1 / (m · C(m − 1, s))
  const divisor = new Float64Array(m);
  let binomial = 1;
  for (let s = 0; s < m; s++) {
    divisor[s] = m * binomial;
    binomial = Math.round((binomial * (m - 1 - s)) / (s + 1));
  }
  const phi = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let value = 0;
    for (let s = 0; s < m; s++) value += sums[i * m + s]! / divisor[s]!;
    phi[i] = value;
  }
  return phi;
}
