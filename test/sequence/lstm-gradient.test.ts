// Gradient check of the LSTM's backpropagation through time against central finite differences, for every parameter
// tensor of a two-layer model with features, all three heads, masked targets, variable lengths and L2.
import { describe, expect, it } from "vitest";
import { createRandom, fillNormal } from "../../src/core/index.ts";
import {
  batchLossAndGradient,
  createWorkspace,
  lstmLayout,
  type LossScales,
  type LstmShape,
  type PackedSequences,
} from "../../src/sequence/lstm-kernel.ts";

function packedFixture(shape: LstmShape): PackedSequences {
  const random = createRandom(11);
  const lengths = [1, 3, 4, 2];
  const offsets = new Int32Array(lengths.length + 1);
  for (let n = 0; n < lengths.length; n++) offsets[n + 1] = offsets[n]! + lengths[n]!;
  const total = offsets[lengths.length]!;
  const stages = new Int32Array(total).map(() => Math.floor(random() * shape.stageCount));
  const features = fillNormal(new Float64Array(total * shape.featureCount), random);
  const next = new Int32Array(total).map((_, p) => (p % 4 === 3 ? -1 : Math.floor(random() * shape.stageCount)));
  const won = Int8Array.from([1, 0, -1, 1]);
  const logDays = new Float64Array(total).map((_, p) => (p % 3 === 1 ? Number.NaN : random() * 2));
  return { count: lengths.length, offsets, stages, features, next, won, logDays, maxLength: 4 };
}

function relativeError(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i]! - b[i]!) ** 2;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return Math.sqrt(diff) / Math.max(1e-300, Math.sqrt(na) + Math.sqrt(nb));
}

describe("LSTM backpropagation through time", () => {
  for (const [layers, daysAbsolute] of [[1, false], [2, false], [2, true]] as const) {
    it(`matches central finite differences to < 1e-6 relative error for every tensor (${layers} layer${layers > 1 ? "s" : ""}, float64${daysAbsolute ? ", absolute days loss" : ""})`, () => {
      const shape: LstmShape = { stageCount: 4, featureCount: 3, hiddenSize: 5, layers };
      const layout = lstmLayout(shape);
      const parameters = fillNormal(new Float64Array(layout.size), createRandom(3), { standardDeviation: 0.5 });
      const data = packedFixture(shape);
      const order = Int32Array.from([0, 1, 2, 3]);
      const ws = createWorkspace(shape, data.maxLength);
      const weights = { nextStage: 1, win: 0.7, days: 0.3 };
      // The absolute loss is differentiable wherever the prediction differs from the target (almost surely here).
      const scales: LossScales = { next: 0, win: 0, days: 0, daysAbsolute };
      const l2 = 0.01;
      const loss = (p: Float64Array): number =>
        batchLossAndGradient(shape, layout, p, new Float64Array(layout.size), data, order, 0, 4, ws, weights, l2, 0, null, scales);
      const analytic = new Float64Array(layout.size);
      batchLossAndGradient(shape, layout, parameters, analytic, data, order, 0, 4, ws, weights, l2, 0, null, scales);
      const h = 1e-5;
      const names: string[] = [];
      for (const tensor of layout.tensors) {
        const size = tensor.rows * tensor.cols;
        if (size === 0) continue;
        names.push(tensor.name);
        const numeric = new Float64Array(size);
        for (let i = 0; i < size; i++) {
          const p = tensor.offset + i;
          const saved = parameters[p]!;
          parameters[p] = saved + h;
          const plus = loss(parameters);
          parameters[p] = saved - h;
          const minus = loss(parameters);
          parameters[p] = saved;
          numeric[i] = (plus - minus) / (2 * h);
        }
        const error = relativeError(analytic.subarray(tensor.offset, tensor.offset + size), numeric);
        expect(error, tensor.name).toBeLessThan(1e-6);
      }
      expect(names.length).toBe(layers === 1 ? 10 : 13);
    });
  }
});

describe("LSTM backpropagation with dropout", () => {
  it("matches finite differences for every tensor when the dropout masks are held fixed (same seed per evaluation)", () => {
    const shape: LstmShape = { stageCount: 3, featureCount: 2, hiddenSize: 4, layers: 2 };
    const layout = lstmLayout(shape);
    const parameters = fillNormal(new Float64Array(layout.size), createRandom(8), { standardDeviation: 0.5 });
    const data = packedFixture(shape);
    const order = Int32Array.from([0, 1, 2, 3]);
    const ws = createWorkspace(shape, data.maxLength);
    const weights = { nextStage: 1, win: 1, days: 1 };
    const scales: LossScales = { next: 0, win: 0, days: 0 };
    const evaluate = (p: Float64Array, gradient: Float64Array): number =>
      batchLossAndGradient(shape, layout, p, gradient, data, order, 0, 4, ws, weights, 0, 0.3, createRandom(99), scales);
    const analytic = new Float64Array(layout.size);
    evaluate(parameters, analytic);
    const scratch = new Float64Array(layout.size);
    const h = 1e-5;
    for (const tensor of layout.tensors) {
      const size = tensor.rows * tensor.cols;
      const numeric = new Float64Array(size);
      for (let i = 0; i < size; i++) {
        const p = tensor.offset + i;
        const saved = parameters[p]!;
        parameters[p] = saved + h;
        const plus = evaluate(parameters, scratch);
        parameters[p] = saved - h;
        const minus = evaluate(parameters, scratch);
        parameters[p] = saved;
        numeric[i] = (plus - minus) / (2 * h);
      }
      expect(relativeError(analytic.subarray(tensor.offset, tensor.offset + size), numeric), tensor.name).toBeLessThan(1e-6);
    }
  });

  it("the check can fail: a wrong gradient entry is caught", () => {
    const a = Float64Array.from([1, 2, 3]);
    expect(relativeError(a, Float64Array.from([1, 2, 3.001]))).toBeGreaterThan(1e-6);
  });
});
