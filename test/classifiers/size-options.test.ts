// fitMlpClassifier's size options were bounded only from below (issue 15): hiddenUnits: 1e9 and epochs: 1e9 ran out of
// memory or time, and a label of 1e6 built a million-class output layer. Each is now checked against a documented
// maximum (4,096 hidden units, 100,000 epochs, 1,000 classes, 10,000,000 weights) before anything is allocated, and
// the logistic regression's singular Newton system names fitLogisticRegression (it named choleskySolve).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { denseFromRows, denseMatrix } from "../../src/linalg/index.ts";
import { fitLogisticRegression, fitMlpClassifier } from "../../src/classifiers/index.ts";
import { errorOf, expectError } from "../helpers.ts";

const x = denseFromRows([[0, 0], [0, 1], [1, 0], [1, 1]]);
const xor = [0, 1, 1, 0];

describe("fitMlpClassifier size options", () => {
  it("hiddenUnits is an integer in [1, 4096]", () => {
    expectError(() => fitMlpClassifier(x, xor, { hiddenUnits: 1e9 }), "E_BAD_INPUT", "fitMlpClassifier: options.hiddenUnits must be an integer in [1, 4096], got 1000000000");
    expectError(() => fitMlpClassifier(x, xor, { hiddenUnits: 4097 }), "E_BAD_INPUT", "options.hiddenUnits must be an integer in [1, 4096]");
    expectError(() => fitMlpClassifier(x, xor, { hiddenUnits: 0 }), "E_BAD_INPUT", "options.hiddenUnits");
    expect(fitMlpClassifier(x, xor, { hiddenUnits: 4096, epochs: 1, validationFraction: 0 }).hiddenWeights.length).toBe(2 * 4096);
  });

  it("epochs is an integer in [1, 100000]", () => {
    expectError(() => fitMlpClassifier(x, xor, { epochs: 1e9 }), "E_BAD_INPUT", "fitMlpClassifier: options.epochs must be an integer in [1, 100000], got 1000000000");
    expectError(() => fitMlpClassifier(x, xor, { epochs: 100_001 }), "E_BAD_INPUT", "options.epochs");
    expect(fitMlpClassifier(x, xor, { epochs: 3, validationFraction: 0 }).epochs).toBe(3);
  });

  it("labels are class indices below 1000, so a label of 1e6 is an error, not a million classes", () => {
    expectError(() => fitMlpClassifier(x, [0, 1, 1, 1e6]), "E_BAD_INPUT", "fitMlpClassifier: labels[3] must be a class index (an integer in [0, 1000)), got 1000000");
    expectError(() => fitMlpClassifier(x, [0, 1, 1000, 1]), "E_BAD_INPUT", "labels[2]");
    // 999 is the largest class index: 1,000 classes, 16 hidden units → 16,000 output weights.
    const model = fitMlpClassifier(x, [0, 1, 999, 1], { epochs: 1, validationFraction: 0 });
    expect(model.classNames.length).toBe(1000);
    expect(model.outputWeights.length).toBe(16 * 1000);
  });

  it("classNames holds at most 1000 names", () => {
    const names = Array.from({ length: 1001 }, (_, c) => `c${c}`);
    expectError(() => fitMlpClassifier(x, xor, { classNames: names }), "E_BAD_INPUT", "options.classNames must name every class (at least 2, at most 1000)");
  });

  it("(inputs + classes) × hiddenUnits is at most 10,000,000 weights", () => {
    // 3,000 inputs and 2 classes: 3,002 × 4,096 = 12,296,192 weights.
    const wide = denseMatrix(2, 3000, new Float64Array(6000).map((_, p) => p % 7));
    expectError(
      () => fitMlpClassifier(wide, [0, 1], { hiddenUnits: 4096 }),
      "E_BAD_INPUT",
      "fitMlpClassifier: options.hiddenUnits must keep (features + classes) × hiddenUnits = (3000 + 2) × 4096 at most 10000000 weights, got 4096",
    );
    // 3,002 × 3,331 = 9,999,662 weights: allowed.
    expect(fitMlpClassifier(wide, [0, 1], { hiddenUnits: 3331, epochs: 1, validationFraction: 0 }).hiddenUnits).toBe(3331);
  });

  it("property: any hiddenUnits, epochs or label is either accepted within its bound or rejected naming it", () => {
    const big = fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.integer({ min: 5000, max: 2 ** 31 }), fc.constant(1e9), fc.double({ noNaN: false }));
    fc.assert(
      fc.property(big, big, big, (hiddenUnits, epochs, label) => {
        const labels = [0, 1, label, 1];
        const run = () => fitMlpClassifier(x, labels, { hiddenUnits, epochs, validationFraction: 0, batchSize: 4 });
        const labelOk = Number.isInteger(label) && label >= 0 && label < 1000;
        const hiddenOk = Number.isInteger(hiddenUnits) && hiddenUnits >= 1 && hiddenUnits <= 4096;
        const epochsOk = Number.isInteger(epochs) && epochs >= 1 && epochs <= 100_000;
        if (!labelOk) expect(errorOf(run).message).toContain("labels[2]");
        else if (!hiddenOk) expect(errorOf(run).message).toContain("options.hiddenUnits");
        else if (!epochsOk) expect(errorOf(run).message).toContain("options.epochs");
        // With every option valid the fit would train (up to 100,000 epochs): the property covers the rejections only.
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe("fitLogisticRegression names itself when Newton's system is singular", () => {
  it("separable classes without a penalty", () => {
    const separable = denseFromRows([[0], [1], [2], [3]]);
    const error = errorOf(() => fitLogisticRegression(separable, [0, 0, 1, 1], { l2: 0, maxIterations: 1e9 }));
    expect(error.code).toBe("E_NOT_CONVERGED");
    expect(error.message).toMatch(/^fitLogisticRegression: options\.l2 must be large enough to keep Newton's system positive definite/);
    expect(error.message).not.toContain("cholesky");
  });
});
