import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createIdIndex, idAt, idIndexFromJSON, idIndexToJSON, indexOfId, type Id } from "../../src/core/index.ts";

describe("createIdIndex", () => {
  it("numbers ids in first-seen order and keeps the first index of a repeat", () => {
    const index = createIdIndex(["b", "a", "b", 3, "3"]);
    expect(index.ids).toEqual(["b", "a", 3, "3"]);
    expect(indexOfId(index, "b")).toBe(0);
    expect(indexOfId(index, 3)).toBe(2);
    expect(indexOfId(index, "3")).toBe(3);
    expect(indexOfId(index, "missing")).toBe(-1);
    expect(idAt(index, 1)).toBe("a");
  });

  it("handles ids that collide with Object.prototype", () => {
    const index = createIdIndex(["__proto__", "constructor", "", "toString", "hasOwnProperty"]);
    expect(indexOfId(index, "__proto__")).toBe(0);
    expect(indexOfId(index, "constructor")).toBe(1);
    expect(indexOfId(index, "")).toBe(2);
    expect(indexOfId(index, "valueOf")).toBe(-1);
  });

  it("rejects invalid ids naming the position, and duplicates under duplicates: error", () => {
    expect(() => createIdIndex(["a", Number.NaN])).toThrow(/createIdIndex: ids\[1\] must be a string or a finite number, got NaN/);
    expect(() => createIdIndex(["a", null as unknown as Id])).toThrow(expect.objectContaining({ code: "E_BAD_INPUT" }));
    expect(() => createIdIndex(["a", "b", "a"], { duplicates: "error" })).toThrow(
      expect.objectContaining({ code: "E_DUPLICATE", message: 'createIdIndex: ids must be unique, got "a" again at position 2' }),
    );
    expect(() => idAt(createIdIndex(["a"]), 1)).toThrow(/idAt: position must be an integer in \[0, 1\), got 1/);
  });

  it("round-trips through JSON for every string and number id", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.oneof(
            fc.string({ unit: "binary" }),
            fc.constantFrom("__proto__", "constructor", "", "prototype"),
            fc.integer(),
            fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
          ),
          { comparator: "SameValueZero" },
        ),
        (ids) => {
          const index = createIdIndex(ids);
          const back = idIndexFromJSON(JSON.parse(JSON.stringify(idIndexToJSON(index))));
          expect(back.ids).toEqual(index.ids);
          ids.forEach((id, i) => expect(indexOfId(back, id)).toBe(i));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("idIndexFromJSON rejects malformed JSON with E_BAD_MODEL", () => {
    expect(() => idIndexFromJSON(null)).toThrow(expect.objectContaining({ code: "E_BAD_MODEL" }));
    expect(() => idIndexFromJSON({ ids: ["a", "a"] })).toThrow(/idIndexFromJSON: ids must be unique/);
    expect(() => idIndexFromJSON({ ids: [true] })).toThrow(expect.objectContaining({ code: "E_BAD_MODEL" }));
  });
});
