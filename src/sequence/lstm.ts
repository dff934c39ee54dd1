/**
 * A small LSTM over stage sequences (Hochreiter & Schmidhuber 1997, with forget gates as in Gers, Schmidhuber &
 * Cummins 2000), written on Float64Array: one or two layers, inputs per step = stage one-hot + numeric features,
 * three heads (next stage, win probability, log1p days to the next event), trained by backpropagation through time
 * with Adam, gradient clipping, L2, seeded dropout, mini-batches and early stopping.
 *
 * @module
 */
import { progressOption, type ProgressCallback } from "../core/progress.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { createRandom, permutation, type Seed } from "../core/random.ts";
import { assertOneOf } from "../internal/validate.ts";
import { kernelOption, type KernelChoice } from "../linalg/wasm/simd.ts";
import { badModel, float64ArrayFromJSON, readModelEnvelope, typedArrayToJSON } from "../internal/serialize.ts";
import {
  checkArray,
  checkOptions,
  integerOption,
  numberOption,
  seedOption,
  stageIndex,
  vocabularyOf,
  type Vocabulary,
} from "./internal.ts";
import {
  adamStep,
  batchLossAndGradient,
  countTargets,
  createWorkspace,
  forwardSequence,
  initializeParameters,
  lossScales,
  lstmLayout,
  sequenceLoss,
  type LossScales,
  type LstmShape,
  type LstmWorkspace,
  type PackedSequences,
} from "./lstm-kernel.ts";
import { createLstmKernelFit } from "./lstm-wasm.ts";

/**
 * A sequence prefix to predict from: the stage of each step and, when the model uses numeric features, one feature
 * row per step.
 *
 * @category sequence
 */
export interface SequenceInput {
  /** The stage (state, activity) of each step, oldest first; any strings. */
  readonly stages: readonly string[];
  /** One row of `featureCount` finite numbers per step; omit when the model has no features. */
  readonly features?: readonly ArrayLike<number>[];
}

/**
 * A training sequence: the steps plus the targets of the three heads. A missing or `null` target is simply not
 * trained on (masking), so open deals, unknown outcomes and the last step of a case all fit.
 *
 * @category sequence
 */
export interface SequenceExample extends SequenceInput {
  /** For each step, the stage of the next event (a terminal such as `"won"` or an end marker is a stage too), or null. */
  readonly nextStages?: readonly (string | null)[];
  /** The outcome, trained at every step: true won, false lost, null or absent unknown. */
  readonly won?: boolean | null;
  /** For each step, days until the next event (>= 0), or null; regressed as log1p(days). */
  readonly daysToNext?: readonly (number | null)[];
}

/** Loss weights of the three heads. @category sequence */
export interface LstmHeadWeights {
  /** Weight of the next-stage cross-entropy. @defaultValue 1 */
  readonly nextStage?: number;
  /** Weight of the win binary cross-entropy. @defaultValue 1 */
  readonly win?: number;
  /** Weight of the error on log1p(days to the next event) (see {@link LstmOptions.daysLoss}). @defaultValue 1 */
  readonly days?: number;
}

/** What {@link LstmOptions.onEpoch} receives after each epoch. @category sequence */
export interface LstmEpochReport {
  /** The epoch, from 1. */
  readonly epoch: number;
  /** Mean training loss over the epoch's batches (heads weighted, L2 included). */
  readonly loss: number;
  /** Validation loss (heads weighted, no L2), NaN without a validation split. */
  readonly validationLoss: number;
  /** Next-stage accuracy on the validation targets, NaN without a validation split or next-stage targets. */
  readonly validationAccuracy: number;
  /** Seconds since training started. */
  readonly seconds: number;
}

/**
 * Options of {@link fitLstm}.
 *
 * @category sequence
 */
export interface LstmOptions {
  /**
   * Called after each epoch (`phase` `"epoch"`, `loss` the training loss, `metric` the validation accuracy when a
   * validation part is held out), the shared progress form of `onEpoch`. @defaultValue none
   */
  onProgress?: ProgressCallback;
  /** Hidden units per layer, in [1, 512]. @defaultValue 32 */
  hiddenSize?: number;
  /** LSTM layers, 1 or 2. @defaultValue 1 */
  layers?: number;
  /** Maximum epochs. @defaultValue 30 */
  epochs?: number;
  /** Sequences per mini-batch. @defaultValue 64 */
  batchSize?: number;
  /** Adam step size. @defaultValue 0.005 */
  learningRate?: number;
  /** Largest global L2 norm of a batch gradient; larger gradients are scaled down. 0 disables. @defaultValue 5 */
  clipNorm?: number;
  /** L2 penalty (λ/2)‖W‖² on all weight matrices (not biases). @defaultValue 0 */
  l2?: number;
  /** Inverted-dropout rate on each layer's output, in [0, 0.9). @defaultValue 0 */
  dropout?: number;
  /** Loss weights of the heads. @defaultValue all 1 */
  headWeights?: LstmHeadWeights;
  /**
   * The loss of the time head on log1p(days to the next event): `"squared"` (half squared error; the head predicts a
   * conditional mean of log1p days) or `"absolute"` (absolute error; a conditional median, the best predictor of days
   * under a mean absolute error, since log1p is monotone).
   * @defaultValue "squared"
   */
  daysLoss?: "squared" | "absolute";
  /**
   * Fraction of the sequences held out (seeded) for early stopping; 0 trains on all for `epochs` epochs.
   * @defaultValue 0.1 (0 when there are fewer than 10 sequences)
   */
  validationFraction?: number;
  /**
   * Which sequences are held out: `"random"` (seeded) or `"last"` (the last ones in input order, as Keras'
   * `validationSplit` does; for data in time order, validation then sits closest to the future).
   * @defaultValue "random"
   */
  validationSplit?: "random" | "last";
  /** Epochs without a validation-loss improvement before stopping; the best epoch's weights are kept. @defaultValue 5 */
  patience?: number;
  /** The stage vocabulary (input one-hot and next-stage classes), in order. @defaultValue stages in first-seen order */
  stages?: readonly string[];
  /** Seed of the initialization, the validation split, the batch order and dropout. @defaultValue 0 */
  seed?: Seed;
  /** Called after each epoch with the losses, the validation accuracy and the elapsed seconds. */
  onEpoch?: (report: LstmEpochReport) => void;
  /**
   * The kernels of training's matrix products and backward steps through the cell (see {@link linalg!KernelChoice}):
   * `"auto"` runs the WebAssembly SIMD kernels where the runtime has them and the JavaScript loops elsewhere,
   * `"webassembly"` requires the former, `"javascript"` forces the latter. Both compute every value in float64 with
   * the same operations in the same order, so the models are identical bit for bit; the WebAssembly kernels are faster
   * (fitting the default LSTM on the Helpdesk log took about half as long). Prediction runs in JavaScript.
   * @defaultValue "auto"
   */
  kernels?: KernelChoice;
}

/** The resolved hyperparameters of an {@link LstmModel}. @category sequence */
export interface LstmHyperparameters {
  /** Maximum epochs. */
  readonly epochs: number;
  /** Batch size. */
  readonly batchSize: number;
  /** Adam step size. */
  readonly learningRate: number;
  /** Gradient clipping norm. */
  readonly clipNorm: number;
  /** L2 penalty. */
  readonly l2: number;
  /** Dropout rate. */
  readonly dropout: number;
  /** Head loss weights. */
  readonly headWeights: Required<LstmHeadWeights>;
  /** The loss of the time head (models serialized before the option read as `"squared"`). */
  readonly daysLoss: "squared" | "absolute";
  /** Validation fraction. */
  readonly validationFraction: number;
  /** How the validation sequences were chosen. */
  readonly validationSplit: "random" | "last";
  /** Early-stopping patience. */
  readonly patience: number;
  /** The seed. */
  readonly seed: Seed;
}

/** What training did. @category sequence */
export interface LstmTrainingSummary {
  /** Epochs run. */
  readonly epochsRun: number;
  /** The epoch whose weights the model holds (the best validation loss, or the last epoch). */
  readonly bestEpoch: number;
  /** Mean training loss of the last epoch. */
  readonly trainLoss: number;
  /** Best validation loss, or null without a validation split. */
  readonly validationLoss: number | null;
}

/**
 * A fitted LSTM: shape, stage vocabulary and one flat parameter vector (layout: per layer input weights 4H × inputs,
 * stage weights stages × 4H on layer 1, recurrent weights 4H × H, bias 4H, gates in the order i, f, g, o; then the
 * next-stage head stages × H and bias, the win head H and bias, the days head H and bias).
 *
 * @category sequence
 */
export interface LstmModel {
  /** Discriminant of the model family. */
  readonly kind: "lstm";
  /** Format version; {@link lstmFromJSON} reads version 1. */
  readonly version: 1;
  /** The stages: one-hot inputs and next-stage classes, in index order. */
  readonly stages: readonly string[];
  /** Numeric features per step. */
  readonly featureCount: number;
  /** Hidden units per layer. */
  readonly hiddenSize: number;
  /** LSTM layers (1 or 2). */
  readonly layers: number;
  /** All parameters, flat. */
  readonly parameters: Float64Array;
  /** The resolved hyperparameters. */
  readonly hyperparameters: LstmHyperparameters;
  /** What training did. */
  readonly training: LstmTrainingSummary;
}

/** The JSON form of an {@link LstmModel}. @category sequence */
export interface LstmModelJSON {
  /** Always `"lstm"`. */
  readonly kind: "lstm";
  /** The format version, 1. */
  readonly version: 1;
  /** The stages. */
  readonly stages: string[];
  /** Features per step. */
  readonly featureCount: number;
  /** Hidden units. */
  readonly hiddenSize: number;
  /** Layers. */
  readonly layers: number;
  /** Parameters, flat. */
  readonly parameters: number[];
  /** Hyperparameters. */
  readonly hyperparameters: LstmHyperparameters;
  /** Training summary. */
  readonly training: LstmTrainingSummary;
}

/** The prediction for one sequence prefix. @category sequence */
export interface LstmPrediction {
  /** The most likely next stage. */
  readonly nextStage: string;
  /** Probability of each next stage, aligned with the model's `stages`; sums to 1. */
  readonly nextStageProbabilities: Float64Array;
  /** Probability that the sequence ends won. */
  readonly winProbability: number;
  /** Predicted days to the next event: expm1 of the predicted log1p(days), so a typical (not a mean) gap. */
  readonly expectedDays: number;
}

/** Predictions after every prefix of one sequence (row t: after steps 0..t). @category sequence */
export interface LstmStepPredictions {
  /** Steps × stages, row-major; each row sums to 1. */
  readonly nextStageProbabilities: Float64Array;
  /** Win probability after each step. */
  readonly winProbability: Float64Array;
  /** Predicted days to the next event after each step. */
  readonly expectedDays: Float64Array;
}

function shapeOf(model: { stages: readonly string[]; featureCount: number; hiddenSize: number; layers: number }): LstmShape {
  return { stageCount: model.stages.length, featureCount: model.featureCount, hiddenSize: model.hiddenSize, layers: model.layers };
}

/** Packs sequences into flat arrays, validating every field. `withTargets` reads the targets too. */
function pack(
  fn: string,
  name: string,
  sequences: readonly SequenceExample[],
  vocabulary: Vocabulary,
  featureCount: number,
  withTargets: boolean,
  single = false,
): PackedSequences {
  checkArray(fn, name, sequences);
  const count = sequences.length;
  const offsets = new Int32Array(count + 1);
  let maxLength = 0;
  for (let n = 0; n < count; n++) {
    const sequence = sequences[n];
    if (typeof sequence !== "object" || sequence === null || Array.isArray(sequence)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}[${n}] must be an object with stages, got ${describeValue(sequence)}`);
    }
    checkArray(fn, `${name}[${n}].stages`, sequence.stages);
    const length = sequence.stages.length;
    if (length === 0) throw new NextbestError("E_EMPTY", `${fn}: ${name}[${n}].stages must hold at least one step, got length 0`);
    offsets[n + 1] = offsets[n]! + length;
    if (length > maxLength) maxLength = length;
  }
  const total = offsets[count]!;
  const stages = new Int32Array(total);
  const features = new Float64Array(total * featureCount);
  const next = new Int32Array(total).fill(-1);
  const won = new Int8Array(count).fill(-1);
  const logDays = new Float64Array(total).fill(Number.NaN);
  for (let n = 0; n < count; n++) {
    const sequence = sequences[n]!;
    const start = offsets[n]!;
    const length = sequence.stages.length;
    const where = single ? name : `${name}[${n}]`;
    for (let t = 0; t < length; t++) stages[start + t] = stageIndex(fn, `${where}.stages[${t}]`, vocabulary, sequence.stages[t]);
    const rows = sequence.features;
    if (featureCount > 0 || rows !== undefined) {
      checkArray(fn, `${where}.features`, rows);
      if (rows.length !== length) {
        throw new NextbestError("E_SHAPE", `${fn}: ${where}.features must have one row per step (${length}), got length ${rows.length}`);
      }
      for (let t = 0; t < length; t++) {
        const row = rows[t] as ArrayLike<number> | undefined;
        if (row === null || typeof row !== "object" || typeof row.length !== "number") {
          throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.features[${t}] must be an array of numbers, got ${describeValue(row)}`);
        }
        if (row.length !== featureCount) {
          throw new NextbestError("E_SHAPE", `${fn}: ${where}.features[${t}] must have length ${featureCount}, got length ${row.length}`);
        }
        for (let k = 0; k < featureCount; k++) {
          const v = row[k];
          if (typeof v !== "number" || !Number.isFinite(v)) {
            throw new NextbestError(
              typeof v === "number" ? "E_NON_FINITE" : "E_BAD_INPUT",
              `${fn}: ${where}.features[${t}][${k}] must be a finite number, got ${describeValue(v)}`,
            );
          }
          features[(start + t) * featureCount + k] = v;
        }
      }
    }
    if (!withTargets) continue;
    const nextStages = sequence.nextStages;
    if (nextStages !== undefined) {
      checkArray(fn, `${where}.nextStages`, nextStages);
      if (nextStages.length !== length) {
        throw new NextbestError("E_SHAPE", `${fn}: ${where}.nextStages must have one entry per step (${length}), got length ${nextStages.length}`);
      }
      for (let t = 0; t < length; t++) {
        const target = nextStages[t];
        if (target !== null) next[start + t] = stageIndex(fn, `${where}.nextStages[${t}]`, vocabulary, target);
      }
    }
    const outcome = sequence.won;
    if (outcome !== undefined && outcome !== null) {
      if (typeof outcome !== "boolean") {
        throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.won must be a boolean or null, got ${describeValue(outcome)}`);
      }
      won[n] = outcome ? 1 : 0;
    }
    const days = sequence.daysToNext;
    if (days !== undefined) {
      checkArray(fn, `${where}.daysToNext`, days);
      if (days.length !== length) {
        throw new NextbestError("E_SHAPE", `${fn}: ${where}.daysToNext must have one entry per step (${length}), got length ${days.length}`);
      }
      for (let t = 0; t < length; t++) {
        const d = days[t];
        if (d === null) continue;
        if (typeof d !== "number" || !Number.isFinite(d) || d < 0) {
          throw new NextbestError(
            typeof d === "number" && !Number.isFinite(d) ? "E_NON_FINITE" : "E_BAD_INPUT",
            `${fn}: ${where}.daysToNext[${t}] must be a finite number >= 0 or null, got ${describeValue(d)}`,
          );
        }
        logDays[start + t] = Math.log1p(d);
      }
    }
  }
  return { count, offsets, stages, features, next, won, logDays, maxLength };
}

/** The stage vocabulary of examples: the given list, or every stage and next stage in first-seen order. */
function vocabularyFor(fn: string, examples: readonly SequenceExample[], stages: readonly string[] | undefined): Vocabulary {
  if (stages !== undefined) {
    checkArray(fn, "options.stages", stages);
    if (stages.length === 0) throw new NextbestError("E_EMPTY", `${fn}: options.stages must hold at least one stage, got length 0`);
    return vocabularyOf(fn, "options.stages", stages);
  }
  const seen = new Set<string>();
  for (let n = 0; n < examples.length; n++) {
    const example = examples[n];
    if (typeof example !== "object" || example === null || !Array.isArray(example.stages)) continue; // pack() reports it
    for (const stage of example.stages) if (typeof stage === "string") seen.add(stage);
    if (Array.isArray(example.nextStages)) for (const stage of example.nextStages) if (typeof stage === "string") seen.add(stage);
  }
  return vocabularyOf(fn, "stages", Array.from(seen));
}

function featureCountOf(fn: string, examples: readonly SequenceExample[]): number {
  for (let n = 0; n < examples.length; n++) {
    const rows = examples[n]?.features;
    if (Array.isArray(rows) && rows.length > 0) {
      const first = rows[0] as ArrayLike<number> | undefined;
      if (first === null || typeof first !== "object" || typeof first.length !== "number") {
        throw new NextbestError("E_BAD_INPUT", `${fn}: examples[${n}].features[0] must be an array of numbers, got ${describeValue(first)}`);
      }
      return first.length;
    }
  }
  return 0;
}

interface Evaluation {
  loss: number;
  accuracy: number;
}

/** Validation loss (mean per head, weighted, no L2) and next-stage accuracy over sequences `order[from, to)`. */
function evaluatePacked(
  shape: LstmShape,
  parameters: Float64Array,
  data: PackedSequences,
  order: Int32Array,
  from: number,
  to: number,
  weights: Required<LstmHeadWeights>,
  daysAbsolute: boolean,
  ws: LstmWorkspace,
): Evaluation {
  const layout = lstmLayout(shape);
  const scales: LossScales = { next: 0, win: 0, days: 0, daysAbsolute };
  const counts = countTargets(data, order, from, to);
  lossScales(weights, counts, scales);
  let loss = 0;
  let correct = 0;
  const S = shape.stageCount;
  for (let q = from; q < to; q++) {
    const n = order[q]!;
    forwardSequence(shape, layout, parameters, data, n, ws, 0, null);
    loss += sequenceLoss(shape, data, n, ws, scales);
    const start = data.offsets[n]!;
    const L = data.offsets[n + 1]! - start;
    for (let t = 0; t < L; t++) {
      const y = data.next[start + t]!;
      if (y < 0) continue;
      let best = 0;
      for (let s = 1; s < S; s++) if (ws.probabilities[t * S + s]! > ws.probabilities[t * S + best]!) best = s;
      if (best === y) correct++;
    }
  }
  return { loss, accuracy: counts[0] > 0 ? correct / counts[0] : Number.NaN };
}

/**
 * Fits an LSTM to stage sequences by backpropagation through time. Each step's input is the one-hot of its stage
 * plus its numeric features; after every step three heads predict the next stage (softmax over the stages,
 * cross-entropy), the outcome (sigmoid, binary cross-entropy) and log1p(days to the next event) (linear, half
 * squared error, or absolute error with `daysLoss: "absolute"`); each head's loss is the mean over its targets in the batch times its weight, and steps without a
 * target are masked. Adam (Kingma & Ba 2015) on mini-batches with global-norm clipping, optional L2 and inverted
 * dropout on layer outputs; with a validation split, training stops after `patience` epochs without improvement and
 * keeps the best epoch's weights. Deterministic for a seed.
 *
 * Complexity: O(epochs · steps · 4H(F + H + H·(layers − 1)) + epochs · steps · H·stages) time, O(parameters +
 * steps · F + maxLength · layers · H) memory; workspaces are allocated once per fit.
 *
 * @param examples - training sequences with their targets
 * @param options - size, training schedule, regularization, vocabulary, seed, progress callback
 * @returns a new frozen {@link LstmModel}; `examples` are not changed
 * @throws {@link core!NextbestError} `E_EMPTY` for no examples or an empty sequence, `E_SHAPE` when a per-step array
 *   has the wrong length, `E_UNKNOWN_ID` for a stage outside `options.stages`, `E_NON_FINITE` for a non-finite
 *   feature, `E_BAD_INPUT` for other malformed input or options, `E_NOT_CONVERGED` when training diverges
 * @example
 * ```ts
 * import { fitLstm, predictLstm } from "nextbest/sequence";
 * // A deal that reached "demo" is won after "proposal", one that did not is lost: the LSTM remembers.
 * const examples = [
 *   { stages: ["lead", "demo", "proposal"], nextStages: ["demo", "proposal", "won"], won: true },
 *   { stages: ["lead", "call", "proposal"], nextStages: ["call", "proposal", "lost"], won: false },
 * ];
 * const model = fitLstm(examples, { hiddenSize: 8, epochs: 300, learningRate: 0.05, seed: 1 });
 * predictLstm(model, { stages: ["lead", "demo", "proposal"] }).nextStage; // => "won"
 * predictLstm(model, { stages: ["lead", "call", "proposal"] }).winProbability < 0.1; // => true
 * fitLstm([]);
 * // throws NextbestError E_EMPTY: "fitLstm: examples must hold at least one sequence, got length 0"
 * ```
 * @category sequence
 */
export function fitLstm(examples: readonly SequenceExample[], options: LstmOptions = {}): LstmModel {
  const fn = "fitLstm";
  checkArray(fn, "examples", examples);
  if (examples.length === 0) throw new NextbestError("E_EMPTY", `${fn}: examples must hold at least one sequence, got length 0`);
  checkOptions(fn, options);
  const hiddenSize = integerOption(fn, "hiddenSize", options.hiddenSize, 32, 1, 512);
  const layers = integerOption(fn, "layers", options.layers, 1, 1, 2);
  const epochs = integerOption(fn, "epochs", options.epochs, 30, 0, 100000);
  const batchSize = integerOption(fn, "batchSize", options.batchSize, 64, 1);
  const learningRate = numberOption(fn, "learningRate", options.learningRate, 0.005, 0, Number.POSITIVE_INFINITY, true);
  const clipNorm = numberOption(fn, "clipNorm", options.clipNorm, 5, 0);
  const l2 = numberOption(fn, "l2", options.l2, 0, 0);
  const dropout = numberOption(fn, "dropout", options.dropout, 0, 0, 0.9);
  if (dropout === 0.9) throw new NextbestError("E_BAD_INPUT", `${fn}: options.dropout must be < 0.9, got 0.9`);
  const hw = options.headWeights ?? {};
  checkOptions(fn, hw);
  const headWeights = Object.freeze({
    nextStage: numberOption(fn, "headWeights.nextStage", hw.nextStage, 1, 0),
    win: numberOption(fn, "headWeights.win", hw.win, 1, 0),
    days: numberOption(fn, "headWeights.days", hw.days, 1, 0),
  });
  const daysLoss = options.daysLoss ?? "squared";
  assertOneOf(fn, "options.daysLoss", daysLoss, ["squared", "absolute"] as const);
  const validationFraction = numberOption(fn, "validationFraction", options.validationFraction, examples.length < 10 ? 0 : 0.1, 0, 0.5);
  const patience = integerOption(fn, "patience", options.patience, 5, 1);
  const validationSplit = options.validationSplit ?? "random";
  if (validationSplit !== "random" && validationSplit !== "last") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.validationSplit must be one of "random", "last", got ${describeValue(validationSplit)}`);
  }
  const seed = seedOption(fn, options.seed, 0);
  if (options.onEpoch !== undefined && typeof options.onEpoch !== "function") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.onEpoch must be a function, got ${describeValue(options.onEpoch)}`);
  }
  const kernels = kernelOption(fn, options.kernels);
  const vocabulary = vocabularyFor(fn, examples, options.stages);
  const featureCount = featureCountOf(fn, examples);
  const packed = pack(fn, "examples", examples, vocabulary, featureCount, true);
  const shape: LstmShape = { stageCount: vocabulary.ids.length, featureCount, hiddenSize, layers };
  const layout = lstmLayout(shape);
  const random = createRandom(seed);
  const initial = initializeParameters(shape, layout, random);
  // With the WebAssembly kernels, parameters, gradient, workspace and features are views onto their memory.
  const wasm = kernels !== "javascript" && epochs > 0 ? createLstmKernelFit(shape, layout, initial, packed) : undefined;
  const parameters = wasm?.parameters ?? initial;
  const data = wasm?.data ?? packed;
  wasm?.refresh();
  const validationCount = Math.min(data.count - 1, Math.round(validationFraction * data.count));
  const trainCount = data.count - validationCount;
  const order = permutation(data.count, random);
  if (validationSplit === "last") {
    // Training sequences in a seeded order, validation the last ones in input order.
    const head = permutation(trainCount, random);
    for (let i = 0; i < data.count; i++) order[i] = i < trainCount ? head[i]! : i;
  }
  const trainOrder = order.slice(0, trainCount);
  const validationOrder = order.slice(trainCount);
  const ws = wasm?.ws ?? createWorkspace(shape, data.maxLength);
  const gradient = wasm?.gradient ?? new Float64Array(layout.size);
  const adam = { m: new Float64Array(layout.size), v: new Float64Array(layout.size), step: 0 };
  const scales: LossScales = { next: 0, win: 0, days: 0, daysAbsolute: daysLoss === "absolute" };
  const best = parameters.slice();
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let sinceBest = 0;
  let epochsRun = 0;
  let trainLoss = Number.NaN;
  const started = Date.now();
  const onProgress = progressOption(fn, options.onProgress);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    // Shuffle the training sequences in place (Fisher–Yates, seeded).
    for (let i = trainCount - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = trainOrder[i]!;
      trainOrder[i] = trainOrder[j]!;
      trainOrder[j] = swap;
    }
    let lossSum = 0;
    let batches = 0;
    for (let from = 0; from < trainCount; from += batchSize) {
      const to = Math.min(trainCount, from + batchSize);
      lossSum += batchLossAndGradient(shape, layout, parameters, gradient, data, trainOrder, from, to, ws, headWeights, l2, dropout, dropout > 0 ? random : null, scales);
      adamStep(parameters, gradient, adam, learningRate, clipNorm);
      wasm?.refresh();
      batches++;
    }
    trainLoss = lossSum / Math.max(1, batches);
    epochsRun = epoch;
    if (!Number.isFinite(trainLoss) || !Number.isFinite(parameters[0]!)) {
      throw new NextbestError(
        "E_NOT_CONVERGED",
        `${fn}: training must keep a finite loss, got ${describeValue(trainLoss)} at epoch ${epoch} (lower options.learningRate or options.clipNorm)`,
      );
    }
    let validation: Evaluation = { loss: Number.NaN, accuracy: Number.NaN };
    if (validationCount > 0) {
      validation = evaluatePacked(shape, parameters, data, validationOrder, 0, validationCount, headWeights, daysLoss === "absolute", ws);
      if (validation.loss < bestLoss) {
        bestLoss = validation.loss;
        bestEpoch = epoch;
        best.set(parameters);
        sinceBest = 0;
      } else {
        sinceBest++;
      }
    }
    options.onEpoch?.({ epoch, loss: trainLoss, validationLoss: validation.loss, validationAccuracy: validation.accuracy, seconds: (Date.now() - started) / 1000 });
    onProgress?.(validationCount > 0 ? { phase: "epoch", step: epoch, total: epochs, loss: trainLoss, metric: validation.accuracy, metricName: "validation accuracy" } : { phase: "epoch", step: epoch, total: epochs, loss: trainLoss });
    if (validationCount > 0 && sinceBest >= patience) break;
  }
  if (validationCount > 0 && bestEpoch > 0) parameters.set(best);
  else bestEpoch = epochsRun;
  return Object.freeze({
    kind: "lstm",
    version: 1,
    stages: Object.freeze(vocabulary.ids.slice()),
    featureCount,
    hiddenSize,
    layers,
    parameters: wasm === undefined ? parameters : parameters.slice(),
    hyperparameters: Object.freeze({ epochs, batchSize, learningRate, clipNorm, l2, dropout, headWeights, daysLoss, validationFraction, validationSplit, patience, seed }),
    training: Object.freeze({ epochsRun, bestEpoch, trainLoss, validationLoss: validationCount > 0 && bestEpoch > 0 ? bestLoss : null }),
  });
}

function checkLstm(fn: string, model: unknown): asserts model is LstmModel {
  if (typeof model !== "object" || model === null) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model must be an LSTM model, got ${describeValue(model)}`);
  }
  const m = model as Partial<LstmModel>;
  if (m.kind !== "lstm" || m.version !== 1) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model must be a version-1 "lstm" model, got kind ${describeValue(m.kind)}, version ${describeValue(m.version)}`);
  }
  if (!(m.parameters instanceof Float64Array) || !Array.isArray(m.stages)) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.parameters must be a Float64Array, got ${describeValue(m.parameters)}`);
  }
  const expected = lstmLayout(shapeOf(m as LstmModel)).size;
  if (m.parameters.length !== expected) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.parameters must have length ${expected}, got length ${m.parameters.length}`);
  }
}

function packInputs(fn: string, name: string, model: LstmModel, sequences: readonly SequenceInput[]): PackedSequences {
  return pack(fn, name, sequences, vocabularyOf(fn, "model.stages", model.stages), model.featureCount, false);
}

/**
 * Predicts, after the last step of each prefix, the next-stage distribution, the win probability and the days to
 * the next event. Sequences run one after another through one preallocated workspace.
 *
 * Complexity: O(steps · 4H(F + H·layers) + sequences · H · stages) time, O(maxLength · layers · H) workspace.
 *
 * @param model - a fitted or deserialized LSTM
 * @param sequences - prefixes, each with at least one step
 * @returns one {@link LstmPrediction} per prefix, in order
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a malformed model, `E_UNKNOWN_ID` for a stage the model does
 *   not know, `E_EMPTY`/`E_SHAPE`/`E_NON_FINITE`/`E_BAD_INPUT` for malformed prefixes
 * @example
 * ```ts
 * import { fitLstm, predictLstmMany } from "nextbest/sequence";
 * const model = fitLstm([{ stages: ["a", "b"], nextStages: ["b", "a"] }], { hiddenSize: 4, epochs: 100, learningRate: 0.05 });
 * predictLstmMany(model, [{ stages: ["a"] }, { stages: ["a", "b"] }]).map((p) => p.nextStage); // => ["b", "a"]
 * ```
 * @category sequence
 */
export function predictLstmMany(model: LstmModel, sequences: readonly SequenceInput[]): LstmPrediction[] {
  const fn = "predictLstmMany";
  checkLstm(fn, model);
  const data = packInputs(fn, "sequences", model, sequences);
  const shape = shapeOf(model);
  const layout = lstmLayout(shape);
  const ws = createWorkspace(shape, data.maxLength);
  const S = shape.stageCount;
  const out: LstmPrediction[] = new Array(data.count);
  for (let n = 0; n < data.count; n++) {
    const L = data.offsets[n + 1]! - data.offsets[n]!;
    forwardSequence(shape, layout, model.parameters, data, n, ws, 0, null, L - 1);
    const probabilities = ws.probabilities.slice((L - 1) * S, L * S);
    let best = 0;
    for (let s = 1; s < S; s++) if (probabilities[s]! > probabilities[best]!) best = s;
    out[n] = {
      nextStage: model.stages[best]!,
      nextStageProbabilities: probabilities,
      winProbability: ws.win[L - 1]!,
      expectedDays: daysFrom(fn, ws.days[L - 1]!),
    };
  }
  return out;
}

/**
 * Predicts after the last step of one prefix: next-stage distribution, win probability, days to the next event.
 *
 * Complexity: O(L · 4H(F + H·layers) + H · stages) for a prefix of L steps.
 *
 * @param model - a fitted or deserialized LSTM
 * @param sequence - the prefix, at least one step
 * @returns the {@link LstmPrediction}
 * @throws {@link core!NextbestError} as {@link predictLstmMany}
 * @example
 * ```ts
 * import { fitLstm, predictLstm } from "nextbest/sequence";
 * const model = fitLstm([{ stages: ["a", "b"], nextStages: ["b", "a"], won: true }], { hiddenSize: 4, epochs: 100, learningRate: 0.05 });
 * const prediction = predictLstm(model, { stages: ["a"] });
 * [prediction.nextStage, prediction.winProbability > 0.9]; // => ["b", true]
 * predictLstm(model, { stages: ["zzz"] });
 * // throws NextbestError E_UNKNOWN_ID: "predictLstm: sequence.stages[0] must be a stage the model knows, got \"zzz\""
 * ```
 * @category sequence
 */
export function predictLstm(model: LstmModel, sequence: SequenceInput): LstmPrediction {
  const fn = "predictLstm";
  checkLstm(fn, model);
  const data = pack(fn, "sequence", [sequence], vocabularyOf(fn, "model.stages", model.stages), model.featureCount, false, true);
  return predictPacked(fn, model, data);
}

function predictPacked(fn: string, model: LstmModel, data: PackedSequences): LstmPrediction {
  const shape = shapeOf(model);
  const ws = createWorkspace(shape, data.maxLength);
  const S = shape.stageCount;
  const L = data.maxLength;
  forwardSequence(shape, lstmLayout(shape), model.parameters, data, 0, ws, 0, null, L - 1);
  const probabilities = ws.probabilities.slice((L - 1) * S, L * S);
  let best = 0;
  for (let s = 1; s < S; s++) if (probabilities[s]! > probabilities[best]!) best = s;
  return {
    nextStage: model.stages[best]!,
    nextStageProbabilities: probabilities,
    winProbability: ws.win[L - 1]!,
    expectedDays: daysFrom(fn, ws.days[L - 1]!),
  };
}

/**
 * Predicts after every prefix of one sequence at once (one forward pass): row t holds the prediction after steps
 * 0..t. This is how a whole case is scored under a prefix protocol.
 *
 * Complexity: O(L · (4H(F + H·layers) + H · stages)).
 *
 * @param model - a fitted or deserialized LSTM
 * @param sequence - the sequence, at least one step
 * @returns per-step next-stage probabilities, win probabilities and days
 * @throws {@link core!NextbestError} as {@link predictLstmMany}
 * @example
 * ```ts
 * import { fitLstm, predictLstmSteps } from "nextbest/sequence";
 * const model = fitLstm([{ stages: ["a", "b"], nextStages: ["b", "a"] }], { hiddenSize: 4, epochs: 100, learningRate: 0.05 });
 * const steps = predictLstmSteps(model, { stages: ["a", "b", "a"] });
 * [steps.winProbability.length, steps.nextStageProbabilities.length]; // => [3, 6]
 * ```
 * @category sequence
 */
export function predictLstmSteps(model: LstmModel, sequence: SequenceInput): LstmStepPredictions {
  const fn = "predictLstmSteps";
  checkLstm(fn, model);
  const data = pack(fn, "sequence", [sequence], vocabularyOf(fn, "model.stages", model.stages), model.featureCount, false, true);
  const shape = shapeOf(model);
  const ws = createWorkspace(shape, data.maxLength);
  forwardSequence(shape, lstmLayout(shape), model.parameters, data, 0, ws, 0, null);
  const L = data.maxLength;
  const expectedDays = new Float64Array(L);
  for (let t = 0; t < L; t++) expectedDays[t] = daysFrom(fn, ws.days[t]!);
  return {
    nextStageProbabilities: ws.probabilities.slice(0, L * shape.stageCount),
    winProbability: ws.win.slice(0, L),
    expectedDays,
  };
}

/**
 * The JSON form of an LSTM model, ready for `JSON.stringify` (float64 parameters round-trip exactly).
 *
 * Complexity: O(parameters).
 *
 * @param model - the model
 * @returns a new plain object; the model is not changed
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 LSTM model
 * @example
 * ```ts
 * import { fitLstm, lstmToJSON } from "nextbest/sequence";
 * const json = lstmToJSON(fitLstm([{ stages: ["a", "b"], nextStages: ["b", null] }], { hiddenSize: 2, epochs: 1 }));
 * [json.kind, json.stages, json.parameters.length]; // => ["lstm", ["a", "b"], 52]
 * ```
 * @category sequence
 */
export function lstmToJSON(model: LstmModel): LstmModelJSON {
  checkLstm("lstmToJSON", model);
  return {
    kind: "lstm",
    version: 1,
    stages: model.stages.slice(),
    featureCount: model.featureCount,
    hiddenSize: model.hiddenSize,
    layers: model.layers,
    parameters: typedArrayToJSON(model.parameters),
    hyperparameters: { ...model.hyperparameters, headWeights: { ...model.hyperparameters.headWeights } },
    training: { ...model.training },
  };
}

function finiteField(fn: string, field: string, value: unknown, min = Number.NEGATIVE_INFINITY): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    badModel(fn, field, min === Number.NEGATIVE_INFINITY ? "be a finite number" : `be a finite number >= ${min}`, value);
  }
  return value;
}

function integerField(fn: string, field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    badModel(fn, field, `be an integer in [${min}, ${max}]`, value);
  }
  return value;
}

function objectField(fn: string, field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) badModel(fn, field, "be an object", value);
  return value as Record<string, unknown>;
}

/**
 * Rebuilds an LSTM model from its JSON form, validating kind, version, shape, the stage list and every parameter.
 *
 * Complexity: O(parameters).
 *
 * @param json - the parsed JSON of {@link lstmToJSON}
 * @returns a new frozen {@link LstmModel} that predicts exactly as the one serialized
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { fitLstm, lstmFromJSON, lstmToJSON } from "nextbest/sequence";
 * const json = lstmToJSON(fitLstm([{ stages: ["a", "b"], nextStages: ["b", null] }], { hiddenSize: 2, epochs: 1 }));
 * lstmFromJSON(JSON.parse(JSON.stringify(json))).hiddenSize; // => 2
 * lstmFromJSON({ ...json, hiddenSize: 3 });
 * // throws NextbestError E_BAD_MODEL: "lstmFromJSON: json.parameters must have length 88 (the layout of the shape), got length 52"
 * ```
 * @category sequence
 */
export function lstmFromJSON(json: unknown): LstmModel {
  const fn = "lstmFromJSON";
  const record = readModelEnvelope(fn, json, "lstm", [1]);
  const stagesValue = record["stages"];
  if (!Array.isArray(stagesValue) || stagesValue.length === 0) badModel(fn, "json.stages", "be a non-empty array of stage ids", stagesValue);
  let stages: readonly string[];
  try {
    stages = vocabularyOf(fn, "json.stages", stagesValue).ids;
  } catch (error) {
    if (error instanceof NextbestError) throw new NextbestError("E_BAD_MODEL", error.message);
    throw error;
  }
  const featureCount = integerField(fn, "json.featureCount", record["featureCount"], 0, 1_000_000);
  const hiddenSize = integerField(fn, "json.hiddenSize", record["hiddenSize"], 1, 512);
  const layers = integerField(fn, "json.layers", record["layers"], 1, 2);
  const size = lstmLayout({ stageCount: stages.length, featureCount, hiddenSize, layers }).size;
  const parameters = float64ArrayFromJSON(fn, "json.parameters", record["parameters"], { length: size, lengthMeaning: "the layout of the shape" });
  const h = objectField(fn, "json.hyperparameters", record["hyperparameters"]);
  const w = objectField(fn, "json.hyperparameters.headWeights", h["headWeights"]);
  const seed = h["seed"];
  if (!(typeof seed === "string" || (typeof seed === "number" && Number.isFinite(seed)))) badModel(fn, "json.hyperparameters.seed", "be a string or a finite number", seed);
  const t = objectField(fn, "json.training", record["training"]);
  const validationLoss = t["validationLoss"];
  if (validationLoss !== null) finiteField(fn, "json.training.validationLoss", validationLoss);
  const trainLoss = t["trainLoss"];
  if (typeof trainLoss !== "number" && trainLoss !== null) badModel(fn, "json.training.trainLoss", "be a number", trainLoss);
  return Object.freeze({
    kind: "lstm",
    version: 1,
    stages: Object.freeze(stages.slice()),
    featureCount,
    hiddenSize,
    layers,
    parameters,
    hyperparameters: Object.freeze({
      epochs: integerField(fn, "json.hyperparameters.epochs", h["epochs"], 0, 100000),
      batchSize: integerField(fn, "json.hyperparameters.batchSize", h["batchSize"], 1, Number.MAX_SAFE_INTEGER),
      learningRate: finiteField(fn, "json.hyperparameters.learningRate", h["learningRate"], 0),
      clipNorm: finiteField(fn, "json.hyperparameters.clipNorm", h["clipNorm"], 0),
      l2: finiteField(fn, "json.hyperparameters.l2", h["l2"], 0),
      dropout: finiteField(fn, "json.hyperparameters.dropout", h["dropout"], 0),
      headWeights: Object.freeze({
        nextStage: finiteField(fn, "json.hyperparameters.headWeights.nextStage", w["nextStage"], 0),
        win: finiteField(fn, "json.hyperparameters.headWeights.win", w["win"], 0),
        days: finiteField(fn, "json.hyperparameters.headWeights.days", w["days"], 0),
      }),
      daysLoss: h["daysLoss"] === undefined || h["daysLoss"] === "squared" ? "squared" : h["daysLoss"] === "absolute" ? "absolute" : badModel(fn, "json.hyperparameters.daysLoss", 'be "squared" or "absolute"', h["daysLoss"]),
      validationFraction: finiteField(fn, "json.hyperparameters.validationFraction", h["validationFraction"], 0),
      validationSplit: h["validationSplit"] === "last" ? "last" : h["validationSplit"] === "random" ? "random" : badModel(fn, "json.hyperparameters.validationSplit", 'be "random" or "last"', h["validationSplit"]),
      patience: integerField(fn, "json.hyperparameters.patience", h["patience"], 1, Number.MAX_SAFE_INTEGER),
      seed: seed as Seed,
    }),
    training: Object.freeze({
      epochsRun: integerField(fn, "json.training.epochsRun", t["epochsRun"], 0, Number.MAX_SAFE_INTEGER),
      bestEpoch: integerField(fn, "json.training.bestEpoch", t["bestEpoch"], 0, Number.MAX_SAFE_INTEGER),
      trainLoss: typeof trainLoss === "number" ? trainLoss : Number.NaN,
      validationLoss: validationLoss as number | null,
    }),
  });
}

/**
 * Days from the time head's log1p(days) output, or E_NON_FINITE when it is beyond e^709 days (a model trained with a
 * learning rate so large that its time head diverged): never Infinity silently.
 */
function daysFrom(fn: string, logDays: number): number {
  const days = Math.max(0, Math.expm1(logDays));
  if (!Number.isFinite(days)) {
    throw new NextbestError(
      "E_NON_FINITE",
      `${fn}: the expected days must be finite, got a predicted log1p(days) of ${logDays} (the model's time head diverged; refit with a lower learningRate)`,
    );
  }
  return days;
}
