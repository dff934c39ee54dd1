import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createInteractions, transformValues, userItems, VALUE_TRANSFORMS } from "../../src/data/index.ts";
import { expectError } from "../helpers.ts";

// acme: tea 3, mug 1; bolt: tea 12. Two accounts; tea bought by both, mug by one.
const data = createInteractions([
  { user: "acme", item: "tea", value: 3 },
  { user: "acme", item: "mug", value: 1 },
  { user: "bolt", item: "tea", value: 12 },
]);

describe("transformValues", () => {
  it("computes BM25 and TF-IDF as implicit's bm25_weight and tfidf_weight (hand-computed)", () => {
    const idfTea = Math.log(2) - Math.log1p(2);
    const idfMug = Math.log(2) - Math.log1p(1);
    const mean = (4 + 12) / 2;
    const k1 = 100;
    const b = 0.8;
    const normAcme = 1 - b + (b * 4) / mean;
    const bm25 = transformValues(data, "bm25");
    const acme = userItems(bm25, "acme");
    expect(acme.items).toEqual(["tea", "mug"]);
    expect(acme.values[0]).toBeCloseTo(((3 * (k1 + 1)) / (k1 * normAcme + 3)) * idfTea, 12);
    expect(acme.values[1]).toBeCloseTo(((1 * (k1 + 1)) / (k1 * normAcme + 1)) * idfMug, 12);
    const tfidf = transformValues(data, "tfidf");
    expect(userItems(tfidf, "bolt").values[0]).toBeCloseTo(Math.sqrt(12) * idfTea, 12);
  });

  it("keeps ids, pattern and timestamps; changes no input; binary is all ones, raw is the same values", () => {
    const rows = fc.array(
      fc.record({ user: fc.integer({ min: 0, max: 5 }), item: fc.integer({ min: 0, max: 5 }), value: fc.integer({ min: 0, max: 50 }), timestamp: fc.integer({ min: 0, max: 9 }) }),
      { minLength: 1, maxLength: 40 },
    );
    fc.assert(
      fc.property(rows, fc.constantFrom(...VALUE_TRANSFORMS), (r, transform) => {
        const input = createInteractions(r);
        const before = Array.from(input.byUser.values);
        const out = transformValues(input, transform);
        expect(Array.from(input.byUser.values)).toEqual(before);
        expect(out.users).toBe(input.users);
        expect(out.byUser.indices).toBe(input.byUser.indices);
        expect(out.timestamps).toBe(input.timestamps);
        expect(out.events).toBeUndefined();
        for (const v of out.byUser.values) expect(Number.isFinite(v)).toBe(true);
        if (transform === "binary") for (const v of out.byUser.values) expect(v).toBe(1);
        if (transform === "raw") expect(Array.from(out.byUser.values)).toEqual(before);
        if (transform === "log1p") out.byUser.values.forEach((v, p) => expect(v).toBeCloseTo(Math.log1p(before[p]!), 12));
        // byItem is the transpose of the transformed values.
        let total = 0;
        for (const v of out.byItem.values) total += v;
        expect(total).toBeCloseTo(out.byUser.values.reduce((s, v) => s + v, 0), 9);
      }),
      { seed: 5, numRuns: 100 },
    );
  });

  it("rejects an unknown transform, bad BM25 options and negative values", () => {
    expectError(() => transformValues(data, "sqrt" as never), "E_BAD_INPUT", 'transformValues: transform must be one of "raw", "binary"');
    expectError(() => transformValues(data, "bm25", { bm25K1: 0 }), "E_BAD_INPUT", "options.bm25K1 must be a finite number > 0, got 0");
    expectError(() => transformValues(data, "bm25", { bm25B: 2 }), "E_BAD_INPUT", "options.bm25B");
    const negative = createInteractions([{ user: "a", item: "x", value: -2 }]);
    expectError(() => transformValues(negative, "log1p"), "E_BAD_INPUT", 'data values must be >= 0 for "log1p", got -2 for user "a", item "x"');
    expect(transformValues(negative, "binary").byUser.values[0]).toBe(1);
  });
});
