import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  brierScore,
  cumulativeGains,
  expectedCalibrationError,
  liftAtDecile,
  logLoss,
  rocAuc,
} from "../../src/metrics/index.ts";
import { expectError } from "../helpers.ts";

// Reference AUC: every (positive, negative) pair, 1 when the positive scores higher, 1/2 on a tie.
function pairCount(scores: number[], labels: number[]): number {
  let won = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      won += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return won / pairs;
}

// Scores from a small pool so ties are common, with both classes present.
const labelled = fc
  .array(fc.tuple(fc.integer({ min: -5, max: 5 }).map((v) => v / 2), fc.integer({ min: 0, max: 1 })), { minLength: 2, maxLength: 60 })
  .filter((rows) => rows.some((r) => r[1] === 1) && rows.some((r) => r[1] === 0));

describe("rocAuc", () => {
  it("reproduces sklearn's documentation example (0.75) and ties by mid-rank", () => {
    // sklearn roc_auc_score / roc_curve docs: y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8] → 0.75
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc(new Float64Array([0.1, 0.4, 0.35, 0.8]), [false, false, true, true])).toBe(0.75);
    // all scores tied: every pair 1/2
    expect(rocAuc([1, 1, 1], [0, 1, 1])).toBe(0.5);
    // hand count: positives 3 and 1, negatives 2 and 1 → (3>2, 3>1, 1<2, 1=1 → 0.5) = 2.5 / 4
    expect(rocAuc([3, 1, 2, 1], [1, 1, 0, 0])).toBe(0.625);
    expect(rocAuc([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY], [0, 1])).toBe(1);
  });
  it("rejects NaN scores, labels other than 0/1, one class and mismatched lengths", () => {
    expectError(() => rocAuc([0.1, Number.NaN], [0, 1]), "E_NON_FINITE", "rocAuc: scores[1] must not be NaN, got NaN");
    expectError(() => rocAuc([0.1, 0.2], [0, 2]), "E_BAD_INPUT", "rocAuc: labels[1] must be 0 or 1, got 2");
    expectError(() => rocAuc([0.1, 0.2], [1, 1]), "E_BAD_INPUT", "rocAuc: labels must contain both classes, got no negative among 2");
    expectError(() => rocAuc([0.1], [0, 1]), "E_SHAPE", "rocAuc: labels must have the length of scores (1), got length 2");
    expectError(() => rocAuc([], []), "E_EMPTY", "rocAuc: scores must not be empty");
  });
  it("equals the brute-force pair count, ties counting 1/2", () => {
    fc.assert(
      fc.property(labelled, (rows) => {
        const scores = rows.map((r) => r[0]);
        const labels = rows.map((r) => r[1]);
        expect(rocAuc(scores, labels)).toBeCloseTo(pairCount(scores, labels), 12);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
  it("AUC(s) + AUC(−s) = 1 (exactly, ties or not) and lies in [0, 1]", () => {
    fc.assert(
      fc.property(labelled, (rows) => {
        const scores = rows.map((r) => r[0]);
        const labels = rows.map((r) => r[1]);
        const auc = rocAuc(scores, labels);
        expect(auc).toBeGreaterThanOrEqual(0);
        expect(auc).toBeLessThanOrEqual(1);
        expect(auc + rocAuc(scores.map((s) => -s), labels)).toBeCloseTo(1, 12);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
  it("AUC(s) + AUC(−s) = 1 for distinct scores", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }), { minLength: 2, maxLength: 50 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        (scores, bits) => {
          const labels = scores.map((_, i) => (i === 0 ? 1 : i === 1 ? 0 : (bits >> i % 30) & 1));
          expect(rocAuc(scores, labels) + rocAuc(scores.map((s) => -s), labels)).toBeCloseTo(1, 12);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("logLoss and brierScore", () => {
  it("reproduce sklearn's documentation examples", () => {
    // sklearn log_loss docs: y = ["spam", "ham", "ham", "spam"], P(spam) = .9, .1, .2, .65 → 0.21616...
    // by hand: −(ln .9 + ln .9 + ln .8 + ln .65) / 4 = (0.105361 + 0.105361 + 0.223144 + 0.430783) / 4 = 0.216162
    expect(logLoss([0.9, 0.1, 0.2, 0.65], [1, 0, 0, 1])).toBeCloseTo(0.216162, 6);
    // sklearn brier_score_loss docs: y = [0, 1, 1, 0], p = [0.1, 0.9, 0.8, 0.3] → 0.0375
    // by hand: (0.01 + 0.01 + 0.04 + 0.09) / 4 = 0.0375
    expect(brierScore([0.1, 0.9, 0.8, 0.3], [0, 1, 1, 0])).toBeCloseTo(0.0375, 15);
  });
  it("clips probabilities to [eps, 1 − eps]", () => {
    expect(logLoss([0], [1])).toBeCloseTo(-Math.log(1e-15), 9);
    expect(logLoss([1], [1])).toBeCloseTo(-Math.log(1 - 1e-15), 20);
    expect(logLoss([0], [1], { eps: 0.01 })).toBeCloseTo(-Math.log(0.01), 12);
    expect(brierScore([1, 0], [1, 0])).toBe(0);
  });
  it("reject probabilities outside [0, 1], NaN and a bad eps", () => {
    expectError(() => logLoss([1.2], [1]), "E_BAD_INPUT", "logLoss: probabilities[0] must be in [0, 1], got 1.2");
    expectError(() => brierScore([Number.NaN], [1]), "E_NON_FINITE", "brierScore: probabilities[0] must not be NaN");
    expectError(() => logLoss([0.5], [1], { eps: 0 }), "E_BAD_INPUT", "logLoss: options.eps must be in (0, 0.5), got 0");
  });
  it("log loss >= 0 and Brier score in [0, 1]", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 50 }),
        (rows) => {
          const p = rows.map((r) => r[0]);
          const y = rows.map((r) => r[1]);
          expect(logLoss(p, y)).toBeGreaterThanOrEqual(0);
          const brier = brierScore(p, y);
          expect(brier).toBeGreaterThanOrEqual(0);
          expect(brier).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("expectedCalibrationError", () => {
  it("weights each bin's |positive rate − mean probability| by its share of examples (hand-computed)", () => {
    // 10 bins. p = 0.05, 0.05 (bin 0, rate 0.5, conf 0.05 → 0.45); 0.95, 0.95, 1 (bin 9, rate 1, conf 0.9667 → 0.0333)
    // ECE = 2/5 · 0.45 + 3/5 · (1 − 2.9/3) = 0.18 + 0.02 = 0.2
    expect(expectedCalibrationError([0.05, 0.05, 0.95, 0.95, 1], [1, 0, 1, 1, 1])).toBeCloseTo(0.2, 12);
    // perfectly calibrated within bins
    expect(expectedCalibrationError([0.5, 0.5], [0, 1], { bins: 4 })).toBe(0);
    expectError(() => expectedCalibrationError([0.5], [1], { bins: 0 }), "E_BAD_INPUT", "options.bins must be an integer >= 1");
  });
  it("lies in [0, 1] and one bin gives |mean label − mean probability|", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 1, max: 20 }),
        (rows, bins) => {
          const p = rows.map((r) => r[0]);
          const y = rows.map((r) => r[1]);
          const ece = expectedCalibrationError(p, y, { bins });
          expect(ece).toBeGreaterThanOrEqual(0);
          expect(ece).toBeLessThanOrEqual(1);
          const meanP = p.reduce((s, v) => s + v, 0) / p.length;
          const meanY = y.reduce((s, v) => s + v, 0) / y.length;
          expect(expectedCalibrationError(p, y, { bins: 1 })).toBeCloseTo(Math.abs(meanY - meanP), 12);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("cumulativeGains and liftAtDecile", () => {
  it("builds the decile table by hand", () => {
    // 20 examples scored 20..1; positives at scores 20, 19, 15, 8 (4 of 20, rate 0.2)
    const scores = Array.from({ length: 20 }, (_, i) => 20 - i);
    const labels = scores.map((s) => (s === 20 || s === 19 || s === 15 || s === 8 ? 1 : 0));
    const table = cumulativeGains(scores, labels);
    expect(table.length).toBe(10);
    // decile 1 (top 2): 2 positives → gain 0.5, lift (2/2)/0.2 = 5
    expect(table[0]).toMatchObject({ group: 1, count: 2, fraction: 0.1, positives: 2, gain: 0.5, lift: 5, groupLift: 5 });
    // decile 3 (top 6): 3 positives → gain 0.75, lift (3/6)/0.2 = 2.5; decile 3 alone (scores 16, 15) holds 1 → (1/2)/0.2 = 2.5
    expect(table[2]).toMatchObject({ count: 6, positives: 3, gain: 0.75, lift: 2.5, groupLift: 2.5 });
    expect(table[9]).toMatchObject({ count: 20, positives: 4, gain: 1, lift: 1 });
    expect(liftAtDecile(scores, labels, { decile: 1 })).toBe(5);
    expect(liftAtDecile(scores, labels, { decile: 3 })).toBe(2.5);
    expect(liftAtDecile(scores, labels, { decile: 2, cumulative: false })).toBe(0);
  });
  it("shares the positives of a tie that straddles a boundary", () => {
    // all four scores tied, 2 positives: each half expects 1
    const table = cumulativeGains([1, 1, 1, 1], [1, 0, 1, 0], { groups: 2 });
    expect(table.map((row) => row.positives)).toEqual([1, 2]);
    expect(table.map((row) => row.lift)).toEqual([1, 1]);
  });
  it("rejects no positives and a decile outside 1..10", () => {
    expectError(() => cumulativeGains([1, 2], [0, 0]), "E_BAD_INPUT", "cumulativeGains: labels must contain a positive, got none among 2");
    expectError(() => liftAtDecile([1, 2], [0, 1], { decile: 11 }), "E_BAD_INPUT", "liftAtDecile: options.decile must be an integer in [1, 10], got 11");
  });
  it("gains rise to 1, lift ends at 1, and the table does not depend on input order", () => {
    fc.assert(
      fc.property(labelled, fc.integer({ min: 1, max: 12 }), fc.integer(), (rows, groups, salt) => {
        const scores = rows.map((r) => r[0]);
        const labels = rows.map((r) => r[1]);
        const table = cumulativeGains(scores, labels, { groups });
        let previous = 0;
        for (const row of table) {
          expect(row.gain).toBeGreaterThanOrEqual(previous - 1e-12);
          expect(row.gain).toBeLessThanOrEqual(1 + 1e-12);
          previous = row.gain;
        }
        expect(table[groups - 1]!.gain).toBeCloseTo(1, 12);
        expect(table[groups - 1]!.lift).toBeCloseTo(1, 12);
        const order = rows.map((_, i) => i).sort((a, b) => ((a * 7919 + salt) % 97) - ((b * 7919 + salt) % 97));
        const permuted = cumulativeGains(order.map((i) => scores[i]!), order.map((i) => labels[i]!), { groups });
        permuted.forEach((row, g) => expect(row.positives).toBeCloseTo(table[g]!.positives, 12));
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
