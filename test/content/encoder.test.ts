import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  encodeRows,
  featureEncoderFromJSON,
  featureEncoderToJSON,
  fitFeatureEncoder,
  type FeatureEncoder,
  type FeatureRow,
  type FieldSpec,
} from "../../src/content/index.ts";
import { expectError } from "../helpers.ts";

const roundTrip = (encoder: FeatureEncoder): FeatureEncoder =>
  featureEncoderFromJSON(JSON.parse(JSON.stringify(featureEncoderToJSON(encoder))));

/** Smoothed IDF as scikit-learn's TfidfTransformer(smooth_idf=True): ln((1 + n) / (1 + df)) + 1. */
const idf = (n: number, df: number): number => Math.log((1 + n) / (1 + df)) + 1;

function rowOf(matrix: { cols: number; data: Float64Array }, r: number): number[] {
  return Array.from(matrix.data.subarray(r * matrix.cols, (r + 1) * matrix.cols));
}

function expectClose(actual: number[], expected: number[], digits = 12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, digits);
}

describe("categorical fields", () => {
  it("one-hot in sorted category order; unknown and missing categories encode as zeros", () => {
    const encoder = fitFeatureEncoder(
      [{ industry: "retail" }, { industry: "manufacturing" }, { industry: "retail" }],
      [{ field: "industry", kind: "categorical" }],
      { normalize: false },
    );
    expect(encoder.featureNames).toEqual(["industry=manufacturing", "industry=retail"]);
    const m = encodeRows(encoder, [{ industry: "retail" }, { industry: "mining" }, {}, { industry: null }]);
    expect(Array.from(m.data)).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
  });

  it("minCount drops rare categories; numbers and booleans are categories by their string form", () => {
    const encoder = fitFeatureEncoder(
      [{ band: 50 }, { band: 50 }, { band: 200 }],
      [{ field: "band", kind: "categorical", minCount: 2 }],
      { normalize: false },
    );
    expect(encoder.featureNames).toEqual(["band=50"]);
    expect(Array.from(encodeRows(encoder, [{ band: "50" }, { band: 200 }]).data)).toEqual([1, 0]);
  });

  it("field weights scale the block", () => {
    const encoder = fitFeatureEncoder([{ t: "a" }], [{ field: "t", kind: "categorical", weight: 2.5 }], { normalize: false });
    expect(Array.from(encodeRows(encoder, [{ t: "a" }]).data)).toEqual([2.5]);
  });

  it("reads Maps and own properties only: __proto__ and constructor are ordinary field names", () => {
    const rows: FeatureRow[] = [
      new Map<string, unknown>([["__proto__", "x"]]),
      JSON.parse('{"__proto__": "y"}') as FeatureRow,
      {},
    ];
    const encoder = fitFeatureEncoder(rows, [
      { field: "__proto__", kind: "categorical" },
      { field: "constructor", kind: "categorical" },
    ], { normalize: false });
    expect(encoder.featureNames).toEqual(["__proto__=x", "__proto__=y"]);
    expect(Array.from(encodeRows(encoder, rows).data)).toEqual([1, 0, 0, 1, 0, 0]);
  });
});

describe("tags fields", () => {
  it("multi-hot with smoothed IDF weights (hand-computed), unknown tags ignored, repeats count once", () => {
    // n = 3 rows; df(cloud) = 2, df(api) = 1, df(mobile) = 1.
    const encoder = fitFeatureEncoder(
      [{ tags: ["cloud", "api"] }, { tags: ["cloud"] }, { tags: ["mobile"] }],
      [{ field: "tags", kind: "tags" }],
      { normalize: false },
    );
    expect(encoder.featureNames).toEqual(["tags:api", "tags:cloud", "tags:mobile"]);
    const m = encodeRows(encoder, [{ tags: ["cloud", "api", "cloud"] }, { tags: ["blockchain"] }, { tags: "mobile" }]);
    expectClose(rowOf(m, 0), [idf(3, 1), idf(3, 2), 0]);
    expectClose(rowOf(m, 1), [0, 0, 0]);
    expectClose(rowOf(m, 2), [0, 0, idf(3, 1)]);
    expect(idf(3, 2)).toBeCloseTo(1 + Math.log(4 / 3), 15);
  });

  it("idf: false gives plain 0/1", () => {
    const encoder = fitFeatureEncoder([{ tags: ["a"] }, { tags: ["a", "b"] }], [{ field: "tags", kind: "tags", idf: false }], { normalize: false });
    expect(Array.from(encodeRows(encoder, [{ tags: ["a", "b"] }]).data)).toEqual([1, 1]);
  });
});

describe("numeric fields", () => {
  it("standardize: (x - mean) / population sd; missing values get the mean (0)", () => {
    // Fit values 10 and 30: mean 20, population sd 10.
    const encoder = fitFeatureEncoder([{ seats: 10 }, { seats: 30 }, {}], [{ field: "seats", kind: "numeric" }], { normalize: false });
    expect(Array.from(encodeRows(encoder, [{ seats: 10 }, { seats: 30 }, {}, { seats: 45 }]).data)).toEqual([-1, 1, 0, 2.5]);
  });

  it("log1p, min-max (clipped for unseen values) and constant fields", () => {
    const encoder = fitFeatureEncoder(
      [{ spend: 0, size: 0, flat: 3 }, { spend: Math.E - 1, size: 5, flat: 3 }, { spend: 1, size: 10, flat: 3 }],
      [
        { field: "spend", kind: "numeric", transform: "log1p" },
        { field: "size", kind: "numeric", transform: "min-max" },
        { field: "flat", kind: "numeric", transform: "standardize" },
      ],
      { normalize: false },
    );
    const m = encodeRows(encoder, [{ spend: Math.E - 1, size: 5, flat: 7 }, { spend: 0, size: 20, flat: 3 }, { spend: 0, size: -5 }]);
    expectClose(rowOf(m, 0), [1, 0.5, 0]);
    expectClose(rowOf(m, 1), [0, 1, 0]);
    expectClose(rowOf(m, 2), [0, 0, 0]);
  });

  it("buckets: one-hot of quantile buckets with readable names", () => {
    // Sorted fit values 1..8, 4 buckets: edges at positions floor(j * 8 / 4) = 2, 4, 6 -> values 3, 5, 7.
    const rows = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ n }));
    const encoder = fitFeatureEncoder(rows, [{ field: "n", kind: "numeric", transform: "buckets" }], { normalize: false });
    expect(encoder.featureNames).toEqual(["n∈[-∞,3)", "n∈[3,5)", "n∈[5,7)", "n∈[7,∞)"]);
    const m = encodeRows(encoder, [{ n: 2 }, { n: 3 }, { n: 6.5 }, { n: 100 }, { n: -4 }, {}]);
    expect(Array.from(m.data)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("bad numbers are named by row and field", () => {
    expectError(() => fitFeatureEncoder([{ x: 1 }, { x: Number.NaN }], [{ field: "x", kind: "numeric" }]), "E_NON_FINITE", "rows[1].x");
    expectError(() => fitFeatureEncoder([{ x: "7" }], [{ field: "x", kind: "numeric" }]), "E_BAD_INPUT", "fitFeatureEncoder: rows[0].x must be a finite number");
    expectError(() => fitFeatureEncoder([{ x: -2 }], [{ field: "x", kind: "numeric", transform: "log1p" }]), "E_BAD_INPUT", "> -1");
  });
});

describe("text fields", () => {
  it("TF-IDF with sublinear tf, L2-normalised per field (hand-computed)", () => {
    // Tokens: d0 = {crm, cloud, cloud}, d1 = {erp, cloud}, d2 = {crm}; df: cloud 2, crm 2, erp 1; n = 3.
    const encoder = fitFeatureEncoder(
      [{ text: "CRM cloud, Cloud!" }, { text: "ERP-cloud" }, { text: "crm" }],
      [{ field: "text", kind: "text" }],
      { normalize: false },
    );
    expect(encoder.featureNames).toEqual(["text:cloud", "text:crm", "text:erp"]);
    const m = encodeRows(encoder, [{ text: "CRM cloud, Cloud!" }, { text: "quantum erp" }, { text: "" }]);
    // d0: cloud (1 + ln 2) · idf(3, 2), crm 1 · idf(3, 2), then L2-normalised.
    const raw = [(1 + Math.log(2)) * idf(3, 2), idf(3, 2), 0];
    const length = Math.hypot(...raw);
    expectClose(rowOf(m, 0), raw.map((v) => v / length));
    // "quantum" is not in the vocabulary: only erp remains, normalised to 1.
    expectClose(rowOf(m, 1), [0, 0, 1]);
    expectClose(rowOf(m, 2), [0, 0, 0]);
  });

  it("raw tf when sublinearTf is false; vocabulary limits", () => {
    const rows = [{ d: "a a b" }, { d: "a c" }, { d: "a b" }];
    const raw = fitFeatureEncoder(rows, [{ field: "d", kind: "text", sublinearTf: false }], { normalize: false });
    const m = encodeRows(raw, [{ d: "a a b" }]);
    const v = [2 * idf(3, 3), idf(3, 2), 0];
    expectClose(rowOf(m, 0), v.map((x) => x / Math.hypot(...v)));
    const limited = fitFeatureEncoder(rows, [{ field: "d", kind: "text", maxVocabulary: 2 }]);
    expect(limited.featureNames).toEqual(["d:a", "d:b"]);
    const noStopWords = fitFeatureEncoder(rows, [{ field: "d", kind: "text", maxDocumentRatio: 0.9, minDocumentFrequency: 2 }]);
    expect(noStopWords.featureNames).toEqual(["d:b"]);
  });

  it("tokenizes letters and digits of any script", () => {
    const encoder = fitFeatureEncoder([{ d: "Größe 4K-Display café" }], [{ field: "d", kind: "text" }]);
    expect(encoder.featureNames).toEqual(["d:4k", "d:café", "d:display", "d:größe"]);
  });
});

describe("the encoder as a whole", () => {
  const products = [
    { family: "crm", tags: ["cloud", "sales"], price: 100, text: "Sales pipeline CRM" },
    { family: "erp", tags: ["finance"], price: 900, text: "Finance ERP suite" },
    { family: "crm", tags: ["cloud"], price: 300, text: "CRM mobile app" },
  ];
  const schema: FieldSpec[] = [
    { field: "family", kind: "categorical" },
    { field: "tags", kind: "tags", weight: 0.5 },
    { field: "price", kind: "numeric", transform: "log1p" },
    { field: "text", kind: "text" },
  ];

  it("blocks follow schema order and rows are unit length by default", () => {
    const encoder = fitFeatureEncoder(products, schema);
    expect(encoder.dimension).toBe(encoder.featureNames.length);
    expect(encoder.featureNames.slice(0, 6)).toEqual(["family=crm", "family=erp", "tags:cloud", "tags:finance", "tags:sales", "price"]);
    const m = encodeRows(encoder, [...products, { family: "hr" }]);
    for (let r = 0; r < products.length; r++) expect(Math.hypot(...rowOf(m, r))).toBeCloseTo(1, 12);
    // A new product with only unknown values: log1p(mean) is its only feature.
    expect(Math.hypot(...rowOf(m, 3))).toBeCloseTo(1, 12);
    expect(rowOf(m, 3)[5]).toBeCloseTo(1, 12);
    expect(encodeRows(encoder, []).rows).toBe(0);
  });

  it("does not mutate its inputs", () => {
    const copy = structuredClone(products);
    encodeRows(fitFeatureEncoder(products, schema), products);
    expect(products).toEqual(copy);
  });

  it("rejects bad schemas and options", () => {
    expectError(() => fitFeatureEncoder([], schema), "E_EMPTY", "rows");
    expectError(() => fitFeatureEncoder(products, []), "E_EMPTY", "schema");
    expectError(() => fitFeatureEncoder(products, [schema[0]!, schema[0]!]), "E_DUPLICATE", "schema[1].field");
    expectError(() => fitFeatureEncoder(products, [{ field: "x", kind: "image" } as unknown as FieldSpec]), "E_BAD_INPUT", "schema[0].kind");
    expectError(() => fitFeatureEncoder(products, [{ field: "price", kind: "numeric", transform: "zscore" } as unknown as FieldSpec]), "E_BAD_INPUT", "schema[0].transform");
    expectError(() => fitFeatureEncoder(products, [{ field: "family", kind: "categorical", weight: -1 }]), "E_BAD_INPUT", "schema[0].weight");
    expectError(() => fitFeatureEncoder([null as unknown as FeatureRow], schema), "E_BAD_INPUT", "rows[0]");
    expectError(() => encodeRows({} as FeatureEncoder, products), "E_BAD_MODEL");
    expectError(() => encodeRows(fitFeatureEncoder(products, schema), [{ tags: [1] }]), "E_BAD_INPUT", "rows[0].tags[0]");
  });

  it("JSON validation names the broken field", () => {
    const json = featureEncoderToJSON(fitFeatureEncoder(products, schema));
    const broken = structuredClone(json) as unknown as { fields: Record<string, unknown>[] };
    broken.fields[1]!["idf"] = [1];
    expectError(() => featureEncoderFromJSON(broken), "E_BAD_MODEL", "json.fields[1].idf");
    const badKind = structuredClone(json) as unknown as { fields: Record<string, unknown>[] };
    badKind.fields[0]!["kind"] = "image";
    expectError(() => featureEncoderFromJSON(badKind), "E_BAD_MODEL", "json.fields[0].kind");
    expectError(() => featureEncoderFromJSON({ ...json, kind: "x" }), "E_BAD_MODEL", "json.kind");
    const badEdges = featureEncoderToJSON(fitFeatureEncoder([1, 2, 3, 4].map((n) => ({ n })), [{ field: "n", kind: "numeric", transform: "buckets" }]));
    (badEdges.fields[0] as { edges: number[] }).edges = [3, 2];
    expectError(() => featureEncoderFromJSON(badEdges), "E_BAD_MODEL", "json.fields[0].edges[1]");
  });
});

describe("properties", () => {
  const rowArbitrary = fc.record({
    cat: fc.option(fc.constantFrom("a", "b", "c", "__proto__"), { nil: undefined }),
    tags: fc.subarray(["x", "y", "z", "constructor"]),
    num: fc.option(fc.double({ min: -1000, max: 1000, noNaN: true }), { nil: undefined }),
    size: fc.option(fc.integer({ min: 0, max: 10000 }), { nil: undefined }),
    text: fc.array(fc.constantFrom("alpha", "beta", "gamma", "Delta", "beta!", "x1"), { maxLength: 6 }).map((w) => w.join(" ")),
  });
  const propertySchema: FieldSpec[] = [
    { field: "cat", kind: "categorical" },
    { field: "tags", kind: "tags" },
    { field: "num", kind: "numeric" },
    { field: "size", kind: "numeric", transform: "buckets", buckets: 3 },
    { field: "text", kind: "text", weight: 2 },
  ];

  it("a JSON round trip of the encoder gives identical encodings of new rows", () => {
    fc.assert(
      fc.property(fc.array(rowArbitrary, { minLength: 1, maxLength: 20 }), fc.array(rowArbitrary, { maxLength: 10 }), fc.boolean(), (fitRows, newRows, normalize) => {
        const encoder = fitFeatureEncoder(fitRows, propertySchema, { normalize });
        const copy = roundTrip(encoder);
        expect(copy.featureNames).toEqual(encoder.featureNames);
        expect(encodeRows(copy, newRows).data).toEqual(encodeRows(encoder, newRows).data);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it("normalised encodings have norm 1 or 0, and every value is finite", () => {
    fc.assert(
      fc.property(fc.array(rowArbitrary, { minLength: 1, maxLength: 20 }), (rows) => {
        const encoder = fitFeatureEncoder(rows, propertySchema);
        const m = encodeRows(encoder, rows);
        for (let r = 0; r < m.rows; r++) {
          const length = Math.hypot(...rowOf(m, r));
          expect(length === 0 || Math.abs(length - 1) < 1e-12).toBe(true);
        }
        expect(m.data.every(Number.isFinite)).toBe(true);
      }),
      { seed: 7, numRuns: 150 },
    );
  });
});
