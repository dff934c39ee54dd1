import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createInteractions, type InteractionRow, type Interactions } from "../../src/data/index.ts";
import { recommend, scoreItems } from "../../src/recommend/index.ts";
import {
  buyAgainFromJSON,
  buyAgainRecommender,
  buyAgainToJSON,
  fitBuyAgain,
  type BuyAgainModel,
  type BuyAgainOptions,
} from "../../src/repeat/index.ts";
import { expectError, itemIdsOf } from "../helpers.ts";

const DAY = 86_400;
const roundTrip = (model: BuyAgainModel): BuyAgainModel => buyAgainFromJSON(JSON.parse(JSON.stringify(buyAgainToJSON(model))));

/** Every score of every known account, as plain arrays (NaN kept). */
function allScores(model: BuyAgainModel): number[][] {
  const recommender = buyAgainRecommender(model);
  return model.users.ids.map((user) => Array.from(scoreItems(recommender, user).scores));
}

/** Element-wise closeness to 12 decimals. */
function expectClose(actual: ArrayLike<number>, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, k) => expect(actual[k]).toBeCloseTo(v, 12));
}

/** The dataset without its events: one event per stored pair, as a hand-built dataset would have. */
function withoutEvents(data: Interactions): Interactions {
  const { events: _events, ...rest } = data;
  return rest;
}

// acme: gloves on days 0, 30 and 60 (asOf = day 90, the latest purchase), masks on day 90;
// bolt: masks on day 60, tape on day 90; cray: tape on day 30, bins on day 75.
const rows: InteractionRow[] = [
  { user: "acme", item: "gloves", timestamp: 0 },
  { user: "acme", item: "gloves", timestamp: 30 * DAY },
  { user: "acme", item: "gloves", timestamp: 60 * DAY },
  { user: "acme", item: "masks", timestamp: 90 * DAY },
  { user: "bolt", item: "masks", timestamp: 60 * DAY },
  { user: "bolt", item: "tape", timestamp: 90 * DAY },
  { user: "cray", item: "tape", timestamp: 30 * DAY },
  { user: "cray", item: "bins", timestamp: 75 * DAY },
];
const data = createInteractions(rows);

describe("fitBuyAgain: decayed counts", () => {
  it("weighs each purchase 0.5^(age / half-life), ages to the latest purchase", () => {
    const model = fitBuyAgain(data, { halfLifeDays: 30 });
    expect(model.asOf).toBe(90 * DAY);
    // gloves: ages 90, 60, 30 days -> 1/8 + 1/4 + 1/2; masks (age 0) 1; bolt masks 1/2, tape 1; cray tape 1/4, bins 2^(-1/2).
    expectClose(model.decayedCounts, [0.875, 1, 0.5, 1, 0.25, 2 ** -0.5]);
    expect(Array.from(model.buyers)).toEqual([1, 2, 2, 1]);
    expect(model.fill).toBe("popularity");
    expect(model.halfLifeDays).toBe(30);
  });

  it("counts every purchase 1 with an infinite half-life", () => {
    expect(Array.from(fitBuyAgain(data, { halfLifeDays: Infinity }).decayedCounts)).toEqual([3, 1, 1, 1, 1, 1]);
  });

  it("defaults to a 180-day half-life", () => {
    const model = fitBuyAgain(data);
    expect(model.halfLifeDays).toBe(180);
    expect(model.decayedCounts[0]).toBeCloseTo(2 ** -0.5 + 2 ** (-1 / 3) + 2 ** (-1 / 6), 12);
  });

  it("ignores purchases after asOf, and products bought only after it are not the account's own yet", () => {
    const model = fitBuyAgain(data, { halfLifeDays: 30, asOf: 60 * DAY });
    // acme: gloves at ages 60, 30, 0; masks (day 90) not yet; bolt: masks (age 0); cray: tape (age 30).
    expect(Array.from(model.seenIndptr)).toEqual([0, 1, 2, 3]);
    expect(Array.from(model.seenIndices)).toEqual([0, 1, 2]);
    expect(Array.from(model.decayedCounts)).toEqual([1.75, 1, 0.5]);
    expect(Array.from(model.buyers)).toEqual([1, 1, 1, 0]);
  });

  it("reads time in milliseconds with timeUnit", () => {
    const ms = createInteractions(rows.map((r) => ({ ...r, timestamp: r.timestamp! * 1000 })));
    const a = fitBuyAgain(ms, { halfLifeDays: 30, timeUnit: "milliseconds" });
    expect(Array.from(a.decayedCounts)).toEqual(Array.from(fitBuyAgain(data, { halfLifeDays: 30 }).decayedCounts));
  });

  it("counts every event of a pair, not only the merged pair", () => {
    // Three invoice lines of one product: three purchases.
    const lines = createInteractions([
      { user: "acme", item: "gloves", timestamp: 10 },
      { user: "acme", item: "gloves", timestamp: 10 },
      { user: "acme", item: "gloves", timestamp: 20 },
    ]);
    expect(Array.from(fitBuyAgain(lines, { halfLifeDays: Infinity }).decayedCounts)).toEqual([3]);
  });

  it("falls back to the stored pairs (one purchase each, at the pair's latest timestamp) without events", () => {
    const model = fitBuyAgain(withoutEvents(data), { halfLifeDays: 30 });
    // gloves merged to one pair at day 60: age 30 -> 0.5.
    expectClose(model.decayedCounts, [0.5, 1, 0.5, 1, 0.25, 2 ** -0.5]);
  });
});

describe("buyAgainRecommender", () => {
  it("ranks own products by decayed count, then the rest by popularity below them", () => {
    const model = buyAgainRecommender(fitBuyAgain(data, { halfLifeDays: 30 }));
    // acme: masks 1 > gloves 0.875, then tape (2 buyers) before bins (1 buyer).
    expect(itemIdsOf(recommend(model, "acme", { excludeSeen: false, k: 4 }))).toEqual(["masks", "gloves", "tape", "bins"]);
    const scores = scoreItems(model, "acme").scores;
    expect(Array.from(scores)).toEqual([0.875, 1, -1 / 3, -1 / 2]);
    // The default excludeSeen leaves only products the account never bought.
    expect(itemIdsOf(recommend(model, "acme"))).toEqual(["tape", "bins"]);
  });

  it("keeps every own product above every fill, even one whose weight underflowed to 0", () => {
    const old = createInteractions([
      { user: "acme", item: "gloves", timestamp: 0 },
      { user: "acme", item: "masks", timestamp: 5000 * DAY },
      { user: "bolt", item: "tape", timestamp: 5000 * DAY },
    ]);
    const model = buyAgainRecommender(fitBuyAgain(old, { halfLifeDays: 1 }));
    expect(scoreItems(model, "acme").scores[0]).toBe(0);
    expect(itemIdsOf(recommend(model, "acme", { excludeSeen: false }))).toEqual(["masks", "gloves", "tape"]);
  });

  it("gives NaN to products the account never bought with fill none, and no fallback", () => {
    const model = buyAgainRecommender(fitBuyAgain(data, { halfLifeDays: 30, fill: "none" }));
    expect(Array.from(scoreItems(model, "acme").scores)).toEqual([0.875, 1, Number.NaN, Number.NaN]);
    expect(model.fallback).toBeUndefined();
    expect(recommend(model, "hooli")).toEqual({ user: "hooli", items: [], fallback: { reason: "unknown-user", source: null }, excludedSeen: 0 });
  });

  it("gives unknown accounts the popularity fill", () => {
    const result = recommend(buyAgainRecommender(fitBuyAgain(data)), "hooli");
    expect(result.fallback).toEqual({ reason: "unknown-user", source: "popularity" });
    expect(result.items.map((r) => r.item)).toEqual(["masks", "tape", "gloves", "bins"]);
  });

  it("works with ids that are Object.prototype names", () => {
    const odd = createInteractions([
      { user: "__proto__", item: "constructor", timestamp: 1 },
      { user: "constructor", item: "__proto__", timestamp: 2 },
    ]);
    const model = buyAgainRecommender(fitBuyAgain(odd));
    expect(itemIdsOf(recommend(model, "__proto__", { excludeSeen: false }))).toEqual(["constructor", "__proto__"]);
  });

  it("rejects a model that is not a buy-again model", () => {
    const model = fitBuyAgain(data);
    expectError(() => buyAgainRecommender({ ...model, kind: "popularity" } as unknown as BuyAgainModel), "E_BAD_MODEL", "buyAgainRecommender: model must be a buy-again model");
    expectError(() => buyAgainRecommender({ ...model, decayedCounts: new Float64Array(1) }), "E_BAD_MODEL", "model.decayedCounts must be a Float64Array of length 6");
    expectError(() => buyAgainRecommender({ ...model, buyers: [1, 2, 2, 1] as unknown as Float64Array }), "E_BAD_MODEL", "model.buyers must be a Float64Array of length 4");
    const recommender = buyAgainRecommender(model);
    expectError(() => recommender.scoreUser(3, new Float64Array(4)), "E_BAD_INPUT", "buyAgainRecommender.scoreUser: user must be a user index in [0, 3)");
    expectError(() => recommender.scoreUser(0, new Float64Array(3)), "E_SHAPE");
  });
});

describe("fitBuyAgain: errors", () => {
  it("needs timestamps", () => {
    const untimed = createInteractions([{ user: "acme", item: "gloves" }]);
    expectError(
      () => fitBuyAgain(untimed),
      "E_BAD_INPUT",
      "fitBuyAgain: interactions must have timestamps (repeat purchases are measured in time), got a dataset without them",
    );
  });

  it("rejects bad options naming the option", () => {
    const cases: [unknown, string][] = [
      [null, "fitBuyAgain: options must be an object, got null"],
      [{ halfLifeDays: 0 }, "fitBuyAgain: options.halfLifeDays must be a number of days > 0 (Infinity: no decay), got 0"],
      [{ halfLifeDays: -3 }, "options.halfLifeDays must be a number of days > 0"],
      [{ halfLifeDays: Number.NaN }, "options.halfLifeDays must be a number of days > 0"],
      [{ halfLifeDays: "30" }, "options.halfLifeDays must be a number of days > 0"],
      [{ fill: "zero" }, 'fitBuyAgain: options.fill must be one of "popularity", "none", got "zero"'],
      [{ timeUnit: "days" }, "options.timeUnit must be one of"],
      [{ asOf: Number.NaN }, "fitBuyAgain: options.asOf must be a finite timestamp, got NaN"],
      [{ asOf: "2010-01-01" }, "options.asOf must be a finite timestamp"],
    ];
    for (const [options, message] of cases) expectError(() => fitBuyAgain(data, options as BuyAgainOptions), "E_BAD_INPUT", message);
  });

  it("rejects what is not an Interactions object", () => {
    expectError(() => fitBuyAgain({} as Interactions), "E_BAD_INPUT", "fitBuyAgain: interactions must be an Interactions dataset");
  });
});

describe("buyAgainToJSON / buyAgainFromJSON", () => {
  it("round-trips to identical scores, an infinite half-life as null", () => {
    for (const options of [{ halfLifeDays: 30 }, { halfLifeDays: Infinity, fill: "none" as const }]) {
      const model = fitBuyAgain(data, options);
      const copy = roundTrip(model);
      expect(copy.halfLifeDays).toBe(model.halfLifeDays);
      expect(allScores(copy)).toEqual(allScores(model));
      expect(Object.isFrozen(copy)).toBe(true);
    }
    expect(buyAgainToJSON(fitBuyAgain(data, { halfLifeDays: Infinity })).halfLifeDays).toBeNull();
  });

  it("rejects malformed JSON naming the field", () => {
    const json = buyAgainToJSON(fitBuyAgain(data));
    const cases: [unknown, string][] = [
      [null, "buyAgainFromJSON: json must be an object (a parsed model), got null"],
      [{ ...json, kind: "popularity" }, 'buyAgainFromJSON: json.kind must be "buy-again", got "popularity"'],
      [{ ...json, version: 2 }, "buyAgainFromJSON: json.version must be 1 (the versions this release reads), got 2"],
      [{ ...json, halfLifeDays: 0 }, "buyAgainFromJSON: json.halfLifeDays must be a number > 0, or null (no decay), got 0"],
      [{ ...json, asOf: "x" }, 'buyAgainFromJSON: json.asOf must be a finite number, got "x"'],
      [{ ...json, timeUnit: "days" }, 'json.timeUnit must be "seconds" or "milliseconds"'],
      [{ ...json, fill: "zero" }, 'json.fill must be "popularity" or "none"'],
      [{ ...json, decayedCounts: [1, 2] }, "buyAgainFromJSON: json.decayedCounts must have length 6 (one per bought pair), got length 2"],
      [{ ...json, decayedCounts: [1, 1, 1, 1, 1, -1] }, "buyAgainFromJSON: json.decayedCounts[5] must be a finite number >= 0, got -1"],
      [{ ...json, decayedCounts: [1, 1, 1, 1, 1, null] }, "json.decayedCounts[5] must be a finite number"],
      [{ ...json, buyers: [1, 2, 2] }, "json.buyers must have length 4 (one per item)"],
      [{ ...json, seenIndices: [1, 0, 1, 2, 2, 3] }, "json.seenIndices[1] must be greater than"],
      [{ ...json, users: { ids: ["a", "a", "b"] } }, "buyAgainFromJSON: json.users"],
    ];
    for (const [bad, message] of cases) expectError(() => buyAgainFromJSON(bad), "E_BAD_MODEL", message);
  });
});

// Random purchase logs: small id sets (including Object.prototype names) and days 0..60.
const rowsArbitrary: fc.Arbitrary<InteractionRow[]> = fc.array(
  fc.record({
    user: fc.constantFrom("acme", "bolt", "__proto__", "constructor", "0"),
    item: fc.constantFrom("gloves", "masks", "toString", "tape", "bins"),
    timestamp: fc.integer({ min: 0, max: 60 }).map((d) => d * DAY),
  }),
  { minLength: 1, maxLength: 40 },
);
const optionsArbitrary: fc.Arbitrary<BuyAgainOptions> = fc.record({
  halfLifeDays: fc.constantFrom(1, 7, 30, Infinity),
  fill: fc.constantFrom<"popularity" | "none">("popularity", "none"),
});

describe("fitBuyAgain: properties", () => {
  it("scores are finite with the popularity fill, and own products outrank every other", () => {
    fc.assert(
      fc.property(rowsArbitrary, (r) => {
        const model = fitBuyAgain(createInteractions(r));
        const scores = allScores(model);
        for (let u = 0; u < scores.length; u++) {
          const own = new Set(Array.from(model.seenIndices.subarray(model.seenIndptr[u], model.seenIndptr[u + 1])));
          const row = scores[u]!;
          expect(row.every((v) => Number.isFinite(v))).toBe(true);
          const lowestOwn = Math.min(...row.filter((_, i) => own.has(i)));
          const highestOther = Math.max(...row.filter((_, i) => !own.has(i)), -Infinity);
          expect(lowestOwn).toBeGreaterThan(highestOther);
        }
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("with fill none, a score is NaN exactly for the products the account never bought", () => {
    fc.assert(
      fc.property(rowsArbitrary, (r) => {
        const data = createInteractions(r);
        const model = fitBuyAgain(data, { fill: "none" });
        allScores(model).forEach((row, u) => {
          const bought = new Set(r.filter((x) => x.user === data.users.ids[u]).map((x) => data.items.lookup.get(x.item)));
          row.forEach((v, i) => expect(Number.isNaN(v)).toBe(!bought.has(i)));
        });
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("round-trips through JSON to identical scores, is deterministic and leaves its input alone", () => {
    fc.assert(
      fc.property(rowsArbitrary, optionsArbitrary, (r, options) => {
        const data = createInteractions(r);
        const before = JSON.stringify([Array.from(data.byUser.values), Array.from(data.timestamps!), Array.from(data.events!.timestamps)]);
        const model = fitBuyAgain(data, options);
        expect(allScores(roundTrip(model))).toEqual(allScores(model));
        expect(allScores(fitBuyAgain(data, options))).toEqual(allScores(model));
        expect(JSON.stringify([Array.from(data.byUser.values), Array.from(data.timestamps!), Array.from(data.events!.timestamps)])).toBe(before);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("a decayed count never exceeds the purchase count, and equals it without decay", () => {
    fc.assert(
      fc.property(rowsArbitrary, (r) => {
        const data = createInteractions(r);
        const decayed = fitBuyAgain(data, { halfLifeDays: 7 }).decayedCounts;
        const counts = fitBuyAgain(data, { halfLifeDays: Infinity }).decayedCounts;
        expect(counts.reduce((a, b) => a + b, 0)).toBe(r.length);
        decayed.forEach((v, k) => expect(v).toBeLessThanOrEqual(counts[k]! + 1e-12));
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
