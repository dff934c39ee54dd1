/**
 * The baselines an LSTM over stages must beat: a first-order Markov chain with absorbing won/lost states (absorption
 * probabilities, expected remaining steps and semi-Markov expected days to close from the fundamental matrix),
 * Markov chains of order 1 to 3 with back-off for the next stage, and stage-default win probabilities.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { badModel, float64ArrayFromJSON, readModelEnvelope, typedArrayToJSON } from "../internal/serialize.ts";
import { checkArray, checkOptions, checkStage, integerOption, numberOption, stageIndex, vocabularyOf } from "./internal.ts";

/**
 * A stage history for the Markov chain: the stages in order (ending in the won or lost stage when closed) and,
 * optionally, the time of each event in days (any origin) for the semi-Markov dwell times.
 *
 * @category sequence
 */
export interface StageHistory {
  /** Stages in event order; a closed deal ends with the won or lost stage. */
  readonly stages: readonly string[];
  /** Time of each event in days, non-decreasing, one per stage; omit when unknown. */
  readonly days?: readonly number[];
}

/** Options of {@link fitStageMarkovChain}. @category sequence */
export interface StageMarkovChainOptions {
  /** The absorbing stage of a won deal. @defaultValue "won" */
  won?: string;
  /** The absorbing stage of a lost deal. @defaultValue "lost" */
  lost?: string;
  /** Pseudo-count added to every transition out of a non-absorbing stage (Laplace smoothing). @defaultValue 0 */
  smoothing?: number;
}

/**
 * A first-order Markov chain over stages with absorbing won and lost stages, plus what follows from it. Transition
 * counts are the data; the derived arrays are recomputed by {@link stageMarkovChainFromJSON}.
 *
 * @category sequence
 */
export interface StageMarkovChainModel {
  /** Discriminant of the model family. */
  readonly kind: "stage-markov-chain";
  /** Format version; {@link stageMarkovChainFromJSON} reads version 1. */
  readonly version: 1;
  /** All stages, in first-seen order (the won and lost stages included). */
  readonly stages: readonly string[];
  /** The won stage. */
  readonly won: string;
  /** The lost stage. */
  readonly lost: string;
  /** Laplace pseudo-count. */
  readonly smoothing: number;
  /** Observed transitions, stages × stages, row-major (from row to column). */
  readonly transitionCounts: Float64Array;
  /** Total observed days from an event at each stage to the next event. */
  readonly dwellDaysTotal: Float64Array;
  /** Number of observed dwell times per stage. */
  readonly dwellCount: Float64Array;
  /** Transition probabilities, stages × stages (rows of absorbing stages are identity; rows never left are 0). */
  readonly transitionMatrix: Float64Array;
  /**
   * P(absorbed in won | current stage), from B = N R with N = (I − Q)⁻¹; 0 where no observed path from the stage
   * reaches won or lost (the chain never closes from it, so it never wins; its expectations are Infinity).
   */
  readonly winProbability: Float64Array;
  /** Expected transitions until absorption, N·1; Infinity where the chain may never close. */
  readonly expectedSteps: Float64Array;
  /** Semi-Markov expected days until absorption, N·d with d the mean dwell per stage; Infinity where it may never close. */
  readonly expectedDaysToClose: Float64Array;
}

/** The JSON form of a {@link StageMarkovChainModel} (the counts; derived arrays are recomputed). @category sequence */
export interface StageMarkovChainModelJSON {
  /** Always `"stage-markov-chain"`. */
  readonly kind: "stage-markov-chain";
  /** The format version, 1. */
  readonly version: 1;
  /** The stages. */
  readonly stages: string[];
  /** The won stage. */
  readonly won: string;
  /** The lost stage. */
  readonly lost: string;
  /** Laplace pseudo-count. */
  readonly smoothing: number;
  /** Transition counts, row-major. */
  readonly transitionCounts: number[];
  /** Dwell day totals. */
  readonly dwellDaysTotal: number[];
  /** Dwell counts. */
  readonly dwellCount: number[];
}

/** Solves A X = B in place for square A (n × n) and B (n × m), Gaussian elimination with partial pivoting. */
function solveInPlace(A: Float64Array, B: Float64Array, n: number, m: number): void {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(A[r * n + col]!) > Math.abs(A[pivot * n + col]!)) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) {
        const t = A[col * n + c]!;
        A[col * n + c] = A[pivot * n + c]!;
        A[pivot * n + c] = t;
      }
      for (let c = 0; c < m; c++) {
        const t = B[col * m + c]!;
        B[col * m + c] = B[pivot * m + c]!;
        B[pivot * m + c] = t;
      }
    }
    const diagonal = A[col * n + col]!;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = A[r * n + col]! / diagonal;
      if (factor === 0) continue;
      for (let c = col; c < n; c++) A[r * n + c] = A[r * n + c]! - factor * A[col * n + c]!;
      for (let c = 0; c < m; c++) B[r * m + c] = B[r * m + c]! - factor * B[col * m + c]!;
    }
  }
  for (let r = 0; r < n; r++) {
    const diagonal = A[r * n + r]!;
    for (let c = 0; c < m; c++) B[r * m + c] = B[r * m + c]! / diagonal;
  }
}

interface Derived {
  transitionMatrix: Float64Array;
  winProbability: Float64Array;
  expectedSteps: Float64Array;
  expectedDaysToClose: Float64Array;
}

/** Transition matrix, absorption probabilities and expected steps and days, from the counts. */
function derive(S: number, wonIndex: number, lostIndex: number, counts: Float64Array, dwellTotal: Float64Array, dwellCount: Float64Array, smoothing: number): Derived {
  const P = new Float64Array(S * S);
  for (let i = 0; i < S; i++) {
    if (i === wonIndex || i === lostIndex) {
      P[i * S + i] = 1;
      continue;
    }
    let total = 0;
    for (let j = 0; j < S; j++) total += counts[i * S + j]! + smoothing;
    if (total === 0) continue;
    for (let j = 0; j < S; j++) P[i * S + j] = (counts[i * S + j]! + smoothing) / total;
  }
  // closes[i]: the won or lost stage is reachable from i.
  const closes = new Uint8Array(S);
  closes[wonIndex] = 1;
  closes[lostIndex] = 1;
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < S; i++) {
      if (closes[i] === 1) continue;
      for (let j = 0; j < S; j++) {
        if (P[i * S + j]! > 0 && closes[j] === 1) {
          closes[i] = 1;
          changed = true;
          break;
        }
      }
    }
  }
  // mayStall[i]: a stage that never closes is reachable from i (then the expected time is infinite).
  const mayStall = new Uint8Array(S);
  for (let i = 0; i < S; i++) mayStall[i] = closes[i] === 1 ? 0 : 1;
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < S; i++) {
      if (mayStall[i] === 1) continue;
      for (let j = 0; j < S; j++) {
        if (P[i * S + j]! > 0 && mayStall[j] === 1) {
          mayStall[i] = 1;
          changed = true;
          break;
        }
      }
    }
  }
  const transient: number[] = [];
  for (let i = 0; i < S; i++) if (i !== wonIndex && i !== lostIndex && closes[i] === 1) transient.push(i);
  const n = transient.length;
  // (I − Q) X = [R_won, 1, d]: absorption in won, expected steps, expected days (Kemeny & Snell 1960).
  const A = new Float64Array(n * n);
  const B = new Float64Array(n * 3);
  for (let r = 0; r < n; r++) {
    const i = transient[r]!;
    for (let c = 0; c < n; c++) A[r * n + c] = (r === c ? 1 : 0) - P[i * S + transient[c]!]!;
    B[r * 3] = P[i * S + wonIndex]!;
    B[r * 3 + 1] = 1;
    B[r * 3 + 2] = dwellCount[i]! > 0 ? dwellTotal[i]! / dwellCount[i]! : 0;
  }
  solveInPlace(A, B, n, 3);
  // A stage from which won and lost are unreachable never wins: probability 0 (not NaN), expectations Infinity.
  const winProbability = new Float64Array(S);
  const expectedSteps = new Float64Array(S).fill(Number.POSITIVE_INFINITY);
  const expectedDaysToClose = new Float64Array(S).fill(Number.POSITIVE_INFINITY);
  winProbability[wonIndex] = 1;
  winProbability[lostIndex] = 0;
  expectedSteps[wonIndex] = 0;
  expectedSteps[lostIndex] = 0;
  expectedDaysToClose[wonIndex] = 0;
  expectedDaysToClose[lostIndex] = 0;
  for (let r = 0; r < n; r++) {
    const i = transient[r]!;
    winProbability[i] = Math.min(1, Math.max(0, B[r * 3]!));
    if (mayStall[i] === 0) {
      expectedSteps[i] = B[r * 3 + 1]!;
      expectedDaysToClose[i] = B[r * 3 + 2]!;
    }
  }
  return { transitionMatrix: P, winProbability, expectedSteps, expectedDaysToClose };
}

function checkHistoryDays(fn: string, where: string, days: unknown, length: number): asserts days is readonly number[] {
  checkArray(fn, `${where}.days`, days);
  if (days.length !== length) {
    throw new NextbestError("E_SHAPE", `${fn}: ${where}.days must have one entry per stage (${length}), got length ${days.length}`);
  }
  for (let t = 0; t < length; t++) {
    const d = days[t];
    if (typeof d !== "number" || !Number.isFinite(d)) {
      throw new NextbestError(typeof d === "number" ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: ${where}.days[${t}] must be a finite number, got ${describeValue(d)}`);
    }
    if (t > 0 && d < (days[t - 1] as number)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.days[${t}] must be >= ${where}.days[${t - 1}] = ${days[t - 1]}, got ${d}`);
    }
  }
}

/**
 * Fits a first-order Markov chain over stages in which the won and lost stages are absorbing (Kemeny & Snell 1960,
 * "Finite Markov Chains", ch. III). With Q the transitions among the other stages and R those into won/lost, the
 * fundamental matrix N = (I − Q)⁻¹ gives P(win | stage) = (N R)_won, the expected remaining transitions N·1 and,
 * semi-Markov with the mean observed dwell d_s from an event at stage s to the next event, the expected days to
 * close N·d. Stages from which won/lost is unreachable get win probability 0 and infinite expectations. Solved by
 * Gaussian elimination with partial pivoting on the closing stages.
 *
 * Complexity: O(events + stages³) time, O(stages²) memory.
 *
 * @param histories - stage histories, closed ones ending in the won or lost stage
 * @param options - the won and lost stage names and smoothing
 * @returns a new frozen {@link StageMarkovChainModel}
 * @throws {@link core!NextbestError} `E_EMPTY` when there are no histories, `E_SHAPE` when `days` and `stages`
 *   differ in length, `E_NON_FINITE`/`E_BAD_INPUT` for malformed histories or options
 * @example
 * ```ts
 * import { fitStageMarkovChain } from "nextbest/sequence";
 * // From "a": half the deals go to "b", half are lost; from "b": 3 of 4 are won.
 * const chain = fitStageMarkovChain([
 *   { stages: ["a", "lost"] }, { stages: ["a", "b", "won"] }, { stages: ["a", "b", "won"] }, { stages: ["a", "b", "won"] },
 *   { stages: ["a", "lost"] }, { stages: ["a", "lost"] }, { stages: ["a", "b", "lost"] },
 * ]);
 * chain.stages; // => ["a", "lost", "b", "won"]
 * Array.from(chain.winProbability); // => [3 / 7, 0, 0.75, 1]
 * Array.from(chain.expectedSteps); // => [11 / 7, 0, 1, 0]
 * ```
 * @category sequence
 */
export function fitStageMarkovChain(histories: readonly StageHistory[], options: StageMarkovChainOptions = {}): StageMarkovChainModel {
  const fn = "fitStageMarkovChain";
  checkArray(fn, "histories", histories);
  if (histories.length === 0) throw new NextbestError("E_EMPTY", `${fn}: histories must hold at least one history, got length 0`);
  checkOptions(fn, options);
  const won = options.won ?? "won";
  const lost = options.lost ?? "lost";
  checkStage(fn, "options.won", won);
  checkStage(fn, "options.lost", lost);
  if (won === lost) throw new NextbestError("E_BAD_INPUT", `${fn}: options.lost must differ from options.won, got ${describeValue(lost)} for both`);
  const smoothing = numberOption(fn, "smoothing", options.smoothing, 0, 0);
  const index = new Map<string, number>();
  for (let h = 0; h < histories.length; h++) {
    const history = histories[h];
    if (typeof history !== "object" || history === null) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: histories[${h}] must be an object with stages, got ${describeValue(history)}`);
    }
    checkArray(fn, `histories[${h}].stages`, history.stages);
    for (let t = 0; t < history.stages.length; t++) {
      const stage = history.stages[t];
      checkStage(fn, `histories[${h}].stages[${t}]`, stage);
      if (!index.has(stage)) index.set(stage, index.size);
    }
    if (history.days !== undefined) checkHistoryDays(fn, `histories[${h}]`, history.days, history.stages.length);
  }
  if (!index.has(won)) index.set(won, index.size);
  if (!index.has(lost)) index.set(lost, index.size);
  const S = index.size;
  const wonIndex = index.get(won)!;
  const lostIndex = index.get(lost)!;
  const counts = new Float64Array(S * S);
  const dwellTotal = new Float64Array(S);
  const dwellCount = new Float64Array(S);
  for (const history of histories) {
    const { stages, days } = history;
    for (let t = 0; t + 1 < stages.length; t++) {
      const from = index.get(stages[t]!)!;
      if (from === wonIndex || from === lostIndex) break; // absorbing: nothing leaves
      counts[from * S + index.get(stages[t + 1]!)!]! += 1;
      if (days !== undefined) {
        dwellTotal[from]! += days[t + 1]! - days[t]!;
        dwellCount[from]! += 1;
      }
    }
  }
  return buildChain(Array.from(index.keys()), won, lost, smoothing, counts, dwellTotal, dwellCount);
}

function buildChain(stages: string[], won: string, lost: string, smoothing: number, counts: Float64Array, dwellTotal: Float64Array, dwellCount: Float64Array): StageMarkovChainModel {
  const derived = derive(stages.length, stages.indexOf(won), stages.indexOf(lost), counts, dwellTotal, dwellCount, smoothing);
  return Object.freeze({
    kind: "stage-markov-chain",
    version: 1,
    stages: Object.freeze(stages),
    won,
    lost,
    smoothing,
    transitionCounts: counts,
    dwellDaysTotal: dwellTotal,
    dwellCount,
    ...derived,
  });
}

/** What {@link predictStageMarkovChain} returns for a history prefix. @category sequence */
export interface StageMarkovPrediction {
  /** The most likely next stage (the first in stage order on ties). */
  readonly nextStage: string;
  /** Probability of each next stage, aligned with the model's `stages`. */
  readonly nextStageProbabilities: Float64Array;
  /** P(won | current stage); 0 when the chain never closes from it (then the expectations are Infinity). */
  readonly winProbability: number;
  /** Expected remaining transitions until won or lost. */
  readonly expectedSteps: number;
  /** Semi-Markov expected days until won or lost. */
  readonly expectedDaysToClose: number;
}

/**
 * The Markov chain's view of a deal: only its current (last) stage matters.
 *
 * Complexity: O(stages).
 *
 * @param model - a fitted or deserialized chain
 * @param stages - the stage history so far, at least one stage
 * @returns next-stage distribution, win probability, expected steps and days to close
 * @throws {@link core!NextbestError} `E_EMPTY` for an empty history, `E_UNKNOWN_ID` for a stage the chain never saw
 * @example
 * ```ts
 * import { fitStageMarkovChain, predictStageMarkovChain } from "nextbest/sequence";
 * const chain = fitStageMarkovChain([
 *   { stages: ["lead", "won"], days: [0, 10] },
 *   { stages: ["lead", "lead", "lost"], days: [0, 4, 6] },
 * ]);
 * // From "lead": won, lost or stay, 1/3 each; mean dwell (10 + 4 + 2) / 3 days.
 * const prediction = predictStageMarkovChain(chain, ["lead"]);
 * [prediction.winProbability, prediction.expectedSteps, prediction.expectedDaysToClose].map((x) => x.toFixed(6));
 * // => ["0.500000", "1.500000", "8.000000"]
 * ```
 * @category sequence
 */
export function predictStageMarkovChain(model: StageMarkovChainModel, stages: readonly string[]): StageMarkovPrediction {
  const fn = "predictStageMarkovChain";
  if (typeof model !== "object" || model === null || model.kind !== "stage-markov-chain") {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model must be a "stage-markov-chain" model, got ${describeValue(model)}`);
  }
  checkArray(fn, "stages", stages);
  if (stages.length === 0) throw new NextbestError("E_EMPTY", `${fn}: stages must hold at least one stage, got length 0`);
  const vocabulary = vocabularyOf(fn, "model.stages", model.stages);
  const last = stageIndex(fn, `stages[${stages.length - 1}]`, vocabulary, stages[stages.length - 1]);
  const S = model.stages.length;
  const probabilities = model.transitionMatrix.slice(last * S, (last + 1) * S);
  let best = 0;
  for (let s = 1; s < S; s++) if (probabilities[s]! > probabilities[best]!) best = s;
  return {
    nextStage: model.stages[best]!,
    nextStageProbabilities: probabilities,
    winProbability: model.winProbability[last]!,
    expectedSteps: model.expectedSteps[last]!,
    expectedDaysToClose: model.expectedDaysToClose[last]!,
  };
}

/**
 * The JSON form of a stage Markov chain: its counts (the derived arrays are recomputed on reading).
 *
 * Complexity: O(stages²).
 *
 * @param model - the chain
 * @returns a new plain object
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a stage Markov chain
 * @example
 * ```ts
 * import { fitStageMarkovChain, stageMarkovChainToJSON } from "nextbest/sequence";
 * const json = stageMarkovChainToJSON(fitStageMarkovChain([{ stages: ["a", "won"] }]));
 * [json.kind, json.stages, json.transitionCounts]; // => ["stage-markov-chain", ["a", "won", "lost"], [0, 1, 0, 0, 0, 0, 0, 0, 0]]
 * ```
 * @category sequence
 */
export function stageMarkovChainToJSON(model: StageMarkovChainModel): StageMarkovChainModelJSON {
  if (typeof model !== "object" || model === null || model.kind !== "stage-markov-chain" || model.version !== 1) {
    throw new NextbestError("E_BAD_MODEL", `stageMarkovChainToJSON: model must be a version-1 "stage-markov-chain" model, got ${describeValue(model)}`);
  }
  return {
    kind: "stage-markov-chain",
    version: 1,
    stages: model.stages.slice(),
    won: model.won,
    lost: model.lost,
    smoothing: model.smoothing,
    transitionCounts: typedArrayToJSON(model.transitionCounts),
    dwellDaysTotal: typedArrayToJSON(model.dwellDaysTotal),
    dwellCount: typedArrayToJSON(model.dwellCount),
  };
}

function stagesFromJSON(fn: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) badModel(fn, "json.stages", "be a non-empty array of stage ids", value);
  try {
    return vocabularyOf(fn, "json.stages", value).ids.slice();
  } catch (error) {
    if (error instanceof NextbestError) throw new NextbestError("E_BAD_MODEL", error.message);
    throw error;
  }
}

function nonNegativeArray(fn: string, field: string, value: unknown, length: number, meaning: string): Float64Array {
  const out = float64ArrayFromJSON(fn, field, value, { length, lengthMeaning: meaning });
  for (let i = 0; i < out.length; i++) if (out[i]! < 0) badModel(fn, `${field}[${i}]`, "be >= 0", out[i]);
  return out;
}

/**
 * Rebuilds a stage Markov chain from its JSON form, validating every field and recomputing the absorption results.
 *
 * Complexity: O(stages³).
 *
 * @param json - the parsed JSON of {@link stageMarkovChainToJSON}
 * @returns a new frozen {@link StageMarkovChainModel}
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { fitStageMarkovChain, stageMarkovChainFromJSON, stageMarkovChainToJSON } from "nextbest/sequence";
 * const json = stageMarkovChainToJSON(fitStageMarkovChain([{ stages: ["a", "won"] }, { stages: ["a", "lost"] }]));
 * stageMarkovChainFromJSON(JSON.parse(JSON.stringify(json))).winProbability[0]; // => 0.5
 * stageMarkovChainFromJSON({ ...json, won: "nope" });
 * // throws NextbestError E_BAD_MODEL: "stageMarkovChainFromJSON: json.won must be one of json.stages, got \"nope\""
 * ```
 * @category sequence
 */
export function stageMarkovChainFromJSON(json: unknown): StageMarkovChainModel {
  const fn = "stageMarkovChainFromJSON";
  const record = readModelEnvelope(fn, json, "stage-markov-chain", [1]);
  const stages = stagesFromJSON(fn, record["stages"]);
  const won = record["won"];
  const lost = record["lost"];
  if (typeof won !== "string" || !stages.includes(won)) badModel(fn, "json.won", "be one of json.stages", won);
  if (typeof lost !== "string" || !stages.includes(lost) || lost === won) badModel(fn, "json.lost", "be one of json.stages other than json.won", lost);
  const smoothing = record["smoothing"];
  if (typeof smoothing !== "number" || !Number.isFinite(smoothing) || smoothing < 0) badModel(fn, "json.smoothing", "be a finite number >= 0", smoothing);
  const S = stages.length;
  const counts = nonNegativeArray(fn, "json.transitionCounts", record["transitionCounts"], S * S, "stages × stages");
  const dwellTotal = nonNegativeArray(fn, "json.dwellDaysTotal", record["dwellDaysTotal"], S, "one per stage");
  const dwellCount = nonNegativeArray(fn, "json.dwellCount", record["dwellCount"], S, "one per stage");
  // Counts near 1e308 would overflow a row's total and leave the row all zeros (a silent "never closes").
  for (let i = 0; i < S; i++) {
    let total = 0;
    for (let j = 0; j < S; j++) total += counts[i * S + j]! + (smoothing as number);
    if (!Number.isFinite(total)) badModel(fn, `json.transitionCounts (row ${i})`, "sum to a finite number with the smoothing", total);
  }
  return buildChain(stages, won as string, lost as string, smoothing as number, counts, dwellTotal, dwellCount);
}

// ---------------------------------------------------------------------------------------------------------------
// Markov chains of order 1 to 3 with back-off, for the next stage.

/** Options of {@link fitNextStageMarkov}. @category sequence */
export interface NextStageMarkovOptions {
  /** The longest context (previous stages) used, 1 to 3. @defaultValue 1 */
  order?: number;
  /** A context must have been seen at least this many times to be used; shorter contexts are tried next. @defaultValue 1 */
  minCount?: number;
}

/**
 * A Markov chain of order 1 to 3 with back-off: counts of the next stage after every context of up to `order`
 * previous stages (the start of a sequence is part of a context).
 *
 * @category sequence
 */
export interface NextStageMarkovModel {
  /** Discriminant of the model family. */
  readonly kind: "next-stage-markov";
  /** Format version; {@link nextStageMarkovFromJSON} reads version 1. */
  readonly version: 1;
  /** Stages in first-seen order. */
  readonly stages: readonly string[];
  /** The longest context. */
  readonly order: number;
  /** Least count of a usable context. */
  readonly minCount: number;
  /** Next-stage counts (dense over `stages`) per context; key: JSON of the context, null marking the start. */
  readonly contexts: ReadonlyMap<string, Float64Array>;
}

/** The JSON form of a {@link NextStageMarkovModel}. @category sequence */
export interface NextStageMarkovModelJSON {
  /** Always `"next-stage-markov"`. */
  readonly kind: "next-stage-markov";
  /** The format version, 1. */
  readonly version: 1;
  /** The stages. */
  readonly stages: string[];
  /** The longest context. */
  readonly order: number;
  /** Least count of a usable context. */
  readonly minCount: number;
  /** One entry per context: the context (null marks the start of a sequence) and dense next-stage counts. */
  readonly contexts: NextStageMarkovContextJSON[];
}

/** One context of a {@link NextStageMarkovModelJSON}. @category sequence */
export interface NextStageMarkovContextJSON {
  /** The previous stages, oldest first; null marks positions before the start of a sequence. */
  readonly context: (string | null)[];
  /** Next-stage counts, one per stage of the model. */
  readonly counts: number[];
}

/** The context of up to `length` stages ending at position t (inclusive), null-padded before the start. */
function contextKey(stages: readonly string[], t: number, length: number): string {
  const context: (string | null)[] = [];
  for (let c = t - length + 1; c <= t; c++) context.push(c >= 0 ? stages[c]! : null);
  return JSON.stringify(context);
}

/**
 * Fits Markov chains of order 1 to `order` over stage sequences, for next-stage prediction with back-off: the
 * prediction uses the longest context (up to `order` previous stages, the start of the sequence counting as a
 * position) seen at least `minCount` times in training, then shorter ones, then the overall next-stage frequencies
 * (a simple back-off in the spirit of Katz 1987, without discounting). Each position t < L − 1 of a sequence trains
 * the target stage t + 1; append an end marker to sequences to predict the end of a case.
 *
 * Complexity: O(events · order²) time, O(contexts · stages) memory.
 *
 * @param sequences - stage sequences
 * @param options - order and least context count
 * @returns a new frozen {@link NextStageMarkovModel}
 * @throws {@link core!NextbestError} `E_EMPTY` when there are no sequences, `E_BAD_INPUT` for a non-string stage or
 *   a bad option
 * @example
 * ```ts
 * import { fitNextStageMarkov, predictNextStageMarkov } from "nextbest/sequence";
 * const sequences = [["a", "x", "b"], ["c", "x", "d"], ["a", "x", "b"]];
 * predictNextStageMarkov(fitNextStageMarkov(sequences, { order: 1 }), ["c", "x"]).nextStage; // => "b"
 * predictNextStageMarkov(fitNextStageMarkov(sequences, { order: 2 }), ["c", "x"]).nextStage; // => "d"
 * ```
 * @category sequence
 */
export function fitNextStageMarkov(sequences: readonly (readonly string[])[], options: NextStageMarkovOptions = {}): NextStageMarkovModel {
  const fn = "fitNextStageMarkov";
  checkArray(fn, "sequences", sequences);
  if (sequences.length === 0) throw new NextbestError("E_EMPTY", `${fn}: sequences must hold at least one sequence, got length 0`);
  checkOptions(fn, options);
  const order = integerOption(fn, "order", options.order, 1, 1, 3);
  const minCount = integerOption(fn, "minCount", options.minCount, 1, 1);
  const index = new Map<string, number>();
  for (let n = 0; n < sequences.length; n++) {
    const sequence = sequences[n];
    checkArray(fn, `sequences[${n}]`, sequence);
    for (let t = 0; t < sequence.length; t++) {
      const stage = sequence[t];
      checkStage(fn, `sequences[${n}][${t}]`, stage);
      if (!index.has(stage)) index.set(stage, index.size);
    }
  }
  const S = index.size;
  const contexts = new Map<string, Float64Array>();
  for (const sequence of sequences) {
    for (let t = 0; t + 1 < sequence.length; t++) {
      const target = index.get(sequence[t + 1]!)!;
      for (let length = 0; length <= order; length++) {
        const key = contextKey(sequence, t, length);
        let counts = contexts.get(key);
        if (counts === undefined) {
          counts = new Float64Array(S);
          contexts.set(key, counts);
        }
        counts[target]! += 1;
      }
    }
  }
  return Object.freeze({ kind: "next-stage-markov", version: 1, stages: Object.freeze(Array.from(index.keys())), order, minCount, contexts });
}

/** What {@link predictNextStageMarkov} returns. @category sequence */
export interface NextStageMarkovPrediction {
  /** The most likely next stage (the first in stage order on ties). */
  readonly nextStage: string;
  /** Probability of each next stage, aligned with the model's `stages`. */
  readonly nextStageProbabilities: Float64Array;
  /** Length of the context used (0 = overall frequencies). */
  readonly contextLength: number;
}

/**
 * Predicts the next stage after a prefix from the longest usable context (back-off to shorter ones). Stages the
 * model never saw simply make longer contexts unknown, so the prediction backs off; an empty model context falls
 * back to the overall next-stage frequencies.
 *
 * Complexity: O(order² + stages).
 *
 * @param model - a fitted or deserialized model
 * @param prefix - the stages so far, at least one
 * @returns the prediction and the context length used
 * @throws {@link core!NextbestError} `E_EMPTY` for an empty prefix, `E_BAD_INPUT` for a non-string stage
 * @example
 * ```ts
 * import { fitNextStageMarkov, predictNextStageMarkov } from "nextbest/sequence";
 * const model = fitNextStageMarkov([["a", "b", "c"], ["a", "b", "c"], ["b", "d"]], { order: 2 });
 * const prediction = predictNextStageMarkov(model, ["a", "b"]);
 * [prediction.nextStage, prediction.contextLength]; // => ["c", 2]
 * predictNextStageMarkov(model, ["zzz"]).contextLength; // => 0
 * ```
 * @category sequence
 */
export function predictNextStageMarkov(model: NextStageMarkovModel, prefix: readonly string[]): NextStageMarkovPrediction {
  const fn = "predictNextStageMarkov";
  if (typeof model !== "object" || model === null || model.kind !== "next-stage-markov") {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model must be a "next-stage-markov" model, got ${describeValue(model)}`);
  }
  checkArray(fn, "prefix", prefix);
  if (prefix.length === 0) throw new NextbestError("E_EMPTY", `${fn}: prefix must hold at least one stage, got length 0`);
  for (let t = 0; t < prefix.length; t++) checkStage(fn, `prefix[${t}]`, prefix[t]);
  const S = model.stages.length;
  const t = prefix.length - 1;
  for (let length = model.order; length >= 0; length--) {
    const counts = model.contexts.get(contextKey(prefix, t, length));
    if (counts === undefined) continue;
    let total = 0;
    for (let s = 0; s < S; s++) total += counts[s]!;
    if (total < model.minCount && length > 0) continue;
    const probabilities = new Float64Array(S);
    let best = 0;
    for (let s = 0; s < S; s++) {
      probabilities[s] = total > 0 ? counts[s]! / total : 1 / S;
      if (probabilities[s]! > probabilities[best]!) best = s;
    }
    return { nextStage: model.stages[best]!, nextStageProbabilities: probabilities, contextLength: length };
  }
  // Unreachable for fitted models (the empty context holds every target), kept for hand-built ones.
  return { nextStage: model.stages[0]!, nextStageProbabilities: new Float64Array(S).fill(1 / S), contextLength: 0 };
}

/**
 * The JSON form of a next-stage Markov model.
 *
 * Complexity: O(contexts · stages).
 *
 * @param model - the model
 * @returns a new plain object
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a next-stage Markov model
 * @example
 * ```ts
 * import { fitNextStageMarkov, nextStageMarkovToJSON } from "nextbest/sequence";
 * nextStageMarkovToJSON(fitNextStageMarkov([["a", "b"]])).contexts;
 * // => [{ context: [], counts: [0, 1] }, { context: ["a"], counts: [0, 1] }]
 * ```
 * @category sequence
 */
export function nextStageMarkovToJSON(model: NextStageMarkovModel): NextStageMarkovModelJSON {
  if (typeof model !== "object" || model === null || model.kind !== "next-stage-markov" || model.version !== 1) {
    throw new NextbestError("E_BAD_MODEL", `nextStageMarkovToJSON: model must be a version-1 "next-stage-markov" model, got ${describeValue(model)}`);
  }
  return {
    kind: "next-stage-markov",
    version: 1,
    stages: model.stages.slice(),
    order: model.order,
    minCount: model.minCount,
    contexts: Array.from(model.contexts, ([key, counts]) => ({ context: JSON.parse(key) as (string | null)[], counts: Array.from(counts) })),
  };
}

/**
 * Rebuilds a next-stage Markov model from its JSON form, validating every context and count.
 *
 * Complexity: O(contexts · stages).
 *
 * @param json - the parsed JSON of {@link nextStageMarkovToJSON}
 * @returns a new frozen {@link NextStageMarkovModel}
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { fitNextStageMarkov, nextStageMarkovFromJSON, nextStageMarkovToJSON } from "nextbest/sequence";
 * const json = nextStageMarkovToJSON(fitNextStageMarkov([["a", "b"]], { order: 2 }));
 * nextStageMarkovFromJSON(JSON.parse(JSON.stringify(json))).contexts.size; // => 3
 * nextStageMarkovFromJSON({ ...json, order: 4 });
 * // throws NextbestError E_BAD_MODEL: "nextStageMarkovFromJSON: json.order must be an integer in [1, 3], got 4"
 * ```
 * @category sequence
 */
export function nextStageMarkovFromJSON(json: unknown): NextStageMarkovModel {
  const fn = "nextStageMarkovFromJSON";
  const record = readModelEnvelope(fn, json, "next-stage-markov", [1]);
  const stages = stagesFromJSON(fn, record["stages"]);
  const order = record["order"];
  if (typeof order !== "number" || !Number.isInteger(order) || order < 1 || order > 3) badModel(fn, "json.order", "be an integer in [1, 3]", order);
  const minCount = record["minCount"];
  if (typeof minCount !== "number" || !Number.isInteger(minCount) || minCount < 1) badModel(fn, "json.minCount", "be an integer >= 1", minCount);
  const list = record["contexts"];
  if (!Array.isArray(list)) badModel(fn, "json.contexts", "be an array", list);
  const known = new Set(stages);
  const contexts = new Map<string, Float64Array>();
  for (let i = 0; i < list.length; i++) {
    const entry = list[i] as { context?: unknown; counts?: unknown } | null;
    const field = `json.contexts[${i}]`;
    if (typeof entry !== "object" || entry === null) badModel(fn, field, "be an object", entry);
    const context = entry.context;
    if (!Array.isArray(context) || context.length > (order as number)) badModel(fn, `${field}.context`, `be an array of at most ${order} stages`, context);
    for (let c = 0; c < context.length; c++) {
      const stage = context[c];
      if (!(stage === null || (typeof stage === "string" && known.has(stage)))) badModel(fn, `${field}.context[${c}]`, "be a known stage or null", stage);
    }
    const counts = nonNegativeArray(fn, `${field}.counts`, entry.counts, stages.length, "one per stage");
    const key = JSON.stringify(context);
    if (contexts.has(key)) badModel(fn, `${field}.context`, "be unique", context);
    contexts.set(key, counts);
  }
  return Object.freeze({ kind: "next-stage-markov", version: 1, stages: Object.freeze(stages), order: order as number, minCount: minCount as number, contexts });
}

// ---------------------------------------------------------------------------------------------------------------
// Stage-default win probabilities.

/** Options of {@link fitStageWinRates}. @category sequence */
export interface StageWinRatesOptions {
  /** The won stage. @defaultValue "won" */
  won?: string;
  /** The lost stage. @defaultValue "lost" */
  lost?: string;
  /** Beta prior pseudo-counts: rate = (won + prior · overall rate) / (reached + prior). @defaultValue 1 */
  prior?: number;
}

/**
 * Stage-default win probabilities learned from closed deals: for each stage, the share of closed deals that reached
 * it and were won (each deal counted once per stage), shrunk towards the overall win rate by `prior` pseudo-deals.
 * The learned counterpart of the fixed per-stage table a CRM ships.
 *
 * Complexity: O(events).
 *
 * @param histories - stage histories; only closed ones (ending in won or lost) count
 * @param options - the won and lost stages and the prior strength
 * @returns a Map from stage to win probability (the won stage 1, the lost stage 0)
 * @throws {@link core!NextbestError} `E_EMPTY` when no history is closed, `E_BAD_INPUT` for malformed input
 * @example
 * ```ts
 * import { fitStageWinRates } from "nextbest/sequence";
 * const rates = fitStageWinRates([{ stages: ["a", "b", "won"] }, { stages: ["a", "lost"] }], { prior: 0 });
 * [rates.get("a"), rates.get("b")]; // => [0.5, 1]
 * ```
 * @category sequence
 */
export function fitStageWinRates(histories: readonly StageHistory[], options: StageWinRatesOptions = {}): Map<string, number> {
  const fn = "fitStageWinRates";
  checkArray(fn, "histories", histories);
  checkOptions(fn, options);
  const won = options.won ?? "won";
  const lost = options.lost ?? "lost";
  checkStage(fn, "options.won", won);
  checkStage(fn, "options.lost", lost);
  const prior = numberOption(fn, "prior", options.prior, 1, 0);
  const reached = new Map<string, [number, number]>();
  let closed = 0;
  let wins = 0;
  for (let h = 0; h < histories.length; h++) {
    const stages = histories[h]?.stages;
    checkArray(fn, `histories[${h}].stages`, stages);
    for (let t = 0; t < stages.length; t++) checkStage(fn, `histories[${h}].stages[${t}]`, stages[t]);
    const last = stages[stages.length - 1];
    if (last !== won && last !== lost) continue;
    const isWon = last === won ? 1 : 0;
    closed++;
    wins += isWon;
    for (const stage of new Set(stages.slice(0, -1))) {
      const entry = reached.get(stage) ?? [0, 0];
      entry[0] += 1;
      entry[1] += isWon;
      reached.set(stage, entry);
    }
  }
  if (closed === 0) throw new NextbestError("E_EMPTY", `${fn}: histories must hold at least one closed history (ending in ${describeValue(won)} or ${describeValue(lost)}), got none`);
  const overall = wins / closed;
  const rates = new Map<string, number>();
  for (const [stage, [count, w]] of reached) rates.set(stage, (w + prior * overall) / (count + prior));
  rates.set(won, 1);
  rates.set(lost, 0);
  return rates;
}

/** Options of {@link stageDefaultWinProbability}. @category sequence */
export interface StageDefaultOptions {
  /** Win probability per stage, e.g. a CRM's defaults or {@link fitStageWinRates}. */
  probabilities: ReadonlyMap<string, number>;
  /** Returned for a stage missing from the table; omit to throw `E_UNKNOWN_ID` instead. */
  fallback?: number;
}

/**
 * The stage-default win probability of a deal: a fixed probability for its current stage, as CRMs forecast
 * (Salesforce's defaults, for instance, run from 10% at Prospecting to 90% at Negotiation/Review).
 *
 * Complexity: O(1).
 *
 * @param stage - the deal's current stage
 * @param options - the per-stage table and an optional fallback
 * @returns the probability in [0, 1]
 * @throws {@link core!NextbestError} `E_UNKNOWN_ID` for a stage missing from the table without a fallback,
 *   `E_BAD_INPUT` for a probability outside [0, 1]
 * @example
 * ```ts
 * import { stageDefaultWinProbability } from "nextbest/sequence";
 * const probabilities = new Map([["prospecting", 0.1], ["negotiation", 0.9]]);
 * stageDefaultWinProbability("negotiation", { probabilities }); // => 0.9
 * stageDefaultWinProbability("demo", { probabilities, fallback: 0.3 }); // => 0.3
 * stageDefaultWinProbability("demo", { probabilities });
 * // throws NextbestError E_UNKNOWN_ID: "stageDefaultWinProbability: stage must be in options.probabilities, got \"demo\""
 * ```
 * @category sequence
 */
export function stageDefaultWinProbability(stage: string, options: StageDefaultOptions): number {
  const fn = "stageDefaultWinProbability";
  checkStage(fn, "stage", stage);
  checkOptions(fn, options);
  if (!(options.probabilities instanceof Map)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.probabilities must be a Map from stage to probability, got ${describeValue(options.probabilities)}`);
  }
  const p = options.probabilities.get(stage) ?? options.fallback;
  if (p === undefined) throw new NextbestError("E_UNKNOWN_ID", `${fn}: stage must be in options.probabilities, got ${describeValue(stage)}`);
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: the probability of ${describeValue(stage)} must be in [0, 1], got ${describeValue(p)}`);
  }
  return p;
}
