import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  lstmEventLogModel,
  markovEventLogModel,
  parseEventLogCsv,
  scoreEventLogProtocol,
  type EventLogCase,
  type EventLogModel,
  type MarkovMixtureChoice,
} from "../../src/sequence/index.ts";
import { expectError } from "../helpers.ts";
import { hasHelpdesk, readHelpdesk } from "./protocols.ts";

const DAY = 86_400_000;

/** Cases from activity strings ("abc"), one event a day, case n starting on day n. */
function casesOf(paths: string[]): EventLogCase[] {
  return paths.map((p, n) => ({ id: `c${n}`, activities: p.split(""), times: p.split("").map((_, t) => (n + t) * DAY) }));
}

/** A model that always predicts `stage` and `days`. */
function constantModel(stage: string | null, days?: number): EventLogModel {
  return {
    name: "constant",
    fit: () => (c) => ({ nextStages: c.activities.map(() => stage), ...(days === undefined ? {} : { daysToNext: c.activities.map(() => days) }) }),
  };
}

describe("parseEventLogCsv", () => {
  it("reads any three named columns and ignores the others", () => {
    const text = "x,ticket,step,at\n1,T2,open,2024-01-02 09:00:00\n2,T1,open,2024-01-01 09:00\n3,T2,done,2024-01-03 09:00:00.5\n";
    const log = parseEventLogCsv(text, { caseColumn: "ticket", activityColumn: "step", timeColumn: "at" });
    expect(log.map((c) => [c.id, c.activities])).toEqual([["T2", ["open", "done"]], ["T1", ["open"]]]);
    expect(log[0]!.times[1]! - log[0]!.times[0]!).toBe(DAY + 500);
    expectError(() => parseEventLogCsv(text), "E_BAD_INPUT", 'parseEventLogCsv: line 1 must be a header with CaseID, ActivityID and CompleteTimestamp, got "x,ticket,step,at"');
    expectError(() => parseEventLogCsv(text, { caseColumn: "" }), "E_BAD_INPUT", 'parseEventLogCsv: options.caseColumn must be a non-empty string, got ""');
    expectError(() => parseEventLogCsv("t,s,at\nA,,2024-01-01 00:00\n", { caseColumn: "t", activityColumn: "s", timeColumn: "at" }), "E_BAD_INPUT", 'parseEventLogCsv: line 2 s must not be empty, got ""');
  });
});

describe("scoreEventLogProtocol", () => {
  // First events on days 0..5: train c0..c3 (2/3 of 6), test c4 "abd" and c5 "ab".
  const cases = casesOf(["abc", "abc", "abd", "ab", "abd", "ab"]);

  it("time split: scores prefixes 1..L-1 of the later cases, with the Markov chains and the median gap", () => {
    const score = scoreEventLogProtocol(cases, constantModel("b", 1));
    expect([score.trainCases, score.testCases, score.targets]).toEqual([4, 2, 3]);
    // Targets: after [a] b, after [a, b] d, after [a] b.
    expect(score.accuracy).toBeCloseTo(2 / 3, 15);
    expect(score.byPrefixLength).toEqual([{ prefixLength: 1, targets: 2, accuracy: 1 }, { prefixLength: 2, targets: 1, accuracy: 0 }]);
    // Order 1 after b: c twice, d once, so c (wrong on d): 2/3 for every order (order 2 sees (a, b) the same way).
    expect(score.markov.map((m) => m.accuracy)).toEqual([2 / 3, 2 / 3, 2 / 3]);
    expect(score.bestMarkov.order).toBe(1);
    expect([score.timeToNextEventMaeDays, score.medianGapMaeDays]).toEqual([0, 0]);
    expect(scoreEventLogProtocol(cases, constantModel("b")).timeToNextEventMaeDays).toBeNull();
    const short = scoreEventLogProtocol(cases, constantModel("b"), { maxPrefixLength: 1 });
    expect([short.targets, short.accuracy]).toEqual([2, 1]);
  });

  it("Tax et al.'s protocol: file order, prefixes from 2, an end predicted counts as wrong", () => {
    const fileOrder = casesOf(["abd", "abc", "abc", "ab", "abd", "abx"]);
    const end = scoreEventLogProtocol(fileOrder, constantModel("[end]"), { protocol: "tax" });
    // Test: c4 "abd", c5 "abx": prefixes of length 2 only.
    expect([end.targets, end.accuracy]).toEqual([2, 0]);
    expect(scoreEventLogProtocol(fileOrder, constantModel("d"), { protocol: "tax" }).accuracy).toBe(0.5);
    // Markov with the end learned: after b, c twice, d once, end once: c, never right; x is unseen and never predicted.
    expect(end.bestMarkov.accuracy).toBe(0);
    expectError(() => scoreEventLogProtocol(fileOrder, constantModel("d"), { protocol: "tax", maxPrefixLength: 1 }), "E_EMPTY");
  });

  it("rejects bad options and predictors", () => {
    expectError(() => scoreEventLogProtocol(cases, constantModel("b"), { protocol: "random" as "tax" }), "E_BAD_INPUT", 'scoreEventLogProtocol: options.protocol must be one of "time-split", "tax", got "random"');
    expectError(() => scoreEventLogProtocol(cases, { name: "short", fit: () => () => ({ nextStages: [] }) }), "E_BAD_INPUT", 'scoreEventLogProtocol: model "short" must predict 3 next stages for test case "c4", got array of length 0');
    expectError(() => scoreEventLogProtocol(casesOf(["a", "b", "c"]), constantModel("b")), "E_EMPTY", "scoreEventLogProtocol: the test cases must hold at least one prefix to score, got none");
  });

  it("the per-length accuracies average to the accuracy, and the best Markov chain is the best of the three", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[abc]{1,6}$/), { minLength: 3, maxLength: 30 }), fc.constantFrom("time-split" as const, "tax" as const), (paths, protocol) => {
        const logCases = casesOf(paths);
        let score;
        try {
          score = scoreEventLogProtocol(logCases, markovEventLogModel(2), { protocol });
        } catch (error) {
          expect((error as { code: string }).code).toBe("E_EMPTY");
          return;
        }
        const hits = score.byPrefixLength.reduce((sum, p) => sum + p.accuracy * p.targets, 0);
        expect(score.byPrefixLength.reduce((sum, p) => sum + p.targets, 0)).toBe(score.targets);
        expect(hits / score.targets).toBeCloseTo(score.accuracy, 12);
        expect(score.accuracy).toBeCloseTo(score.markov[1]!.accuracy, 12);
        expect(score.bestMarkov.accuracy).toBe(Math.max(...score.markov.map((m) => m.accuracy)));
      }),
      { seed: 19, numRuns: 60 },
    );
  });
});

describe("lstmEventLogModel", () => {
  it("falls back to the Markov chain from an activity unseen in training instead of throwing", () => {
    const train = casesOf(["abc", "abc", "abc", "abc"]);
    const predict = lstmEventLogModel({ hiddenSize: 4, epochs: 60, learningRate: 0.05 }).fit(train, { endMarker: null });
    const prediction = predict({ id: "new", activities: ["a", "zzz", "b"], times: [0, DAY, 2 * DAY] });
    expect(prediction.nextStages).toEqual(["b", "b", "c"]);
    // After the unseen activity, the time to the next event is the median training gap (1 day).
    expect(Array.from(prediction.daysToNext!).slice(1)).toEqual([1, 1]);
    expect(predict({ id: "unseen first", activities: ["zzz"], times: [0] }).nextStages).toEqual(["b"]);
  });

  it("trains without time features for the ablation", () => {
    const train = casesOf(["abc", "abd", "abc", "abc"]);
    const predict = lstmEventLogModel({ hiddenSize: 4, epochs: 30, learningRate: 0.05, timeFeatures: false }).fit(train, { endMarker: "[end]" });
    expect(predict(train[0]!).nextStages).toEqual(["b", "c", "[end]"]);
    expectError(() => lstmEventLogModel({ fallbackOrder: 4 }), "E_BAD_INPUT", "lstmEventLogModel: options.fallbackOrder must be an integer in [1, 3], got 4");
  });

  it("chooses the Markov mixture on the last part of the training cases, never below the plain LSTM there", () => {
    const train = casesOf(["abc", "abd", "abc", "aec", "abc", "abd", "abc", "abc", "aec", "abd"]);
    const choices: MarkovMixtureChoice[] = [];
    lstmEventLogModel({ hiddenSize: 4, epochs: 5, seed: 3, onMixture: (choice) => choices.push(choice) }).fit(train, { endMarker: null });
    expect(choices).toHaveLength(1);
    const [choice] = choices;
    expect(choice!.markovWeight).toBeGreaterThanOrEqual(0);
    expect(choice!.markovWeight).toBeLessThanOrEqual(1);
    expect([1, 2, 3]).toContain(choice!.markovOrder);
    // Weight 0 is in the grid, so the chosen blend is at least as accurate as the plain LSTM on the validation cases.
    expect(choice!.validationAccuracy).toBeGreaterThanOrEqual(choice!.lstmValidationAccuracy);
    lstmEventLogModel({ hiddenSize: 4, epochs: 5, markovMixture: false, onMixture: (c) => choices.push(c) }).fit(train, { endMarker: null });
    expect(choices[1]!.markovWeight).toBe(0);
    expect(choices[1]!.validationAccuracy).toBeNaN();
    expectError(() => lstmEventLogModel({ mixtureValidationFraction: 0.7 }), "E_BAD_INPUT", "lstmEventLogModel: options.mixtureValidationFraction must be > 0 and <= 0.5, got 0.7");
  });

  it("learns a process that changed from its recent cases when the recency window wins on validation", () => {
    // The first 12 cases (by start) go a→b→c, the last 8 a→b→d: the last 20% (4 cases) validate; with all 16 cases
    // before them the chain says c after b (wrong on every validation case), with the last quarter (4 cases, all
    // a→b→d) it says d. The window 0.25 is chosen and the final models see the last 5 of the 20 cases, all a→b→d.
    const train = casesOf([...Array.from({ length: 12 }, () => "abc"), ...Array.from({ length: 8 }, () => "abd")]);
    const choices: MarkovMixtureChoice[] = [];
    const options = { hiddenSize: 4, epochs: 40, learningRate: 0.05, recencyWindows: [1, 0.25], onMixture: (c: MarkovMixtureChoice) => choices.push(c) };
    const predict = lstmEventLogModel(options).fit(train, { endMarker: null });
    expect(choices[0]!.window).toBe(0.25);
    expect(choices[0]!.validationAccuracy).toBe(1);
    expect(predict({ id: "new", activities: ["a", "b"], times: [0, DAY] }).nextStages).toEqual(["b", "d"]);
    // One day between events everywhere: the median gap is exact, so the time blend's validation error is 0.
    expect(choices[0]!.medianGapValidationMaeDays).toBe(0);
    expect(choices[0]!.validationMaeDays).toBe(0);
    // With the single window [1], all cases are learned: c after b.
    const all = lstmEventLogModel({ ...options, recencyWindows: [1] }).fit(train, { endMarker: null });
    expect(choices[1]!.window).toBe(1);
    expect(all({ id: "new", activities: ["a", "b"], times: [0, DAY] }).nextStages).toEqual(["b", "c"]);
    expectError(() => lstmEventLogModel({ recencyWindows: [] }), "E_BAD_INPUT", "lstmEventLogModel: options.recencyWindows must hold at least one share, got length 0");
    expectError(() => lstmEventLogModel({ recencyWindows: [1, 0] }), "E_BAD_INPUT", "lstmEventLogModel: options.recencyWindows[1] must be > 0 and <= 1, got 0");
    expectError(() => lstmEventLogModel({ ensembleSize: 0 }), "E_BAD_INPUT", "lstmEventLogModel: options.ensembleSize must be an integer in [1, 64], got 0");
    expectError(() => lstmEventLogModel({ daysLoss: "huber" as never }), "E_BAD_INPUT");
  });

  it("caseStart \"auto\" turns the drift feature on when only the era tells the next activity apart", () => {
    // 20 cases in file order alternate between an early era (a→b→c, starting in weeks 0..9) and a late one (a→b→d,
    // weeks 100..109); every case starts on the same weekday and hour and has one day between events, so every input
    // but caseStart is the same in both eras, and no recency window separates them. The last 4 cases validate: without
    // caseStart the best blend gets a→b right and b→? half the time (0.75); with it both.
    const week = 7 * DAY;
    const train: EventLogCase[] = Array.from({ length: 20 }, (_, n) => {
      const start = (n % 2 === 0 ? n / 2 : 100 + (n - 1) / 2) * week;
      return { id: `c${n}`, activities: ["a", "b", n % 2 === 0 ? "c" : "d"], times: [start, start + DAY, start + 2 * DAY] };
    });
    const choices: MarkovMixtureChoice[] = [];
    const options = { hiddenSize: 6, epochs: 120, patience: 120, learningRate: 0.05, timeFeatures: false, recencyWindows: [1], onMixture: (c: MarkovMixtureChoice) => choices.push(c) };
    const predict = lstmEventLogModel({ ...options, caseStart: "auto" }).fit(train, { endMarker: null });
    expect(choices[0]!.caseStart).toBe(true);
    expect(choices[0]!.validationAccuracy).toBe(1);
    const at = (weeks: number) => predict({ id: "new", activities: ["a", "b"], times: [weeks * week, weeks * week + DAY] }).nextStages[1];
    expect([at(3), at(105)]).toEqual(["c", "d"]);
    // Off, the same fit cannot tell the eras apart.
    lstmEventLogModel({ ...options, caseStart: false }).fit(train, { endMarker: null });
    expect(choices[1]!.caseStart).toBe(false);
    expect(choices[1]!.validationAccuracy).toBeLessThanOrEqual(0.75);
    expectError(() => lstmEventLogModel({ caseStart: "yes" as never }), "E_BAD_INPUT", 'lstmEventLogModel: options.caseStart must be a boolean or "auto", got "yes"');
    expectError(() => lstmEventLogModel({ caseStart: "auto", markovMixture: false }), "E_BAD_INPUT", "lstmEventLogModel: options.caseStart \"auto\" is chosen on the validation part");
  });

  it("caseStart \"auto\" predicts as the fixed setting it chose (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("abc", "abd", "aec", "abcd"), { minLength: 6, maxLength: 10 }), fc.integer({ min: 0, max: 5 }), (paths, seed) => {
        const train = casesOf(paths);
        const choices: MarkovMixtureChoice[] = [];
        const options = { hiddenSize: 3, epochs: 3, seed, recencyWindows: [1, 0.5], onMixture: (c: MarkovMixtureChoice) => choices.push(c) };
        const auto = lstmEventLogModel({ ...options, caseStart: "auto" }).fit(train, { endMarker: null });
        const fixed = lstmEventLogModel({ ...options, caseStart: choices[0]!.caseStart }).fit(train, { endMarker: null });
        expect(choices[1]).toEqual(choices[0]);
        for (const c of train) expect(auto(c)).toEqual(fixed(c));
      }),
      { seed: 19, numRuns: 8 },
    );
  });

  it("an ensemble is deterministic for a seed, and every choice stays on its grid (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("abc", "abd", "aec", "abcd"), { minLength: 6, maxLength: 10 }), fc.integer({ min: 0, max: 5 }), (paths, seed) => {
        const train = casesOf(paths);
        const choices: MarkovMixtureChoice[] = [];
        const model = lstmEventLogModel({ hiddenSize: 3, epochs: 2, ensembleSize: 2, seed, recencyWindows: [1, 0.5], onMixture: (c) => choices.push(c) });
        const a = model.fit(train, { endMarker: null })(train[0]!);
        const b = model.fit(train, { endMarker: null })(train[0]!);
        expect(a).toEqual(b);
        expect(choices[0]).toEqual(choices[1]);
        const c = choices[0]!;
        expect([1, 0.5]).toContain(c.window);
        for (const w of [c.markovWeight, c.medianGapWeight]) expect(Math.round(w * 10)).toBeCloseTo(w * 10, 12);
        expect(c.validationAccuracy).toBeGreaterThanOrEqual(c.lstmValidationAccuracy);
        expect(c.validationMaeDays).toBeLessThanOrEqual(Math.min(c.lstmValidationMaeDays, c.medianGapValidationMaeDays));
        for (const d of Array.from(a.daysToNext!)) expect(d).toBeGreaterThanOrEqual(0);
      }),
      { seed: 19, numRuns: 8 },
    );
  });
});

const bpi13File = path.resolve(import.meta.dirname, "../../../shared/data/process-event-log-bpi13-incidents/bpi_13_incidents.csv");
const hasBpi13 = existsSync(bpi13File);

describe.skipIf(!hasHelpdesk)("the public scorer on Helpdesk (skipped without ../shared/data/process-event-logs-tax2017)", () => {
  it("gives the Markov figures of the test-side protocol (a) on the same split", () => {
    const score = scoreEventLogProtocol(readHelpdesk(), markovEventLogModel(1));
    expect(score.markov[0]!.accuracy).toBeCloseTo(0.7416, 3);
    expect(score.bestMarkov.accuracy).toBeCloseTo(0.7523, 3);
    expect(score.accuracy).toBe(score.markov[0]!.accuracy);
  });
});

describe.skipIf(!hasBpi13)("BPI Challenge 2013 incidents (skipped without ../shared/data/process-event-log-bpi13-incidents)", () => {
  it("reads with the general reader: 7,554 cases, 13 activities", () => {
    const cases = parseEventLogCsv(readFileSync(bpi13File, "utf8"));
    expect(cases.length).toBe(7554);
    expect(new Set(cases.flatMap((c) => c.activities)).size).toBe(13);
  });
});
