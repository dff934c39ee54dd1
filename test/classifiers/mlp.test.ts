import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRandom, randomNormal } from "../../src/core/random.ts";
import { denseFromRows, denseMatrix } from "../../src/linalg/index.ts";
import { fitMlpClassifier, mlpClassifierFromJSON, mlpClassifierToJSON, predictMlpClassifier } from "../../src/classifiers/index.ts";
import { rocAuc } from "../../src/metrics/index.ts";
import { expectError } from "../helpers.ts";

// Three seeded Gaussian blobs in 2-D (classes "good", "medium", "bad"), 60 rows each.
function blobs(seed: number, spread = 0.6) {
  const random = createRandom(seed);
  const centres = [[0, 0], [2.5, 0], [0, 2.5]];
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < 60; i++) {
      rows.push([centres[c]![0]! + randomNormal(random, { standardDeviation: spread }), centres[c]![1]! + randomNormal(random, { standardDeviation: spread })]);
      labels.push(c);
    }
  }
  return { x: denseFromRows(rows), labels };
}

describe("fitMlpClassifier", () => {
  it("learns XOR, which no linear model can", () => {
    const x = denseFromRows([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const model = fitMlpClassifier(x, [0, 1, 1, 0], { hiddenUnits: 8, activation: "tanh", epochs: 500, batchSize: 4, learningRate: 0.05, validationFraction: 0, seed: 2 });
    const p = predictMlpClassifier(model, x);
    for (let i = 0; i < 4; i++) expect(p[i * 2 + [0, 1, 1, 0][i]!]).toBeGreaterThan(0.9);
    expect(model.temperature).toBe(1);
  });

  it("separates three classes with early stopping and a calibrated temperature", () => {
    const { x, labels } = blobs(1);
    const model = fitMlpClassifier(x, labels, { seed: 1, classNames: ["good", "medium", "bad"] });
    const test = blobs(2);
    const p = predictMlpClassifier(model, test.x);
    let correct = 0;
    for (let i = 0; i < test.labels.length; i++) {
      const row = Array.from(p.subarray(i * 3, i * 3 + 3));
      if (row.indexOf(Math.max(...row)) === test.labels[i]) correct++;
    }
    expect(correct / test.labels.length).toBeGreaterThan(0.9);
    expect(model.epochs).toBeLessThanOrEqual(200);
    expect(model.temperature).toBeGreaterThan(0);
    expect(model.classNames).toEqual(["good", "medium", "bad"]);
    // One-vs-rest AUC of "bad" from its probability.
    const bad = test.labels.map((c) => (c === 2 ? 1 : 0));
    expect(rocAuc(Array.from({ length: test.labels.length }, (_, i) => p[i * 3 + 2]!), bad)).toBeGreaterThan(0.95);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const { x, labels } = blobs(3);
    const a = fitMlpClassifier(x, labels, { seed: 9, epochs: 30 });
    const b = fitMlpClassifier(x, labels, { seed: 9, epochs: 30 });
    const c = fitMlpClassifier(x, labels, { seed: 10, epochs: 30 });
    expect(a).toEqual(b);
    expect(a.hiddenWeights).not.toEqual(c.hiddenWeights);
  });

  it("class weights raise the rare class's probability", () => {
    const { x, labels } = blobs(4, 1.5);
    const rare = labels.map((c) => (c === 2 ? 1 : 0));
    const options = { seed: 1, epochs: 80, validationFraction: 0 } as const;
    const plain = fitMlpClassifier(x, rare, options);
    const weighted = fitMlpClassifier(x, rare, { ...options, classWeights: { negative: 1, positive: 5 } });
    const mean = (m: typeof plain) => {
      const p = predictMlpClassifier(m, x);
      let s = 0;
      for (let i = 0; i < x.rows; i++) s += p[i * 2 + 1]!;
      return s / x.rows;
    };
    expect(mean(weighted)).toBeGreaterThan(mean(plain));
  });

  it("rejects bad input", () => {
    const x = denseFromRows([[0], [1]]);
    expectError(() => fitMlpClassifier(x, [0]), "E_SHAPE", "one class index per row (2)");
    expectError(() => fitMlpClassifier(x, [0, 1.5]), "E_BAD_INPUT", "labels[1] must be a class index");
    expectError(() => fitMlpClassifier(x, [1, 1]), "E_BAD_INPUT", "at least two classes");
    expectError(() => fitMlpClassifier(x, [0, 1], { hiddenUnits: 0 }), "E_BAD_INPUT", "options.hiddenUnits");
    expectError(() => fitMlpClassifier(x, [0, 1], { activation: "sigmoid" as never }), "E_BAD_INPUT", "options.activation");
    expectError(() => fitMlpClassifier(x, [0, 1], { validationFraction: 1 }), "E_BAD_INPUT", "options.validationFraction");
    expectError(() => fitMlpClassifier(x, [0, 1], { classNames: ["only"] }), "E_BAD_INPUT", "options.classNames");
    const model = fitMlpClassifier(x, [0, 1], { epochs: 2, validationFraction: 0 });
    expectError(() => predictMlpClassifier(model, denseFromRows([[1, 2]])), "E_SHAPE", "1 columns");
    expectError(() => mlpClassifierFromJSON({ ...mlpClassifierToJSON(model), temperature: 0 }), "E_BAD_MODEL", "json.temperature");
    expectError(() => mlpClassifierFromJSON({ ...mlpClassifierToJSON(model), outputBias: [1] }), "E_BAD_MODEL", "json.outputBias");
  });
});

describe("MLP properties", () => {
  it("probabilities are in [0, 1] and sum to 1 per row; JSON round trip predicts the same", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 24, maxLength: 24 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (values, classes, seed) => {
          const x = denseMatrix(12, 2, Float64Array.from(values));
          const labels = Array.from({ length: 12 }, (_, i) => i % classes);
          const model = fitMlpClassifier(x, labels, { hiddenUnits: 4, epochs: 15, seed, validationFraction: 0.25 });
          const p = predictMlpClassifier(model, x);
          for (let i = 0; i < 12; i++) {
            let sum = 0;
            for (let c = 0; c < classes; c++) {
              const v = p[i * classes + c]!;
              expect(v).toBeGreaterThanOrEqual(0);
              expect(v).toBeLessThanOrEqual(1);
              sum += v;
            }
            expect(sum).toBeCloseTo(1, 12);
          }
          const copy = mlpClassifierFromJSON(JSON.parse(JSON.stringify(mlpClassifierToJSON(model))));
          expect(predictMlpClassifier(copy, x)).toEqual(p);
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });
});
