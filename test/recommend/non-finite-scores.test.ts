// A custom recommender writing ±Infinity scores passed them through recommend (issue 15): an infinite score has no
// defined place in a ranking, so recommend and recommendMany now throw E_NON_FINITE naming the item, the user and the
// recommender. NaN keeps its documented meaning ("cannot score": the item ends the list).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NextbestError } from "../../src/core/errors.ts";
import { recommend, recommendMany } from "../../src/recommend/index.ts";
import { fixedRecommender } from "./fixtures.ts";

function caught(call: () => unknown): NextbestError {
  try {
    call();
  } catch (error) {
    if (error instanceof NextbestError) return error;
    throw error;
  }
  throw new Error("expected a NextbestError");
}

describe("recommend rejects infinite scores", () => {
  const custom = fixedRecommender({
    users: ["acme", "globex"],
    items: ["crm", "erp", "bi"],
    scores: [
      [1, Number.POSITIVE_INFINITY, 0.5],
      [0.2, 0.1, Number.NEGATIVE_INFINITY],
    ],
    seen: [[], []],
    fallback: [0, Number.NEGATIVE_INFINITY, 1],
  });

  it("names the item, the user and the recommender for +Infinity", () => {
    const error = caught(() => recommend(custom, "acme"));
    expect(error.code).toBe("E_NON_FINITE");
    expect(error.message).toBe(
      'recommend: recommender.scoreUser must write finite scores (or NaN for "cannot score"), got Infinity for item "erp" (user "acme", recommender "fixed")',
    );
  });

  it("names -Infinity too, even on an item the options leave out", () => {
    const error = caught(() => recommend(custom, "globex", { denyItems: ["bi"] }));
    expect(error.code).toBe("E_NON_FINITE");
    expect(error.message).toContain('got -Infinity for item "bi" (user "globex"');
  });

  it("checks the fallback's scores for an unknown user", () => {
    const error = caught(() => recommend(custom, "initech"));
    expect(error.code).toBe("E_NON_FINITE");
    expect(error.message).toContain('recommend: recommender.fallback.scoreInto must write finite scores');
    expect(error.message).toContain('item "erp" (user "initech"');
  });

  it("recommendMany names itself", () => {
    const error = caught(() => recommendMany(custom, ["acme"]));
    expect(error.message.startsWith("recommendMany: recommender.scoreUser")).toBe(true);
  });

  it("keeps NaN as 'cannot score' and the finite extremes as scores", () => {
    const partial = fixedRecommender({
      users: ["u"],
      items: ["a", "b", "c", "d"],
      scores: [[Number.NaN, -Number.MAX_VALUE, Number.MAX_VALUE, 0]],
      seen: [[]],
    });
    expect(recommend(partial, "u").items.map((r) => r.item)).toEqual(["c", "d", "b"]);
  });

  it("property: any score row with an infinity throws E_NON_FINITE naming its first infinite item; any other row ranks", () => {
    const score = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constant(Number.NaN),
      fc.constant(Number.POSITIVE_INFINITY),
      fc.constant(Number.NEGATIVE_INFINITY),
    );
    fc.assert(
      fc.property(fc.array(score, { minLength: 1, maxLength: 12 }), (scores) => {
        const items = scores.map((_, i) => `item${i}`);
        const model = fixedRecommender({ users: ["u"], items, scores: [scores], seen: [[]] });
        const first = scores.findIndex((s) => s === Number.POSITIVE_INFINITY || s === Number.NEGATIVE_INFINITY);
        if (first < 0) {
          const result = recommend(model, "u", { k: scores.length });
          expect(result.items.every((r) => Number.isFinite(r.score))).toBe(true);
          expect(result.items.length).toBe(scores.filter((s) => !Number.isNaN(s)).length);
        } else {
          const error = caught(() => recommend(model, "u"));
          expect(error.code).toBe("E_NON_FINITE");
          expect(error.message).toContain(`for item "item${first}"`);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
