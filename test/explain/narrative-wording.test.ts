// What a rep reads must never contradict itself (issue 14, §2): peer standing never past 100%, durations in the largest
// sensible unit, counterintuitive effects said plainly and never made the headline, bad currency codes named.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { explainLinear, narrateExplanation, type FeatureMetadata } from "../../src/explain/index.ts";
import { expectError } from "../helpers.ts";

// No declared direction here: only the peer phrase is under test.
const spend = new Map<string, FeatureMetadata>([["spend", { label: "Spend", unit: "currency" }]]);
const tellSpend = (value: number, peers: number[]): string => {
  const why = explainLinear({ coefficients: [1] }, [value], { means: [-1], featureNames: ["spend"] });
  return narrateExplanation(why, { metadata: spend, peers: peers.map((p) => [p]), minShare: 0 }).reasons[0]!.text;
};

describe("narrateExplanation wording", () => {
  it("places a value among peers without ever passing 100%", () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1); // 1 … 100, the account among them
    expect(tellSpend(100, hundred)).toBe("Spend: $100, above all peers");
    expect(tellSpend(99, hundred)).toBe("Spend: $99, in the top 2% of peers"); // one peer above: rank 2 of 100
    expect(tellSpend(60, hundred)).toBe("Spend: $60, higher than 59% of peers"); // 59 of 100 strictly below
    expect(tellSpend(30, hundred)).toBe("Spend: $30, lower than 70% of peers");
    expect(tellSpend(2, hundred)).toBe("Spend: $2, in the bottom 2% of peers");
    expect(tellSpend(1, hundred)).toBe("Spend: $1, below all peers");
    // ties at the top are not "above all"
    expect(tellSpend(5, [5, 5, 1, 2])).toBe("Spend: $5, higher than 50% of peers");
  });

  it("property: a peer phrase never names a share above 100% and is always one of the documented forms", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 2, maxLength: 300 }), fc.integer({ min: 0, max: 50 }), (peers, value) => {
        const text = tellSpend(value, peers);
        const phrase = text.slice(text.indexOf(", ") + 2);
        expect(phrase).toMatch(/^(above all peers|below all peers|in the (top|bottom) \d+% of peers|(higher|lower) than \d+% of peers)$/);
        const share = Number(/(\d+)%/.exec(phrase)?.[1] ?? "0");
        expect(share).toBeLessThanOrEqual(100);
        if (/^in the/.test(phrase)) expect(share).toBeGreaterThanOrEqual(1);
        // the words agree with the data: "above all" only when no peer is higher, "below all" when none is lower
        if (phrase === "above all peers") expect(peers.every((p) => p <= value)).toBe(true);
        if (phrase === "below all peers") expect(peers.every((p) => p >= value)).toBe(true);
        if (phrase.startsWith("higher than")) expect(share).toBe(Math.floor((100 * peers.filter((p) => p < value).length) / peers.length));
      }),
    );
  });

  it("tells durations in days below a year and in years from one year on", () => {
    const tenure = new Map<string, FeatureMetadata>([["tenure", { label: "Customer for", unit: "days" }]]);
    const tell = (days: number) =>
      narrateExplanation(explainLinear({ coefficients: [1] }, [days], { means: [0], featureNames: ["tenure"] }), { metadata: tenure }).reasons[0]!.text;
    expect(tell(1)).toBe("Customer for: 1 day");
    expect(tell(200)).toBe("Customer for: 200 days");
    expect(tell(1038.1)).toBe("Customer for: 2.8 years");
    expect(tell(365.25)).toBe("Customer for: 1 year");
  });

  it("frames an effect against the declared direction as what it is, and keeps it out of the headline", () => {
    // Spend fell (bad news for a higher-is-better measure), yet the model raises P(upsell) for it.
    const metadata = new Map<string, FeatureMetadata>([
      ["spend", { label: "Spend", unit: "currency", window: "180 days", previous: "spendBefore", higherIsBetter: true }],
      ["spendBefore", { label: "Spend before" }],
      ["tenure", { label: "Customer for", unit: "days", higherIsBetter: true }],
    ]);
    const why = explainLinear({ coefficients: [-0.001, 0, 0.002] }, [1697, 30623, 400], { means: [10000, 10000, 0], featureNames: ["spend", "spendBefore", "tenure"] });
    const peers = [[1697, 30623, 400], [5000, 4000, 100], [9000, 9000, 200], [100, 300, 50]];
    const story = narrateExplanation(why, { metadata, peers, scoreFormat: "percent", score: 0.84 });
    expect(story.reasons.map((r) => [r.text, r.counterintuitive])).toEqual([
      ["Spend fell 94% in the last 180 days ($30,623 → $1,697) (unusually, the model learned that this raises the score)", true],
      ["Customer for: 1.1 years, above all peers", false],
    ]);
    expect(story.headline).toBe("High priority (84%): Customer for: 1.1 years, above all peers");
    // The same model read as P(churn): long tenure raising churn is the surprise now, spend falling is not.
    const churn = narrateExplanation(why, { metadata, peers, higherScoreIsBetter: false });
    expect(churn.reasons.map((r) => r.counterintuitive)).toEqual([false, true]);
  });

  it("names a bad currency code instead of throwing Intl's RangeError", () => {
    const why = explainLinear({ coefficients: [1] }, [5], { means: [0], featureNames: ["spend"] });
    const bad = new Map<string, FeatureMetadata>([["spend", { label: "Spend", unit: "currency", currency: "DOLLARS" }]]);
    expectError(() => narrateExplanation(why, { metadata: bad }), "E_BAD_INPUT", 'narrateExplanation: options.metadata.get("spend").currency must be an ISO 4217 currency code such as "USD", got "DOLLARS"');
  });
});
