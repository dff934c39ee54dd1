import { describe, expect, it } from "vitest";
import { createRandom, randomNormal } from "../../src/core/index.ts";
import { driftReport } from "../../src/drift/index.ts";
import { generateB2bSample } from "../../src/datasets/index.ts";
import { expectError } from "../helpers.ts";

describe("driftReport", () => {
  it("names what moved, most severe first, with the change in words", () => {
    const random = createRandom(5);
    const reference = Array.from({ length: 1000 }, (_, i) => ({
      amount: randomNormal(random, { mean: 1000, standardDeviation: 100 }),
      tier: i % 4 === 0 ? "premium" : "standard",
      seats: randomNormal(random, { mean: 50, standardDeviation: 5 }),
    }));
    const current = Array.from({ length: 1000 }, (_, i) => ({
      amount: randomNormal(random, { mean: 1150, standardDeviation: 100 }), // +1.5 sd: significant
      tier: i % 2 === 0 ? "premium" : "standard", // 25% → 50% premium: moderate-to-significant
      seats: randomNormal(random, { mean: 50, standardDeviation: 5 }), // unchanged
    }));
    const scores = { reference: reference.map((r) => r.amount / 2000), current: current.map((r) => r.amount / 2000), label: "win score" };
    const report = driftReport(reference, current, {
      features: [
        { field: "seats", kind: "numeric" },
        { field: "tier", kind: "categorical", label: "price tier" },
        { field: "amount", kind: "numeric", label: "deal amount" },
      ],
      scores,
    });
    expect(report.features.map((f) => f.label).slice(2)).toEqual(["price tier", "seats"]);
    expect(report.features[0]!.severity).toBe("significant");
    expect(new Set(report.features.slice(0, 2).map((f) => f.label))).toEqual(new Set(["deal amount", "win score"]));
    expect(report.moved).toEqual(report.features.filter((f) => f.severity !== "stable").map((f) => f.label));
    expect(report.moved).not.toContain("seats");
    const tier = report.features.find((f) => f.field === "tier")!;
    expect(tier.change).toBe('share of "premium" 25% → 50%');
    expect(tier.ks).toBeNull();
    expect(tier.psi).toBeCloseTo(0.25 * Math.log(2) + 0.25 * Math.log(1.5), 12); // (0.5−0.25)ln2 + (0.5−0.75)ln(2/3)
    const amount = report.features.find((f) => f.field === "amount")!;
    expect(amount.ks!.statistic).toBeGreaterThan(0.4);
    expect(amount.ks!.pValue).toBeLessThan(1e-6);
    expect(amount.message).toMatch(/^deal amount moved significantly \(PSI \d\.\d{3}, KS D 0\.\d{3}, p < 0\.001\): median (9\d\d|1,0\d\d) → 1,1\d\d \(\+1\d%\)$/);
    expect(report.summary).toContain("of 4 watched features moved: ");
    expect(report.summary).toContain("deal amount (significant");
  });

  it("says nothing moved when the windows agree, skipping missing values", () => {
    const rows = [{ a: 1, b: "x" }, { a: 2, b: null }, { a: null, b: "y" }, { a: 4, b: "x" }];
    const report = driftReport(rows, [...rows].reverse(), { features: [{ field: "a", kind: "numeric" }, { field: "b", kind: "categorical" }], bins: 2 });
    expect(report.moved).toEqual([]);
    expect(report.features.map((f) => [f.field, f.psi, f.referenceCount])).toEqual([["a", 0, 3], ["b", 0, 3]]);
    expect(report.summary).toBe("Nothing moved: all 2 watched features are stable (largest PSI 0.000, a).");
  });

  it("reads Maps and fields named __proto__", () => {
    const reference = [new Map<string, unknown>([["__proto__", "a"]]), new Map<string, unknown>([["__proto__", "b"]])];
    const current = [new Map<string, unknown>([["__proto__", "b"]]), new Map<string, unknown>([["__proto__", "b"]])];
    const report = driftReport(reference, current, { features: [{ field: "__proto__", kind: "categorical" }] });
    expect(report.features[0]!.change).toBe('share of "a" 50% → 0% (gone)');
  });

  it("flags drift between early and late purchases of the synthetic B2B sample only where the generator changes", () => {
    // In generateB2bSample churned accounts stop buying, but nothing shifts the mix of product families or
    // the deal sizes over time: the report should find those stable.
    const sample = generateB2bSample({ accounts: 800, seed: 3 });
    const middle = (sample.period.start + sample.period.end) / 2;
    const family = new Map(sample.products.map((p) => [p.id, p.family]));
    const rows = sample.purchases.map((p) => ({ amount: p.amount, family: family.get(p.product)! }));
    const early = rows.filter((_, i) => sample.purchases[i]!.timestamp < middle);
    const late = rows.filter((_, i) => sample.purchases[i]!.timestamp >= middle);
    const report = driftReport(early, late, { features: [{ field: "amount", kind: "numeric" }, { field: "family", kind: "categorical" }] });
    expect(report.moved).toEqual([]);
  });

  it("rejects bad inputs naming the row and field", () => {
    expectError(() => driftReport([{ a: 1 }], [{ a: "x" }], { features: [{ field: "a", kind: "numeric" }] }), "E_BAD_INPUT", 'driftReport: current[0].a must be a finite number, got "x"');
    expectError(() => driftReport([{ a: 1 }], [{ b: 1 }], { features: [{ field: "a", kind: "numeric" }] }), "E_EMPTY", 'driftReport: current must hold at least one value of field "a", got none');
    expectError(() => driftReport([], [], {}), "E_EMPTY", "driftReport: options must watch at least one feature or the scores, got none");
    expectError(() => driftReport([{ a: 1 }], [{ a: 1 }], { features: [{ field: "a", kind: "numeric" }, { field: "a", kind: "categorical" }] }), "E_DUPLICATE", 'options.features[1].field must be unique, got "a" twice');
    expectError(() => driftReport([{ a: 1 }], [{ a: 1 }], { features: [{ field: "a", kind: "date" as never }] }), "E_BAD_INPUT", 'options.features[0].kind must be one of "numeric", "categorical", got "date"');
  });
});
