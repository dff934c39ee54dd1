import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Id } from "../../src/core/id-index.ts";
import { recommend, scoreItems } from "../../src/recommend/index.ts";
import type { Recommender } from "../../src/recommend/types.ts";
import { explainBlend, reciprocalRankFusion, switchingRecommender, switchRoute } from "../../src/hybrid/index.ts";
import { expectError, itemIdsOf } from "../helpers.ts";
import { componentA, componentB, fixed } from "./fixtures.ts";

const scoresOf = (recommender: Recommender, user: Id): number[] => Array.from(scoreItems(recommender, user).scores);
const fuseAB = (k?: number) =>
  reciprocalRankFusion(
    [
      { name: "A", recommender: componentA, weight: 1 },
      { name: "B", recommender: componentB, weight: 1 },
    ],
    k === undefined ? {} : { k },
  );

describe("reciprocalRankFusion by hand", () => {
  it("u1 with k = 60: A ranks c, b, then seen a; B ranks d, b, c", () => {
    // Hybrid items a, b, c, d. a: 1/63 (A only); b: 1/62 + 1/62; c: 1/61 + 1/63; d: 1/61 (B only).
    const scores = scoresOf(fuseAB(), "u1");
    expect(scores[0]).toBeCloseTo(1 / 63, 15);
    expect(scores[1]).toBeCloseTo(2 / 62, 15);
    expect(scores[2]).toBeCloseTo(1 / 61 + 1 / 63, 15);
    expect(scores[3]).toBeCloseTo(1 / 61, 15);
    expect(itemIdsOf(recommend(fuseAB(), "u1"))).toEqual(["c", "b", "d"]);
  });

  it("weights scale each component's reciprocal ranks, and explainBlend gives them per component", () => {
    const fused = reciprocalRankFusion(
      [
        { name: "A", recommender: componentA, weight: 2 },
        { name: "B", recommender: componentB, weight: 0.5 },
      ],
      { k: 0 },
    );
    const why = explainBlend(fused, "u1", "b");
    expect(why.contributions.map((c) => [c.name, c.value, c.contribution])).toEqual([
      ["A", 1 / 2, 1],
      ["B", 1 / 2, 0.25],
    ]);
    expect(why.score).toBe(1.25);
  });

  it("unknown users fuse the components' fallbacks, source 'hybrid'; unscored items are NaN", () => {
    const result = recommend(fuseAB(0), "zz", { k: 4 });
    expect(result.fallback).toEqual({ reason: "unknown-user", source: "hybrid" });
    // B fallback d 1, c 2, b 3 → b rank 1, c 2, d 3; A cannot score zz; a is unscored.
    expect(result.items.map((r) => [r.item, r.score])).toEqual([
      ["b", 1],
      ["c", 1 / 2],
      ["d", 1 / 3],
    ]);
    expect(scoresOf(fuseAB(0), "zz")[0]).toBeNaN();
  });

  it("rejects a bad k", () => {
    const a = [{ name: "A", recommender: componentA, weight: 1 }];
    expectError(() => reciprocalRankFusion(a, { k: -1 }), "E_BAD_INPUT", "reciprocalRankFusion: options.k must be a finite number >= 0, got -1");
    expectError(() => reciprocalRankFusion([]), "E_EMPTY");
  });
});

const ITEMS = ["i0", "i1", "i2", "i3", "i4", "i5"];
const componentArb = (name: string) =>
  fc
    .record({
      order: fc.shuffledSubarray(ITEMS, { minLength: 1 }),
      scores: fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: Number.NaN, freq: 6 }), { minLength: 12, maxLength: 12 }),
      seen: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    })
    .map(({ order, scores, seen }) => ({
      name,
      users: ["u0", "u1"] as Id[],
      items: order as Id[],
      scores: [0, 1].map((u) => order.map((_, i) => scores[u * 6 + i]!)),
      seen: [0, 1].map((u) => order.flatMap((_, i) => (seen[u * 6 + i] ? [i] : []))),
    }));

describe("reciprocalRankFusion properties", () => {
  it("is invariant to a strictly increasing transform of a component's scores", () => {
    fc.assert(
      fc.property(componentArb("p"), componentArb("q"), fc.integer({ min: 0, max: 100 }), (p, q, k) => {
        const transformed = { ...q, scores: q.scores.map((row) => row.map((x) => x * x * x + 2 * x)) };
        const fuse = (second: typeof q) =>
          reciprocalRankFusion(
            [
              { name: "p", recommender: fixed(p), weight: 1 },
              { name: "q", recommender: fixed(second), weight: 0.7 },
            ],
            { k },
          );
        for (const user of ["u0", "u1"]) expect(scoresOf(fuse(transformed), user)).toEqual(scoresOf(fuse(q), user));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("a fusion of one component ranks exactly as that component", () => {
    fc.assert(
      fc.property(componentArb("p"), (p) => {
        const component = fixed(p);
        const fused = reciprocalRankFusion([{ name: "p", recommender: component, weight: 1 }]);
        for (const user of ["u0", "u1"]) {
          expect(itemIdsOf(recommend(fused, user, { k: 6 }))).toEqual(itemIdsOf(recommend(component, user, { k: 6 })));
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("recommend never returns an item any component has seen", () => {
    fc.assert(
      fc.property(componentArb("p"), componentArb("q"), (p, q) => {
        const components = [fixed(p), fixed(q)];
        const fused = reciprocalRankFusion(components.map((recommender, c) => ({ name: `c${c}`, recommender, weight: 1 })));
        for (const [u, user] of ["u0", "u1"].entries()) {
          const seen = new Set(components.flatMap((c) => Array.from(c.seenItems(u), (i) => c.items.ids[i]!)));
          for (const item of itemIdsOf(recommend(fused, user, { k: 6 }))) expect(seen.has(item)).toBe(false);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("switchingRecommender", () => {
  // warm = A (u1 has 1 seen item, u2 none, u3 unknown), cold = B (knows u1, u3; fallback d 1, c 2, b 3).
  const switching = (minInteractions: number) => switchingRecommender({ warm: componentA, cold: componentB, minInteractions });

  it("routes users by history length", () => {
    const hybrid = switching(1);
    expect(switchRoute(hybrid, "u1")).toEqual({ user: "u1", route: "warm", component: "A", viaFallback: false, interactions: 1 });
    expect(switchRoute(hybrid, "u2")).toEqual({ user: "u2", route: "cold", component: "B", viaFallback: true, interactions: 0 });
    expect(switchRoute(hybrid, "u3")).toEqual({ user: "u3", route: "cold", component: "B", viaFallback: false, interactions: 0 });
    expect(switchRoute(switching(2), "u1").route).toBe("cold");
    expect(switchRoute(switching(0), "u3")).toEqual({ user: "u3", route: "warm", component: "A", viaFallback: true, interactions: 0 });
  });

  it("gives each user the routed component's scores, aligned by item id (a, b, c, d)", () => {
    expect(scoresOf(switching(1), "u1")).toEqual([1, 2, 3, Number.NaN]); // A
    expect(scoresOf(switching(2), "u1")).toEqual([Number.NaN, 2, 0, 4]); // B's own scores for u1
    expect(scoresOf(switching(1), "u2")).toEqual([Number.NaN, 3, 2, 1]); // B's fallback
    expect(scoresOf(switching(1), "u3")).toEqual([Number.NaN, 1, 1, 1]); // B for u3
    expect(scoresOf(switching(0), "u3")).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN]); // A cannot score u3
  });

  it("unknown users get the cold component's fallback, reported by its source", () => {
    const result = recommend(switching(1), "zz", { k: 4 });
    expect(result.fallback).toEqual({ reason: "unknown-user", source: "B-fallback" });
    expect(itemIdsOf(result)).toEqual(["b", "c", "d"]);
    expect(switchRoute(switching(1), "zz")).toEqual({ user: "zz", route: "cold", component: "B", viaFallback: true, interactions: 0 });
  });

  it("leaves out the union of both components' seen items", () => {
    const hybrid = switching(1);
    expect(itemIdsOf(recommend(hybrid, "u1", { k: 4 }))).toEqual(["c", "b"]);
    expect(Array.from(hybrid.seenItems(2))).toEqual([3]);
  });

  it("routes to cold exactly when the warm history is shorter than minInteractions", () => {
    fc.assert(
      fc.property(componentArb("w"), componentArb("c"), fc.integer({ min: 0, max: 7 }), (w, c, minInteractions) => {
        const warm = fixed(w);
        const hybrid = switchingRecommender({ warm, cold: fixed(c), minInteractions });
        for (const [u, user] of ["u0", "u1"].entries()) {
          const route = switchRoute(hybrid, user);
          expect(route.interactions).toBe(warm.seenItems(u).length);
          expect(route.route).toBe(warm.seenItems(u).length < minInteractions ? "cold" : "warm");
          const seen = new Set([...Array.from(warm.seenItems(u), (i) => w.items[i]!), ...(c.seen[u] ?? []).map((i) => c.items[i]!)]);
          for (const item of itemIdsOf(recommend(hybrid, user, { k: 6 }))) expect(seen.has(item)).toBe(false);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("rejects bad options", () => {
    expectError(() => switchingRecommender({ warm: componentA, cold: componentB, minInteractions: -1 }), "E_BAD_INPUT", "options.minInteractions must be an integer >= 0");
    expectError(() => switchingRecommender({ warm: componentA } as never), "E_BAD_INPUT", "switchingRecommender: options.cold");
    expectError(() => switchRoute(componentA, "u1"), "E_BAD_INPUT", "switchRoute: hybrid must be a recommender from switchingRecommender");
  });
});
