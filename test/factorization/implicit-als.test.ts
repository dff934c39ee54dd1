import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createInteractions, type InteractionRow } from "../../src/data/index.ts";
import {
  fitImplicitAls,
  foldInUser,
  implicitAlsFromJSON,
  implicitAlsRecommender,
  implicitAlsToJSON,
  type ImplicitAlsModel,
} from "../../src/factorization/index.ts";
import { fitPopularity, popularityRecommender } from "../../src/baselines/index.ts";
import { recommend, scoreItems } from "../../src/recommend/index.ts";
import { expectError } from "../helpers.ts";
import { createRandom, fillNormal } from "../../src/core/index.ts";
import { fillNormalPolar } from "../../src/core/random.ts";
import { createAlsScratch, gramOf, solveRowConjugateGradient, symmetricEigen } from "../../src/factorization/als-kernels.ts";
import { hasMovieLens, implicitMovieLensSplit, ndcgAt, shortHistorySplit } from "./local-metrics.ts";

const roundTrip = (model: ImplicitAlsModel): ImplicitAlsModel => implicitAlsFromJSON(JSON.parse(JSON.stringify(implicitAlsToJSON(model))));

// Two blocks: users a0..a2 bought items x0..x2, users b0..b2 bought y0..y2 (a rank-2 preference matrix).
const blockRows: InteractionRow[] = [];
for (const [users, items] of [[["a0", "a1", "a2"], ["x0", "x1", "x2"]], [["b0", "b1", "b2"], ["y0", "y1", "y2"]]] as const) {
  for (const user of users) for (const item of items) blockRows.push({ user, item });
}
const blocks = createInteractions(blockRows);

const implicitRows = fc
  .uniqueArray(fc.record({ user: fc.integer({ min: 0, max: 9 }), item: fc.integer({ min: 0, max: 11 }) }), {
    minLength: 1,
    maxLength: 50,
    selector: (r) => `${r.user}:${r.item}`,
  })
  .map((list) => list.map((r) => ({ user: `u${r.user}`, item: `i${r.item}` })));

describe("fitImplicitAls", () => {
  it("recovers a rank-1 preference matrix (every user bought every item): x_uᵀy_i ≈ 1", () => {
    const rows: InteractionRow[] = [];
    for (let u = 0; u < 4; u++) for (let i = 0; i < 5; i++) rows.push({ user: u, item: i });
    for (const solver of ["cholesky", "conjugate-gradient"] as const) {
      const model = fitImplicitAls(createInteractions(rows), { factors: 1, iterations: 30, regularization: 1e-4, solver });
      const rec = implicitAlsRecommender(model);
      for (let u = 0; u < 4; u++) for (let i = 0; i < 5; i++) expect(rec.predict!(u, i)).toBeCloseTo(1, 3);
    }
  });

  it("separates the two blocks of a rank-2 pattern: in-block scores near 1, cross-block near 0", () => {
    for (const solver of ["cholesky", "conjugate-gradient"] as const) {
      const rec = implicitAlsRecommender(fitImplicitAls(blocks, { factors: 2, iterations: 30, regularization: 0.01, alpha: 10, solver }));
      for (let u = 0; u < 6; u++) {
        for (let i = 0; i < 6; i++) {
          const same = (u < 3) === (i < 3);
          expect(Math.abs(rec.predict!(u, i) - (same ? 1 : 0))).toBeLessThan(0.05);
        }
      }
    }
  });

  it("conjugate gradient with enough steps agrees with the exact Cholesky solves", () => {
    const data = createInteractions(blockRows.concat([{ user: "a0", item: "y1" }, { user: "b2", item: "x0", value: 3 }]));
    const exact = fitImplicitAls(data, { factors: 3, iterations: 5, solver: "cholesky", seed: 4 });
    const cg = fitImplicitAls(data, { factors: 3, iterations: 5, conjugateGradientSteps: 12, seed: 4 });
    for (let p = 0; p < exact.userFactors.length; p++) expect(cg.userFactors[p]).toBeCloseTo(exact.userFactors[p]!, 4);
  });

  it("defaults to λ = 0.25 · interactions / users and records the resolved hyperparameters", () => {
    const model = fitImplicitAls(blocks, { iterations: 1 });
    expect(model.regularization).toBeCloseTo((0.25 * 18) / 6, 12);
    expect(model.factors).toBe(64);
    expect(model.hyperparameters).toEqual({ iterations: 1, solver: "conjugate-gradient", conjugateGradientSteps: 2, initStandardDeviation: 0.01, seed: 0, values: "raw" });
  });

  it("values: auto keeps equal values raw and takes log1p of varied ones; foldInUser applies the same transform", () => {
    const varied = createInteractions([
      { user: "a", item: "x", value: 1 }, { user: "a", item: "y", value: 30 }, { user: "b", item: "x", value: 2 }, { user: "b", item: "z", value: 1 },
    ]);
    const auto = fitImplicitAls(varied, { factors: 2, iterations: 3, seed: 1 });
    expect(auto.hyperparameters.values).toBe("log1p");
    const logged = createInteractions([
      { user: "a", item: "x", value: Math.log1p(1) }, { user: "a", item: "y", value: Math.log1p(30) },
      { user: "b", item: "x", value: Math.log1p(2) }, { user: "b", item: "z", value: Math.log1p(1) },
    ]);
    const raw = fitImplicitAls(logged, { factors: 2, iterations: 3, seed: 1, values: "raw" });
    expect(Array.from(auto.userFactors)).toEqual(Array.from(raw.userFactors));
    const folded = foldInUser(auto, [{ item: "x", value: 1 }, { item: "y", value: 30 }]);
    const foldedRaw = foldInUser(raw, [{ item: "x", value: Math.log1p(1) }, { item: "y", value: Math.log1p(30) }]);
    for (let k = 0; k < 2; k++) expect(folded[k]).toBeCloseTo(foldedRaw[k]!, 12);
    expect(fitImplicitAls(varied, { factors: 2, iterations: 1, values: "binary" }).hyperparameters.values).toBe("binary");
    expectError(() => fitImplicitAls(varied, { values: "bm25" as never }), "E_BAD_INPUT", 'options.values must be one of "auto", "raw", "binary", "log1p"');
  });

  it("with the same seed gives an identical model", () => {
    fc.assert(
      fc.property(implicitRows, fc.integer({ min: 0, max: 99 }), (list, seed) => {
        const data = createInteractions(list);
        const a = fitImplicitAls(data, { factors: 3, iterations: 3, seed });
        const b = fitImplicitAls(data, { factors: 3, iterations: 3, seed });
        expect(Array.from(a.userFactors)).toEqual(Array.from(b.userFactors));
        expect(Array.from(a.itemFactors)).toEqual(Array.from(b.itemFactors));
      }),
      { seed: 42, numRuns: 30 },
    );
  });

  it("rejects bad options and negative values", () => {
    expectError(() => fitImplicitAls(blocks, { solver: "lu" as never }), "E_BAD_INPUT", 'options.solver must be "conjugate-gradient" or "cholesky", got "lu"');
    expectError(() => fitImplicitAls(blocks, { alpha: -1 }), "E_BAD_INPUT", "options.alpha must be >= 0, got -1");
    expectError(() => fitImplicitAls(blocks, { conjugateGradientSteps: 0 }), "E_BAD_INPUT", "options.conjugateGradientSteps");
    expectError(() => fitImplicitAls(createInteractions([{ user: "a", item: "b", value: -2 }])), "E_BAD_INPUT", "values must be >= 0");
  });
});

describe("foldInUser", () => {
  it("reproduces a training user's factors after convergence", () => {
    const data = createInteractions(blockRows.concat([{ user: "a0", item: "y1" }, { user: "b2", item: "x0", value: 2 }]));
    const model = fitImplicitAls(data, { factors: 3, iterations: 80, solver: "cholesky", regularization: 0.1, seed: 1 });
    for (const user of ["a0", "b2", "a1"]) {
      const u = data.users.lookup.get(user)!;
      const history = blockRows.concat([{ user: "a0", item: "y1" }, { user: "b2", item: "x0", value: 2 }])
        .filter((r) => r.user === user)
        .map((r) => ({ item: r.item, ...(r.value === undefined ? {} : { value: r.value }) }));
      const x = foldInUser(model, history);
      for (let k = 0; k < 3; k++) expect(x[k]).toBeCloseTo(model.userFactors[u * 3 + k]!, 3);
    }
  });

  it("sums repeated items, ignores unknown items unless strict, and validates its input", () => {
    const model = fitImplicitAls(blocks, { factors: 2, iterations: 5, seed: 1 });
    const twice = foldInUser(model, [{ item: "x0" }, { item: "x0" }]);
    const summed = foldInUser(model, [{ item: "x0", value: 2 }]);
    expect(Array.from(twice)).toEqual(Array.from(summed));
    expect(Array.from(foldInUser(model, [{ item: "x0" }, { item: "zz" }]))).toEqual(Array.from(foldInUser(model, [{ item: "x0" }])));
    expect(Array.from(foldInUser(model, []))).toEqual([0, 0]);
    expectError(() => foldInUser(model, [{ item: "zz" }], { strict: true }), "E_UNKNOWN_ID", 'foldInUser: interactions[0].item must be an item the model knows (strict), got "zz"');
    expectError(() => foldInUser(model, [{ item: "x0", value: -1 }]), "E_BAD_INPUT", "interactions[0].value must be >= 0");
    expectError(() => foldInUser(model, [{ item: "x0", value: Number.POSITIVE_INFINITY }]), "E_NON_FINITE", "interactions[0].value must be finite");
    expectError(() => foldInUser(model, "x0" as never), "E_BAD_INPUT", "interactions must be an iterable");
  });
});

describe("implicitAlsRecommender and JSON", () => {
  it("never recommends seen items and round-trips to identical scores", () => {
    fc.assert(
      fc.property(implicitRows, fc.integer({ min: 1, max: 15 }), (list, k) => {
        const data = createInteractions(list);
        const model = fitImplicitAls(data, { factors: 2, iterations: 2 });
        const a = implicitAlsRecommender(model);
        const b = implicitAlsRecommender(roundTrip(model));
        for (const user of data.users.ids) {
          const seen = new Set(list.filter((r) => r.user === user).map((r) => r.item));
          const result = recommend(a, user, { k });
          for (const entry of result.items) expect(seen.has(entry.item as string)).toBe(false);
          expect(recommend(b, user, { k })).toEqual(result);
          expect(Array.from(scoreItems(b, user).scores)).toEqual(Array.from(scoreItems(a, user).scores));
        }
      }),
      { seed: 42, numRuns: 30 },
    );
  });

  it("gives unknown users popularity, marked", () => {
    const rec = implicitAlsRecommender(fitImplicitAls(createInteractions([...blockRows, { user: "b0", item: "x1" }]), { factors: 2, iterations: 2 }));
    const result = recommend(rec, "stranger", { k: 1 });
    expect(result.fallback).toEqual({ reason: "unknown-user", source: "popularity" });
    expect(result.items).toEqual([{ item: "x1", score: 4, rank: 1 }]);
  });

  it("rejects damaged JSON naming the field", () => {
    const json = implicitAlsToJSON(fitImplicitAls(blocks, { factors: 2, iterations: 1 }));
    expectError(() => implicitAlsFromJSON({ ...json, alpha: -1 }), "E_BAD_MODEL", "json.alpha must be >= 0, got -1");
    expectError(() => implicitAlsFromJSON({ ...json, hyperparameters: { ...json.hyperparameters, solver: "qr" } }), "E_BAD_MODEL", "json.hyperparameters.solver");
    expectError(() => implicitAlsFromJSON({ ...json, seenIndices: [5] }), "E_BAD_MODEL", "json.seenIndptr");
  });
});

describe.skipIf(!hasMovieLens)("implicit ALS on MovieLens 100K (implicit: NDCG@10 0.347, popularity 0.216)", () => {
  it("64 factors × 15 iterations with default λ reach NDCG@10 >= 0.35 on the 80/20 random split (0.45 measured)", async () => {
    const { train, test } = await implicitMovieLensSplit();
    const als = ndcgAt(implicitAlsRecommender(fitImplicitAls(train, { factors: 64, iterations: 15 })), test);
    const popularity = ndcgAt(popularityRecommender(fitPopularity(train)), test);
    expect(als).toBeGreaterThanOrEqual(0.35);
    expect(popularity).toBeLessThan(0.25);
  });

  it("with defaults at least matches popularity on histories cut to each user's last 3 interactions", async () => {
    const { train, test } = await shortHistorySplit();
    const als = ndcgAt(implicitAlsRecommender(fitImplicitAls(train)), test);
    const popularity = ndcgAt(popularityRecommender(fitPopularity(train)), test);
    expect(als).toBeGreaterThanOrEqual(popularity);
  });
});

describe("implicit ALS conjugate-gradient kernels", () => {
  // A seeded random implicit matrix, 240 users × 60 items, ~12 items per user, values 1..3 (every id has a row).
  const randomRows = (): InteractionRow[] => {
    const random = createRandom(7);
    const rows: InteractionRow[] = [];
    for (let u = 0; u < 240; u++) {
      const seen = new Set<number>([u % 60]);
      while (seen.size < 4 + Math.floor(random() * 16)) seen.add(Math.floor(random() * random() * 60));
      for (const i of seen) rows.push({ user: `u${u}`, item: `i${i}`, value: 1 + Math.floor(random() * 3) });
    }
    return rows;
  };

  it("the fast half-iterations (float32 mirror, eigenbasis rotation, blocked rows) match the per-row reference", () => {
    // Reference: the textbook loop, each row by solveRowConjugateGradient against float64 tables with the dense
    // YᵀY + λI, from the same seeded initialization as fitImplicitAls. Only rounding may differ.
    const data = createInteractions(randomRows());
    const f = 8;
    const model = fitImplicitAls(data, { factors: f, iterations: 4, conjugateGradientSteps: 3, seed: 3, values: "raw" });
    const random = createRandom(3);
    const X = fillNormalPolar(new Float64Array(240 * f), random, 0.01);
    const Y = fillNormalPolar(new Float64Array(60 * f), random, 0.01);
    const scratch = createAlsScratch(f);
    const half = (S: Float64Array, F: Float64Array, fixedRows: number, m: typeof data.byUser): void => {
      gramOf(F, fixedRows, f, scratch.gram);
      for (let k = 0; k < f; k++) scratch.gram[k * f + k]! += model.regularization;
      for (let row = 0; row < m.rows; row++) {
        solveRowConjugateGradient(S, row, F, f, m.indptr[row]!, m.indptr[row + 1]!, m.indices, m.values, 1, 3, scratch);
      }
    };
    for (let it = 0; it < 4; it++) {
      half(X, Y, 60, data.byUser);
      half(Y, X, 240, data.byItem);
    }
    let worst = 0;
    for (let p = 0; p < X.length; p++) worst = Math.max(worst, Math.abs(model.userFactors[p]! - X[p]!));
    for (let p = 0; p < Y.length; p++) worst = Math.max(worst, Math.abs(model.itemFactors[p]! - Y[p]!));
    expect(worst).toBeLessThan(1e-5);
  });

  it("conjugate gradient in the rotated eigenbasis with f steps reaches the exact Cholesky solution", () => {
    const data = createInteractions(randomRows());
    const exact = fitImplicitAls(data, { factors: 6, iterations: 3, solver: "cholesky", seed: 5 });
    const cg = fitImplicitAls(data, { factors: 6, iterations: 3, conjugateGradientSteps: 12, seed: 5 });
    for (let p = 0; p < exact.userFactors.length; p++) expect(cg.userFactors[p]).toBeCloseTo(exact.userFactors[p]!, 4);
    for (let p = 0; p < exact.itemFactors.length; p++) expect(cg.itemFactors[p]).toBeCloseTo(exact.itemFactors[p]!, 4);
  });

  it("symmetricEigen returns an orthogonal V with A = V diag(d) Vᵀ", () => {
    // Reference: the 2 × 2 matrix [[2, 1], [1, 2]] has eigenvalues 1 and 3 (characteristic polynomial (2 − t)² − 1).
    const V2 = new Float64Array(4);
    const d2 = new Float64Array(2);
    symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2, V2, d2);
    expect(Array.from(d2).sort((a, b) => a - b).map((v) => Number(v.toFixed(12)))).toEqual([1, 3]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const random = createRandom(seed);
        const B = fillNormal(new Float64Array(n * n), random);
        const A = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = B[i * n + j]! + B[j * n + i]!;
        const V = new Float64Array(n * n);
        const d = new Float64Array(n);
        symmetricEigen(A.slice(), n, V, d);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let vtv = 0;
            let vdv = 0;
            for (let k = 0; k < n; k++) {
              vtv += V[k * n + i]! * V[k * n + j]!;
              vdv += V[i * n + k]! * d[k]! * V[j * n + k]!;
            }
            expect(vtv).toBeCloseTo(i === j ? 1 : 0, 10);
            expect(vdv).toBeCloseTo(A[i * n + j]!, 9);
          }
        }
      }),
      { seed: 42, numRuns: 60 },
    );
  });
});
