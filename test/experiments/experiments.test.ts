import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareMeans,
  compareProportions,
  powerForMeans,
  powerForProportions,
  sampleSizeForMeans,
  sampleSizeForProportions,
  summarizeSample,
} from "../../src/experiments/index.ts";
import { expectError } from "../helpers.ts";

describe("compareProportions", () => {
  it("reproduces the aspirin 2×2 table (Agresti 2013, §2.2; R prop.test(c(189, 104), c(11034, 11037), correct = FALSE))", () => {
    // Physicians' Health Study: myocardial infarction on placebo 189/11034, on aspirin 104/11037.
    // Agresti: difference 0.0077 with 95% CI (0.005, 0.011); relative risk 1.82 with 95% CI (1.43, 2.31);
    // Pearson X² = 25.01 (R prop.test: X-squared = 25.014, p-value = 5.692e-07).
    const result = compareProportions({ successes: 104, trials: 11037 }, { successes: 189, trials: 11034 });
    expect(result.controlRate).toBeCloseTo(104 / 11037, 15);
    expect(result.difference).toBeCloseTo(0.0077060, 6);
    expect(result.differenceInterval.lower).toBeCloseTo(0.004688, 5);
    expect(result.differenceInterval.upper).toBeCloseTo(0.010724, 5);
    expect(result.zStatistic ** 2).toBeCloseTo(25.014, 2);
    expect(result.pValue).toBeCloseTo(5.692e-7, 9);
    expect(1 + result.relativeLift).toBeCloseTo(1.818, 3);
    expect(1 + result.relativeLiftInterval.lower).toBeCloseTo(1.433, 3);
    expect(1 + result.relativeLiftInterval.upper).toBeCloseTo(2.306, 3);
  });

  it("computes a small table by hand: 30/100 vs 45/100", () => {
    // pooled p = 0.375, SE0 = sqrt(0.375·0.625·0.02) = 0.0684653; z = 0.15 / 0.0684653 = 2.19089
    // unpooled SE = sqrt(0.3·0.7/100 + 0.45·0.55/100) = 0.0676018
    const result = compareProportions({ successes: 30, trials: 100 }, { successes: 45, trials: 100 });
    expect(result.zStatistic).toBeCloseTo(0.15 / Math.sqrt(0.375 * 0.625 * 0.02), 12);
    expect(result.standardError).toBeCloseTo(Math.sqrt(0.0021 + 0.002475), 12);
    expect(result.relativeLift).toBeCloseTo(0.5, 12);
    expect(result.pValue).toBeCloseTo(0.028459, 5); // 2·(1 − Φ(2.19089))
  });

  it("gives p = 1 and NaN lift bounds when both arms have rate 0", () => {
    const result = compareProportions({ successes: 0, trials: 50 }, { successes: 0, trials: 60 });
    expect(result.pValue).toBe(1);
    expect(result.relativeLift).toBeNaN();
    expect(result.relativeLiftInterval.lower).toBeNaN();
  });

  it("rejects bad counts and confidence levels", () => {
    expectError(() => compareProportions({ successes: 1, trials: 0 }, { successes: 1, trials: 2 }), "E_BAD_INPUT", "compareProportions: control.trials must be an integer >= 1, got 0");
    expectError(() => compareProportions({ successes: 1, trials: 2 }, { successes: 1.5, trials: 2 }), "E_BAD_INPUT", "treatment.successes must be an integer in [0, 2], got 1.5");
    expectError(() => compareProportions({ successes: 1, trials: 2 }, { successes: 1, trials: 2 }, { confidence: 1 }), "E_BAD_INPUT", "options.confidence must be a number in (0, 1), got 1");
  });

  it("property: the difference interval narrows as both arms grow at the same rates", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 2, max: 50 }), (a, b, factor) => {
        const small = compareProportions({ successes: a, trials: 100 }, { successes: b, trials: 100 });
        const large = compareProportions({ successes: a * factor, trials: 100 * factor }, { successes: b * factor, trials: 100 * factor });
        const width = (r: typeof small): number => r.differenceInterval.upper - r.differenceInterval.lower;
        expect(width(large)).toBeLessThan(width(small));
        expect(width(large) / width(small)).toBeCloseTo(1 / Math.sqrt(factor), 10);
        expect(large.relativeLiftInterval.upper - large.relativeLiftInterval.lower).toBeLessThan(small.relativeLiftInterval.upper - small.relativeLiftInterval.lower);
        expect(small.pValue >= 0 && small.pValue <= 1).toBe(true);
        expect(small.differenceInterval.lower <= small.difference && small.difference <= small.differenceInterval.upper).toBe(true);
      }),
      { seed: 21, numRuns: 200 },
    );
  });
});

describe("compareMeans", () => {
  it("two constant arms with different means give p = 0, equal ones p = 1 (regression: p was NaN)", () => {
    const apart = compareMeans([1, 1, 1], [2, 2, 2]);
    expect(apart.pValue).toBe(0);
    expect(apart.tStatistic).toBe(Number.POSITIVE_INFINITY);
    expect(apart.differenceInterval).toEqual({ lower: 1, upper: 1 });
    expect(compareMeans([2, 2], [2, 2, 2]).pValue).toBe(1);
  });

  // R's sleep data: extra hours of sleep under drug 1 and drug 2 (Cushny & Peebles 1905).
  const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
  const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

  it("reproduces R's Welch test: t.test(extra ~ group, data = sleep)", () => {
    // R: t = -1.8608, df = 17.776, p-value = 0.07939; 95 percent CI -3.3654832 0.2054832; means 0.75 and 2.33.
    const result = compareMeans(drug2, drug1);
    expect(result.tStatistic).toBeCloseTo(-1.8608, 4);
    expect(result.degreesOfFreedom).toBeCloseTo(17.776, 3);
    expect(result.pValue).toBeCloseTo(0.07939, 5);
    expect(result.differenceInterval.lower).toBeCloseTo(-3.3654832, 6);
    expect(result.differenceInterval.upper).toBeCloseTo(0.2054832, 6);
  });

  it("computes Welch's t and df by hand from summaries", () => {
    // v1 = 4/10 = 0.4, v2 = 9/20 = 0.45; SE = sqrt(0.85); t = 1 / sqrt(0.85) = 1.084652
    // df = 0.85² / (0.4²/9 + 0.45²/19) = 0.7225 / (0.0177778 + 0.0106579) = 25.4085
    const result = compareMeans({ mean: 10, standardDeviation: 2, count: 10 }, { mean: 11, standardDeviation: 3, count: 20 });
    expect(result.tStatistic).toBeCloseTo(1 / Math.sqrt(0.85), 12);
    expect(result.degreesOfFreedom).toBeCloseTo(0.7225 / (0.16 / 9 + 0.2025 / 19), 10);
    expect(result.relativeLift).toBeCloseTo(0.1, 12);
  });

  it("works the LinkedIn-shaped renewal-bookings test: +8.08% lift, significant, lift interval above 0", () => {
    // The shape of LinkedIn's Account Prioritizer A/B test (renewal bookings +8.08%); illustrative numbers.
    const result = compareMeans({ mean: 50000, standardDeviation: 60000, count: 4000 }, { mean: 54040, standardDeviation: 62000, count: 4000 });
    expect(result.relativeLift).toBeCloseTo(0.0808, 12);
    // t = 4040 / sqrt(60000²/4000 + 62000²/4000) = 4040 / 1364.185 = 2.9615
    expect(result.tStatistic).toBeCloseTo(4040 / Math.sqrt(900000 + 961000), 10);
    expect(result.pValue).toBeLessThan(0.01);
    expect(result.relativeLiftInterval.lower).toBeGreaterThan(0);
    expect(result.relativeLiftInterval.lower).toBeLessThan(0.0808);
    expect(result.relativeLiftInterval.upper).toBeGreaterThan(0.0808);
  });

  it("summarizes raw values with the n − 1 standard deviation", () => {
    expect(summarizeSample(Float64Array.from([1, 2, 3, 4]))).toEqual({ mean: 2.5, standardDeviation: Math.sqrt(5 / 3), count: 4 });
    expectError(() => summarizeSample([1, Number.NaN]), "E_NON_FINITE", "summarizeSample: values[1] must be a finite number, got NaN");
    expectError(() => compareMeans({ mean: 1, standardDeviation: -1, count: 5 }, [1, 2]), "E_BAD_INPUT", "compareMeans: control.standardDeviation must be a finite number >= 0, got -1");
  });

  it("property: the interval narrows with n and always holds the difference", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.double({ min: 0.1, max: 500, noNaN: true }),
        fc.integer({ min: 2, max: 200 }),
        fc.integer({ min: 2, max: 10 }),
        (a, b, sd, n, factor) => {
          const small = compareMeans({ mean: a, standardDeviation: sd, count: n }, { mean: b, standardDeviation: sd, count: n });
          const large = compareMeans({ mean: a, standardDeviation: sd, count: n * factor }, { mean: b, standardDeviation: sd, count: n * factor });
          expect(large.differenceInterval.upper - large.differenceInterval.lower).toBeLessThan(small.differenceInterval.upper - small.differenceInterval.lower);
          expect(small.differenceInterval.lower).toBeLessThanOrEqual(small.difference);
          expect(small.differenceInterval.upper).toBeGreaterThanOrEqual(small.difference);
          expect(small.pValue >= 0 && small.pValue <= 1).toBe(true);
        },
      ),
      { seed: 22, numRuns: 200 },
    );
  });
});

describe("sample size and power", () => {
  it("matches R's power.prop.test(p1 = .50, p2 = .75, power = .90): n = 76.7 per group", () => {
    const size = sampleSizeForProportions({ baseline: 0.5, treatment: 0.75 }, { power: 0.9 });
    expect(size.exactControl).toBeCloseTo(76.7, 1);
    expect(size.control).toBe(77);
    expect(size.total).toBe(154);
  });

  it("matches R's power.t.test within its noncentral-t answer: n = 22.02 for δ = σ = 1 at 90%, power 0.869 at n = 20", () => {
    expect(sampleSizeForMeans({ difference: 1, standardDeviation: 1 }, { power: 0.9 }).exactControl).toBeCloseTo(22.02, 1);
    expect(powerForMeans({ difference: 1, standardDeviation: 1 }, { controlSize: 20 })).toBeCloseTo(0.8689528, 3);
  });

  it("unequal allocation: ratio 2 needs fewer control units, more in total", () => {
    const even = sampleSizeForProportions({ baseline: 0.2, treatment: 0.25 });
    const skewed = sampleSizeForProportions({ baseline: 0.2, treatment: 0.25, ratio: 2 });
    expect(skewed.control).toBeLessThan(even.control);
    expect(skewed.total).toBeGreaterThan(even.total);
    expect(skewed.treatment).toBe(Math.ceil(skewed.exactControl * 2 - 1e-9));
  });

  it("rejects impossible designs", () => {
    expectError(() => sampleSizeForProportions({ baseline: 0.3, treatment: 0.3 }), "E_BAD_INPUT", "sampleSizeForProportions: design.treatment must differ from design.baseline, got 0.3 for both");
    expectError(() => sampleSizeForMeans({ difference: 0, standardDeviation: 1 }), "E_BAD_INPUT", "design.difference must be a finite non-zero number, got 0");
    expectError(() => powerForMeans({ difference: 1, standardDeviation: 1 }, { controlSize: 1 }), "E_BAD_INPUT", "options.controlSize must be a finite number > 1, got 1");
    expectError(() => sampleSizeForProportions({ baseline: 0.3, treatment: 0.4 }, { power: 1.2 }), "E_BAD_INPUT", "options.power must be a number in (0, 1), got 1.2");
  });

  it("property: the power at the computed size is the requested power, and power grows with n", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.02, max: 0.9, noNaN: true }),
        fc.double({ min: 0.01, max: 0.08, noNaN: true }),
        fc.double({ min: 0.5, max: 0.95, noNaN: true }),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        (baseline, change, power, ratio) => {
          const design = { baseline, treatment: baseline + change, ratio };
          const size = sampleSizeForProportions(design, { power });
          expect(powerForProportions(design, { controlSize: size.exactControl })).toBeCloseTo(power, 9);
          expect(powerForProportions(design, { controlSize: size.exactControl * 2 })).toBeGreaterThan(power);
          const meanDesign = { difference: change * 100, standardDeviation: 10, ratio };
          const meanSize = sampleSizeForMeans(meanDesign, { power });
          expect(powerForMeans(meanDesign, { controlSize: meanSize.exactControl })).toBeCloseTo(power, 6);
        },
      ),
      { seed: 23, numRuns: 80 },
    );
  });
});
