/**
 * Step encoding of opportunity histories (stage changes and updates with time, amount, close date and activity
 * counts) into LSTM examples, with standardization scales fitted on training histories.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { badModel, float64ArrayFromJSON, readModelEnvelope, typedArrayToJSON } from "../internal/serialize.ts";
import type { SequenceExample } from "./lstm.ts";
import type { StageHistory } from "./markov.ts";
import { checkArray, checkOptions, checkStage, MS_PER_DAY, vocabularyOf } from "./internal.ts";

/** One event of an opportunity: a stage change or an update within the stage. @category sequence */
export interface OpportunityEvent {
  /** The stage after the event (the won or lost stage for the closing event). */
  readonly stage: string;
  /** When, in epoch milliseconds. */
  readonly time: number;
  /** Deal amount after the event, >= 0. @defaultValue the previous amount, or 0 */
  readonly amount?: number;
  /** Expected close date after the event, epoch milliseconds. @defaultValue the previous close date */
  readonly closeDate?: number;
  /** Sales activities (calls, meetings, emails) logged since the previous event, >= 0. @defaultValue 0 */
  readonly activities?: number;
}

/** An opportunity's event history, oldest first; closed when the last event is the won or lost stage. @category sequence */
export interface OpportunityHistory {
  /** The opportunity id, any string. */
  readonly id: string;
  /** Events in time order. */
  readonly events: readonly OpportunityEvent[];
}

/** Options of {@link fitStepEncoder}. @category sequence */
export interface StepEncoderOptions {
  /** The open stages in their forward order; a move to an earlier one is a backward move. */
  stageOrder: readonly string[];
  /** The won stage. @defaultValue "won" */
  won?: string;
  /** The lost stage. @defaultValue "lost" */
  lost?: string;
}

/**
 * Fitted step encoding: stage order and per-feature standardization (mean and standard deviation over training
 * steps; a constant feature gets scale 1).
 *
 * @category sequence
 */
export interface StepEncoder {
  /** Discriminant. */
  readonly kind: "step-encoder";
  /** Format version; {@link stepEncoderFromJSON} reads version 1. */
  readonly version: 1;
  /** Open stages in forward order. */
  readonly stageOrder: readonly string[];
  /** The won stage. */
  readonly won: string;
  /** The lost stage. */
  readonly lost: string;
  /** Feature names, in order. */
  readonly featureNames: readonly string[];
  /** Mean of each raw feature over training steps. */
  readonly means: Float64Array;
  /** Standard deviation of each raw feature over training steps (1 when constant). */
  readonly scales: Float64Array;
}

/** The JSON form of a {@link StepEncoder}. @category sequence */
export interface StepEncoderJSON {
  /** Always `"step-encoder"`. */
  readonly kind: "step-encoder";
  /** The format version, 1. */
  readonly version: 1;
  /** Open stages in forward order. */
  readonly stageOrder: string[];
  /** The won stage. */
  readonly won: string;
  /** The lost stage. */
  readonly lost: string;
  /** Feature means. */
  readonly means: number[];
  /** Feature scales. */
  readonly scales: number[];
}

const STEP_FEATURES = Object.freeze([
  "log1p(daysInStage)",
  "log1p(dealAgeDays)",
  "log1p(daysSincePreviousEvent)",
  "closeDateSlips",
  "backwardMoves",
  "amountChange (log1p(amount) - log1p(first amount))",
  "log1p(amount)",
  "log1p(activityCount)",
]);

/** Raw (unscaled) features of every open step of a history, row-major; the number of open steps. */
function rawFeatures(fn: string, where: string, history: OpportunityHistory, order: ReadonlyMap<string, number>, won: string, lost: string): { rows: Float64Array; steps: number } {
  if (typeof history !== "object" || history === null) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} must be an opportunity history, got ${describeValue(history)}`);
  }
  const events = history.events;
  checkArray(fn, `${where}.events`, events);
  if (events.length === 0) throw new NextbestError("E_EMPTY", `${fn}: ${where}.events must hold at least one event, got length 0`);
  const F = STEP_FEATURES.length;
  const rows = new Float64Array(events.length * F);
  let steps = 0;
  let stageStart = 0;
  let firstAmount = Number.NaN;
  let amount = 0;
  let closeDate = Number.NaN;
  let slips = 0;
  let backward = 0;
  let activityCount = 0;
  for (let t = 0; t < events.length; t++) {
    const event = events[t] as OpportunityEvent | undefined;
    const at = `${where}.events[${t}]`;
    if (typeof event !== "object" || event === null) throw new NextbestError("E_BAD_INPUT", `${fn}: ${at} must be an event object, got ${describeValue(event)}`);
    checkStage(fn, `${at}.stage`, event.stage);
    const terminal = event.stage === won || event.stage === lost;
    if (!terminal && !order.has(event.stage)) {
      throw new NextbestError("E_UNKNOWN_ID", `${fn}: ${at}.stage must be in options.stageOrder or the won/lost stage, got ${describeValue(event.stage)}`);
    }
    if (terminal && t !== events.length - 1) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${at}.stage must not be a closing stage before the last event, got ${describeValue(event.stage)}`);
    }
    const time = event.time;
    if (typeof time !== "number" || !Number.isFinite(time)) {
      throw new NextbestError(typeof time === "number" ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: ${at}.time must be a finite number (epoch ms), got ${describeValue(time)}`);
    }
    if (t > 0 && time < events[t - 1]!.time) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${at}.time must be >= the previous event's time ${events[t - 1]!.time}, got ${time}`);
    }
    for (const field of ["amount", "activities"] as const) {
      const v = event[field];
      if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) {
        throw new NextbestError(typeof v === "number" && !Number.isFinite(v) ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: ${at}.${field} must be a finite number >= 0, got ${describeValue(v)}`);
      }
    }
    if (event.closeDate !== undefined && (typeof event.closeDate !== "number" || !Number.isFinite(event.closeDate))) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${at}.closeDate must be a finite number (epoch ms), got ${describeValue(event.closeDate)}`);
    }
    if (terminal) break;
    const previous = t > 0 ? events[t - 1]! : undefined;
    if (previous !== undefined && previous.stage !== event.stage) {
      stageStart = time;
      if (order.get(event.stage)! < order.get(previous.stage)!) backward++;
    } else if (previous === undefined) {
      stageStart = time;
    }
    if (event.amount !== undefined) {
      amount = event.amount;
      if (Number.isNaN(firstAmount)) firstAmount = amount;
    }
    if (event.closeDate !== undefined) {
      if (!Number.isNaN(closeDate) && event.closeDate > closeDate) slips++;
      closeDate = event.closeDate;
    }
    activityCount += event.activities ?? 0;
    const o = steps * F;
    rows[o] = Math.log1p((time - stageStart) / MS_PER_DAY);
    rows[o + 1] = Math.log1p((time - events[0]!.time) / MS_PER_DAY);
    rows[o + 2] = previous === undefined ? 0 : Math.log1p((time - previous.time) / MS_PER_DAY);
    rows[o + 3] = slips;
    rows[o + 4] = backward;
    rows[o + 5] = Number.isNaN(firstAmount) ? 0 : Math.log1p(amount) - Math.log1p(firstAmount);
    rows[o + 6] = Math.log1p(amount);
    rows[o + 7] = Math.log1p(activityCount);
    steps++;
  }
  return { rows, steps };
}

function resolveOptions(fn: string, options: StepEncoderOptions): { order: Map<string, number>; won: string; lost: string } {
  checkOptions(fn, options);
  checkArray(fn, "options.stageOrder", options.stageOrder);
  if (options.stageOrder.length === 0) throw new NextbestError("E_EMPTY", `${fn}: options.stageOrder must hold at least one stage, got length 0`);
  const vocabulary = vocabularyOf(fn, "options.stageOrder", options.stageOrder);
  const won = options.won ?? "won";
  const lost = options.lost ?? "lost";
  checkStage(fn, "options.won", won);
  checkStage(fn, "options.lost", lost);
  if (vocabulary.index.has(won) || vocabulary.index.has(lost) || won === lost) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.won and options.lost must be distinct and not in options.stageOrder, got ${describeValue(won)} and ${describeValue(lost)}`);
  }
  return { order: new Map(vocabulary.index), won, lost };
}

/**
 * Fits the step encoding on training histories: for every open step (every event before the closing one) eight raw
 * features — log1p days in the current stage, log1p deal age, log1p days since the previous event, close-date slips
 * so far (moves of the expected close date to a later date), backward moves so far (to an earlier stage of
 * `stageOrder`), amount change since the first event (in log1p units), log1p amount, log1p cumulative activity
 * count — then the mean and standard deviation of each over all training steps.
 *
 * Complexity: O(events) time.
 *
 * @param histories - training histories
 * @param options - the forward stage order and the won/lost stages
 * @returns a new frozen {@link StepEncoder}
 * @throws {@link core!NextbestError} `E_EMPTY` when no history has an open step, `E_UNKNOWN_ID` for a stage outside
 *   `stageOrder` and won/lost, `E_BAD_INPUT`/`E_NON_FINITE` naming the offending event field
 * @example
 * ```ts
 * import { fitStepEncoder } from "nextbest/sequence";
 * const day = 86400000;
 * const encoder = fitStepEncoder(
 *   [{ id: "d1", events: [{ stage: "lead", time: 0 }, { stage: "proposal", time: 2 * day }, { stage: "won", time: 5 * day }] }],
 *   { stageOrder: ["lead", "proposal"] },
 * );
 * encoder.featureNames.length; // => 8
 * encoder.means[2]; // => Math.log1p(2) / 2
 * ```
 * @category sequence
 */
export function fitStepEncoder(histories: readonly OpportunityHistory[], options: StepEncoderOptions): StepEncoder {
  const fn = "fitStepEncoder";
  checkArray(fn, "histories", histories);
  const { order, won, lost } = resolveOptions(fn, options);
  const F = STEP_FEATURES.length;
  const sum = new Float64Array(F);
  const sumSquares = new Float64Array(F);
  let steps = 0;
  const all: { rows: Float64Array; steps: number }[] = [];
  for (let h = 0; h < histories.length; h++) all.push(rawFeatures(fn, `histories[${h}]`, histories[h]!, order, won, lost));
  for (const { rows, steps: n } of all) {
    for (let s = 0; s < n; s++) for (let k = 0; k < F; k++) sum[k]! += rows[s * F + k]!;
    steps += n;
  }
  if (steps === 0) throw new NextbestError("E_EMPTY", `${fn}: histories must hold at least one open step (an event before the closing one), got none`);
  const means = new Float64Array(F);
  for (let k = 0; k < F; k++) means[k] = sum[k]! / steps;
  for (const { rows, steps: n } of all) {
    for (let s = 0; s < n; s++) for (let k = 0; k < F; k++) sumSquares[k]! += (rows[s * F + k]! - means[k]!) ** 2;
  }
  const scales = new Float64Array(F);
  for (let k = 0; k < F; k++) {
    const sd = Math.sqrt(sumSquares[k]! / steps);
    scales[k] = sd > 1e-12 ? sd : 1;
  }
  return Object.freeze({ kind: "step-encoder", version: 1, stageOrder: Object.freeze(Array.from(order.keys())), won, lost, featureNames: STEP_FEATURES, means, scales });
}

/**
 * Encodes histories into LSTM examples with a fitted encoder: one step per open event (stage + the eight scaled
 * features), next-stage targets (the stage of the following event, including the closing won/lost; none after the
 * last event of an open deal), days to the next event, and the outcome (true/false for closed deals, null for open).
 *
 * Complexity: O(events).
 *
 * @param encoder - from {@link fitStepEncoder} or {@link stepEncoderFromJSON}
 * @param histories - histories to encode (a history that is only a closing event yields no example and is skipped)
 * @returns one {@link SequenceExample} per history with at least one open step, in order
 * @throws {@link core!NextbestError} as {@link fitStepEncoder}; `E_BAD_MODEL` for a malformed encoder
 * @example
 * ```ts
 * import { encodeOpportunityHistories, fitStepEncoder } from "nextbest/sequence";
 * const day = 86400000;
 * const history = { id: "d1", events: [{ stage: "lead", time: 0 }, { stage: "proposal", time: 2 * day }, { stage: "won", time: 5 * day }] };
 * const encoder = fitStepEncoder([history], { stageOrder: ["lead", "proposal"] });
 * const [example] = encodeOpportunityHistories(encoder, [history]);
 * [example!.stages, example!.nextStages, example!.won, example!.daysToNext]; // => [["lead", "proposal"], ["proposal", "won"], true, [2, 3]]
 * ```
 * @category sequence
 */
export function encodeOpportunityHistories(encoder: StepEncoder, histories: readonly OpportunityHistory[]): SequenceExample[] {
  const fn = "encodeOpportunityHistories";
  if (typeof encoder !== "object" || encoder === null || encoder.kind !== "step-encoder" || !(encoder.means instanceof Float64Array)) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: encoder must be a "step-encoder", got ${describeValue(encoder)}`);
  }
  checkArray(fn, "histories", histories);
  const order = new Map(encoder.stageOrder.map((s, i) => [s, i] as const));
  const F = STEP_FEATURES.length;
  const out: SequenceExample[] = [];
  for (let h = 0; h < histories.length; h++) {
    const history = histories[h]!;
    const { rows, steps } = rawFeatures(fn, `histories[${h}]`, history, order, encoder.won, encoder.lost);
    if (steps === 0) continue;
    const events = history.events;
    const last = events[events.length - 1]!;
    const closed = last.stage === encoder.won || last.stage === encoder.lost;
    const stages: string[] = new Array(steps);
    const features: Float64Array[] = new Array(steps);
    const nextStages: (string | null)[] = new Array(steps);
    const daysToNext: (number | null)[] = new Array(steps);
    for (let s = 0; s < steps; s++) {
      const row = new Float64Array(F);
      for (let k = 0; k < F; k++) row[k] = (rows[s * F + k]! - encoder.means[k]!) / encoder.scales[k]!;
      features[s] = row;
      stages[s] = events[s]!.stage;
      const next = events[s + 1];
      nextStages[s] = next === undefined ? null : next.stage;
      daysToNext[s] = next === undefined ? null : (next.time - events[s]!.time) / MS_PER_DAY;
    }
    out.push({ stages, features, nextStages, daysToNext, won: closed ? last.stage === encoder.won : null });
  }
  return out;
}

/**
 * The stage history of an opportunity for the Markov chain: its stages and event times in days.
 *
 * Complexity: O(events).
 *
 * @param history - the opportunity history
 * @returns `{ stages, days }` (days since the epoch)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed history
 * @example
 * ```ts
 * import { stageHistoryOf } from "nextbest/sequence";
 * stageHistoryOf({ id: "d1", events: [{ stage: "lead", time: 0 }, { stage: "won", time: 86400000 }] });
 * // => { stages: ["lead", "won"], days: [0, 1] }
 * ```
 * @category sequence
 */
export function stageHistoryOf(history: OpportunityHistory): StageHistory {
  const fn = "stageHistoryOf";
  if (typeof history !== "object" || history === null) throw new NextbestError("E_BAD_INPUT", `${fn}: history must be an opportunity history, got ${describeValue(history)}`);
  checkArray(fn, "history.events", history.events);
  return {
    stages: history.events.map((e, t) => {
      checkStage(fn, `history.events[${t}].stage`, e?.stage);
      return e.stage;
    }),
    days: history.events.map((e) => e.time / MS_PER_DAY),
  };
}

/**
 * The JSON form of a step encoder.
 *
 * Complexity: O(stages + features).
 *
 * @param encoder - the encoder
 * @returns a new plain object
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `encoder` is not a step encoder
 * @example
 * ```ts
 * import { fitStepEncoder, stepEncoderToJSON } from "nextbest/sequence";
 * const encoder = fitStepEncoder([{ id: "d", events: [{ stage: "lead", time: 0 }] }], { stageOrder: ["lead"] });
 * stepEncoderToJSON(encoder).scales; // => [1, 1, 1, 1, 1, 1, 1, 1]
 * ```
 * @category sequence
 */
export function stepEncoderToJSON(encoder: StepEncoder): StepEncoderJSON {
  if (typeof encoder !== "object" || encoder === null || encoder.kind !== "step-encoder" || encoder.version !== 1) {
    throw new NextbestError("E_BAD_MODEL", `stepEncoderToJSON: encoder must be a version-1 "step-encoder", got ${describeValue(encoder)}`);
  }
  return {
    kind: "step-encoder",
    version: 1,
    stageOrder: encoder.stageOrder.slice(),
    won: encoder.won,
    lost: encoder.lost,
    means: typedArrayToJSON(encoder.means),
    scales: typedArrayToJSON(encoder.scales),
  };
}

/**
 * Rebuilds a step encoder from its JSON form, validating every field.
 *
 * Complexity: O(stages + features).
 *
 * @param json - the parsed JSON of {@link stepEncoderToJSON}
 * @returns a new frozen {@link StepEncoder}
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { fitStepEncoder, stepEncoderFromJSON, stepEncoderToJSON } from "nextbest/sequence";
 * const json = stepEncoderToJSON(fitStepEncoder([{ id: "d", events: [{ stage: "lead", time: 0 }] }], { stageOrder: ["lead"] }));
 * stepEncoderFromJSON(JSON.parse(JSON.stringify(json))).stageOrder; // => ["lead"]
 * stepEncoderFromJSON({ ...json, scales: [1] });
 * // throws NextbestError E_BAD_MODEL: "stepEncoderFromJSON: json.scales must have length 8 (one per feature), got length 1"
 * ```
 * @category sequence
 */
export function stepEncoderFromJSON(json: unknown): StepEncoder {
  const fn = "stepEncoderFromJSON";
  const record = readModelEnvelope(fn, json, "step-encoder", [1]);
  const stageOrder = record["stageOrder"];
  if (!Array.isArray(stageOrder) || stageOrder.length === 0 || stageOrder.some((s) => typeof s !== "string") || new Set(stageOrder).size !== stageOrder.length) {
    badModel(fn, "json.stageOrder", "be a non-empty array of distinct strings", stageOrder);
  }
  const won = record["won"];
  const lost = record["lost"];
  if (typeof won !== "string" || stageOrder.includes(won)) badModel(fn, "json.won", "be a string outside json.stageOrder", won);
  if (typeof lost !== "string" || stageOrder.includes(lost) || lost === won) badModel(fn, "json.lost", "be a string outside json.stageOrder, other than json.won", lost);
  const F = STEP_FEATURES.length;
  const means = float64ArrayFromJSON(fn, "json.means", record["means"], { length: F, lengthMeaning: "one per feature" });
  const scales = float64ArrayFromJSON(fn, "json.scales", record["scales"], { length: F, lengthMeaning: "one per feature" });
  for (let k = 0; k < F; k++) if (!(scales[k]! > 0)) badModel(fn, `json.scales[${k}]`, "be > 0", scales[k]);
  return Object.freeze({ kind: "step-encoder", version: 1, stageOrder: Object.freeze((stageOrder as string[]).slice()), won: won as string, lost: lost as string, featureNames: STEP_FEATURES, means, scales });
}
