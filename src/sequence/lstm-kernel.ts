// The LSTM kernels: parameter layout, initialization, forward pass, loss and backpropagation through time, all on
// one flat Float64Array of parameters and preallocated workspaces. Plain indexed loops, no allocation inside.
// Not exported by the barrel; lstm.ts is the public face. Kernels trust their inputs.
//
// Per layer l and step t (gate order i, f, g, o; σ the logistic function):
//   z = b + W_x x_t (+ E[s_t] on layer 1, the stage one-hot times its weights) + W_h h_{t-1}
//   i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o), c_t = f c_{t-1} + i g, h_t = o tanh(c_t)
// Heads on the top layer's (dropped-out) h_t: softmax over the stages (next stage), σ (win), linear (log1p days).
import type { RandomGenerator } from "../core/random.ts";

/** The shape of an LSTM model. */
export interface LstmShape {
  readonly stageCount: number;
  readonly featureCount: number;
  readonly hiddenSize: number;
  readonly layers: number;
}

/** One parameter tensor in the flat parameter vector. */
export interface TensorSlot {
  readonly name: string;
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
  /** Whether L2 applies (weights yes, biases no). */
  readonly regularized: boolean;
}

/** Offsets of every tensor in the flat parameter vector. */
export interface LstmLayout {
  readonly tensors: readonly TensorSlot[];
  readonly size: number;
  /** Per layer: input weights (4H × inputs), recurrent weights (4H × H), bias (4H). */
  readonly inputWeights: readonly number[];
  readonly recurrentWeights: readonly number[];
  readonly bias: readonly number[];
  /** Stage weights of layer 1, stages × 4H (row s is added for stage s). */
  readonly stageWeights: number;
  readonly nextWeights: number;
  readonly nextBias: number;
  readonly winWeights: number;
  readonly winBias: number;
  readonly daysWeights: number;
  readonly daysBias: number;
}

/** The layout of a shape's parameters. */
export function lstmLayout(shape: LstmShape): LstmLayout {
  const { stageCount: S, featureCount: F, hiddenSize: H, layers } = shape;
  const G = 4 * H;
  const tensors: TensorSlot[] = [];
  let offset = 0;
  const add = (name: string, rows: number, cols: number, regularized: boolean): number => {
    const at = offset;
    tensors.push({ name, offset: at, rows, cols, regularized });
    offset += rows * cols;
    return at;
  };
  const inputWeights: number[] = [];
  const recurrentWeights: number[] = [];
  const bias: number[] = [];
  let stageWeights = 0;
  for (let l = 0; l < layers; l++) {
    inputWeights.push(add(`layer${l + 1}.inputWeights`, G, l === 0 ? F : H, true));
    if (l === 0) stageWeights = add("layer1.stageWeights", S, G, true);
    recurrentWeights.push(add(`layer${l + 1}.recurrentWeights`, G, H, true));
    bias.push(add(`layer${l + 1}.bias`, 1, G, false));
  }
  const nextWeights = add("nextStage.weights", S, H, true);
  const nextBias = add("nextStage.bias", 1, S, false);
  const winWeights = add("win.weights", 1, H, true);
  const winBias = add("win.bias", 1, 1, false);
  const daysWeights = add("days.weights", 1, H, true);
  const daysBias = add("days.bias", 1, 1, false);
  return {
    tensors,
    size: offset,
    inputWeights,
    recurrentWeights,
    bias,
    stageWeights,
    nextWeights,
    nextBias,
    winWeights,
    winBias,
    daysWeights,
    daysBias,
  };
}

/**
 * Glorot-uniform weights (Glorot & Bengio 2010; the Keras default), zero biases except the forget gates' bias 1
 * (Jozefowicz, Zaremba & Sutskever 2015), drawn from `random`.
 */
export function initializeParameters(shape: LstmShape, layout: LstmLayout, random: RandomGenerator): Float64Array {
  const parameters = new Float64Array(layout.size);
  for (const tensor of layout.tensors) {
    if (!tensor.regularized) continue;
    const limit = Math.sqrt(6 / (tensor.rows + tensor.cols));
    const end = tensor.offset + tensor.rows * tensor.cols;
    for (let p = tensor.offset; p < end; p++) parameters[p] = (2 * random() - 1) * limit;
  }
  const H = shape.hiddenSize;
  for (let l = 0; l < shape.layers; l++) {
    const b = layout.bias[l]!;
    for (let j = H; j < 2 * H; j++) parameters[b + j] = 1;
  }
  return parameters;
}

/** Sequences packed into flat arrays; step p of sequence n is at offsets[n] + p. */
export interface PackedSequences {
  readonly count: number;
  readonly offsets: Int32Array;
  readonly stages: Int32Array;
  /** steps × featureCount, row-major. */
  readonly features: Float64Array;
  /** Next-stage target per step, -1 for none. */
  readonly next: Int32Array;
  /** Outcome per sequence: 1 won, 0 lost, -1 unknown. */
  readonly won: Int8Array;
  /** log1p(days to the next event) per step, NaN for none. */
  readonly logDays: Float64Array;
  readonly maxLength: number;
}

/** Preallocated buffers for one sequence of up to `maxLength` steps. */
export interface LstmWorkspace {
  readonly maxLength: number;
  /** Per layer: activated gates (T × 4H), cells (T × H), tanh of cells, outputs h, dropout masks, gradients from above. */
  readonly gates: Float64Array[];
  readonly cells: Float64Array[];
  readonly tanhCells: Float64Array[];
  readonly outputs: Float64Array[];
  readonly masks: Float64Array[];
  /** Per layer: outputs times dropout masks (T × H), the input of the layer above or of the heads. */
  readonly dropped: Float64Array[];
  readonly fromAbove: Float64Array[];
  /** Head outputs: next-stage probabilities (T × S), win probabilities (T), predicted log1p days (T). */
  readonly probabilities: Float64Array;
  readonly win: Float64Array;
  readonly days: Float64Array;
  readonly dz: Float64Array;
  readonly dh: Float64Array;
  readonly dhNext: Float64Array;
  readonly dcNext: Float64Array;
  readonly dLogits: Float64Array;
  /** Whether dropout masks are in use (training with dropout > 0). */
  dropout: boolean;
  /** The products the passes run: {@link JAVASCRIPT_PRODUCTS}, or WebAssembly kernels on this workspace's memory. */
  readonly products: LstmProducts;
}

/**
 * The matrix products of the forward and backward passes and the backward step through the cell. The WebAssembly
 * implementation (lstm-wasm.ts) computes every element with the same operations in the same order as the JavaScript
 * loops, so both give the same bits; it needs every array it is given to be a view onto its kernels' memory.
 */
export interface LstmProducts {
  /** z[zo + j] += Σ_k P[w + j·cols + k] · x[xo + k] for j < rows. */
  readonly matVec: typeof addMatVec;
  /** grad[w + j·cols + k] += d[j] · x[xo + k] and, with `dx`, dx[dxo + k] += d[j] · P[w + j·cols + k]. */
  readonly outer: typeof addOuterAndTransposed;
  /** Backpropagation through the cell at one step, with the bias and stage-weight gradients (see cellBackward). */
  readonly cell: typeof cellBackward;
}

/**
 * Allocates a workspace for sequences of up to `maxLength` steps, its arrays from `allocate` (zeroed arrays of the
 * given length) and its products from `products`.
 */
export function createWorkspace(
  shape: LstmShape,
  maxLength: number,
  allocate: (length: number) => Float64Array = (length) => new Float64Array(length),
  products: LstmProducts = JAVASCRIPT_PRODUCTS,
): LstmWorkspace {
  const { hiddenSize: H, stageCount: S, layers } = shape;
  const T = Math.max(1, maxLength);
  const perLayer = (size: number): Float64Array[] => Array.from({ length: layers }, () => allocate(size));
  return {
    maxLength: T,
    gates: perLayer(T * 4 * H),
    cells: perLayer(T * H),
    tanhCells: perLayer(T * H),
    outputs: perLayer(T * H),
    masks: perLayer(T * H),
    dropped: perLayer(T * H),
    fromAbove: perLayer(T * H),
    probabilities: allocate(T * S),
    win: allocate(T),
    days: allocate(T),
    dz: allocate(4 * H),
    dh: allocate(H),
    dhNext: allocate(H),
    dcNext: allocate(H),
    dLogits: allocate(S),
    dropout: false,
    products,
  };
}

/** z[zo + j] += Σ_k P[w + j·cols + k] · x[xo + k] for j < rows; four rows at a time (register blocking). */
function addMatVec(
  P: Float64Array,
  w: number,
  rows: number,
  cols: number,
  x: Float64Array,
  xo: number,
  z: Float64Array,
  zo: number,
): void {
  let j = 0;
  for (; j + 4 <= rows; j += 4) {
    const r0 = w + j * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let k = 0; k < cols; k++) {
      const v = x[xo + k]!;
      a0 += P[r0 + k]! * v;
      a1 += P[r1 + k]! * v;
      a2 += P[r2 + k]! * v;
      a3 += P[r3 + k]! * v;
    }
    z[zo + j] = z[zo + j]! + a0;
    z[zo + j + 1] = z[zo + j + 1]! + a1;
    z[zo + j + 2] = z[zo + j + 2]! + a2;
    z[zo + j + 3] = z[zo + j + 3]! + a3;
  }
  for (; j < rows; j++) {
    const r = w + j * cols;
    let a = 0;
    for (let k = 0; k < cols; k++) a += P[r + k]! * x[xo + k]!;
    z[zo + j] = z[zo + j]! + a;
  }
}

/**
 * For j < rows: grad[w + j·cols + k] += d[j] · x[xo + k] and, when `dx` is given, dx[dxo + k] += d[j] · P[w + j·cols + k];
 * four rows at a time.
 */
function addOuterAndTransposed(
  P: Float64Array,
  grad: Float64Array,
  w: number,
  rows: number,
  cols: number,
  d: Float64Array,
  x: Float64Array,
  xo: number,
  dx: Float64Array | null,
  dxo: number,
): void {
  let j = 0;
  for (; j + 4 <= rows; j += 4) {
    const d0 = d[j]!;
    const d1 = d[j + 1]!;
    const d2 = d[j + 2]!;
    const d3 = d[j + 3]!;
    const r0 = w + j * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    if (dx === null) {
      for (let k = 0; k < cols; k++) {
        const v = x[xo + k]!;
        grad[r0 + k] = grad[r0 + k]! + d0 * v;
        grad[r1 + k] = grad[r1 + k]! + d1 * v;
        grad[r2 + k] = grad[r2 + k]! + d2 * v;
        grad[r3 + k] = grad[r3 + k]! + d3 * v;
      }
    } else {
      for (let k = 0; k < cols; k++) {
        const v = x[xo + k]!;
        grad[r0 + k] = grad[r0 + k]! + d0 * v;
        grad[r1 + k] = grad[r1 + k]! + d1 * v;
        grad[r2 + k] = grad[r2 + k]! + d2 * v;
        grad[r3 + k] = grad[r3 + k]! + d3 * v;
        dx[dxo + k] = dx[dxo + k]! + d0 * P[r0 + k]! + d1 * P[r1 + k]! + d2 * P[r2 + k]! + d3 * P[r3 + k]!;
      }
    }
  }
  for (; j < rows; j++) {
    const dj = d[j]!;
    const r = w + j * cols;
    for (let k = 0; k < cols; k++) {
      grad[r + k] = grad[r + k]! + dj * x[xo + k]!;
      if (dx !== null) dx[dxo + k] = dx[dxo + k]! + dj * P[r + k]!;
    }
  }
}

/**
 * Backpropagation through the cell at one step: from the activated gates (row `zo`), the previous cell (row `hp`, or
 * none when `hp` < 0: the first step), tanh of the cell and the output gradient (row `ho`) plus `dhNext`, the gate
 * gradients `dz`; then `dcNext` = dc·f, `dhNext` = 0 (for the transposed product to add into), and
 * grad[b + j] += dz[j] and, when `E` >= 0, grad[E + j] += dz[j] for j < 4H (bias and stage-weight gradients).
 */
function cellBackward(
  H: number,
  gates: Float64Array,
  zo: number,
  cells: Float64Array,
  hp: number,
  tanhCells: Float64Array,
  fromAbove: Float64Array,
  ho: number,
  dhNext: Float64Array,
  dcNext: Float64Array,
  dz: Float64Array,
  grad: Float64Array,
  b: number,
  E: number,
): void {
  for (let k = 0; k < H; k++) {
    const i = gates[zo + k]!;
    const f = gates[zo + H + k]!;
    const g = gates[zo + 2 * H + k]!;
    const o = gates[zo + 3 * H + k]!;
    const tc = tanhCells[ho + k]!;
    const dh = fromAbove[ho + k]! + dhNext[k]!;
    const dc = dh * o * (1 - tc * tc) + dcNext[k]!;
    const cPrev = hp >= 0 ? cells[hp + k]! : 0;
    dz[k] = dc * g * i * (1 - i);
    dz[H + k] = dc * cPrev * f * (1 - f);
    dz[2 * H + k] = dc * i * (1 - g * g);
    dz[3 * H + k] = dh * tc * o * (1 - o);
    dcNext[k] = dc * f;
    dhNext[k] = 0;
  }
  const G = 4 * H;
  for (let j = 0; j < G; j++) grad[b + j] = grad[b + j]! + dz[j]!;
  if (E >= 0) for (let j = 0; j < G; j++) grad[E + j] = grad[E + j]! + dz[j]!;
}

/** The matrix products as plain JavaScript loops. */
export const JAVASCRIPT_PRODUCTS: LstmProducts = Object.freeze({ matVec: addMatVec, outer: addOuterAndTransposed, cell: cellBackward });

/**
 * Forward pass of sequence `n`: fills the workspace's gates, cells, outputs and head outputs for every step
 * (`headsFrom` skips the heads of earlier steps, for prediction of the last step only). With `dropoutRate > 0` and a
 * generator, draws inverted-dropout masks for each layer's output (the input of the layer above, or of the heads).
 */
export function forwardSequence(
  shape: LstmShape,
  layout: LstmLayout,
  parameters: Float64Array,
  data: PackedSequences,
  n: number,
  ws: LstmWorkspace,
  dropoutRate: number,
  random: RandomGenerator | null,
  headsFrom = 0,
): void {
  const { stageCount: S, featureCount: F, hiddenSize: H, layers } = shape;
  const G = 4 * H;
  const start = data.offsets[n]!;
  const L = data.offsets[n + 1]! - start;
  const stages = data.stages;
  const features = data.features;
  const useDropout = dropoutRate > 0 && random !== null;
  ws.dropout = useDropout;
  const keepScale = useDropout ? 1 / (1 - dropoutRate) : 1;
  const { matVec } = ws.products;
  for (let l = 0; l < layers; l++) {
    const gates = ws.gates[l]!;
    const cells = ws.cells[l]!;
    const tanhCells = ws.tanhCells[l]!;
    const out = ws.outputs[l]!;
    const mask = ws.masks[l]!;
    const dropped = ws.dropped[l]!;
    const Wx = layout.inputWeights[l]!;
    const Wh = layout.recurrentWeights[l]!;
    const b = layout.bias[l]!;
    const below = l === 0 ? out : useDropout ? ws.dropped[l - 1]! : ws.outputs[l - 1]!;
    for (let t = 0; t < L; t++) {
      const zo = t * G;
      const ho = t * H;
      const hp = ho - H;
      if (l === 0) {
        const E = layout.stageWeights + stages[start + t]! * G;
        for (let j = 0; j < G; j++) gates[zo + j] = parameters[b + j]! + parameters[E + j]!;
        if (F > 0) matVec(parameters, Wx, G, F, features, (start + t) * F, gates, zo);
      } else {
        for (let j = 0; j < G; j++) gates[zo + j] = parameters[b + j]!;
        matVec(parameters, Wx, G, H, below, ho, gates, zo);
      }
      if (t > 0) matVec(parameters, Wh, G, H, out, hp, gates, zo);
      for (let k = 0; k < H; k++) {
        const i = 1 / (1 + Math.exp(-gates[zo + k]!));
        const f = 1 / (1 + Math.exp(-gates[zo + H + k]!));
        const g = Math.tanh(gates[zo + 2 * H + k]!);
        const o = 1 / (1 + Math.exp(-gates[zo + 3 * H + k]!));
        gates[zo + k] = i;
        gates[zo + H + k] = f;
        gates[zo + 2 * H + k] = g;
        gates[zo + 3 * H + k] = o;
        const c = (t > 0 ? f * cells[hp + k]! : 0) + i * g;
        cells[ho + k] = c;
        const tc = Math.tanh(c);
        tanhCells[ho + k] = tc;
        out[ho + k] = o * tc;
      }
      if (useDropout) {
        for (let k = 0; k < H; k++) {
          const m = random!() < dropoutRate ? 0 : keepScale;
          mask[ho + k] = m;
          dropped[ho + k] = out[ho + k]! * m;
        }
      }
    }
  }
  // Heads on the top layer.
  const top = useDropout ? ws.dropped[layers - 1]! : ws.outputs[layers - 1]!;
  const probabilities = ws.probabilities;
  for (let t = headsFrom; t < L; t++) {
    const ho = t * H;
    const po = t * S;
    for (let s = 0; s < S; s++) probabilities[po + s] = parameters[layout.nextBias + s]!;
    matVec(parameters, layout.nextWeights, S, H, top, ho, probabilities, po);
    let max = Number.NEGATIVE_INFINITY;
    for (let s = 0; s < S; s++) if (probabilities[po + s]! > max) max = probabilities[po + s]!;
    let sum = 0;
    for (let s = 0; s < S; s++) {
      const e = Math.exp(probabilities[po + s]! - max);
      probabilities[po + s] = e;
      sum += e;
    }
    for (let s = 0; s < S; s++) probabilities[po + s] = probabilities[po + s]! / sum;
    let zw = parameters[layout.winBias]!;
    let zd = parameters[layout.daysBias]!;
    for (let k = 0; k < H; k++) {
      const h = top[ho + k]!;
      zw += parameters[layout.winWeights + k]! * h;
      zd += parameters[layout.daysWeights + k]! * h;
    }
    ws.win[t] = zw >= 0 ? 1 / (1 + Math.exp(-zw)) : Math.exp(zw) / (1 + Math.exp(zw));
    ws.days[t] = zd;
  }
}

/** Per-target weights of the loss: head weight divided by the number of that head's targets in the batch. */
export interface LossScales {
  next: number;
  win: number;
  days: number;
  /** Absolute instead of half squared error on log1p(days) (a conditional median instead of a mean). */
  daysAbsolute?: boolean;
}

const TINY = 1e-300;

/** The (scaled) loss of sequence `n` after {@link forwardSequence}. */
export function sequenceLoss(shape: LstmShape, data: PackedSequences, n: number, ws: LstmWorkspace, scales: LossScales): number {
  const S = shape.stageCount;
  const start = data.offsets[n]!;
  const L = data.offsets[n + 1]! - start;
  const won = data.won[n]!;
  let loss = 0;
  for (let t = 0; t < L; t++) {
    const y = data.next[start + t]!;
    if (y >= 0 && scales.next !== 0) loss -= scales.next * Math.log(Math.max(ws.probabilities[t * S + y]!, TINY));
    if (won >= 0 && scales.win !== 0) {
      const p = ws.win[t]!;
      loss -= scales.win * Math.log(Math.max(won === 1 ? p : 1 - p, TINY));
    }
    const d = data.logDays[start + t]!;
    if (d === d && scales.days !== 0) {
      const e = ws.days[t]! - d;
      loss += scales.daysAbsolute === true ? scales.days * Math.abs(e) : scales.days * 0.5 * e * e;
    }
  }
  return loss;
}

/** Backpropagation through time of sequence `n` after {@link forwardSequence}; adds into `gradient`. */
export function backwardSequence(
  shape: LstmShape,
  layout: LstmLayout,
  parameters: Float64Array,
  gradient: Float64Array,
  data: PackedSequences,
  n: number,
  ws: LstmWorkspace,
  scales: LossScales,
): void {
  const { stageCount: S, featureCount: F, hiddenSize: H, layers } = shape;
  const G = 4 * H;
  const start = data.offsets[n]!;
  const L = data.offsets[n + 1]! - start;
  const won = data.won[n]!;
  const useDropout = ws.dropout;
  const top = useDropout ? ws.dropped[layers - 1]! : ws.outputs[layers - 1]!;
  const topGrad = ws.fromAbove[layers - 1]!;
  const dLogits = ws.dLogits;
  const { outer, cell } = ws.products;
  // Heads: gradient into each step's top output.
  for (let t = 0; t < L; t++) {
    const ho = t * H;
    const po = t * S;
    for (let k = 0; k < H; k++) topGrad[ho + k] = 0;
    const y = data.next[start + t]!;
    if (y >= 0 && scales.next !== 0) {
      for (let s = 0; s < S; s++) {
        const d = scales.next * (ws.probabilities[po + s]! - (s === y ? 1 : 0));
        dLogits[s] = d;
        gradient[layout.nextBias + s] = gradient[layout.nextBias + s]! + d;
      }
      outer(parameters, gradient, layout.nextWeights, S, H, dLogits, top, ho, topGrad, ho);
    }
    if (won >= 0 && scales.win !== 0) {
      const d = scales.win * (ws.win[t]! - won);
      gradient[layout.winBias] = gradient[layout.winBias]! + d;
      for (let k = 0; k < H; k++) {
        gradient[layout.winWeights + k] = gradient[layout.winWeights + k]! + d * top[ho + k]!;
        topGrad[ho + k] = topGrad[ho + k]! + d * parameters[layout.winWeights + k]!;
      }
    }
    const target = data.logDays[start + t]!;
    if (target === target && scales.days !== 0) {
      const e = ws.days[t]! - target;
      const d = scales.days * (scales.daysAbsolute === true ? Math.sign(e) : e);
      gradient[layout.daysBias] = gradient[layout.daysBias]! + d;
      for (let k = 0; k < H; k++) {
        gradient[layout.daysWeights + k] = gradient[layout.daysWeights + k]! + d * top[ho + k]!;
        topGrad[ho + k] = topGrad[ho + k]! + d * parameters[layout.daysWeights + k]!;
      }
    }
  }
  const dz = ws.dz;
  const dhNext = ws.dhNext;
  const dcNext = ws.dcNext;
  for (let l = layers - 1; l >= 0; l--) {
    const gates = ws.gates[l]!;
    const cells = ws.cells[l]!;
    const tanhCells = ws.tanhCells[l]!;
    const out = ws.outputs[l]!;
    const mask = ws.masks[l]!;
    const fromAbove = ws.fromAbove[l]!;
    const Wx = layout.inputWeights[l]!;
    const Wh = layout.recurrentWeights[l]!;
    const b = layout.bias[l]!;
    const below = l === 0 ? out : useDropout ? ws.dropped[l - 1]! : ws.outputs[l - 1]!;
    const belowGrad = l === 0 ? null : ws.fromAbove[l - 1]!;
    // The gradient arriving from above is with respect to the dropped output: through the mask to h.
    if (useDropout) for (let p = 0; p < L * H; p++) fromAbove[p] = fromAbove[p]! * mask[p]!;
    for (let k = 0; k < H; k++) {
      dhNext[k] = 0;
      dcNext[k] = 0;
    }
    for (let t = L - 1; t >= 0; t--) {
      const zo = t * G;
      const ho = t * H;
      const hp = ho - H;
      // dz, dcNext, dhNext = 0, and the bias and (layer 1) stage-weight gradients.
      const E = l === 0 ? layout.stageWeights + data.stages[start + t]! * G : -1;
      cell(H, gates, zo, cells, t > 0 ? hp : -1, tanhCells, fromAbove, ho, dhNext, dcNext, dz, gradient, b, E);
      // Recurrent weights and the gradient into h_{t-1}.
      if (t > 0) outer(parameters, gradient, Wh, G, H, dz, out, hp, dhNext, 0);
      if (l === 0) {
        if (F > 0) outer(parameters, gradient, Wx, G, F, dz, data.features, (start + t) * F, null, 0);
      } else {
        for (let k = 0; k < H; k++) belowGrad![ho + k] = 0;
        outer(parameters, gradient, Wx, G, H, dz, below, ho, belowGrad, ho);
      }
    }
  }
}

/** Counts of each head's targets among sequences `order[from, to)`. */
export function countTargets(data: PackedSequences, order: Int32Array, from: number, to: number): [number, number, number] {
  let next = 0;
  let win = 0;
  let days = 0;
  for (let q = from; q < to; q++) {
    const n = order[q]!;
    const start = data.offsets[n]!;
    const end = data.offsets[n + 1]!;
    if (data.won[n]! >= 0) win += end - start;
    for (let p = start; p < end; p++) {
      if (data.next[p]! >= 0) next++;
      const d = data.logDays[p]!;
      if (d === d) days++;
    }
  }
  return [next, win, days];
}

/** Loss weights of the three heads. */
export interface HeadWeights {
  readonly nextStage: number;
  readonly win: number;
  readonly days: number;
}

/** Fills `scales` for a batch: each head's weight over its number of targets (0 when it has none). */
export function lossScales(weights: HeadWeights, counts: [number, number, number], scales: LossScales): LossScales {
  scales.next = counts[0] > 0 ? weights.nextStage / counts[0] : 0;
  scales.win = counts[1] > 0 ? weights.win / counts[1] : 0;
  scales.days = counts[2] > 0 ? weights.days / counts[2] : 0;
  return scales;
}

/**
 * The batch loss and its gradient (written into `gradient`) over sequences `order[from, to)`, with L2 penalty
 * (λ/2)‖W‖² on the weight tensors. Exported for the gradient check.
 */
export function batchLossAndGradient(
  shape: LstmShape,
  layout: LstmLayout,
  parameters: Float64Array,
  gradient: Float64Array,
  data: PackedSequences,
  order: Int32Array,
  from: number,
  to: number,
  ws: LstmWorkspace,
  weights: HeadWeights,
  l2: number,
  dropoutRate: number,
  random: RandomGenerator | null,
  scales: LossScales,
): number {
  gradient.fill(0);
  lossScales(weights, countTargets(data, order, from, to), scales);
  let loss = 0;
  for (let q = from; q < to; q++) {
    const n = order[q]!;
    forwardSequence(shape, layout, parameters, data, n, ws, dropoutRate, random);
    loss += sequenceLoss(shape, data, n, ws, scales);
    backwardSequence(shape, layout, parameters, gradient, data, n, ws, scales);
  }
  if (l2 > 0) {
    for (const tensor of layout.tensors) {
      if (!tensor.regularized) continue;
      const end = tensor.offset + tensor.rows * tensor.cols;
      for (let p = tensor.offset; p < end; p++) {
        const w = parameters[p]!;
        loss += 0.5 * l2 * w * w;
        gradient[p]! += l2 * w;
      }
    }
  }
  return loss;
}

/** Adam state: first and second moments and the step count. */
export interface AdamState {
  readonly m: Float64Array;
  readonly v: Float64Array;
  step: number;
}

/**
 * One Adam step (Kingma & Ba 2015) with bias correction, after scaling the gradient so its global L2 norm is at
 * most `clipNorm` (Pascanu, Mikolov & Bengio 2013). Returns the gradient norm before clipping.
 */
export function adamStep(
  parameters: Float64Array,
  gradient: Float64Array,
  state: AdamState,
  learningRate: number,
  clipNorm: number,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon = 1e-8,
): number {
  let norm2 = 0;
  for (let p = 0; p < gradient.length; p++) norm2 += gradient[p]! * gradient[p]!;
  const norm = Math.sqrt(norm2);
  const clip = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
  state.step++;
  const c1 = 1 / (1 - Math.pow(beta1, state.step));
  const c2 = 1 / (1 - Math.pow(beta2, state.step));
  const { m, v } = state;
  for (let p = 0; p < parameters.length; p++) {
    const g = gradient[p]! * clip;
    const mp = beta1 * m[p]! + (1 - beta1) * g;
    const vp = beta2 * v[p]! + (1 - beta2) * g * g;
    m[p] = mp;
    v[p] = vp;
    parameters[p] = parameters[p]! - (learningRate * mp * c1) / (Math.sqrt(vp * c2) + epsilon);
  }
  return norm;
}
