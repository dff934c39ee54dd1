import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createInteractions } from "../../src/data/index.ts";
import { fitIntentModel, intentFromJSON, intentRecommender, intentToJSON, type IntentSignal } from "../../src/content/index.ts";
import { recommend, scoreItems } from "../../src/recommend/index.ts";
import { expectError, itemIdsOf } from "../helpers.ts";

const DAY = 86_400_000;
const catalog = { ids: ["firewall", "vpn", "dashboards", "crm"], topics: [["security"], ["security", "network"], ["analytics"], []] };

describe("fitIntentModel by hand", () => {
  it("decays each signal by 2^(−age / half-life) at asOf and ignores later signals and unknown topics", () => {
    const model = fitIntentModel(
      [
        { account: "acme", topic: "security", score: 40, timestamp: 100 * DAY }, // age 0 → 40
        { account: "acme", topic: "security", score: 40, timestamp: 80 * DAY }, // age 20 d, half-life 10 d → 10
        { account: "acme", topic: "analytics", score: 90, timestamp: 110 * DAY }, // after asOf → ignored
        { account: "acme", topic: "gardening", score: 99, timestamp: 100 * DAY }, // no product has it → ignored
        { account: "globex", topic: "network", score: 8, timestamp: 90 * DAY }, // age 10 d → 4
      ],
      catalog,
      { halfLifeDays: 10, asOf: 100 * DAY, timeUnit: "milliseconds" },
    );
    expect(model.topics.ids).toEqual(["security", "network", "analytics"]);
    expect(model.users.ids).toEqual(["acme", "globex"]);
    expect(Array.from(model.intent)).toEqual([50, 0, 0, 0, 4, 0]);
    // firewall: security; vpn: mean of security and network; dashboards: analytics; crm: no topic
    expect(Array.from(scoreItems(intentRecommender(model), "acme").scores)).toEqual([50, 25, 0, 0]);
    expect(Array.from(scoreItems(intentRecommender(model), "globex").scores)).toEqual([0, 2, 0, 0]);
    expect(model.asOf).toBe(100 * DAY);
  });

  it("defaults: 30-day half-life in seconds, asOf = the latest signal", () => {
    const model = fitIntentModel(
      [
        { account: "a", topic: "analytics", score: 8, timestamp: 0 },
        { account: "a", topic: "analytics", score: 8, timestamp: 60 * 86_400 },
      ],
      catalog,
    );
    expect(model.asOf).toBe(60 * 86_400);
    expect(model.halfLifeDays).toBe(30);
    expect(model.intent[2]).toBeCloseTo(8 + 2, 12);
  });

  it("purchases make accounts known and their products seen", () => {
    const purchases = createInteractions([
      { user: "initech", item: "firewall" },
      { user: "acme", item: "firewall" },
      { user: "acme", item: "not-in-catalog" },
    ]);
    const model = fitIntentModel([{ account: "acme", topic: "security", score: 10, timestamp: 0 }], catalog, { purchases });
    expect(model.users.ids).toEqual(["acme", "initech"]);
    const intent = intentRecommender(model);
    expect(itemIdsOf(recommend(intent, "acme", { k: 4 }))).toEqual(["vpn", "dashboards", "crm"]);
    expect(Array.from(intent.seenItems(1))).toEqual([0]);
    expect(Array.from(scoreItems(intent, "initech").scores)).toEqual([0, 0, 0, 0]);
    expect(intent.fallback).toBeUndefined();
  });

  it("rejects malformed signals, catalogs and options, naming the row", () => {
    const ok: IntentSignal = { account: "a", topic: "security", score: 1, timestamp: 0 };
    expectError(() => fitIntentModel([ok, { ...ok, score: -1 }], catalog), "E_BAD_INPUT", "signals[1].score must be a finite number >= 0, got -1");
    expectError(() => fitIntentModel([{ ...ok, score: Number.NaN }], catalog), "E_NON_FINITE", "signals[0].score");
    expectError(() => fitIntentModel([{ ...ok, timestamp: Number.POSITIVE_INFINITY }], catalog), "E_NON_FINITE", "signals[0].timestamp");
    expectError(() => fitIntentModel([{ ...ok, topic: "" }], catalog), "E_BAD_INPUT", "signals[0].topic");
    expectError(() => fitIntentModel([{ ...ok, account: undefined as never }], catalog), "E_BAD_INPUT", "signals[0].account");
    expectError(() => fitIntentModel([null as never], catalog), "E_BAD_INPUT", "signals[0] must be an object");
    expectError(() => fitIntentModel({} as never, catalog), "E_BAD_INPUT", "signals must be an array");
    expectError(() => fitIntentModel([ok], { ids: [], topics: [] }), "E_EMPTY");
    expectError(() => fitIntentModel([ok], { ids: ["p", "p"], topics: [[], []] }), "E_DUPLICATE");
    expectError(() => fitIntentModel([ok], { ids: ["p"], topics: [] }), "E_SHAPE", "catalog.topics must have one entry per id (1), got 0");
    expectError(() => fitIntentModel([ok], { ids: ["p"], topics: [[""]] }), "E_BAD_INPUT", "catalog.topics[0][0]");
    expectError(() => fitIntentModel([ok], catalog, { halfLifeDays: 0 }), "E_BAD_INPUT", "options.halfLifeDays");
    expectError(() => fitIntentModel([ok], catalog, { asOf: Number.NaN }), "E_BAD_INPUT", "options.asOf");
    expectError(() => fitIntentModel([ok], catalog, { timeUnit: "days" as never }), "E_BAD_INPUT", "options.timeUnit");
    expectError(() => fitIntentModel([ok], catalog, { purchases: {} as never }), "E_BAD_INPUT", "options.purchases");
  });

  it("accepts any string as an account id", () => {
    const model = fitIntentModel(
      [
        { account: "__proto__", topic: "security", score: 1, timestamp: 0 },
        { account: "constructor", topic: "analytics", score: 2, timestamp: 0 },
      ],
      catalog,
    );
    expect(itemIdsOf(recommend(intentRecommender(model), "constructor", { k: 1 }))).toEqual(["dashboards"]);
  });
});

describe("intent model JSON", () => {
  const signalArb = fc.record({
    account: fc.constantFrom("a", "b", "__proto__", ""),
    topic: fc.constantFrom("security", "network", "analytics", "other"),
    score: fc.double({ min: 0, max: 100, noNaN: true }),
    timestamp: fc.integer({ min: 0, max: 10_000_000 }),
  });
  it("round-trips through JSON to the same scores (half-life finite or Infinity)", () => {
    fc.assert(
      fc.property(fc.array(signalArb, { maxLength: 30 }), fc.constantFrom(1, 30, Number.POSITIVE_INFINITY), (signals, halfLifeDays) => {
        const model = fitIntentModel(signals, catalog, { halfLifeDays });
        const copy = intentFromJSON(JSON.parse(JSON.stringify(intentToJSON(model))));
        expect(copy).toEqual(model);
        for (const id of model.users.ids) {
          expect(scoreItems(intentRecommender(copy), id).scores).toEqual(scoreItems(intentRecommender(model), id).scores);
        }
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("scores are never negative and never exceed the account's total intent", () => {
    fc.assert(
      fc.property(fc.array(signalArb, { minLength: 1, maxLength: 30 }), (signals) => {
        const model = fitIntentModel(signals, catalog, { halfLifeDays: 7 });
        const t = model.topics.ids.length;
        model.users.ids.forEach((id, u) => {
          let total = 0;
          for (let j = 0; j < t; j++) total += model.intent[u * t + j]!;
          for (const s of scoreItems(intentRecommender(model), id).scores) {
            expect(s).toBeGreaterThanOrEqual(0);
            expect(s).toBeLessThanOrEqual(total * (1 + 1e-12));
          }
        });
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("rejects malformed JSON naming the field", () => {
    const json = intentToJSON(fitIntentModel([{ account: "a", topic: "security", score: 1, timestamp: 0 }], catalog));
    expectError(() => intentFromJSON({ ...json, kind: "content" }), "E_BAD_MODEL", "json.kind");
    expectError(() => intentFromJSON({ ...json, itemTopics: [1] }), "E_BAD_MODEL", "json.itemTopics");
    expectError(() => intentFromJSON({ ...json, asOf: "x" }), "E_BAD_MODEL", "json.asOf");
    expectError(() => intentFromJSON({ ...json, halfLifeDays: -1 }), "E_BAD_MODEL", "json.halfLifeDays");
    expectError(() => intentRecommender({ ...fitIntentModel([], catalog), version: 2 } as never), "E_BAD_MODEL", "model.version must be 1");
  });
});
