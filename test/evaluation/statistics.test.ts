import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bootstrapConfidenceInterval, pairedComparison } from "../../src/evaluation/index.ts";
import { logGamma, regularizedIncompleteBeta, studentTCdf, studentTTwoSidedPValue } from "../../src/evaluation/student-t.ts";
import { expectError } from "../helpers.ts";

describe("Student t distribution (internal)", () => {
  it("log-gamma matches exact values", () => {
    // Γ(1/2) = √π, Γ(5) = 24, Γ(101) = 100!, ln 100! = 363.73937555556347 (Stirling series, to 1e-14)
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 10);
  });

  it("the incomplete beta function matches closed forms", () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1 - x)^b
    for (const x of [0.1, 0.37, 0.5, 0.9]) {
      expect(regularizedIncompleteBeta(x, 1, 1)).toBeCloseTo(x, 13);
      expect(regularizedIncompleteBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 13);
      expect(regularizedIncompleteBeta(x, 1, 7)).toBeCloseTo(1 - (1 - x) ** 7, 13);
    }
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });

  it("the t CDF matches the closed forms for 1 and 2 degrees of freedom", () => {
    // ν = 1 (Cauchy): F(t) = 1/2 + atan(t)/π; ν = 2: F(t) = 1/2 + t / (2 √(2 + t²))
    for (const t of [-30, -2.5, -0.3, 0, 0.01, 1, 4, 100]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 13);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 13);
    }
  });

  it("two-sided p-values match the published critical values", () => {
    // 97.5% quantiles of t (R: qt(0.975, df)): df 1 → 12.706204736174698, 10 → 2.228138851986274,
    // 30 → 2.042272456301238; normal limit 1.959963984540054. Each gives a two-sided p of 0.05.
    expect(studentTTwoSidedPValue(12.706204736174698, 1)).toBeCloseTo(0.05, 12);
    expect(studentTTwoSidedPValue(2.228138851986274, 10)).toBeCloseTo(0.05, 12);
    expect(studentTTwoSidedPValue(-2.042272456301238, 30)).toBeCloseTo(0.05, 12);
    expect(studentTTwoSidedPValue(1.959963984540054, 1e6)).toBeCloseTo(0.05, 6);
    // 99.5% quantile at df 5 (R: qt(0.995, 5) = 4.032142983557536): p = 0.01
    expect(studentTTwoSidedPValue(4.032142983557536, 5)).toBeCloseTo(0.01, 12);
    expect(studentTTwoSidedPValue(0, 4)).toBe(1);
    expect(studentTTwoSidedPValue(Infinity, 4)).toBe(0);
  });

  it("the CDF is monotone and symmetric (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 0.5, max: 500, noNaN: true }), (t, step, df) => {
        expect(studentTCdf(t, df) + studentTCdf(-t, df)).toBeCloseTo(1, 12);
        expect(studentTCdf(t + step, df)).toBeGreaterThanOrEqual(studentTCdf(t, df) - 1e-15);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe("bootstrapConfidenceInterval", () => {
  it("returns the mean and a percentile interval around it", () => {
    const ci = bootstrapConfidenceInterval([0.2, 0.4, 0.6, 0.8, 1], { seed: 7 });
    expect(ci.mean).toBeCloseTo(0.6, 15);
    expect(ci.lower).toBeLessThan(0.6);
    expect(ci.upper).toBeGreaterThan(0.6);
    expect(ci).toMatchObject({ confidence: 0.95, resamples: 1000, n: 5, method: "percentile-bootstrap" });
    // The values' standard error is sd/√n = 0.3162/2.236 = 0.1414, and the bootstrap's uses the (n-1)/n-deflated
    // plug-in variance: 0.1414 × √(4/5) = 0.1265; 1,000 resamples estimate it to a few percent.
    expect(ci.standardError).toBeGreaterThan(0.11);
    expect(ci.standardError).toBeLessThan(0.14);
  });

  it("is a point for constant values and for a single value", () => {
    const constant = bootstrapConfidenceInterval([0.1, 0.1, 0.1], { seed: 1, resamples: 50 });
    expect(constant.mean).toBeCloseTo(0.1, 15);
    expect(constant.lower).toBe(constant.mean);
    expect(constant.upper).toBe(constant.mean);
    expect(constant.standardError).toBe(0);
    expect(bootstrapConfidenceInterval([3], { seed: 1 })).toMatchObject({ mean: 3, lower: 3, upper: 3 });
  });

  it("accepts { users, values } and typed arrays", () => {
    const a = bootstrapConfidenceInterval({ users: ["a", "b", "c"], values: [1, 2, 3] }, { seed: 2 });
    const b = bootstrapConfidenceInterval(new Float64Array([1, 2, 3]), { seed: 2 });
    expect(a).toEqual(b);
  });

  it("is reproducible for a seed and differs across seeds", () => {
    const values = Array.from({ length: 50 }, (_, i) => (i * 7919) % 13);
    expect(bootstrapConfidenceInterval(values, { seed: 3 })).toEqual(bootstrapConfidenceInterval(values, { seed: 3 }));
    expect(bootstrapConfidenceInterval(values, { seed: 3 }).lower).not.toBe(bootstrapConfidenceInterval(values, { seed: 4 }).lower);
  });

  it("widens with the confidence", () => {
    const values = Array.from({ length: 40 }, (_, i) => Math.sin(i) + 1);
    const narrow = bootstrapConfidenceInterval(values, { seed: 5, confidence: 0.5 });
    const wide = bootstrapConfidenceInterval(values, { seed: 5, confidence: 0.99 });
    expect(wide.lower).toBeLessThan(narrow.lower);
    expect(wide.upper).toBeGreaterThan(narrow.upper);
  });

  it("rejects bad input", () => {
    expectError(() => bootstrapConfidenceInterval([], { seed: 1 }), "E_EMPTY", "bootstrapConfidenceInterval: values must hold at least one value, got none");
    expectError(() => bootstrapConfidenceInterval([1, Number.NaN], { seed: 1 }), "E_NON_FINITE", "bootstrapConfidenceInterval: values[1] must be a finite number, got NaN");
    expectError(() => bootstrapConfidenceInterval([1], { seed: 1, confidence: 1 }), "E_BAD_INPUT", "options.confidence must be a number in (0, 1), got 1");
    expectError(() => bootstrapConfidenceInterval([1], { seed: 1, resamples: 0 }), "E_BAD_INPUT", "options.resamples must be an integer in [1, 1000000], got 0");
    expectError(() => bootstrapConfidenceInterval([1], {} as { seed: number }), "E_BAD_INPUT", "options.seed must be a finite number or a string");
    expectError(() => bootstrapConfidenceInterval("abc" as unknown as number[], { seed: 1 }), "E_BAD_INPUT", "values must be an array of numbers");
  });

  it("contains the mean (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 60 }), fc.integer(), (values, seed) => {
        const ci = bootstrapConfidenceInterval(values, { seed, resamples: 200 });
        expect(ci.lower).toBeLessThanOrEqual(ci.mean + 1e-12);
        expect(ci.upper).toBeGreaterThanOrEqual(ci.mean - 1e-12);
        expect(ci.lower).toBeGreaterThanOrEqual(Math.min(...values) - 1e-12);
        expect(ci.upper).toBeLessThanOrEqual(Math.max(...values) + 1e-12);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it("narrows as n grows (property: 16 times the users, about a quarter of the width)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 20 }), fc.integer(), (base, seed) => {
        fc.pre(Math.max(...base) - Math.min(...base) > 0.2);
        // The same distribution of values, repeated 16 times: the width scales by 1/√16.
        const large = Array.from({ length: 16 }, () => base).flat();
        const small = bootstrapConfidenceInterval(base, { seed, resamples: 400 });
        const big = bootstrapConfidenceInterval(large, { seed, resamples: 400 });
        const ratio = (big.upper - big.lower) / (small.upper - small.lower);
        expect(ratio).toBeLessThan(0.4);
        expect(ratio).toBeGreaterThan(0.15);
      }),
      { seed: 42, numRuns: 40 },
    );
  });
});

describe("pairedComparison", () => {
  it("aligns by user id and runs a paired t-test (hand-computed)", () => {
    // Paired values: u1 (0.5, 0.5), u2 (0.75, 0.5), u3 (0.25, 0.25), u4 (1, 0.75); u5 only in a, u6 only in b.
    // Differences 0, 0.25, 0, 0.25: mean 0.125, sample sd 0.144338, t = 0.125 / (0.144338 / 2) = 1.732051 = √3,
    // df 3. Two-sided p for t = √3 at df 3: 0.181690 (R: 2 * pt(-sqrt(3), 3)).
    const a = { users: ["u1", "u2", "u3", "u4", "u5"], values: [0.5, 0.75, 0.25, 1, 0.9] };
    const b = { users: ["u6", "u4", "u3", "u2", "u1"], values: [0.1, 0.75, 0.25, 0.5, 0.5] };
    const result = pairedComparison(a, b, { seed: 1 });
    expect(result).toMatchObject({ n: 4, onlyInA: 1, onlyInB: 1, meanA: 0.625, meanB: 0.5, meanDifference: 0.125 });
    expect(result.test.name).toBe("paired-t");
    expect(result.test.degreesOfFreedom).toBe(3);
    expect(result.test.statistic).toBeCloseTo(Math.sqrt(3), 12);
    expect(result.test.pValue).toBeCloseTo(0.18169011381620928, 10);
    expect(result.interval.lower).toBeGreaterThanOrEqual(0);
    expect(result.interval.upper).toBeLessThanOrEqual(0.25);
  });

  it("aligns plain arrays by position", () => {
    const result = pairedComparison([1, 2, 3], [1, 1, 1], { seed: 1 });
    expect(result.meanDifference).toBe(1);
    expect(result.n).toBe(3);
  });

  it("the sign-flip test gives a small p-value for a consistent difference and a large one for noise", () => {
    const users = Array.from({ length: 30 }, (_, i) => `u${i}`);
    const base = users.map((_, i) => (i % 7) / 7);
    const better = base.map((v) => v + 0.05);
    const strong = pairedComparison({ users, values: better }, { users, values: base }, { seed: 3, test: "sign-flip" });
    // Every difference is +0.05: only the all-positive and all-negative flips are as extreme, p ≈ 2^-29.
    expect(strong.test).toMatchObject({ name: "sign-flip", degreesOfFreedom: null, pValue: 1 / 1001 });
    expect(strong.test.statistic).toBeCloseTo(0.05, 12);
    const noisy = base.map((v, i) => v + (i % 2 === 0 ? 0.05 : -0.05));
    const weak = pairedComparison({ users, values: noisy }, { users, values: base }, { seed: 3, test: "sign-flip" });
    expect(weak.test.pValue).toBeGreaterThan(0.5);
  });

  it("a model compared with itself has zero difference and p = 1 (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.oneof(fc.string(), fc.integer()), { minLength: 1, maxLength: 25 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        fc.constantFrom<"paired-t" | "sign-flip">("paired-t", "sign-flip"),
        (users, stream, test) => {
          const values = users.map(() => stream.next().value);
          const result = pairedComparison({ users, values }, { users: [...users].reverse(), values: [...values].reverse() }, { seed: 1, test, resamples: 100 });
          expect(result.meanDifference).toBe(0);
          expect(result.interval.lower).toBe(0);
          expect(result.interval.upper).toBe(0);
          if (test === "sign-flip") expect(result.test.pValue).toBe(1);
          else if (users.length > 1) expect(result.test).toMatchObject({ statistic: 0, pValue: 1 });
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  it("swapping a and b negates the difference and keeps the p-value (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 3, maxLength: 30 }), (pairs) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        const ab = pairedComparison(a, b, { seed: 1, resamples: 50 });
        const ba = pairedComparison(b, a, { seed: 1, resamples: 50 });
        expect(ba.meanDifference).toBeCloseTo(-ab.meanDifference, 12);
        if (Number.isFinite(ab.test.pValue)) expect(ba.test.pValue).toBeCloseTo(ab.test.pValue, 10);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("reports NaN for a single pair and infinite t for equal non-zero differences", () => {
    expect(pairedComparison([1], [0], { seed: 1 }).test).toMatchObject({ statistic: Number.NaN, pValue: Number.NaN, degreesOfFreedom: 0 });
    expect(pairedComparison([1, 2], [0, 1], { seed: 1 }).test).toMatchObject({ statistic: Infinity, pValue: 0 });
  });

  it("rejects bad input", () => {
    const a = { users: ["x", "y"], values: [1, 2] };
    expectError(() => pairedComparison(a, { users: ["z"], values: [1] }, { seed: 1 }), "E_EMPTY", "pairedComparison: a and b must share at least one user, got none in common");
    expectError(() => pairedComparison(a, [1, 2], { seed: 1 }), "E_BAD_INPUT", "a and b must both be { users, values }");
    expectError(() => pairedComparison([1, 2], [1], { seed: 1 }), "E_SHAPE", "pairedComparison: b must have the length of a (2) when both are arrays, got length 1");
    expectError(() => pairedComparison({ users: ["x", "x"], values: [1, 2] }, a, { seed: 1 }), "E_DUPLICATE", 'pairedComparison: a.users must be unique, got "x" again at position 1');
    expectError(() => pairedComparison({ users: ["x"], values: [1, 2] }, a, { seed: 1 }), "E_SHAPE", "a.values must have one value per user (1), got length 2");
    expectError(() => pairedComparison(a, { users: ["x", "y"], values: [1, Infinity] }, { seed: 1 }), "E_NON_FINITE", "b.values[1] must be a finite number, got Infinity");
    expectError(() => pairedComparison(a, a, { seed: 1, test: "wilcoxon" as "paired-t" }), "E_BAD_INPUT", 'options.test must be one of "paired-t", "sign-flip"');
    expectError(() => pairedComparison(a, a, undefined as unknown as { seed: number }), "E_BAD_INPUT", "pairedComparison: options must be an object with a seed");
  });
});
