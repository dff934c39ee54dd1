import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  categoricalStabilityIndex,
  populationStabilityIndex,
  populationStabilityIndexFromCounts,
  stabilitySeverity,
} from "../../src/drift/index.ts";
import { expectError } from "../helpers.ts";

describe("populationStabilityIndexFromCounts", () => {
  it("computes the PSI of two small histograms by hand", () => {
    // reference shares 0.1 0.2 0.3 0.4, current 0.2 0.2 0.3 0.3:
    // (0.2 − 0.1) ln 2 + 0 + 0 + (0.3 − 0.4) ln(0.75) = 0.0693147 + 0.0287682 = 0.0980829
    const result = populationStabilityIndexFromCounts([10, 20, 30, 40], [20, 20, 30, 30]);
    expect(result.value).toBeCloseTo(0.1 * Math.log(2) + 0.1 * Math.log(4 / 3), 15);
    expect(Array.from(result.contributions).map((c) => Number(c.toFixed(7)))).toEqual([0.0693147, 0, 0, 0.0287682]);
    expect(result.severity).toBe("stable");
  });

  it("replaces an empty bin's share with epsilon", () => {
    // reference 50/50/0, current 40/40/20; bin 3: (0.2 − 0.001) ln(0.2 / 0.001)
    const result = populationStabilityIndexFromCounts([5, 5, 0], [4, 4, 2], { epsilon: 0.001 });
    const expected = 2 * (0.4 - 0.5) * Math.log(0.4 / 0.5) + (0.2 - 0.001) * Math.log(0.2 / 0.001);
    expect(result.value).toBeCloseTo(expected, 14);
    expect(result.referenceShares[2]).toBe(0.001);
    expect(result.severity).toBe("significant");
  });

  it("rejects mismatched, negative and empty histograms", () => {
    expectError(() => populationStabilityIndexFromCounts([1, 2], [1]), "E_SHAPE", "currentCounts must have length 2, got length 1");
    expectError(() => populationStabilityIndexFromCounts([1, -2], [1, 1]), "E_BAD_INPUT", "referenceCounts[1] must be a finite count >= 0, got -2");
    expectError(() => populationStabilityIndexFromCounts([0, 0], [1, 1]), "E_EMPTY", "referenceCounts must hold a positive total count, got 0");
    expectError(() => populationStabilityIndexFromCounts([1], [1], { epsilon: 0 }), "E_BAD_INPUT", "options.epsilon must be a number in (0, 1), got 0");
  });
});

describe("stabilitySeverity", () => {
  it("applies the documented thresholds: < 0.1 stable, 0.1–0.25 moderate, > 0.25 significant", () => {
    expect([0, 0.0999, 0.1, 0.2, 0.25, 0.2501, 3].map((psi) => stabilitySeverity(psi))).toEqual([
      "stable", "stable", "moderate", "moderate", "moderate", "significant", "significant",
    ]);
    expect(stabilitySeverity(0.15, { moderate: 0.2 })).toBe("stable");
    expectError(() => stabilitySeverity(0.1, { moderate: 0.3, significant: 0.2 }), "E_BAD_INPUT", "options.thresholds.significant must be a finite number >= thresholds.moderate (0.3), got 0.2");
    expectError(() => stabilitySeverity(-1), "E_BAD_INPUT", "stabilitySeverity: psi must be a finite number >= 0, got -1");
  });
});

describe("populationStabilityIndex", () => {
  it("puts the bin edges at reference quantiles and counts current values outside the reference range", () => {
    const reference = Array.from({ length: 100 }, (_, i) => i); // 0..99
    const result = populationStabilityIndex(reference, [-5, 50, 150, 200], { bins: 4 });
    expect(Array.from(result.edges)).toEqual([25, 50, 75]);
    expect(Array.from(result.referenceShares)).toEqual([0.25, 0.25, 0.25, 0.25]);
    // −5 → bin 0; 50 → bin 2 (edges 25 and 50 are <= 50); 150, 200 → bin 3; bin 1 is empty → epsilon
    expect(Array.from(result.currentShares)).toEqual([0.25, 1e-4, 0.25, 0.5]);
  });

  it("merges tied quantile edges (a discrete feature gets fewer bins)", () => {
    const result = populationStabilityIndex([1, 1, 1, 1, 1, 1, 2, 2, 3, 3], [1, 2, 3], { bins: 10 });
    expect(Array.from(result.edges)).toEqual([2, 3]);
  });

  it("detects a shift of one standard deviation as significant", () => {
    const reference = Array.from({ length: 2000 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
    const current = reference.map((v) => v + 0.6);
    expect(populationStabilityIndex(reference, current).severity).toBe("significant");
  });

  it("rejects empty windows and non-finite values naming the index", () => {
    expectError(() => populationStabilityIndex([], [1]), "E_EMPTY", "populationStabilityIndex: reference must hold at least one value, got 0 values");
    expectError(() => populationStabilityIndex([1, 2], [1, Number.POSITIVE_INFINITY]), "E_NON_FINITE", "current[1] must be a finite number, got Infinity");
    expectError(() => populationStabilityIndex([1, 2], [1], { bins: 1 }), "E_BAD_INPUT", "options.bins must be an integer in [2, 1000], got 1");
  });

  it("property: PSI >= 0, 0 for identical samples, and contributions sum to the value", () => {
    const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(sample, sample, fc.integer({ min: 2, max: 20 }), (reference, current, bins) => {
        const result = populationStabilityIndex(reference, current, { bins });
        expect(result.value).toBeGreaterThanOrEqual(0);
        let sum = 0;
        for (const c of result.contributions) {
          expect(c).toBeGreaterThanOrEqual(0);
          sum += c;
        }
        expect(sum).toBeCloseTo(result.value, 10);
        expect(populationStabilityIndex(reference, reference, { bins }).value).toBe(0);
        expect(populationStabilityIndex(reference, [...reference].reverse(), { bins }).value).toBe(0);
      }),
      { seed: 31, numRuns: 200 },
    );
  });
});

describe("categoricalStabilityIndex", () => {
  it("compares category shares, with epsilon for new and vanished categories", () => {
    // reference a 0.5, b 0.5; current a 0.5, c 0.5 → (1e-4 − 0.5) ln(1e-4 / 0.5) + (0.5 − 1e-4) ln(0.5 / 1e-4)
    const result = categoricalStabilityIndex(["a", "b", "a", "b", null], ["a", "c"]);
    expect(result.categories).toEqual(["a", "b", "c"]);
    expect(result.value).toBeCloseTo(2 * (0.5 - 1e-4) * Math.log(0.5 / 1e-4), 12);
    expect(categoricalStabilityIndex(["__proto__", "constructor"], ["constructor", "__proto__"]).value).toBe(0);
  });

  it("rejects objects as categories and all-missing windows", () => {
    expectError(() => categoricalStabilityIndex(["a", {}], ["a"]), "E_BAD_INPUT", "categoricalStabilityIndex: reference[1] must be a string, number or boolean, got an object");
    expectError(() => categoricalStabilityIndex(["a"], [null, undefined]), "E_EMPTY", "current must hold at least one non-missing value, got none");
  });

  it("property: PSI >= 0 and 0 for the same shares in any order", () => {
    const sample = fc.array(fc.constantFrom("smb", "mid", "ent", "__proto__"), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(sample, sample, (reference, current) => {
        expect(categoricalStabilityIndex(reference, current).value).toBeGreaterThanOrEqual(0);
        expect(categoricalStabilityIndex(reference, [...reference].reverse()).value).toBe(0);
      }),
      { seed: 32, numRuns: 200 },
    );
  });
});
