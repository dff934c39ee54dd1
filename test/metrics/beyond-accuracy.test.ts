import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  averageRecommendationPopularity,
  catalogCoverage,
  intraListDiversity,
  meanOverUsers,
  novelty,
} from "../../src/metrics/index.ts";
import type { Id } from "../../src/core/index.ts";
import { expectError } from "../helpers.ts";

describe("catalogCoverage", () => {
  it("is the share of catalog items recommended at least once (hand-computed)", () => {
    const lists = new Map<Id, Id[]>([["u1", ["a", "b", "zz"]], ["u2", ["b", "c"]]]);
    // covered a, b, c of a..e ("zz" is not in the catalog) → 3/5; with k = 1: a, b → 2/5
    expect(catalogCoverage(lists, new Set(["a", "b", "c", "d", "e"]))).toBe(0.6);
    expect(catalogCoverage(lists, ["a", "b", "c", "d", "e"], { k: 1 })).toBe(0.4);
    expect(catalogCoverage([], ["a"])).toBe(0);
  });
  it("rejects an empty catalog and repeated ids", () => {
    expectError(() => catalogCoverage([["a"]], []), "E_EMPTY", "catalogCoverage: catalog must not be empty");
    expectError(() => catalogCoverage([["a"], ["b", "b"]], ["a"]), "E_DUPLICATE", 'catalogCoverage: lists[1] must not repeat an id, got "b" at positions 0 and 1');
    expectError(() => catalogCoverage("ab" as never, ["a"]), "E_BAD_INPUT", "catalogCoverage: lists must be a Map");
  });
  it("lies in [0, 1] and does not decrease with k", () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 10 }), { maxLength: 10 }), (lists) => {
        const catalog = Array.from({ length: 30 }, (_, i) => i);
        let previous = 0;
        for (let k = 1; k <= 10; k++) {
          const value = catalogCoverage(lists, catalog, { k });
          expect(value).toBeGreaterThanOrEqual(previous);
          expect(value).toBeLessThanOrEqual(1);
          previous = value;
        }
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe("novelty", () => {
  it("is the mean self-information −log2(pop / users), per list then over lists (hand-computed)", () => {
    // 16 users; a seen by 16 (0 bits), b by 4 (2 bits), c by 1 (4 bits); "new" never seen.
    const popularity = new Map([["a", 16], ["b", 4], ["c", 1]]);
    // list 1: (0 + 2) / 2 = 1; list 2: (4 + log2 16) / 2 = 4 with "max" → mean 2.5
    expect(novelty([["a", "b"], ["c", "new"]], popularity, { userCount: 16 })).toBe(2.5);
    // "skip": list 2 = 4 → mean 2.5 as well; k = 1: list 1 = 0, list 2 = 4 → 2
    expect(novelty([["a", "b"], ["c", "new"]], popularity, { userCount: 16, unseenItems: "skip" })).toBe(2.5);
    expect(novelty([["a", "b"], ["c", "new"]], popularity, { userCount: 16, k: 1 })).toBe(2);
    expect(novelty([[], ["new"]], popularity, { userCount: 16, unseenItems: "skip" })).toBeNaN();
  });
  it("rejects a popularity above the user count or negative, and a bad user count", () => {
    expectError(() => novelty([["a"]], new Map([["a", 5]]), { userCount: 4 }), "E_BAD_INPUT", 'novelty: popularity.get("a") must be at most options.userCount (4), got 5');
    expectError(() => novelty([["a"]], new Map([["a", -1]]), { userCount: 4 }), "E_BAD_INPUT", "must be a finite number >= 0");
    expectError(() => novelty([["a"]], new Map(), { userCount: 0 }), "E_BAD_INPUT", "novelty: options.userCount must be an integer >= 1, got 0");
  });
  it("lies in [0, log2(users)]", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 21, maxLength: 21 }),
        (lists, counts) => {
          const popularity = new Map(counts.map((c, i) => [i, c]));
          const value = novelty(lists, popularity, { userCount: 50 });
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(Math.log2(50) + 1e-12);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe("averageRecommendationPopularity", () => {
  it("is the mean over lists of the mean item popularity (Abdollahpouri et al. 2019, hand-computed)", () => {
    const popularity = new Map([["a", 9], ["b", 3], ["c", 6]]);
    // lists: [a, b] → 6; [c] → 6; [b, zz] → 1.5; [] left out → (6 + 6 + 1.5) / 3 = 4.5
    expect(averageRecommendationPopularity([["a", "b"], ["c"], ["b", "zz"], []], popularity)).toBe(4.5);
    // k = 1: 9, 6, 3 → 6
    expect(averageRecommendationPopularity([["a", "b"], ["c"], ["b", "zz"]], popularity, { k: 1 })).toBe(6);
    expect(averageRecommendationPopularity([[]], popularity)).toBeNaN();
  });
});

describe("intraListDiversity", () => {
  it("is the mean pairwise cosine distance (hand-computed)", () => {
    const vectors = new Map<Id, number[]>([
      ["x", [1, 0]],
      ["y", [0, 1]],
      ["xy", [1, 1]],
      ["minus-x", [-1, 0]],
      ["zero", [0, 0]],
    ]);
    // x-y: 1; x-xy: 1 − 1/√2; y-xy: 1 − 1/√2 → (3 − √2) / 3
    expect(intraListDiversity(["x", "y", "xy"], vectors)).toBeCloseTo((3 - Math.SQRT2) / 3, 15);
    expect(intraListDiversity(["x", "minus-x"], vectors)).toBe(2);
    expect(intraListDiversity(["x", "zero"], vectors)).toBe(1); // a zero vector is at distance 1
    expect(intraListDiversity(["x"], vectors)).toBeNaN();
    expect(intraListDiversity(["x", "y", "xy"], vectors, { k: 2 })).toBe(1);
    expect(meanOverUsers([intraListDiversity(["x", "y"], vectors), intraListDiversity(["x", "minus-x"], vectors)])).toBe(1.5);
  });
  it("rejects an item without a vector, mismatched vectors and non-finite entries", () => {
    const vectors = new Map<Id, number[]>([["a", [1, 0]], ["b", [1]], ["c", [Number.NaN, 1]]]);
    expectError(() => intraListDiversity(["a", "q"], vectors), "E_UNKNOWN_ID", 'intraListDiversity: vectors must have a vector for every listed item, got none for "q"');
    expectError(() => intraListDiversity(["a", "b"], vectors), "E_SHAPE", 'vectors.get("b") must have length 2');
    expectError(() => intraListDiversity(["a", "c"], vectors), "E_NON_FINITE", 'vectors.get("c")[0] must be a finite number, got NaN');
  });
  it("lies in [0, 1] for non-negative features and is 0 for identical directions", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 8 }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (rows, scale) => {
          const vectors = new Map<Id, number[]>(rows.map((row, i) => [i, row]));
          const value = intraListDiversity(rows.map((_, i) => i), vectors);
          expect(value).toBeGreaterThanOrEqual(-1e-12);
          expect(value).toBeLessThanOrEqual(1 + 1e-12);
          const same = new Map<Id, number[]>([["p", [1, 2, 3]], ["q", [scale, 2 * scale, 3 * scale]]]);
          expect(intraListDiversity(["p", "q"], same)).toBeCloseTo(0, 12);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });
});
