/**
 * A small multilayer perceptron classifier (one hidden layer, softmax output) trained with Adam on mini-batches,
 * with class weights, early stopping and temperature-scaled (calibrated) probabilities.
 *
 * @module
 */
import { progressOption, type ProgressCallback } from "../core/progress.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { createRandom, permutation, randomNormal, type Seed } from "../core/random.ts";
import { badModel, float64ArrayFromJSON, readModelEnvelope, typedArrayToJSON } from "../internal/serialize.ts";
import { assertInteger, assertOneOf, assertSeed } from "../internal/validate.ts";
import type { DenseMatrix } from "../linalg/types.ts";
import { checkFeatureMatrix, checkFeatureNames, resolveClassWeights, type ClassWeights } from "./shared.ts";

/** The hidden activation. @category classifiers */
export type MlpActivation = "relu" | "tanh";

const ACTIVATIONS: readonly MlpActivation[] = ["relu", "tanh"];

/**
 * Options of {@link fitMlpClassifier}.
 *
 * @category classifiers
 */
export interface MlpClassifierOptions {
  /** Called after each epoch (`phase` `"epoch"`). @defaultValue none */
  onProgress?: ProgressCallback;
  /**
   * Hidden units, an integer in [1, 4,096], and (inputs + classes) × hiddenUnits at most 10,000,000 weights.
   * @defaultValue 16
   */
  hiddenUnits?: number;
  /** Hidden activation. @defaultValue "relu" */
  activation?: MlpActivation;
  /** Passes over the training rows at most, an integer in [1, 100,000]. @defaultValue 200 */
  epochs?: number;
  /** Rows per Adam step, an integer >= 1 (a batch larger than the training rows is one batch). @defaultValue 32 */
  batchSize?: number;
  /** Adam's step size. @defaultValue 0.01 */
  learningRate?: number;
  /** L2 penalty on the weights (not the biases), added to the mean loss. @defaultValue 1e-4 */
  l2?: number;
  /** Class weights of the loss; for more than two classes an array or `"balanced"`. @defaultValue equal */
  classWeights?: ClassWeights;
  /**
   * The share of rows held out (stratified by class, seeded) to stop early and to calibrate the probabilities
   * (temperature scaling); 0 trains on everything for `epochs` and skips calibration.
   * @defaultValue 0.15
   */
  validationFraction?: number;
  /** Stop after this many epochs without a better validation loss (the best weights are kept). @defaultValue 20 */
  patience?: number;
  /** Seeds the initial weights, the validation split and the batch order. @defaultValue 0 */
  seed?: Seed;
  /** Feature names, kept in the model. @defaultValue ["x0", ...] */
  featureNames?: readonly string[];
  /** Class names, one per class index, at most 1,000. @defaultValue ["0", "1", ...] */
  classNames?: readonly string[];
}

/** The most hidden units (`options.hiddenUnits`). */
const MLP_MAX_HIDDEN_UNITS = 4096;
/** The most epochs (`options.epochs`). */
const MLP_MAX_EPOCHS = 100_000;
/** The most classes: labels are class indices below it, `options.classNames` holds at most this many names. */
const MLP_MAX_CLASSES = 1000;
/**
 * The most weights, (inputs + classes) × hidden units; each is kept five times (weights, gradient, two Adam moments,
 * the best epoch's copy), 400 MB at this bound.
 */
const MLP_MAX_WEIGHTS = 10_000_000;

/**
 * A fitted MLP classifier: plain, frozen data (standardisation, weights, temperature).
 *
 * @category classifiers
 */
export interface MlpClassifierModel {
  /** Always `"mlp-classifier"`. */
  readonly kind: "mlp-classifier";
  /** Format version, 1. */
  readonly version: 1;
  /** One per input. */
  readonly featureNames: readonly string[];
  /** One per class. */
  readonly classNames: readonly string[];
  /** Hidden units. */
  readonly hiddenUnits: number;
  /** Hidden activation. */
  readonly activation: MlpActivation;
  /** Training means of the inputs. */
  readonly means: Float64Array;
  /** Training standard deviations of the inputs (1 for constant ones). */
  readonly scales: Float64Array;
  /** inputs × hidden, row-major. */
  readonly hiddenWeights: Float64Array;
  /** One per hidden unit. */
  readonly hiddenBias: Float64Array;
  /** hidden × classes, row-major. */
  readonly outputWeights: Float64Array;
  /** One per class. */
  readonly outputBias: Float64Array;
  /** Logits are divided by this before the softmax (1: uncalibrated). */
  readonly temperature: number;
  /** Epochs run (the weights are those of the best validation epoch). */
  readonly epochs: number;
}

/**
 * The JSON form of an {@link MlpClassifierModel}: its fields with typed arrays as number arrays.
 *
 * @category classifiers
 */
export interface MlpClassifierModelJSON {
  /** Always `"mlp-classifier"`. */
  readonly kind: "mlp-classifier";
  /** Format version, 1. */
  readonly version: 1;
  /** As the model. */
  readonly featureNames: readonly string[];
  /** As the model. */
  readonly classNames: readonly string[];
  /** As the model. */
  readonly hiddenUnits: number;
  /** As the model. */
  readonly activation: MlpActivation;
  /** As the model. */
  readonly means: number[];
  /** As the model. */
  readonly scales: number[];
  /** As the model. */
  readonly hiddenWeights: number[];
  /** As the model. */
  readonly hiddenBias: number[];
  /** As the model. */
  readonly outputWeights: number[];
  /** As the model. */
  readonly outputBias: number[];
  /** As the model. */
  readonly temperature: number;
  /** As the model. */
  readonly epochs: number;
}

interface Net {
  d: number;
  h: number;
  k: number;
  relu: boolean;
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
}

// Forward pass of one standardised row: hidden activations into `hidden`, logits into `logits`.
function forward(net: Net, z: Float64Array, offset: number, hidden: Float64Array, logits: Float64Array): void {
  const { d, h, k, relu, w1, b1, w2, b2 } = net;
  for (let u = 0; u < h; u++) {
    let a = b1[u]!;
    for (let j = 0; j < d; j++) a += z[offset + j]! * w1[j * h + u]!;
    hidden[u] = relu ? (a > 0 ? a : 0) : Math.tanh(a);
  }
  for (let c = 0; c < k; c++) {
    let a = b2[c]!;
    for (let u = 0; u < h; u++) a += hidden[u]! * w2[u * k + c]!;
    logits[c] = a;
  }
}

// Softmax of logits / temperature into `out`; returns log-sum-exp (for the loss).
function softmax(logits: Float64Array, temperature: number, out: Float64Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < logits.length; c++) max = Math.max(max, logits[c]! / temperature);
  let sum = 0;
  for (let c = 0; c < logits.length; c++) {
    out[c] = Math.exp(logits[c]! / temperature - max);
    sum += out[c]!;
  }
  for (let c = 0; c < logits.length; c++) out[c] = out[c]! / sum;
  return max + Math.log(sum);
}

/**
 * Fits a one-hidden-layer perceptron classifier: standardised inputs → `hiddenUnits` ReLU (or tanh) units → softmax
 * over the classes, minimising the class-weighted cross-entropy plus an L2 penalty with Adam on shuffled mini-batches;
 * stops early on a stratified validation part and keeps the best epoch's weights, then calibrates the probabilities by
 * temperature scaling on that part (the single temperature minimising its log loss; Guo et al., "On calibration of
 * modern neural networks", ICML 2017). The prospect-scoring network of B2B lead scoring (good / medium / bad by
 * time-to-convert) is this model.
 *
 * Deterministic for a seed. He (ReLU) or Glorot (tanh) initial weights.
 *
 * Complexity: O(epochs · n · h · (d + k)) time, O((d + k) · h) memory beyond the standardised copy of the inputs.
 *
 * @param features - n × d training features
 * @param labels - n class indices in [0, classes)
 * @param options - architecture, optimisation, class weights, validation, seed, names
 * @returns a new frozen {@link MlpClassifierModel}
 * @throws {@link core!NextbestError} `E_SHAPE` when labels and rows disagree, `E_NON_FINITE` for a non-finite feature,
 *   `E_BAD_INPUT` for a bad label (not an integer in [0, 1000): at most 1,000 classes), fewer than two classes or a
 *   bad option (`hiddenUnits` above 4,096 or making more than 10,000,000 weights, `epochs` above 100,000), all checked
 *   before anything is allocated; `E_EMPTY` for no rows
 * @example
 * ```ts
 * import { denseFromRows } from "nextbest/linalg";
 * import { fitMlpClassifier, predictMlpClassifier } from "nextbest/classifiers";
 * // XOR: no linear model separates it.
 * const x = denseFromRows([[0, 0], [0, 1], [1, 0], [1, 1]]);
 * const model = fitMlpClassifier(x, [0, 1, 1, 0], {
 *   hiddenUnits: 8, activation: "tanh", epochs: 500, batchSize: 4, learningRate: 0.05, validationFraction: 0, seed: 1,
 * });
 * const p = predictMlpClassifier(model, x);
 * [p[0] > 0.9, p[3] > 0.9, p[5] > 0.9, p[6] > 0.9]; // => [true, true, true, true]
 * ```
 * @category classifiers
 */
export function fitMlpClassifier(features: DenseMatrix, labels: ArrayLike<number>, options: MlpClassifierOptions = {}): MlpClassifierModel {
  const fn = "fitMlpClassifier";
  checkFeatureMatrix(fn, "features", features);
  const n = features.rows;
  const d = features.cols;
  if (typeof labels !== "object" || labels === null || labels.length !== n) {
    throw new NextbestError("E_SHAPE", `${fn}: labels must hold one class index per row (${n}), got ${describeValue(labels)}`);
  }
  let k = 0;
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (typeof c !== "number" || !Number.isInteger(c) || c < 0 || c >= MLP_MAX_CLASSES) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: labels[${i}] must be a class index (an integer in [0, ${MLP_MAX_CLASSES})), got ${describeValue(c)}`);
    }
    k = Math.max(k, c + 1);
  }
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const classNames = options.classNames ?? Array.from({ length: Math.max(k, 2) }, (_, c) => String(c));
  if (!Array.isArray(classNames) || classNames.length < k || classNames.length > MLP_MAX_CLASSES || !classNames.every((c) => typeof c === "string")) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.classNames must name every class (at least ${k}, at most ${MLP_MAX_CLASSES}), got ${describeValue(classNames)}`);
  }
  k = classNames.length;
  const present = new Set(Array.from(labels));
  if (present.size < 2) throw new NextbestError("E_BAD_INPUT", `${fn}: labels must hold at least two classes, got ${present.size}`);
  const positive = (name: string, value: unknown, integer: boolean, min: number): number => {
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be ${integer ? "an integer" : "a number"} >= ${min}, got ${describeValue(value)}`);
    }
    return value;
  };
  const h = options.hiddenUnits ?? 16;
  assertInteger(fn, "options.hiddenUnits", h, 1, MLP_MAX_HIDDEN_UNITS);
  if ((d + k) * h > MLP_MAX_WEIGHTS) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.hiddenUnits must keep (features + classes) × hiddenUnits = (${d} + ${k}) × ${h} at most ${MLP_MAX_WEIGHTS} weights, got ${h}`,
    );
  }
  const activation = options.activation ?? "relu";
  assertOneOf(fn, "options.activation", activation, ACTIVATIONS);
  const epochs = options.epochs ?? 200;
  assertInteger(fn, "options.epochs", epochs, 1, MLP_MAX_EPOCHS);
  const batchSize = positive("batchSize", options.batchSize ?? 32, true, 1);
  const learningRate = positive("learningRate", options.learningRate ?? 0.01, false, Number.MIN_VALUE);
  const l2 = positive("l2", options.l2 ?? 1e-4, false, 0);
  const validationFraction = options.validationFraction ?? 0.15;
  if (typeof validationFraction !== "number" || !(validationFraction >= 0 && validationFraction < 1)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.validationFraction must be in [0, 1), got ${describeValue(validationFraction)}`);
  }
  const patience = positive("patience", options.patience ?? 20, true, 1);
  const seed = options.seed ?? 0;
  assertSeed(fn, "options.seed", seed);
  const featureNames = checkFeatureNames(fn, options.featureNames, d);
  const rowWeight = resolveClassWeights(fn, options.classWeights, labels, k);

  // Standardise.
  const x = features.data;
  const means = new Float64Array(d);
  const scales = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) means[j] = means[j]! + x[i * d + j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) scales[j] = scales[j]! + (x[i * d + j]! - means[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) scales[j] = Math.sqrt(scales[j]!) > 1e-12 ? Math.sqrt(scales[j]!) : 1;
  const z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) z[i * d + j] = (x[i * d + j]! - means[j]!) / scales[j]!;

  // Stratified validation split.
  const random = createRandom(seed);
  const isValidation = new Uint8Array(n);
  if (validationFraction > 0) {
    const byClass: number[][] = Array.from({ length: k }, () => []);
    for (const i of permutation(n, random)) byClass[labels[i]!]!.push(i);
    for (const rows of byClass) {
      const take = Math.round(rows.length * validationFraction);
      for (let r = 0; r < take && rows.length - take >= 1; r++) isValidation[rows[r]!] = 1;
    }
  }
  const trainRows: number[] = [];
  const validationRows: number[] = [];
  for (let i = 0; i < n; i++) (isValidation[i] ? validationRows : trainRows).push(i);

  // Initial weights.
  const relu = activation === "relu";
  const net: Net = {
    d,
    h,
    k,
    relu,
    w1: new Float64Array(d * h),
    b1: new Float64Array(h),
    w2: new Float64Array(h * k),
    b2: new Float64Array(k),
  };
  const sd1 = relu ? Math.sqrt(2 / d) : Math.sqrt(2 / (d + h));
  const sd2 = Math.sqrt(2 / (h + k));
  for (let p = 0; p < net.w1.length; p++) net.w1[p] = randomNormal(random, { standardDeviation: sd1 });
  for (let p = 0; p < net.w2.length; p++) net.w2[p] = randomNormal(random, { standardDeviation: sd2 });

  const params = [net.w1, net.b1, net.w2, net.b2];
  const grads = params.map((p) => new Float64Array(p.length));
  const moment1 = params.map((p) => new Float64Array(p.length));
  const moment2 = params.map((p) => new Float64Array(p.length));
  const best = params.map((p) => Float64Array.from(p));
  const hidden = new Float64Array(h);
  const logits = new Float64Array(k);
  const prob = new Float64Array(k);
  const deltaOut = new Float64Array(k);
  const deltaHidden = new Float64Array(h);
  const beta1 = 0.9;
  const beta2 = 0.999;
  let step = 0;

  const loss = (rows: readonly number[], temperature: number): number => {
    let total = 0;
    let weight = 0;
    for (const i of rows) {
      forward(net, z, i * d, hidden, logits);
      const lse = softmax(logits, temperature, prob);
      total += rowWeight[i]! * (lse - logits[labels[i]!]! / temperature);
      weight += rowWeight[i]!;
    }
    return total / weight;
  };

  let bestLoss = Number.POSITIVE_INFINITY;
  let sinceBest = 0;
  let epochsRun = 0;
  const onProgress = progressOption(fn, options.onProgress);
  for (let epoch = 0; epoch < epochs; epoch++) {
    epochsRun = epoch + 1;
    const order = permutation(trainRows.length, random);
    for (let start = 0; start < order.length; start += batchSize) {
      const end = Math.min(order.length, start + batchSize);
      for (const g of grads) g.fill(0);
      let batchWeight = 0;
      for (let b = start; b < end; b++) {
        const i = trainRows[order[b]!]!;
        const offset = i * d;
        forward(net, z, offset, hidden, logits);
        softmax(logits, 1, prob);
        const c = rowWeight[i]!;
        batchWeight += c;
        for (let o = 0; o < k; o++) deltaOut[o] = c * (prob[o]! - (o === labels[i] ? 1 : 0));
        for (let u = 0; u < h; u++) {
          let back = 0;
          for (let o = 0; o < k; o++) {
            grads[2]![u * k + o] = grads[2]![u * k + o]! + hidden[u]! * deltaOut[o]!;
            back += net.w2[u * k + o]! * deltaOut[o]!;
          }
          const act = hidden[u]!;
          deltaHidden[u] = relu ? (act > 0 ? back : 0) : back * (1 - act * act);
        }
        for (let o = 0; o < k; o++) grads[3]![o] = grads[3]![o]! + deltaOut[o]!;
        for (let j = 0; j < d; j++) {
          const zj = z[offset + j]!;
          if (zj === 0) continue;
          for (let u = 0; u < h; u++) grads[0]![j * h + u] = grads[0]![j * h + u]! + zj * deltaHidden[u]!;
        }
        for (let u = 0; u < h; u++) grads[1]![u] = grads[1]![u]! + deltaHidden[u]!;
      }
      step++;
      const correction1 = 1 - beta1 ** step;
      const correction2 = 1 - beta2 ** step;
      for (let t = 0; t < params.length; t++) {
        const p = params[t]!;
        const g = grads[t]!;
        const m1 = moment1[t]!;
        const m2 = moment2[t]!;
        const penalised = t === 0 || t === 2;
        for (let q = 0; q < p.length; q++) {
          const gq = g[q]! / batchWeight + (penalised ? l2 * p[q]! : 0);
          m1[q] = beta1 * m1[q]! + (1 - beta1) * gq;
          m2[q] = beta2 * m2[q]! + (1 - beta2) * gq * gq;
          p[q] = p[q]! - (learningRate * (m1[q]! / correction1)) / (Math.sqrt(m2[q]! / correction2) + 1e-8);
        }
      }
    }
    onProgress?.({ phase: "epoch", step: epoch + 1, total: epochs });
    if (validationRows.length === 0) continue;
    const current = loss(validationRows, 1);
    if (current < bestLoss - 1e-12) {
      bestLoss = current;
      sinceBest = 0;
      params.forEach((p, t) => best[t]!.set(p));
    } else if (++sinceBest >= patience) break;
  }
  if (validationRows.length > 0) params.forEach((p, t) => p.set(best[t]!));

  // Temperature scaling: golden-section search of log T in [log 0.05, log 20] on the validation log loss.
  let temperature = 1;
  if (validationRows.length > 0) {
    let lo = Math.log(0.05);
    let hi = Math.log(20);
    const ratio = (Math.sqrt(5) - 1) / 2;
    let a = hi - ratio * (hi - lo);
    let b = lo + ratio * (hi - lo);
    let fa = loss(validationRows, Math.exp(a));
    let fb = loss(validationRows, Math.exp(b));
    for (let it = 0; it < 40; it++) {
      if (fa < fb) {
        hi = b;
        b = a;
        fb = fa;
        a = hi - ratio * (hi - lo);
        fa = loss(validationRows, Math.exp(a));
      } else {
        lo = a;
        a = b;
        fa = fb;
        b = lo + ratio * (hi - lo);
        fb = loss(validationRows, Math.exp(b));
      }
    }
    temperature = Math.exp((lo + hi) / 2);
  }
  return Object.freeze({
    kind: "mlp-classifier",
    version: 1,
    featureNames: Object.freeze([...featureNames]),
    classNames: Object.freeze([...classNames]),
    hiddenUnits: h,
    activation,
    means,
    scales,
    hiddenWeights: net.w1,
    hiddenBias: net.b1,
    outputWeights: net.w2,
    outputBias: net.b2,
    temperature,
    epochs: epochsRun,
  });
}

function checkModel(fn: string, model: unknown): asserts model is MlpClassifierModel {
  const m = model as Partial<MlpClassifierModel> | null;
  if (typeof m !== "object" || m === null || m.kind !== "mlp-classifier" || m.version !== 1 || !(m.hiddenWeights instanceof Float64Array)) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model must be a version-1 MLP classifier (from fitMlpClassifier), got ${describeValue(model)}`);
  }
}

/**
 * Class probabilities of every row (calibrated by the model's temperature), row-major n × classes.
 *
 * Complexity: O(n · h · (d + k)).
 *
 * @param model - a fitted model
 * @param features - n × d rows
 * @returns n × classes probabilities, each row summing to 1
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a bad model, `E_SHAPE` / `E_NON_FINITE` for bad rows
 * @example
 * ```ts
 * import { denseFromRows } from "nextbest/linalg";
 * import { fitMlpClassifier, predictMlpClassifier } from "nextbest/classifiers";
 * const x = denseFromRows([[0], [1], [2], [3]]);
 * const model = fitMlpClassifier(x, [0, 0, 1, 1], { validationFraction: 0, epochs: 300, batchSize: 4, seed: 3 });
 * const p = predictMlpClassifier(model, denseFromRows([[3]]));
 * [p.length, p[1] > 0.5, Math.abs(p[0] + p[1] - 1) < 1e-12]; // => [2, true, true]
 * ```
 * @category classifiers
 */
export function predictMlpClassifier(model: MlpClassifierModel, features: DenseMatrix): Float64Array {
  const fn = "predictMlpClassifier";
  checkModel(fn, model);
  checkFeatureMatrix(fn, "features", features);
  const d = model.means.length;
  if (features.cols !== d) throw new NextbestError("E_SHAPE", `${fn}: features must have ${d} columns (the model's inputs), got ${features.cols}`);
  const k = model.classNames.length;
  const net: Net = {
    d,
    h: model.hiddenUnits,
    k,
    relu: model.activation === "relu",
    w1: model.hiddenWeights,
    b1: model.hiddenBias,
    w2: model.outputWeights,
    b2: model.outputBias,
  };
  const z = new Float64Array(d);
  const hidden = new Float64Array(model.hiddenUnits);
  const logits = new Float64Array(k);
  const prob = new Float64Array(k);
  const out = new Float64Array(features.rows * k);
  for (let i = 0; i < features.rows; i++) {
    for (let j = 0; j < d; j++) z[j] = (features.data[i * d + j]! - model.means[j]!) / model.scales[j]!;
    forward(net, z, 0, hidden, logits);
    softmax(logits, model.temperature, prob);
    out.set(prob, i * k);
  }
  return out;
}

/**
 * The JSON form of an MLP classifier.
 *
 * Complexity: O(parameters).
 *
 * @param model - the model
 * @returns plain data; {@link mlpClassifierFromJSON} reads it back
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a bad model
 * @example
 * ```ts
 * import { denseFromRows } from "nextbest/linalg";
 * import { fitMlpClassifier, mlpClassifierFromJSON, mlpClassifierToJSON, predictMlpClassifier } from "nextbest/classifiers";
 * const x = denseFromRows([[0], [1], [2], [3]]);
 * const model = fitMlpClassifier(x, [0, 0, 1, 1], { validationFraction: 0, epochs: 20, hiddenUnits: 2 });
 * const copy = mlpClassifierFromJSON(JSON.parse(JSON.stringify(mlpClassifierToJSON(model))));
 * Array.from(predictMlpClassifier(copy, x)).join() === Array.from(predictMlpClassifier(model, x)).join(); // => true
 * ```
 * @category classifiers
 */
export function mlpClassifierToJSON(model: MlpClassifierModel): MlpClassifierModelJSON {
  checkModel("mlpClassifierToJSON", model);
  return {
    kind: "mlp-classifier",
    version: 1,
    featureNames: [...model.featureNames],
    classNames: [...model.classNames],
    hiddenUnits: model.hiddenUnits,
    activation: model.activation,
    means: typedArrayToJSON(model.means),
    scales: typedArrayToJSON(model.scales),
    hiddenWeights: typedArrayToJSON(model.hiddenWeights),
    hiddenBias: typedArrayToJSON(model.hiddenBias),
    outputWeights: typedArrayToJSON(model.outputWeights),
    outputBias: typedArrayToJSON(model.outputBias),
    temperature: model.temperature,
    epochs: model.epochs,
  };
}

/**
 * Rebuilds an MLP classifier from its JSON form (parsed), validating every field.
 *
 * Complexity: O(parameters).
 *
 * @param json - the parsed JSON of {@link mlpClassifierToJSON}
 * @returns a new frozen model
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { mlpClassifierFromJSON } from "nextbest/classifiers";
 * mlpClassifierFromJSON({ kind: "mlp-classifier", version: 1, featureNames: ["a"], classNames: ["no", "yes"], hiddenUnits: 0 });
 * // throws NextbestError E_BAD_MODEL: "mlpClassifierFromJSON: json.hiddenUnits must be an integer >= 1, got 0"
 * ```
 * @category classifiers
 */
export function mlpClassifierFromJSON(json: unknown): MlpClassifierModel {
  const fn = "mlpClassifierFromJSON";
  const record = readModelEnvelope(fn, json, "mlp-classifier", [1]);
  const strings = (field: string, min: number): string[] => {
    const value = record[field];
    if (!Array.isArray(value) || value.length < min || !value.every((s) => typeof s === "string")) badModel(fn, `json.${field}`, `be an array of at least ${min} strings`, value);
    return value as string[];
  };
  const featureNames = strings("featureNames", 1);
  const classNames = strings("classNames", 2);
  const h = record["hiddenUnits"];
  if (typeof h !== "number" || !Number.isInteger(h) || h < 1) badModel(fn, "json.hiddenUnits", "be an integer >= 1", h);
  const activation = record["activation"];
  if (!ACTIVATIONS.includes(activation as MlpActivation)) badModel(fn, "json.activation", 'be "relu" or "tanh"', activation);
  const d = featureNames.length;
  const k = classNames.length;
  const array = (field: string, length: number, meaning: string) => float64ArrayFromJSON(fn, `json.${field}`, record[field], { length, lengthMeaning: meaning });
  const means = array("means", d, "one per input");
  const scales = array("scales", d, "one per input");
  for (let j = 0; j < d; j++) if (!(scales[j]! > 0)) badModel(fn, `json.scales[${j}]`, "be > 0", scales[j]);
  const hiddenWeights = array("hiddenWeights", d * h, "inputs × hidden");
  const hiddenBias = array("hiddenBias", h, "one per hidden unit");
  const outputWeights = array("outputWeights", h * k, "hidden × classes");
  const outputBias = array("outputBias", k, "one per class");
  const temperature = record["temperature"];
  if (typeof temperature !== "number" || !(temperature > 0) || !Number.isFinite(temperature)) badModel(fn, "json.temperature", "be a finite number > 0", temperature);
  const epochs = record["epochs"];
  if (typeof epochs !== "number" || !Number.isInteger(epochs) || epochs < 0) badModel(fn, "json.epochs", "be an integer >= 0", epochs);
  return Object.freeze({
    kind: "mlp-classifier",
    version: 1,
    featureNames: Object.freeze(featureNames),
    classNames: Object.freeze(classNames),
    hiddenUnits: h,
    activation: activation as MlpActivation,
    means,
    scales,
    hiddenWeights,
    hiddenBias,
    outputWeights,
    outputBias,
    temperature,
    epochs,
  });
}
