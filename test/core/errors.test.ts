import { describe, expect, it } from "vitest";
import { NextbestError, describeValue } from "../../src/core/index.ts";

describe("NextbestError", () => {
  it("is an Error with a stable code and its message", () => {
    const error = new NextbestError("E_SHAPE", "dot: b must have length 3, got length 2");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("NextbestError");
    expect(error.code).toBe("E_SHAPE");
    expect(error.message).toBe("dot: b must have length 3, got length 2");
  });
});

describe("describeValue", () => {
  it("renders values for messages", () => {
    expect(describeValue("abc")).toBe('"abc"');
    expect(describeValue(Number.NaN)).toBe("NaN");
    expect(describeValue(Number.POSITIVE_INFINITY)).toBe("Infinity");
    expect(describeValue(null)).toBe("null");
    expect(describeValue(undefined)).toBe("undefined");
    expect(describeValue([1, 2, 3])).toBe("array of length 3");
    expect(describeValue(new Float64Array(4))).toBe("Float64Array of length 4");
    expect(describeValue({})).toBe("an object");
    expect(describeValue(new Map())).toBe("a Map");
    expect(describeValue("x".repeat(100))).toBe(JSON.stringify(`${"x".repeat(57)}...`));
  });
});
