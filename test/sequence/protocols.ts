// The Helpdesk next-activity protocols of issue 6 and the synthetic win/next-stage comparison, shared by the tests
// (quick configurations) and bench/sequence.ts (full configurations).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { rocAuc } from "../../src/metrics/index.ts";
import {
  encodeEventLogCases,
  encodeOpportunityHistories,
  fitEventLogEncoder,
  fitLstm,
  fitNextStageMarkov,
  fitStageMarkovChain,
  fitStageWinRates,
  fitStepEncoder,
  generateStageHistories,
  parseHelpdeskCsv,
  predictLstmSteps,
  predictNextStageMarkov,
  predictStageMarkovChain,
  splitEventLog,
  stageDefaultWinProbability,
  stageHistoryOf,
  SYNTHETIC_STAGE_ORDER,
  type EventLogCase,
  type LstmModel,
  type LstmOptions,
} from "../../src/sequence/index.ts";

export const helpdeskDir = path.resolve(import.meta.dirname, "../../../shared/data/process-event-logs-tax2017");
export const helpdeskFile = path.join(helpdeskDir, "helpdesk.csv");
export const hasHelpdesk = existsSync(helpdeskFile);

export function readHelpdesk(): EventLogCase[] {
  return parseHelpdeskCsv(readFileSync(helpdeskFile, "utf8"));
}

/** Protocol (a): chronological split, prefixes 1..L-1, end never a target. (b): file order, prefixes 2..L-1. */
export type HelpdeskProtocol = "a" | "b";

const END = "[end]";

export interface MarkovResult {
  readonly order: number;
  readonly accuracy: number;
}

export interface HelpdeskResult {
  /** Accuracy of the LSTM (mean over seeds) and of each seed. */
  readonly lstmAccuracy: number;
  readonly lstmAccuracies: number[];
  /** Accuracy of the Markov chains of order 1..3 (back-off). */
  readonly markov: MarkovResult[];
  readonly bestMarkov: MarkovResult;
  /** Number of scored prefixes. */
  readonly targets: number;
  /** MAE in days of the time to the next event: LSTM (first seed) and per-stage mean gap. */
  readonly lstmMaeDays: number;
  readonly meanGapMaeDays: number;
  readonly trainCases: number;
  readonly testCases: number;
  readonly models: LstmModel[];
}

export interface HelpdeskRunOptions {
  /** LSTM options (stages and seed are set here). */
  readonly lstm: LstmOptions;
  /** Seeds; the accuracy is their mean. */
  readonly seeds: readonly number[];
  /**
   * Whether the end of a case is a class the LSTM and the Markov chains learn and may predict. Protocol (a) conditions
   * on the case continuing (the end class, when learned, is left out of the argmax, as it is never a target).
   */
  readonly endClass: boolean;
}

/**
 * Runs a Helpdesk protocol: the Markov chains of order 1..3 and the LSTM on the same split and the same targets.
 * Under (a) both kinds of model predict the next activity given that the case goes on; under (b) with `endClass`,
 * both may predict the end of the case, which is never a target (Tax et al. 2017).
 */
export function runHelpdeskProtocol(cases: readonly EventLogCase[], protocol: HelpdeskProtocol, options: HelpdeskRunOptions): HelpdeskResult {
  const { train, test } = splitEventLog(cases, { protocol: protocol === "a" ? "chronological" : "file-order" });
  const minPrefix = protocol === "a" ? 1 : 2;
  const learnEnd = options.endClass;
  const predictEnd = learnEnd && protocol === "b";
  // Markov chains: trained on the same cases; the end marker appended when the end is a class.
  const markovTrain = train.map((c) => (predictEnd ? [...c.activities, END] : c.activities.slice()));
  const markov: MarkovResult[] = [];
  let targets = 0;
  for (const order of [1, 2, 3]) {
    const model = fitNextStageMarkov(markovTrain, { order });
    let correct = 0;
    targets = 0;
    for (const c of test) {
      for (let k = minPrefix; k < c.activities.length; k++) {
        targets++;
        if (predictNextStageMarkov(model, c.activities.slice(0, k)).nextStage === c.activities[k]) correct++;
      }
    }
    markov.push({ order, accuracy: correct / targets });
  }
  const bestMarkov = markov.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  // LSTM: the activity vocabulary of the whole log (names only, so a rare activity first seen in test is a valid input).
  // The issue-6 configuration: the drift feature caseStart on (Helpdesk changed in mid-2011).
  const encoder = fitEventLogEncoder(train, { endMarker: learnEnd ? END : null, caseStart: true });
  const stages = Array.from(new Set([...cases.flatMap((c) => c.activities), ...(learnEnd ? [END] : [])]));
  const trainExamples = encodeEventLogCases(encoder, train);
  const testExamples = encodeEventLogCases(encoder, test);
  const models = options.seeds.map((seed) => fitLstm(trainExamples, { ...options.lstm, stages, seed }));
  const lstmAccuracies = models.map((model) => {
    const S = model.stages.length;
    const end = model.stages.indexOf(END);
    let correct = 0;
    for (let n = 0; n < test.length; n++) {
      const c = test[n]!;
      const steps = predictLstmSteps(model, testExamples[n]!);
      for (let k = minPrefix; k < c.activities.length; k++) {
        const row = (k - 1) * S;
        let best = -1;
        for (let s = 0; s < S; s++) {
          if (s === end && !predictEnd) continue;
          if (best < 0 || steps.nextStageProbabilities[row + s]! > steps.nextStageProbabilities[row + best]!) best = s;
        }
        if (model.stages[best] === c.activities[k]) correct++;
      }
    }
    return correct / targets;
  });
  // Time to the next event (every event that has a next one in the test cases): LSTM vs per-activity mean gap.
  const gapSum = new Map<string, [number, number]>();
  for (const c of train) {
    for (let t = 0; t + 1 < c.activities.length; t++) {
      const entry = gapSum.get(c.activities[t]!) ?? [0, 0];
      entry[0] += (c.times[t + 1]! - c.times[t]!) / 86_400_000;
      entry[1] += 1;
      gapSum.set(c.activities[t]!, entry);
    }
  }
  let overallSum = 0;
  let overallCount = 0;
  for (const [sum, count] of gapSum.values()) {
    overallSum += sum;
    overallCount += count;
  }
  let lstmError = 0;
  let baselineError = 0;
  let gaps = 0;
  for (let n = 0; n < test.length; n++) {
    const c = test[n]!;
    const steps = predictLstmSteps(models[0]!, testExamples[n]!);
    for (let t = 0; t + 1 < c.activities.length; t++) {
      const actual = (c.times[t + 1]! - c.times[t]!) / 86_400_000;
      const entry = gapSum.get(c.activities[t]!);
      const baseline = entry ? entry[0] / entry[1] : overallSum / overallCount;
      lstmError += Math.abs(steps.expectedDays[t]! - actual);
      baselineError += Math.abs(baseline - actual);
      gaps++;
    }
  }
  return {
    lstmAccuracy: lstmAccuracies.reduce((a, b) => a + b, 0) / lstmAccuracies.length,
    lstmAccuracies,
    markov,
    bestMarkov,
    targets,
    lstmMaeDays: lstmError / gaps,
    meanGapMaeDays: baselineError / gaps,
    trainCases: train.length,
    testCases: test.length,
    models,
  };
}

export interface SyntheticResult {
  readonly lstmWinAuc: number;
  readonly markovWinAuc: number;
  readonly stageDefaultWinAuc: number;
  readonly lstmNextStageAccuracy: number;
  readonly markovNextStageAccuracy: number;
  /** Next-stage accuracy on the steps at negotiation, where the planted event decides won vs lost. */
  readonly lstmNegotiationAccuracy: number;
  readonly markovNegotiationAccuracy: number;
  readonly steps: number;
}

/**
 * The synthetic comparison: `trainCount` + `testCount` generated deals (seeded), the LSTM on the step encoding, the
 * absorbing Markov chain and stage-default win rates on the stage histories. Win AUC over every open step of the
 * test deals (label: the deal's outcome), next-stage accuracy over the same steps.
 */
export function runSynthetic(trainCount: number, testCount: number, seed: number, lstm: LstmOptions): SyntheticResult {
  const deals = generateStageHistories({ count: trainCount + testCount, seed });
  const train = deals.slice(0, trainCount);
  const test = deals.slice(trainCount);
  const encoder = fitStepEncoder(train, { stageOrder: SYNTHETIC_STAGE_ORDER });
  const stages = [...SYNTHETIC_STAGE_ORDER, "won", "lost"];
  const model = fitLstm(encodeOpportunityHistories(encoder, train), { ...lstm, stages });
  const chain = fitStageMarkovChain(train.map(stageHistoryOf));
  const rates = fitStageWinRates(train.map(stageHistoryOf));
  const labels: number[] = [];
  const lstmScores: number[] = [];
  const markovScores: number[] = [];
  const defaultScores: number[] = [];
  let lstmCorrect = 0;
  let markovCorrect = 0;
  let lstmNegotiation = 0;
  let markovNegotiation = 0;
  let negotiation = 0;
  let steps = 0;
  const S = model.stages.length;
  for (const example of encodeOpportunityHistories(encoder, test)) {
    const predictions = predictLstmSteps(model, example);
    for (let t = 0; t < example.stages.length; t++) {
      labels.push(example.won ? 1 : 0);
      lstmScores.push(predictions.winProbability[t]!);
      const markov = predictStageMarkovChain(chain, example.stages.slice(0, t + 1));
      markovScores.push(markov.winProbability);
      defaultScores.push(stageDefaultWinProbability(example.stages[t]!, { probabilities: rates, fallback: 0.5 }));
      const target = example.nextStages![t]!;
      let best = 0;
      for (let s = 1; s < S; s++) if (predictions.nextStageProbabilities[t * S + s]! > predictions.nextStageProbabilities[t * S + best]!) best = s;
      const lstmHit = model.stages[best] === target ? 1 : 0;
      const markovHit = markov.nextStage === target ? 1 : 0;
      lstmCorrect += lstmHit;
      markovCorrect += markovHit;
      if (example.stages[t] === "negotiation") {
        negotiation++;
        lstmNegotiation += lstmHit;
        markovNegotiation += markovHit;
      }
      steps++;
    }
  }
  return {
    lstmWinAuc: rocAuc(lstmScores, labels),
    markovWinAuc: rocAuc(markovScores, labels),
    stageDefaultWinAuc: rocAuc(defaultScores, labels),
    lstmNextStageAccuracy: lstmCorrect / steps,
    markovNextStageAccuracy: markovCorrect / steps,
    lstmNegotiationAccuracy: lstmNegotiation / negotiation,
    markovNegotiationAccuracy: markovNegotiation / negotiation,
    steps,
  };
}
