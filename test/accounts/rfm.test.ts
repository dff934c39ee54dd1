// The RFM baseline and per-date rank scaling (issue 14, §3): hand-computed quintiles and ranks, and their invariants.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountFeatures, rankFeaturesWithinDates, rfmScores } from "../../src/accounts/index.ts";
import { expectError } from "../helpers.ts";

const DAY = 86_400;

describe("rfmScores", () => {
  it("scores recency, frequency and monetary quintiles by hand", () => {
    // Five accounts, date = day 100, window 365 days.
    const events = [
      { account: "a", amount: 100, timestamp: 99 * DAY }, // last 1 day ago, 1 day, 100
      { account: "b", amount: 300, timestamp: 50 * DAY }, // 50 days, 2 days, 500
      { account: "b", amount: 200, timestamp: 60 * DAY },
      { account: "c", amount: 10, timestamp: 10 * DAY }, // 90 days, 1 day, 10
      { account: "d", amount: 1000, timestamp: 95 * DAY }, // 5 days, 3 days, 3000
      { account: "d", amount: 1000, timestamp: 96 * DAY },
      { account: "d", amount: 1000, timestamp: 97 * DAY },
      { account: "e", amount: 50, timestamp: 100 * DAY }, // on the date: not counted
    ];
    const scores = rfmScores(events, { date: 100 * DAY });
    // recency order (oldest first): c, b, d, a → quintiles 1, 2, 3, 4 (4 accounts: 1 + floor(5 · rank / 4))
    // frequency: a 1, c 1 (tie, rank 0) → 1; b 2 (rank 2) → 3; d 3 (rank 3) → 4
    // monetary: c 10, a 100, b 500, d 3000 → 1, 2, 3, 4
    expect(scores.map((s) => [s.account, s.recencyDays, s.frequency, s.monetary, s.recencyQuintile, s.frequencyQuintile, s.monetaryQuintile, s.score])).toEqual([
      ["a", 1, 1, 100, 4, 1, 2, 7],
      ["b", 40, 2, 500, 2, 3, 3, 8],
      ["c", 90, 1, 10, 1, 1, 1, 3],
      ["d", 3, 3, 3000, 3, 4, 4, 11],
    ]);
    expect(rfmScores(events, { date: 100 * DAY, windowDays: 30 }).map((s) => s.account)).toEqual(["a", "d"]);
  });

  it("property: scores stay in 3..15, quintiles in 1..5, and a larger spend never gets a lower monetary quintile", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ account: fc.integer({ min: 0, max: 20 }), amount: fc.integer({ min: 0, max: 1000 }), day: fc.integer({ min: 0, max: 99 }) }), { minLength: 1, maxLength: 80 }), (rows) => {
        const scores = rfmScores(rows.map((r) => ({ account: r.account, amount: r.amount, timestamp: r.day * DAY })), { date: 100 * DAY });
        for (const s of scores) {
          expect(s.score).toBe(s.recencyQuintile + s.frequencyQuintile + s.monetaryQuintile);
          for (const q of [s.recencyQuintile, s.frequencyQuintile, s.monetaryQuintile]) expect(q >= 1 && q <= 5).toBe(true);
        }
        for (const x of scores) for (const y of scores) if (x.monetary > y.monetary) expect(x.monetaryQuintile).toBeGreaterThanOrEqual(y.monetaryQuintile);
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it("rejects bad options", () => {
    expectError(() => rfmScores([], { date: Number.NaN }), "E_BAD_INPUT", "rfmScores: options.date must be a finite number, got NaN");
    expectError(() => rfmScores([], { date: 1, windowDays: 0 }), "E_BAD_INPUT", "rfmScores: options.windowDays");
  });
});

describe("rankFeaturesWithinDates", () => {
  it("ranks each column within each date, ties at their mean rank, raw values kept", () => {
    const events = [
      { account: "a", amount: 10, timestamp: DAY },
      { account: "b", amount: 40, timestamp: DAY },
      { account: "c", amount: 10, timestamp: DAY },
      { account: "a", amount: 500, timestamp: 40 * DAY },
    ];
    const table = accountFeatures(events, { dates: [2 * DAY, 50 * DAY], windows: [30] });
    const ranked = rankFeaturesWithinDates(table);
    const d = table.info.length;
    const spend = table.info.findIndex((f) => f.name === "spend_30d");
    // date 2: a 10, b 40, c 10 → ranks 0.25, 1, 0.25; date 50: a 500, b 0, c 0 → 1, 0.25, 0.25
    expect([0, 1, 2, 3, 4, 5].map((r) => ranked.matrix.data[r * d + spend])).toEqual([0.25, 1, 0.25, 1, 0.25, 0.25]);
    expect(ranked.raw).toBe(table.raw);
    expect(Array.from(table.matrix.data)).not.toEqual(Array.from(ranked.matrix.data)); // the input is not mutated
    expectError(() => rankFeaturesWithinDates({} as never), "E_BAD_INPUT", "rankFeaturesWithinDates: table must be an account feature table");
  });
});
