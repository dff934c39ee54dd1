import { describe, expect, it } from "vitest";
import {
  encodeOpportunityHistories,
  fitStepEncoder,
  generateStageHistories,
  stageHistoryOf,
  stepEncoderFromJSON,
  stepEncoderToJSON,
  SYNTHETIC_STAGE_ORDER,
  type OpportunityHistory,
} from "../../src/sequence/index.ts";
import { expectError } from "../helpers.ts";
import { runSynthetic } from "./protocols.ts";

const day = 86_400_000;
const history: OpportunityHistory = {
  id: "acme-renewal",
  events: [
    { stage: "lead", time: 0, amount: 1000, closeDate: 30 * day, activities: 2 },
    { stage: "lead", time: 3 * day, closeDate: 40 * day, activities: 1 },
    { stage: "proposal", time: 5 * day, amount: 1500, activities: 0 },
    { stage: "lead", time: 9 * day, closeDate: 35 * day, activities: 4 },
    { stage: "lost", time: 10 * day },
  ],
};

describe("step encoding of opportunity histories", () => {
  it("computes the eight raw features by hand", () => {
    const encoder = fitStepEncoder([history], { stageOrder: ["lead", "proposal"] });
    // Raw rows (daysInStage, age, sincePrevious, slips, backward, amountChange, logAmount, activities), all log1p
    // where stated: step 0 (0, 0, 0, 0, 0, 0, l(1000), l(2)); step 1 (l3, l3, l3, 1, 0, 0, l(1000), l(3));
    // step 2 (0, l5, l2, 1, 0, l(1500) − l(1000), l(1500), l(3)); step 3 (0, l9, l4, 1, 1, same, l(1500), l(7)).
    const l = Math.log1p;
    const rows = [
      [0, 0, 0, 0, 0, 0, l(1000), l(2)],
      [l(3), l(3), l(3), 1, 0, 0, l(1000), l(3)],
      [0, l(5), l(2), 1, 0, l(1500) - l(1000), l(1500), l(3)],
      [0, l(9), l(4), 1, 1, l(1500) - l(1000), l(1500), l(7)],
    ];
    for (let k = 0; k < 8; k++) {
      const column = rows.map((r) => r[k]!);
      const mean = column.reduce((a, b) => a + b, 0) / 4;
      const sd = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
      expect(encoder.means[k]).toBeCloseTo(mean, 12);
      expect(encoder.scales[k]).toBeCloseTo(sd > 1e-12 ? sd : 1, 12);
    }
    const [example] = encodeOpportunityHistories(encoder, [history]);
    expect(example!.stages).toEqual(["lead", "lead", "proposal", "lead"]);
    expect(example!.nextStages).toEqual(["lead", "proposal", "lead", "lost"]);
    expect(example!.daysToNext).toEqual([3, 2, 4, 1]);
    expect(example!.won).toBe(false);
    expect(example!.features![3]![4]).toBeCloseTo((1 - encoder.means[4]!) / encoder.scales[4]!, 12);
  });

  it("open deals have no outcome and no target after their last event; the input is not changed", () => {
    const open: OpportunityHistory = { id: "o", events: history.events.slice(0, 2) };
    const before = JSON.stringify(open);
    const encoder = fitStepEncoder([history], { stageOrder: ["lead", "proposal"] });
    const [example] = encodeOpportunityHistories(encoder, [open]);
    expect([example!.won, example!.nextStages, example!.daysToNext]).toEqual([null, ["lead", null], [3, null]]);
    expect(JSON.stringify(open)).toBe(before);
    expect(stageHistoryOf(history)).toEqual({ stages: ["lead", "lead", "proposal", "lead", "lost"], days: [0, 3, 5, 9, 10] });
  });

  it("round-trips through JSON and rejects malformed input", () => {
    const encoder = fitStepEncoder([history], { stageOrder: ["lead", "proposal"] });
    expect(stepEncoderFromJSON(JSON.parse(JSON.stringify(stepEncoderToJSON(encoder))))).toEqual(encoder);
    expectError(() => fitStepEncoder([history], { stageOrder: ["lead"] }), "E_UNKNOWN_ID", 'fitStepEncoder: histories[0].events[2].stage must be in options.stageOrder or the won/lost stage, got "proposal"');
    expectError(
      () => fitStepEncoder([{ id: "x", events: [{ stage: "lead", time: 5 }, { stage: "lead", time: 1 }] }], { stageOrder: ["lead"] }),
      "E_BAD_INPUT",
      "fitStepEncoder: histories[0].events[1].time must be >= the previous event's time 5, got 1",
    );
    expectError(() => fitStepEncoder([{ id: "x", events: [{ stage: "lead", time: 0, amount: -1 }] }], { stageOrder: ["lead"] }), "E_BAD_INPUT", "histories[0].events[0].amount must be a finite number >= 0, got -1");
    expectError(() => fitStepEncoder([{ id: "x", events: [{ stage: "won", time: 0 }, { stage: "lead", time: 1 }] }], { stageOrder: ["lead"] }), "E_BAD_INPUT", "events[0].stage must not be a closing stage before the last event");
    expectError(() => stepEncoderFromJSON({ ...stepEncoderToJSON(encoder), scales: [1, 1, 1, 1, 1, 1, 1, 0] }), "E_BAD_MODEL", "stepEncoderFromJSON: json.scales[7] must be > 0, got 0");
  });
});

describe("generateStageHistories", () => {
  it("is deterministic for a seed, ends every deal won or lost and plants the review effect", () => {
    const deals = generateStageHistories({ count: 4000, seed: 3 });
    expect(generateStageHistories({ count: 4000, seed: 3 })).toEqual(deals);
    expect(generateStageHistories({ count: 50, seed: 4 })).not.toEqual(deals.slice(0, 50));
    let reviewedClosed = 0;
    let reviewedWon = 0;
    let otherClosed = 0;
    let otherWon = 0;
    for (const deal of deals) {
      const stages = deal.events.map((e) => e.stage);
      const last = stages[stages.length - 1]!;
      expect(["won", "lost"]).toContain(last);
      expect(stages.slice(0, -1).every((s) => SYNTHETIC_STAGE_ORDER.includes(s))).toBe(true);
      if (stages[stages.length - 2] !== "negotiation") continue;
      if (stages.includes("technical-review")) {
        reviewedClosed++;
        reviewedWon += last === "won" ? 1 : 0;
      } else {
        otherClosed++;
        otherWon += last === "won" ? 1 : 0;
      }
    }
    // Planted: 0.8 vs 0.2 (binomial standard error about 0.01 at these counts; lost-at-40-events deals are rare).
    expect(reviewedWon / reviewedClosed).toBeGreaterThan(0.75);
    expect(otherWon / otherClosed).toBeLessThan(0.25);
  });
});

describe("the LSTM against the Markov chain on synthetic histories (planted dependence)", () => {
  it("has a clearly higher win AUC and next-stage accuracy", () => {
    const result = runSynthetic(1500, 800, 21, { hiddenSize: 16, epochs: 40, patience: 6, seed: 0 });
    expect(result.lstmWinAuc).toBeGreaterThan(result.markovWinAuc + 0.05);
    expect(result.lstmWinAuc).toBeGreaterThan(result.stageDefaultWinAuc + 0.05);
    expect(result.lstmNextStageAccuracy).toBeGreaterThan(result.markovNextStageAccuracy + 0.01);
    expect(result.lstmNegotiationAccuracy).toBeGreaterThan(result.markovNegotiationAccuracy + 0.1);
    for (const auc of [result.lstmWinAuc, result.markovWinAuc, result.stageDefaultWinAuc]) {
      expect(auc).toBeGreaterThanOrEqual(0);
      expect(auc).toBeLessThanOrEqual(1);
    }
  });
});
