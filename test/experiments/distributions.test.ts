import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  normalCdf,
  normalQuantile,
  normalTwoSidedPValue,
  studentTCdf,
  studentTQuantile,
  studentTTwoSided,
} from "../../src/experiments/distributions.ts";

describe("normal distribution", () => {
  it("matches published values of Φ (Abramowitz & Stegun Table 26.1; tail values from R pnorm)", () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 15);
    // R: pnorm(-5) = 2.866516e-07, pnorm(-10) = 7.619853e-24 (relative accuracy in the far tail)
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 12);
    expect(normalCdf(-10) / 7.61985302416047e-24).toBeCloseTo(1, 12);
    expect(normalTwoSidedPValue(1.959963984540054)).toBeCloseTo(0.05, 14);
  });

  it("quantile: the textbook critical values z(0.975) = 1.959964, z(0.8) = 0.841621, z(0.001) = −3.090232", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 13);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });

  it("property: Φ(Φ⁻¹(p)) = p", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), (p) => {
        expect(Math.abs(normalCdf(normalQuantile(p)) - p)).toBeLessThan(1e-13 + 1e-11 * p);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe("Student t distribution", () => {
  it("quantile matches the t table: t(0.975, 1) = 12.7062, t(0.975, 10) = 2.2281, t(0.995, 3) = 5.8409", () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736174694, 9);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 11);
    expect(studentTQuantile(0.995, 3)).toBeCloseTo(5.840909309733355, 10);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228138851986274, 11);
    expect(studentTQuantile(0.975, Number.POSITIVE_INFINITY)).toBeCloseTo(1.959963984540054, 13);
  });

  it("CDF of t with 1 degree of freedom is the Cauchy CDF 1/2 + atan(t)/π", () => {
    for (const t of [-20, -1, 0, 0.5, 3]) expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 13);
    expect(studentTTwoSided(0, 5)).toBe(1);
  });

  it("property: the quantile inverts the CDF for any p and df", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.5, max: 5000, noNaN: true }), (p, df) => {
        expect(Math.abs(studentTCdf(studentTQuantile(p, df), df) - p)).toBeLessThan(1e-10);
      }),
      { seed: 8, numRuns: 150 },
    );
  });
});
