import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  contentFromJSON,
  contentRecommender,
  contentToJSON,
  encodeRows,
  fitContentRecommender,
  fitFeatureEncoder,
  fitFirmographicProjection,
  type ContentModel,
} from "../../src/content/index.ts";
import { createInteractions, type InteractionRow } from "../../src/data/index.ts";
import { denseFromRows, denseMatrix } from "../../src/linalg/index.ts";
import { recommend, scoreItems } from "../../src/recommend/index.ts";
import { expectError, itemIdsOf } from "../helpers.ts";

const DAY = 86400;

function expectNear(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, 12);
}
const roundTrip = (model: ContentModel): ContentModel => contentFromJSON(JSON.parse(JSON.stringify(contentToJSON(model))));

describe("profiles and scores (hand-computed)", () => {
  // Catalog: a = e1, b = e2, c = (e1 + e2) / √2 after normalisation, d = e1 (never bought).
  const catalog = { ids: ["a", "b", "c", "d"], features: denseFromRows([[2, 0], [0, 5], [1, 1], [3, 0]]) };

  it("half-life weighting: a purchase one half-life older weighs half", () => {
    // acme bought a at day 0 and b at day 10; half-life 10 days -> weights 0.5 and 1, profile ∝ [0.5, 1].
    const data = createInteractions([
      { user: "acme", item: "a", timestamp: 0 },
      { user: "acme", item: "b", timestamp: 10 * DAY },
    ]);
    const model = fitContentRecommender(data, catalog, { halfLifeDays: 10 });
    const length = Math.hypot(0.5, 1);
    expect(Array.from(model.profiles)[0]).toBeCloseTo(0.5 / length, 12);
    expect(Array.from(model.profiles)[1]).toBeCloseTo(1 / length, 12);
    const { scores } = scoreItems(contentRecommender(model), "acme");
    // cos(profile, c) = (0.5 + 1) / (|[0.5, 1]| · √2); cos(profile, d) = 0.5 / |[0.5, 1]|.
    expect(scores[2]).toBeCloseTo(1.5 / (length * Math.SQRT2), 12);
    expect(scores[3]).toBeCloseTo(0.5 / length, 12);
    // The same purchases in milliseconds give the same profile.
    const ms = createInteractions([
      { user: "acme", item: "a", timestamp: 0 },
      { user: "acme", item: "b", timestamp: 10 * DAY * 1000 },
    ]);
    expect(fitContentRecommender(ms, catalog, { halfLifeDays: 10, timeUnit: "milliseconds" }).profiles).toEqual(model.profiles);
    // A reference time 10 days later halves both weights: the direction does not change.
    expect(Array.from(fitContentRecommender(data, catalog, { halfLifeDays: 10, referenceTime: 20 * DAY }).profiles)[0]).toBeCloseTo(0.5 / length, 12);
  });

  it("value weighting: linear, log1p and none", () => {
    const data = createInteractions([{ user: "acme", item: "a", value: 3 }, { user: "acme", item: "b", value: 1 }]);
    const linear = fitContentRecommender(data, catalog);
    expect(Array.from(linear.profiles)[0]).toBeCloseTo(3 / Math.hypot(3, 1), 12);
    const log = fitContentRecommender(data, catalog, { valueWeighting: "log1p" });
    expect(Array.from(log.profiles)[0]).toBeCloseTo(Math.log(4) / Math.hypot(Math.log(4), Math.log(2)), 12);
    const none = fitContentRecommender(data, catalog, { valueWeighting: "none" });
    expect(Array.from(none.profiles)[0]).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it("recommends a product nobody bought when its features match, and never a seen one", () => {
    const data = createInteractions([{ user: "acme", item: "a" }, { user: "globex", item: "b" }]);
    const content = contentRecommender(fitContentRecommender(data, catalog));
    expect(itemIdsOf(recommend(content, "acme", { k: 2 }))).toEqual(["d", "c"]);
    expect(itemIdsOf(recommend(content, "globex", { k: 1 }))).toEqual(["c"]);
  });

  it("unknown accounts get popularity, marked", () => {
    const data = createInteractions([{ user: "acme", item: "b" }, { user: "globex", item: "b" }, { user: "globex", item: "a" }]);
    const result = recommend(contentRecommender(fitContentRecommender(data, catalog)), "hooli");
    expect(result.fallback).toEqual({ reason: "unknown-user", source: "popularity" });
    expect(itemIdsOf(result)).toEqual(["b", "a", "c", "d"]);
  });

  it("firmographic cold start through a given projection; others still get popularity", () => {
    const data = createInteractions([{ user: "acme", item: "b" }, { user: "globex", item: "b" }, { user: "globex", item: "a" }]);
    const model = fitContentRecommender(data, catalog);
    // Account features: [manufacturing, retail, large]; manufacturing -> e1 products, retail -> e2, size -> nothing.
    const accounts = { ids: ["hooli", "zero"], features: denseFromRows([[1, 0, 1], [0, 0, 1]]) };
    const projection = denseFromRows([[1, 0], [0, 1], [0, 0]]);
    const content = contentRecommender(model, { accounts, projection });
    const hooli = scoreItems(content, "hooli");
    expect(hooli.fallback).toEqual({ reason: "unknown-user", source: "firmographics" });
    // Profile e1: scores are the first coordinates of the unit product vectors.
    expect(Array.from(hooli.scores).map((v) => Number(v.toFixed(12)))).toEqual([1, 0, Number(Math.SQRT1_2.toFixed(12)), 1]);
    // A projected profile of zero, or an account without a row, gets popularity.
    expect(Array.from(scoreItems(content, "zero").scores)).toEqual([1, 2, 0, 0]);
    expect(Array.from(scoreItems(content, "nobody").scores)).toEqual([1, 2, 0, 0]);
    // ... and is reported as such, per account.
    expect(scoreItems(content, "zero").fallback).toEqual({ reason: "unknown-user", source: "popularity" });
    expect(recommend(content, "nobody").fallback).toEqual({ reason: "unknown-user", source: "popularity" });
    // Known accounts are unaffected.
    expect(scoreItems(content, "acme").scores).toEqual(scoreItems(contentRecommender(model), "acme").scores);
    expectError(() => contentRecommender(model, { accounts }), "E_BAD_INPUT", "together");
    expectError(() => contentRecommender(model, { accounts, projection: denseFromRows([[1, 0]]) }), "E_SHAPE", "options.projection must be 3 × 2");
    expectError(() => contentRecommender(model, { accounts: { ids: ["x", "x"], features: denseFromRows([[1, 0, 0], [0, 1, 0]]) }, projection }), "E_DUPLICATE");
  });

  it("missing products: an error naming the id, or ignored on request", () => {
    const data = createInteractions([{ user: "acme", item: "a" }, { user: "acme", item: "zzz" }]);
    expectError(() => fitContentRecommender(data, catalog), "E_UNKNOWN_ID", '"zzz"');
    const model = fitContentRecommender(data, catalog, { missingItems: "ignore" });
    expect(Array.from(model.seenIndices)).toEqual([0]);
  });

  it("works with the feature encoder end to end", () => {
    const products = [
      { id: "crm", family: "sales", text: "pipeline crm" },
      { id: "erp", family: "finance", text: "ledger erp" },
      { id: "crm-ai", family: "sales", text: "ai pipeline assistant" },
    ];
    const encoder = fitFeatureEncoder(products, [{ field: "family", kind: "categorical" }, { field: "text", kind: "text" }]);
    const features = encodeRows(encoder, products);
    const model = fitContentRecommender(createInteractions([{ user: "acme", item: "crm" }]), { ids: products.map((p) => p.id), features });
    expect(itemIdsOf(recommend(contentRecommender(model), "acme"))).toEqual(["crm-ai", "erp"]);
  });

  it("rejects bad input", () => {
    const data = createInteractions([{ user: "acme", item: "a" }]);
    expectError(() => fitContentRecommender(data, catalog, { halfLifeDays: 30 }), "E_BAD_INPUT", "timestamps");
    expectError(() => fitContentRecommender(data, catalog, { halfLifeDays: 0 }), "E_BAD_INPUT", "options.halfLifeDays");
    expectError(() => fitContentRecommender(data, { ids: ["a", "a"], features: denseFromRows([[1], [2]]) }), "E_DUPLICATE");
    expectError(() => fitContentRecommender(data, { ids: ["a"], features: denseFromRows([[1], [2]]) }), "E_SHAPE");
    expectError(() => fitContentRecommender(createInteractions([{ user: "acme", item: "a", value: -1 }]), catalog), "E_BAD_INPUT", ">= 0");
    expect(fitContentRecommender(createInteractions([{ user: "acme", item: "a", value: -1 }]), catalog, { valueWeighting: "none" }).kind).toBe("content");
  });

  it("JSON validation names the broken field", () => {
    const json = contentToJSON(fitContentRecommender(createInteractions([{ user: "acme", item: "a" }]), catalog));
    expectError(() => contentFromJSON({ ...json, itemVectors: [1] }), "E_BAD_MODEL", "json.itemVectors");
    expectError(() => contentFromJSON({ ...json, seenIndices: [9] }), "E_BAD_MODEL", "json.seenIndices");
    expectError(() => contentRecommender({ ...roundTrip(fitContentRecommender(createInteractions([{ user: "acme", item: "a" }]), catalog)), popularity: new Float64Array(1) }), "E_BAD_MODEL", "model.popularity");
  });
});

describe("fitFirmographicProjection", () => {
  const catalog = { ids: ["crm", "erp"], features: denseFromRows([[1, 0], [0, 1]]) };
  const model = fitContentRecommender(createInteractions([{ user: "m1", item: "crm" }, { user: "r1", item: "erp" }]), catalog);

  it("ridge regression of profiles on firmographics (hand-computed)", () => {
    // A = I (m1 -> [1, 0], r1 -> [0, 1]), P = I: W = (AᵀA + λI)⁻¹ AᵀP = I / (1 + λ). The prospect row is not used.
    const accounts = { ids: ["m1", "r1", "prospect"], features: denseFromRows([[1, 0], [0, 1], [5, 5]]) };
    expectNear(Array.from(fitFirmographicProjection(model, accounts).data), [0.5, 0, 0, 0.5]);
    const w = fitFirmographicProjection(model, accounts, { ridge: 3 });
    expect(w.rows).toBe(2);
    expect(w.cols).toBe(2);
    expectNear(Array.from(w.data), [0.25, 0, 0, 0.25]);
  });

  it("two accounts with the same firmographics average their profiles", () => {
    // A = [[1], [1]], P = [[1, 0], [0, 1]]: W = [1, 1] / (2 + λ).
    const accounts = { ids: ["m1", "r1"], features: denseFromRows([[1], [1]]) };
    const w = fitFirmographicProjection(model, accounts, { ridge: 2 });
    expectNear(Array.from(w.data), [0.25, 0.25]);
  });

  it("rejects bad input", () => {
    expectError(() => fitFirmographicProjection(model, { ids: ["x"], features: denseFromRows([[1]]) }), "E_EMPTY");
    expectError(() => fitFirmographicProjection(model, { ids: ["m1"], features: denseFromRows([[1]]) }, { ridge: 0 }), "E_BAD_INPUT", "options.ridge");
    expectError(() => fitFirmographicProjection(model, { ids: ["m1", "m1"], features: denseFromRows([[1], [1]]) }), "E_DUPLICATE");
  });
});

describe("properties", () => {
  const scenario = fc
    .record({ items: fc.integer({ min: 1, max: 12 }), dims: fc.integer({ min: 1, max: 5 }) })
    .chain(({ items, dims }) =>
      fc.record({
        features: fc.array(fc.integer({ min: -2, max: 3 }), { minLength: items * dims, maxLength: items * dims }),
        rows: fc.array(
          fc.record({
            user: fc.integer({ min: 0, max: 6 }).map((u) => `u${u}`),
            item: fc.integer({ min: 0, max: items - 1 }).map((i) => `i${i}`),
            value: fc.integer({ min: 1, max: 9 }),
            timestamp: fc.integer({ min: 0, max: 400 * DAY }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        items: fc.constant(items),
        dims: fc.constant(dims),
      }),
    );

  it("never recommends a seen product; scores are cosines in [-1, 1]; JSON round trip scores identically", () => {
    fc.assert(
      fc.property(scenario, fc.boolean(), ({ features, rows, items, dims }, decay) => {
        const data = createInteractions(rows as InteractionRow[]);
        const ids = Array.from({ length: items }, (_, i) => `i${i}`);
        const model = fitContentRecommender(data, { ids, features: denseMatrix(items, dims, features) }, decay ? { halfLifeDays: 90 } : {});
        const content = contentRecommender(model);
        const copy = contentRecommender(roundTrip(model));
        for (const user of data.users.ids) {
          const seen = new Set(rows.filter((r) => r.user === user).map((r) => r.item));
          const result = recommend(content, user, { k: items });
          for (const entry of result.items) {
            expect(seen.has(entry.item as string)).toBe(false);
            expect(Math.abs(entry.score)).toBeLessThanOrEqual(1 + 1e-12);
          }
          expect(result.items.length).toBe(items - seen.size);
          expect(scoreItems(copy, user).scores).toEqual(scoreItems(content, user).scores);
        }
      }),
      { seed: 42, numRuns: 150 },
    );
  });
});
