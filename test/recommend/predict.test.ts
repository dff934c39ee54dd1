import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createIdIndex, type Id } from "../../src/core/id-index.ts";
import { predict, predictMany, type Recommender } from "../../src/recommend/index.ts";
import { fixedRecommender, type FixedSpec } from "./fixtures.ts";
import { expectError } from "../helpers.ts";

const shop: FixedSpec = {
  users: ["u1", "u2", "__proto__"],
  items: ["a", "b", "c"],
  scores: [
    [0.5, 0.9, Number.NaN],
    [1, 2, 3],
    [3, 3, 3],
  ],
  seen: [[1], [], [0]],
  fallback: [5, 4, 3],
};

/** A rating model with its own predict(u, i) = 10u + i, and scoreUser that agrees with it. */
function ratingModel(): Recommender & { predictCalls: number; scoreCalls: number } {
  const model = {
    name: "rating",
    users: createIdIndex(["x", "y"]),
    items: createIdIndex(["p", "q", "r"]),
    predictCalls: 0,
    scoreCalls: 0,
    scoreUser(user: number, out: Float64Array): void {
      model.scoreCalls++;
      for (let i = 0; i < out.length; i++) out[i] = 10 * user + i;
    },
    seenItems(): ArrayLike<number> {
      return [];
    },
    predict(user: number, item: number): number {
      model.predictCalls++;
      return 10 * user + item;
    },
  };
  return model;
}

describe("predict", () => {
  it("reads the item's entry of scoreUser for a known pair", () => {
    const r = fixedRecommender(shop);
    expect(predict(r, "u1", "b")).toEqual({ user: "u1", item: "b", value: 0.9, fallback: null });
    expect(predict(r, "__proto__", "c").value).toBe(3);
  });

  it("returns the model's NaN as a value with no fallback marker (the model cannot predict the pair)", () => {
    expect(predict(fixedRecommender(shop), "u1", "c")).toEqual({ user: "u1", item: "c", value: Number.NaN, fallback: null });
  });

  it("gives an unknown user the fallback's score, marked with its source", () => {
    expect(predict(fixedRecommender(shop), "zoe", "b")).toEqual({
      user: "zoe",
      item: "b",
      value: 4,
      fallback: { reason: "unknown-user", source: "fixed-fallback" },
    });
  });

  it("gives an unknown user NaN with source null when the model has no fallback", () => {
    const { fallback: _unused, ...noFallback } = shop;
    expect(predict(fixedRecommender(noFallback), "zoe", "b")).toEqual({
      user: "zoe",
      item: "b",
      value: Number.NaN,
      fallback: { reason: "unknown-user", source: null },
    });
  });

  it("marks an unknown item (even for an unknown user) as NaN with reason unknown-item", () => {
    const r = fixedRecommender(shop);
    expect(predict(r, "u1", "zz")).toEqual({ user: "u1", item: "zz", value: Number.NaN, fallback: { reason: "unknown-item", source: null } });
    expect(predict(r, "zoe", "zz").fallback).toEqual({ reason: "unknown-item", source: null });
    expect(r.calls).toHaveLength(0);
  });

  it("throws E_UNKNOWN_ID for unknown ids under strict, user first", () => {
    const r = fixedRecommender(shop);
    expectError(() => predict(r, "zoe", "zz", { strict: true }), "E_UNKNOWN_ID", 'predict: user must be a user the model knows (strict), got "zoe"');
    expectError(() => predict(r, "u1", "zz", { strict: true }), "E_UNKNOWN_ID", 'predict: item must be an item the model knows (strict), got "zz"');
    expect(predict(r, "u1", "a", { strict: true }).value).toBe(0.5);
  });

  it("uses recommender.predict when the model implements it, never scoring the catalog", () => {
    const model = ratingModel();
    expect(predict(model, "y", "r").value).toBe(12);
    expect(model.predictCalls).toBe(1);
    expect(model.scoreCalls).toBe(0);
  });

  it("rejects bad arguments with clear errors", () => {
    const r = fixedRecommender(shop);
    expectError(() => predict({} as Recommender, "u1", "a"), "E_BAD_INPUT", "predict: recommender.name must be a string");
    expectError(() => predict(r, Number.NaN, "a"), "E_NON_FINITE", "predict: user must be a string or a finite number, got NaN");
    expectError(() => predict(r, "u1", {} as unknown as Id), "E_BAD_INPUT", "predict: item must be a string or a finite number");
    expectError(() => predict(r, "u1", "a", { strict: 1 as unknown as boolean }), "E_BAD_INPUT", "predict: options.strict must be a boolean, got 1");
    expectError(() => predict({ ...r, predict: 3 } as unknown as Recommender, "u1", "a"), "E_BAD_INPUT", "predict: recommender.predict must be a function or absent, got 3");
  });
});

describe("predictMany", () => {
  it("scores each distinct user once, whatever the order of the pairs", () => {
    const r = fixedRecommender(shop);
    const pairs = [
      { user: "u1", item: "a" },
      { user: "u2", item: "c" },
      { user: "u1", item: "b" },
      { user: "zoe", item: "a" },
      { user: "u2", item: "a" },
      { user: "zoe", item: "c" },
    ];
    const out = predictMany(r, pairs);
    expect(out.map((p) => p.value)).toEqual([0.5, 3, 0.9, 5, 1, 3]);
    expect(out.map((p) => p.fallback?.reason ?? null)).toEqual([null, null, null, "unknown-user", null, "unknown-user"]);
    // u1, u2, zoe's fallback: three scorings, one buffer.
    expect(r.calls).toHaveLength(3);
    expect(new Set(r.calls).size).toBe(1);
  });

  it("uses recommender.predict per pair when present", () => {
    const model = ratingModel();
    expect(predictMany(model, [{ user: "x", item: "q" }, { user: "y", item: "p" }]).map((p) => p.value)).toEqual([1, 10]);
    expect(model.predictCalls).toBe(2);
    expect(model.scoreCalls).toBe(0);
  });

  it("accepts any iterable and returns [] for no pairs", () => {
    const r = fixedRecommender(shop);
    expect(predictMany(r, [])).toEqual([]);
    expect(predictMany(r, new Set([{ user: "u2", item: "b" }]))[0]!.value).toBe(2);
  });

  it("names the offending pair by position", () => {
    const r = fixedRecommender(shop);
    expectError(() => predictMany(r, [{ user: "u1", item: "a" }, { user: "u1", item: Number.NaN }]), "E_NON_FINITE", "predictMany: pairs[1].item must be");
    expectError(() => predictMany(r, [null as unknown as { user: Id; item: Id }]), "E_BAD_INPUT", "predictMany: pairs[0] must be a { user, item } object, got null");
    expectError(() => predictMany(r, [{ user: "u1", item: "a" }, { user: "zoe", item: "a" }], { strict: true }), "E_UNKNOWN_ID", 'predictMany: pairs[1].user must be a user the model knows (strict), got "zoe"');
    expectError(() => predictMany(r, "u1" as unknown as []), "E_BAD_INPUT", "predictMany: pairs must be an iterable");
  });

  it("equals predict pair by pair (property)", () => {
    const ids: Id[] = ["u1", "u2", "__proto__", "zoe", 7];
    const itemIds: Id[] = ["a", "b", "c", "zz"];
    fc.assert(
      fc.property(
        fc.array(fc.record({ user: fc.constantFrom(...ids), item: fc.constantFrom(...itemIds) }), { maxLength: 30 }),
        fc.boolean(),
        (pairs, withFallback) => {
          const spec = withFallback ? shop : { users: shop.users, items: shop.items, scores: shop.scores, seen: shop.seen };
          const r = fixedRecommender(spec);
          const batch = predictMany(r, pairs);
          const single = pairs.map((p) => predict(fixedRecommender(spec), p.user, p.item));
          expect(batch).toEqual(single);
          const distinctUsers = new Set(pairs.filter((p) => p.item !== "zz").map((p) => p.user));
          if (!withFallback) for (const user of ["zoe", 7]) distinctUsers.delete(user);
          expect(r.calls.length).toBe(distinctUsers.size);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
