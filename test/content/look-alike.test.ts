import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createInteractions } from "../../src/data/index.ts";
import { denseFromRows } from "../../src/linalg/index.ts";
import { fitLookAlikeModel, lookAlikeFromJSON, lookAlikeRecommender, lookAlikeToJSON } from "../../src/content/index.ts";
import { recommend, scoreItems } from "../../src/recommend/index.ts";
import { expectError, itemIdsOf } from "../helpers.ts";

// Firmographics [a, b]: c1 = (1, 0), c2 = (0.8, 0.6), c3 = (0, 1); prospect p = (0.6, 0.8); c4 = (1, 0) bought nothing.
const purchases = createInteractions([
  { user: "c1", item: "x" },
  { user: "c2", item: "x" },
  { user: "c2", item: "y" },
  { user: "c3", item: "z" },
]);
const accounts = { ids: ["c1", "c2", "c3", "p", "c4"], features: denseFromRows([[1, 0], [0.8, 0.6], [0, 1], [0.6, 0.8], [2, 0]]) };

describe("lookAlikeRecommender by hand", () => {
  it("the k most similar customers vote with their cosine; non-customers and the account itself never vote", () => {
    // cos(p, c1) = .6, cos(p, c2) = .48 + .48 = .96, cos(p, c3) = .8; c4 has no purchases.
    const two = lookAlikeRecommender(fitLookAlikeModel(purchases, accounts, { neighbors: 2 }));
    const expected = [0.96, 0.96, 0.8]; // x: c2; y: c2; z: c3 (c1 is third)
    Array.from(scoreItems(two, "p").scores).forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 12));
    const all = lookAlikeRecommender(fitLookAlikeModel(purchases, accounts));
    const full = [0.6 + 0.96, 0.96, 0.8];
    Array.from(scoreItems(all, "p").scores).forEach((s, i) => expect(s).toBeCloseTo(full[i]!, 12));
    // c1 does not vote for itself: its neighbours are c2 (.8) and c3 (0, no vote); x is seen.
    expect(itemIdsOf(recommend(all, "c1", { k: 3 }))).toEqual(["y", "z"]);
    expect(recommend(all, "c1", { k: 3 }).items[0]!.score).toBeCloseTo(0.8, 12);
    expect(Array.from(all.seenItems(1))).toEqual([0, 1]);
    expect(Array.from(all.seenItems(4))).toEqual([]);
  });

  it("rejects bad input", () => {
    expectError(() => fitLookAlikeModel(purchases, { ids: ["c1"], features: denseFromRows([[1, 0], [0, 1]]) }), "E_SHAPE");
    expectError(() => fitLookAlikeModel(purchases, { ids: ["c1", "c1"], features: denseFromRows([[1], [1]]) }), "E_DUPLICATE");
    expectError(() => fitLookAlikeModel(purchases, { ids: ["c1"], features: { rows: 1, cols: 1, data: new Float64Array([Number.NaN]) } }), "E_NON_FINITE", "row 0 column 0");
    expectError(() => fitLookAlikeModel(purchases, { ids: ["nobody"], features: denseFromRows([[1]]) }), "E_EMPTY");
    expectError(() => fitLookAlikeModel(purchases, accounts, { neighbors: 0 }), "E_BAD_INPUT", "options.neighbors");
    expectError(() => fitLookAlikeModel({} as never, accounts), "E_BAD_INPUT", "interactions");
    expectError(() => lookAlikeRecommender({ kind: "content" } as never), "E_BAD_MODEL");
  });
});

describe("look-alike properties", () => {
  const rowsArb = fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 8 });
  it("JSON round trip gives the same model and scores; scores are >= 0 and at most the neighbours' total similarity", () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 12 }), (rows, neighbors, picks) => {
        const ids = rows.map((_, r) => (r === 0 ? "__proto__" : `a${r}`));
        const bought = createInteractions(picks.map((p) => ({ user: ids[p % ids.length]!, item: `i${p % 5}` })));
        const model = fitLookAlikeModel(bought, { ids, features: denseFromRows(rows) }, { neighbors });
        const copy = lookAlikeFromJSON(JSON.parse(JSON.stringify(lookAlikeToJSON(model))));
        expect(copy).toEqual(model);
        for (const id of ids) {
          const scores = scoreItems(lookAlikeRecommender(model), id).scores;
          expect(scoreItems(lookAlikeRecommender(copy), id).scores).toEqual(scores);
          for (const s of scores) {
            expect(s).toBeGreaterThanOrEqual(0);
            expect(s).toBeLessThanOrEqual(neighbors + 1e-12);
          }
        }
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
