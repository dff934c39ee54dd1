import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  csrFromDense,
  csrFromTriplets,
  csrMultiplyDense,
  csrRow,
  csrToDense,
  csrToTriplets,
  csrTranspose,
  denseFromRows,
  denseToRows,
  matmul,
} from "../../src/linalg/index.ts";
import { expectError, maxAbsDiff, seededMatrix } from "./helpers.ts";

// Unique (row, col) pairs with integer values, so "sum" keeps every entry as it is.
const uniqueTriplets = fc
  .record({ rows: fc.integer({ min: 1, max: 12 }), cols: fc.integer({ min: 1, max: 12 }) })
  .chain(({ rows, cols }) =>
    fc
      .uniqueArray(fc.tuple(fc.nat(rows - 1), fc.nat(cols - 1)), {
        maxLength: rows * cols,
        selector: ([r, c]) => r * cols + c,
      })
      .chain((pairs) =>
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: pairs.length, maxLength: pairs.length }).map((values) => ({
          rows,
          cols,
          rowIndices: pairs.map(([r]) => r),
          colIndices: pairs.map(([, c]) => c),
          values,
        })),
      ),
  );

function multiset(rowIndices: ArrayLike<number>, colIndices: ArrayLike<number>, values: ArrayLike<number>): string[] {
  return Array.from(rowIndices, (r, t) => `${r},${colIndices[t]},${values[t]}`).sort();
}

describe("csrToTriplets and csrRow", () => {
  it("csrToTriplets lists entries row-major", () => {
    const m = csrFromTriplets({ rows: 2, cols: 2, rowIndices: [1, 0], colIndices: [0, 1], values: [3, 4] });
    const t = csrToTriplets(m);
    expect([Array.from(t.rowIndices), Array.from(t.colIndices), Array.from(t.values)]).toEqual([[0, 1], [1, 0], [4, 3]]);
    expect(t.colIndices).not.toBe(m.indices);
  });
  it("COO → CSR → COO gives the same multiset under the sum policy on unique pairs (property)", () => {
    fc.assert(
      fc.property(uniqueTriplets, (triplets) => {
        const back = csrToTriplets(csrFromTriplets(triplets, { duplicates: "sum" }));
        const expected = multiset(triplets.rowIndices, triplets.colIndices, triplets.values);
        return JSON.stringify(multiset(back.rowIndices, back.colIndices, back.values)) === JSON.stringify(expected);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
  it("csrRow returns views that share memory with the matrix", () => {
    const m = csrFromTriplets({ rows: 2, cols: 3, rowIndices: [1, 1, 0], colIndices: [2, 0, 1], values: [5, 6, 7] });
    const row = csrRow(m, 1);
    expect([Array.from(row.indices), Array.from(row.values)]).toEqual([[0, 2], [6, 5]]);
    expect(row.values.buffer).toBe(m.values.buffer);
    expect(csrRow(m, 0).indices.length).toBe(1);
    expectError(() => csrRow(m, 2), "E_BAD_INPUT", "csrRow: r must be an integer in [0, 1], got 2");
  });
});

describe("csrTranspose", () => {
  it("transpose twice is the identity on CSR matrices (property)", () => {
    fc.assert(
      fc.property(uniqueTriplets, (triplets) => {
        const m = csrFromTriplets(triplets);
        const back = csrTranspose(csrTranspose(m));
        return (
          back.rows === m.rows && back.cols === m.cols &&
          JSON.stringify([Array.from(back.indptr), Array.from(back.indices), Array.from(back.values)]) ===
            JSON.stringify([Array.from(m.indptr), Array.from(m.indices), Array.from(m.values)])
        );
      }),
      { seed: 42, numRuns: 200 },
    );
  });
  it("csrTranspose rejects a malformed matrix", () => {
    const m = csrFromTriplets({ rows: 1, cols: 2, rowIndices: [0], colIndices: [1], values: [1] });
    expectError(() => csrTranspose({ ...m, indices: new Int32Array([5]) }), "E_BAD_INPUT", "strictly increasing and in [0, 2)");
    expectError(() => csrTranspose({ ...m, indptr: new Int32Array([0, 2]) }), "E_SHAPE");
  });
});

describe("csrMultiplyDense, csrToDense and csrFromDense", () => {
  it("sparse × dense matches the hand-computed product", () => {
    const s = csrFromTriplets({ rows: 2, cols: 2, rowIndices: [0, 1], colIndices: [1, 0], values: [2, 3] });
    expect(denseToRows(csrMultiplyDense(s, denseFromRows([[1, 1], [5, 6]])))).toEqual([[10, 12], [3, 3]]);
    expectError(() => csrMultiplyDense(s, denseFromRows([[1, 2, 3]])), "E_SHAPE", "dense.rows must equal sparse.cols (2), got 1");
  });
  it("sparse × dense equals dense × dense (property)", () => {
    fc.assert(
      fc.property(uniqueTriplets, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 1000 }), (triplets, p, seed) => {
        const s = csrFromTriplets(triplets);
        const b = seededMatrix(s.cols, p, seed);
        const viaSparse = csrMultiplyDense(s, b);
        const viaDense = matmul(csrToDense(s), b);
        const b32 = { rows: b.rows, cols: b.cols, data: Float32Array.from(b.data) };
        const via32 = csrMultiplyDense(s, b32);
        const ref32 = matmul(csrToDense(s), b32);
        return maxAbsDiff(viaSparse.data, viaDense.data) <= 1e-10 && maxAbsDiff(via32.data, ref32.data) <= 1e-10;
      }),
      { seed: 42, numRuns: 200 },
    );
  });
  it("csrFromDense and csrToDense round-trip", () => {
    const d = denseFromRows([[0, 2], [3, 0], [0, 0]]);
    const s = csrFromDense(d);
    expect(Array.from(s.values)).toEqual([2, 3]);
    expect(Array.from(s.indptr)).toEqual([0, 1, 2, 2]);
    expect(denseToRows(csrToDense(s))).toEqual([[0, 2], [3, 0], [0, 0]]);
  });
});
