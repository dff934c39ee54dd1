// KernelSHAP and permutation sampling: exactness at full budget, convergence as the budget grows, efficiency per pass.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { explainExact, explainKernel, explainPermutation, type ModelFunction } from "../../src/explain/index.ts";
import { kernelDesign } from "../../src/explain/kernel.ts";
import { permutationPass } from "../../src/explain/permutation.ts";
import { expectError } from "../helpers.ts";
import { gameArb, gameModel, gameOptions, maxAbsDiff, ones, seededGame, sum } from "./games.ts";

const meanAbsError = (estimate: readonly number[], exact: readonly number[]): number =>
  sum(estimate.map((v, i) => Math.abs(v - exact[i]!))) / exact.length;

describe("kernelDesign follows shap's KernelExplainer sampling", () => {
  it("three players: all six coalitions (sizes 1 and 2) enumerated with weight 1/6 each", () => {
    const design = kernelDesign(3, 2 * 3 + 2048, 0);
    expect(design.count).toBe(6);
    expect(Array.from(design.weights).map((w) => w.toFixed(12))).toEqual(new Array(6).fill((1 / 6).toFixed(12)));
    // size-1 coalition, then its complement
    expect(Array.from(design.masks.subarray(0, 6))).toEqual([1, 0, 0, 0, 1, 1]);
  });

  it("30 players, 2·30 + 2048 samples: size 1 and its complements enumerated, the rest sampled in pairs, weights sum to 1", () => {
    const m = 30;
    const design = kernelDesign(m, 2 * m + 2048, 5);
    expect(design.count).toBe(2108);
    const sizes = Array.from({ length: design.count }, (_, k) => sum(Array.from(design.masks.subarray(k * m, k * m + m))));
    // sizes 1 and 29: 60 coalitions. Size 2 would need 2 · 435 = 870 of the 2048 left, more than its share of the
    // kernel weight buys (shap's rule), so the remaining 2048 are sampled from sizes 2..28.
    expect(sizes.slice(0, 60).every((s) => s === 1 || s === 29)).toBe(true);
    expect(sizes.slice(60).every((s) => s >= 2 && s <= 28)).toBe(true);
    expect(sum(Array.from(design.weights.subarray(0, 60)))).toBeCloseTo((2 * 29) / 29 / sum(Array.from({ length: 15 }, (_, i) => (29 / ((i + 1) * (29 - i))) * (i + 1 <= 14 ? 2 : 1))), 12);
    expect(sum(Array.from(design.weights))).toBeCloseTo(1, 12);
    // sampled in complementary pairs (the middle size 15 is its own complement's size and is drawn alone)
    let pairs = 0;
    for (let k = 60; k < design.count; k++) {
      if (sizes[k] === 15 || k + 1 === design.count) continue; // the budget may end between a pair, as in shap
      for (let i = 0; i < m; i++) expect(design.masks[k * m + i]! + design.masks[(k + 1) * m + i]!).toBe(1);
      pairs++;
      k++;
    }
    expect(pairs).toBeGreaterThan(900);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const a = kernelDesign(20, 300, "s");
    const b = kernelDesign(20, 300, "s");
    const c = kernelDesign(20, 300, "t");
    expect(Array.from(a.masks)).toEqual(Array.from(b.masks));
    expect(Array.from(a.masks)).not.toEqual(Array.from(c.masks));
  });
});

describe("explainKernel", () => {
  it("with the full budget equals exact Shapley values on random games (fast-check)", () => {
    fc.assert(
      fc.property(gameArb(2, 8), (game) => {
        const kernel = explainKernel(gameModel(game), ones(game.m), gameOptions(game.m));
        const exact = explainExact(gameModel(game), ones(game.m), gameOptions(game.m));
        expect(maxAbsDiff(kernel.values, exact.values)).toBeLessThan(1e-8);
        expect(Math.abs(kernel.baseValue + sum(kernel.values) - kernel.output)).toBeLessThan(1e-9);
      }),
      { seed: 29, numRuns: 50 },
    );
  });

  it("sampled: efficiency holds exactly and the error shrinks as the budget grows (12 players)", () => {
    const game = seededGame(12, 3);
    const f = gameModel(game);
    const exact = explainExact(f, ones(12), gameOptions(12)).values;
    const errorAt = (samples: number): number => {
      let total = 0;
      for (let seed = 0; seed < 4; seed++) {
        const why = explainKernel(f, ones(12), { ...gameOptions(12), samples, seed });
        expect(Math.abs(why.baseValue + sum(why.values) - why.output)).toBeLessThan(1e-9);
        total += meanAbsError(why.values, exact);
      }
      return total / 4;
    };
    const small = errorAt(200);
    const medium = errorAt(1500);
    const full = errorAt(4094);
    expect(medium).toBeLessThan(small);
    expect(full).toBeLessThan(1e-9);
  });

  it("is seeded: equal seeds give equal values", () => {
    const f = gameModel(seededGame(14, 9));
    const a = explainKernel(f, ones(14), { ...gameOptions(14), samples: 300, seed: 4 });
    const b = explainKernel(f, ones(14), { ...gameOptions(14), samples: 300, seed: 4 });
    expect(a.values).toEqual(b.values);
    expect(a.modelCalls).toBe(1 + 1 + 300);
  });

  it("maxFeatures keeps that many non-zero values and stays efficient", () => {
    const f: ModelFunction = (z) => 5 * z[0]! - 4 * z[1]! + 0.1 * z[2]! + 0.05 * z[3]! + 3 * z[4]! * z[0]!;
    const why = explainKernel(f, [1, 1, 1, 1, 1], { background: [[0, 0, 0, 0, 0]], maxFeatures: 3 });
    expect(why.values.filter((v) => v !== 0).length).toBe(3);
    expect(why.values[2]).toBe(0);
    expect(why.values[3]).toBe(0);
    expect(Math.abs(why.baseValue + sum(why.values) - why.output)).toBeLessThan(1e-12);
  });

  it("one varying player gets the whole difference; none gives zeros", () => {
    const why = explainKernel((z) => 2 * z[0]! + z[1]!, [3, 1], { background: [[1, 1]] });
    expect(why.values).toEqual([4, 0]);
    const none = explainKernel((z) => z[0]!, [1], { background: [[1]] });
    expect(none.values).toEqual([0]);
  });

  it("rejects bad options", () => {
    expectError(() => explainKernel((z) => z[0]!, [1], { background: [[0]], samples: 0 }), "E_BAD_INPUT", "options.samples must be an integer in [1, 100000000], got 0");
    expectError(() => explainKernel((z) => z[0]!, [1], { background: [[0]], seed: Number.NaN }), "E_BAD_INPUT", "options.seed must be a finite number or a string");
    expectError(() => explainKernel((z) => z[0]!, [1], { background: [[0]], maxFeatures: 2 }), "E_BAD_INPUT", "options.maxFeatures must be an integer in [1, 1], got 2");
  });
});

describe("explainPermutation", () => {
  it("every pass, forward or backward, adds up to f(x) − base (fast-check)", () => {
    fc.assert(
      fc.property(gameArb(1, 7), fc.nat(), (game, seed) => {
        const m = game.m;
        const players = Int32Array.from({ length: m }, (_, i) => i);
        const order = Int32Array.from(players).sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13));
        const out = new Float64Array(m);
        const value = (mask: Uint8Array): number => {
          let s = 0;
          for (let i = 0; i < m; i++) if (mask[i]) s |= 1 << i;
          return game.table[s]!;
        };
        const empty = game.table[0]!;
        const full = game.table[2 ** m - 1]!;
        permutationPass(order, value, new Uint8Array(m), players, empty, full, out);
        expect(Math.abs(empty + sum(Array.from(out)) - full)).toBeLessThan(1e-9);
        const why = explainPermutation(gameModel(game), ones(m), { ...gameOptions(m), permutations: 2, seed });
        expect(Math.abs(why.baseValue + sum(why.values) - why.output)).toBeLessThan(1e-9);
      }),
      { seed: 31, numRuns: 60 },
    );
  });

  it("converges to exact as permutations grow, within a few standard errors", () => {
    const game = seededGame(10, 5);
    const f = gameModel(game);
    const exact = explainExact(f, ones(10), gameOptions(10)).values;
    const few = explainPermutation(f, ones(10), { ...gameOptions(10), permutations: 4, seed: 1 });
    const many = explainPermutation(f, ones(10), { ...gameOptions(10), permutations: 400, seed: 1 });
    expect(meanAbsError(many.values, exact)).toBeLessThan(meanAbsError(few.values, exact));
    many.values.forEach((v, i) => expect(Math.abs(v - exact[i]!)).toBeLessThanOrEqual(5 * many.standardErrors![i]! + 1e-12));
    expect(Math.max(...many.standardErrors!)).toBeLessThan(Math.max(...few.standardErrors!));
    expect(many.modelCalls).toBe(2 * 400 * 9 + 1 + 1);
  });

  it("the three-player game with every order sampled converges to (20, 30, 10)", () => {
    const f: ModelFunction = (z) => 10 * z[0]! + 20 * z[1]! + 30 * z[0]! * z[1]! * z[2]!;
    const why = explainPermutation(f, [1, 1, 1], { background: [[0, 0, 0]], permutations: 3000, seed: 2 });
    why.values.forEach((v, i) => expect(v).toBeCloseTo([20, 30, 10][i]!, 0));
    expect(why.standardErrors!.every((s) => s > 0 && s < 0.5)).toBe(true);
  });

  it("rejects fewer than 2 permutations", () => {
    expectError(() => explainPermutation((z) => z[0]!, [1], { background: [[0]], permutations: 1 }), "E_BAD_INPUT", "options.permutations must be an integer in [2, 10000000], got 1");
  });
});
