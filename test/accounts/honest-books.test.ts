// labelSpendOutcomes' absolute floors (issue 14, §2): a relative change on a tiny base is not an upsell or a churn.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountModelReport, labelSpendOutcomes } from "../../src/accounts/index.ts";
import { expectError } from "../helpers.ts";

const DAY = 86_400;

describe("labelSpendOutcomes floors", () => {
  // Before the date (day 30, 30-day windows): acme 1,000, globex 900, initech 5 (a tiny base), umbrella 1,100.
  // After it: acme 1,250 (+25%, +250), globex 1,000 (+11%), initech 9 (+80% but +4), umbrella 1,120 (+1.8%).
  const events = [
    { account: "acme", amount: 1000, timestamp: 10 * DAY },
    { account: "globex", amount: 900, timestamp: 10 * DAY },
    { account: "initech", amount: 5, timestamp: 10 * DAY },
    { account: "umbrella", amount: 1100, timestamp: 10 * DAY },
    { account: "acme", amount: 1250, timestamp: 40 * DAY },
    { account: "globex", amount: 1000, timestamp: 40 * DAY },
    { account: "initech", amount: 9, timestamp: 40 * DAY },
    { account: "umbrella", amount: 1120, timestamp: 40 * DAY },
  ];

  it("auto: a tenth of the median spend before the date, for the base and for the change", () => {
    // median before = (900 + 1000) / 2 = 950, floor 95: initech (5) is not labelled at all
    const labels = labelSpendOutcomes(events, { dates: [30 * DAY], windowDays: 30 });
    expect(labels.map((l) => [l.account, l.outcome])).toEqual([
      ["acme", "upsell"],
      ["globex", "flat"],
      ["umbrella", "flat"],
    ]);
  });

  it("explicit floors; 0 gives the relative rule alone", () => {
    const none = labelSpendOutcomes(events, { dates: [30 * DAY], windowDays: 30, minimumSpendBefore: 0, minimumChange: 0 });
    expect(none.map((l) => [l.account, l.outcome])).toEqual([
      ["acme", "upsell"],
      ["globex", "flat"],
      ["initech", "upsell"],
      ["umbrella", "flat"],
    ]);
    // the base floor passes initech, the change floor (+4 < 300) keeps it flat; acme's +250 < 300 too
    const strict = labelSpendOutcomes(events, { dates: [30 * DAY], windowDays: 30, minimumSpendBefore: 1, minimumChange: 300 });
    expect(strict.map((l) => [l.account, l.outcome])).toEqual([
      ["acme", "flat"],
      ["globex", "flat"],
      ["initech", "flat"],
      ["umbrella", "flat"],
    ]);
    expectError(() => labelSpendOutcomes(events, { dates: [DAY], minimumChange: -1 }), "E_BAD_INPUT", 'labelSpendOutcomes: options.minimumChange must be "auto" or a finite number >= 0 (currency), got -1');
    expectError(() => labelSpendOutcomes(events, { dates: [DAY], minimumSpendBefore: Number.NaN }), "E_BAD_INPUT", "options.minimumSpendBefore");
  });

  it("property: every upsell gains and every churn loses at least the floor, and no base is below it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ account: fc.integer({ min: 0, max: 6 }), amount: fc.integer({ min: 0, max: 5000 }), day: fc.integer({ min: 0, max: 59 }) }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 500 }),
        (rows, floor) => {
          const spend = rows.map((r) => ({ account: `a${r.account}`, amount: r.amount, timestamp: r.day * DAY }));
          for (const label of labelSpendOutcomes(spend, { dates: [30 * DAY], windowDays: 30, minimumSpendBefore: floor, minimumChange: floor })) {
            expect(label.before).toBeGreaterThanOrEqual(Math.max(floor, Number.MIN_VALUE));
            if (label.outcome === "upsell") expect(label.after - label.before).toBeGreaterThanOrEqual(floor);
            if (label.outcome === "churn") expect(label.before - label.after).toBeGreaterThanOrEqual(floor);
          }
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe("accountModelReport", () => {
  const info = [
    { name: "spend_180d", label: "Spend", group: "spend", unit: "currency" as const, higherIsBetter: true, logScale: true },
    { name: "tenure_days", label: "Customer for", group: "tenure", unit: "days" as const, higherIsBetter: true, logScale: false },
    { name: "days_since_purchase", label: "Time since the last purchase", group: "recency", unit: "days" as const, higherIsBetter: false, logScale: false },
  ];

  it("lists the features whose coefficient runs against the declared direction, for good-news and bad-news scores", () => {
    const model = { coefficients: Float64Array.from([-0.8, 0.3, 0.5]) };
    expect(accountModelReport(model, info)).toEqual([
      { feature: "spend_180d", label: "Spend", declared: "higher is better", learned: "lowers the score", coefficient: -0.8 },
      { feature: "days_since_purchase", label: "Time since the last purchase", declared: "lower is better", learned: "raises the score", coefficient: 0.5 },
    ]);
    // Read as P(churn), a higher tenure raising the score is the surprise.
    expect(accountModelReport(model, info, { higherScoreIsBetter: false }).map((c) => c.feature)).toEqual(["tenure_days"]);
    expectError(() => accountModelReport({ coefficients: Float64Array.from([1]) }, info), "E_SHAPE", "accountModelReport: model must be a logistic regression over the 3 features of info");
  });
});

describe("findNarrativeProblems over generated books", () => {
  it("property: narratives of random account tables pass every check, and a tampered one fails", async () => {
    const { accountFeatures, narrateAccountScore, findNarrativeProblems } = await import("../../src/accounts/index.ts");
    const { fitLogisticRegression } = await import("../../src/classifiers/index.ts");
    fc.assert(
      fc.property(
        fc.array(fc.record({ account: fc.integer({ min: 0, max: 11 }), amount: fc.integer({ min: 1, max: 5000 }), day: fc.integer({ min: 0, max: 1500 }) }), { minLength: 12, maxLength: 80 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.boolean(),
        (rows, flips, goodNews) => {
          const events = rows.map((r) => ({ account: `a${r.account}`, amount: r.amount, timestamp: r.day * DAY }));
          const table = accountFeatures(events, { dates: [1500 * DAY], windows: [90, 365] });
          const labels = table.rows.map((_, i) => (flips[i % flips.length] ? 1 : 0));
          if (labels.every((l) => l === labels[0])) return;
          const model = fitLogisticRegression(table.matrix, labels, { l2: 1 });
          for (let row = 0; row < table.rows.length; row++) {
            const story = narrateAccountScore(model, table, row, { higherScoreIsBetter: goodNews });
            expect(findNarrativeProblems(story)).toEqual([]);
          }
        },
      ),
      { seed: 11, numRuns: 60 },
    );
  });

  it("finds a risk that raises the score, a percentile past 100%, days past a year and a counterintuitive headline", async () => {
    const { findNarrativeProblems } = await import("../../src/accounts/index.ts");
    const item = { group: "g", attribution: 1, share: 1, assessment: "good" as const, counterintuitive: false, features: ["f"] };
    const problems = findNarrativeProblems({
      headline: "High (90%): Spend fell (unusually, the model learned that this raises the score)",
      band: "High",
      score: 0.9,
      omitted: 0,
      reasons: [{ ...item, text: "Spend fell (unusually, the model learned that this raises the score)", effect: "raises", counterintuitive: true }],
      risks: [
        { ...item, text: "Tenure: 1,038.1 days", effect: "raises" },
        { ...item, text: "Orders: 9, lower than 101% of peers", effect: "lowers" },
      ],
    });
    expect(problems).toEqual([
      'the headline leads with counterintuitive reason 1: "Spend fell (unusually, the model learned that this raises the score)"',
      'risk 1 raises the score: "Tenure: 1,038.1 days"',
      'risk 1 tells 1,038.1 days instead of years: "Tenure: 1,038.1 days"',
      'risk 2 places the value past 100% of peers: "Orders: 9, lower than 101% of peers"',
    ]);
  });
});
