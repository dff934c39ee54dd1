// Issue 17: the WebAssembly SIMD kernels. Each kernel against a plain float64 loop, the shipped module against its
// source, and both paths of every computation that has them (ALS, top-k scoring) for the same results within float32
// rounding.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createInteractions } from "../../src/data/index.ts";
import { fitBpr, fitImplicitAls, fitMatrixFactorization } from "../../src/factorization/index.ts";
import { fitItemItemImplicit } from "../../src/neighbors/index.ts";
import { csrFromTriplets, csrMultiplyDense, denseMatrix, prepareFactorScoring, scoreAgainstFactors, simdAvailable, topKAgainstFactors } from "../../src/linalg/index.ts";
import { borrowKernelArena, createKernelArena, f32Stride } from "../../src/linalg/wasm/simd.ts";
import { createGemmWorkspace, gemmScalar, gemmWithKernels, gemvF32, prepareGemvF32 } from "../../src/linalg/kernels.ts";
import { expectError } from "../helpers.ts";
// @ts-expect-error: a JavaScript build script without type declarations
import { assembleKernels } from "../../scripts/build-wasm.mjs";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { computeNeighborLists } from "../../src/neighbors/kernel.ts";
import { conjugateGradientAlsWasm } from "../../src/factorization/als-kernels.ts";
import { availableThreads, createThreadedArena, prepareThreads } from "../../src/linalg/wasm/threads.ts";
import { topKWithKernels } from "../../src/linalg/scoring.ts";

/** A float32 table in the kernels' layout (rows × stride, padding zero) from a rows × f generator. */
function fillTable(target: Float32Array, rows: number, f: number, value: (row: number, col: number) => number): void {
  const stride = f32Stride(f);
  for (let r = 0; r < rows; r++) for (let c = 0; c < f; c++) target[r * stride + c] = value(r, c);
}

const sizes = fc.record({ m: fc.integer({ min: 1, max: 9 }), n: fc.integer({ min: 1, max: 11 }), f: fc.integer({ min: 1, max: 13 }) });

describe("WebAssembly SIMD kernels", () => {
  it("this runtime (Node 20) has them", () => {
    expect(simdAvailable()).toBe(true);
  });

  it("the shipped modules are the assembly of kernels.wat", async () => {
    const files: Record<string, string> = await assembleKernels();
    expect(Object.keys(files).map((file) => file.split(/[\\/]/).pop())).toEqual(["kernels-wasm.ts"]);
    for (const [file, text] of Object.entries(files)) expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("property: scoreBlockF32 gives every dot product, for any m, n and f (padding, odd rows, partial blocks)", () => {
    fc.assert(
      fc.property(sizes, fc.integer({ min: 1, max: 1000 }), ({ m, n, f }, seed) => {
        const stride = f32Stride(f);
        const ldc = n + 3;
        const arena = createKernelArena(new Map([["A", 4 * m * stride], ["B", 4 * n * stride], ["C", 4 * m * ldc]]))!;
        const a = (r: number, c: number) => Math.fround(Math.sin(seed + 7 * r + c));
        const b = (r: number, c: number) => Math.fround(Math.cos(seed + 3 * r - c));
        fillTable(arena.f32("A"), m, f, a);
        fillTable(arena.f32("B"), n, f, b);
        arena.f32("C").fill(-99);
        arena.kernels.scoreBlockF32(arena.offsets.get("A")!, m, arena.offsets.get("B")!, n, stride, arena.offsets.get("C")!, ldc);
        const C = arena.f32("C");
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let expected = 0;
            for (let c = 0; c < f; c++) expected += a(i, c) * b(j, c);
            expect(C[i * ldc + j]).toBeCloseTo(expected, 4);
          }
          for (let j = n; j < ldc; j++) expect(C[i * ldc + j]).toBe(-99); // nothing written beyond n
        }
      }),
      { numRuns: 60 },
    );
  });

  it("property: gramF32 gives TᵀT with zero padding, for any rows and f", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 13 }), (rows, f) => {
        const stride = f32Stride(f);
        const arena = createKernelArena(new Map([["T", 4 * Math.max(1, rows) * stride], ["G", 4 * f * stride]]))!;
        const t = (r: number, c: number) => Math.fround((r + 1) * 0.25 - c * 0.125);
        fillTable(arena.f32("T"), rows, f, t);
        arena.f32("G").fill(7);
        arena.kernels.gramF32(arena.offsets.get("T")!, rows, f, stride, arena.offsets.get("G")!);
        const G = arena.f32("G");
        for (let a = 0; a < f; a++) {
          for (let b = 0; b < stride; b++) {
            let expected = 0;
            if (b < f) for (let r = 0; r < rows; r++) expected += t(r, a) * t(r, b);
            expect(G[a * stride + b]).toBeCloseTo(expected, 3);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("both kernel paths give the same results", () => {
  it("property: the WebAssembly gemm is bit-identical to the JavaScript gemm (any shape, transposes, upper-only, blocks of 256)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 23 }), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 23 }), fc.boolean(), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 99 }),
        (m, n, p, transposeA, transposeB, upperOnly, seed) => {
          const A = Float64Array.from({ length: m * n }, (_, q) => Math.sin(seed + q) * 10 ** ((q % 7) - 3));
          const B = Float64Array.from({ length: n * p }, (_, q) => Math.cos(seed - q * 0.7));
          const start = Float64Array.from({ length: m * p }, (_, q) => q % 3);
          const [aRow, aCol] = transposeA ? [1, m] : [n, 1];
          const [bRow, bCol] = transposeB ? [1, n] : [p, 1];
          const js = start.slice();
          const wasm = start.slice();
          gemmScalar(m, n, p, A, aRow, aCol, B, bRow, bCol, js, upperOnly, createGemmWorkspace());
          expect(gemmWithKernels(m, n, p, A, aRow, aCol, B, bRow, bCol, wasm, upperOnly)).toBe(true);
          expect(Array.from(wasm)).toEqual(Array.from(js));
        },
      ),
      { numRuns: 60 },
    );
  });

  const entry = fc.record({ user: fc.integer({ min: 0, max: 12 }), item: fc.integer({ min: 0, max: 15 }), value: fc.integer({ min: 1, max: 9 }) });

  it("property: implicit ALS scores agree within float32 rounding (any factor count, with and without values)", () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 5, maxLength: 80 }), fc.integer({ min: 1, max: 19 }), fc.boolean(), (rows, factors, withValues) => {
        const data = createInteractions(rows.map((r) => ({ user: `u${r.user}`, item: `i${r.item}`, ...(withValues ? { value: r.value } : {}) })));
        const options = { factors, iterations: 6, regularization: 0.5 };
        const js = fitImplicitAls(data, { ...options, kernels: "javascript" });
        const wasm = fitImplicitAls(data, { ...options, kernels: "webassembly" });
        const users = data.users.ids.length;
        const items = data.items.ids.length;
        let largest = 0;
        let worst = 0;
        for (let u = 0; u < users; u++) {
          for (let i = 0; i < items; i++) {
            let a = 0;
            let b = 0;
            for (let c = 0; c < factors; c++) {
              a += js.userFactors[u * factors + c]! * js.itemFactors[i * factors + c]!;
              b += wasm.userFactors[u * factors + c]! * wasm.itemFactors[i * factors + c]!;
            }
            largest = Math.max(largest, Math.abs(a));
            worst = Math.max(worst, Math.abs(a - b));
          }
        }
        // Stated tolerance: 1e-3 of the largest score (float32 sums against float64 sums over six iterations).
        expect(worst).toBeLessThanOrEqual(1e-3 * largest + 1e-7);
      }),
      { numRuns: 40 },
    );
  });

  it("property: matrix factorization gives bit-identical models (same operations in the same order), odd and even factors", () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 3, maxLength: 60 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 50 }), (rows, factors, seed) => {
        const data = createInteractions(rows.map((r) => ({ user: `u${r.user}`, item: `i${r.item}`, value: r.value })), { duplicates: "last" });
        const options = { factors, epochs: 7, seed, learningRate: 0.01 };
        const js = fitMatrixFactorization(data, { ...options, kernels: "javascript" });
        const wasm = fitMatrixFactorization(data, { ...options, kernels: "webassembly" });
        expect(Array.from(wasm.userFactors)).toEqual(Array.from(js.userFactors));
        expect(Array.from(wasm.itemFactors)).toEqual(Array.from(js.itemFactors));
        expect(Array.from(wasm.userBias)).toEqual(Array.from(js.userBias));
        expect(Array.from(wasm.itemBias)).toEqual(Array.from(js.itemBias));
      }),
      { numRuns: 40 },
    );
  });

  // Items up to 15 give dense rows (most items co-rated: counts skipped, one scan), up to 400 sparse ones (the
  // touched list); negated values give similarities <= 0 and equal ones ties.
  const neighborEntries = fc.integer({ min: 15, max: 400 }).chain((items) => fc.array(fc.record({ user: fc.integer({ min: 0, max: 12 }), item: fc.integer({ min: 0, max: items }), value: fc.integer({ min: 1, max: 9 }) }), { minLength: 2, maxLength: 120 }));

  it("property: the neighbour kernel's lists are identical on both paths (dense and sparse rows, any options)", () => {
    fc.assert(
      fc.property(
        neighborEntries, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, 2.5), fc.boolean(), fc.boolean(),
        (rows, stored, minSupport, shrinkage, positiveOnly, negate) => {
        const data = createInteractions(rows.map((r) => ({ user: `u${r.user}`, item: `i${r.item}`, value: r.value * (negate && r.item % 3 === 0 ? -1 : 1) })));
        const input = {
          rows: data.byItem, columns: data.byUser, rowValues: data.byItem.values, columnValues: data.byUser.values,
          mode: "dot" as const, minSupport, shrinkage, stored, positiveOnly,
        };
        const js = computeNeighborLists({ ...input, kernels: "javascript" });
        const wasm = computeNeighborLists(input);
        expect(Array.from(wasm.indptr)).toEqual(Array.from(js.indptr));
        expect(Array.from(wasm.indices)).toEqual(Array.from(js.indices));
        expect(Array.from(wasm.similarities)).toEqual(Array.from(js.similarities));
      }),
      { numRuns: 150 },
    );
  });

  it("property: the neighbour kernel on worker threads gives the one-thread lists, for any thread count", () => {
    fc.assert(
      fc.property(neighborEntries, fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), (rows, threads, stored, positiveOnly) => {
        const data = createInteractions(rows.map((r) => ({ user: `u${r.user}`, item: `i${r.item}`, value: r.value })));
        const input = {
          rows: data.byItem, columns: data.byUser, rowValues: data.byItem.values, columnValues: data.byUser.values,
          mode: "dot" as const, minSupport: 1, shrinkage: 0, stored, positiveOnly, threadedMinPairs: 0,
        };
        const one = computeNeighborLists(input);
        const many = computeNeighborLists({ ...input, threads, onProgress: () => {} });
        expect(Array.from(many.indptr)).toEqual(Array.from(one.indptr));
        expect(Array.from(many.indices)).toEqual(Array.from(one.indices));
        expect(Array.from(many.similarities)).toEqual(Array.from(one.similarities));
      }),
      { numRuns: 6 },
    );
  });

  it("property: BPR gives bit-identical models on both kernel paths (odd and even factors)", () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 3, maxLength: 60 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 50 }), (rows, factors, seed) => {
        const data = createInteractions(rows.map((r) => ({ user: `u${r.user}`, item: `i${r.item}` })));
        const options = { factors, epochs: 6, seed, learningRate: 0.1 };
        const js = fitBpr(data, { ...options, kernels: "javascript" });
        const wasm = fitBpr(data, { ...options, kernels: "webassembly" });
        expect(Array.from(wasm.userFactors)).toEqual(Array.from(js.userFactors));
        expect(Array.from(wasm.itemFactors)).toEqual(Array.from(js.itemFactors));
        expect(Array.from(wasm.itemBias)).toEqual(Array.from(js.itemBias));
      }),
      { numRuns: 40 },
    );
  });

  it("property: top-k lists agree (scores within float32 rounding; order equal up to near-ties)", () => {
    fc.assert(
      fc.property(sizes, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1000 }), ({ m, n, f }, k, seed) => {
        const users = denseMatrix(m, f, Float32Array.from({ length: m * f }, (_, q) => Math.sin(seed + q * 1.7)));
        const items = denseMatrix(n, f, Float32Array.from({ length: n * f }, (_, q) => Math.cos(seed + q * 0.9)));
        const js = topKAgainstFactors(users, items, { k, kernels: "javascript" });
        const wasm = topKAgainstFactors(users, items, { k, kernels: "webassembly" });
        expect(wasm.counts).toEqual(js.counts);
        for (let q = 0; q < js.indices.length; q++) {
          expect(wasm.scores[q]).toBeCloseTo(js.scores[q]!, 4);
          // the same item, or an item whose float64 score is within float32 rounding of it (a near-tie)
          if (wasm.indices[q] !== js.indices[q]) expect(Math.abs(wasm.scores[q]! - js.scores[q]!)).toBeLessThan(1e-4);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("property: the kernels' top-k selection gives JavaScript's lists from the same float32 scores (exclusions, ties, overflow, threads)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 45 }),
        fc.integer({ min: 0, max: 999 }), fc.constantFrom(1, 1, 1e20), fc.boolean(), fc.integer({ min: 1, max: 2 }),
        (m, n, f, k, seed, scale, excluding, threads) => {
          // small integers make many exact ties; a scale of 1e20 overflows float32 for some rows
          const users = { rows: m, cols: f, data: Float32Array.from({ length: m * f }, (_, q) => Math.round(3 * Math.sin(seed + q * 1.7)) * (q % 7 === 0 ? scale : 1)) };
          const items = { rows: n, cols: f, data: Float32Array.from({ length: n * f }, (_, q) => Math.round(3 * Math.cos(seed + q * 0.9))) };
          const triplets: { user: string; item: string }[] = [];
          for (let u = 0; u < m; u++) for (let i = 0; i < n; i++) if ((u * 31 + i * 17 + seed) % 5 === 0) triplets.push({ user: `u${u}`, item: `i${i}` });
          const exclude = excluding ? csrFromTriplets({ rows: m, cols: n, rowIndices: triplets.map((t) => Number(t.user.slice(1))), colIndices: triplets.map((t) => Number(t.item.slice(1))), values: triplets.map(() => 1) }) : undefined;
          const kk = Math.min(k, n);
          const run = (selection: "kernels" | "javascript") => {
            const result = { indices: new Int32Array(m * kk).fill(-1), scores: new Float64Array(m * kk).fill(Number.NaN), counts: new Int32Array(m) };
            try {
              expect(topKWithKernels("test", users, items, kk, exclude, result, threads, selection)).toBe(true);
            } catch (error) {
              return String(error); // float64 overflow too: both paths must name the same entry
            }
            return result;
          };
          expect(run("kernels")).toEqual(run("javascript"));
        },
      ),
      { numRuns: 120 },
    );
  });

  it("property: sparse × dense on the kernels is bit-identical to the plain loop (odd and even column counts)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 41 }), fc.integer({ min: 0, max: 999 }), (rows, n, p, seed) => {
        const rowIndices: number[] = [];
        const colIndices: number[] = [];
        const values: number[] = [];
        for (let r = 0; r < rows; r++) for (let c = 0; c < n; c++) if ((r * 13 + c * 7 + seed) % 3 !== 0) { rowIndices.push(r); colIndices.push(c); values.push(Math.sin(seed + r - c * 0.37)); }
        const sparse = csrFromTriplets({ rows, cols: n, rowIndices, colIndices, values });
        // many columns so that the product passes the kernel's threshold
        const wide = 41 * p;
        const dense = denseMatrix(n, wide, Float64Array.from({ length: n * wide }, (_, q) => Math.cos(seed * 0.1 + q * 0.61)));
        const reference = new Float64Array(rows * wide);
        for (let r = 0; r < rows; r++) {
          for (let q = sparse.indptr[r]!; q < sparse.indptr[r + 1]!; q++) {
            const a = sparse.values[q]!;
            const c = sparse.indices[q]!;
            for (let j = 0; j < wide; j++) reference[r * wide + j]! += a * dense.data[c * wide + j]!;
          }
        }
        expect(Array.from(csrMultiplyDense(sparse, dense).data)).toEqual(Array.from(reference));
      }),
      { numRuns: 40 },
    );
  });

  it("property: a prepared float32 gemv gives gemvF32's sums bit for bit (any rows and f, odd and even)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 700 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 0, max: 999 }), (rows, f, seed) => {
        const table = Float32Array.from({ length: rows * f }, (_, q) => Math.sin(seed + q * 0.77) * 3);
        const u = Float64Array.from({ length: f }, (_, k) => Math.cos(seed * 0.3 + k) / 7);
        const expected = new Float64Array(rows);
        gemvF32(table, rows, f, u, expected);
        const got = new Float64Array(rows);
        prepareGemvF32(table, rows, f).gemv(u, got);
        expect(Array.from(got)).toEqual(Array.from(expected));
      }),
      { numRuns: 60 },
    );
  });

  it("property: a prepared scorer gives scoreAgainstFactors' scores (float32 rounding on the WebAssembly path)", () => {
    fc.assert(
      fc.property(sizes, fc.integer({ min: 0, max: 1000 }), ({ n, f }, seed) => {
        const table = { rows: n, cols: f, data: Float32Array.from({ length: n * f }, (_, q) => Math.cos(seed + q * 0.9)) };
        const user = Array.from({ length: f }, (_, k) => Math.sin(seed + k));
        const expected = scoreAgainstFactors(user, table);
        const wasm = prepareFactorScoring(table);
        expect(wasm.kernels).toBe("webassembly");
        const js = prepareFactorScoring(table, { kernels: "javascript" });
        expect(js.kernels).toBe("javascript");
        expect(Array.from(js.score(user))).toEqual(Array.from(expected));
        const got = wasm.score(user);
        for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(expected[i]!, 4);
      }),
      { numRuns: 60 },
    );
    const table = { rows: 2, cols: 2, data: Float32Array.from([3e38, 3e38, 1, 1]) };
    expect(prepareFactorScoring(table).score([1, 1])[0]).toBeCloseTo(6e38, -33); // float32 overflow: rescored in float64
    expectError(() => prepareFactorScoring(table).score([1, Number.NaN]), "E_NON_FINITE", "prepareFactorScoring(...).score: userVector[1] must be a finite number, got NaN");
    expectError(() => prepareFactorScoring(table).score([1]), "E_SHAPE", "prepareFactorScoring(...).score: userVector must have length 2 (the table's factors), got length 1");
    expectError(() => prepareFactorScoring({ rows: 1, cols: 1, data: Float32Array.of(Number.POSITIVE_INFINITY) }), "E_NON_FINITE", "prepareFactorScoring: itemFactors");
  });

  it("a float32 overflow is rescored in float64; a real non-finite entry is still named", () => {
    const users = denseMatrix(2, 2, Float32Array.from([3e38, 3e38, 1, 0]));
    const items = denseMatrix(2, 2, Float32Array.from([1e-30, 1e-30, 1, 1]));
    // 3e38 + 3e38 overflows float32 but not float64: the float64 rescoring gives the true scores.
    const top = topKAgainstFactors(users, items, { k: 2, kernels: "webassembly" });
    expect(top.scores[0]).toBeCloseTo(6e38, -33);
    const bad = denseMatrix(2, 2, Float32Array.from([1, 1, 1, 0]));
    bad.data[1] = Number.NaN; // corrupted after construction: found when its scores are
    expectError(() => topKAgainstFactors(bad, items, { k: 1, kernels: "webassembly" }), "E_NON_FINITE", "topKAgainstFactors: userFactors entry (0, 1) must be finite, got NaN");
  });

  it("options.kernels is validated, and webassembly refuses confidences beyond float32", () => {
    const data = createInteractions([{ user: "a", item: "x", value: 1e35 }, { user: "b", item: "y", value: 2 }]);
    expectError(() => fitImplicitAls(data, { kernels: "gpu" as never }), "E_BAD_INPUT", 'fitImplicitAls: options.kernels must be "auto", "webassembly" or "javascript", got "gpu"');
    expectError(() => fitImplicitAls(data, { kernels: "webassembly", values: "raw" }), "E_BAD_INPUT", "fitImplicitAls: options.kernels \"webassembly\" computes in float32");
    // auto falls back to the float64 JavaScript kernels for them
    expect(fitImplicitAls(data, { values: "raw", factors: 2, regularization: 1 }).userFactors.every(Number.isFinite)).toBe(true);
    expectError(() => topKAgainstFactors(denseMatrix(1, 1, [1]), denseMatrix(1, 1, [1]), { k: 1, kernels: "fast" as never }), "E_BAD_INPUT", "topKAgainstFactors: options.kernels must be");
  });

  it("a borrowed arena is zeroed, lent to one borrower at a time, and never changes a result", () => {
    const sizes = new Map([["a", 64], ["b", 40]]);
    const first = borrowKernelArena(sizes, { zero: true })!;
    first.f64("a").fill(7);
    // While it is lent, another borrower gets a memory of its own.
    const second = borrowKernelArena(sizes, { zero: true })!;
    expect(second.kernels.memory).not.toBe(first.kernels.memory);
    expect(Array.from(second.f64("a"))).toEqual(new Array(8).fill(0));
    second.release();
    first.release();
    const again = borrowKernelArena(sizes, { zero: true })!;
    expect(again.kernels.memory).toBe(first.kernels.memory);
    expect(Array.from(again.f64("a"))).toEqual(new Array(8).fill(0));
    again.f64("a").fill(3);
    again.release();
    // zero: false leaves what the previous borrower wrote (for callers that write before they read)
    const dirty = borrowKernelArena(sizes, { zero: false })!;
    expect(dirty.f64("a")[0]).toBe(3);
    dirty.release();
    // A fit whose progress callback runs other kernels meanwhile (they take fresh memories) gives the same model.
    const data = createInteractions(Array.from({ length: 300 }, (_, q) => ({ user: `u${q % 23}`, item: `i${(q * 7) % 31}` })));
    const quiet = fitImplicitAls(data, { factors: 5, iterations: 3, threads: 1 });
    const busy = fitImplicitAls(data, {
      factors: 5, iterations: 3, threads: 1,
      onProgress: () => void fitItemItemImplicit(data, { threads: 1 }),
    });
    expect(Array.from(busy.userFactors)).toEqual(Array.from(quiet.userFactors));
    expect(Array.from(busy.itemFactors)).toEqual(Array.from(quiet.itemFactors));
  });

  it("property: ALS on worker threads gives the same model as on one thread, for any thread count", () => {
    expect(availableThreads()).toBeGreaterThanOrEqual(1);
    // Node 20 runs the workers (so the property below compares real threads, not a single-thread fallback).
    const probe = createThreadedArena(new Map([["x", 16]]), 2);
    expect(probe?.threads).toBe(2);
    probe?.close();
    fc.assert(
      fc.property(fc.array(entry, { minLength: 5, maxLength: 120 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 9 }), (rows, threads, factors) => {
        const data = createInteractions(rows.map((r) => ({ user: `u${r.user}`, item: `i${r.item}`, value: r.value })));
        const tables = (count: number) => {
          const X = Float64Array.from({ length: data.users.ids.length * factors }, (_, q) => Math.sin(q) * 0.1);
          const Y = Float64Array.from({ length: data.items.ids.length * factors }, (_, q) => Math.cos(q) * 0.1);
          const problem = { X, Y, f: factors, byUser: data.byUser, byItem: data.byItem, alpha: 1, regularization: 0.3, iterations: 3, steps: 2 };
          expect(conjugateGradientAlsWasm(problem, count)).toBe(true);
          return [...X, ...Y];
        };
        expect(tables(threads)).toEqual(tables(1));
      }),
      { numRuns: 8 },
    );
  });

  it("prepareThreads starts the workers ahead and resolves with the threads computations can use", async () => {
    expect(await prepareThreads(2)).toBe(2);
    expect(await prepareThreads(1)).toBe(1);
    expect(availableThreads()).toBe(availableParallelism()); // Node: the cores, whether prepared or not
  });

  it("worker threads are kept between computations, and a nested threaded computation gets workers of its own", () => {
    const data = createInteractions(Array.from({ length: 400 }, (_, q) => ({ user: `u${q % 29}`, item: `i${(q * 11) % 37}`, value: 1 + (q % 3) })));
    const neighbors = { rows: data.byItem, columns: data.byUser, rowValues: data.byItem.values, columnValues: data.byUser.values, mode: "dot" as const, minSupport: 1, shrinkage: 0, stored: 4, positiveOnly: true, threadedMinPairs: 0 };
    const alone = computeNeighborLists({ ...neighbors, threads: 1 });
    const solve = (afterIteration?: () => void) => {
      const X = Float64Array.from({ length: data.users.ids.length * 3 }, (_, q) => Math.sin(q) * 0.1);
      const Y = Float64Array.from({ length: data.items.ids.length * 3 }, (_, q) => Math.cos(q) * 0.1);
      expect(conjugateGradientAlsWasm({ X, Y, f: 3, byUser: data.byUser, byItem: data.byItem, alpha: 1, regularization: 0.3, iterations: 3, steps: 2, afterIteration }, 2)).toBe(true);
      return [...X, ...Y];
    };
    const quiet = solve();
    const nested: number[][] = [];
    const busy = solve(() => {
      const lists = computeNeighborLists({ ...neighbors, threads: 2 });
      nested.push(Array.from(lists.indices));
    });
    expect(busy).toEqual(quiet);
    expect(nested).toHaveLength(3);
    for (const indices of nested) expect(indices).toEqual(Array.from(alone.indices));
    // and the kept workers serve the next computation
    expect(Array.from(computeNeighborLists({ ...neighbors, threads: 2 }).indices)).toEqual(Array.from(alone.indices));
  });

  it("property: top-k scoring on worker threads gives the one-thread result, for any thread count", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 2, max: 3 }), fc.integer({ min: 0, max: 99 }), (m, n, f, threads, seed) => {
        const users = { rows: m, cols: f, data: Float32Array.from({ length: m * f }, (_, q) => Math.sin(seed + q * 1.3)) };
        const items = { rows: n, cols: f, data: Float32Array.from({ length: n * f }, (_, q) => Math.cos(seed + q * 0.7)) };
        const k = Math.min(3, n);
        const run = (count: number) => {
          const result = { indices: new Int32Array(m * k).fill(-1), scores: new Float64Array(m * k).fill(Number.NaN), counts: new Int32Array(m) };
          expect(topKWithKernels("test", users, items, k, undefined, result, count)).toBe(true);
          return result;
        };
        const one = run(1);
        const many = run(threads);
        expect(Array.from(many.indices)).toEqual(Array.from(one.indices));
        expect(Array.from(many.scores)).toEqual(Array.from(one.scores));
      }),
      { numRuns: 6 },
    );
  });
});
