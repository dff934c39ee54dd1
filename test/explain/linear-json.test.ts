import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  explainExact,
  explainLinear,
  explainLogistic,
  explainPermutation,
  explanationFromJSON,
  playerNames,
  type ModelFunction,
} from "../../src/explain/index.ts";
import { expectError } from "../helpers.ts";
import { sum } from "./games.ts";

describe("explainLinear and explainLogistic", () => {
  it("φ_j = β_j (x_j − mean_j) by hand, with weighted background means", () => {
    // means of (0, 10) weight 3 and (4, 2) weight 1: (1, 8)
    const why = explainLinear({ coefficients: [2, 0.5], intercept: 1 }, [3, 4], { background: [[0, 10], [4, 2]], backgroundWeights: [3, 1] });
    expect(why.values).toEqual([4, -2]);
    expect(why.baseValue).toBe(1 + 2 + 4);
    expect(why.output).toBe(1 + 6 + 2);
    expect([why.method, why.link, why.modelCalls, why.standardErrors]).toEqual(["linear", "identity", 0, null]);
  });

  it("logistic on the log-odds equals exact Shapley of the probability model with link logit and one background row", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (coefficients, x, means) => {
          const probability: ModelFunction = (z) => 1 / (1 + Math.exp(-(0.3 + sum(coefficients.map((b, j) => b * z[j]!)))));
          const exact = explainExact(probability, x, { background: [means], link: "logit" });
          const closed = explainLogistic({ coefficients, intercept: 0.3 }, x, { means });
          closed.values.forEach((v, j) => expect(v).toBeCloseTo(exact.values[j]!, 8));
          expect(closed.output).toBeCloseTo(exact.output, 8);
          expect(closed.link).toBe("logit");
        },
      ),
      { seed: 37, numRuns: 50 },
    );
  });

  it("groups sum their features' values", () => {
    const why = explainLinear({ coefficients: [1, 2, 3] }, [1, 1, 1], {
      means: [0, 0, 0],
      featureNames: ["a", "b", "c"],
      groups: [{ name: "ab", features: ["a", "b"] }, { name: "c", features: ["c"] }],
    });
    expect(why.values).toEqual([3, 3]);
    expect(playerNames(why)).toEqual(["ab", "c"]);
  });

  it("rejects a reference given twice or not at all, and mismatched shapes", () => {
    const model = { coefficients: [1, 2] };
    expectError(() => explainLinear(model, [1, 2], {}), "E_BAD_INPUT", "explainLinear: options must give means or background, got neither");
    expectError(() => explainLinear(model, [1, 2], { means: [0, 0], background: [[0, 0]] }), "E_BAD_INPUT", "not both");
    expectError(() => explainLogistic(model, [1, 2, 3], { means: [0, 0, 0] }), "E_SHAPE", "explainLogistic: model.coefficients must have length 3 (one per feature of x), got length 2");
    expectError(() => explainLinear(model, [1, 2], { means: [0] }), "E_SHAPE", "options.means must have length 2");
    expectError(() => explainLinear({ coefficients: [1, Number.POSITIVE_INFINITY] }, [1, 2], { means: [0, 0] }), "E_NON_FINITE", "model.coefficients[1] must be a finite number, got Infinity");
  });
});

describe("explanationFromJSON", () => {
  it("round-trips every method's explanation through JSON text, NaN data as null", () => {
    const permutation = explainPermutation((z) => z[0]! * z[1]! + z[2]!, [1, 2, 3], { background: [[0, 0, 0], [1, 1, 1]], permutations: 3 });
    const back = explanationFromJSON(JSON.parse(JSON.stringify(permutation)));
    expect(back).toEqual(permutation);
    expect(Object.isFrozen(back) && Object.isFrozen(back.values)).toBe(true);
    const withNaN = { ...JSON.parse(JSON.stringify(explainLinear({ coefficients: [1] }, [2], { means: [0] }))), data: [null] };
    expect(explanationFromJSON(withNaN).data[0]).toBeNaN();
  });

  it("rejects malformed fields naming them", () => {
    const good = JSON.parse(JSON.stringify(explainLinear({ coefficients: [1, 1] }, [2, 3], { means: [0, 0], groups: [{ name: "g", features: [0, 1] }] })));
    expectError(() => explanationFromJSON({ ...good, kind: "model" }), "E_BAD_MODEL", 'json.kind must be "explanation", got "model"');
    expectError(() => explanationFromJSON({ ...good, method: "magic" }), "E_BAD_MODEL", "json.method must be one of");
    expectError(() => explanationFromJSON({ ...good, values: [1, 2] }), "E_BAD_MODEL", "json.values must have length 1, got length 2");
    expectError(() => explanationFromJSON({ ...good, groups: [{ name: "g", features: [0] }] }), "E_BAD_MODEL", "json.groups must cover every feature");
    expectError(() => explanationFromJSON({ ...good, standardErrors: [Number.NaN] }), "E_BAD_MODEL", "json.standardErrors[0] must be a finite number");
    expectError(() => explanationFromJSON({ ...good, modelCalls: -1 }), "E_BAD_MODEL", "json.modelCalls must be an integer >= 0, got -1");
  });
});
