import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  fitLstm,
  lstmFromJSON,
  lstmToJSON,
  predictLstm,
  predictLstmMany,
  predictLstmSteps,
  type LstmEpochReport,
  type SequenceExample,
} from "../../src/sequence/index.ts";
import { createRandom } from "../../src/core/index.ts";
import { expectError } from "../helpers.ts";

const examples: SequenceExample[] = [
  { stages: ["lead", "demo", "proposal"], features: [[0.1], [0.5], [0.2]], nextStages: ["demo", "proposal", "won"], won: true, daysToNext: [3, 5, 2] },
  { stages: ["lead", "call", "proposal"], features: [[0.3], [0.1], [0.9]], nextStages: ["call", "proposal", "lost"], won: false, daysToNext: [1, 4, null] },
  { stages: ["lead"], features: [[0.7]], nextStages: [null], won: null },
];

const sequenceArbitrary = fc.record({
  stages: fc.array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 6 }),
  seed: fc.integer({ min: 0, max: 1000 }),
});

describe("fitLstm and predictLstm", () => {
  it("learns a dependence two steps back that a first-order view cannot see", () => {
    const model = fitLstm(examples, { hiddenSize: 8, epochs: 300, learningRate: 0.05, seed: 1 });
    const won = predictLstm(model, { stages: ["lead", "demo", "proposal"], features: [[0.1], [0.5], [0.2]] });
    const lost = predictLstm(model, { stages: ["lead", "call", "proposal"], features: [[0.3], [0.1], [0.9]] });
    expect(won.nextStage).toBe("won");
    expect(lost.nextStage).toBe("lost");
    expect(won.winProbability).toBeGreaterThan(0.9);
    expect(lost.winProbability).toBeLessThan(0.1);
    expect(won.expectedDays).toBeGreaterThan(1);
    expect(won.expectedDays).toBeLessThan(3.5);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const a = fitLstm(examples, { hiddenSize: 4, epochs: 5, seed: "x" });
    const b = fitLstm(examples, { hiddenSize: 4, epochs: 5, seed: "x" });
    const c = fitLstm(examples, { hiddenSize: 4, epochs: 5, seed: "y" });
    expect(Array.from(a.parameters)).toEqual(Array.from(b.parameters));
    expect(Array.from(a.parameters)).not.toEqual(Array.from(c.parameters));
  });

  it("does not change its inputs", () => {
    const copy = JSON.parse(JSON.stringify(examples));
    fitLstm(examples, { hiddenSize: 3, epochs: 2, dropout: 0.2, layers: 2 });
    expect(JSON.parse(JSON.stringify(examples))).toEqual(copy);
  });

  it("reports every epoch and stops early on a validation split, keeping the best epoch", () => {
    // Labels are noise, so a big enough model overfits and the validation loss turns up.
    const random = createRandom(5);
    const many: SequenceExample[] = Array.from({ length: 60 }, () => ({
      stages: [random() < 0.5 ? "a" : "b", random() < 0.5 ? "a" : "b"],
      nextStages: [random() < 0.5 ? "a" : "b", random() < 0.5 ? "a" : "b"],
      won: random() < 0.5,
    }));
    const reports: LstmEpochReport[] = [];
    const model = fitLstm(many, { hiddenSize: 16, epochs: 400, learningRate: 0.05, patience: 3, validationFraction: 0.2, onEpoch: (r) => reports.push(r) });
    expect(reports.length).toBe(model.training.epochsRun);
    expect(model.training.epochsRun).toBeLessThan(400);
    expect(model.training.bestEpoch).toBe(model.training.epochsRun - 3);
    expect(reports.every((r) => Number.isFinite(r.loss) && Number.isFinite(r.validationLoss) && r.seconds >= 0)).toBe(true);
    expect(model.training.validationLoss).toBe(Math.min(...reports.map((r) => r.validationLoss)));
  });

  it("two layers and dropout train and predict", () => {
    const model = fitLstm(examples, { hiddenSize: 6, layers: 2, dropout: 0.1, epochs: 200, learningRate: 0.03, seed: 2 });
    expect(predictLstm(model, { stages: ["lead", "demo", "proposal"], features: [[0.1], [0.5], [0.2]] }).nextStage).toBe("won");
  });

  it("predictLstmSteps row t equals predictLstm on the prefix of t + 1 steps, and predictLstmMany equals predictLstm", () => {
    const model = fitLstm(examples, { hiddenSize: 5, epochs: 20, seed: 3 });
    const input = { stages: ["lead", "call", "proposal"], features: [[0.3], [0.1], [0.9]] };
    const steps = predictLstmSteps(model, input);
    const S = model.stages.length;
    for (let t = 0; t < 3; t++) {
      const prefix = { stages: input.stages.slice(0, t + 1), features: input.features.slice(0, t + 1) };
      const one = predictLstm(model, prefix);
      expect(Array.from(one.nextStageProbabilities)).toEqual(Array.from(steps.nextStageProbabilities.subarray(t * S, (t + 1) * S)));
      expect(one.winProbability).toBe(steps.winProbability[t]);
      expect(one.expectedDays).toBe(steps.expectedDays[t]);
      expect(predictLstmMany(model, [prefix, input])[0]).toEqual(one);
    }
  });

  it("property: next-stage probabilities sum to 1, win probability in [0, 1], days >= 0", () => {
    const model = fitLstm([{ stages: ["a", "b", "c"], nextStages: ["b", "c", "a"], won: true, daysToNext: [1, 2, 3] }], { hiddenSize: 4, epochs: 3 });
    fc.assert(
      fc.property(sequenceArbitrary, ({ stages }) => {
        const steps = predictLstmSteps(model, { stages });
        const S = model.stages.length;
        for (let t = 0; t < stages.length; t++) {
          let sum = 0;
          for (let s = 0; s < S; s++) sum += steps.nextStageProbabilities[t * S + s]!;
          expect(sum).toBeCloseTo(1, 12);
          expect(steps.winProbability[t]).toBeGreaterThanOrEqual(0);
          expect(steps.winProbability[t]).toBeLessThanOrEqual(1);
          expect(steps.expectedDays[t]).toBeGreaterThanOrEqual(0);
        }
      }),
      { seed: 6, numRuns: 50 },
    );
  });

  it("property: the JSON round trip predicts identically and same seed gives the same model", () => {
    fc.assert(
      fc.property(sequenceArbitrary, ({ stages, seed }) => {
        const train: SequenceExample[] = [{ stages, nextStages: stages.map((_, t) => stages[(t + 1) % stages.length]!), won: seed % 2 === 0 }];
        const model = fitLstm(train, { hiddenSize: 3, epochs: 2, seed, stages: ["a", "b", "c"] });
        const again = fitLstm(train, { hiddenSize: 3, epochs: 2, seed, stages: ["a", "b", "c"] });
        expect(Array.from(again.parameters)).toEqual(Array.from(model.parameters));
        const restored = lstmFromJSON(JSON.parse(JSON.stringify(lstmToJSON(model))));
        expect(Array.from(restored.parameters)).toEqual(Array.from(model.parameters));
        expect(predictLstm(restored, { stages })).toEqual(predictLstm(model, { stages }));
      }),
      { seed: 7, numRuns: 25 },
    );
  });
});

describe("fitLstm daysLoss", () => {
  it("the absolute loss learns the median of log1p(days), the squared loss their mean", () => {
    // One stage, no features: the time head can only learn a constant. Targets 0, 0 and e^3 − 1 days: log1p gives
    // 0, 0, 3, whose median is 0 (0 days) and mean 1 (e − 1 ≈ 1.718 days).
    const examples = [0, 0, Math.expm1(3)].map((d) => ({ stages: ["a"], daysToNext: [d] }));
    const options = { hiddenSize: 2, epochs: 400, learningRate: 0.02, validationFraction: 0, batchSize: 3 } as const;
    const absolute = fitLstm(examples, { ...options, daysLoss: "absolute" });
    const squared = fitLstm(examples, options);
    expect(predictLstm(absolute, { stages: ["a"] }).expectedDays).toBeLessThan(0.05);
    expect(predictLstm(squared, { stages: ["a"] }).expectedDays).toBeCloseTo(Math.E - 1, 1);
    expect([absolute.hyperparameters.daysLoss, squared.hyperparameters.daysLoss]).toEqual(["absolute", "squared"]);
    // Serialized with the option; a model written before it reads as squared; anything else is rejected.
    expect(lstmFromJSON(JSON.parse(JSON.stringify(lstmToJSON(absolute)))).hyperparameters.daysLoss).toBe("absolute");
    const json = lstmToJSON(squared);
    const { daysLoss: _omitted, ...older } = json.hyperparameters;
    expect(lstmFromJSON({ ...json, hyperparameters: older }).hyperparameters.daysLoss).toBe("squared");
    expectError(() => lstmFromJSON({ ...json, hyperparameters: { ...older, daysLoss: "huber" } }), "E_BAD_MODEL", 'lstmFromJSON: json.hyperparameters.daysLoss must be "squared" or "absolute", got "huber"');
    expectError(() => fitLstm(examples, { daysLoss: "huber" as never }), "E_BAD_INPUT");
  });
});

describe("LSTM input errors", () => {
  it("names the offending row and field", () => {
    expectError(() => fitLstm([]), "E_EMPTY", "fitLstm: examples must hold at least one sequence, got length 0");
    expectError(() => fitLstm([{ stages: [] }]), "E_EMPTY", "fitLstm: examples[0].stages must hold at least one step, got length 0");
    expectError(() => fitLstm([{ stages: ["a"], features: [[1]] }, { stages: ["a", "b"], features: [[1]] }]), "E_SHAPE", "fitLstm: examples[1].features must have one row per step (2), got length 1");
    expectError(() => fitLstm([{ stages: ["a"], features: [[Number.NaN]] }]), "E_NON_FINITE", "fitLstm: examples[0].features[0][0] must be a finite number, got NaN");
    expectError(() => fitLstm([{ stages: ["a"], nextStages: ["b", "c"] }]), "E_SHAPE", "examples[0].nextStages must have one entry per step (1), got length 2");
    expectError(() => fitLstm([{ stages: ["a"], nextStages: ["zzz"] }], { stages: ["a"] }), "E_UNKNOWN_ID", 'fitLstm: examples[0].nextStages[0] must be a stage the model knows, got "zzz"');
    expectError(() => fitLstm([{ stages: ["a"], daysToNext: [-1] }]), "E_BAD_INPUT", "fitLstm: examples[0].daysToNext[0] must be a finite number >= 0 or null, got -1");
    expectError(() => fitLstm([{ stages: ["a"], won: 1 as unknown as boolean }]), "E_BAD_INPUT", "fitLstm: examples[0].won must be a boolean or null, got 1");
    expectError(() => fitLstm([{ stages: ["a"] }], { hiddenSize: 0 }), "E_BAD_INPUT", "fitLstm: options.hiddenSize must be an integer in [1, 512], got 0");
    expectError(() => fitLstm([{ stages: ["a"] }], { layers: 3 }), "E_BAD_INPUT", "options.layers must be an integer in [1, 2], got 3");
    expectError(() => fitLstm([{ stages: ["a"] }], { dropout: 0.9 }), "E_BAD_INPUT", "options.dropout must be < 0.9");
    expectError(() => fitLstm([{ stages: ["a"] }], { stages: ["a", "a"] }), "E_DUPLICATE", 'fitLstm: options.stages[1] must be unique, got "a" again');
    expectError(() => fitLstm([{ stages: ["a"], nextStages: ["a"] }], { l2: 1e308, epochs: 1 }), "E_NOT_CONVERGED", "fitLstm: training must keep a finite loss, got Infinity at epoch 1");
  });

  it("ids may be any string, including __proto__ and constructor", () => {
    const model = fitLstm([{ stages: ["__proto__", "constructor"], nextStages: ["constructor", "__proto__"] }], { hiddenSize: 4, epochs: 150, learningRate: 0.05 });
    expect(model.stages).toEqual(["__proto__", "constructor"]);
    expect(predictLstm(model, { stages: ["__proto__"] }).nextStage).toBe("constructor");
  });

  it("rejects malformed models with E_BAD_MODEL", () => {
    const json = lstmToJSON(fitLstm([{ stages: ["a", "b"], nextStages: ["b", null] }], { hiddenSize: 2, epochs: 1 }));
    expectError(() => lstmFromJSON({ ...json, kind: "bpr" }), "E_BAD_MODEL", 'lstmFromJSON: json.kind must be "lstm"');
    expectError(() => lstmFromJSON({ ...json, version: 2 }), "E_BAD_MODEL", "json.version must be 1");
    expectError(() => lstmFromJSON({ ...json, parameters: json.parameters.map((v, i) => (i === 3 ? "x" : v)) }), "E_BAD_MODEL", 'json.parameters[3] must be a finite number, got "x"');
    expectError(() => lstmFromJSON({ ...json, layers: 3 }), "E_BAD_MODEL", "json.layers must be an integer in [1, 2], got 3");
    expectError(() => lstmFromJSON({ ...json, stages: ["a", "a"] }), "E_BAD_MODEL", 'json.stages[1] must be unique');
    expectError(() => lstmFromJSON({ ...json, hyperparameters: null }), "E_BAD_MODEL", "json.hyperparameters must be an object, got null");
    expectError(() => predictLstm({ ...lstmFromJSON(json), parameters: new Float64Array(3) }, { stages: ["a"] }), "E_BAD_MODEL", "predictLstm: model.parameters must have length");
    expectError(() => predictLstm(lstmFromJSON(json), { stages: ["a"], features: [[1]] }), "E_SHAPE", "predictLstm: sequence.features[0] must have length 0, got length 1");
  });
});
