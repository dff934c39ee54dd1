// Issue 15, "NaN/∞ out of finite input" and "overflow in sums and scales": finite inputs near ±1e308 give the
// correct finite result when it is representable, and an E_NON_FINITE naming the function when it is not; never a
// silent NaN or ∞.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NextbestError } from "../../src/core/errors.ts";
import { createRandom, randomUniform } from "../../src/core/index.ts";
import { createInteractions } from "../../src/data/index.ts";
import { intraListDiversity, mae, meanOverUsers, mse, rmse } from "../../src/metrics/index.ts";
import { compareMeans, summarizeSample } from "../../src/experiments/index.ts";
import { bootstrapConfidenceInterval } from "../../src/evaluation/index.ts";
import { encodeRows, featureEncoderFromJSON, featureEncoderToJSON, fitFeatureEncoder, fitIntentModel, intentFromJSON, intentToJSON } from "../../src/content/index.ts";
import { fitStageMarkovChain, predictStageMarkovChain, stageMarkovChainFromJSON, stageMarkovChainToJSON } from "../../src/sequence/index.ts";
import { explainExact, explainLinear } from "../../src/explain/index.ts";
import { fitBpr, fitImplicitAls, fitMatrixFactorization, fitSvdPlusPlus } from "../../src/factorization/index.ts";
import { fitPopularity } from "../../src/baselines/index.ts";
import { expectError } from "../helpers.ts";

const big = 1e308;

describe("rating metrics near the largest double", () => {
  it("give the exact result when it is representable", () => {
    expect(rmse([big, big], [big, -big])).toBeCloseTo(Math.SQRT2 * 1e308, -294);
    expect(mae([big, -big], [0, 0])).toBe(big);
    expect(rmse([3, 4, 5], [2, 4, 3]).toFixed(4)).toBe("1.2910");
  });

  it("name themselves when the error itself is beyond the largest double", () => {
    expectError(() => rmse([big, -big], [-big, big]), "E_NON_FINITE", "rmse: the root mean squared error is beyond the largest number");
    expectError(() => mae([big, -big], [-big, big]), "E_NON_FINITE", "mae: the mean absolute error is beyond the largest number");
    expectError(() => mse([big], [0]), "E_NON_FINITE", "mse: the mean squared error is beyond the largest number");
  });

  it("property: finite inputs give a finite rmse >= mae or an E_NON_FINITE", () => {
    const value = fc.oneof(fc.double({ min: -1.7e308, max: 1.7e308, noNaN: true }), fc.constantFrom(big, -big, 0));
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 8 }), (pairs) => {
        const predicted = pairs.map(([p]) => p);
        const actual = pairs.map(([, a]) => a);
        try {
          const r = rmse(predicted, actual);
          const m = mae(predicted, actual);
          expect(Number.isFinite(r) && Number.isFinite(m)).toBe(true);
          expect(r).toBeGreaterThanOrEqual(m * (1 - 1e-12) - 1e-300); // squares of subnormals underflow to 0
        } catch (error) {
          expect((error as NextbestError).code).toBe("E_NON_FINITE");
        }
      }),
    );
  });
});

describe("means, spreads and intervals near the largest double", () => {
  it("meanOverUsers scales instead of overflowing", () => {
    expect(meanOverUsers([big, big, Number.NaN])).toBe(big);
    expect(meanOverUsers([big, -big, big])).toBeCloseTo(big / 3, -292);
  });

  it("summarizeSample gives a finite mean and deviation", () => {
    const summary = summarizeSample([big, big, -big]);
    expect(summary.mean).toBeCloseTo(big / 3, -292);
    expect(summary.standardDeviation).toBeCloseTo(big * (2 / Math.sqrt(3)), -292);
    expect(summarizeSample([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, standardDeviation: Math.sqrt(32 / 7), count: 8 });
  });

  it("compareMeans: constant arms give p = 0 (different means) or 1 (equal); huge arms stay finite or name the overflow", () => {
    expect(compareMeans([1, 1, 1], [2, 2, 2]).pValue).toBe(0);
    expect(compareMeans([1, 1, 1], [1, 1, 1]).pValue).toBe(1);
    const close = compareMeans([1e308, 1.2e308, 1.5e308], [1.1e308, 1.3e308, 1.6e308]);
    expect(close.difference).toBeCloseTo(1e307, -295);
    expect(Number.isFinite(close.pValue) && Number.isFinite(close.standardError)).toBe(true);
    expect(close.pValue).toBeCloseTo(compareMeans([1, 1.2, 1.5], [1.1, 1.3, 1.6]).pValue, 10);
    expectError(() => compareMeans([big, big, 1.5e308], [-big, -big, -1.2e308]), "E_NON_FINITE", "compareMeans: the difference of the means is beyond the largest number");
  });

  it("bootstrapConfidenceInterval scales the resamples (same interval as in ordinary units)", () => {
    const huge = bootstrapConfidenceInterval([1e308, 1.7e308, 1.2e308], { resamples: 200, seed: 3 });
    const small = bootstrapConfidenceInterval([1, 1.7, 1.2], { resamples: 200, seed: 3 });
    expect(huge.lower / 1e308).toBeCloseTo(small.lower, 12);
    expect(huge.upper / 1e308).toBeCloseTo(small.upper, 12);
    expect(huge.mean / 1e308).toBeCloseTo(small.mean, 12);
  });

  it("intraListDiversity: cosines of vectors near 1e308", () => {
    expect(intraListDiversity(["a", "b"], new Map([["a", [big, big]], ["b", [big, -big]]]))).toBe(1);
    expect(intraListDiversity(["a", "b"], new Map([["a", [big, 0]], ["b", [1, 0]]]))).toBe(0);
  });

  it("randomUniform over [−1e308, 1e308) stays in range (property)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: -1.7e308, max: 1.7e308, noNaN: true }), fc.double({ min: -1.7e308, max: 1.7e308, noNaN: true }), (seed, a, b) => {
        const [min, max] = a <= b ? [a, b] : [b, a];
        const x = randomUniform(createRandom(seed), { min, max });
        expect(Number.isFinite(x)).toBe(true);
        expect(x >= min && (x < max || min === max)).toBe(true);
      }),
    );
  });
});

describe("models near the largest double", () => {
  it("fitFeatureEncoder on ±1e308 keeps a finite deviation and reloads", () => {
    const encoder = fitFeatureEncoder([{ x: big }, { x: -big }], [{ field: "x", kind: "numeric" }]);
    const reloaded = featureEncoderFromJSON(JSON.parse(JSON.stringify(featureEncoderToJSON(encoder))));
    expect(Array.from(encodeRows(reloaded, [{ x: big }, { x: -big }]).data)).toEqual([1, -1]);
    const minMax = fitFeatureEncoder([{ x: big }, { x: -big }], [{ field: "x", kind: "numeric", transform: "min-max" }], { normalize: false });
    expect(Array.from(encodeRows(minMax, [{ x: 0 }]).data)).toEqual([0.5]);
  });

  it("the stage Markov chain: smoothing 0 never gives NaN; counts that overflow a row are E_BAD_MODEL", () => {
    const chain = fitStageMarkovChain([{ stages: ["a", "b"] }, { stages: ["a", "won"] }], { smoothing: 0 });
    const prediction = predictStageMarkovChain(chain, ["b"]);
    expect(prediction.winProbability).toBe(0);
    const json = stageMarkovChainToJSON(fitStageMarkovChain([{ stages: ["a", "b", "won"] }, { stages: ["a", "lost"] }]));
    expectError(
      () => stageMarkovChainFromJSON({ ...json, transitionCounts: json.transitionCounts.map((c) => c * 1e308) }),
      "E_BAD_MODEL",
      "stageMarkovChainFromJSON: json.transitionCounts (row",
    );
  });

  it("intentFromJSON rejects negative intent and topic weights outside [0, 1]", () => {
    const json = intentToJSON(fitIntentModel([{ account: "acme", topic: "t", score: 2, timestamp: 0 }], { ids: ["p"], topics: [["t"]] }));
    expectError(() => intentFromJSON({ ...json, itemTopics: [-1e308] }), "E_BAD_MODEL", "intentFromJSON: json.itemTopics[0] must be in [0, 1]");
    expectError(() => intentFromJSON({ ...json, intent: [-5] }), "E_BAD_MODEL", "intentFromJSON: json.intent[0] must be >= 0");
    expectError(
      () => fitIntentModel([{ account: "a", topic: "t", score: big, timestamp: 0 }, { account: "a", topic: "t", score: big, timestamp: 0 }], { ids: ["p"], topics: [["t"]] }),
      "E_NON_FINITE",
      'fitIntentModel: the decayed scores of account "a" on topic "t" must sum to a finite number',
    );
  });

  it("explainers name an explanation that would overflow", () => {
    expectError(() => explainLinear({ coefficients: [big, big] }, [1, 1], { means: [-1, -1] }), "E_NON_FINITE", "explainLinear: baseValue of the explanation must be finite");
    expectError(
      () => explainExact((x) => x[0]! * 1.5e308, [1], { background: [[-1]] }),
      "E_NON_FINITE",
      "explainExact: values[0] of the explanation must be finite",
    );
  });

  it("SGD fits reject learning rate × regularization >= 1 naming both options", () => {
    const data = createInteractions([{ user: "a", item: "x", value: 4 }, { user: "b", item: "y", value: 2 }]);
    expectError(() => fitMatrixFactorization(data, { regularization: 1e308 }), "E_BAD_INPUT", "fitMatrixFactorization: options.learningRate × options.regularization must be below 1");
    expectError(() => fitSvdPlusPlus(data, { biasRegularization: 1e3, biasLearningRate: 0.01 }), "E_BAD_INPUT", "fitSvdPlusPlus: options.biasLearningRate × options.biasRegularization must be below 1");
    expectError(() => fitBpr(data, { learningRate: 1, regularization: 2 }), "E_BAD_INPUT", "fitBpr: options.learningRate × options.regularization must be below 1");
  });

  it("ALS (both solvers) on values near 1e300 names the overflow; popularity's value sums too", () => {
    const data = createInteractions([
      { user: "a", item: "x", value: 1e300 },
      { user: "a", item: "y", value: 1e300 },
      { user: "b", item: "x", value: 1e300 },
    ]);
    for (const solver of ["cholesky", "conjugate-gradient"] as const) {
      let result: unknown;
      try {
        result = fitImplicitAls(data, { solver, values: "raw", factors: 2, iterations: 3 });
      } catch (error) {
        expect((error as NextbestError).code).toBe("E_NON_FINITE");
        expect((error as Error).message).toMatch(/^fitImplicitAls: the (user|item) factors must be finite/);
        continue;
      }
      const model = result as { userFactors: Float32Array; itemFactors: Float32Array };
      expect([...model.userFactors, ...model.itemFactors].every(Number.isFinite)).toBe(true);
    }
    expectError(
      () => fitPopularity(createInteractions([{ user: "a", item: "x", value: 1.7e308 }, { user: "b", item: "x", value: 1.7e308 }]), { measure: "value-sum" }),
      "E_NON_FINITE",
      "fitPopularity: each item's value sum must be finite",
    );
  });
});

describe("the LSTM's time head", () => {
  it("a diverged time head is an E_NON_FINITE naming the predict function, never expectedDays: Infinity", async () => {
    const { fitLstm, predictLstm, predictLstmSteps } = await import("../../src/sequence/index.ts");
    const { lstmLayout } = await import("../../src/sequence/lstm-kernel.ts");
    const model = fitLstm([{ stages: ["a", "b"], nextStages: ["b", "won"], won: true }], { hiddenSize: 2, epochs: 2, seed: 1 });
    expect(Number.isFinite(predictLstm(model, { stages: ["a"] }).expectedDays)).toBe(true);
    const layout = lstmLayout({ stageCount: model.stages.length, featureCount: model.featureCount, hiddenSize: model.hiddenSize, layers: model.layers });
    const parameters = model.parameters.slice();
    parameters[layout.daysBias] = 800; // log1p(days) of 800: e^800 days
    const diverged = { ...model, parameters };
    expectError(() => predictLstm(diverged, { stages: ["a"] }), "E_NON_FINITE", "predictLstm: the expected days must be finite");
    expectError(() => predictLstmSteps(diverged, { stages: ["a"] }), "E_NON_FINITE", "predictLstmSteps: the expected days must be finite");
  });
});
