import { describe, expect, it } from "vitest";
import { createInteractions, type InteractionRow } from "../../src/data/index.ts";
import {
  explainRepeatPurchase,
  fitRepeatPurchases,
  repeatPurchasesFromJSON,
  type RepeatPurchaseModel,
  type RepeatPurchaseModelJSON,
} from "../../src/repeat/index.ts";
import { formatDays } from "../../src/repeat/explain.ts";
import { FEATURE_NAMES } from "../../src/repeat/features.ts";
import { expectError } from "../helpers.ts";

const DAY = 86_400;
const AS_OF = 1000 * DAY;

interface History {
  readonly product: string;
  readonly purchases: number;
  readonly daysAgo: number;
  readonly ownCycleDays: number | null;
  readonly productCycleDays: number | null;
}

/** A hand-built model of one account ("acme") with the given histories and one product it never bought ("never"). */
function modelOf(histories: readonly History[]): RepeatPurchaseModel {
  const json: RepeatPurchaseModelJSON = {
    kind: "repeat-purchases",
    version: 1,
    users: { ids: ["acme"] },
    items: { ids: [...histories.map((h) => h.product), "never"] },
    asOf: AS_OF,
    timeUnit: "seconds",
    horizonDays: 90,
    halfLifeDays: 180,
    fill: "none",
    seenIndptr: [0, histories.length],
    seenIndices: histories.map((_, k) => k),
    probabilities: histories.map(() => 0.5),
    purchases: histories.map((h) => h.purchases),
    lastPurchase: histories.map((h) => AS_OF - h.daysAgo * DAY),
    ownCycleDays: histories.map((h) => h.ownCycleDays),
    productCycleDays: [...histories.map((h) => h.productCycleDays), 14],
    buyers: [...histories.map(() => 1), 3],
    fallbackCycleDays: 30,
    featureNames: [...FEATURE_NAMES],
    coefficients: FEATURE_NAMES.map(() => 0),
    intercept: 0,
    trainingPairs: 10,
    trainingReorders: 5,
  };
  return repeatPurchasesFromJSON(json);
}

describe("explainRepeatPurchase: sentences from purchase histories", () => {
  const cases: [History, string][] = [
    [{ product: "due", purchases: 8, daysAgo: 49, ownCycleDays: 35, productCycleDays: 30 }, "Reorders about every 5 weeks; last order 7 weeks ago"],
    [{ product: "fresh", purchases: 6, daysAgo: 3, ownCycleDays: 28, productCycleDays: 30 }, "Bought 6 times; last order 3 days ago (usually every 4 weeks)"],
    [{ product: "once", purchases: 1, daysAgo: 274, ownCycleDays: null, productCycleDays: 30 }, "Bought once, 9 months ago"],
    [{ product: "twice", purchases: 2, daysAgo: 21, ownCycleDays: null, productCycleDays: 35 }, "Bought twice; last order 3 weeks ago (accounts usually reorder it every 5 weeks)"],
    [{ product: "twice-alone", purchases: 2, daysAgo: 0.25, ownCycleDays: null, productCycleDays: null }, "Bought twice; last order today"],
    [{ product: "daily", purchases: 40, daysAgo: 2, ownCycleDays: 1, productCycleDays: 3 }, "Reorders about every day; last order 2 days ago"],
    [{ product: "exactly-due", purchases: 3, daysAgo: 10, ownCycleDays: 10, productCycleDays: 12 }, "Reorders about every 10 days; last order 10 days ago"],
    [{ product: "lapsed", purchases: 4, daysAgo: 800, ownCycleDays: 90, productCycleDays: 60 }, "Reorders about every 3 months; last order 2 years ago"],
  ];
  const model = modelOf(cases.map(([history]) => history));

  for (const [history, sentence] of cases) {
    it(`${history.product}: "${sentence}"`, () => {
      expect(explainRepeatPurchase(model, "acme", history.product).sentence).toBe(sentence);
    });
  }

  it("tells the facts behind the sentence", () => {
    expect(explainRepeatPurchase(model, "acme", "due").values).toEqual({
      purchases: 8,
      lastPurchase: AS_OF - 49 * DAY,
      daysSinceLastPurchase: 49,
      ownCycleDays: 35,
      productCycleDays: 30,
      probability: 0.5,
      horizonDays: 90,
    });
  });

  it("says a product was never bought, with the product's cycle among the facts", () => {
    expect(explainRepeatPurchase(model, "acme", "never")).toEqual({
      sentence: "Never bought",
      values: { purchases: 0, lastPurchase: null, daysSinceLastPurchase: null, ownCycleDays: null, productCycleDays: 14, probability: null, horizonDays: 90 },
    });
  });

  it("is deterministic", () => {
    expect(explainRepeatPurchase(model, "acme", "fresh")).toEqual(explainRepeatPurchase(model, "acme", "fresh"));
  });
});

describe("explainRepeatPurchase on a fitted model", () => {
  it("tells an account's real history: cycle, count and recency", () => {
    const rows: InteractionRow[] = [];
    for (let a = 0; a < 10; a++) {
      for (let d = a; d <= 300; d += 14) rows.push({ user: `a${a}`, item: "filters", timestamp: d * DAY });
      rows.push({ user: `a${a}`, item: "drill", timestamp: (20 + a) * DAY });
    }
    // acme reorders filters every 2 weeks and last bought them 4 weeks before asOf (day 330).
    for (let d = 162; d <= 302; d += 14) rows.push({ user: "acme", item: "filters", timestamp: d * DAY });
    rows.push({ user: "acme", item: "drill", timestamp: 60 * DAY });
    const model = fitRepeatPurchases(createInteractions(rows), { asOf: 330 * DAY, horizonDays: 30 });
    expect(explainRepeatPurchase(model, "acme", "filters").sentence).toBe("Reorders about every 2 weeks; last order 4 weeks ago");
    expect(explainRepeatPurchase(model, "acme", "drill").sentence).toBe("Bought once, 9 months ago");
    expect(explainRepeatPurchase(model, "a3", "filters").values.purchases).toBe(22);
  });
});

describe("formatDays", () => {
  it("uses days below two weeks, weeks below nine, months below eighteen, then years", () => {
    const cases: [number, string][] = [
      [0.2, "1 day"],
      [1, "1 day"],
      [2, "2 days"],
      [13.4, "13 days"],
      [13.6, "2 weeks"],
      [35, "5 weeks"],
      [62, "9 weeks"],
      [63, "2 months"],
      [274, "9 months"],
      [547, "18 months"],
      [548, "2 years"],
      [3652, "10 years"],
    ];
    for (const [days, text] of cases) expect(formatDays(days), String(days)).toBe(text);
  });
});

describe("explainRepeatPurchase: errors", () => {
  const model = modelOf([{ product: "gloves", purchases: 1, daysAgo: 1, ownCycleDays: null, productCycleDays: null }]);

  it("rejects unknown accounts and products", () => {
    expectError(() => explainRepeatPurchase(model, "hooli", "gloves"), "E_UNKNOWN_ID", 'explainRepeatPurchase: account must be an account the model knows, got "hooli"');
    expectError(() => explainRepeatPurchase(model, "acme", "tape"), "E_UNKNOWN_ID", 'explainRepeatPurchase: product must be a product the model knows, got "tape"');
  });

  it("rejects what is not a repeat-purchase model", () => {
    expectError(() => explainRepeatPurchase({ kind: "buy-again" } as unknown as RepeatPurchaseModel, "acme", "gloves"), "E_BAD_MODEL", "explainRepeatPurchase: model must be a repeat-purchases model");
  });
});
