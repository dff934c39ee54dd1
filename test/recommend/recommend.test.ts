import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NextbestError } from "../../src/core/errors.ts";
import { createIdIndex, type Id } from "../../src/core/id-index.ts";
import { createInteractions } from "../../src/data/index.ts";
import { fitPopularity, popularityRecommender } from "../../src/baselines/index.ts";
import { recommend, recommendMany, scoreItems, type Recommender, type RecommendOptions } from "../../src/recommend/index.ts";
import { fixedRecommender, referenceTopK, type FixedSpec } from "./fixtures.ts";
import { expectError, itemIdsOf } from "../helpers.ts";


const shop: FixedSpec = {
  users: ["u1", "u2", "__proto__"],
  items: ["a", "b", "c", "d", "e"],
  scores: [
    [0.5, 0.9, 0.5, 0.1, 0.7],
    [1, 2, 3, 4, 5],
    [3, 3, 3, 3, 3],
  ],
  seen: [[1, 3], [], [0]],
  fallback: [5, 4, 3, 2, 1],
};


describe("docs examples", () => {
  it("Recommender: a hand-written recommender works with recommend", () => {
    const custom: Recommender = {
      name: "fixed",
      users: createIdIndex(["u1", "u2"]),
      items: createIdIndex(["a", "b", "c"]),
      scoreUser(user, out) {
        out.set(user === 0 ? [0.2, 0.9, 0.5] : [0.1, 0.2, 0.3]);
      },
      seenItems(user) {
        return user === 0 ? [1] : [];
      },
    };
    expect(recommend(custom, "u1", { k: 2 }).items.map((r) => r.item)).toEqual(["c", "a"]);
  });

  const data = createInteractions([
    { user: "alice", item: "laptop" },
    { user: "alice", item: "mouse" },
    { user: "bob", item: "laptop" },
    { user: "bob", item: "dock" },
    { user: "carol", item: "laptop" },
    { user: "carol", item: "mouse" },
    { user: "carol", item: "monitor" },
  ]);
  const popular = popularityRecommender(fitPopularity(data));

  it("recommend", () => {
    expect(recommend(popular, "bob", { k: 2 }).items).toEqual([
      { item: "mouse", score: 2, rank: 1 },
      { item: "monitor", score: 1, rank: 2 },
    ]);
    expect(recommend(popular, "dave", { k: 2, denyItems: ["mouse"] })).toEqual({
      user: "dave",
      items: [
        { item: "laptop", score: 3, rank: 1 },
        { item: "dock", score: 1, rank: 2 },
      ],
      fallback: { reason: "unknown-user", source: "popularity" },
      excludedSeen: 0,
    });
  });

  it("recommendMany", () => {
    expect(recommendMany(popular, ["alice", "bob", "dave"], { k: 1 }).map((r) => [r.user, r.items[0]?.item, r.fallback?.source])).toEqual([
      ["alice", "dock", undefined],
      ["bob", "mouse", undefined],
      ["dave", "laptop", "popularity"],
    ]);
  });

  it("scoreItems", () => {
    const small = popularityRecommender(
      fitPopularity(
        createInteractions([
          { user: "alice", item: "laptop" },
          { user: "bob", item: "laptop" },
          { user: "bob", item: "dock" },
        ]),
      ),
    );
    expect(Array.from(scoreItems(small, "alice").scores)).toEqual([2, 1]);
    expect(scoreItems(small, "zoe").fallback).toEqual({ reason: "unknown-user", source: "popularity" });
  });
});

describe("recommend", () => {
  const r = fixedRecommender(shop);

  it("ranks by score, best first, ties by item index, ranks 1..n", () => {
    const result = recommend(r, "u1", { excludeSeen: false });
    expect(result.items).toEqual([
      { item: "b", score: 0.9, rank: 1 },
      { item: "e", score: 0.7, rank: 2 },
      { item: "a", score: 0.5, rank: 3 },
      { item: "c", score: 0.5, rank: 4 },
      { item: "d", score: 0.1, rank: 5 },
    ]);
    expect(itemIdsOf(recommend(r, "__proto__", { excludeSeen: false }))).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("excludes seen items by default and counts them", () => {
    const result = recommend(r, "u1");
    expect(itemIdsOf(result)).toEqual(["e", "a", "c"]);
    expect(result.excludedSeen).toBe(2);
    expect(result.fallback).toBeNull();
  });

  it("keeps seen items when excludeSeen is false, and counts none", () => {
    const result = recommend(r, "u1", { excludeSeen: false });
    expect(itemIdsOf(result)).toContain("b");
    expect(result.excludedSeen).toBe(0);
  });

  it("counts only seen items the allow/deny lists let through", () => {
    expect(recommend(r, "u1", { denyItems: ["b"] }).excludedSeen).toBe(1);
    expect(recommend(r, "u1", { allowItems: ["a", "c"] }).excludedSeen).toBe(0);
  });

  it("returns at most k items; k larger than the catalog returns every eligible item", () => {
    expect(itemIdsOf(recommend(r, "u2", { k: 2 }))).toEqual(["e", "d"]);
    expect(itemIdsOf(recommend(r, "u2", { k: 1000 }))).toEqual(["e", "d", "c", "b", "a"]);
    expect(recommend(r, "u1", { k: 1000 }).items).toHaveLength(3);
  });

  it("defaults k to 10", () => {
    const many = fixedRecommender({
      users: ["x"],
      items: Array.from({ length: 30 }, (_, i) => `i${i}`),
      scores: [Array.from({ length: 30 }, (_, i) => i)],
      seen: [[]],
    });
    expect(recommend(many, "x").items).toHaveLength(10);
    expect(recommend(many, "x").items[0]).toEqual({ item: "i29", score: 29, rank: 1 });
  });

  it("allowItems restricts the candidates; unknown allowed ids are ignored", () => {
    expect(itemIdsOf(recommend(r, "u2", { allowItems: ["b", "zzz", "d"] }))).toEqual(["d", "b"]);
    expect(itemIdsOf(recommend(r, "u2", { allowItems: new Set<Id>(["a"]) }))).toEqual(["a"]);
  });

  it("an empty allow list allows nothing", () => {
    expect(recommend(r, "u2", { allowItems: [] }).items).toEqual([]);
  });

  it("denyItems removes candidates, wins over allowItems, and ignores unknown ids", () => {
    expect(itemIdsOf(recommend(r, "u2", { denyItems: ["e", "nope", "c"] }))).toEqual(["d", "b", "a"]);
    expect(itemIdsOf(recommend(r, "u2", { allowItems: ["a", "b"], denyItems: ["b"] }))).toEqual(["a"]);
  });

  it("strict: unknown ids in allowItems or denyItems throw E_UNKNOWN_ID naming them", () => {
    expectError(() => recommend(r, "u2", { allowItems: ["a", "zzz"], strict: true }), "E_UNKNOWN_ID", /options\.allowItems\[1\].*"zzz"/);
    expectError(() => recommend(r, "u2", { denyItems: [7], strict: true }), "E_UNKNOWN_ID", /options\.denyItems\[0\].*7/);
  });

  it("an unknown user gets the fallback's scores, marked with the reason and source", () => {
    const result = recommend(r, "newcomer", { k: 3 });
    expect(result).toEqual({
      user: "newcomer",
      items: [
        { item: "a", score: 5, rank: 1 },
        { item: "b", score: 4, rank: 2 },
        { item: "c", score: 3, rank: 3 },
      ],
      fallback: { reason: "unknown-user", source: "fixed-fallback" },
      excludedSeen: 0,
    });
    expect(itemIdsOf(recommend(r, "newcomer", { k: 3, denyItems: ["a"], allowItems: ["a", "c", "e"] }))).toEqual(["c", "e"]);
  });

  it("an unknown user of a model without fallback gets an empty list marked with the reason", () => {
    const { fallback: _ignored, ...spec } = shop;
    const bare = fixedRecommender(spec);
    expect(recommend(bare, "newcomer")).toEqual({
      user: "newcomer",
      items: [],
      fallback: { reason: "unknown-user", source: null },
      excludedSeen: 0,
    });
  });

  it("strict: an unknown user throws E_UNKNOWN_ID naming the user", () => {
    expectError(() => recommend(r, "newcomer", { strict: true }), "E_UNKNOWN_ID", /recommend: user .*"newcomer"/);
    expect(recommend(r, "u1", { strict: true }).fallback).toBeNull();
  });

  it("distinguishes 1 and \"1\" and handles ids like __proto__ and constructor", () => {
    const odd = fixedRecommender({
      users: [1, "constructor", ""],
      items: ["__proto__", "1", 1, "toString"],
      scores: [
        [1, 2, 3, 4],
        [4, 3, 2, 1],
        [0, 0, 0, 0],
      ],
      seen: [[], [], []],
    });
    expect(itemIdsOf(recommend(odd, 1, { k: 2 }))).toEqual(["toString", 1]);
    expect(recommend(odd, "1").fallback).toEqual({ reason: "unknown-user", source: null });
    expect(itemIdsOf(recommend(odd, "constructor", { denyItems: [1, "toString"] }))).toEqual(["__proto__", "1"]);
    expect(itemIdsOf(recommend(odd, "", { allowItems: ["1"] }))).toEqual(["1"]);
  });

  it("never recommends an item the model scores NaN", () => {
    const partial = fixedRecommender({
      users: ["u"],
      items: ["a", "b", "c"],
      scores: [[Number.NaN, -1e308, 2]],
      seen: [[]],
    });
    expect(recommend(partial, "u").items).toEqual([
      { item: "c", score: 2, rank: 1 },
      { item: "b", score: -1e308, rank: 2 },
    ]);
  });

  it("does not change its inputs", () => {
    const allow = ["a", "b", "c"];
    const deny = new Set(["b"]);
    const before = JSON.stringify(shop);
    recommend(r, "u1", { allowItems: allow, denyItems: deny });
    expect(allow).toEqual(["a", "b", "c"]);
    expect([...deny]).toEqual(["b"]);
    expect(JSON.stringify(shop)).toBe(before);
  });

  it("rejects invalid options with E_BAD_INPUT naming the option", () => {
    for (const k of [0, -1, 1.5, Number.NaN, Infinity, "3", null]) {
      expectError(() => recommend(r, "u1", { k } as unknown as RecommendOptions), "E_BAD_INPUT", /options\.k must be a positive integer/);
    }
    expectError(() => recommend(r, "u1", { excludeSeen: "yes" } as unknown as RecommendOptions), "E_BAD_INPUT", /options\.excludeSeen/);
    expectError(() => recommend(r, "u1", { strict: 1 } as unknown as RecommendOptions), "E_BAD_INPUT", /options\.strict/);
    expectError(() => recommend(r, "u1", { allowItems: "abc" } as unknown as RecommendOptions), "E_BAD_INPUT", /options\.allowItems must be an iterable/);
    expectError(() => recommend(r, "u1", { denyItems: 5 } as unknown as RecommendOptions), "E_BAD_INPUT", /options\.denyItems/);
    expectError(() => recommend(r, "u1", { allowItems: ["a", {}] } as unknown as RecommendOptions), "E_BAD_INPUT", /options\.allowItems\[1\]/);
    expectError(() => recommend(r, "u1", { denyItems: [Number.NaN] }), "E_NON_FINITE", /options\.denyItems\[0\]/);
    expectError(() => recommend(r, "u1", [] as unknown as RecommendOptions), "E_BAD_INPUT", /options must be an object/);
  });

  it("rejects an invalid user id or recommender", () => {
    expectError(() => recommend(r, Number.NaN), "E_NON_FINITE", /recommend: user/);
    expectError(() => recommend(r, undefined as unknown as Id), "E_BAD_INPUT", /recommend: user/);
    expectError(() => recommend({} as Recommender, "u1"), "E_BAD_INPUT", /recommend: recommender\.name/);
    expectError(() => recommend(null as unknown as Recommender, "u1"), "E_BAD_INPUT", /recommend: recommender must be a Recommender/);
    expectError(
      () => recommend({ ...r, fallback: { source: "x" } } as unknown as Recommender, "u1"),
      "E_BAD_INPUT",
      /recommender\.fallback\.scoreInto/,
    );
  });
});

describe("recommendMany", () => {
  it("equals recommend user by user, in input order, repeats included", () => {
    const r = fixedRecommender(shop);
    const users: Id[] = ["u2", "nobody", "u1", "__proto__", "u1"];
    const options: RecommendOptions = { k: 3, denyItems: ["e"] };
    expect(recommendMany(r, users, options)).toEqual(users.map((u) => recommend(r, u, options)));
  });

  it("reuses one score buffer across users and does not leak one user's seen items into another's", () => {
    const r = fixedRecommender(shop);
    const results = recommendMany(r, ["u1", "u2", "u1", "newcomer"]);
    expect(new Set(r.calls).size).toBe(1);
    expect(itemIdsOf(results[1]!)).toEqual(["e", "d", "c", "b", "a"]);
    expect(itemIdsOf(results[2]!)).toEqual(["e", "a", "c"]);
    expect(itemIdsOf(results[3]!)).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("accepts any iterable and an empty one", () => {
    const r = fixedRecommender(shop);
    function* gen(): Generator<Id> {
      yield "u2";
    }
    expect(recommendMany(r, gen()).map((x) => x.user)).toEqual(["u2"]);
    expect(recommendMany(r, [])).toEqual([]);
  });

  it("names the position of an invalid user id and throws on unknown users when strict", () => {
    const r = fixedRecommender(shop);
    expectError(() => recommendMany(r, ["u1", "u2", {} as unknown as Id]), "E_BAD_INPUT", /recommendMany: users\[2\]/);
    expectError(() => recommendMany(r, 5 as unknown as Id[]), "E_BAD_INPUT", /users must be an iterable/);
    expectError(() => recommendMany(r, ["u1", "ghost"], { strict: true }), "E_UNKNOWN_ID", /"ghost"/);
  });
});

describe("scoreItems", () => {
  const r = fixedRecommender(shop);

  it("returns the model's scores for a known user in item index order", () => {
    expect(scoreItems(r, "u2")).toEqual({ user: "u2", scores: new Float64Array([1, 2, 3, 4, 5]), fallback: null });
  });

  it("returns the fallback's scores, marked, for an unknown user", () => {
    const result = scoreItems(r, "newcomer");
    expect(Array.from(result.scores)).toEqual([5, 4, 3, 2, 1]);
    expect(result.fallback).toEqual({ reason: "unknown-user", source: "fixed-fallback" });
  });

  it("returns all NaN with source null when there is no fallback, and throws when strict", () => {
    const { fallback: _ignored, ...spec } = shop;
    const bare = fixedRecommender(spec);
    const result = scoreItems(bare, "newcomer");
    expect(Array.from(result.scores).every(Number.isNaN)).toBe(true);
    expect(result.fallback).toEqual({ reason: "unknown-user", source: null });
    expectError(() => scoreItems(bare, "newcomer", { strict: true }), "E_UNKNOWN_ID", /scoreItems: user .*"newcomer"/);
  });

  it("writes into options.out when given, and checks its length", () => {
    const out = new Float64Array(5);
    expect(scoreItems(r, "u1", { out }).scores).toBe(out);
    expect(Array.from(out)).toEqual([0.5, 0.9, 0.5, 0.1, 0.7]);
    expectError(() => scoreItems(r, "u1", { out: new Float64Array(4) }), "E_SHAPE", /options\.out must have length 5/);
    expectError(() => scoreItems(r, "u1", { out: [0, 0, 0, 0, 0] } as unknown as { out: Float64Array }), "E_BAD_INPUT", /Float64Array/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties over random recommenders: small catalogs, integer scores (many ties), NaN, seen sets, allow/deny lists
// that mix known and unknown ids.

const specArbitrary: fc.Arbitrary<FixedSpec & { probe: Id[] }> = fc
  .record({ userCount: fc.integer({ min: 1, max: 5 }), itemCount: fc.integer({ min: 0, max: 12 }) })
  .chain(({ userCount, itemCount }) => {
    const score = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -3, max: 3 }) }, { weight: 1, arbitrary: fc.constant(Number.NaN) });
    const seenRow = fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, itemCount - 1) }), { maxLength: itemCount }).map((s) => (itemCount === 0 ? [] : s.sort((a, b) => a - b)));
    return fc.record({
      users: fc.constant(Array.from({ length: userCount }, (_, u) => `user-${u}` as Id)),
      items: fc.constant(Array.from({ length: itemCount }, (_, i) => (i % 2 === 0 ? `item-${i}` : i) as Id)),
      scores: fc.array(fc.array(score, { minLength: itemCount, maxLength: itemCount }), { minLength: userCount, maxLength: userCount }),
      seen: fc.array(seenRow, { minLength: userCount, maxLength: userCount }),
      fallback: fc.array(score, { minLength: itemCount, maxLength: itemCount }),
      probe: fc.array(fc.oneof(fc.integer({ min: 0, max: userCount }).map((u) => `user-${u}` as Id), fc.constant("stranger" as Id)), { minLength: 1, maxLength: 6 }),
    });
  });

const itemIdArbitrary: fc.Arbitrary<Id> = fc.oneof(
  fc.integer({ min: 0, max: 14 }).map((i) => (i % 2 === 0 ? `item-${i}` : i)),
  fc.constantFrom<Id>("unknown", "__proto__", 99),
);

const optionsArbitrary: fc.Arbitrary<{ k: number; excludeSeen: boolean; allow: Id[] | undefined; deny: Id[] | undefined }> = fc.record({
  k: fc.integer({ min: 1, max: 15 }),
  excludeSeen: fc.boolean(),
  allow: fc.option(fc.array(itemIdArbitrary, { maxLength: 10 }), { nil: undefined }),
  deny: fc.option(fc.array(itemIdArbitrary, { maxLength: 6 }), { nil: undefined }),
});

function toOptions(o: { k: number; excludeSeen: boolean; allow: Id[] | undefined; deny: Id[] | undefined }): RecommendOptions {
  const options: RecommendOptions = { k: o.k, excludeSeen: o.excludeSeen };
  if (o.allow !== undefined) options.allowItems = o.allow;
  if (o.deny !== undefined) options.denyItems = o.deny;
  return options;
}

const PROPERTY = { seed: 42, numRuns: 100 } as const;

describe("recommend properties", () => {
  it("equals a sort-based reference (filter, sort by score then index, take k) for known and unknown users", () => {
    fc.assert(
      fc.property(specArbitrary, optionsArbitrary, (spec, o) => {
        const r = fixedRecommender(spec);
        for (const user of spec.probe) {
          const u = spec.users.indexOf(user);
          const result = recommend(r, user, toOptions(o));
          const expected =
            u >= 0
              ? referenceTopK(spec.items, spec.scores[u]!, spec.seen[u]!, o)
              : referenceTopK(spec.items, spec.fallback!, [], { ...o, excludeSeen: false });
          expect(result.items).toEqual(expected);
          expect(result.fallback).toEqual(u >= 0 ? null : { reason: "unknown-user", source: "fixed-fallback" });
        }
      }),
      PROPERTY,
    );
  });

  it("has no duplicates, ranks 1..n, non-increasing scores, length min(k, eligible), and respects seen/allow/deny", () => {
    fc.assert(
      fc.property(specArbitrary, optionsArbitrary, (spec, o) => {
        const r = fixedRecommender(spec);
        const allow = o.allow === undefined ? undefined : new Set(o.allow);
        const deny = new Set(o.deny ?? []);
        for (let u = 0; u < spec.users.length; u++) {
          const result = recommend(r, spec.users[u]!, toOptions(o));
          const items = result.items.map((x) => x.item);
          expect(new Set(items).size).toBe(items.length);
          expect(result.items.map((x) => x.rank)).toEqual(items.map((_, i) => i + 1));
          for (let i = 1; i < result.items.length; i++) {
            expect(result.items[i]!.score).toBeLessThanOrEqual(result.items[i - 1]!.score);
          }
          const seenIds = new Set(spec.seen[u]!.map((i) => spec.items[i]!));
          let eligible = 0;
          for (let i = 0; i < spec.items.length; i++) {
            const id = spec.items[i]!;
            const ok = (!o.excludeSeen || !seenIds.has(id)) && (allow === undefined || allow.has(id)) && !deny.has(id) && !Number.isNaN(spec.scores[u]![i]);
            if (ok) eligible++;
          }
          expect(items.length).toBe(Math.min(o.k, eligible));
          for (const id of items) {
            if (o.excludeSeen) expect(seenIds.has(id)).toBe(false);
            if (allow !== undefined) expect(allow.has(id)).toBe(true);
            expect(deny.has(id)).toBe(false);
          }
        }
      }),
      PROPERTY,
    );
  });

  it("recommendMany equals recommend for every user", () => {
    fc.assert(
      fc.property(specArbitrary, optionsArbitrary, (spec, o) => {
        const r = fixedRecommender(spec);
        const options = toOptions(o);
        expect(recommendMany(r, spec.probe, options)).toEqual(spec.probe.map((user) => recommend(r, user, options)));
      }),
      PROPERTY,
    );
  });
});
