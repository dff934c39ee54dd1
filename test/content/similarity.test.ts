import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { lookAlikes, similarRows } from "../../src/content/index.ts";
import { cosineSimilarity, denseFromRows, denseMatrix } from "../../src/linalg/index.ts";
import type { DenseMatrix } from "../../src/linalg/index.ts";
import { createRandom } from "../../src/core/index.ts";
import { expectError } from "../helpers.ts";

function rowsOf(m: DenseMatrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) out.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}

/** Brute force: every row's cosines with the other rows, sorted best first (ties: lower index). */
function bruteForce(m: DenseMatrix, k: number, excludeSelf: boolean): { index: number; similarity: number }[][] {
  const rows = rowsOf(m);
  return rows.map((a, r) =>
    rows
      .map((b, j) => ({ index: j, similarity: cosineSimilarity(a, b) }))
      .filter((e) => !excludeSelf || e.index !== r)
      .sort((x, y) => y.similarity - x.similarity || x.index - y.index)
      .slice(0, k),
  );
}

const matrixArbitrary = fc
  .record({ rows: fc.integer({ min: 1, max: 25 }), cols: fc.integer({ min: 1, max: 6 }) })
  .chain(({ rows, cols }) =>
    fc.array(fc.integer({ min: -3, max: 3 }), { minLength: rows * cols, maxLength: rows * cols }).map((values) => denseMatrix(rows, cols, values)),
  );

describe("similarRows", () => {
  it("hand-computed neighbours", () => {
    // cos([1,0],[0.9,0.1]) = 0.9 / sqrt(0.82) = 0.99388; cos([0,1],[0.9,0.1]) = 0.1 / sqrt(0.82) = 0.11043; cos([1,0],[0,1]) = 0.
    const similar = similarRows(denseFromRows([[1, 0], [0.9, 0.1], [0, 1]]), { k: 2 });
    expect(Array.from(similar.indices)).toEqual([1, 2, 0, 2, 1, 0]);
    expect(similar.similarities[0]).toBeCloseTo(0.9 / Math.sqrt(0.82), 12);
    expect(similar.similarities[1]).toBeCloseTo(0, 12);
    expect(similar.similarities[4]).toBeCloseTo(0.1 / Math.sqrt(0.82), 12);
    expect(Array.from(similar.counts)).toEqual([2, 2, 2]);
  });

  it("pads rows with fewer neighbours than k (at most one slot per row); zero rows have similarity 0", () => {
    const similar = similarRows(denseFromRows([[0, 0], [1, 1]]), { k: 3 });
    expect(similar.k).toBe(2);
    expect(Array.from(similar.counts)).toEqual([1, 1]);
    expect(Array.from(similar.indices)).toEqual([1, -1, 0, -1]);
    expect(similar.similarities[0]).toBe(0);
    expect(Number.isNaN(similar.similarities[1])).toBe(true);
    const single = similarRows(denseFromRows([[1, 2]]), { k: 1 });
    expect(Array.from(single.counts)).toEqual([0]);
  });

  it("blocked top-k equals brute force, for any block size", () => {
    fc.assert(
      fc.property(matrixArbitrary, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 30 }), fc.boolean(), (m, k, blockRows, excludeSelf) => {
        const similar = similarRows(m, { k, blockRows, excludeSelf });
        const expected = bruteForce(m, k, excludeSelf);
        const rows = rowsOf(m);
        const slots = similar.k;
        expect(slots).toBe(Math.min(k, m.rows));
        for (let r = 0; r < m.rows; r++) {
          const want = expected[r]!;
          expect(similar.counts[r]).toBe(want.length);
          for (let t = 0; t < want.length; t++) {
            // Similarities agree in order (ties may swap indices after rounding, so compare values, then the index's own cosine).
            expect(similar.similarities[r * slots + t]).toBeCloseTo(want[t]!.similarity, 12);
            const j = similar.indices[r * slots + t]!;
            if (excludeSelf) expect(j).not.toBe(r);
            expect(cosineSimilarity(rows[r]!, rows[j]!)).toBeCloseTo(similar.similarities[r * slots + t]!, 12);
          }
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("k beyond the rows reserves one slot per row, not k (k = 1e9 used to reserve rows × 1e9)", () => {
    const similar = similarRows(denseFromRows([[1, 0], [0.9, 0.1], [0, 1]]), { k: 1e9 });
    expect(similar.k).toBe(3);
    expect(similar.indices.length).toBe(9);
    expect(Array.from(similar.counts)).toEqual([2, 2, 2]);
    expect(Array.from(similar.indices)).toEqual([1, 2, -1, 0, 2, -1, 1, 0, -1]);
  });

  it("self-similarity is 1 for non-zero vectors", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 12 }).filter((v) => v.some((x) => x !== 0)), (v) => {
        const similar = similarRows(denseFromRows([v]), { k: 1, excludeSelf: false });
        expect(similar.similarities[0]).toBeCloseTo(1, 12);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("similarity is symmetric", () => {
    fc.assert(
      fc.property(matrixArbitrary, (m) => {
        const n = m.rows;
        const similar = similarRows(m, { k: n, excludeSelf: false, blockRows: 3 });
        const full = new Float64Array(n * n);
        for (let r = 0; r < n; r++) for (let t = 0; t < n; t++) full[r * n + similar.indices[r * n + t]!] = similar.similarities[r * n + t]!;
        for (let r = 0; r < n; r++) for (let j = 0; j < n; j++) expect(Math.abs(full[r * n + j]! - full[j * n + r]!)).toBeLessThan(1e-12);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("a larger catalog with the default blocks matches brute force on sampled rows", () => {
    const random = createRandom(3);
    const n = 1500;
    const d = 16;
    const values = new Float64Array(n * d);
    for (let i = 0; i < values.length; i++) values[i] = random() < 0.3 ? random() : 0;
    const m = denseMatrix(n, d, values);
    const similar = similarRows(m, { k: 5 });
    const rows = rowsOf(m);
    for (const r of [0, 1, 777, 1499]) {
      const want = rows
        .map((b, j) => ({ j, s: cosineSimilarity(rows[r]!, b) }))
        .filter((e) => e.j !== r)
        .sort((x, y) => y.s - x.s || x.j - y.j)
        .slice(0, 5);
      for (let t = 0; t < 5; t++) expect(similar.similarities[r * 5 + t]).toBeCloseTo(want[t]!.s, 12);
    }
  });

  it("rejects bad input", () => {
    const m = denseFromRows([[1, 0]]);
    expectError(() => similarRows(m, { k: 0 }), "E_BAD_INPUT", "similarRows: options.k must be a positive integer");
    expectError(() => similarRows(m, { k: 1, blockRows: 1.5 }), "E_BAD_INPUT", "options.blockRows");
    expectError(() => similarRows({ rows: 1, cols: 2, data: new Float64Array([1, Number.NaN]) }, { k: 1 }), "E_NON_FINITE", "row 0 column 1");
    expectError(() => similarRows({ rows: 2, cols: 2, data: new Float64Array(3) }, { k: 1 }), "E_SHAPE");
  });
});

describe("lookAlikes", () => {
  // Seeds 0 and 1 form two segments; account 2 is close to seed 1, account 3 sits between both seeds.
  const accounts = denseFromRows([[1, 0, 0], [0, 1, 0], [0, 0.99, 0.14], [0.7, 0.7, 0.1], [0, 0, 1]]);

  it("centroid: cosine with the mean of the seeds' unit vectors (hand-computed)", () => {
    const found = lookAlikes(accounts, [0, 1], { k: 3 });
    expect(Array.from(found.indices)).toEqual([3, 2, 4]);
    // centroid ∝ [1, 1, 0] / √2; cos([0.7, 0.7, 0.1], centroid) = 1.4 / √2 / |[0.7, 0.7, 0.1]|.
    expect(found.scores[0]).toBeCloseTo(1.4 / Math.SQRT2 / Math.hypot(0.7, 0.7, 0.1), 12);
    expect(found.scores[2]).toBeCloseTo(0, 12);
  });

  it("max: highest cosine with any one seed finds members of either segment", () => {
    const found = lookAlikes(accounts, [0, 1], { k: 2, method: "max" });
    expect(Array.from(found.indices)).toEqual([2, 3]);
    expect(found.scores[0]).toBeCloseTo(0.99 / Math.hypot(0.99, 0.14), 12);
  });

  it("exclusions, seeds kept on request, repeats ignored", () => {
    expect(Array.from(lookAlikes(accounts, [0, 1, 1], { k: 5, exclude: [3] }).indices)).toEqual([2, 4]);
    expect(Array.from(lookAlikes(accounts, [0], { k: 2, excludeSeeds: false }).indices)).toEqual([0, 3]);
  });

  it("max equals the best single-seed similarity (property)", () => {
    fc.assert(
      fc.property(matrixArbitrary, fc.integer({ min: 0, max: 1000 }), (m, pick) => {
        const seeds = [pick % m.rows, (pick * 7) % m.rows];
        const found = lookAlikes(m, seeds, { k: m.rows, method: "max", excludeSeeds: false });
        const rows = rowsOf(m);
        for (let t = 0; t < found.indices.length; t++) {
          const r = found.indices[t]!;
          const best = Math.max(...seeds.map((s) => cosineSimilarity(rows[r]!, rows[s]!)));
          expect(found.scores[t]).toBeCloseTo(best, 12);
        }
        for (let t = 1; t < found.scores.length; t++) expect(found.scores[t]!).toBeLessThanOrEqual(found.scores[t - 1]! + 1e-15);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("rejects bad seeds and options", () => {
    expectError(() => lookAlikes(accounts, [], { k: 1 }), "E_EMPTY", "seeds");
    expectError(() => lookAlikes(accounts, [5], { k: 1 }), "E_UNKNOWN_ID", "lookAlikes: seeds[0] must be a row index in [0, 5), got 5");
    expectError(() => lookAlikes(accounts, [0], { k: 1, method: "mean" as "max" }), "E_BAD_INPUT", "options.method");
  });
});
