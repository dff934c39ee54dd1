import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mae, mse, rmse } from "../../src/metrics/index.ts";
import { expectError } from "../helpers.ts";

describe("rating errors", () => {
  it("match hand computation", () => {
    // errors 1, 0, -2, 0.5: |e| sum 3.5 → MAE 0.875; e² sum 5.25 → MSE 1.3125, RMSE √1.3125
    const predicted = [4, 3, 1, 4.5];
    const actual = [3, 3, 3, 4];
    expect(mae(predicted, actual)).toBe(0.875);
    expect(mse(predicted, actual)).toBe(1.3125);
    expect(rmse(predicted, actual)).toBeCloseTo(Math.sqrt(1.3125), 15);
    expect(rmse(new Float32Array(predicted), new Float64Array(actual))).toBeCloseTo(Math.sqrt(1.3125), 15);
  });

  it("reject mismatched lengths, empty input and non-finite or non-number entries, naming the index", () => {
    expectError(() => mae([1, 2], [1]), "E_SHAPE", "mae: actual must have the length of predicted (2), got length 1");
    expectError(() => rmse([], []), "E_EMPTY", "rmse: predicted must not be empty, got length 0");
    expectError(() => mse([1, 2], [1, Number.NaN]), "E_NON_FINITE", "mse: actual[1] must be a finite number, got NaN");
    expectError(() => mae(new Float64Array([1, Number.POSITIVE_INFINITY]), new Float64Array(2)), "E_NON_FINITE", "mae: predicted[1]");
    expectError(() => mae(["1"] as never, [1]), "E_BAD_INPUT", 'mae: predicted[0] must be a finite number, got "1"');
    expectError(() => mae("12" as never, [1, 2]), "E_BAD_INPUT", "mae: predicted must be an array or a typed array");
  });

  it("RMSE >= MAE >= 0, RMSE² = MSE, and all are 0 for perfect predictions", () => {
    const rating = fc.double({ min: -10, max: 10, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(rating, rating), { minLength: 1, maxLength: 50 }), (pairs) => {
        const predicted = pairs.map((p) => p[0]);
        const actual = pairs.map((p) => p[1]);
        const a = mae(predicted, actual);
        const r = rmse(predicted, actual);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(r).toBeGreaterThanOrEqual(a - 1e-12);
        expect(r * r).toBeCloseTo(mse(predicted, actual), 9);
        expect(mae(actual, actual)).toBe(0);
        expect(rmse(actual, actual)).toBe(0);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
