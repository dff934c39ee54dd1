import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Id } from "../../src/core/id-index.ts";
import { recommend, scoreItems } from "../../src/recommend/index.ts";
import type { Recommender } from "../../src/recommend/types.ts";
import {
  blendFromSpec,
  blendRecommenders,
  explainBlend,
  type Normalization,
} from "../../src/hybrid/index.ts";
import { expectError, itemIdsOf } from "../helpers.ts";
import { componentA, componentArb, componentB, fixed } from "./fixtures.ts";

const r15 = Math.sqrt(1.5);
const scoresOf = (recommender: Recommender, user: Id): number[] => Array.from(scoreItems(recommender, user).scores);
const expectClose = (actual: number[], expected: number[]): void => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, i) => {
    if (Number.isNaN(expected[i]!)) expect(value, `entry ${i}`).toBeNaN();
    else expect(value, `entry ${i}`).toBeCloseTo(expected[i]!, 12);
  });
};
const blendAB = (normalization: Normalization, missing: "min" | "zero" = "min", wA = 0.6, wB = 0.4) =>
  blendRecommenders(
    [
      { name: "A", recommender: componentA, weight: wA },
      { name: "B", recommender: componentB, weight: wB },
    ],
    { normalization, missing },
  );

// Reference values: computed by hand from the fixtures (see fixtures.ts). Hybrid items are a, b, c, d.
describe("blendRecommenders by hand", () => {
  it("aligns users and items by id: unions in first-seen order", () => {
    const hybrid = blendAB("z-score");
    expect(hybrid.items.ids).toEqual(["a", "b", "c", "d"]);
    expect(hybrid.users.ids).toEqual(["u1", "u2", "u3"]);
    expect(hybrid.name).toBe("hybrid");
  });

  it("z-score: u1 is A (−√1.5, 0, √1.5, min) and B (min, 0, −√1.5, √1.5) weighted 0.6 / 0.4", () => {
    // A u1 [1,2,3]: mean 2, population sd √(2/3) → z −√1.5, 0, √1.5; d missing → A's minimum −√1.5.
    // B u1 d 4, c 0, b 2: mean 2, sd √(8/3) → d √1.5, c −√1.5, b 0; a missing → −√1.5.
    expectClose(scoresOf(blendAB("z-score"), "u1"), [-r15, 0, 0.2 * r15, -0.2 * r15]);
  });

  it("z-score: u2 is unknown to B, which contributes its fallback", () => {
    // A u2 [3,3,0]: mean 2, sd √2 → 1/√2, 1/√2, −√2; d → −√2. B fallback d 1, c 2, b 3 → d −√1.5, c 0, b √1.5; a → −√1.5.
    const s2 = Math.SQRT2;
    expectClose(scoresOf(blendAB("z-score"), "u2"), [
      0.6 / s2 - 0.4 * r15,
      0.6 / s2 + 0.4 * r15,
      -0.6 * s2,
      -0.6 * s2 - 0.4 * r15,
    ]);
  });

  it("z-score with missing 'zero': an item a component lacks contributes 0", () => {
    expectClose(scoresOf(blendAB("z-score", "zero"), "u1"), [-0.6 * r15, 0, 0.2 * r15, 0.4 * r15]);
  });

  it("min-max: u1 is A (0, .5, 1, min 0) and B (min 0, .5, 0, 1)", () => {
    expectClose(scoresOf(blendAB("min-max"), "u1"), [0, 0.5, 0.6, 0.4]);
    // a is seen by u1 (in A), so the list is c, b, d.
    expect(itemIdsOf(recommend(blendAB("min-max"), "u1"))).toEqual(["c", "b", "d"]);
  });

  it("rank percentile: ties share their mean rank (u2: A [3,3,0] → .75, .75, 0)", () => {
    // B fallback [1,2,3] → d 0, c .5, b 1. a: .6·.75 + .4·0 (B's min); b: .6·.75 + .4·1; c: 0 + .4·.5; d: 0 (A's min) + 0.
    expectClose(scoresOf(blendAB("rank-percentile"), "u2"), [0.45, 0.85, 0.2, 0]);
  });

  it("none: raw scores summed; with missing 'zero' a lacking component adds 0", () => {
    expectClose(scoresOf(blendAB("none", "zero", 1, 1), "u1"), [1, 4, 3, 4]);
    // missing 'min': a gets B's min 0, d gets A's min 1.
    expectClose(scoresOf(blendAB("none", "min", 1, 1), "u1"), [1, 4, 3, 5]);
  });

  it("an item no component scores is NaN and never recommended (u3: A knows nothing, B lacks a)", () => {
    const hybrid = blendAB("min-max");
    expectClose(scoresOf(hybrid, "u3"), [Number.NaN, 0.2, 0.2, 0.2]);
    const result = recommend(hybrid, "u3", { k: 4 });
    expect(itemIdsOf(result)).toEqual(["b", "c"]); // d is seen (in B); b before c on a tie by item index
    expect(result.excludedSeen).toBe(1);
  });

  it("seen items are the union of the components' seen items, as hybrid indices", () => {
    const hybrid = blendAB("z-score");
    expect(Array.from(hybrid.seenItems(0))).toEqual([0]);
    expect(Array.from(hybrid.seenItems(1))).toEqual([]);
    expect(Array.from(hybrid.seenItems(2))).toEqual([3]);
  });

  it("unknown users get the blended components' fallbacks, marked with source 'hybrid'", () => {
    const hybrid = blendAB("min-max");
    const result = recommend(hybrid, "zz", { k: 4 });
    expect(result.fallback).toEqual({ reason: "unknown-user", source: "hybrid" });
    expect(result.items.map((r) => [r.item, r.score])).toEqual([
      ["b", 0.4],
      ["c", 0.2],
      ["d", 0],
    ]);
  });

  it("has no fallback when no component has one", () => {
    const hybrid = blendRecommenders([{ name: "A", recommender: componentA, weight: 1 }]);
    expect(hybrid.fallback).toBeUndefined();
    expect(recommend(hybrid, "zz").fallback).toEqual({ reason: "unknown-user", source: null });
  });

  it("the spec is plain data and rebuilds the same hybrid through JSON", () => {
    const hybrid = blendAB("rank-percentile");
    const spec = JSON.parse(JSON.stringify(hybrid.spec));
    expect(spec).toEqual({
      kind: "blend",
      version: 1,
      name: "hybrid",
      normalization: "rank-percentile",
      missing: "min",
      components: [
        { name: "A", weight: 0.6 },
        { name: "B", weight: 0.4 },
      ],
    });
    const rebuilt = blendFromSpec(spec, new Map([["A", componentA], ["B", componentB]]));
    for (const user of ["u1", "u2", "u3", "zz"]) expect(scoresOf(rebuilt, user)).toEqual(scoresOf(hybrid, user));
  });

  it("rejects malformed components and options", () => {
    const a = { name: "A", recommender: componentA, weight: 1 };
    expectError(() => blendRecommenders([]), "E_EMPTY", "blendRecommenders: components must hold at least one component");
    expectError(() => blendRecommenders([a, { ...a }]), "E_DUPLICATE", 'components[1].name must be unique, got "A" again');
    expectError(() => blendRecommenders([{ ...a, weight: -1 }]), "E_BAD_INPUT", "components[0].weight must be >= 0, got -1");
    expectError(() => blendRecommenders([{ ...a, weight: Number.NaN }]), "E_NON_FINITE", "components[0].weight must be finite");
    expectError(() => blendRecommenders([{ ...a, name: "" }]), "E_BAD_INPUT", "components[0].name must be a non-empty string");
    expectError(() => blendRecommenders([a], { normalization: "l2" as Normalization }), "E_BAD_INPUT", "options.normalization must be one of");
    expectError(() => blendRecommenders([{ ...a, recommender: {} as Recommender }]), "E_BAD_INPUT", "components[0]");
    expectError(() => blendFromSpec({ kind: "x" } as never, new Map()), "E_BAD_MODEL");
  });
});

describe("explainBlend", () => {
  it("splits a score into weight × normalised score per component, summing to the score", () => {
    const hybrid = blendAB("min-max");
    const why = explainBlend(hybrid, "u1", "c");
    expect(why.fallback).toBeNull();
    expect(why.score).toBeCloseTo(0.6, 12);
    expect(why.contributions).toEqual([
      { name: "A", weight: 0.6, source: "model", scored: true, raw: 3, value: 1, contribution: 0.6 },
      { name: "B", weight: 0.4, source: "model", scored: true, raw: 0, value: 0, contribution: 0 },
    ]);
  });

  it("reports a component that lacks the item (its missing value) and one that used its fallback", () => {
    const hybrid = blendAB("rank-percentile");
    const why = explainBlend(hybrid, "u2", "a");
    expect(why.contributions[1]).toEqual({ name: "B", weight: 0.4, source: "fallback", scored: false, raw: Number.NaN, value: 0, contribution: 0 });
    expect(why.score).toBeCloseTo(0.45, 12);
  });

  it("explains unknown users through the hybrid fallback", () => {
    const why = explainBlend(blendAB("min-max"), "zz", "b");
    expect(why.fallback).toEqual({ reason: "unknown-user", source: "hybrid" });
    expect(why.contributions.map((c) => c.source)).toEqual(["none", "fallback"]);
    expect(why.score).toBeCloseTo(0.4, 12);
  });

  it("rejects other recommenders and unknown items", () => {
    expectError(() => explainBlend(componentA, "u1", "a"), "E_BAD_INPUT", "explainBlend: hybrid must be a recommender from blendRecommenders");
    expectError(() => explainBlend(blendAB("min-max"), "u1", "zz"), "E_UNKNOWN_ID", "item must be in the hybrid's catalog");
  });
});

// Random components over a shared pool of item ids, each with its own catalog (a random subset, random order).
const NORMALIZATIONS: Normalization[] = ["z-score", "min-max", "rank-percentile", "none"];

describe("blendRecommenders properties", () => {
  it("a blend of one component ranks exactly as that component", () => {
    fc.assert(
      fc.property(
        componentArb("c"),
        fc.constantFrom(...NORMALIZATIONS),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        (component, normalization, weight) => {
          const hybrid = blendRecommenders([{ name: "c", recommender: component, weight }], { normalization });
          for (const user of ["u0", "u1"]) {
            const k = component.items.ids.length;
            expect(itemIdsOf(recommend(hybrid, user, { k }))).toEqual(itemIdsOf(recommend(component, user, { k })));
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("with min-max (or rank percentile) and weights summing to 1, every score is within [0, 1]", () => {
    fc.assert(
      fc.property(
        fc.array(componentArb("c"), { minLength: 1, maxLength: 4 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.constantFrom<Normalization>("min-max", "rank-percentile"),
        fc.constantFrom<"min" | "zero">("min", "zero"),
        (components, raw, normalization, missing) => {
          const used = raw.slice(0, components.length).map((w) => w + 0.01);
          const total = used.reduce((s, w) => s + w, 0);
          const hybrid = blendRecommenders(
            components.map((recommender, c) => ({ name: `c${c}`, recommender, weight: used[c]! / total })),
            { normalization, missing },
          );
          for (const user of ["u0", "u1", "unknown"]) {
            for (const score of scoreItems(hybrid, user).scores) {
              if (Number.isNaN(score)) continue;
              expect(score).toBeGreaterThanOrEqual(-1e-12);
              expect(score).toBeLessThanOrEqual(1 + 1e-12);
            }
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("recommend never returns an item any component has seen for the user", () => {
    fc.assert(
      fc.property(
        fc.array(componentArb("c"), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...NORMALIZATIONS),
        (components, normalization) => {
          const hybrid = blendRecommenders(
            components.map((recommender, c) => ({ name: `c${c}`, recommender, weight: 1 })),
            { normalization },
          );
          for (const [u, user] of ["u0", "u1"].entries()) {
            const seen = new Set(components.flatMap((c) => Array.from(c.seenItems(u), (i) => c.items.ids[i]!)));
            for (const item of itemIdsOf(recommend(hybrid, user, { k: 7 }))) expect(seen.has(item)).toBe(false);
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("the contributions always sum to the hybrid score", () => {
    fc.assert(
      fc.property(fc.array(componentArb("c"), { minLength: 1, maxLength: 3 }), fc.constantFrom(...NORMALIZATIONS), (components, normalization) => {
        const hybrid = blendRecommenders(
          components.map((recommender, c) => ({ name: `c${c}`, recommender, weight: c + 1 })),
          { normalization },
        );
        for (const item of hybrid.items.ids) {
          const why = explainBlend(hybrid, "u0", item);
          if (Number.isNaN(why.score)) continue;
          expect(why.contributions.reduce((s, c) => s + c.contribution, 0)).toBeCloseTo(why.score, 9);
        }
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
