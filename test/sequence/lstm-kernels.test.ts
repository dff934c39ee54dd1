// The LSTM's two kernel paths (kernels: "webassembly" | "javascript") give the same models bit for bit: the
// WebAssembly SIMD products compute every element with the JavaScript loops' operations in their order.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fitLstm, lstmEventLogModel, predictLstmSteps, type EventLogCase, type LstmOptions, type SequenceExample } from "../../src/sequence/index.ts";
import { createRandom } from "../../src/core/index.ts";
import { simdAvailable } from "../../src/linalg/index.ts";
import {
  JAVASCRIPT_PRODUCTS,
  batchLossAndGradient,
  createWorkspace,
  initializeParameters,
  lstmLayout,
  type LossScales,
  type LstmShape,
  type LstmWorkspace,
  type PackedSequences,
} from "../../src/sequence/lstm-kernel.ts";
import { createLstmKernelFit } from "../../src/sequence/lstm-wasm.ts";
import { expectError } from "../helpers.ts";

/** `count` random sequences over `stageCount` stages with `featureCount` features per step and every kind of target. */
function syntheticExamples(count: number, stageCount: number, featureCount: number, maxLength: number, seed: number): SequenceExample[] {
  const random = createRandom(seed);
  const stages = Array.from({ length: stageCount }, (_, s) => `s${s}`);
  const pick = (): string => stages[Math.floor(random() * stageCount)]!;
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(random() * maxLength);
    const path = Array.from({ length }, pick);
    const outcome = random();
    return {
      stages: path,
      ...(featureCount > 0 ? { features: path.map(() => Array.from({ length: featureCount }, () => 4 * random() - 2)) } : {}),
      nextStages: path.map((_, t) => (t + 1 < length ? path[t + 1]! : random() < 0.5 ? pick() : null)),
      won: outcome < 0.4 ? true : outcome < 0.8 ? false : null,
      daysToNext: path.map(() => (random() < 0.8 ? 10 * random() : null)),
    };
  });
}

/** Whether two arrays hold the same doubles bit for bit (Object.is: -0 and 0 differ). */
function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let p = 0; p < a.length; p++) if (!Object.is(a[p], b[p])) return false;
  return true;
}

/** Fits with both kernels and expects identical parameters, training summaries and step predictions. */
function expectIdenticalFits(examples: SequenceExample[], options: LstmOptions): void {
  const javascript = fitLstm(examples, { ...options, kernels: "javascript" });
  const webassembly = fitLstm(examples, { ...options, kernels: "webassembly" });
  expect(sameBits(webassembly.parameters, javascript.parameters)).toBe(true);
  expect(webassembly.training).toEqual(javascript.training);
  for (const example of examples.slice(0, 3)) {
    const a = predictLstmSteps(javascript, example);
    const b = predictLstmSteps(webassembly, example);
    expect(sameBits(b.nextStageProbabilities, a.nextStageProbabilities)).toBe(true);
    expect(sameBits(b.winProbability, a.winProbability)).toBe(true);
    expect(sameBits(b.expectedDays, a.expectedDays)).toBe(true);
  }
}

describe.runIf(simdAvailable())("LSTM kernels: WebAssembly and JavaScript", () => {
  const cases: [string, LstmOptions & { features: number }][] = [];
  for (const layers of [1, 2]) {
    for (const dropout of [0, 0.3]) {
      for (const features of [0, 3]) {
        for (const daysLoss of [undefined, "absolute"] as const) {
          cases.push([
            `layers ${layers}, dropout ${dropout}, ${features} features, days loss ${daysLoss ?? "default"}`,
            { layers, dropout, features, ...(daysLoss === undefined ? {} : { daysLoss }) },
          ]);
        }
      }
    }
  }
  it.each(cases)("fitLstm gives bit-identical models (hidden 5 and 7, odd row counts): %s", (_, { features, ...options }) => {
    // 12 sequences: a validation part of 1 and early stopping run too; 7 stages leave a partial block of head rows.
    const examples = syntheticExamples(12, 7, features, 6, 3);
    for (const hiddenSize of [5, 7]) expectIdenticalFits(examples, { ...options, hiddenSize, epochs: 4, batchSize: 5, learningRate: 0.02, seed: 11 });
  });

  it("property: bit-identical models for any small shape, batch size, dropout and seed", () => {
    fc.assert(
      fc.property(
        fc.record({
          count: fc.integer({ min: 1, max: 14 }),
          stageCount: fc.integer({ min: 1, max: 10 }),
          featureCount: fc.integer({ min: 0, max: 5 }),
          maxLength: fc.integer({ min: 1, max: 6 }),
          hiddenSize: fc.integer({ min: 1, max: 9 }),
          layers: fc.integer({ min: 1, max: 2 }),
          batchSize: fc.integer({ min: 1, max: 6 }),
          dropout: fc.constantFrom(0, 0.2, 0.5),
          daysLoss: fc.constantFrom("squared" as const, "absolute" as const),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        ({ count, stageCount, featureCount, maxLength, seed, ...options }) => {
          const examples = syntheticExamples(count, stageCount, featureCount, maxLength, seed);
          const stages = Array.from({ length: stageCount }, (_, s) => `s${s}`);
          expectIdenticalFits(examples, { ...options, stages, epochs: 2, learningRate: 0.02, seed });
        },
      ),
      { seed: 17, numRuns: 40 },
    );
  });

  it("property: one batch's loss and gradient are bit-identical, and the WebAssembly workspace lives in the kernels' memory", () => {
    fc.assert(
      fc.property(
        fc.record({
          stageCount: fc.integer({ min: 1, max: 9 }),
          featureCount: fc.integer({ min: 0, max: 7 }),
          hiddenSize: fc.integer({ min: 1, max: 11 }),
          layers: fc.integer({ min: 1, max: 2 }),
          dropout: fc.constantFrom(0, 0.3),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        ({ stageCount, featureCount, hiddenSize, layers, dropout, seed }) => {
          const examples = syntheticExamples(6, stageCount, featureCount, 5, seed);
          const stages = Array.from({ length: stageCount }, (_, s) => `s${s}`);
          // The kernels' own level: the same batch through a JavaScript workspace and through the kernels' memory.
          const shape: LstmShape = { stageCount, featureCount, hiddenSize, layers };
          const layout = lstmLayout(shape);
          const parameters = initializeParameters(shape, layout, createRandom(seed));
          const data = packForTest(examples, stages, featureCount);
          const order = Int32Array.from({ length: data.count }, (_, n) => n);
          const weights = { nextStage: 1, win: 0.5, days: 2 };
          const run = (fit: { parameters: Float64Array; gradient: Float64Array; data: PackedSequences; ws: LstmWorkspace }) => {
            const scales: LossScales = { next: 0, win: 0, days: 0 };
            const random = createRandom(seed + 1);
            const loss = batchLossAndGradient(shape, layout, fit.parameters, fit.gradient, fit.data, order, 0, data.count, fit.ws, weights, 0.01, dropout, random, scales);
            return { loss, gradient: fit.gradient.slice() };
          };
          const wasm = createLstmKernelFit(shape, layout, parameters, data)!;
          expect(wasm.ws.products).not.toBe(JAVASCRIPT_PRODUCTS);
          expect(wasm.ws.gates[0]!.buffer).toBe(wasm.parameters.buffer);
          expect(wasm.data.features.buffer).toBe(wasm.parameters.buffer);
          wasm.refresh();
          const a = run({ parameters, gradient: new Float64Array(layout.size), data, ws: createWorkspace(shape, data.maxLength) });
          const b = run(wasm);
          expect(Object.is(b.loss, a.loss)).toBe(true);
          expect(sameBits(b.gradient, a.gradient)).toBe(true);
        },
      ),
      { seed: 23, numRuns: 40 },
    );
  });

  it("lstmEventLogModel passes kernels through: the same predictions on both paths", () => {
    const day = 86_400_000;
    const cases: EventLogCase[] = ["abc", "abd", "aebc", "abc", "abdc", "aec"].map((word, n) => ({
      id: String(n),
      activities: word.split(""),
      times: word.split("").map((_, t) => (n + t * t) * day),
    }));
    const predictions = (["webassembly", "javascript"] as const).map((kernels) => {
      const predict = lstmEventLogModel({ hiddenSize: 5, epochs: 4, seed: 1, kernels }).fit(cases, { endMarker: null });
      return cases.map((c) => predict(c));
    });
    expect(predictions[0]).toEqual(predictions[1]);
  });

  it('kernels "auto" gives the JavaScript model too', () => {
    const examples = syntheticExamples(8, 4, 2, 5, 1);
    const options = { hiddenSize: 3, epochs: 3, seed: 2 };
    expect(sameBits(fitLstm(examples, options).parameters, fitLstm(examples, { ...options, kernels: "javascript" }).parameters)).toBe(true);
  });
});

describe("LSTM kernels option", () => {
  it("options.kernels is validated", () => {
    const examples = syntheticExamples(2, 2, 0, 3, 1);
    expectError(() => fitLstm(examples, { kernels: "gpu" as never }), "E_BAD_INPUT", 'fitLstm: options.kernels must be "auto", "webassembly" or "javascript", got "gpu"');
    const cases: EventLogCase[] = [{ id: "1", activities: ["a", "b"], times: [0, 86_400_000] }];
    expectError(() => lstmEventLogModel({ kernels: "gpu" as never }).fit(cases, { endMarker: null }), "E_BAD_INPUT", 'fitLstm: options.kernels must be "auto", "webassembly" or "javascript", got "gpu"');
  });
});

/** The packed sequences of fitLstm (stages by index, features row-major, targets), for the kernel-level check. */
function packForTest(examples: SequenceExample[], stages: string[], featureCount: number): PackedSequences {
  const count = examples.length;
  const offsets = new Int32Array(count + 1);
  examples.forEach((e, n) => (offsets[n + 1] = offsets[n]! + e.stages.length));
  const total = offsets[count]!;
  const index = new Map(stages.map((s, i) => [s, i]));
  const data = {
    count,
    offsets,
    stages: new Int32Array(total),
    features: new Float64Array(total * featureCount),
    next: new Int32Array(total).fill(-1),
    won: new Int8Array(count).fill(-1),
    logDays: new Float64Array(total).fill(Number.NaN),
    maxLength: Math.max(...examples.map((e) => e.stages.length)),
  };
  examples.forEach((e, n) => {
    const start = offsets[n]!;
    if (e.won !== null && e.won !== undefined) data.won[n] = e.won ? 1 : 0;
    e.stages.forEach((s, t) => {
      data.stages[start + t] = index.get(s)!;
      for (let k = 0; k < featureCount; k++) data.features[(start + t) * featureCount + k] = e.features![t]![k]!;
      const next = e.nextStages?.[t];
      if (next !== null && next !== undefined) data.next[start + t] = index.get(next)!;
      const days = e.daysToNext?.[t];
      if (days !== null && days !== undefined) data.logDays[start + t] = Math.log1p(days);
    });
  });
  return data;
}
