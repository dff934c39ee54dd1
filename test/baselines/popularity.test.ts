import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NextbestError } from "../../src/core/errors.ts";
import { createIdIndex, type Id } from "../../src/core/id-index.ts";
import { csrFromTriplets, csrTranspose } from "../../src/linalg/csr.ts";
import { createInteractions, type InteractionRow, type Interactions } from "../../src/data/index.ts";
import {
  fitPopularity,
  popularityFromJSON,
  popularityRecommender,
  popularityToJSON,
  type PopularityModel,
  type PopularityOptions,
} from "../../src/baselines/index.ts";
import { recommend, recommendMany, scoreItems } from "../../src/recommend/index.ts";
import { expectError, itemIdsOf } from "../helpers.ts";


const roundTrip = (model: PopularityModel): PopularityModel => popularityFromJSON(JSON.parse(JSON.stringify(popularityToJSON(model))));

// Items in first-seen order: crm(0) erp(1) bi(2) hr(3) ads(4).
// Distinct users: crm 3 (acme, globex, initech), erp 2 (acme, globex), bi 2 (globex, initech), hr 1 (initech), ads 1 (umbrella).
// Rows (values summed per pair): crm: acme 1+1, globex 1, initech 1 -> 4; erp: acme 5, globex 1 -> 6; bi: 1 + 1 -> 2;
// hr: 1; ads: 10.
const rows: InteractionRow[] = [
  { user: "acme", item: "crm" },
  { user: "acme", item: "erp", value: 5 },
  { user: "globex", item: "crm" },
  { user: "globex", item: "erp" },
  { user: "globex", item: "bi" },
  { user: "initech", item: "crm" },
  { user: "initech", item: "bi" },
  { user: "initech", item: "hr" },
  { user: "umbrella", item: "ads", value: 10 },
  { user: "acme", item: "crm" },
];
const data = createInteractions(rows);

describe("docs examples", () => {
  it("fitPopularity", () => {
    const d = createInteractions([
      { user: "acme", item: "crm", value: 3 },
      { user: "acme", item: "erp", value: 1 },
      { user: "globex", item: "erp", value: 2 },
      { user: "initech", item: "erp", value: 1 },
    ]);
    expect(Array.from(fitPopularity(d).scores)).toEqual([1, 3]);
    expect(Array.from(fitPopularity(d, { measure: "value-sum" }).scores)).toEqual([3, 4]);
  });

  it("popularityRecommender", () => {
    const d = createInteractions([
      { user: "acme", item: "crm" },
      { user: "globex", item: "crm" },
      { user: "globex", item: "erp" },
    ]);
    const popular = popularityRecommender(fitPopularity(d));
    expect(recommend(popular, "acme").items).toEqual([{ item: "erp", score: 1, rank: 1 }]);
    expect(recommend(popular, "hooli").items.map((r) => r.item)).toEqual(["crm", "erp"]);
    expect(recommend(popular, "hooli").fallback).toEqual({ reason: "unknown-user", source: "popularity" });
  });

  it("popularityToJSON / popularityFromJSON", () => {
    const model = fitPopularity(createInteractions([{ user: "acme", item: "crm" }]));
    expect(JSON.stringify(popularityToJSON(model))).toBe(
      '{"kind":"popularity","version":1,"measure":"distinct-users","users":{"ids":["acme"]},"items":{"ids":["crm"]},"scores":[1],"seenIndptr":[0,1],"seenIndices":[0]}',
    );
    expect(Array.from(roundTrip(model).scores)).toEqual([1]);
    expectError(
      () => popularityFromJSON({ ...popularityToJSON(model), version: 2 }),
      "E_BAD_MODEL",
      /^popularityFromJSON: json\.version must be 1 \(the versions this release reads\), got 2$/,
    );
  });
});

describe("fitPopularity", () => {
  it("scores each item by its number of distinct users by default", () => {
    const model = fitPopularity(data);
    expect(model.kind).toBe("popularity");
    expect(model.version).toBe(1);
    expect(model.measure).toBe("distinct-users");
    expect(Array.from(model.scores)).toEqual([3, 2, 2, 1, 1]);
  });

  it("value-sum scores each item by the sum of its values (repeat rows counted through the sum policy)", () => {
    expect(Array.from(fitPopularity(data, { measure: "value-sum" }).scores)).toEqual([4, 6, 2, 1, 10]);
  });

  it("value-sum adds mixed magnitudes without losing the small ones (compensated)", () => {
    const d = createInteractions([
      { user: "a", item: "x", value: 1e16 },
      { user: "b", item: "x", value: 1 },
      { user: "c", item: "x", value: 1 },
      { user: "d", item: "x", value: -1e16 },
    ]);
    expect(fitPopularity(d, { measure: "value-sum" }).scores[0]).toBe(2);
  });

  it("stores each user's seen items ascending", () => {
    const model = fitPopularity(data);
    expect(Array.from(model.seenIndptr)).toEqual([0, 2, 5, 8, 9]);
    expect(Array.from(model.seenIndices)).toEqual([0, 1, 0, 1, 2, 0, 2, 3, 4]);
  });

  it("does not change the interactions and shares no typed array with them", () => {
    const snapshot = JSON.stringify([Array.from(data.byUser.indptr), Array.from(data.byUser.indices), Array.from(data.byUser.values), Array.from(data.byItem.values)]);
    const model = fitPopularity(data, { measure: "value-sum" });
    expect(JSON.stringify([Array.from(data.byUser.indptr), Array.from(data.byUser.indices), Array.from(data.byUser.values), Array.from(data.byItem.values)])).toBe(snapshot);
    expect(model.seenIndptr.buffer).not.toBe(data.byUser.indptr.buffer);
    expect(model.seenIndices.buffer).not.toBe(data.byUser.indices.buffer);
    expect(Object.isFrozen(model)).toBe(true);
  });

  it("works on an Interactions built by hand from CSR parts", () => {
    const users = createIdIndex(["u0", "u1"]);
    const items = createIdIndex(["i0", "i1", "i2"]);
    const byUser = csrFromTriplets({ rows: 2, cols: 3, rowIndices: [0, 1, 1], colIndices: [2, 2, 0], values: [1, 1, 1] });
    const manual: Interactions = { users, items, byUser, byItem: csrTranspose(byUser), timestamps: undefined };
    expect(Array.from(fitPopularity(manual).scores)).toEqual([1, 0, 2]);
  });

  it("rejects bad input", () => {
    expectError(() => fitPopularity({} as Interactions), "E_BAD_INPUT", /fitPopularity: interactions must be an Interactions dataset/);
    expectError(() => fitPopularity(data, { measure: "count" } as unknown as PopularityOptions), "E_BAD_INPUT", /options\.measure/);
    expectError(() => fitPopularity({ ...data, byItem: data.byUser }), "E_SHAPE", /interactions\.byItem/);
    const users = createIdIndex([]);
    const items = createIdIndex([]);
    const empty = csrFromTriplets({ rows: 0, cols: 0, rowIndices: [], colIndices: [], values: [] });
    expectError(() => fitPopularity({ users, items, byUser: empty, byItem: empty, timestamps: undefined }), "E_EMPTY");
  });
});

describe("popularityRecommender", () => {
  const popular = popularityRecommender(fitPopularity(data));

  it("recommends the most popular unseen items, ties by item index", () => {
    // umbrella saw ads: crm 3, erp 2, bi 2 (erp before bi by index), hr 1.
    expect(recommend(popular, "umbrella").items).toEqual([
      { item: "crm", score: 3, rank: 1 },
      { item: "erp", score: 2, rank: 2 },
      { item: "bi", score: 2, rank: 3 },
      { item: "hr", score: 1, rank: 4 },
    ]);
    expect(itemIdsOf(recommend(popular, "acme"))).toEqual(["bi", "hr", "ads"]);
    expect(recommend(popular, "acme").excludedSeen).toBe(2);
  });

  it("includes seen items when excludeSeen is false", () => {
    expect(itemIdsOf(recommend(popular, "acme", { excludeSeen: false, k: 3 }))).toEqual(["crm", "erp", "bi"]);
  });

  it("respects allow and deny lists", () => {
    expect(itemIdsOf(recommend(popular, "umbrella", { allowItems: ["hr", "bi", "ads", "ghost"] }))).toEqual(["bi", "hr"]);
    expect(itemIdsOf(recommend(popular, "umbrella", { denyItems: ["crm", "ghost"], k: 2 }))).toEqual(["erp", "bi"]);
  });

  it("gives unknown users the popularity ranking, marked as fallback; strict throws", () => {
    const result = recommend(popular, "newco", { k: 3 });
    expect(itemIdsOf(result)).toEqual(["crm", "erp", "bi"]);
    expect(result.fallback).toEqual({ reason: "unknown-user", source: "popularity" });
    expectError(() => recommend(popular, "newco", { strict: true }), "E_UNKNOWN_ID", /"newco"/);
  });

  it("k larger than the catalog returns every unseen item", () => {
    expect(recommend(popular, "globex", { k: 100 }).items).toHaveLength(2);
  });

  it("scores every user the same and exposes seen items as a view", () => {
    expect(Array.from(scoreItems(popular, "acme").scores)).toEqual([3, 2, 2, 1, 1]);
    expect(Array.from(popular.seenItems(2))).toEqual([0, 2, 3]);
    expect(popular.name).toBe("popularity");
  });

  it("checks the model header and its direct calls' arguments", () => {
    expectError(() => popularityRecommender({ kind: "random" } as unknown as PopularityModel), "E_BAD_MODEL", /kind "random"/);
    const model = fitPopularity(data);
    expectError(() => popularityRecommender({ ...model, version: 2 } as unknown as PopularityModel), "E_BAD_MODEL", /model\.version/);
    expectError(() => popularityRecommender({ ...model, scores: new Float64Array(2) }), "E_BAD_MODEL", /model\.scores/);
    expectError(() => popular.scoreUser(0, new Float64Array(3)), "E_SHAPE");
    expectError(() => popular.scoreUser(9, new Float64Array(5)), "E_BAD_INPUT");
    expectError(() => popular.seenItems(-1), "E_BAD_INPUT");
  });
});

describe("popularity JSON", () => {
  const model = fitPopularity(data, { measure: "value-sum" });
  const json = popularityToJSON(model);

  it("round trip through JSON text gives the same model and the same recommendations", () => {
    const copy = roundTrip(model);
    expect(copy).toEqual(model);
    expect(copy.users.ids).toEqual(model.users.ids);
    const users: Id[] = [...model.users.ids, "stranger"];
    expect(recommendMany(popularityRecommender(copy), users, { k: 3 })).toEqual(recommendMany(popularityRecommender(model), users, { k: 3 }));
  });

  it("round trips ids such as __proto__, constructor, the empty string and numbers", () => {
    const odd = fitPopularity(
      createInteractions([
        { user: "__proto__", item: "constructor" },
        { user: "", item: 1 },
        { user: 2, item: "1" },
      ]),
    );
    const copy = roundTrip(odd);
    expect(copy.users.ids).toEqual(["__proto__", "", 2]);
    expect(copy.items.ids).toEqual(["constructor", 1, "1"]);
    expect(recommend(popularityRecommender(copy), "__proto__")).toEqual(recommend(popularityRecommender(odd), "__proto__"));
  });

  const cases: [string, unknown, string, RegExp][] = [
    ["not an object", "model", "E_BAD_MODEL", /json must be an object/],
    ["null", null, "E_BAD_MODEL", /json must be an object/],
    ["wrong kind", { ...json, kind: "random" }, "E_BAD_MODEL", /json\.kind must be "popularity", got "random"/],
    ["missing version", { ...json, version: undefined }, "E_BAD_MODEL", /json\.version/],
    ["unknown measure", { ...json, measure: "median" }, "E_BAD_MODEL", /json\.measure/],
    ["truncated scores", { ...json, scores: json.scores.slice(1) }, "E_BAD_MODEL", /json\.scores must have length 5 \(one per item\), got length 4/],
    ["NaN score", { ...json, scores: [1, Number.NaN, 1, 1, 1] }, "E_BAD_MODEL", /json\.scores\[1\] must be a finite number, got NaN/],
    ["null score (NaN after JSON.stringify)", JSON.parse(JSON.stringify({ ...json, scores: [1, 2, Number.NaN, 4, 5] })), "E_BAD_MODEL", /json\.scores\[2\].*null/],
    ["Infinity score", { ...json, scores: [1, 2, 3, 4, Infinity] }, "E_BAD_MODEL", /json\.scores\[4\]/],
    ["string score", { ...json, scores: [1, "2", 3, 4, 5] }, "E_BAD_MODEL", /json\.scores\[1\]/],
    ["duplicate item ids", { ...json, items: { ids: ["crm", "crm", "bi", "hr", "ads"] } }, "E_BAD_MODEL", /json\.items/],
    ["missing users", { ...json, users: undefined }, "E_BAD_MODEL", /json\.users/],
    ["truncated seenIndptr", { ...json, seenIndptr: json.seenIndptr.slice(0, 3) }, "E_BAD_MODEL", /json\.seenIndptr must have length 5/],
    ["seenIndptr not starting at 0", { ...json, seenIndptr: [1, 2, 5, 8, 9] }, "E_BAD_MODEL", /json\.seenIndptr\[0\] must be 0/],
    ["seenIndptr decreasing", { ...json, seenIndptr: [0, 5, 2, 8, 9] }, "E_BAD_MODEL", /json\.seenIndptr\[2\] must be >=/],
    ["seenIndptr not ending at the entry count", { ...json, seenIndptr: [0, 2, 5, 8, 8] }, "E_BAD_MODEL", /json\.seenIndptr\[4\] must be the number of entries 9/],
    ["truncated seenIndices", { ...json, seenIndices: json.seenIndices.slice(0, 8) }, "E_BAD_MODEL", /json\.seenIndptr/],
    ["seen item out of range", { ...json, seenIndices: [0, 1, 0, 1, 2, 0, 2, 3, 5] }, "E_BAD_MODEL", /json\.seenIndices\[8\] must be an integer in \[0, 4\], got 5/],
    ["seen items not increasing", { ...json, seenIndices: [1, 0, 0, 1, 2, 0, 2, 3, 4] }, "E_BAD_MODEL", /json\.seenIndices\[1\] must be greater than/],
    ["fractional seen index", { ...json, seenIndices: [0, 1.5, 0, 1, 2, 0, 2, 3, 4] }, "E_BAD_MODEL", /json\.seenIndices\[1\]/],
    ["the model itself (typed arrays, not JSON)", JSON.parse(JSON.stringify(model)), "E_BAD_MODEL", /json\.users|toJSON helper/],
  ];
  for (const [name, input, code, message] of cases) {
    it(`rejects malformed JSON: ${name}`, () => {
      expectError(() => popularityFromJSON(input), code, message);
    });
  }

  it("rejects JSON.stringify(model) with a hint to use popularityToJSON", () => {
    const raw = JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
    expectError(() => popularityFromJSON({ ...raw, users: json.users, items: json.items }), "E_BAD_MODEL", /json\.scores must be an array of numbers \(serialize models with their toJSON helper/);
  });

  it("does not change the JSON it reads", () => {
    const text = JSON.stringify(json);
    const parsed = JSON.parse(text) as unknown;
    popularityFromJSON(parsed);
    expect(JSON.stringify(parsed)).toBe(text);
  });
});

// Random interaction sets: a few users and items, ids that include tricky strings and numbers.
const rowsArbitrary: fc.Arbitrary<InteractionRow[]> = fc.array(
  fc.record({
    user: fc.oneof(fc.constantFrom<Id>("__proto__", "constructor", "", 0, "0"), fc.string({ maxLength: 3 })),
    item: fc.oneof(fc.constantFrom<Id>("toString", "hasOwnProperty", 1, "1"), fc.string({ maxLength: 2 })),
    value: fc.integer({ min: 1, max: 5 }),
  }),
  { minLength: 1, maxLength: 40 },
);

describe("popularity properties", () => {
  it("JSON round trip preserves the model and its recommendations", () => {
    fc.assert(
      fc.property(rowsArbitrary, fc.constantFrom<"distinct-users" | "value-sum">("distinct-users", "value-sum"), (r, measure) => {
        const model = fitPopularity(createInteractions(r), { measure });
        const copy = roundTrip(model);
        expect(copy).toEqual(model);
        const users: Id[] = [...model.users.ids, "not-a-user-\u0000"];
        expect(recommendMany(popularityRecommender(copy), users, { k: 4 })).toEqual(recommendMany(popularityRecommender(model), users, { k: 4 }));
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("distinct-users scores are the number of users per item and sum to the number of stored interactions", () => {
    fc.assert(
      fc.property(rowsArbitrary, (r) => {
        const d = createInteractions(r);
        const model = fitPopularity(d);
        const pairs = new Set(r.map((row) => JSON.stringify([row.user, row.item])));
        expect(model.scores.reduce((a, b) => a + b, 0)).toBe(pairs.size);
        for (let i = 0; i < model.items.ids.length; i++) {
          const item = model.items.ids[i];
          const usersOfItem = new Set(r.filter((row) => row.item === item).map((row) => row.user));
          expect(model.scores[i]).toBe(usersOfItem.size);
        }
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("every user's list is the popularity ranking minus the user's own items", () => {
    fc.assert(
      fc.property(rowsArbitrary, fc.integer({ min: 1, max: 8 }), (r, k) => {
        const model = fitPopularity(createInteractions(r));
        const popular = popularityRecommender(model);
        for (const user of model.users.ids) {
          const own = new Set(r.filter((row) => row.user === user).map((row) => row.item));
          const expected = model.items.ids
            .map((item, i) => ({ item, score: model.scores[i]!, i }))
            .filter((x) => !own.has(x.item))
            .sort((a, b) => b.score - a.score || a.i - b.i)
            .slice(0, k)
            .map((x, rank) => ({ item: x.item, score: x.score, rank: rank + 1 }));
          expect(recommend(popular, user, { k }).items).toEqual(expected);
        }
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe("fitPopularity since", () => {
  it("counts only rows at or after since (distinct accounts or value sums), keeps every seen item, round-trips", () => {
    const dated = createInteractions([
      { user: "acme", item: "crm", value: 2, timestamp: 1 },
      { user: "acme", item: "crm", value: 5, timestamp: 12 },
      { user: "bolt", item: "crm", value: 1, timestamp: 15 },
      { user: "bolt", item: "erp", value: 4, timestamp: 3 },
    ]);
    const recent = fitPopularity(dated, { since: 10 });
    expect(Array.from(recent.scores)).toEqual([2, 0]);
    expect(Array.from(fitPopularity(dated, { since: 10, measure: "value-sum" }).scores)).toEqual([6, 0]);
    expect(Array.from(fitPopularity(dated, { since: 0 }).scores)).toEqual(Array.from(fitPopularity(dated).scores));
    expect(Array.from(popularityRecommender(recent).seenItems(1))).toEqual([0, 1]);
    const copy = popularityFromJSON(JSON.parse(JSON.stringify(popularityToJSON(recent))));
    expect(copy.since).toBe(10);
    expect(Array.from(copy.scores)).toEqual([2, 0]);
    expectError(() => fitPopularity(createInteractions([{ user: "a", item: "x" }]), { since: 1 }), "E_BAD_INPUT", "interactions must have timestamps with options.since");
    expectError(() => fitPopularity(dated, { since: "recent" as never }), "E_BAD_INPUT", 'fitPopularity: options.since must be a number (a timestamp), got "recent"');
  });
});
