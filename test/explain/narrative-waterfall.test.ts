import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  explainLinear,
  explainLogistic,
  narrateExplanation,
  renderWaterfallSvg,
  waterfallData,
  type FeatureMetadata,
} from "../../src/explain/index.ts";
import { expectError } from "../helpers.ts";
import { sum } from "./games.ts";

// An account-score model on the log-odds scale, by hand: seats (now and 90 days ago), spend, open tickets, a flag, an
// industry code and a renewal date.
const names = ["seats", "seatsBefore", "spend", "tickets", "champion", "industry", "daysToRenewal"];
const coefficients = [0.05, -0.01, 0.00002, -0.5, 0.8, 0.1, -0.004];
const means = [30, 30, 20000, 1, 0.5, 1, 180];
const x = [54, 40, 52000, 3, 1, 2, 30];
const metadata = new Map<string, FeatureMetadata>([
  ["seats", { label: "Seat usage", unitName: "seats", window: "90 days", previous: "seatsBefore", higherIsBetter: true, group: "Usage" }],
  ["seatsBefore", { label: "Seats 90 days ago", group: "Usage" }],
  ["spend", { label: "Annual spend", unit: "currency", higherIsBetter: true }],
  ["tickets", { label: "Open support tickets", higherIsBetter: false }],
  ["champion", { label: "Champion identified", unit: "flag", higherIsBetter: true }],
  ["industry", { label: "Industry", unit: "category", categories: ["Retail", "Finance", "Manufacturing"] }],
  ["daysToRenewal", { label: "Renewal", unit: "days", template: "Renewal due in {value}" }],
]);
const why = explainLogistic({ coefficients, intercept: -1 }, x, { means, featureNames: names });

describe("narrateExplanation", () => {
  it("tells reasons and risks from raw values, grouped, ranked by attribution, never showing attribution numbers", () => {
    const story = narrateExplanation(why, { metadata, maxReasons: 5, minShare: 0 });
    // attributions (log-odds): usage 1.2 − 0.1 = 1.1, spend 0.64, champion 0.4, industry 0.1, renewal 0.6, tickets −1
    expect(story.reasons.map((r) => [r.group, r.text])).toEqual([
      ["Usage", "Seat usage rose 35% in the last 90 days (40 → 54 seats)"],
      ["Annual spend", "Annual spend: $52,000"],
      ["Renewal", "Renewal due in 30 days"],
      ["Champion identified", "Champion identified: yes"],
      ["Industry", "Industry: Manufacturing"],
    ]);
    expect(story.risks.map((r) => [r.text, r.effect, r.assessment])).toEqual([["Open support tickets: 3", "lowers", "neutral"]]);
    expect(story.reasons[0]!.features).toEqual(["seats", "seatsBefore"]);
    expect(story.reasons[0]!.attribution).toBeCloseTo(1.1, 12);
    expect(story.reasons.map((r) => r.assessment)).toEqual(["good", "neutral", "neutral", "good", "neutral"]);
    const shares = [...story.reasons, ...story.risks].map((r) => r.share);
    expect(sum(shares)).toBeCloseTo(1, 12);
    for (const item of [...story.reasons, ...story.risks]) expect(item.text).not.toMatch(/1\.1|0\.64|0\.4\b/);
  });

  it("keeps the top 3 reasons and 2 risks by default and drops groups below 5% of the total", () => {
    const story = narrateExplanation(why, { metadata });
    expect(story.reasons.map((r) => r.group)).toEqual(["Usage", "Annual spend", "Renewal"]);
    expect(story.risks.length).toBe(1);
    // industry (0.1 of 3.84 total) is below 5%; champion is cut by maxReasons
    expect(story.omitted).toBe(2);
  });

  it("the headline gives the band, the score (a probability for logit explanations) and the top reason", () => {
    const story = narrateExplanation(why, { metadata });
    const p = 1 / (1 + Math.exp(-why.output));
    expect(story.score).toBeCloseTo(p, 14);
    expect(story.band).toBe("High priority");
    expect(story.headline).toBe(`High priority (${p.toFixed(2)}): Seat usage rose 35% in the last 90 days (40 → 54 seats)`);
    const custom = narrateExplanation(why, {
      metadata,
      score: 0.2,
      scoreFormat: "percent",
      headlineTemplate: "{{{band}}} {score} | risk: {risk}",
      bands: [{ min: 0.5, label: "Call" }, { min: 0, label: "Nurture" }],
    });
    expect(custom.headline).toBe("{Nurture} 20% | risk: Open support tickets: 3");
  });

  it("peer percentiles and the metadata decide whether a value is good news; the sign decides reason or risk", () => {
    const peers = [[10, 10, 1000, 0, 0, 0, 10], [20, 20, 90000, 1, 1, 1, 20], [60, 60, 5000, 2, 0, 2, 400], [30, 20, 100, 5, 1, 0, 100]];
    const story = narrateExplanation(why, { metadata, peers });
    expect(story.reasons[1]!.text).toBe("Annual spend: $52,000, higher than 75% of peers");
    expect(story.risks[0]!.text).toBe("Open support tickets: 3, higher than 75% of peers");
    expect(story.risks[0]!.assessment).toBe("bad");
    // a fall in a higher-is-better measure that the model rewards is a reason told as bad news
    const fell = explainLinear({ coefficients: [-1, 0] }, [20, 40], { means: [30, 30], featureNames: ["seats", "seatsBefore"] });
    const told = narrateExplanation(fell, { metadata, minShare: 0 });
    expect(told.reasons.map((r) => [r.text, r.effect, r.assessment, r.counterintuitive])).toEqual([
      ["Seat usage fell 50% in the last 90 days (40 → 20 seats) (unusually, the model learned that this raises the score)", "raises", "bad", true],
    ]);
    // never the headline's reason; "omit" leaves it out
    expect(told.headline).toMatch(/: no single factor stands out$/);
    const omitted = narrateExplanation(fell, { metadata, minShare: 0, counterintuitive: "omit" });
    expect([omitted.reasons.length, omitted.omitted]).toEqual([0, 1]);
    // for a score that is bad news (P(churn)), a fall in a good measure raising it is what a seller expects
    expect(narrateExplanation(fell, { metadata, minShare: 0, higherScoreIsBetter: false }).reasons[0]!.counterintuitive).toBe(false);
  });

  it("tells raw values when the model saw transformed inputs (rawData)", () => {
    // the model reads log(1 + spend); the sentence must show the spend
    const logged = explainLinear({ coefficients: [0.5] }, [Math.log1p(52000)], { means: [Math.log1p(20000)], featureNames: ["spend"] });
    const story = narrateExplanation(logged, { metadata, rawData: [52000], peers: [[10000], [90000]] });
    expect(story.reasons[0]!.text).toBe("Annual spend: $52,000, higher than 50% of peers");
    expectError(() => narrateExplanation(logged, { metadata, rawData: [1, 2] }), "E_SHAPE", "options.rawData must have length 1 (one per feature), got length 2");
  });

  it("formats numbers for the locale", () => {
    const story = narrateExplanation(why, { metadata, locale: "de-DE", maxReasons: 2 });
    expect(story.reasons[1]!.text).toBe("Annual spend: 52.000\u00a0$");
    const big = explainLinear({ coefficients: [1, 0] }, [1234.5, 1000], { means: [0, 0], featureNames: ["seats", "seatsBefore"] });
    expect(narrateExplanation(big, { metadata, locale: "de-DE" }).reasons[0]!.text).toBe("Seat usage rose 23\u00a0% in the last 90 days (1.000 → 1.234,5 seats)");
  });

  it("substitutes template placeholders as text only and rejects unknown ones", () => {
    const one = explainLinear({ coefficients: [1, 0] }, [1, 3], { means: [0, 0], featureNames: ["seats", "seatsBefore"] });
    expect(narrateExplanation(one, { metadata, higherScoreIsBetter: false }).reasons[0]!.text).toBe("Seat usage fell 67% in the last 90 days (3 → 1 seat)");
    const sneaky = new Map<string, FeatureMetadata>([["a", { label: "{value}<b>", template: "{label} then {change} ({direction}, {percentChange}) {{literal}}", previous: "b" }]]);
    const e = explainLinear({ coefficients: [1, 0] }, [3, 2], { means: [0, 0], featureNames: ["a", "b"] });
    expect(narrateExplanation(e, { metadata: sneaky }).reasons[0]!.text).toBe("{value}<b> then +1 (rose, 50%) {literal}");
    const bad = new Map<string, FeatureMetadata>([["a", { label: "A", template: "{constructor}" }]]);
    expectError(() => narrateExplanation(e, { metadata: bad }), "E_BAD_INPUT", 'options.metadata.get("a").template must use only the placeholders');
    expectError(() => narrateExplanation(e, { metadata, headlineTemplate: "{band" }), "E_BAD_INPUT", "must escape a lone brace");
    const missing = new Map<string, FeatureMetadata>([["a", { label: "A", previous: "nowhere" }]]);
    expectError(() => narrateExplanation(e, { metadata: missing }), "E_BAD_INPUT", 'the previous feature of "a" must be a feature of the explanation or a key of options.extraData, got "nowhere"');
    expect(narrateExplanation(e, { metadata: missing, extraData: new Map([["nowhere", 4]]) }).reasons[0]!.text).toBe("A fell 25% (4 → 3)");
  });

  it("is deterministic and tells the explanation's own groups as one item each", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 7, maxLength: 7 }), (betas) => {
        const e = explainLinear({ coefficients: betas }, x, { means, featureNames: names });
        const a = narrateExplanation(e, { metadata, minShare: 0.01 });
        const b = narrateExplanation(e, { metadata, minShare: 0.01 });
        expect(a).toEqual(b);
        expect(a.reasons.every((r) => r.attribution > 0) && a.risks.every((r) => r.attribution < 0)).toBe(true);
        expect(a.reasons.length).toBeLessThanOrEqual(3);
        expect(a.risks.length).toBeLessThanOrEqual(2);
      }),
      { seed: 41, numRuns: 40 },
    );
    const grouped = explainLinear({ coefficients }, x, {
      means,
      featureNames: names,
      groups: [{ name: "Adoption", features: ["seats", "seatsBefore", "champion"] }, { name: "Commercial", features: ["spend", "tickets", "industry", "daysToRenewal"] }],
    });
    const story = narrateExplanation(grouped, { metadata });
    expect(story.reasons.map((r) => [r.group, r.text])).toEqual([
      ["Adoption", "Seat usage rose 35% in the last 90 days (40 → 54 seats)"],
      ["Commercial", "Annual spend: $52,000"],
    ]);
  });
});

describe("waterfallData and renderWaterfallSvg", () => {
  it("bars largest first, running from the base value to the output", () => {
    const chart = waterfallData(why);
    expect(chart.bars.length).toBe(7);
    expect(chart.bars[chart.bars.length - 1]!.start).toBe(why.baseValue);
    expect(chart.bars[0]!.end).toBe(why.output);
    for (let b = 0; b + 1 < chart.bars.length; b++) {
      expect(Math.abs(chart.bars[b]!.value)).toBeGreaterThanOrEqual(Math.abs(chart.bars[b + 1]!.value));
      expect(chart.bars[b]!.start).toBeCloseTo(chart.bars[b + 1]!.end, 12);
    }
    expect(chart.bars[0]).toMatchObject({ label: "seats", data: 54, folded: false, players: ["seats"] });
    expect(chart.bars[0]!.value).toBeCloseTo(1.2, 12);
  });

  it("folds small bars into 'N other features' by count and by share", () => {
    const chart = waterfallData(why, { maxBars: 4, labels: new Map([["seats", "Seat usage"]]) });
    expect(chart.bars.map((b) => b.label)).toEqual(["Seat usage", "tickets", "spend", "4 other features"]);
    expect(chart.otherCount).toBe(4);
    expect(chart.bars[3]!.value).toBeCloseTo(0.6 + 0.4 + 0.1 - 0.1, 12);
    const raw = waterfallData(why, { rawData: [1, 2, 3, 4, 5, 6, 7] });
    expect(raw.bars.find((b) => b.label === "spend")!.data).toBe(3);
    expectError(() => waterfallData(why, { rawData: [1] }), "E_SHAPE", "options.rawData must have length 7 (one per feature), got length 1");
    const byShare = waterfallData(why, { minShare: 0.1 });
    expect(byShare.bars.map((b) => b.label)).toEqual(["seats", "tickets", "spend", "daysToRenewal", "3 other features"]);
  });

  it("renders a self-contained, escaped, deterministic SVG", () => {
    const svg = renderWaterfallSvg(why, { title: "Acme <Corp> & co", maxBars: 5, locale: "de-DE" });
    expect(svg).toBe(renderWaterfallSvg(why, { title: "Acme <Corp> & co", maxBars: 5, locale: "de-DE" }));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640"/);
    expect(svg.endsWith("</svg>")).toBe(true);
    expect(svg).toContain("Acme &lt;Corp&gt; &amp; co");
    expect((svg.match(/<rect /g) ?? []).length).toBe(5);
    expect(svg).toContain("52.000 = spend");
    expect(svg).toContain('fill="#ff0051"');
    expect(svg).toContain('fill="#008bfb"');
    expect(svg).toContain("log-odds");
    expectError(() => renderWaterfallSvg(why, { positiveColor: 'red" onload="x' }), "E_BAD_INPUT", "options.positiveColor must be a #hex or named colour");
    expectError(() => renderWaterfallSvg({} as never), "E_BAD_INPUT", "renderWaterfallSvg: explanation must be an Explanation");
  });
});
