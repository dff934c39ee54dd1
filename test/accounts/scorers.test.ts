// fitAccountScorers: training dates end before the scoring date, no outcome after it is seen, clear errors.
import { describe, expect, it } from "vitest";
import { fitAccountScorers, labelSpendOutcomes } from "../../src/accounts/index.ts";
import { expectError } from "../helpers.ts";

const DAY = 86_400;
// 60 accounts buying every 10 days for a year: every third doubles its spend from day 200 on, every fifth (from 1)
// stops buying after day 220, the rest vary a little.
const events: { account: string; amount: number; timestamp: number }[] = [];
for (let a = 0; a < 60; a++) {
  for (let t = a % 10; t < 360; t += 10) {
    if (a % 5 === 1 && t > 220) continue;
    events.push({ account: `a${a}`, amount: a % 3 === 0 && t >= 200 ? 250 : 100 + ((a * 37 + t * 13) % 41), timestamp: t * DAY });
  }
}

describe("fitAccountScorers", () => {
  it("trains on dates whose outcome windows end before the scoring date and scores every account at it", () => {
    const scorers = fitAccountScorers(events, { date: 300 * DAY, windowDays: 60, trainingDates: 3, stepDays: 20 });
    expect(scorers.trainingDates.map((t) => t / DAY)).toEqual([199, 219, 239]);
    for (const t of scorers.trainingDates) expect(t + 60 * DAY).toBeLessThan(300 * DAY);
    // the labels are labelSpendOutcomes' at those dates
    const labels = labelSpendOutcomes(events, { dates: [...scorers.trainingDates], windowDays: 60 });
    expect(scorers.training.rows.length).toBe(labels.length);
    expect([...scorers.training.outcomes].sort()).toEqual(labels.map((l) => l.outcome).sort());
    expect(scorers.today.rows.length).toBe(60);
    expect(scorers.upsellProbability.length).toBe(60);
    // the doublers' growth at day 200 is what the first training date's window sees: they score higher
    const mean = (pick: (a: number) => boolean) => {
      const values = scorers.today.rows.flatMap((row, r) => (pick(Number(String(row.account).slice(1))) ? [scorers.upsellProbability[r]!] : []));
      return values.reduce((s, v) => s + v, 0) / values.length;
    };
    expect(mean((a) => a % 3 === 0)).toBeGreaterThan(mean((a) => a % 3 !== 0));
  });

  it("says what to change when there is too little history", () => {
    expectError(() => fitAccountScorers(events, { date: 30 * DAY, windowDays: 90 }), "E_BAD_INPUT", "fitAccountScorers: events must hold spend before the training dates and in the 90 days after them; 0 account-dates were labelled");
    expectError(() => fitAccountScorers(events, { date: Number.NaN }), "E_BAD_INPUT", "fitAccountScorers: options.date must be a finite number, got NaN");
    expectError(() => fitAccountScorers(events, { date: 300 * DAY, trainingDates: 0 }), "E_BAD_INPUT", "options.trainingDates must be an integer in [1, 100]");
  });
});
