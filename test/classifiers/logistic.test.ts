import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { denseFromRows, denseMatrix } from "../../src/linalg/index.ts";
import {
  fitLogisticRegression,
  logisticAttributions,
  logisticLogOdds,
  logisticRegressionFromJSON,
  logisticRegressionToJSON,
  predictLogisticRegression,
} from "../../src/classifiers/index.ts";
import { expectError } from "../helpers.ts";

// A 2 × 2 table: x = 0 has 1 positive in 4 rows, x = 1 has 3 in 4. Without a penalty the MLE reproduces the cell
// rates: intercept = logit(1/4) = ln(1/3), coefficient = logit(3/4) − logit(1/4) = 2 ln 3.
const table = denseFromRows([[0], [0], [0], [0], [1], [1], [1], [1]]);
const tableLabels = [1, 0, 0, 0, 1, 1, 1, 0];

describe("fitLogisticRegression by hand", () => {
  it("reproduces the maximum-likelihood fit of a 2 × 2 table", () => {
    const model = fitLogisticRegression(table, tableLabels, { l2: 0 });
    expect(model.intercept).toBeCloseTo(Math.log(1 / 3), 10);
    expect(model.coefficients[0]).toBeCloseTo(2 * Math.log(3), 10);
    const p = predictLogisticRegression(model, denseFromRows([[0], [1]]));
    expect(p[0]).toBeCloseTo(0.25, 10);
    expect(p[1]).toBeCloseTo(0.75, 10);
  });

  it("balanced class weights move the intercept toward the rare class", () => {
    const labels = [0, 0, 0, 0, 0, 0, 1, 1];
    const x = denseFromRows([[0], [0], [0], [1], [1], [1], [0], [1]]);
    const plain = fitLogisticRegression(x, labels, { l2: 0 });
    const balanced = fitLogisticRegression(x, labels, { l2: 0, classWeights: "balanced" });
    // Each x cell has 3 negatives and 1 positive; balanced weights 8/12 and 8/4 make the odds 3 × (2 / (2/3))⁻¹ = 1.
    expect(plain.intercept).toBeCloseTo(Math.log(1 / 3), 8);
    expect(balanced.intercept).toBeCloseTo(0, 8);
    expect(balanced.coefficients[0]).toBeCloseTo(0, 8);
  });

  it("a penalty shrinks the coefficient; a constant column gets 0; names are kept", () => {
    const x = denseFromRows(tableLabels.map((_, i) => [i < 4 ? 0 : 1, 7]));
    const model = fitLogisticRegression(x, tableLabels, { l2: 5, featureNames: ["active", "constant"] });
    expect(model.coefficients[0]).toBeGreaterThan(0);
    expect(model.coefficients[0]).toBeLessThan(2 * Math.log(3));
    expect(model.coefficients[1]).toBe(0);
    expect(model.featureNames).toEqual(["active", "constant"]);
  });

  it("converges on separable data thanks to the penalty", () => {
    const model = fitLogisticRegression(denseFromRows([[0], [1], [2], [3]]), [0, 0, 1, 1], { l2: 0.01 });
    expect(model.iterations).toBeLessThan(50);
    expect(Array.from(predictLogisticRegression(model, denseFromRows([[0], [3]])), (p) => p > 0.5)).toEqual([false, true]);
  });

  it("rejects bad input naming the row or option", () => {
    expectError(() => fitLogisticRegression(table, [0, 1]), "E_SHAPE", "one label per row (8)");
    expectError(() => fitLogisticRegression(table, tableLabels.map((v, i) => (i === 3 ? 2 : v))), "E_BAD_INPUT", "labels[3] must be 0 or 1, got 2");
    expectError(() => fitLogisticRegression(table, new Array(8).fill(1)), "E_BAD_INPUT", "both classes");
    expectError(() => fitLogisticRegression({ rows: 1, cols: 1, data: new Float64Array([Number.NaN]) }, [1]), "E_NON_FINITE", "row 0 column 0");
    expectError(() => fitLogisticRegression(table, tableLabels, { l2: -1 }), "E_BAD_INPUT", "options.l2");
    expectError(() => fitLogisticRegression(table, tableLabels, { featureNames: ["a", "b"] }), "E_BAD_INPUT", "options.featureNames");
    expectError(() => fitLogisticRegression(table, tableLabels, { classWeights: { negative: 0, positive: 1 } }), "E_BAD_INPUT", "class 0");
    const model = fitLogisticRegression(table, tableLabels);
    expectError(() => predictLogisticRegression(model, denseFromRows([[1, 2]])), "E_SHAPE", "1 columns");
    expectError(() => logisticAttributions(model, [1, 2]), "E_SHAPE", "row must hold 1 values");
    expectError(() => logisticRegressionFromJSON({ ...logisticRegressionToJSON(model), intercept: "x" }), "E_BAD_MODEL", "json.intercept");
  });
});

describe("logistic regression properties", () => {
  const dataArb = fc
    .record({
      rows: fc.integer({ min: 6, max: 30 }),
      cols: fc.integer({ min: 1, max: 4 }),
      seed: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 120, maxLength: 120 }),
      flips: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
      l2: fc.double({ min: 0.01, max: 10, noNaN: true }),
    })
    .map(({ rows, cols, seed, flips, l2 }) => {
      const data = Float64Array.from({ length: rows * cols }, (_, p) => seed[p % seed.length]! * (1 + (p % 3)));
      const labels = Array.from({ length: rows }, (_, i) => (data[i * cols]! > 0 !== flips[i]! ? 1 : 0));
      labels[0] = 0;
      labels[1] = 1;
      return { x: denseMatrix(rows, cols, data), labels, l2 };
    });

  it("the penalised gradient is zero at the fit", () => {
    fc.assert(
      fc.property(dataArb, ({ x, labels, l2 }) => {
        const model = fitLogisticRegression(x, labels, { l2 });
        const p = predictLogisticRegression(model, x);
        // In standardised space the gradient of coefficient j is Σ z_ij (y_i − p_i) − λ β_j; map back with the scale.
        const d = x.cols;
        for (let j = 0; j < d; j++) {
          let mean = 0;
          for (let i = 0; i < x.rows; i++) mean += x.data[i * d + j]! / x.rows;
          let variance = 0;
          for (let i = 0; i < x.rows; i++) variance += (x.data[i * d + j]! - mean) ** 2 / x.rows;
          const sd = Math.sqrt(variance);
          if (sd < 1e-9) continue;
          let g = 0;
          for (let i = 0; i < x.rows; i++) g += ((x.data[i * d + j]! - mean) / sd) * (labels[i]! - p[i]!);
          expect(g - l2 * model.coefficients[j]! * sd).toBeCloseTo(0, 6);
        }
        let residual = 0;
        for (let i = 0; i < x.rows; i++) residual += labels[i]! - p[i]!;
        expect(residual).toBeCloseTo(0, 6);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("attributions add up: base + Σ values = log-odds, for any reference", () => {
    fc.assert(
      fc.property(dataArb, fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 4, maxLength: 4 }), ({ x, labels, l2 }, ref) => {
        const model = fitLogisticRegression(x, labels, { l2 });
        const row = Array.from(x.data.subarray(0, x.cols));
        const eta = logisticLogOdds(model, denseMatrix(1, x.cols, Float64Array.from(row)))[0]!;
        for (const reference of [undefined, ref.slice(0, x.cols)]) {
          const { base, values } = logisticAttributions(model, row, reference);
          const scale = 1 + Math.abs(base) + values.reduce((s, v) => s + Math.abs(v), 0);
          expect(Math.abs(base + values.reduce((s, v) => s + v, 0) - eta)).toBeLessThan(1e-12 * scale * 100);
        }
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("round-trips through JSON to the same predictions", () => {
    fc.assert(
      fc.property(dataArb, ({ x, labels, l2 }) => {
        const model = fitLogisticRegression(x, labels, { l2 });
        const copy = logisticRegressionFromJSON(JSON.parse(JSON.stringify(logisticRegressionToJSON(model))));
        expect(copy).toEqual(model);
        expect(predictLogisticRegression(copy, x)).toEqual(predictLogisticRegression(model, x));
      }),
      { seed: 42, numRuns: 50 },
    );
  });
});
