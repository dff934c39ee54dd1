import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { axpy, axpyInto, cosineSimilarity, dot, norm, scale } from "../../src/linalg/index.ts";
import { expectError } from "./helpers.ts";

const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 });
const pair = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.tuple(fc.array(finite, { minLength: n, maxLength: n }), fc.array(finite, { minLength: n, maxLength: n })),
);

describe("dot", () => {
  it("dot of [1,2,3] and [4,5,6] is 32 for arrays, Float64Array and Float32Array", () => {
    expect(dot([1, 2, 3], [4, 5, 6])).toBe(32);
    expect(dot(new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6]))).toBe(32);
    expect(dot(new Float32Array([1, 2, 3]), new Float32Array([4, 5, 6]))).toBe(32);
    expect(dot(new Float32Array([1, 2, 3]), [4, 5, 6])).toBe(32);
  });
  it("dot of two empty vectors is 0", () => {
    expect(dot([], [])).toBe(0);
  });
  it("dot matches a plain loop on odd lengths (unrolled tail)", () => {
    const a = Float64Array.from({ length: 13 }, (_, i) => i - 6);
    const b = Float64Array.from({ length: 13 }, (_, i) => 2 * i + 1);
    let s = 0;
    for (let i = 0; i < 13; i++) s += a[i]! * b[i]!;
    expect(dot(a, b)).toBe(s);
  });
  it("dot accumulates float32 inputs in float64", () => {
    const a = new Float32Array(4).fill(16777216); // 2^24: float32 cannot add 1 to it
    const b = new Float32Array([1, 1, 1, 1]);
    const c = new Float32Array([1, 0, 0, 0]);
    expect(dot(a, b) + dot(c, c)).toBe(4 * 16777216 + 1);
  });
  it("dot rejects different lengths with E_SHAPE and non-finite entries with E_NON_FINITE naming the index", () => {
    expectError(() => dot([1, 2], [1]), "E_SHAPE", "dot: b must have the length of a (2), got length 1");
    expectError(() => dot([1, Number.NaN], [1, 2]), "E_NON_FINITE", "dot: a[1] must be a finite number, got NaN");
    expectError(() => dot([1, 2], [Number.POSITIVE_INFINITY, 2]), "E_NON_FINITE", "b[0]");
    expectError(() => dot("ab" as unknown as number[], [1, 2]), "E_BAD_INPUT", "dot: a must be an array");
  });
});

describe("norm", () => {
  it("norm of [3, 4] is 5 and of zeros is 0", () => {
    expect(norm([3, 4])).toBe(5);
    expect(norm(new Float32Array(3))).toBe(0);
    expect(norm([])).toBe(0);
  });
  it("norm rescales instead of overflowing or underflowing", () => {
    expect(norm([3e200, 4e200])).toBeCloseTo(5e200, -186);
    expect(norm([3e-200, 4e-200]) / 5e-200).toBeCloseTo(1, 12);
  });
  it("norm rejects NaN with E_NON_FINITE", () => {
    expectError(() => norm([0, Number.NaN]), "E_NON_FINITE", "norm: a[1]");
  });
});

describe("cosineSimilarity", () => {
  it("cosineSimilarity is 1 for parallel, -1 for opposite, 0 for orthogonal vectors", () => {
    expect(cosineSimilarity([1, 2], [2, 4])).toBe(1);
    expect(cosineSimilarity([1, 1], [-1, -1])).toBe(-1);
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity(new Float32Array([1, 0, 1]), new Float32Array([1, 0, 0]))).toBeCloseTo(Math.SQRT1_2, 12);
  });
  it("cosineSimilarity is 0 when either vector is all zero", () => {
    expect(cosineSimilarity([0, 0], [3, 4])).toBe(0);
    expect(cosineSimilarity([3, 4], [0, 0])).toBe(0);
    expect(cosineSimilarity([], [])).toBe(0);
  });
  it("cosineSimilarity of a vector with itself is 1 even at extreme magnitudes", () => {
    expect(cosineSimilarity([1e300, 1e300], [1e300, 1e300])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1e-300, 2e-300], [2e-300, 4e-300])).toBeCloseTo(1, 12);
  });
  it("cosineSimilarity rejects mismatched lengths and NaN", () => {
    expectError(() => cosineSimilarity([1], [1, 2]), "E_SHAPE");
    expectError(() => cosineSimilarity([1, 2], [Number.NaN, 2]), "E_NON_FINITE", "cosineSimilarity: b[0]");
  });
  it("cosineSimilarity is in [-1, 1] and symmetric (property)", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const ab = cosineSimilarity(a, b);
        const ba = cosineSimilarity(b, a);
        return ab >= -1 && ab <= 1 && ab === ba;
      }),
      { seed: 42, numRuns: 200 },
    );
  });
  it("cosineSimilarity of a non-zero vector with a positive multiple of itself is 1 (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (a, c) => {
          const b = a.map((v) => v * c);
          fc.pre(a.some((v) => Math.abs(v) > 1e-300) && b.some((v) => Math.abs(v) > 1e-300));
          return Math.abs(cosineSimilarity(a, b) - 1) < 1e-9;
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("axpy, axpyInto and scale", () => {
  it("axpy returns a new alpha·x + y and leaves its inputs alone", () => {
    const x = [1, 2];
    const y = new Float64Array([10, 20]);
    expect(Array.from(axpy(2, x, y))).toEqual([12, 24]);
    expect(Array.from(y)).toEqual([10, 20]);
  });
  it("axpyInto writes alpha·x + y into y and returns y, for float64 and float32 buffers", () => {
    const y = new Float64Array([1, 1]);
    expect(axpyInto(3, [1, 2], y)).toBe(y);
    expect(Array.from(y)).toEqual([4, 7]);
    const y32 = new Float32Array([1, 1]);
    axpyInto(0.5, new Float32Array([2, 4]), y32);
    expect(Array.from(y32)).toEqual([2, 3]);
  });
  it("axpyInto leaves y unchanged when it rejects its input", () => {
    const y = new Float64Array([1, 1]);
    expectError(() => axpyInto(1, [1, Number.NaN], y), "E_NON_FINITE", "axpyInto: x[1]");
    expect(Array.from(y)).toEqual([1, 1]);
    expectError(() => axpyInto(1, [1], y), "E_SHAPE");
    expectError(() => axpyInto(1, [1, 2], [0, 0] as unknown as Float64Array), "E_BAD_INPUT", "y must be a Float64Array");
    expectError(() => axpyInto(Number.NaN, [1, 2], y), "E_NON_FINITE", "alpha");
  });
  it("scale returns a new alpha·x", () => {
    const x = new Float32Array([2, -4]);
    expect(Array.from(scale(0.5, x))).toEqual([1, -2]);
    expect(Array.from(x)).toEqual([2, -4]);
    expectError(() => scale(Number.POSITIVE_INFINITY, [1]), "E_NON_FINITE");
  });
});
