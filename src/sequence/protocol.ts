/**
 * Next-activity protocols on an event log, as a public scorer: the time split (cases by first event, first 2/3 train,
 * every prefix 1..L−1 scored, the end of a case never a target) and the file-order protocol of Tax et al. 2017
 * (prefixes 2..L−1, an end predicted counts as wrong), with the Markov baselines of order 1–3 and the median-gap
 * baseline of the time to the next event computed in the same call, on the same targets.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { encodeEventLogCases, fitEventLogEncoder, splitEventLog, type EventLogCase, type EventLogEncoder, type EventLogEncoderOptions } from "./event-log.ts";
import { checkArray, checkOptions, integerOption, MS_PER_DAY, numberOption } from "./internal.ts";
import { assertOneOf } from "../internal/validate.ts";
import { fitLstm, predictLstmSteps, type LstmModel, type LstmOptions, type SequenceExample } from "./lstm.ts";
import { fitNextStageMarkov, predictNextStageMarkov } from "./markov.ts";
import { medianInPlace } from "../internal/median.ts";

/** The two protocols of {@link scoreEventLogProtocol}. @category sequence */
export type EventLogScoringProtocol = "time-split" | "tax";

/** What a fitted {@link EventLogModel} predicts for one case: after each prefix (row t: after events 0..t). @category sequence */
export interface EventLogCasePrediction {
  /** The predicted next activity after each prefix (the end marker or null for "the case ends"). */
  readonly nextStages: readonly (string | null)[];
  /** Predicted days to the next event after each prefix; omit when the model does not predict time. */
  readonly daysToNext?: ArrayLike<number>;
}

/** What the scorer tells {@link EventLogModel.fit}. @category sequence */
export interface EventLogFitContext {
  /**
   * The end-of-case class the model may learn and predict (`"[end]"` under `"tax"`, where predicting it counts as
   * wrong), or null (`"time-split"`, where the end is never a target and should not be predicted).
   */
  readonly endMarker: string | null;
}

/**
 * A model the scorer can train and query: `fit` sees only the training cases and returns a predictor of whole cases
 * (every prefix at once). A predictor must not throw on an activity it never saw in training; it should fall back
 * (see {@link markovEventLogModel}, which backs off to shorter contexts).
 *
 * @category sequence
 */
export interface EventLogModel {
  /** A short name for reports. */
  readonly name: string;
  /** Trains on `train` and returns the predictor of a case. */
  readonly fit: (train: readonly EventLogCase[], context: EventLogFitContext) => (eventCase: EventLogCase) => EventLogCasePrediction;
}

/** Options of {@link scoreEventLogProtocol}. @category sequence */
export interface ScoreEventLogProtocolOptions {
  /**
   * `"time-split"`: cases ordered by their first event, first 2/3 train, prefixes 1..L−1, no end target;
   * `"tax"`: file order, first 2/3 train, prefixes 2..L−1 (Tax et al. 2017), the model may predict the end (wrong).
   * @defaultValue "time-split"
   */
  protocol?: EventLogScoringProtocol;
  /** The longest prefix scored (Tax et al.'s `maxlen`). @defaultValue no limit */
  maxPrefixLength?: number;
}

/** Accuracy over the targets of one prefix length. @category sequence */
export interface PrefixLengthAccuracy {
  /** Events in the prefix. */
  readonly prefixLength: number;
  /** Scored targets of this length. */
  readonly targets: number;
  /** Share of them predicted right. */
  readonly accuracy: number;
}

/** One Markov baseline of {@link EventLogProtocolScore}. @category sequence */
export interface MarkovBaselineScore {
  /** Longest context, 1 to 3, with back-off to shorter ones. */
  readonly order: number;
  /** Next-activity accuracy on the same targets. */
  readonly accuracy: number;
}

/** What {@link scoreEventLogProtocol} returns. @category sequence */
export interface EventLogProtocolScore {
  /** The protocol scored. */
  readonly protocol: EventLogScoringProtocol;
  /** Next-activity accuracy of the model over all scored prefixes. */
  readonly accuracy: number;
  /** Accuracy per prefix length, shortest first (lengths with no target left out). */
  readonly byPrefixLength: PrefixLengthAccuracy[];
  /** Scored prefixes. */
  readonly targets: number;
  /** Markov chains of order 1, 2, 3 (back-off), trained and scored on the same split and targets. */
  readonly markov: MarkovBaselineScore[];
  /** The most accurate of `markov` (the lower order on ties). */
  readonly bestMarkov: MarkovBaselineScore;
  /** Mean absolute error in days of the model's time to the next event over the scored prefixes, or null. */
  readonly timeToNextEventMaeDays: number | null;
  /** The same error for the median training gap after the prefix's last activity (overall median when unseen). */
  readonly medianGapMaeDays: number;
  /** Training cases. */
  readonly trainCases: number;
  /** Test cases. */
  readonly testCases: number;
}

const END = "[end]";

/**
 * A Markov chain of order 1 to 3 with back-off ({@link fitNextStageMarkov}) as an {@link EventLogModel}; the end
 * marker, when the protocol has one, is appended to each training case. An unseen activity makes the longer contexts
 * unknown, so the chain backs off (to the overall next-activity frequencies at worst): it never throws on test data.
 *
 * Complexity: as {@link fitNextStageMarkov} and {@link predictNextStageMarkov}, per prefix.
 *
 * @param order - the longest context, 1 to 3
 * @returns the model
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for an order outside 1..3
 * @example
 * ```ts
 * import { markovEventLogModel } from "nextbest/sequence";
 * const predict = markovEventLogModel(1).fit([{ id: "1", activities: ["a", "b"], times: [0, 1] }], { endMarker: null });
 * predict({ id: "2", activities: ["a", "zzz"], times: [0, 1] }).nextStages; // => ["b", "b"]
 * ```
 * @category sequence
 */
export function markovEventLogModel(order: number): EventLogModel {
  integerOption("markovEventLogModel", "order", order, 1, 1, 3);
  return {
    name: `markov-${order}`,
    fit: (train, context) => {
      const end = context.endMarker;
      const model = fitNextStageMarkov(train.map((c) => (end === null ? c.activities : [...c.activities, end])), { order });
      return (eventCase) => {
        const nextStages: string[] = new Array(eventCase.activities.length);
        for (let t = 0; t < eventCase.activities.length; t++) nextStages[t] = predictNextStageMarkov(model, eventCase.activities.slice(0, t + 1)).nextStage;
        return { nextStages };
      };
    },
  };
}

/**
 * Scores a next-activity model on an event log under one protocol and, in the same call and on the same targets,
 * the Markov chains of order 1–3 with back-off and the median-gap baseline of the time to the next event.
 *
 * - `"time-split"`: cases sorted by their first event, the first 2/3 train, the rest test; every prefix 1..L−1 of a
 *   test case is scored against the next activity; the end of a case is never a target and the model is trained
 *   without an end class.
 * - `"tax"`: Tax, Verenich, La Rosa & Dumas 2017 (CAiSE): cases in file order, the first 2/3 train; prefixes 2..L−1
 *   (up to `maxPrefixLength`) are scored; the model and the Markov chains learn an end class, and predicting it
 *   counts as wrong.
 *
 * The time error is over the same prefixes: |predicted − actual| days from the prefix's last event to the next.
 *
 * Complexity: the model's fit and prediction, plus O(events · order²) for the Markov baselines.
 *
 * @param cases - the log, e.g. from {@link parseEventLogCsv}
 * @param model - the model to score (e.g. {@link markovEventLogModel} or an LSTM wrapper)
 * @param options - protocol and longest prefix
 * @returns the scores
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a bad option, a malformed case or a predictor returning the
 *   wrong number of rows; `E_EMPTY` when the split leaves no training case or no scored prefix
 * @example
 * ```ts
 * import { markovEventLogModel, scoreEventLogProtocol } from "nextbest/sequence";
 * const cases = [["a", "b", "c"], ["a", "b", "c"], ["a", "b", "d"]].map((activities, n) => ({
 *   id: String(n), activities, times: [n, n + 86400000, n + 3 * 86400000],
 * }));
 * const score = scoreEventLogProtocol(cases, markovEventLogModel(1));
 * [score.targets, score.accuracy, score.byPrefixLength.map((p) => p.accuracy)]; // => [2, 0.5, [1, 0]]
 * score.medianGapMaeDays; // => 0
 * ```
 * @category sequence
 */
export function scoreEventLogProtocol(cases: readonly EventLogCase[], model: EventLogModel, options: ScoreEventLogProtocolOptions = {}): EventLogProtocolScore {
  const fn = "scoreEventLogProtocol";
  checkArray(fn, "cases", cases);
  checkOptions(fn, options);
  const protocol = options.protocol ?? "time-split";
  assertOneOf(fn, "options.protocol", protocol, ["time-split", "tax"] as const);
  const maxPrefixLength = integerOption(fn, "maxPrefixLength", options.maxPrefixLength, 2147483647, 1);
  if (typeof model !== "object" || model === null || typeof model.fit !== "function") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: model must be an object with a fit function, got ${describeValue(model)}`);
  }
  const { train, test } = splitEventLog(cases, { protocol: protocol === "tax" ? "file-order" : "chronological" });
  if (train.length === 0) throw new NextbestError("E_EMPTY", `${fn}: cases must leave at least one training case, got ${cases.length} cases`);
  const minPrefix = protocol === "tax" ? 2 : 1;
  const context: EventLogFitContext = { endMarker: protocol === "tax" ? END : null };
  let targets = 0;
  for (const c of test) targets += Math.max(0, Math.min(c.activities.length - 1, maxPrefixLength) - minPrefix + 1);
  if (targets === 0) throw new NextbestError("E_EMPTY", `${fn}: the test cases must hold at least one prefix to score, got none`);

  // Median gap after each activity in training, and overall.
  const medianGap = medianGaps(train);

  const scoreWith = (candidate: EventLogModel, withTime: boolean) => {
    const predict = candidate.fit(train, context);
    const correctByLength = new Map<number, [number, number]>();
    let correct = 0;
    let timeError = 0;
    let baselineError = 0;
    let hasTime = withTime;
    for (let n = 0; n < test.length; n++) {
      const c = test[n]!;
      const L = c.activities.length;
      if (Math.min(L - 1, maxPrefixLength) < minPrefix) continue;
      const prediction = predict(c);
      if (prediction === null || typeof prediction !== "object" || !Array.isArray(prediction.nextStages) || prediction.nextStages.length !== L) {
        throw new NextbestError("E_BAD_INPUT", `${fn}: model ${describeValue(candidate.name)} must predict ${L} next stages for test case ${describeValue(c.id)}, got ${describeValue(prediction?.nextStages)}`);
      }
      const days = prediction.daysToNext;
      if (days === undefined || days.length !== L) hasTime = false;
      for (let k = minPrefix; k <= Math.min(L - 1, maxPrefixLength); k++) {
        const hit = prediction.nextStages[k - 1] === c.activities[k] ? 1 : 0;
        correct += hit;
        const entry = correctByLength.get(k) ?? [0, 0];
        entry[0] += hit;
        entry[1] += 1;
        correctByLength.set(k, entry);
        const actual = (c.times[k]! - c.times[k - 1]!) / MS_PER_DAY;
        if (hasTime) timeError += Math.abs(days![k - 1]! - actual);
        baselineError += Math.abs(medianGap(c.activities[k - 1]!) - actual);
      }
    }
    const byPrefixLength = Array.from(correctByLength, ([prefixLength, [hits, count]]) => ({ prefixLength, targets: count, accuracy: hits / count }));
    byPrefixLength.sort((a, b) => a.prefixLength - b.prefixLength);
    return { accuracy: correct / targets, byPrefixLength, timeError: hasTime ? timeError / targets : null, baselineError: baselineError / targets };
  };

  const scored = scoreWith(model, true);
  if (scored.timeError !== null && !Number.isFinite(scored.timeError)) {
    throw new NextbestError("E_NON_FINITE", `${fn}: model ${describeValue(model.name)} must predict finite days to the next event, got ${scored.timeError}`);
  }
  const markov = [1, 2, 3].map((order) => ({ order, accuracy: scoreWith(markovEventLogModel(order), false).accuracy }));
  const bestMarkov = markov.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  return {
    protocol,
    accuracy: scored.accuracy,
    byPrefixLength: scored.byPrefixLength,
    targets,
    markov,
    bestMarkov,
    timeToNextEventMaeDays: scored.timeError,
    medianGapMaeDays: scored.baselineError,
    trainCases: train.length,
    testCases: test.length,
  };
}

/** Options of {@link lstmEventLogModel}: the LSTM's options plus the encoding, the ensemble and the choices on validation. @category sequence */
export interface LstmEventLogModelOptions extends Omit<LstmOptions, "stages"> {
  /**
   * Encode the drift feature `caseStart` ({@link EventLogEncoderOptions.caseStart}): `true`, `false`, or `"auto"` to
   * let the validation part choose it with the window and the mixture (see {@link LstmEventLogModelOptions.markovMixture}):
   * each window is fitted without it and with it, and the more accurate blend wins (ties: the earlier window, then
   * without), so whether a log's process changed is decided on its own training cases by one rule for every log.
   * `"auto"` needs `markovMixture` and doubles the fits on validation; when the training cases are too few to leave a
   * validation part, it means `false`.
   * @defaultValue false
   */
  caseStart?: boolean | "auto";
  /**
   * Encode the time features (since previous event, since case start, time of day, weekday, position); without them
   * the network reads the activities and, when on, `caseStart` only.
   * @defaultValue true
   */
  timeFeatures?: boolean;
  /** Order of the Markov chain that predicts from the first activity unseen in training onwards. @defaultValue 1 */
  fallbackOrder?: number;
  /**
   * LSTMs trained with different seeds (member k > 0 seeded `"<seed>/k"`) whose next-activity probabilities and
   * predicted log1p days are averaged: an ensemble lowers the variance of one network. Multiplies the training time.
   * (On the validation parts of Helpdesk and BPI'13, 3 members did not beat 1, hence the default.)
   * @defaultValue 1
   */
  ensembleSize?: number;
  /**
   * Choose on a validation part of the training cases (the last `mixtureValidationFraction` of them in the order
   * given, i.e. the protocol's order: time or file; ensemble and chains fitted on the rest):
   * - the blend `(1 − w)·p_lstm + w·p_markov` of next-activity distributions, order 1–3 and w in 0, 0.1, …, 1, by
   *   accuracy over every next-activity target (ties: smaller w, then order);
   * - the blend `(1 − v)·days_lstm + v·median gap after the activity`, v in 0, 0.1, …, 1, by mean absolute error in
   *   days over the same targets (ties: smaller v).
   * The final ensemble and chain are then fitted on all training cases. Doubles the training time. w = v = 0 is the
   * plain LSTM ensemble.
   * @defaultValue true
   */
  markovMixture?: boolean;
  /** Share of the training cases held out for those choices, in (0, 0.5]. @defaultValue 0.2 */
  mixtureValidationFraction?: number;
  /**
   * Recency windows to choose from with the mixture: each is the share of the most recent training cases (in the
   * order given) that the ensemble, the Markov chain and the median gaps are fitted on, in (0, 1]. On validation,
   * every window is cut from the cases before the holdout; the window whose blend is most accurate wins (ties: the
   * earlier in the list). A process that changed during the training period is then learned from its recent cases
   * only, the same rule for every log. `[1]` uses all training cases.
   * @defaultValue [1, 0.5, 0.25]
   */
  recencyWindows?: readonly number[];
  /** Called once per fit with the choices made (weights 0 and order 1 when the choice is off). @defaultValue none */
  onMixture?: (choice: MarkovMixtureChoice) => void;
}

/** What {@link LstmEventLogModelOptions.onMixture} receives. @category sequence */
export interface MarkovMixtureChoice {
  /** The recency window chosen: the share of the most recent training cases the models are fitted on. */
  readonly window: number;
  /** Whether the ensemble encodes the drift feature `caseStart` (chosen with `caseStart: "auto"`, else the option). */
  readonly caseStart: boolean;
  /** The weight of the Markov chain's distribution. */
  readonly markovWeight: number;
  /** The order of the chain. */
  readonly markovOrder: number;
  /** Next-activity accuracy of the chosen blend on the validation cases (NaN when the mixture is off). */
  readonly validationAccuracy: number;
  /** Validation accuracy of the plain LSTM ensemble (weight 0) on the same targets (NaN when the mixture is off). */
  readonly lstmValidationAccuracy: number;
  /** The weight of the median gap after the activity in the predicted days to the next event. */
  readonly medianGapWeight: number;
  /** Validation mean absolute error in days of the chosen time blend (NaN when the mixture is off). */
  readonly validationMaeDays: number;
  /** The same error of the LSTM ensemble alone (v = 0) (NaN when the mixture is off). */
  readonly lstmValidationMaeDays: number;
  /** The same error of the median gap alone (v = 1) (NaN when the mixture is off). */
  readonly medianGapValidationMaeDays: number;
}

/** An ensemble of LSTMs on the event-log encoding, fitted on some cases; averages the members' step predictions. */
interface EventLogEnsemble {
  readonly stages: readonly string[];
  /** After every prefix of a case whose activities are all known: probabilities (L × S) and days (L). */
  readonly steps: (eventCase: EventLogCase) => { probabilities: Float64Array; days: Float64Array };
}

function fitEnsemble(
  cases: readonly EventLogCase[],
  stages: readonly string[],
  endMarker: string | null,
  caseStart: boolean,
  timeFeatures: boolean,
  size: number,
  lstm: Omit<LstmOptions, "stages">,
): EventLogEnsemble {
  const encoder = fitEventLogEncoder(cases, { endMarker, caseStart });
  const encode = (chunk: readonly EventLogCase[]): SequenceExample[] => {
    const examples = encodeEventLogCases(encoder, chunk);
    if (timeFeatures) return examples;
    // Without the time features only the drift feature, when on, stays: the encoder's last column.
    const drift = encoder.featureNames.length - 1;
    return examples.map(({ features, ...rest }) => (caseStart ? { ...rest, features: features!.map((row) => Float64Array.of(row[drift]!)) } : rest));
  };
  const examples = encode(cases);
  const seed = lstm.seed ?? 0;
  const members: LstmModel[] = [];
  for (let k = 0; k < size; k++) members.push(fitLstm(examples, { ...lstm, stages, seed: k === 0 ? seed : `${seed}/${k}` }));
  const S = stages.length;
  return {
    stages,
    steps: (eventCase) => {
      const [example] = encode([eventCase]);
      const L = eventCase.activities.length;
      const probabilities = new Float64Array(L * S);
      const logDays = new Float64Array(L);
      for (const member of members) {
        const steps = predictLstmSteps(member, example!);
        for (let i = 0; i < L * S; i++) probabilities[i]! += steps.nextStageProbabilities[i]! / size;
        for (let t = 0; t < L; t++) logDays[t]! += Math.log1p(steps.expectedDays[t]!) / size;
      }
      const days = logDays.map((d) => Math.expm1(d));
      return { probabilities, days };
    },
  };
}

/** The median training gap after each activity, and overall (for an activity without a successor in training). */
function medianGaps(cases: readonly EventLogCase[]): (activity: string) => number {
  const after = new Map<string, number[]>();
  const all: number[] = [];
  for (const c of cases) {
    for (let t = 0; t + 1 < c.activities.length; t++) {
      const gap = (c.times[t + 1]! - c.times[t]!) / MS_PER_DAY;
      let list = after.get(c.activities[t]!);
      if (list === undefined) after.set(c.activities[t]!, (list = []));
      list.push(gap);
      all.push(gap);
    }
  }
  const medians = new Map<string, number>();
  for (const [activity, list] of after) medians.set(activity, medianInPlace(list));
  const overall = all.length > 0 ? medianInPlace(all) : 0;
  return (activity) => medians.get(activity) ?? overall;
}

/**
 * The LSTM of {@link fitLstm} on the event-log encoding ({@link encodeEventLogCases}) as an {@link EventLogModel}: an
 * ensemble of `ensembleSize` seeds, blended with a Markov chain and, for the time to the next event, with the median
 * gap after the activity, the blend weights chosen on a validation part of the training cases (see
 * {@link LstmEventLogModelOptions.markovMixture}), the same procedure on every log.
 * Vocabulary: the activities of the training cases (plus the end marker when the protocol has one). An activity
 * unseen in training is not an error: from its first occurrence in a case onwards, the prefixes are predicted by a
 * Markov chain of order `fallbackOrder` fitted on the same training cases, which backs off past the unseen activity,
 * and the time to the next event is the median training gap (the earlier prefixes keep the LSTM's predictions).
 *
 * Complexity: `ensembleSize` × (2 with the mixture) fits of {@link fitLstm}, and as many forward passes per case.
 *
 * @param options - LSTM options, `caseStart`, `timeFeatures`, `fallbackOrder`, `ensembleSize`, the mixture
 * @returns the model
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a bad option (LSTM options are checked when `fit` runs)
 * @example
 * ```ts
 * import { lstmEventLogModel } from "nextbest/sequence";
 * const day = 86400000;
 * const train = [0, 1, 2, 3].map((n) => ({ id: String(n), activities: ["a", "b", "c"], times: [n * day, (n + 1) * day, (n + 3) * day] }));
 * const predict = lstmEventLogModel({ hiddenSize: 4, epochs: 60, learningRate: 0.05 }).fit(train, { endMarker: null });
 * predict({ id: "new", activities: ["a", "zzz", "b"], times: [0, day, 2 * day] }).nextStages; // => ["b", "b", "c"]
 * ```
 * @category sequence
 */
export function lstmEventLogModel(options: LstmEventLogModelOptions = {}): EventLogModel {
  const fn = "lstmEventLogModel";
  checkOptions(fn, options);
  const {
    caseStart = false,
    timeFeatures = true,
    fallbackOrder: order,
    ensembleSize: size,
    daysLoss = "squared",
    markovMixture = true,
    mixtureValidationFraction: fraction,
    recencyWindows = [1, 0.5, 0.25],
    onMixture,
    ...rest
  } = options;
  checkArray(fn, "options.recencyWindows", recencyWindows);
  if (recencyWindows.length === 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.recencyWindows must hold at least one share, got length 0`);
  recencyWindows.forEach((share, k) => numberOption(fn, `recencyWindows[${k}]`, share, 1, 0, 1, true));
  const fallbackOrder = integerOption(fn, "fallbackOrder", order, 1, 1, 3);
  const ensembleSize = integerOption(fn, "ensembleSize", size, 1, 1, 64);
  const mixtureValidationFraction = numberOption(fn, "mixtureValidationFraction", fraction, 0.2, 0, 0.5, true);
  if (typeof markovMixture !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: options.markovMixture must be a boolean, got ${describeValue(markovMixture)}`);
  if (caseStart !== "auto" && typeof caseStart !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: options.caseStart must be a boolean or "auto", got ${describeValue(caseStart)}`);
  if (caseStart === "auto" && !markovMixture) throw new NextbestError("E_BAD_INPUT", `${fn}: options.caseStart "auto" is chosen on the validation part, which needs options.markovMixture true, got false`);
  if (typeof timeFeatures !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: options.timeFeatures must be a boolean, got ${describeValue(timeFeatures)}`);
  assertOneOf(fn, "options.daysLoss", daysLoss, ["squared", "absolute"] as const);
  const lstm = { ...rest, daysLoss };
  const name = `lstm${ensembleSize > 1 ? `x${ensembleSize}` : ""}${markovMixture ? "+markov" : ""}${caseStart === "auto" ? "+caseStart?" : caseStart ? "+caseStart" : ""}${timeFeatures ? "" : "-no-time"}`;
  return {
    name,
    fit: (train, context) => {
      const stages = fitEventLogEncoder(train, { endMarker: context.endMarker }).stages;
      let choice: MarkovMixtureChoice = {
        window: recencyWindows[0]!,
        caseStart: caseStart === true,
        markovWeight: 0,
        markovOrder: 1,
        validationAccuracy: Number.NaN,
        lstmValidationAccuracy: Number.NaN,
        medianGapWeight: 0,
        validationMaeDays: Number.NaN,
        lstmValidationMaeDays: Number.NaN,
        medianGapValidationMaeDays: Number.NaN,
      };
      const cut = Math.round(train.length * (1 - mixtureValidationFraction));
      if (markovMixture && cut >= 1 && cut < train.length) {
        for (const window of recencyWindows) {
          const part = recent(train.slice(0, cut), window);
          for (const drift of caseStart === "auto" ? [false, true] : [caseStart]) {
            const partEnsemble = fitEnsemble(part, stages, context.endMarker, drift, timeFeatures, ensembleSize, lstm);
            const candidate = chooseMixture(window, drift, partEnsemble, train.slice(cut), part, context.endMarker);
            if (candidate !== null && !(candidate.validationAccuracy <= choice.validationAccuracy)) choice = candidate;
          }
        }
      }
      onMixture?.(choice);
      const fitted = recent(train, choice.window);
      const ensemble = fitEnsemble(fitted, stages, context.endMarker, choice.caseStart, timeFeatures, ensembleSize, lstm);
      const mixture = choice.markovWeight > 0 ? fitMarkovDense(fitted, context.endMarker, choice.markovOrder, stages) : null;
      const gapAfter = medianGaps(fitted);
      const known = new Set(stages);
      const fallback = markovEventLogModel(fallbackOrder).fit(train, context);
      const gaps: number[] = [];
      for (const c of train) for (let t = 1; t < c.times.length; t++) gaps.push((c.times[t]! - c.times[t - 1]!) / MS_PER_DAY);
      const medianTrainGap = gaps.length > 0 ? medianInPlace(gaps) : 0;
      const S = stages.length;
      return (eventCase) => {
        let unseen = eventCase.activities.findIndex((a) => !known.has(a));
        if (unseen < 0) unseen = eventCase.activities.length;
        const L = eventCase.activities.length;
        const nextStages: (string | null)[] = new Array(L);
        const daysToNext = new Float64Array(L);
        if (unseen > 0) {
          const head = { ...eventCase, activities: eventCase.activities.slice(0, unseen), times: eventCase.times.slice(0, unseen) };
          const steps = ensemble.steps(head);
          const w = choice.markovWeight;
          const v = choice.medianGapWeight;
          for (let t = 0; t < unseen; t++) {
            const markov = mixture === null ? null : mixture(eventCase.activities.slice(0, t + 1));
            nextStages[t] = stages[argmaxBlend(steps.probabilities, t * S, markov, w, S)]!;
            daysToNext[t] = (1 - v) * steps.days[t]! + v * gapAfter(eventCase.activities[t]!);
          }
        }
        if (unseen < L) {
          const tail = fallback(eventCase).nextStages;
          for (let t = unseen; t < L; t++) {
            nextStages[t] = tail[t]!;
            daysToNext[t] = medianTrainGap;
          }
        }
        return { nextStages, daysToNext };
      };
    },
  };
}

/** The last `share` of `cases` (at least one). */
function recent(cases: readonly EventLogCase[], share: number): readonly EventLogCase[] {
  return share >= 1 ? cases : cases.slice(Math.min(cases.length - 1, Math.floor(cases.length * (1 - share))));
}

/** The index of the largest `(1 − w)·p[offset + s] + w·markov[s]` (the first on ties). */
function argmaxBlend(p: Float64Array, offset: number, markov: Float64Array | null, w: number, S: number): number {
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let s = 0; s < S; s++) {
    const score = (1 - w) * p[offset + s]! + (markov === null ? 0 : w * markov[s]!);
    if (score > bestScore) {
      bestScore = score;
      best = s;
    }
  }
  return best;
}

/** A Markov chain of `order` on `train` whose distributions are aligned with `stages` (zero for stages it never saw). */
function fitMarkovDense(train: readonly EventLogCase[], endMarker: string | null, order: number, stages: readonly string[]): (prefix: readonly string[]) => Float64Array {
  const chain = fitNextStageMarkov(train.map((c) => (endMarker === null ? c.activities : [...c.activities, endMarker])), { order });
  const position = new Map(stages.map((stage, s) => [stage, s] as const));
  const to = chain.stages.map((stage) => position.get(stage) ?? -1);
  return (prefix) => {
    const probabilities = predictNextStageMarkov(chain, prefix).nextStageProbabilities;
    const out = new Float64Array(stages.length);
    for (let i = 0; i < to.length; i++) if (to[i]! >= 0) out[to[i]!] = probabilities[i]!;
    return out;
  };
}

/**
 * The mixture weight and order with the best next-activity accuracy on the holdout cases (ties: smaller w, order),
 * and the weight of the median gap with the smallest mean absolute error in days (ties: smaller v); null without a
 * holdout target.
 */
function chooseMixture(window: number, caseStart: boolean, ensemble: EventLogEnsemble, holdout: readonly EventLogCase[], part: readonly EventLogCase[], endMarker: string | null): MarkovMixtureChoice | null {
  const stages = ensemble.stages;
  const S = stages.length;
  const index = new Map(stages.map((stage, s) => [stage, s] as const));
  const chains = [1, 2, 3].map((order) => fitMarkovDense(part, endMarker, order, stages));
  const gapAfter = medianGaps(part);
  const weights = Array.from({ length: 11 }, (_, k) => k / 10);
  const hits = new Float64Array(chains.length * weights.length);
  const timeErrors = new Float64Array(weights.length);
  let targets = 0;
  for (const c of holdout) {
    const activities = c.activities;
    let known = activities.findIndex((a) => !index.has(a));
    if (known < 0) known = activities.length;
    if (activities.length < 2) continue;
    targets += activities.length - 1;
    if (known === 0) continue;
    const steps = ensemble.steps(known === activities.length ? c : { ...c, activities: activities.slice(0, known), times: c.times.slice(0, known) });
    for (let t = 0; t + 1 < activities.length && t < known; t++) {
      const actual = (c.times[t + 1]! - c.times[t]!) / MS_PER_DAY;
      const median = gapAfter(activities[t]!);
      for (let k = 0; k < weights.length; k++) timeErrors[k]! += Math.abs((1 - weights[k]!) * steps.days[t]! + weights[k]! * median - actual);
      const target = index.get(activities[t + 1]!);
      if (target === undefined) continue;
      for (let o = 0; o < chains.length; o++) {
        const markov = chains[o]!(activities.slice(0, t + 1));
        for (let k = 0; k < weights.length; k++) if (argmaxBlend(steps.probabilities, t * S, markov, weights[k]!, S) === target) hits[o * weights.length + k]! += 1;
      }
    }
  }
  if (targets === 0) return null;
  let best = 0;
  for (let k = 0; k < weights.length; k++) {
    for (let o = 0; o < chains.length; o++) if (hits[o * weights.length + k]! > hits[best]!) best = o * weights.length + k;
  }
  let bestTime = 0;
  for (let k = 1; k < weights.length; k++) if (timeErrors[k]! < timeErrors[bestTime]!) bestTime = k;
  return {
    window,
    caseStart,
    markovWeight: weights[best % weights.length]!,
    markovOrder: Math.floor(best / weights.length) + 1,
    validationAccuracy: hits[best]! / targets,
    lstmValidationAccuracy: hits[0]! / targets,
    medianGapWeight: weights[bestTime]!,
    validationMaeDays: timeErrors[bestTime]! / targets,
    lstmValidationMaeDays: timeErrors[0]! / targets,
    medianGapValidationMaeDays: timeErrors[weights.length - 1]! / targets,
  };
}
