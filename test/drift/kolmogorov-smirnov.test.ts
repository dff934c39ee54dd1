import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kolmogorovSmirnovTest } from "../../src/drift/index.ts";
import { kolmogorovSurvival } from "../../src/drift/kolmogorov-smirnov.ts";
import { expectError } from "../helpers.ts";

// Reference D: the largest |F_a(x) − F_b(x)| over every observed x, counting by brute force.
function bruteForceD(a: number[], b: number[]): number {
  let d = 0;
  for (const x of [...a, ...b]) {
    const fa = a.filter((v) => v <= x).length / a.length;
    const fb = b.filter((v) => v <= x).length / b.length;
    d = Math.max(d, Math.abs(fa - fb));
  }
  return d;
}

describe("kolmogorovSmirnovTest", () => {
  it("computes D by hand", () => {
    // a = 1 2 3 4, b = 3 4 5 6 7. At x = 1: 1/4 − 0; x = 2: 2/4 − 0; x = 3: 3/4 − 1/5 = 0.55; x = 4: 1 − 2/5 = 0.6;
    // then the gap shrinks: D = 0.6 at x = 4. λ = sqrt(20/9) · 0.6 = 0.894427; Q(λ) = 0.400471.
    const result = kolmogorovSmirnovTest([4, 3, 2, 1], [7, 6, 5, 4, 3]);
    expect(result.statistic).toBeCloseTo(0.6, 15);
    expect(result.at).toBe(4);
    expect(result.pValue).toBeCloseTo(kolmogorovSurvival(Math.sqrt(20 / 9) * 0.6), 15);
    expect(result.pValue).toBeCloseTo(0.400471, 6);
  });

  it("handles ties across the two samples exactly", () => {
    // a = 1 1 2, b = 1 2 2: F_a(1) = 2/3, F_b(1) = 1/3 → D = 1/3 at 1; at 2 both are 1.
    const result = kolmogorovSmirnovTest([1, 1, 2], [1, 2, 2]);
    expect(result.statistic).toBeCloseTo(1 / 3, 15);
    expect(result.at).toBe(1);
  });

  it("matches the Kolmogorov distribution's tabulated tail: Q(1.36) = 0.0494, Q(1.63) = 0.0098 (the 5% and 1% critical values)", () => {
    expect(kolmogorovSurvival(1.3581)).toBeCloseTo(0.05, 4);
    expect(kolmogorovSurvival(1.6276)).toBeCloseTo(0.01, 4);
    expect(kolmogorovSurvival(0)).toBe(1);
    // Both series (theta below λ = 1.18, alternating above) against SciPy's kstwobign.sf.
    expect(kolmogorovSurvival(0.5)).toBeCloseTo(0.9639452436648751, 14);
    expect(kolmogorovSurvival(1)).toBeCloseTo(0.26999967167735456, 14);
    expect(kolmogorovSurvival(1.17)).toBeCloseTo(0.12939004218561884, 14);
    expect(kolmogorovSurvival(1.19)).toBeCloseTo(0.11774229287977166, 14);
    expect(kolmogorovSurvival(2)).toBeCloseTo(0.0006709252557796953, 16);
  });

  it("rejects empty and non-finite samples", () => {
    expectError(() => kolmogorovSmirnovTest([1], []), "E_EMPTY", "kolmogorovSmirnovTest: current must hold at least one value, got 0 values");
    expectError(() => kolmogorovSmirnovTest([Number.NaN], [1]), "E_NON_FINITE", "kolmogorovSmirnovTest: reference[0] must be a finite number, got NaN");
  });

  it("property: D in [0, 1] equals the brute-force sup, 0 (p = 1) for identical samples, symmetric", () => {
    const sample = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const result = kolmogorovSmirnovTest(a, b);
        expect(result.statistic).toBeGreaterThanOrEqual(0);
        expect(result.statistic).toBeLessThanOrEqual(1);
        expect(result.statistic).toBeCloseTo(bruteForceD(a, b), 12);
        expect(result.pValue >= 0 && result.pValue <= 1).toBe(true);
        expect(kolmogorovSmirnovTest(b, a).statistic).toBeCloseTo(result.statistic, 15);
        const same = kolmogorovSmirnovTest(a, [...a].reverse());
        expect(same.statistic).toBe(0);
        expect(same.pValue).toBe(1);
      }),
      { seed: 33, numRuns: 200 },
    );
  });
});
