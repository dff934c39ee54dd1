import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NextbestError } from "../../src/core/errors.ts";
import type { Id } from "../../src/core/id-index.ts";
import { createInteractions, type InteractionRow, type Interactions } from "../../src/data/index.ts";
import { fitRandom, randomFromJSON, randomRecommender, randomToJSON, type RandomModel, type RandomOptions } from "../../src/baselines/index.ts";
import { recommend, recommendMany, scoreItems } from "../../src/recommend/index.ts";
import { expectError, itemIdsOf } from "../helpers.ts";


const roundTrip = (model: RandomModel): RandomModel => randomFromJSON(JSON.parse(JSON.stringify(randomToJSON(model))));

// 40 items, 6 users; user u has seen items u, u+1 (mod 40).
const catalog = Array.from({ length: 40 }, (_, i) => `sku-${i}`);
const rows: InteractionRow[] = [];
for (let u = 0; u < 6; u++) {
  rows.push({ user: `account-${u}`, item: catalog[u]! }, { user: `account-${u}`, item: catalog[(u + 1) % 40]! });
}
for (const item of catalog) rows.push({ user: "account-0", item }); // every item appears; account-0 has seen all
const data = createInteractions(rows);
const others: Id[] = ["account-1", "account-2", "account-3", "account-4", "account-5"];

describe("docs examples", () => {
  it("fitRandom", () => {
    const d = createInteractions([
      { user: "acme", item: "crm" },
      { user: "globex", item: "erp" },
      { user: "globex", item: "bi" },
    ]);
    const a = recommend(randomRecommender(fitRandom(d, { seed: 7 })), "acme");
    const b = recommend(randomRecommender(fitRandom(d, { seed: 7 })), "acme");
    expect(a.items.map((r) => r.item).sort()).toEqual(["bi", "erp"]);
    expect(JSON.stringify(a) === JSON.stringify(b)).toBe(true);
  });

  it("randomRecommender", () => {
    const d = createInteractions([
      { user: "acme", item: "crm" },
      { user: "acme", item: "erp" },
    ]);
    const shuffled = randomRecommender(fitRandom(d, { seed: "2024-q3" }));
    expect(recommend(shuffled, "acme").items).toEqual([]);
    expect(recommend(shuffled, "hooli").items.length).toBe(2);
    expect(recommend(shuffled, "hooli").fallback).toEqual({ reason: "unknown-user", source: "random" });
  });

  it("randomToJSON / randomFromJSON", () => {
    const model = fitRandom(createInteractions([{ user: "acme", item: "crm" }]), { seed: 3 });
    expect(JSON.stringify(randomToJSON(model))).toBe(
      '{"kind":"random","version":1,"seed":3,"users":{"ids":["acme"]},"items":{"ids":["crm"]},"seenIndptr":[0,1],"seenIndices":[0]}',
    );
    expect(roundTrip(model).seed).toBe(3);
  });
});

describe("random recommender", () => {
  it("the same seed gives the same lists", () => {
    const a = recommendMany(randomRecommender(fitRandom(data, { seed: 11 })), [...others, "stranger"]);
    const b = recommendMany(randomRecommender(fitRandom(data, { seed: 11 })), [...others, "stranger"]);
    expect(a).toEqual(b);
  });

  it("different seeds give different lists", () => {
    const a = recommend(randomRecommender(fitRandom(data, { seed: 11 })), "account-1");
    const b = recommend(randomRecommender(fitRandom(data, { seed: 12 })), "account-1");
    const c = recommend(randomRecommender(fitRandom(data, { seed: "11" })), "account-1");
    expect(itemIdsOf(a)).not.toEqual(itemIdsOf(b));
    expect(itemIdsOf(a)).not.toEqual(itemIdsOf(c));
  });

  it("different users get different lists", () => {
    const r = randomRecommender(fitRandom(data, { seed: 5 }));
    const lists = recommendMany(r, others, { excludeSeen: false }).map((x) => JSON.stringify(itemIdsOf(x)));
    expect(new Set(lists).size).toBe(others.length);
  });

  it("scores are uniform numbers in [0, 1) with no ties in practice", () => {
    const r = randomRecommender(fitRandom(data, { seed: 5 }));
    const scores = scoreItems(r, "account-3").scores;
    expect(scores.every((s) => s >= 0 && s < 1)).toBe(true);
    expect(new Set(scores).size).toBe(40);
  });

  it("excludes seen items by default", () => {
    const r = randomRecommender(fitRandom(data, { seed: 5 }));
    const result = recommend(r, "account-2", { k: 100 });
    expect(result.items).toHaveLength(38);
    expect(itemIdsOf(result)).not.toContain("sku-2");
    expect(itemIdsOf(result)).not.toContain("sku-3");
    expect(recommend(r, "account-0").items).toEqual([]);
  });

  it("unknown users get seeded random scores from their id, marked as fallback source random", () => {
    const r = randomRecommender(fitRandom(data, { seed: 5 }));
    const first = recommend(r, "stranger");
    expect(first.fallback).toEqual({ reason: "unknown-user", source: "random" });
    expect(first.items).toHaveLength(10);
    expect(recommend(r, "stranger")).toEqual(first);
    expect(itemIdsOf(recommend(r, "other-stranger"))).not.toEqual(itemIdsOf(first));
    expectError(() => recommend(r, "stranger", { strict: true }), "E_UNKNOWN_ID", /"stranger"/);
  });

  it("a user's scores depend only on the seed and the user's id, not on the user's index or the other users", () => {
    const full = randomRecommender(fitRandom(data, { seed: 9 }));
    const smaller = createInteractions(rows.filter((row) => row.user !== "account-1"), { items: data.items });
    const partial = randomRecommender(fitRandom(smaller, { seed: 9 }));
    // account-1 is known to `full` and unknown to `partial`: the same scores either way.
    expect(scoreItems(partial, "account-1").fallback?.source).toBe("random");
    expect(scoreItems(partial, "account-1").scores).toEqual(scoreItems(full, "account-1").scores);
    expect(scoreItems(partial, "account-4").scores).toEqual(scoreItems(full, "account-4").scores);
  });

  it("distinguishes the ids 1 and \"1\"", () => {
    const d = createInteractions([{ user: 1, item: "x" }, { user: "1", item: "y" }, { user: 2, item: "z" }]);
    const r = randomRecommender(fitRandom(d, { seed: 0 }));
    expect(scoreItems(r, 1).scores).not.toEqual(scoreItems(r, "1").scores);
  });

  it("validates its input", () => {
    expectError(() => fitRandom(data, {} as RandomOptions), "E_BAD_INPUT", /options\.seed/);
    expectError(() => fitRandom(data, undefined as unknown as RandomOptions), "E_BAD_INPUT", /options\.seed/);
    expectError(() => fitRandom(data, { seed: Number.NaN }), "E_BAD_INPUT", /options\.seed/);
    expectError(() => fitRandom(null as unknown as Interactions, { seed: 1 }), "E_BAD_INPUT", /interactions/);
    expectError(() => randomRecommender({ kind: "popularity" } as unknown as RandomModel), "E_BAD_MODEL", /random model/);
    const r = randomRecommender(fitRandom(data, { seed: 1 }));
    expectError(() => r.scoreUser(0, new Float64Array(39)), "E_SHAPE");
    expectError(() => r.fallback!.scoreInto(Number.NaN, new Float64Array(40)), "E_NON_FINITE");
  });

  it("does not change the interactions", () => {
    const before = JSON.stringify([Array.from(data.byUser.indptr), Array.from(data.byUser.indices)]);
    const model = fitRandom(data, { seed: 1 });
    expect(JSON.stringify([Array.from(data.byUser.indptr), Array.from(data.byUser.indices)])).toBe(before);
    expect(model.seenIndices.buffer).not.toBe(data.byUser.indices.buffer);
  });
});

describe("random JSON", () => {
  const model = fitRandom(data, { seed: "q3-campaign" });
  const json = randomToJSON(model);

  it("round trip gives the same model and exactly the same recommendations", () => {
    const copy = roundTrip(model);
    expect(copy).toEqual(model);
    const users: Id[] = [...model.users.ids, "stranger", 42];
    expect(recommendMany(randomRecommender(copy), users)).toEqual(recommendMany(randomRecommender(model), users));
  });

  const cases: [string, unknown, RegExp][] = [
    ["wrong kind", { ...json, kind: "popularity" }, /json\.kind must be "random"/],
    ["future version", { ...json, version: 2 }, /json\.version must be 1/],
    ["string version", { ...json, version: "1" }, /json\.version/],
    ["missing seed", { ...json, seed: undefined }, /json\.seed must be a string or a finite number/],
    ["NaN seed", { ...json, seed: Number.NaN }, /json\.seed/],
    ["object seed", { ...json, seed: {} }, /json\.seed/],
    ["truncated seenIndptr", { ...json, seenIndptr: json.seenIndptr.slice(1) }, /json\.seenIndptr must have length 7/],
    ["truncated seenIndices", { ...json, seenIndices: json.seenIndices.slice(0, -1) }, /json\.seenIndptr\[6\]/],
    ["NaN in seenIndices", { ...json, seenIndices: [Number.NaN, ...json.seenIndices.slice(1)] }, /json\.seenIndices\[0\]/],
    ["users not an id index", { ...json, users: ["a"] }, /json\.users/],
    ["non-finite user id", { ...json, users: { ids: [1, 2, 3, 4, 5, Infinity] } }, /json\.users/],
  ];
  for (const [name, input, message] of cases) {
    it(`rejects malformed JSON: ${name}`, () => {
      expectError(() => randomFromJSON(input), "E_BAD_MODEL", message);
    });
  }
});

describe("random properties", () => {
  const rowsArbitrary: fc.Arbitrary<InteractionRow[]> = fc.array(
    fc.record({ user: fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: 0, max: 5 })), item: fc.string({ maxLength: 2 }) }),
    { minLength: 1, maxLength: 30 },
  );
  const seedArbitrary = fc.oneof(fc.integer(), fc.string({ maxLength: 6 }));

  it("same seed, same lists; lists are valid top-k of unseen items; round trip preserves them", () => {
    fc.assert(
      fc.property(rowsArbitrary, seedArbitrary, fc.integer({ min: 1, max: 6 }), (r, seed, k) => {
        const d = createInteractions(r);
        const model = fitRandom(d, { seed });
        const users: Id[] = [...model.users.ids, "zz-unknown"];
        const first = recommendMany(randomRecommender(model), users, { k });
        expect(recommendMany(randomRecommender(fitRandom(d, { seed })), users, { k })).toEqual(first);
        expect(recommendMany(randomRecommender(roundTrip(model)), users, { k })).toEqual(first);
        for (const result of first) {
          const own = new Set(r.filter((row) => row.user === result.user).map((row) => row.item));
          const list = itemIdsOf(result);
          expect(new Set(list).size).toBe(list.length);
          expect(list.some((item) => own.has(item))).toBe(false);
          expect(list.length).toBe(Math.min(k, model.items.ids.length - own.size));
          for (let i = 1; i < result.items.length; i++) expect(result.items[i]!.score).toBeLessThanOrEqual(result.items[i - 1]!.score);
        }
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
