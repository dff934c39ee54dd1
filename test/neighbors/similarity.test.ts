import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Interactions } from "../../src/data/index.ts";
import { fitBiases } from "../../src/baselines/index.ts";
import { computeNeighbors, type SimilarityMeasure } from "../../src/neighbors/index.ts";
import { expectError } from "../helpers.ts";
import { ratings, similarityOf, tiny } from "./fixtures.ts";

const all = { storedNeighbors: "all", positiveOnly: false } as const;
const [A, B, C] = [0, 1, 2];

describe("item similarities on the 3 × 3 example, by hand", () => {
  it("cosine sums over co-rated users only (Surprise's cosine)", () => {
    const lists = computeNeighbors(tiny, { similarity: "cosine", ...all });
    // A·B over u1..u3 = 15 + 4 + 5 = 24; |A|² = 25 + 16 + 1 = 42; |B|² = 9 + 1 + 25 = 35
    expect(similarityOf(lists, A, B)).toBeCloseTo(24 / Math.sqrt(42 * 35), 12);
    // A·C over u1, u3 = 20 + 2 = 22; |A|² over u1, u3 = 26; |C|² = 16 + 4 = 20
    expect(similarityOf(lists, A, C)).toBeCloseTo(22 / Math.sqrt(26 * 20), 12);
    // B·C over u1, u3 = 12 + 10 = 22; |B|² = 9 + 25 = 34; |C|² = 20
    expect(similarityOf(lists, B, C)).toBeCloseTo(22 / Math.sqrt(34 * 20), 12);
  });

  it("Pearson centers by the means over the co-rated pairs", () => {
    const lists = computeNeighbors(tiny, { similarity: "pearson", ...all });
    // A = (5, 4, 1), mean 10/3 -> (5/3, 2/3, -7/3); B = (3, 1, 5), mean 3 -> (0, -2, 2)
    // cov = 0 - 4/3 - 14/3 = -6; Σ dA² = 78/9; Σ dB² = 8
    expect(similarityOf(lists, A, B)).toBeCloseTo(-6 / Math.sqrt((78 / 9) * 8), 12);
    // over u1, u3: A = (5, 1) and C = (4, 2) move together: +1; B = (3, 5) and C = (4, 2) opposite: -1
    expect(similarityOf(lists, A, C)).toBeCloseTo(1, 12);
    expect(similarityOf(lists, B, C)).toBeCloseTo(-1, 12);
  });

  it("Jaccard counts raters: |both| / |either|", () => {
    const lists = computeNeighbors(tiny, { similarity: "jaccard", ...all });
    expect(similarityOf(lists, A, B)).toBe(1); // {u1, u2, u3} both
    expect(similarityOf(lists, A, C)).toBeCloseTo(2 / 3, 12); // {u1, u3} of {u1, u2, u3}
    expect(similarityOf(lists, B, C)).toBeCloseTo(2 / 3, 12);
  });

  it("adjusted cosine centers each rating by the user's mean", () => {
    const lists = computeNeighbors(tiny, { similarity: "adjusted-cosine", ...all });
    // user means: u1 4, u2 2.5, u3 8/3. A -> (1, 1.5, -5/3); B -> (-1, -1.5, 7/3); C -> (0, ., -2/3)
    const ab = (-1 - 2.25 - 35 / 9) / Math.sqrt((1 + 2.25 + 25 / 9) * (1 + 2.25 + 49 / 9));
    expect(similarityOf(lists, A, B)).toBeCloseTo(ab, 12);
    // over u1, u3: A·C = 0 + 10/9; |A|² = 1 + 25/9 = 34/9; |C|² = 4/9 -> 10 / sqrt(136)
    expect(similarityOf(lists, A, C)).toBeCloseTo(10 / Math.sqrt(136), 12);
  });

  it("pearson-baseline correlates baseline residuals and shrinks by (n - 1) / (n - 1 + λ)", () => {
    // Zero ALS epochs: every bias is 0, the baseline is μ = 25/8 = 3.125 for every pair.
    const lists = computeNeighbors(tiny, { similarity: "pearson-baseline", shrinkage: 1, baseline: { epochs: 0 }, ...all });
    const dA = [5 - 3.125, 4 - 3.125, 1 - 3.125];
    const dB = [3 - 3.125, 1 - 3.125, 5 - 3.125];
    const product = dA[0]! * dB[0]! + dA[1]! * dB[1]! + dA[2]! * dB[2]!;
    const norm = Math.sqrt((dA[0]! ** 2 + dA[1]! ** 2 + dA[2]! ** 2) * (dB[0]! ** 2 + dB[1]! ** 2 + dB[2]! ** 2));
    expect(similarityOf(lists, A, B)).toBeCloseTo((product / norm) * (2 / 3), 12); // n = 3, λ = 1: 2 / 3
  });

  it("pearson-baseline uses the biases fitBiases fits with the same options", () => {
    const biases = fitBiases(tiny, { itemRegularization: 1, userRegularization: 2 });
    const lists = computeNeighbors(tiny, { similarity: "pearson-baseline", baseline: { itemRegularization: 1, userRegularization: 2 }, ...all });
    const residual = (r: number, u: number, i: number): number => r - (biases.globalMean + biases.userBiases[u]! + biases.itemBiases[i]!);
    // A and C over u1 (0) and u3 (2); shrinkage 100 by default: (2 - 1) / (2 - 1 + 100)
    const a = [residual(5, 0, A), residual(1, 2, A)];
    const c = [residual(4, 0, C), residual(2, 2, C)];
    const expected = ((a[0]! * c[0]! + a[1]! * c[1]!) / Math.sqrt((a[0]! ** 2 + a[1]! ** 2) * (c[0]! ** 2 + c[1]! ** 2))) * (1 / 101);
    expect(similarityOf(lists, A, C)).toBeCloseTo(expected, 12);
  });

  it("user-based cosine compares users over their common items", () => {
    const lists = computeNeighbors(tiny, { basis: "user", similarity: "cosine", ...all });
    // u1 = (5, 3, 4), u2 = (4, 1, .): over A, B: (20 + 3) / sqrt(34 · 17)
    expect(similarityOf(lists, 0, 1)).toBeCloseTo(23 / Math.sqrt(34 * 17), 12);
    expect(lists.entities.ids).toEqual(["u1", "u2", "u3"]);
  });

  it("minSupport drops pairs with too few co-raters; shrinkage applies to any measure", () => {
    const lists = computeNeighbors(tiny, { similarity: "cosine", minSupport: 3, ...all });
    expect(similarityOf(lists, A, C)).toBeUndefined(); // 2 co-raters
    expect(similarityOf(lists, A, B)).toBeCloseTo(24 / Math.sqrt(42 * 35), 12);
    const shrunk = computeNeighbors(tiny, { similarity: "cosine", shrinkage: 2, ...all });
    expect(similarityOf(shrunk, A, C)).toBeCloseTo((22 / Math.sqrt(26 * 20)) * (1 / 3), 12); // n = 2: 1 / (1 + 2)
  });

  it("positiveOnly (the default) keeps only positive similarities, sorted", () => {
    const lists = computeNeighbors(tiny, { similarity: "pearson", storedNeighbors: "all" });
    expect(similarityOf(lists, A, B)).toBeUndefined();
    expect(similarityOf(lists, A, C)).toBeCloseTo(1, 12);
    expect(Array.from(lists.indptr)).toEqual([0, 1, 1, 2]);
  });

  it("rejects bad options with named errors", () => {
    expectError(() => computeNeighbors(tiny, { similarity: "msd" as SimilarityMeasure }), "E_BAD_INPUT", "computeNeighbors: options.similarity must be one of");
    expectError(() => computeNeighbors(tiny, { storedNeighbors: 0 }), "E_BAD_INPUT", "options.storedNeighbors");
    expectError(() => computeNeighbors(tiny, { minSupport: 0 }), "E_BAD_INPUT", "options.minSupport");
    expectError(() => computeNeighbors(tiny, { shrinkage: -1 }), "E_BAD_INPUT", "options.shrinkage");
    expectError(() => computeNeighbors(tiny, { baseline: { epochs: 1.5 } }), "E_BAD_INPUT", "options.baseline.epochs");
    expectError(() => computeNeighbors({} as Interactions), "E_BAD_INPUT", "computeNeighbors: interactions must be an Interactions dataset");
  });
});

const measures: SimilarityMeasure[] = ["cosine", "pearson", "pearson-baseline", "adjusted-cosine", "jaccard"];

describe("similarity properties", () => {
  it("similarities are symmetric, within [-1, 1] (Jaccard [0, 1]), and never relate an entity to itself", () => {
    fc.assert(
      fc.property(ratings, fc.constantFrom(...measures), fc.constantFrom("item" as const, "user" as const), (d, similarity, basis) => {
        const lists = computeNeighbors(d, { similarity, basis, ...all });
        const n = lists.entities.ids.length;
        for (let a = 0; a < n; a++) {
          for (let p = lists.indptr[a]!; p < lists.indptr[a + 1]!; p++) {
            const b = lists.indices[p]!;
            const s = lists.similarities[p]!;
            expect(b).not.toBe(a);
            expect(s).toBeGreaterThanOrEqual(similarity === "jaccard" ? 0 : -1);
            expect(s).toBeLessThanOrEqual(1);
            expect(similarityOf(lists, b, a)).toBe(s);
          }
        }
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it("neighbour lists are sorted by similarity (ties by index) and hold at most storedNeighbors", () => {
    fc.assert(
      fc.property(ratings, fc.constantFrom(...measures), fc.integer({ min: 1, max: 5 }), (d, similarity, stored) => {
        const lists = computeNeighbors(d, { similarity, storedNeighbors: stored, positiveOnly: false });
        const full = computeNeighbors(d, { similarity, ...all });
        for (let a = 0; a < lists.entities.ids.length; a++) {
          const start = lists.indptr[a]!;
          const end = lists.indptr[a + 1]!;
          expect(end - start).toBe(Math.min(stored, full.indptr[a + 1]! - full.indptr[a]!));
          for (let p = start + 1; p < end; p++) {
            const before = lists.similarities[p - 1]!;
            const now = lists.similarities[p]!;
            expect(now <= before).toBe(true);
            if (now === before) expect(lists.indices[p]!).toBeGreaterThan(lists.indices[p - 1]!);
          }
          // the kept ones are the best of the full list: its first entries
          expect(Array.from(lists.indices.subarray(start, end))).toEqual(Array.from(full.indices.subarray(full.indptr[a]!, full.indptr[a]! + (end - start))));
        }
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it("matches a dense brute-force computation over co-rated pairs", () => {
    fc.assert(
      fc.property(ratings, fc.constantFrom("cosine" as const, "pearson" as const, "jaccard" as const), (d, similarity) => {
        const lists = computeNeighbors(d, { similarity, ...all });
        const users = d.users.ids.length;
        const items = d.items.ids.length;
        const dense: number[][] = Array.from({ length: items }, () => new Array<number>(users).fill(Number.NaN));
        for (let u = 0; u < users; u++) {
          for (let p = d.byUser.indptr[u]!; p < d.byUser.indptr[u + 1]!; p++) dense[d.byUser.indices[p]!]![u] = d.byUser.values[p]!;
        }
        for (let a = 0; a < items; a++) {
          for (let b = 0; b < items; b++) {
            if (a === b) continue;
            const x: number[] = [];
            const y: number[] = [];
            let either = 0;
            for (let u = 0; u < users; u++) {
              const ra = dense[a]![u]!;
              const rb = dense[b]![u]!;
              if (!Number.isNaN(ra) || !Number.isNaN(rb)) either++;
              if (!Number.isNaN(ra) && !Number.isNaN(rb)) {
                x.push(ra);
                y.push(rb);
              }
            }
            const got = similarityOf(lists, a, b);
            if (x.length === 0) {
              expect(got).toBeUndefined();
              continue;
            }
            let expected: number;
            if (similarity === "jaccard") expected = x.length / either;
            else if (similarity === "cosine") {
              expected = x.reduce((s, v, t) => s + v * y[t]!, 0) / Math.sqrt(x.reduce((s, v) => s + v * v, 0) * y.reduce((s, v) => s + v * v, 0));
            } else {
              const mx = x.reduce((s, v) => s + v, 0) / x.length;
              const my = y.reduce((s, v) => s + v, 0) / y.length;
              const num = x.reduce((s, v, t) => s + (v - mx) * (y[t]! - my), 0);
              const den = Math.sqrt(x.reduce((s, v) => s + (v - mx) ** 2, 0) * y.reduce((s, v) => s + (v - my) ** 2, 0));
              expected = den > 1e-9 ? num / den : 0;
            }
            expect(got).toBeCloseTo(expected, 9);
          }
        }
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
