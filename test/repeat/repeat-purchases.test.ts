import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRandom } from "../../src/core/random.ts";
import { createInteractions, type InteractionRow, type Interactions } from "../../src/data/index.ts";
import { recommend, scoreItems } from "../../src/recommend/index.ts";
import {
  buyAgainRecommender,
  fitBuyAgain,
  fitRepeatPurchases,
  repeatPurchaseRecommender,
  repeatPurchasesFromJSON,
  repeatPurchasesToJSON,
  type RepeatPurchaseModel,
  type RepeatPurchaseOptions,
} from "../../src/repeat/index.ts";
import { dueProbability } from "../../src/repeat/features.ts";
import { NextbestError } from "../../src/core/errors.ts";
import { errorOf, expectError, itemIdsOf } from "../helpers.ts";

const DAY = 86_400;
const roundTrip = (model: RepeatPurchaseModel): RepeatPurchaseModel =>
  repeatPurchasesFromJSON(JSON.parse(JSON.stringify(repeatPurchasesToJSON(model))));

function allScores(model: RepeatPurchaseModel): number[][] {
  const recommender = repeatPurchaseRecommender(model);
  return model.users.ids.map((user) => Array.from(scoreItems(recommender, user).scores));
}

/** Where a product sits in an account's row of the seen pattern (−1 when not bought). */
function entryOf(model: RepeatPurchaseModel, account: string, product: string): number {
  const u = model.users.lookup.get(account)!;
  const i = model.items.lookup.get(product)!;
  for (let k = model.seenIndptr[u]!; k < model.seenIndptr[u + 1]!; k++) if (model.seenIndices[k] === i) return k;
  return -1;
}

/**
 * A seeded population of 80 accounts reordering periodic products up to day 200: "filters" and "towels" every 10
 * days, "paper" every 30 days (each from a random phase, ±1 day of jitter), and a "drill" bought once.
 */
function periodicPopulation(seed: number): InteractionRow[] {
  const random = createRandom(seed);
  const rows: InteractionRow[] = [];
  for (let a = 0; a < 80; a++) {
    for (const [item, period] of [["filters", 10], ["towels", 10], ["paper", 30]] as const) {
      for (let t = random() * period; t <= 200; t += period) {
        const day = Math.min(200, Math.max(0, Math.round(t + (random() * 2 - 1))));
        rows.push({ user: `a${a}`, item, timestamp: day * DAY });
      }
    }
    rows.push({ user: `a${a}`, item: "drill", timestamp: Math.floor(random() * 200) * DAY });
  }
  return rows;
}

// acme: X on days 0, 10, 30, 40 and 40 again (one order), Y on days 0, 3, 8; bolt: X on days 0, 7, Z on day 5.
const handRows: InteractionRow[] = [
  { user: "acme", item: "X", timestamp: 0 },
  { user: "acme", item: "X", timestamp: 10 * DAY },
  { user: "acme", item: "X", timestamp: 30 * DAY },
  { user: "acme", item: "X", timestamp: 40 * DAY },
  { user: "acme", item: "X", timestamp: 40 * DAY },
  { user: "acme", item: "Y", timestamp: 0 },
  { user: "acme", item: "Y", timestamp: 3 * DAY },
  { user: "acme", item: "Y", timestamp: 8 * DAY },
  { user: "bolt", item: "X", timestamp: 0 },
  { user: "bolt", item: "X", timestamp: 7 * DAY },
  { user: "bolt", item: "Z", timestamp: 5 * DAY },
];
const hand = createInteractions(handRows);

describe("fitRepeatPurchases: purchase histories and cycles", () => {
  const model = fitRepeatPurchases(hand, { horizonDays: 10 });

  it("keeps per pair the purchase occasions and the latest purchase (two lines of one order are one purchase)", () => {
    expect(model.asOf).toBe(40 * DAY);
    expect(Array.from(model.seenIndptr)).toEqual([0, 2, 4]);
    expect(Array.from(model.seenIndices)).toEqual([0, 1, 0, 2]);
    expect(Array.from(model.purchases)).toEqual([4, 3, 2, 1]);
    expect(Array.from(model.lastPurchase)).toEqual([40 * DAY, 8 * DAY, 7 * DAY, 5 * DAY]);
  });

  it("an own cycle is the median gap of the pair, with at least two gaps", () => {
    // acme X gaps 10, 20, 10 -> 10; acme Y gaps 3, 5 -> 4; bolt X has one gap (7), bolt Z none.
    expect(Array.from(model.ownCycleDays)).toEqual([10, 4, Number.NaN, Number.NaN]);
  });

  it("a product cycle is the median of every account's gaps for it", () => {
    // X: 10, 20, 10 (acme) and 7 (bolt) -> median of [7, 10, 10, 20] = 10; Y: [3, 5] -> 4; Z: none.
    expect(Array.from(model.productCycleDays)).toEqual([10, 4, Number.NaN]);
    expect(Array.from(model.buyers)).toEqual([2, 1, 1]);
  });

  it("learns from the pairs bought before asOf − horizon, labelled by a purchase in the horizon", () => {
    // Before day 30: acme X, acme Y, bolt X, bolt Z; only acme X was bought again in [30, 40].
    expect(model.trainingPairs).toBe(4);
    expect(model.trainingReorders).toBe(1);
    expect(model.featureNames).toHaveLength(13);
    expect(model.coefficients).toHaveLength(13);
    for (const p of model.probabilities) expect(p > 0 && p < 1).toBe(true);
    expect(model.fill).toBe("none");
    expect([model.horizonDays, model.halfLifeDays, model.timeUnit]).toEqual([10, 180, "seconds"]);
  });

  it("needs events: merged pairs hold no repeat purchase", () => {
    const { events: _events, ...rest } = hand;
    const pairs: Interactions = rest;
    expectError(
      () => fitRepeatPurchases(pairs, { horizonDays: 10 }),
      "E_BAD_INPUT",
      "fitRepeatPurchases: interactions must have events (every purchase with its time, as createInteractions keeps them), got merged pairs without events; use fitBuyAgain for those",
    );
  });

  it("reads time in milliseconds with timeUnit", () => {
    const ms = createInteractions(handRows.map((r) => ({ ...r, timestamp: r.timestamp! * 1000 })));
    const m = fitRepeatPurchases(ms, { horizonDays: 10, timeUnit: "milliseconds" });
    expect(Array.from(m.ownCycleDays)).toEqual(Array.from(model.ownCycleDays));
    expect(Array.from(m.probabilities)).toEqual(Array.from(model.probabilities));
  });
});

describe("fitRepeatPurchases: due products rank high, just-bought ones low", () => {
  // acme buys filters every 10 days, last 10 days before asOf (due), and towels every 10 days, last yesterday.
  const rows = [...periodicPopulation(7)];
  for (let d = 110; d <= 190; d += 10) rows.push({ user: "acme", item: "filters", timestamp: d * DAY });
  for (let d = 119; d <= 199; d += 10) rows.push({ user: "acme", item: "towels", timestamp: d * DAY });
  const data = createInteractions(rows);
  const asOf = 200 * DAY;

  it("a product bought every 10 days, last 10 days ago, outranks one bought yesterday (horizon 7 days)", () => {
    const model = fitRepeatPurchases(data, { horizonDays: 7, asOf });
    const due = model.probabilities[entryOf(model, "acme", "filters")]!;
    const recent = model.probabilities[entryOf(model, "acme", "towels")]!;
    expect(due).toBeGreaterThan(0.5);
    expect(recent).toBeLessThan(0.5);
    expect(itemIdsOf(recommend(repeatPurchaseRecommender(model), "acme", { excludeSeen: false }))).toEqual(["filters", "towels"]);
    expect(model.ownCycleDays[entryOf(model, "acme", "filters")]).toBe(10);
    // Buy-again sees two equally frequent products and puts the more recent one first.
    expect(itemIdsOf(recommend(buyAgainRecommender(fitBuyAgain(data, { asOf })), "acme", { excludeSeen: false, k: 2 }))).toEqual(["towels", "filters"]);
  });

  it("a product reordered every 30 days outranks a product bought once (default horizon)", () => {
    const model = fitRepeatPurchases(data, { asOf, horizonDays: 60 });
    for (const account of ["a0", "a1", "a2"]) {
      expect(model.probabilities[entryOf(model, account, "paper")]!).toBeGreaterThan(model.probabilities[entryOf(model, account, "drill")]!);
    }
  });

  it("the due probability of the log-logistic law rises to the cycle and falls long after it", () => {
    expect(dueProbability(0, 10, 7)).toBeCloseTo(1 - 1 / (1 + 0.49), 12);
    expect(dueProbability(10, 10, 7)).toBeCloseTo(1 - 2 / (1 + 2.89), 12);
    expect(dueProbability(10, 10, 7)).toBeGreaterThan(dueProbability(0, 10, 7));
    expect(dueProbability(100, 10, 7)).toBeLessThan(dueProbability(10, 10, 7));
    expect(dueProbability(1e300, 1e-300, 7)).toBe(0);
  });

  it("samples at most maxTrainingPairs pairs, reproducibly by seed", () => {
    const a = fitRepeatPurchases(data, { horizonDays: 7, asOf, maxTrainingPairs: 60, seed: 3 });
    const b = fitRepeatPurchases(data, { horizonDays: 7, asOf, maxTrainingPairs: 60, seed: 3 });
    expect(a.trainingPairs).toBe(60);
    expect(Array.from(a.coefficients)).toEqual(Array.from(b.coefficients));
    const c = fitRepeatPurchases(data, { horizonDays: 7, asOf, maxTrainingPairs: 60, seed: 4 });
    expect(Array.from(c.coefficients)).not.toEqual(Array.from(a.coefficients));
  });
});

describe("repeatPurchaseRecommender", () => {
  const data = createInteractions(periodicPopulation(11));
  const model = fitRepeatPurchases(data, { horizonDays: 30 });

  it("scores own products by probability and leaves the rest NaN by default, without a fallback", () => {
    const recommender = repeatPurchaseRecommender(model);
    expect(recommender.name).toBe("repeat-purchases");
    expect(recommender.fallback).toBeUndefined();
    const lone = fitRepeatPurchases(
      createInteractions([...periodicPopulation(11), { user: "solo", item: "paper", timestamp: 150 * DAY }]),
      { horizonDays: 30 },
    );
    const scores = scoreItems(repeatPurchaseRecommender(lone), "solo").scores;
    expect(Number.isNaN(scores[lone.items.lookup.get("filters")!]!)).toBe(true);
    expect(scores[lone.items.lookup.get("paper")!]).toBe(lone.probabilities[entryOf(lone, "solo", "paper")]);
    expect(recommend(repeatPurchaseRecommender(lone), "solo", { excludeSeen: false }).items).toHaveLength(1);
    expect(recommend(recommender, "hooli").fallback).toEqual({ reason: "unknown-user", source: null });
  });

  it("fills the rest with popularity below every own product with fill popularity", () => {
    const lone = fitRepeatPurchases(
      createInteractions([...periodicPopulation(11), { user: "solo", item: "paper", timestamp: 150 * DAY }, { user: "b", item: "bins", timestamp: 10 * DAY }]),
      { horizonDays: 30, fill: "popularity" },
    );
    const recommender = repeatPurchaseRecommender(lone);
    // 80 accounts bought filters, towels, paper and drill; one bought bins.
    expect(itemIdsOf(recommend(recommender, "solo", { excludeSeen: false }))).toEqual(["paper", "filters", "towels", "drill", "bins"]);
    expect(scoreItems(recommender, "solo").scores[lone.items.lookup.get("bins")!]).toBe(-0.5);
    expect(recommend(recommender, "hooli").fallback).toEqual({ reason: "unknown-user", source: "popularity" });
  });

  it("rejects a model of another kind or with arrays of the wrong length", () => {
    expectError(() => repeatPurchaseRecommender({ ...model, kind: "buy-again" } as unknown as RepeatPurchaseModel), "E_BAD_MODEL", "model must be a repeat-purchases model");
    expectError(() => repeatPurchaseRecommender({ ...model, version: 2 } as unknown as RepeatPurchaseModel), "E_BAD_MODEL", "model.version must be 1, got 2");
    expectError(() => repeatPurchaseRecommender({ ...model, probabilities: new Float64Array(2) }), "E_BAD_MODEL", "model.probabilities must be a Float64Array of length");
    expectError(() => repeatPurchaseRecommender({ ...model, productCycleDays: new Float64Array(1) }), "E_BAD_MODEL", "model.productCycleDays must be a Float64Array of length 4 (one per item)");
  });
});

describe("fitRepeatPurchases: errors", () => {
  it("needs timestamps", () => {
    expectError(
      () => fitRepeatPurchases(createInteractions([{ user: "acme", item: "X" }])),
      "E_BAD_INPUT",
      "fitRepeatPurchases: interactions must have timestamps (repeat purchases are measured in time), got a dataset without them",
    );
  });

  it("needs purchases before asOf − horizon, and both reordered and not reordered ones among them", () => {
    expectError(() => fitRepeatPurchases(hand), "E_EMPTY", "fitRepeatPurchases: interactions must hold purchases before asOf − horizonDays");
    const always = createInteractions([
      { user: "acme", item: "X", timestamp: 0 },
      { user: "acme", item: "X", timestamp: 10 * DAY },
    ]);
    expectError(() => fitRepeatPurchases(always, { horizonDays: 5 }), "E_EMPTY", "the (account, product) pairs bought before asOf − horizonDays must include some bought again within the horizon and some not, got 1 pair, all bought again");
    const never = createInteractions([
      { user: "acme", item: "X", timestamp: 0 },
      { user: "bolt", item: "Y", timestamp: 10 * DAY },
    ]);
    expectError(() => fitRepeatPurchases(never, { horizonDays: 5 }), "E_EMPTY", "got 1 pair, none bought again");
  });

  it("rejects bad options naming the option", () => {
    const cases: [unknown, string][] = [
      [null, "fitRepeatPurchases: options must be an object, got null"],
      [{ horizonDays: 0 }, "fitRepeatPurchases: options.horizonDays must be a finite number of days > 0, got 0"],
      [{ horizonDays: Infinity }, "options.horizonDays must be a finite number of days > 0, got Infinity"],
      [{ halfLifeDays: -1 }, "options.halfLifeDays must be a number of days > 0 (Infinity: no decay), got -1"],
      [{ l2: 0 }, "fitRepeatPurchases: options.l2 must be a finite number > 0, got 0"],
      [{ l2: Number.NaN }, "options.l2 must be a finite number > 0, got NaN"],
      [{ fill: "zero" }, 'options.fill must be one of "popularity", "none", got "zero"'],
      [{ timeUnit: "days" }, "options.timeUnit must be one of"],
      [{ maxTrainingPairs: 1 }, "fitRepeatPurchases: options.maxTrainingPairs must be an integer >= 2, got 1"],
      [{ maxTrainingPairs: 2.5 }, "options.maxTrainingPairs must be an integer >= 2"],
      [{ seed: Number.NaN }, "options.seed must be a finite number or a string, got NaN"],
      [{ asOf: Infinity }, "options.asOf must be a finite timestamp, got Infinity"],
    ];
    for (const [options, message] of cases) expectError(() => fitRepeatPurchases(hand, options as RepeatPurchaseOptions), "E_BAD_INPUT", message);
  });
});

describe("repeatPurchasesToJSON / repeatPurchasesFromJSON", () => {
  const model = fitRepeatPurchases(hand, { horizonDays: 10, halfLifeDays: Infinity, fill: "popularity" });

  it("round-trips to an identical model: scores, cycles (NaN as null) and an infinite half-life", () => {
    const json = repeatPurchasesToJSON(model);
    expect(json.ownCycleDays).toEqual([10, 4, null, null]);
    expect(json.halfLifeDays).toBeNull();
    const copy = roundTrip(model);
    expect(allScores(copy)).toEqual(allScores(model));
    expect(Array.from(copy.ownCycleDays)).toEqual(Array.from(model.ownCycleDays));
    expect(Array.from(copy.coefficients)).toEqual(Array.from(model.coefficients));
    expect([copy.halfLifeDays, copy.intercept, copy.trainingPairs, copy.trainingReorders]).toEqual([Infinity, model.intercept, 4, 1]);
    expect(Object.isFrozen(copy)).toBe(true);
  });

  it("rejects malformed JSON naming the field", () => {
    const json = repeatPurchasesToJSON(model);
    const f = "repeatPurchasesFromJSON";
    const cases: [unknown, string][] = [
      [[], `${f}: json must be an object (a parsed model), got`],
      [{ ...json, kind: "buy-again" }, `${f}: json.kind must be "repeat-purchases", got "buy-again"`],
      [{ ...json, version: 0 }, `${f}: json.version must be 1 (the versions this release reads), got 0`],
      [{ ...json, horizonDays: -1 }, `${f}: json.horizonDays must be a finite number > 0, got -1`],
      [{ ...json, halfLifeDays: "x" }, `${f}: json.halfLifeDays must be a number > 0, or null (no decay), got "x"`],
      [{ ...json, asOf: null }, `${f}: json.asOf must be a finite number, got null`],
      [{ ...json, probabilities: [0.5, 1.5, 0.5, 0.5] }, `${f}: json.probabilities[1] must be in [0, 1], got 1.5`],
      [{ ...json, probabilities: [0.5] }, `${f}: json.probabilities must have length 4 (one per bought pair), got length 1`],
      [{ ...json, purchases: [4, 3, 0, 1] }, `${f}: json.purchases[2] must be an integer >= 1, got 0`],
      [{ ...json, lastPurchase: [41 * DAY, 0, 0, 0] }, `${f}: json.lastPurchase[0] must be at or before json.asOf (${40 * DAY}), got ${41 * DAY}`],
      [{ ...json, ownCycleDays: [0, null, null, null] }, `${f}: json.ownCycleDays[0] must be a number > 0 or null, got 0`],
      [{ ...json, ownCycleDays: ["10", null, null, null] }, `${f}: json.ownCycleDays[0] must be a finite number >= 0 or null, got "10"`],
      [{ ...json, productCycleDays: [10, 4] }, `${f}: json.productCycleDays must have length 3 (one per item), got length 2`],
      [{ ...json, productCycleDays: new Float64Array(3) }, `${f}: json.productCycleDays must be an array of numbers or nulls`],
      [{ ...json, buyers: [2, 1, -1] }, `${f}: json.buyers[2] must be a finite number >= 0, got -1`],
      [{ ...json, fallbackCycleDays: 0 }, `${f}: json.fallbackCycleDays must be a finite number > 0, got 0`],
      [{ ...json, featureNames: ["a"] }, `${f}: json.featureNames must be the 13 features of this release`],
      [{ ...json, coefficients: [1, 2] }, `${f}: json.coefficients must have length 13 (one per feature), got length 2`],
      [{ ...json, intercept: Number.NaN }, `${f}: json.intercept must be a finite number, got NaN`],
      [{ ...json, trainingPairs: 1 }, `${f}: json.trainingPairs must be an integer >= 2, got 1`],
      [{ ...json, trainingReorders: 4 }, `${f}: json.trainingReorders must be an integer in [1, 3], got 4`],
      [{ ...json, fill: "all" }, `${f}: json.fill must be "popularity" or "none", got "all"`],
      [{ ...json, seenIndptr: [0, 2, 5] }, `${f}: json.seenIndptr`],
    ];
    for (const [bad, message] of cases) expectError(() => repeatPurchasesFromJSON(bad), "E_BAD_MODEL", message);
  });
});

// Random purchase logs over 100 days, a few accounts (Object.prototype names included) and products.
const rowsArbitrary: fc.Arbitrary<InteractionRow[]> = fc.array(
  fc.record({
    user: fc.constantFrom("acme", "bolt", "cray", "__proto__", "constructor"),
    item: fc.constantFrom("gloves", "masks", "toString", "tape"),
    timestamp: fc.integer({ min: 0, max: 100 }).map((d) => d * DAY),
  }),
  { minLength: 10, maxLength: 60 },
);
const optionsArbitrary: fc.Arbitrary<RepeatPurchaseOptions> = fc.record({
  horizonDays: fc.constantFrom(10, 20, 40),
  halfLifeDays: fc.constantFrom(5, 30, Infinity),
  fill: fc.constantFrom<"popularity" | "none">("popularity", "none"),
});

/** Fits, or undefined when the log has nothing to learn from (E_EMPTY), which the property then skips. */
function tryFit(data: Interactions, options: RepeatPurchaseOptions): RepeatPurchaseModel | undefined {
  try {
    return fitRepeatPurchases(data, options);
  } catch (error) {
    if (error instanceof NextbestError && error.code === "E_EMPTY") return undefined;
    throw error;
  }
}

describe("fitRepeatPurchases: properties", () => {
  it("scores are finite probabilities for own products, and with fill none NaN exactly for the others", () => {
    fc.assert(
      fc.property(rowsArbitrary, optionsArbitrary, (r, options) => {
        const data = createInteractions(r);
        const model = tryFit(data, { ...options, fill: "none" });
        fc.pre(model !== undefined);
        allScores(model!).forEach((row, u) => {
          const bought = new Set(r.filter((x) => x.user === data.users.ids[u]).map((x) => data.items.lookup.get(x.item)));
          row.forEach((v, i) => {
            expect(Number.isNaN(v)).toBe(!bought.has(i));
            if (bought.has(i)) expect(v > 0 && v < 1).toBe(true);
          });
        });
        const filled = fitRepeatPurchases(data, { ...options, fill: "popularity" });
        for (const row of allScores(filled)) expect(row.every((v) => Number.isFinite(v))).toBe(true);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it("round-trips through JSON to identical scores, is deterministic and leaves its input alone", () => {
    fc.assert(
      fc.property(rowsArbitrary, optionsArbitrary, (r, options) => {
        const data = createInteractions(r);
        const snapshot = (): string =>
          JSON.stringify([Array.from(data.byUser.values), Array.from(data.timestamps!), Array.from(data.events!.timestamps), Array.from(data.events!.indptr)]);
        const before = snapshot();
        const model = tryFit(data, options);
        fc.pre(model !== undefined);
        expect(allScores(roundTrip(model!))).toEqual(allScores(model!));
        expect(allScores(fitRepeatPurchases(data, options))).toEqual(allScores(model!));
        expect(snapshot()).toBe(before);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it("an own cycle is the median of the gaps between the pair's distinct purchase days", () => {
    fc.assert(
      fc.property(rowsArbitrary, (r) => {
        const data = createInteractions(r);
        const model = tryFit(data, { horizonDays: 20 });
        fc.pre(model !== undefined);
        model!.users.ids.forEach((user, u) => {
          for (let k = model!.seenIndptr[u]!; k < model!.seenIndptr[u + 1]!; k++) {
            const item = model!.items.ids[model!.seenIndices[k]!];
            const days = [...new Set(r.filter((x) => x.user === user && x.item === item).map((x) => x.timestamp! / DAY))].sort((a, b) => a - b);
            const gaps = days.slice(1).map((d, j) => d - days[j]!).sort((a, b) => a - b);
            const n = gaps.length;
            const median = n < 2 ? Number.NaN : n % 2 === 1 ? gaps[(n - 1) / 2]! : (gaps[n / 2 - 1]! + gaps[n / 2]!) / 2;
            expect(model!.ownCycleDays[k]).toBe(median);
            expect(model!.purchases[k]).toBe(days.length);
          }
        });
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it("cycles are medians of positive gaps, at most the span of the data", () => {
    fc.assert(
      fc.property(rowsArbitrary, (r) => {
        const model = tryFit(createInteractions(r), { horizonDays: 20 });
        fc.pre(model !== undefined);
        for (const cycle of [...model!.ownCycleDays, ...model!.productCycleDays]) {
          if (!Number.isNaN(cycle)) expect(cycle > 0 && cycle <= 100).toBe(true);
        }
        model!.purchases.forEach((n, k) => expect(Number.isNaN(model!.ownCycleDays[k]!)).toBe(n < 3));
      }),
      { seed: 42, numRuns: 60 },
    );
  });
});
