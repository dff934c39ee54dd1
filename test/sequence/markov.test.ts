import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  fitNextStageMarkov,
  fitStageMarkovChain,
  fitStageWinRates,
  nextStageMarkovFromJSON,
  nextStageMarkovToJSON,
  predictNextStageMarkov,
  predictStageMarkovChain,
  stageDefaultWinProbability,
  stageMarkovChainFromJSON,
  stageMarkovChainToJSON,
  type StageHistory,
} from "../../src/sequence/index.ts";
import { expectError } from "../helpers.ts";

function repeat(history: StageHistory, times: number): StageHistory[] {
  return Array.from({ length: times }, () => history);
}

describe("fitStageMarkovChain", () => {
  // A chain with three transient stages (a, b, c), a backward move b → a, and dwell times; the hand computation of
  // its fundamental-matrix results is in the second test.
  const histories: StageHistory[] = [
    ...repeat({ stages: ["a", "lost"], days: [0, 2] }, 4),
    ...repeat({ stages: ["a", "b", "won"], days: [0, 2, 6] }, 1),
    ...repeat({ stages: ["a", "b", "c", "won"], days: [0, 2, 6, 16] }, 2),
    ...repeat({ stages: ["a", "b", "a", "b", "c", "won"], days: [0, 2, 6, 8, 12, 22] }, 1),
  ];
  const chain = fitStageMarkovChain(histories);

  it("counts transitions and builds row-stochastic probabilities", () => {
    const S = chain.stages.length;
    expect(chain.stages).toEqual(["a", "lost", "b", "won", "c"]);
    const count = (from: string, to: string): number => chain.transitionCounts[chain.stages.indexOf(from) * S + chain.stages.indexOf(to)]!;
    expect([count("a", "b"), count("a", "lost"), count("b", "a"), count("b", "c"), count("b", "won"), count("c", "won")]).toEqual([5, 4, 1, 3, 1, 3]);
    for (let i = 0; i < S; i++) {
      let sum = 0;
      for (let j = 0; j < S; j++) sum += chain.transitionMatrix[i * S + j]!;
      expect(sum).toBeCloseTo(1, 14);
    }
  });

  it("gives the absorption probabilities, expected steps and semi-Markov days of the fundamental matrix", () => {
    // With these counts: a → b 5/9, a → lost 4/9; b → a 1/5, b → c 3/5, b → won 1/5; c → won 1.
    // w_b = 1/5 w_a + 3/5 + 1/5, w_a = 5/9 w_b ⇒ w_b (1 − 1/9) = 4/5 ⇒ w_b = 9/10, w_a = 1/2.
    // s_b = 1 + 1/5 s_a + 3/5, s_a = 1 + 5/9 s_b ⇒ s_b (8/9) = 1.8 ⇒ s_b = 81/40, s_a = 1 + 9/8 = 17/8.
    // Mean dwell: a 2 (9 exits, all 2 days), b 4, c 10. t_b = 4 + 1/5 t_a + 3/5·10, t_a = 2 + 5/9 t_b
    //   ⇒ t_b (8/9) = 10.4 ⇒ t_b = 11.7, t_a = 2 + 6.5 = 8.5.
    const at = (stage: string): number => chain.stages.indexOf(stage);
    expect(chain.winProbability[at("a")]).toBeCloseTo(1 / 2, 14);
    expect(chain.winProbability[at("b")]).toBeCloseTo(9 / 10, 14);
    expect(chain.winProbability[at("c")]).toBeCloseTo(1, 14);
    expect([chain.winProbability[at("won")], chain.winProbability[at("lost")]]).toEqual([1, 0]);
    expect(chain.expectedSteps[at("a")]).toBeCloseTo(17 / 8, 14);
    expect(chain.expectedSteps[at("b")]).toBeCloseTo(81 / 40, 14);
    expect(chain.expectedSteps[at("c")]).toBeCloseTo(1, 14);
    expect(chain.expectedDaysToClose[at("a")]).toBeCloseTo(8.5, 12);
    expect(chain.expectedDaysToClose[at("b")]).toBeCloseTo(11.7, 12);
    expect(chain.expectedDaysToClose[at("c")]).toBeCloseTo(10, 12);
  });

  it("predicts from the current stage only", () => {
    const p = predictStageMarkovChain(chain, ["a", "b"]);
    expect(p.nextStage).toBe("c");
    expect(p.winProbability).toBeCloseTo(0.9, 14);
    expect(predictStageMarkovChain(chain, ["c", "a", "b"])).toEqual(p);
  });

  it("marks stages that never close: win probability 0 (never NaN), infinite expectations", () => {
    const stuck = fitStageMarkovChain([{ stages: ["x", "y", "x", "y"] }, { stages: ["z", "x"] }, { stages: ["z", "won"] }]);
    const at = (stage: string): number => stuck.stages.indexOf(stage);
    expect(stuck.winProbability[at("x")]).toBe(0);
    expect(stuck.expectedSteps[at("x")]).toBe(Number.POSITIVE_INFINITY);
    expect(stuck.winProbability[at("z")]).toBeCloseTo(0.5, 14); // half of z's mass drains into the x–y loop
    expect(stuck.expectedSteps[at("z")]).toBe(Number.POSITIVE_INFINITY);
    const smoothed = fitStageMarkovChain([{ stages: ["x", "y", "x", "y"] }, { stages: ["z", "won"] }], { smoothing: 1 });
    expect(Number.isFinite(smoothed.expectedSteps[smoothed.stages.indexOf("x")]!)).toBe(true);
  });

  it("property: probabilities in [0, 1], expected steps >= 1 for open stages, JSON round trip", () => {
    const history = fc.array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 6 }).chain((open) =>
      fc.constantFrom("won", "lost").map((end) => ({ stages: [...open, end] })),
    );
    fc.assert(
      fc.property(fc.array(history, { minLength: 1, maxLength: 12 }), (histories) => {
        const model = fitStageMarkovChain(histories);
        for (let i = 0; i < model.stages.length; i++) {
          const w = model.winProbability[i]!;
          expect(w >= 0 && w <= 1).toBe(true);
          if (model.stages[i] !== "won" && model.stages[i] !== "lost") expect(model.expectedSteps[i]!).toBeGreaterThanOrEqual(1 - 1e-9);
        }
        const back = stageMarkovChainFromJSON(JSON.parse(JSON.stringify(stageMarkovChainToJSON(model))));
        expect(Array.from(back.winProbability)).toEqual(Array.from(model.winProbability));
      }),
      { seed: 11, numRuns: 60 },
    );
  });

  it("rejects bad input and malformed JSON", () => {
    expectError(() => fitStageMarkovChain([]), "E_EMPTY", "fitStageMarkovChain: histories must hold at least one history, got length 0");
    expectError(() => fitStageMarkovChain([{ stages: ["a", 3 as unknown as string] }]), "E_BAD_INPUT", "fitStageMarkovChain: histories[0].stages[1] must be a string (a stage id), got 3");
    expectError(() => fitStageMarkovChain([{ stages: ["a", "won"], days: [5, 1] }]), "E_BAD_INPUT", "fitStageMarkovChain: histories[0].days[1] must be >= histories[0].days[0] = 5, got 1");
    expectError(() => fitStageMarkovChain([{ stages: ["a"] }], { won: "x", lost: "x" }), "E_BAD_INPUT", "options.lost must differ from options.won");
    expectError(() => predictStageMarkovChain(chain, ["nope"]), "E_UNKNOWN_ID", 'predictStageMarkovChain: stages[0] must be a stage the model knows, got "nope"');
    const json = stageMarkovChainToJSON(chain);
    expectError(() => stageMarkovChainFromJSON({ ...json, transitionCounts: [1] }), "E_BAD_MODEL", "json.transitionCounts must have length 25 (stages × stages), got length 1");
    expectError(() => stageMarkovChainFromJSON({ ...json, dwellCount: [1, 1, 1, -1, 1] }), "E_BAD_MODEL", "json.dwellCount[3] must be >= 0, got -1");
  });
});

describe("fitNextStageMarkov (orders 1–3 with back-off)", () => {
  const sequences = [
    ["a", "x", "y", "b"],
    ["c", "x", "y", "d"],
    ["c", "x", "y", "d"],
    ["a", "x", "y", "b"],
    ["a", "x", "y", "b"],
  ];

  it("a longer context sees further back; the start of a sequence is part of the context", () => {
    expect(predictNextStageMarkov(fitNextStageMarkov(sequences, { order: 1 }), ["c", "x", "y"]).nextStage).toBe("b");
    expect(predictNextStageMarkov(fitNextStageMarkov(sequences, { order: 2 }), ["c", "x", "y"]).nextStage).toBe("b");
    const third = predictNextStageMarkov(fitNextStageMarkov(sequences, { order: 3 }), ["c", "x", "y"]);
    expect([third.nextStage, third.contextLength]).toEqual(["d", 3]);
    // order 2 at the first step: context [start, "a"] vs ["a"]
    const starts = fitNextStageMarkov([["a", "b"], ["q", "a", "c"], ["q", "a", "c"]], { order: 2 });
    expect(predictNextStageMarkov(starts, ["a"]).nextStage).toBe("b");
    expect(predictNextStageMarkov(fitNextStageMarkov([["a", "b"], ["q", "a", "c"], ["q", "a", "c"]], { order: 1 }), ["a"]).nextStage).toBe("c");
  });

  it("backs off to shorter contexts when the long one is unseen or rarer than minCount", () => {
    const model = fitNextStageMarkov(sequences, { order: 3 });
    const unseen = predictNextStageMarkov(model, ["zzz", "x", "y"]);
    expect(unseen.contextLength).toBe(2);
    expect(unseen.nextStage).toBe("b");
    const strict = fitNextStageMarkov(sequences, { order: 3, minCount: 3 });
    expect(predictNextStageMarkov(strict, ["c", "x", "y"]).contextLength).toBe(2);
    // hand-computed probabilities of the order-2 context ["x", "y"]: b 3/5, d 2/5
    const p = predictNextStageMarkov(strict, ["c", "x", "y"]).nextStageProbabilities;
    expect(p[model.stages.indexOf("b")]).toBeCloseTo(0.6, 15);
    expect(p[model.stages.indexOf("d")]).toBeCloseTo(0.4, 15);
  });

  it("property: probabilities sum to 1 and the JSON round trip predicts identically", () => {
    const seq = fc.array(fc.constantFrom("a", "b", "c", "__proto__"), { minLength: 1, maxLength: 7 });
    fc.assert(
      fc.property(fc.array(seq, { minLength: 1, maxLength: 10 }), fc.integer({ min: 1, max: 3 }), seq, (train, order, prefix) => {
        const model = fitNextStageMarkov(train, { order });
        const back = nextStageMarkovFromJSON(JSON.parse(JSON.stringify(nextStageMarkovToJSON(model))));
        if (model.stages.length === 0) return;
        const p = predictNextStageMarkov(model, prefix);
        const sum = p.nextStageProbabilities.reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(1, 12);
        expect(predictNextStageMarkov(back, prefix)).toEqual(p);
      }),
      { seed: 12, numRuns: 80 },
    );
  });

  it("rejects bad input and malformed JSON", () => {
    expectError(() => fitNextStageMarkov([]), "E_EMPTY", "fitNextStageMarkov: sequences must hold at least one sequence, got length 0");
    expectError(() => fitNextStageMarkov([["a"]], { order: 4 }), "E_BAD_INPUT", "fitNextStageMarkov: options.order must be an integer in [1, 3], got 4");
    expectError(() => predictNextStageMarkov(fitNextStageMarkov([["a", "b"]]), []), "E_EMPTY", "predictNextStageMarkov: prefix must hold at least one stage, got length 0");
    const json = nextStageMarkovToJSON(fitNextStageMarkov([["a", "b"]]));
    expectError(() => nextStageMarkovFromJSON({ ...json, contexts: [{ context: ["q"], counts: [0, 1] }] }), "E_BAD_MODEL", 'json.contexts[0].context[0] must be a known stage or null, got "q"');
    expectError(() => nextStageMarkovFromJSON({ ...json, contexts: [{ context: [], counts: [1] }] }), "E_BAD_MODEL", "json.contexts[0].counts must have length 2 (one per stage), got length 1");
  });
});

describe("stage-default win probabilities", () => {
  it("fitStageWinRates counts each closed deal once per stage it reached, shrunk to the overall rate", () => {
    const histories = [
      { stages: ["a", "b", "a", "won"] },
      { stages: ["a", "lost"] },
      { stages: ["a", "b", "lost"] },
      { stages: ["a", "b"] }, // open: ignored
    ];
    const raw = fitStageWinRates(histories, { prior: 0 });
    expect([raw.get("a"), raw.get("b"), raw.get("won"), raw.get("lost")]).toEqual([1 / 3, 1 / 2, 1, 0]);
    const shrunk = fitStageWinRates(histories, { prior: 2 });
    expect(shrunk.get("b")).toBeCloseTo((1 + 2 / 3) / 4, 15);
    expectError(() => fitStageWinRates([{ stages: ["a"] }]), "E_EMPTY", 'fitStageWinRates: histories must hold at least one closed history (ending in "won" or "lost"), got none');
  });

  it("stageDefaultWinProbability reads the table, with an optional fallback", () => {
    const probabilities = new Map([["constructor", 0.4]]);
    expect(stageDefaultWinProbability("constructor", { probabilities })).toBe(0.4);
    expectError(() => stageDefaultWinProbability("x", { probabilities: new Map([["x", 2]]) }), "E_BAD_INPUT", 'stageDefaultWinProbability: the probability of "x" must be in [0, 1], got 2');
  });
});
