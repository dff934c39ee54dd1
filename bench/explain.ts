// The explain suite (`npm run bench:explain`): time per explanation for exact Shapley (12 players, 50 background
// rows, a linear and a small non-linear model), KernelSHAP (30 players, 2 · 30 + 2048 coalitions) and antithetic
// permutation sampling (30 players), the model calls each makes, the accuracy of the sampled methods against exact
// values, and the largest additivity error |base + Σ values − f(x)| over every method and many random rows.
import { createRandom, randomNormal, type RandomGenerator } from "../src/core/index.ts";
import {
  explainExact,
  explainKernel,
  explainLinear,
  explainLogistic,
  explainPermutation,
  type Explanation,
  type ModelFunction,
} from "../src/explain/index.ts";
import { timeMs, type BenchRow, type SuiteResult } from "./lib.ts";

const normalRows = (random: RandomGenerator, rows: number, cols: number): number[][] =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, () => randomNormal(random)));

function linearModel(random: RandomGenerator, d: number): { f: ModelFunction; coefficients: number[]; intercept: number } {
  const coefficients = Array.from({ length: d }, () => randomNormal(random));
  const intercept = randomNormal(random);
  const f: ModelFunction = (z) => {
    let out = intercept;
    for (let j = 0; j < d; j++) out += coefficients[j]! * z[j]!;
    return out;
  };
  return { f, coefficients, intercept };
}

/** A small non-linear model: a logistic regression with d / 2 pairwise interaction terms (a propensity score). */
function interactionModel(random: RandomGenerator, d: number): ModelFunction {
  const { coefficients, intercept } = linearModel(random, d);
  const pairs = Math.floor(d / 2);
  const left = Int32Array.from({ length: pairs }, (_, k) => 2 * k);
  const right = Int32Array.from({ length: pairs }, (_, k) => (2 * k + 3) % d);
  const gamma = Float64Array.from({ length: pairs }, () => randomNormal(random, { standardDeviation: 0.5 }));
  return (z) => {
    let t = intercept;
    for (let j = 0; j < d; j++) t += coefficients[j]! * z[j]!;
    for (let k = 0; k < pairs; k++) t += gamma[k]! * z[left[k]!]! * z[right[k]!]!;
    return 1 / (1 + Math.exp(-t));
  };
}

/** A heavier non-linear model: a logistic output over 8 tanh hidden units (a one-hidden-layer network). */
function networkModel(random: RandomGenerator, d: number): ModelFunction {
  const hidden = 8;
  const w1 = Float64Array.from({ length: hidden * d }, () => randomNormal(random, { standardDeviation: 0.5 }));
  const b1 = Float64Array.from({ length: hidden }, () => randomNormal(random, { standardDeviation: 0.1 }));
  const w2 = Float64Array.from({ length: hidden }, () => randomNormal(random));
  return (z) => {
    let out = 0.1;
    for (let h = 0; h < hidden; h++) {
      let a = b1[h]!;
      for (let j = 0; j < d; j++) a += w1[h * d + j]! * z[j]!;
      out += w2[h]! * Math.tanh(a);
    }
    return 1 / (1 + Math.exp(-out));
  };
}

const additivityError = (e: Explanation): number => Math.abs(e.baseValue + e.values.reduce((a, b) => a + b, 0) - e.output);
const meanAbsError = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;

export async function runExplain(): Promise<SuiteResult> {
  const random = createRandom("bench-explain");
  const rows: BenchRow[] = [];

  // exact: 12 players, 50 background rows
  const d12 = 12;
  const background12 = normalRows(random, 50, d12);
  const x12 = normalRows(random, 1, d12)[0]!;
  const linear12 = linearModel(random, d12);
  const interaction12 = interactionModel(random, d12);
  const network12 = networkModel(random, d12);
  const exactLinear = explainExact(linear12.f, x12, { background: background12 });
  const exactNetwork = explainExact(network12, x12, { background: background12 });
  const exactOptions = { minTotalMs: 1000 };
  rows.push({ name: "exact-12-players-50-background-ms", value: timeMs(() => explainExact(linear12.f, x12, { background: background12 }), exactOptions), unit: "ms (linear model)" });
  rows.push({ name: "exact-12-players-50-background-nonlinear-ms", value: timeMs(() => explainExact(interaction12, x12, { background: background12 }), exactOptions), unit: "ms (logistic with 6 interactions)" });
  rows.push({ name: "exact-12-players-50-background-network-ms", value: timeMs(() => explainExact(network12, x12, { background: background12 }), exactOptions), unit: "ms (8-unit tanh network)" });
  rows.push({ name: "exact-12-players-model-calls", value: exactLinear.modelCalls, unit: "calls" });

  // KernelSHAP: 30 players, 2 · 30 + 2048 coalitions, 50 background rows
  const d30 = 30;
  const background30 = normalRows(random, 50, d30);
  const x30 = normalRows(random, 1, d30)[0]!;
  const interaction30 = interactionModel(random, d30);
  const network30 = networkModel(random, d30);
  const kernelOptions = { background: background30, samples: 2 * 30 + 2048 };
  const kernel30 = explainKernel(interaction30, x30, kernelOptions);
  rows.push({ name: "kernel-30-players-ms", value: timeMs(() => explainKernel(interaction30, x30, kernelOptions), { minTotalMs: 1500 }), unit: "ms (logistic with 15 interactions, 50 background rows)" });
  rows.push({ name: "kernel-30-players-network-ms", value: timeMs(() => explainKernel(network30, x30, kernelOptions), { minTotalMs: 1500 }), unit: "ms (8-unit tanh network, 50 background rows)" });
  rows.push({ name: "kernel-30-players-model-calls", value: kernel30.modelCalls, unit: "calls" });
  const permutation30 = explainPermutation(interaction30, x30, { background: background30, permutations: 32 });
  rows.push({ name: "permutation-30-players-32-ms", value: timeMs(() => explainPermutation(interaction30, x30, { background: background30, permutations: 32 }), { minTotalMs: 1500 }), unit: "ms (32 antithetic pairs, 50 background rows)" });
  rows.push({ name: "permutation-30-players-32-model-calls", value: permutation30.modelCalls, unit: "calls" });

  // the closed form needs no model call
  rows.push({ name: "linear-closed-form-12-features-us", value: 1000 * timeMs(() => explainLinear(linear12, x12, { background: background12 })), unit: "µs" });

  // accuracy of the sampled methods on the 12-player network, against its exact values
  const kernelDefault = explainKernel(network12, x12, { background: background12, seed: 1 });
  const permutationDefault = explainPermutation(network12, x12, { background: background12, seed: 1 });
  const scale = exactNetwork.values.reduce((s, v) => s + Math.abs(v), 0) / d12;
  rows.push({ name: "kernel-12-players-relative-error", value: meanAbsError(kernelDefault.values, exactNetwork.values) / scale, unit: `mean |error| / mean |φ| (${kernelDefault.modelCalls} calls)` });
  rows.push({ name: "permutation-12-players-relative-error", value: meanAbsError(permutationDefault.values, exactNetwork.values) / scale, unit: `mean |error| / mean |φ| (${permutationDefault.modelCalls} calls)` });

  // additivity over every method and 20 random rows each
  let maxError = 0;
  for (let r = 0; r < 20; r++) {
    const x = normalRows(random, 1, d12)[0]!;
    const bg = normalRows(random, 10, d12);
    const logistic = linearModel(random, d12);
    for (const e of [
      explainExact(network12, x, { background: bg }),
      explainExact(network12, x, { background: bg, link: "logit" }),
      explainKernel(network12, x, { background: bg, samples: 300, seed: r }),
      explainPermutation(network12, x, { background: bg, permutations: 4, seed: r }),
      explainLinear(linear12, x, { background: bg }),
      explainLogistic(logistic, x, { background: bg }),
    ]) {
      maxError = Math.max(maxError, additivityError(e));
    }
  }
  for (const e of [exactLinear, exactNetwork, kernel30, permutation30]) maxError = Math.max(maxError, additivityError(e));
  rows.push({ name: "max-additivity-error", value: maxError, unit: "|base + Σ values − f(x)|" });

  return {
    suite: "explain",
    protocol:
      "Seeded standard-normal rows and models; time per explanation is the median batch of timeMs (bench/lib.ts). Exact: 12 players, 50 background rows (2^12 coalitions × 50 rows), a linear model, a small non-linear model (a logistic regression with d/2 pairwise interaction terms) and a heavier one (a logistic one-hidden-layer network of 8 tanh units, whose own cost dominates). Kernel: 30 players, 2·30 + 2048 coalitions, 50 background rows, the interaction model and the network. Permutation: 30 players, 32 antithetic pairs, the interaction model. Relative errors: default budgets on the 12-player network against its exact values. Max additivity error: every method on 20 random rows plus the timed explanations.",
    rows,
  };
}
