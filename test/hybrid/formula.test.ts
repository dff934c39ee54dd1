import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Id } from "../../src/core/id-index.ts";
import { recommend, scoreItems } from "../../src/recommend/index.ts";
import type { Recommender } from "../../src/recommend/types.ts";
import {
  blendByFormula,
  blendRecommenders,
  explainBlend,
  formulaBlendFromSpec,
  type Normalization,
} from "../../src/hybrid/index.ts";
import { expectError, itemIdsOf } from "../helpers.ts";
import { componentA, componentArb, componentB } from "./fixtures.ts";

const scoresOf = (recommender: Recommender, user: Id): number[] => Array.from(scoreItems(recommender, user).scores);
const AB = new Map([
  ["A", componentA],
  ["B", componentB],
]);

// Reference values by hand (fixtures.ts). With min-max, u1 has A = (a 0, b .5, c 1, d missing → 0) and
// B = (a missing → 0, b .5, c 0, d 1) over the hybrid items a, b, c, d.
describe("blendByFormula by hand", () => {
  it("a linear formula scores as the weighted sum of normalised scores", () => {
    const hybrid = blendByFormula("0.6 * A + 0.4 * B", AB, { normalization: "min-max" });
    const expected = [0, 0.5, 0.6, 0.4];
    scoresOf(hybrid, "u1").forEach((s, h) => expect(s).toBeCloseTo(expected[h]!, 12));
    expect(hybrid.linear).toEqual({ constant: 0, weights: new Map([["A", 0.6], ["B", 0.4]]) });
    expect(hybrid.spec).toEqual({
      kind: "formula",
      version: 1,
      name: "hybrid",
      normalization: "min-max",
      missing: "min",
      formula: "0.6 * A + 0.4 * B",
      components: ["A", "B"],
    });
  });

  it("finds the linear form through parentheses, subtraction, unary minus, division by numbers and implicit products", () => {
    const hybrid = blendByFormula("(3A - -2 * B) / 5 + 1 - 0.5 * (2 * A - A)", AB, { normalization: "min-max" });
    expect(hybrid.linear?.constant).toBeCloseTo(1, 15);
    expect(hybrid.linear?.weights.get("A")).toBeCloseTo(0.1, 15);
    expect(hybrid.linear?.weights.get("B")).toBeCloseTo(0.4, 15);
    const expected = [1, 1.25, 1.1, 1.4];
    scoresOf(hybrid, "u1").forEach((s, h) => expect(s).toBeCloseTo(expected[h]!, 12));
  });

  it("a product of components: scores, no linear form, and exact Shapley parts", () => {
    const hybrid = blendByFormula("A * B + 0.5 * A", AB, { normalization: "min-max" });
    expect(hybrid.linear).toBeNull();
    const expected = [0, 0.5, 0.5, 0];
    scoresOf(hybrid, "u1").forEach((s, h) => expect(s).toBeCloseTo(expected[h]!, 12));
    // f(A, B) = AB + A/2 at (.5, .5): f(0,0) = 0, f(A) = .25, f(B) = 0, f(AB) = .5
    // φ_A = ½(.25 + .5) = .375, φ_B = ½(0 + .25) = .125
    const why = explainBlend(hybrid, "u1", "b");
    expect(why.base).toBe(0);
    expect(why.score).toBeCloseTo(0.5, 12);
    expect(why.contributions.map((c) => c.weight)).toEqual([null, null]);
    expect(why.contributions[0]!.contribution).toBeCloseTo(0.375, 12);
    expect(why.contributions[1]!.contribution).toBeCloseTo(0.125, 12);
  });

  it("explains a linear formula as weight × value with the constant as base", () => {
    const hybrid = blendByFormula("2 + 0.6 * A - 0.4 * B", AB, { normalization: "min-max" });
    const why = explainBlend(hybrid, "u1", "d");
    expect(why.base).toBe(2);
    expect(why.contributions.map((c) => [c.name, c.weight, c.value, c.scored])).toEqual([
      ["A", 0.6, 0, false],
      ["B", -0.4, 1, true],
    ]);
    expect(why.score).toBeCloseTo(1.6, 12);
    expect(why.contributions[1]!.contribution).toBeCloseTo(-0.4, 12);
  });

  it("keeps the blend's behaviour for seen items, unknown users and items no component scores", () => {
    const hybrid = blendByFormula("A + B", AB, { normalization: "min-max" });
    expect(itemIdsOf(recommend(hybrid, "u1", { k: 4 }))).not.toContain("a"); // A saw a
    const cold = recommend(hybrid, "stranger", { k: 2 });
    expect(cold.fallback).toEqual({ reason: "unknown-user", source: "hybrid" });
    expect(itemIdsOf(cold)).toEqual(["b", "c"]); // only B's fallback (d 1, c 2, b 3) scores
  });

  it("rebuilds from its spec through JSON, ignoring recommenders the spec does not name", () => {
    const hybrid = blendByFormula("A * B - B / 4", AB, { normalization: "rank-percentile", missing: "zero", name: "mix" });
    const spec = JSON.parse(JSON.stringify(hybrid.spec));
    const rebuilt = formulaBlendFromSpec(spec, new Map([...AB, ["unused", componentA]]));
    expect(rebuilt.name).toBe("mix");
    for (const user of ["u1", "u2", "u3", "x"]) expect(scoresOf(rebuilt, user)).toEqual(scoresOf(hybrid, user));
    expectError(() => formulaBlendFromSpec(spec, new Map([["A", componentA]])), "E_UNKNOWN_ID", '"B" (spec.components[1])');
    expectError(() => formulaBlendFromSpec({ ...spec, kind: "blend" }, AB), "E_BAD_MODEL", "formula blend spec");
  });
});

describe("blendByFormula rejects everything outside its grammar", () => {
  const grammar = "formula may only use numbers, the component names, + - * / and parentheses; got";
  it.each([
    ["A = 1 + B", `an assignment "A = 1 + B"`],
    ["f(x) = x + A + B", "an assignment"],
    ["max(A, B)", `the function call "max(A, B)"`],
    ["A ^ 2 + B", `the operator "^" in "A ^ 2"`],
    ["A > B", `the operator ">" in "A > B"`],
    ["A mod 2 + B", `the operator "mod"`],
    ["A; B", "a sequence of statements"],
    ["[A, B]", "a matrix"],
    ["A ? B : 1", "a conditional"],
    ['"x" + A + B', "the constant"],
    ["A < B < 1", "a comparison"],
    ["A.x + B", "a property access"],
    ["A + B'", `the operator "'"`],
    ["A + B!", `the operator "!"`],
    ["A + B and 1", `the operator "and"`],
  ])("%s", (formula, what) => {
    expectError(() => blendByFormula(formula, AB), "E_BAD_INPUT", `blendByFormula: ${grammar} ${what}`);
  });

  it("names unknown symbols, unused components, bad divisors, syntax errors and bad names", () => {
    expectError(() => blendByFormula("A + C", AB), "E_UNKNOWN_ID", 'formula names "C", which is not a component (components: "A", "B")');
    expectError(() => blendByFormula("A + pi * B", AB), "E_UNKNOWN_ID", '"pi"');
    expectError(() => blendByFormula("2 * A", AB), "E_BAD_INPUT", 'formula does not use the component "B"');
    expectError(() => blendByFormula("A / B", AB), "E_BAD_INPUT", 'may only divide by a number, got "A / B"');
    expectError(() => blendByFormula("A / (1 - 1) + B", AB), "E_BAD_INPUT", "divides by zero");
    expectError(() => blendByFormula("A +", AB), "E_BAD_INPUT", 'formula "A +" does not parse');
    expectError(() => blendByFormula("1e999 * A + B", AB), "E_NON_FINITE", "constants must be finite");
    expectError(() => blendByFormula("", AB), "E_BAD_INPUT", "non-empty string");
    expectError(() => blendByFormula(`A + B${" + 0".repeat(400)}`, AB), "E_BAD_INPUT", "at most 1000 characters");
    expectError(() => blendByFormula("A", new Map([["item-knn", componentA]])), "E_BAD_INPUT", 'must be identifiers (a letter or "_", then letters, digits or "_"), got "item-knn"');
    expectError(() => blendByFormula("A", new Map()), "E_EMPTY");
    expectError(() => blendByFormula("A", [["A", componentA]] as never), "E_BAD_INPUT", "must be a Map");
    expectError(() => blendByFormula("A + B", AB, { normalization: "softmax" as never }), "E_BAD_INPUT", "options.normalization");
  });

  it("accepts the names JavaScript objects misuse, as component names", () => {
    const hybrid = blendByFormula("constructor + 2 * __proto__", new Map([["constructor", componentA], ["__proto__", componentB]]));
    expect(hybrid.linear?.weights.get("__proto__")).toBe(2);
  });
});

const NORMALIZATIONS: Normalization[] = ["z-score", "min-max", "rank-percentile", "none"];

describe("blendByFormula properties", () => {
  it("a linear formula scores exactly as blendRecommenders with the same weights", () => {
    fc.assert(
      fc.property(
        fc.array(componentArb("c"), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 4, maxLength: 4 }),
        fc.constantFrom(...NORMALIZATIONS),
        fc.constantFrom<"min" | "zero">("min", "zero"),
        (components, tenths, normalization, missing) => {
          const names = components.map((_, c) => `c${c}`);
          const formula = names.map((n, c) => `${tenths[c]! / 10} * ${n}`).join(" + ");
          const byFormula = blendByFormula(formula, new Map(names.map((n, c) => [n, components[c]!])), { normalization, missing });
          const byWeights = blendRecommenders(
            names.map((name, c) => ({ name, recommender: components[c]!, weight: tenths[c]! / 10 })),
            { normalization, missing },
          );
          for (const user of ["u0", "u1", "unknown"]) {
            const a = scoresOf(byFormula, user);
            const b = scoresOf(byWeights, user);
            a.forEach((s, h) => (Number.isNaN(b[h]!) ? expect(s).toBeNaN() : expect(s).toBeCloseTo(b[h]!, 10)));
          }
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it("Shapley parts of any formula sum to score − base; symmetric components get equal parts for equal values", () => {
    fc.assert(
      fc.property(
        fc.array(componentArb("c"), { minLength: 2, maxLength: 3 }),
        fc.constantFrom("c0 * c1 + 0.3 * c1", "(c0 - 1) * (c1 + 2) / 4", "c0 * c0 * c1 - c1"),
        fc.constantFrom(...NORMALIZATIONS),
        (components, formula, normalization) => {
          const recommenders = new Map([
            ["c0", components[0]!],
            ["c1", components[1]!],
          ]);
          const hybrid = blendByFormula(formula, recommenders, { normalization });
          for (const user of ["u0", "u1"]) {
            for (const item of hybrid.items.ids) {
              const why = explainBlend(hybrid, user, item);
              if (Number.isNaN(why.score)) continue;
              const total = why.base + why.contributions.reduce((s, c) => s + c.contribution, 0);
              expect(total).toBeCloseTo(why.score, 9);
            }
          }
          const symmetric = blendByFormula("c0 * c1", recommenders, { normalization });
          for (const item of symmetric.items.ids) {
            const why = explainBlend(symmetric, "u0", item);
            const [p, q] = why.contributions;
            if (!Number.isNaN(why.score) && p!.value === q!.value) expect(p!.contribution).toBeCloseTo(q!.contribution, 12);
          }
        },
      ),
      { seed: 7, numRuns: 100 },
    );
  });

  it("a formula of one component times a positive number ranks exactly as that component", () => {
    fc.assert(
      fc.property(componentArb("c"), fc.constantFrom(...NORMALIZATIONS), fc.integer({ min: 1, max: 50 }), (component, normalization, factor) => {
        const hybrid = blendByFormula(`${factor} * solo / 7`, new Map([["solo", component]]), { normalization });
        const k = component.items.ids.length;
        for (const user of ["u0", "u1"]) {
          expect(itemIdsOf(recommend(hybrid, user, { k }))).toEqual(itemIdsOf(recommend(component, user, { k })));
        }
      }),
      { seed: 42, numRuns: 150 },
    );
  });
});
