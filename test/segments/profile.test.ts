import { describe, expect, it } from "vitest";
import { generateB2bSample } from "../../src/datasets/index.ts";
import { assignSegments, profileSegments, segmentRows } from "../../src/segments/index.ts";
import { expectError } from "../helpers.ts";

describe("profileSegments", () => {
  const rows = [
    { region: "Midwest", industry: "manufacturing", growth: 0.12, spend: 900, tech: ["sap"] },
    { region: "Midwest", industry: "manufacturing", growth: 0.14, spend: 1100, tech: ["sap", "aws"] },
    { region: "Midwest", industry: "manufacturing", growth: 0.1, spend: 1000, tech: ["sap"] },
    { region: "West", industry: "software", growth: 0.02, spend: 100, tech: ["aws"] },
    { region: "East", industry: "software", growth: 0.01, spend: 120, tech: ["aws"] },
    { region: "West", industry: "retail", growth: 0.03, spend: 80, tech: [] },
  ];
  const fields = [
    { field: "industry", kind: "categorical" as const, template: "{category} firms" },
    { field: "region", kind: "categorical" as const, template: "in the {category}" },
    { field: "growth", kind: "numeric" as const, format: "percent" as const, high: "growing {median} a year", low: "growing only {median} a year" },
    { field: "spend", kind: "numeric" as const, high: "heavy buyers of X", low: "light buyers of X" },
    { field: "tech", kind: "tags" as const, template: "running {category}" },
  ];

  it("words what stands out, with the evidence computed by hand", () => {
    const [first, second] = profileSegments(rows, [0, 0, 0, 1, 1, 1], fields, { maxHighlights: 5, names: ["Makers", "Others"] });
    // industry: manufacturing 3/3 vs 3/6 → effect 0.5 / sqrt(0.25) = 1; region Midwest: same; tech sap 3/3 vs 3/6 = 1.
    // growth: medians 0.12 vs overall (0.03 + 0.1)/2 = 0.065; spend: 1000 vs (120 + 900)/2 = 510.
    expect(first!.name).toBe("Makers");
    expect(first!.summary.split(", ").sort()).toEqual(
      ["manufacturing firms", "in the Midwest", "growing 12% a year", "heavy buyers of X", "running sap"].sort(),
    );
    const growth = first!.highlights.find((h) => h.field === "growth")!;
    expect(growth.segmentValue).toBeCloseTo(0.12, 15);
    expect(growth.overallValue).toBeCloseTo(0.065, 15);
    expect(growth.evidence).toBe("median 12% vs 6.5% overall");
    const industry = first!.highlights.find((h) => h.field === "industry")!;
    expect(industry.category).toBe("manufacturing");
    expect(industry.effect).toBeCloseTo(1, 15);
    expect(industry.evidence).toBe("100% vs 50% overall");
    expect(first!.description.startsWith("Makers (3 rows, 50%): ")).toBe(true);
    expect(second!.summary).toContain("light buyers of X");
    expect(second!.summary).toContain("growing only 2% a year");
  });

  it("keeps the strongest highlights and says when nothing stands out", () => {
    const [first] = profileSegments(rows, [0, 0, 0, 1, 1, 1], fields, { maxHighlights: 2 });
    expect(first!.highlights.length).toBe(2);
    const effects = first!.highlights.map((h) => Math.abs(h.effect));
    expect(effects[0]!).toBeGreaterThanOrEqual(effects[1]!);
    const [mixed] = profileSegments(
      [{ a: "x", n: 1 }, { a: "y", n: 2 }, { a: "x", n: 1 }, { a: "y", n: 2 }],
      [0, 0, 1, 1],
      [{ field: "a", kind: "categorical" }, { field: "n", kind: "numeric" }],
    );
    expect(mixed!.summary).toBe("close to the overall population");
  });

  it("measures a skewed field's effect on ln(1 + x) with scale: \"log\", printing original-scale medians", () => {
    // ln(1 + n) = ln 10 · [1, 2, 3, 4]; overall median 2.5 ln 10 (n = 10^2.5 − 1 = 315.2); IQR (type 7) 1.5 ln 10;
    // segment 0 median 1.5 ln 10 (n = 10^1.5 − 1 = 30.6) → effect −1 / 1.5.
    const [small] = profileSegments([{ n: 9 }, { n: 99 }, { n: 999 }, { n: 9999 }], [0, 0, 1, 1], [{ field: "n", kind: "numeric", scale: "log", low: "few" }]);
    const highlight = small!.highlights[0]!;
    expect(highlight.effect).toBeCloseTo(-2 / 3, 12);
    expect(highlight.segmentValue).toBeCloseTo(10 ** 1.5 - 1, 9);
    expect(highlight.evidence).toBe("median 30.6 vs 315 overall");
    expectError(() => profileSegments([{ n: -1 }], [0], [{ field: "n", kind: "numeric", scale: "log" }]), "E_BAD_INPUT", "rows[0].n must be > -1 for the log scale, got -1");
  });

  it("reads Maps and a field named __proto__", () => {
    const mapRows = ["a", "a", "b", "b"].map((v) => new Map<string, unknown>([["__proto__", v]]));
    const [first] = profileSegments(mapRows, [0, 0, 1, 1], [{ field: "__proto__", kind: "categorical" }]);
    expect(first!.summary).toBe("mostly a");
  });

  it("rejects bad inputs naming the row and field", () => {
    expectError(() => profileSegments(rows, [0, 1], fields), "E_SHAPE", "profileSegments: labels must have length 6 (one per row), got length 2");
    expectError(() => profileSegments([{ n: "x" }], [0], [{ field: "n", kind: "numeric" }]), "E_BAD_INPUT", 'profileSegments: rows[0].n must be a finite number, got "x"');
    expectError(() => profileSegments([{ n: 1 }], [0], [{ field: "n", kind: "numeric", format: "money" as never }]), "E_BAD_INPUT", 'fields[0].format must be one of "number", "percent", got "money"');
    expectError(() => profileSegments([{ n: 1 }], [0], [{ field: "n", kind: "numeric" }, { field: "n", kind: "categorical" }]), "E_DUPLICATE", 'fields[1].field must be unique, got "n" twice');
    expectError(() => profileSegments([{ n: 1 }], [0], [], { names: [] }), "E_BAD_INPUT", "options.names must be an array of at least 1 strings (one per segment), got array of length 0");
  });
});

describe("segmentRows on the synthetic B2B sample", () => {
  it("separates accounts by size and words the segments from raw firmographics", () => {
    const sample = generateB2bSample({ accounts: 300, seed: 11 });
    const accounts = sample.accounts.map((a) => ({ ...a, technographics: [...a.technographics] }));
    const segmentation = segmentRows(accounts, {
      schema: [{ field: "employees", kind: "numeric", transform: "log1p" }],
      profile: [
        { field: "employeeBand", kind: "categorical", template: "{category} employees" },
        { field: "employees", kind: "numeric", scale: "log", high: "large companies", low: "small companies" },
        { field: "industry", kind: "categorical" },
      ],
      k: 2,
      seed: 3,
    });
    expect(segmentation.silhouette).toBeGreaterThan(0.5);
    const summaries = segmentation.profiles.map((p) => p.summary);
    expect(summaries.some((s) => s.includes("large companies"))).toBe(true);
    expect(summaries.some((s) => s.includes("small companies"))).toBe(true);
    // Nothing in the generator ties size to industry: industry must not be named.
    expect(summaries.join(" ")).not.toMatch(/software|manufacturing|healthcare|finance|retail|logistics/);
    const large = segmentation.profiles.findIndex((p) => p.summary.includes("large companies"));
    expect(Array.from(assignSegments(segmentation, [{ employees: 30000 }]))).toEqual([large]);
  });
});
