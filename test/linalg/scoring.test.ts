import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  csrFromTriplets,
  denseFromRows,
  denseToRows,
  scoreAgainstFactors,
  scoreAllAgainstFactors,
  topK,
  topKAgainstFactors,
} from "../../src/linalg/index.ts";
import { expectError, maxAbsDiff, naiveMatmul, naiveTranspose, seededMatrix } from "./helpers.ts";

describe("scoreAgainstFactors", () => {
  it("scores every item as the dot product with the user vector", () => {
    const items = denseFromRows([[1, 0], [0, 1], [1, 1]]);
    expect(Array.from(scoreAgainstFactors([2, 3], items))).toEqual([2, 3, 5]);
    const out = new Float64Array(3);
    expect(scoreAgainstFactors([1, 1], { rows: 3, cols: 2, data: Float32Array.from(items.data) }, out)).toBe(out);
    expect(Array.from(out)).toEqual([1, 1, 2]);
  });
  it("scoreAgainstFactors names the factor entry behind a non-finite score", () => {
    const items = denseFromRows([[1, 0], [0, 1]]);
    items.data[3] = Number.NaN;
    expectError(() => scoreAgainstFactors([1, 1], items), "E_NON_FINITE", "itemFactors entry (1, 1) must be finite, got NaN");
    expectError(() => scoreAgainstFactors([1], items), "E_SHAPE", "userVector must have length itemFactors.cols = 2");
    expectError(() => scoreAgainstFactors([1, Number.NaN], denseFromRows([[1, 2]])), "E_NON_FINITE", "userVector[1]");
  });
  it("scoreAgainstFactors equals the naive product for all row and factor counts (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 1e6 }), (items, f, seed) => {
        const v = seededMatrix(items, f, seed);
        const u = seededMatrix(f, 1, seed + 1);
        const reference = naiveMatmul(v, u).data;
        const v32 = { rows: items, cols: f, data: Float32Array.from(v.data) };
        const reference32 = naiveMatmul({ rows: items, cols: f, data: Float64Array.from(v32.data) }, u).data;
        return maxAbsDiff(scoreAgainstFactors(u.data, v), reference) <= 1e-12 && maxAbsDiff(scoreAgainstFactors(u.data, v32), reference32) <= 1e-12;
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("scoreAllAgainstFactors and topKAgainstFactors", () => {
  it("scoreAllAgainstFactors is U·Vᵀ", () => {
    const users = denseFromRows([[1, 0], [0, 2]]);
    const items = denseFromRows([[1, 2], [3, 4], [5, 6]]);
    expect(denseToRows(scoreAllAgainstFactors(users, items))).toEqual([[1, 3, 5], [4, 8, 12]]);
    expectError(() => scoreAllAgainstFactors(users, denseFromRows([[1, 2, 3]])), "E_SHAPE", "itemFactors.cols must equal userFactors.cols (2), got 3");
  });
  it("topKAgainstFactors excludes seen items and pads short rows with -1 and NaN", () => {
    const users = denseFromRows([[1, 0], [0, 1]]);
    const items = denseFromRows([[3, 0], [1, 1], [0, 2]]);
    const seen = csrFromTriplets({ rows: 2, cols: 3, rowIndices: [1, 0, 0], colIndices: [2, 0, 1], values: [1, 1, 1] });
    const top = topKAgainstFactors(users, items, { k: 2, exclude: seen });
    expect(Array.from(top.indices)).toEqual([2, -1, 1, 0]);
    expect(Array.from(top.scores)).toEqual([0, Number.NaN, 1, 0]);
    expect(Array.from(top.counts)).toEqual([1, 2]);
    expectError(() => topKAgainstFactors(users, items, { k: 0 }), "E_BAD_INPUT", "options.k");
    expectError(() => topKAgainstFactors(users, items, { k: 1, exclude: csrFromTriplets({ rows: 2, cols: 2, rowIndices: [], colIndices: [], values: [] }) }), "E_SHAPE", "options.exclude must be users × items = 2 × 3");
  });
  it("topKAgainstFactors equals per-user scoring then topK, across user blocks (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 1e6 }),
        (users, items, f, k, seed) => {
          const u = seededMatrix(users, f, seed);
          const v = seededMatrix(items, f, seed + 1);
          const rowIndices: number[] = [];
          const colIndices: number[] = [];
          for (let a = 0; a < users; a++) for (let i = 0; i < items; i++) if ((a * 7 + i * 3 + seed) % 5 === 0) { rowIndices.push(a); colIndices.push(i); }
          const seen = csrFromTriplets({ rows: users, cols: items, rowIndices, colIndices, values: rowIndices.map(() => 1) });
          const top = topKAgainstFactors(u, v, { k, exclude: seen });
          const kk = Math.min(k, items);
          const all = naiveMatmul(u, naiveTranspose(v));
          for (let a = 0; a < users; a++) {
            const scores = all.data.subarray(a * items, (a + 1) * items);
            const mask = new Uint8Array(items);
            for (let q = seen.indptr[a]!; q < seen.indptr[a + 1]!; q++) mask[seen.indices[q]!] = 1;
            const expected = Array.from(topK(Float64Array.from(scores), { k: kk, exclude: mask }));
            const got = Array.from(top.indices.subarray(a * kk, a * kk + top.counts[a]!));
            if (JSON.stringify(got) !== JSON.stringify(expected)) return false;
          }
          return true;
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });
  it("topKAgainstFactors names a non-finite factor entry, for one user and for a block of users", () => {
    // Built by hand: denseFromRows itself refuses NaN.
    const items = { rows: 3, cols: 2, data: Float64Array.from([1, 0, 0, Number.NaN, 1, 1]) };
    expectError(() => topKAgainstFactors(denseFromRows([[1, 1]]), items, { k: 2 }), "E_NON_FINITE", "itemFactors entry (1, 1) must be finite, got NaN");
    const users = denseFromRows([[1, 1], [1, 2], [3, 1], [0, 1], [2, 2]]);
    expectError(() => topKAgainstFactors(users, items, { k: 2 }), "E_NON_FINITE", "itemFactors entry (1, 1) must be finite, got NaN");
    const badUser = { rows: 4, cols: 2, data: Float64Array.from([1, 1, Number.POSITIVE_INFINITY, 2, 3, 1, 0, 1]) };
    expectError(() => topKAgainstFactors(badUser, denseFromRows([[1, 0]]), { k: 1 }), "E_NON_FINITE", "userFactors entry (1, 0) must be finite, got Infinity");
  });

  it("topKAgainstFactors gives the same lists for float32 and float64 item tables of the same values", () => {
    const v64 = seededMatrix(50, 8, 3);
    const v32 = { rows: 50, cols: 8, data: Float32Array.from(v64.data) };
    const exact = { rows: 50, cols: 8, data: Float64Array.from(v32.data) };
    for (const users of [1, 3, 6]) {
      const u = seededMatrix(users, 8, 4);
      expect(Array.from(topKAgainstFactors(u, v32, { k: 5 }).indices)).toEqual(Array.from(topKAgainstFactors(u, exact, { k: 5 }).indices));
    }
  });

  it("topKAgainstFactors handles many users and a catalog past the packing block (700 × 1100)", () => {
    const u = seededMatrix(700, 8, 1);
    const v = seededMatrix(1100, 8, 2);
    const top = topKAgainstFactors(u, v, { k: 3 });
    for (const a of [0, 257, 699]) {
      const scores = scoreAgainstFactors(u.data.subarray(a * 8, a * 8 + 8), v);
      expect(Array.from(top.indices.subarray(a * 3, a * 3 + 3))).toEqual(Array.from(topK(scores, { k: 3 })));
    }
  });
});
