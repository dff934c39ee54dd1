import { existsSync } from "node:fs";
import path from "node:path";
import { evaluateRanking } from "../../src/evaluation/index.ts";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createInteractions, interactionsToRows, splitRandom, type InteractionRow, type Interactions } from "../../src/data/index.ts";
import { readMovieLens100k } from "../../src/node/index.ts";
import { recommend, scoreItems } from "../../src/recommend/index.ts";
import {
  fitItemItemImplicit,
  itemItemImplicitFromJSON,
  itemItemImplicitRecommender,
  itemItemImplicitToJSON,
  similarItems,
  type ImplicitWeighting,
  type ItemItemImplicitModel,
} from "../../src/neighbors/index.ts";
import { expectError } from "../helpers.ts";
import { similarityOf } from "./fixtures.ts";

const roundTrip = (model: ItemItemImplicitModel): ItemItemImplicitModel =>
  itemItemImplicitFromJSON(JSON.parse(JSON.stringify(itemItemImplicitToJSON(model))));
const listsOf = (m: ItemItemImplicitModel) => ({ indptr: m.neighborIndptr, indices: m.neighborIndices, similarities: m.neighborSimilarities });

// Purchases (value = units): items crm(0), erp(1), bi(2), hr(3)
//           crm erp bi hr
//   acme     2   1  .  .
//   globex   1   1  1  .
//   initech  1   .  .  1
const rows: InteractionRow[] = [
  { user: "acme", item: "crm", value: 2 },
  { user: "acme", item: "erp", value: 1 },
  { user: "globex", item: "crm", value: 1 },
  { user: "globex", item: "erp", value: 1 },
  { user: "globex", item: "bi", value: 1 },
  { user: "initech", item: "crm", value: 1 },
  { user: "initech", item: "hr", value: 1 },
];
const data = createInteractions(rows);

describe("fitItemItemImplicit, by hand", () => {
  it("weighting none: cosine of the item vectors over all users (implicit's CosineRecommender)", () => {
    const model = fitItemItemImplicit(data, { values: "raw" });
    // crm = (2, 1, 1), erp = (1, 1, 0), bi = (0, 1, 0), hr = (0, 0, 1)
    expect(similarityOf(listsOf(model), 0, 1)).toBeCloseTo(3 / (Math.sqrt(6) * Math.sqrt(2)), 12);
    expect(similarityOf(listsOf(model), 0, 2)).toBeCloseTo(1 / Math.sqrt(6), 12);
    expect(similarityOf(listsOf(model), 1, 2)).toBeCloseTo(1 / Math.sqrt(2), 12);
    expect(similarityOf(listsOf(model), 1, 3)).toBeUndefined(); // no common user
    expect(Array.from(model.popularity)).toEqual([3, 2, 1, 1]);
  });

  it("weighting tfidf: sqrt(value) · idf(user), idf = log(items) − log(1 + items of the user), then cosine", () => {
    const model = fitItemItemImplicit(data, { weighting: "tfidf", values: "raw" });
    const idf = [Math.log(4) - Math.log(3), Math.log(4) - Math.log(4), Math.log(4) - Math.log(3)]; // acme 2, globex 3, initech 2 items
    const crm = [Math.sqrt(2) * idf[0]!, 1 * idf[1]!, 1 * idf[2]!];
    const erp = [idf[0]!, idf[1]!, 0];
    const cosine = (crm[0]! * erp[0]! + crm[1]! * erp[1]!) / (Math.hypot(...crm) * Math.hypot(...erp));
    expect(similarityOf(listsOf(model), 0, 1)).toBeCloseTo(cosine, 12);
    // globex's idf is 0 (it bought 3 of 4 items): bi (only globex) has a zero vector and no neighbours
    expect(model.neighborIndptr[3]! - model.neighborIndptr[2]!).toBe(0);
  });

  it("weighting bm25: value · (K1 + 1) / (K1 · L_i + value) · idf, dot products (implicit's BM25Recommender)", () => {
    const k1 = 1.2;
    const b = 0.75;
    const model = fitItemItemImplicit(data, { weighting: "bm25", values: "raw" });
    const idf = [Math.log(4) - Math.log(3), 0, Math.log(4) - Math.log(3)];
    const sums = [4, 2, 1, 1];
    const average = 2;
    const length = sums.map((s) => 1 - b + (b * s) / average);
    const w = (x: number, user: number, item: number): number => ((x * (k1 + 1)) / (k1 * length[item]! + x)) * idf[user]!;
    // crm · hr over initech only
    expect(similarityOf(listsOf(model), 0, 3)).toBeCloseTo(w(1, 2, 0) * w(1, 2, 3), 12);
    // crm · erp over acme (globex weighs 0)
    expect(similarityOf(listsOf(model), 0, 1)).toBeCloseTo(w(2, 0, 0) * w(1, 0, 1), 12);
  });

  it("scores sum w(u, j) · s(j, i) over the user's items j whose K neighbours include i", () => {
    const model = fitItemItemImplicit(data, { values: "raw" });
    const recommender = itemItemImplicitRecommender(model);
    const scores = scoreItems(recommender, "initech").scores;
    // initech bought crm (1) and hr (1): erp gets s(crm, erp), bi s(crm, bi); hr has no neighbours
    expect(scores[1]).toBeCloseTo(3 / Math.sqrt(12), 12);
    expect(scores[2]).toBeCloseTo(1 / Math.sqrt(6), 12);
    expect(recommend(recommender, "initech").items.map((r) => r.item)).toEqual(["erp", "bi"]);
    // K = 1: each item keeps only its best neighbour; crm's is erp, so bi is no longer reached from crm
    const one = itemItemImplicitRecommender(fitItemItemImplicit(data, { neighbors: 1 }));
    expect(scoreItems(one, "initech").scores[2]).toBe(0);
    // the weight is the interaction value: acme bought crm twice
    const acme = scoreItems(recommender, "acme").scores;
    expect(acme[2]).toBeCloseTo(2 * (1 / Math.sqrt(6)) + 1 * (1 / Math.sqrt(2)), 12);
  });

  it("an unknown user gets popularity, marked", () => {
    const result = recommend(itemItemImplicitRecommender(fitItemItemImplicit(data)), "hooli", { k: 2 });
    expect(result.fallback).toEqual({ reason: "unknown-user", source: "popularity" });
    expect(result.items.map((r) => [r.item, r.score])).toEqual([["crm", 3], ["erp", 2]]);
  });

  it("similarItems reads the item's K nearest", () => {
    const model = fitItemItemImplicit(data);
    expect(similarItems(model, "erp").map((e) => e.id)).toEqual(["crm", "bi"]); // 3 / sqrt 12 > 1 / sqrt 2
  });

  it("values: auto fits varied values as binary (raw counts let big orders dominate) and keeps equal values", () => {
    const counts = createInteractions([
      { user: "a", item: "x", value: 40 }, { user: "a", item: "y", value: 1 }, { user: "b", item: "x", value: 1 },
      { user: "b", item: "z", value: 2 }, { user: "c", item: "y", value: 1 }, { user: "c", item: "z", value: 9 },
    ]);
    const auto = fitItemItemImplicit(counts);
    expect(auto.values).toBe("binary");
    const binary = fitItemItemImplicit(createInteractions(interactionsToRows(counts).map((r) => ({ ...r, value: 1 }))), { values: "raw" });
    expect(Array.from(auto.neighborSimilarities)).toEqual(Array.from(binary.neighborSimilarities));
    expect(Array.from(auto.seenValues)).toEqual(Array.from(binary.seenValues));
    expect(fitItemItemImplicit(counts, { values: "log1p" }).seenValues[0]).toBeCloseTo(Math.log1p(40), 12);
    expect(itemItemImplicitFromJSON(JSON.parse(JSON.stringify(itemItemImplicitToJSON(auto)))).values).toBe("binary");
  });

  it("rejects bad options, negative values for tfidf/bm25, and malformed JSON with named errors", () => {
    expectError(() => fitItemItemImplicit(data, { weighting: "idf" as ImplicitWeighting }), "E_BAD_INPUT", 'fitItemItemImplicit: options.weighting must be one of "none", "tfidf", "bm25", got "idf"');
    expectError(() => fitItemItemImplicit(data, { neighbors: 0 }), "E_BAD_INPUT", "options.neighbors");
    expectError(() => fitItemItemImplicit(data, { bm25B: 2 }), "E_BAD_INPUT", "options.bm25B must be in [0, 1], got 2");
    expectError(() => fitItemItemImplicit(data, { threads: 0 }), "E_BAD_INPUT", "fitItemItemImplicit: options.threads");
    expectError(() => fitItemItemImplicit(data, { threads: 1.5 }), "E_BAD_INPUT", "fitItemItemImplicit: options.threads");
    const negative = createInteractions([{ user: "a", item: "x", value: -1 }]);
    expectError(() => fitItemItemImplicit(negative, { weighting: "bm25", values: "raw" }), "E_BAD_INPUT", 'values[0] must be >= 0 with weighting "bm25", got -1');
    expect(fitItemItemImplicit(negative).kind).toBe("item-item-implicit");
    const json = itemItemImplicitToJSON(fitItemItemImplicit(data));
    expectError(() => itemItemImplicitFromJSON({ ...json, kind: "knn" }), "E_BAD_MODEL", "json.kind");
    expectError(() => itemItemImplicitFromJSON({ ...json, popularity: [1] }), "E_BAD_MODEL", "json.popularity must have length 4");
    expectError(() => itemItemImplicitFromJSON({ ...json, bm25B: 3 }), "E_BAD_MODEL", "json.bm25B");
    expectError(() => itemItemImplicitRecommender({ ...fitItemItemImplicit(data), popularity: new Float64Array(1) }), "E_BAD_MODEL", "model.popularity");
  });
});

const interactions = fc
  .array(fc.record({ user: fc.integer({ min: 0, max: 9 }), item: fc.integer({ min: 0, max: 9 }), value: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 60 })
  .map((list) => createInteractions(list.map((r) => ({ user: `u${r.user}`, item: `i${r.item}`, value: r.value }))));
const options = fc.record({ weighting: fc.constantFrom<ImplicitWeighting>("none", "tfidf", "bm25"), neighbors: fc.integer({ min: 1, max: 6 }) });

describe("implicit item-item properties", () => {
  it("neighbour lists hold at most K other items, sorted, positive; cosine ones are at most 1", () => {
    fc.assert(
      fc.property(interactions, options, (d, o) => {
        const model = fitItemItemImplicit(d, o);
        for (let i = 0; i < d.items.ids.length; i++) {
          const start = model.neighborIndptr[i]!;
          const end = model.neighborIndptr[i + 1]!;
          expect(end - start).toBeLessThanOrEqual(o.neighbors);
          for (let p = start; p < end; p++) {
            expect(model.neighborIndices[p]).not.toBe(i);
            expect(model.neighborSimilarities[p]!).toBeGreaterThan(0);
            if (o.weighting !== "bm25") expect(model.neighborSimilarities[p]!).toBeLessThanOrEqual(1 + 1e-12);
            if (p > start) expect(model.neighborSimilarities[p]! <= model.neighborSimilarities[p - 1]!).toBe(true);
          }
        }
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it("cosine similarities are symmetric when every neighbour is kept", () => {
    fc.assert(
      fc.property(interactions, fc.constantFrom<ImplicitWeighting>("none", "tfidf", "bm25"), (d, weighting) => {
        const model = fitItemItemImplicit(d, { weighting, neighbors: 20 });
        for (let i = 0; i < d.items.ids.length; i++) {
          for (let p = model.neighborIndptr[i]!; p < model.neighborIndptr[i + 1]!; p++) {
            expect(similarityOf(listsOf(model), model.neighborIndices[p]!, i)).toBe(model.neighborSimilarities[p]);
          }
        }
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("JSON round trip gives identical scores, and recommend never returns a seen item", () => {
    fc.assert(
      fc.property(interactions, options, (d, o) => {
        const model = fitItemItemImplicit(d, o);
        const a = itemItemImplicitRecommender(model);
        const b = itemItemImplicitRecommender(roundTrip(model));
        for (let u = 0; u < d.users.ids.length; u++) {
          const id = d.users.ids[u]!;
          expect(Array.from(scoreItems(b, id).scores)).toEqual(Array.from(scoreItems(a, id).scores));
          const seen = new Set(Array.from(a.seenItems(u), (i) => d.items.ids[i]));
          for (const entry of recommend(a, id, { k: 10 }).items) expect(seen.has(entry.item)).toBe(false);
        }
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

const movieLens = path.resolve(import.meta.dirname, "../../../shared/data/movielens-100k");
if (!existsSync(movieLens)) console.log(`skipping the MovieLens 100K item-item NDCG test: ${movieLens} not found`);

describe.skipIf(!existsSync(movieLens))("MovieLens 100K as implicit data (real data)", () => {
  it("item-item cosine (K = 20) reaches NDCG@10 >= 0.35 (0.373 measured with seed 42; implicit 0.355)", async () => {
    // Protocol: every rating is an interaction of value 1; 80/20 random split of interactions (seed 42); users with
    // at least one test item; top 10 with train items filtered; NDCG@10 with binary gain.
    const ratings = await readMovieLens100k(movieLens);
    const rows: InteractionRow[] = [];
    for (let u = 0; u < ratings.byUser.rows; u++) {
      for (let p = ratings.byUser.indptr[u]!; p < ratings.byUser.indptr[u + 1]!; p++) {
        rows.push({ user: ratings.users.ids[u]!, item: ratings.items.ids[ratings.byUser.indices[p]!]! });
      }
    }
    const all: Interactions = createInteractions(rows);
    const { train, test } = splitRandom(all, { seed: 42, testFraction: 0.2 });
    const recommender = itemItemImplicitRecommender(fitItemItemImplicit(train, { weighting: "none", neighbors: 20 }));
    const result = evaluateRanking(recommender, test, { k: 10, metrics: ["ndcg"] });
    expect(result.users.evaluated).toBeGreaterThan(900);
    expect(result.mean["ndcg@10"]).toBeGreaterThanOrEqual(0.35);
  });
});
