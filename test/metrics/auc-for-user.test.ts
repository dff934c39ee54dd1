import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aucForUser, rocAuc } from "../../src/metrics/index.ts";
import type { Id } from "../../src/core/index.ts";
import { expectError } from "../helpers.ts";

// Reference: enumerate every (positive, negative) candidate pair; ranked beats unranked, unranked pairs tie.
function bruteForce(ranked: Id[], relevant: Id[], catalog: Id[], seen: Id[]): number {
  const seenSet = new Set(seen);
  const candidates = [...new Set(catalog)].filter((item) => !seenSet.has(item));
  const relevantSet = new Set(relevant);
  const rankOf = new Map<Id, number>();
  ranked.filter((item) => candidates.includes(item)).forEach((item, i) => rankOf.set(item, i));
  const positives = candidates.filter((item) => relevantSet.has(item));
  const negatives = candidates.filter((item) => !relevantSet.has(item));
  if (positives.length === 0 || negatives.length === 0) return Number.NaN;
  let won = 0;
  for (const p of positives) {
    for (const n of negatives) {
      const rp = rankOf.get(p) ?? Number.POSITIVE_INFINITY;
      const rn = rankOf.get(n) ?? Number.POSITIVE_INFINITY;
      won += rp < rn ? 1 : rp === rn ? 0.5 : 0;
    }
  }
  return won / (positives.length * negatives.length);
}

describe("aucForUser", () => {
  it("counts won pairs by hand, ties of unranked candidates as 1/2", () => {
    // catalog a..f, seen f. Candidates a..e; positives b, d; negatives a, c, e.
    // Full ranking b a d c e: b beats a, c, e (3); d beats c, e (2) → 5 / 6.
    const catalog = ["a", "b", "c", "d", "e", "f"];
    expect(aucForUser(["b", "a", "d", "c", "e"], ["b", "d"], { catalog, seen: ["f"] })).toBeCloseTo(5 / 6, 15);
    // Top 2 only (b a): b beats a, c, e (3); d loses to a, ties c and e (1) → 4 / 6
    expect(aucForUser(["b", "a"], ["b", "d"], { catalog, seen: ["f"] })).toBeCloseTo(4 / 6, 15);
    // Seen and unknown ids in the ranking are ignored; relevant items outside the candidates are not positives
    expect(aucForUser(["f", "zz", "b", "a"], ["b", "d", "f", "zz"], { catalog, seen: ["f"] })).toBeCloseTo(4 / 6, 15);
    // Empty ranking: every pair ties
    expect(aucForUser([], ["b"], { catalog })).toBe(0.5);
  });

  it("is NaN without a positive or a negative candidate", () => {
    expect(aucForUser(["a"], ["x"], { catalog: ["a", "b"] })).toBeNaN();
    expect(aucForUser(["a"], ["a", "b"], { catalog: ["a", "b"] })).toBeNaN();
  });

  it("rejects a missing catalog and repeated ids", () => {
    expectError(() => aucForUser(["a"], ["a"], {} as never), "E_BAD_INPUT", "aucForUser: options.catalog must be a Set or an array of ids");
    expectError(() => aucForUser(["a", "a"], ["a"], { catalog: ["a"] }), "E_DUPLICATE", 'aucForUser: ranked must not repeat an id, got "a" at positions 0 and 1');
  });

  it("equals the brute-force pair count, and rocAuc of rank scores with unranked candidates tied lowest", () => {
    const ids = fc.integer({ min: 0, max: 20 });
    fc.assert(
      fc.property(
        fc.uniqueArray(ids, { maxLength: 20 }),
        fc.array(ids, { maxLength: 8 }),
        fc.array(ids, { minLength: 1, maxLength: 20 }),
        fc.array(ids, { maxLength: 5 }),
        (ranked, relevant, catalog, seen) => {
          const expected = bruteForce(ranked, relevant, catalog, seen);
          const actual = aucForUser(ranked, new Set(relevant), { catalog: new Set(catalog), seen });
          if (Number.isNaN(expected)) {
            expect(actual).toBeNaN();
            return;
          }
          expect(actual).toBeCloseTo(expected, 12);
          // the same as the AUC of scores: ranked candidates get descending scores, unranked ones -1
          const seenSet = new Set(seen);
          const candidates = [...new Set(catalog)].filter((item) => !seenSet.has(item));
          const position = new Map(ranked.filter((item) => candidates.includes(item)).map((item, i) => [item, i]));
          const scores = candidates.map((item) => (position.has(item) ? 100 - position.get(item)! : -1));
          const labels = candidates.map((item) => (relevant.includes(item) ? 1 : 0));
          expect(actual).toBeCloseTo(rocAuc(scores, labels), 12);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
