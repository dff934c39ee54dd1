import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { topK } from "../../src/linalg/index.ts";
import { expectError } from "./helpers.ts";

// Reference: sort all eligible indices by (score desc, NaN last, index asc) and take k.
function referenceTopK(scores: number[], k: number, exclude?: Uint8Array): number[] {
  const eligible = scores.map((_, i) => i).filter((i) => exclude === undefined || exclude[i] === 0);
  eligible.sort((a, b) => {
    const sa = scores[a]!;
    const sb = scores[b]!;
    const na = Number.isNaN(sa);
    const nb = Number.isNaN(sb);
    if (na !== nb) return na ? 1 : -1;
    if (!na && sa !== sb) return sb - sa;
    return a - b;
  });
  return eligible.slice(0, k);
}

// Scores from a small pool so ties are frequent, plus NaN and infinities.
const score = fc.oneof(
  fc.constantFrom(0, 1, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0),
  fc.double({ noNaN: true, min: -10, max: 10 }),
);

describe("topK", () => {
  it("topK returns the best indices first with ties broken by lower index", () => {
    expect(Array.from(topK(new Float64Array([0.1, 0.9, 0.5, 0.9]), { k: 3 }))).toEqual([1, 3, 2]);
    expect(Array.from(topK([3, 1, 2], { k: 10 }))).toEqual([0, 2, 1]);
  });
  it("topK ranks NaN below every number, including -Infinity", () => {
    expect(Array.from(topK([Number.NaN, Number.NEGATIVE_INFINITY, Number.NaN, 0], { k: 4 }))).toEqual([3, 1, 0, 2]);
  });
  it("topK skips excluded indices and returns fewer when fewer are eligible", () => {
    expect(Array.from(topK([5, 4, 3], { k: 3, exclude: new Uint8Array([1, 0, 1]) }))).toEqual([1]);
    expect(topK([], { k: 3 }).length).toBe(0);
  });
  it("topK rejects a bad k or mask", () => {
    expectError(() => topK([1], { k: 0 }), "E_BAD_INPUT", "topK: options.k must be a positive integer, got 0");
    expectError(() => topK([1], { k: 1.5 }), "E_BAD_INPUT");
    expectError(() => topK([1, 2], { k: 1, exclude: new Uint8Array(3) }), "E_SHAPE");
    expectError(() => topK([1, 2], { k: 1, exclude: [0, 0] as unknown as Uint8Array }), "E_BAD_INPUT", "Uint8Array");
  });
  it("topK equals a sort-based reference on all inputs, with ties, NaN and an exclusion mask (property)", () => {
    fc.assert(
      fc.property(
        fc.array(score, { maxLength: 60 }),
        fc.integer({ min: 1, max: 70 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        fc.boolean(),
        (scores, k, maskBits, useMask) => {
          const exclude = useMask ? Uint8Array.from(scores, (_, i) => (maskBits[i] ? 1 : 0)) : undefined;
          const expected = referenceTopK(scores, k, exclude);
          const fromArray = Array.from(topK(scores, exclude === undefined ? { k } : { k, exclude }));
          const fromTyped = Array.from(topK(Float64Array.from(scores), exclude === undefined ? { k } : { k, exclude }));
          return JSON.stringify(fromArray) === JSON.stringify(expected) && JSON.stringify(fromTyped) === JSON.stringify(expected);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
