import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRandom, randomNormal } from "../../src/core/index.ts";
import { fitKMeans, kMeansElbow, kMeansFromJSON, kMeansToJSON, predictKMeans } from "../../src/segments/index.ts";
import { expectError } from "../helpers.ts";

/** Three Gaussian blobs in 2-D, `perBlob` rows each. */
function blobs(perBlob: number, seed: number): number[][] {
  const random = createRandom(seed);
  const centres = [[0, 0], [6, 0], [0, 6]];
  return centres.flatMap(([x, y]) =>
    Array.from({ length: perBlob }, () => [randomNormal(random, { mean: x! }), randomNormal(random, { mean: y! })]),
  );
}

describe("fitKMeans", () => {
  it("finds the means of a hand-made two-cluster set, and its inertia by hand", () => {
    const model = fitKMeans([[0, 0], [2, 0], [10, 10], [10, 12], [12, 10], [12, 12]], { k: 2, seed: 9 });
    expect(Array.from(model.labels)).toEqual([1, 1, 0, 0, 0, 0]);
    expect(Array.from(model.centroids)).toEqual([11, 11, 1, 0]);
    // cluster {10..12}²: 4 rows at squared distance 2 → 8; cluster {0,2}: 2 rows at 1 → 2
    expect(model.inertia).toBe(10);
    expect(model.converged).toBe(true);
    expect(model.dimension).toBe(2);
  });

  it("recovers three planted blobs", () => {
    const data = blobs(100, 1);
    const model = fitKMeans(data, { k: 3, seed: 2 });
    expect(Array.from(model.sizes)).toEqual([100, 100, 100]);
    for (let blob = 0; blob < 3; blob++) {
      const labels = new Set(Array.from(model.labels.subarray(blob * 100, blob * 100 + 100)));
      expect(labels.size).toBe(1);
    }
  });

  it("takes a dense matrix as is (from encodeRows) and agrees with the row form", () => {
    const rows = blobs(20, 3);
    const matrix = { rows: rows.length, cols: 2, data: Float64Array.from(rows.flat()) };
    expect(Array.from(fitKMeans(matrix, { k: 3, seed: 4 }).labels)).toEqual(Array.from(fitKMeans(rows, { k: 3, seed: 4 }).labels));
  });

  it("handles duplicate rows and k = rows", () => {
    const model = fitKMeans([[1], [1], [1], [5]], { k: 2, seed: 1 });
    expect(Array.from(model.sizes)).toEqual([3, 1]);
    expect(fitKMeans([[1], [2], [3]], { k: 3 }).inertia).toBe(0);
  });

  it("round-trips through JSON and assigns new rows to the nearest centroid", () => {
    const model = fitKMeans(blobs(30, 5), { k: 3, seed: 6 });
    const back = kMeansFromJSON(JSON.parse(JSON.stringify(kMeansToJSON(model))));
    expect(Array.from(back.centroids)).toEqual(Array.from(model.centroids));
    expect(Array.from(back.sizes)).toEqual(Array.from(model.sizes));
    expect(back.inertia).toBe(model.inertia);
    expect(Array.from(predictKMeans(back, blobs(30, 5)))).toEqual(Array.from(model.labels));
  });

  it("rejects bad data, options and models", () => {
    expectError(() => fitKMeans([], { k: 1 }), "E_EMPTY", "fitKMeans: data must hold at least one row, got 0 rows");
    expectError(() => fitKMeans([[1, 2], [3]], { k: 1 }), "E_SHAPE", "fitKMeans: data[1] must have length 2, got length 1");
    expectError(() => fitKMeans([[1, Number.NaN]], { k: 1 }), "E_NON_FINITE", "fitKMeans: data[0][1] must be a finite number, got NaN");
    expectError(() => fitKMeans([[1], [2]], { k: 0 }), "E_BAD_INPUT", "fitKMeans: options.k must be an integer in [1, 2], got 0");
    expectError(() => fitKMeans([[1], [2]], { k: 1, seed: Number.NaN }), "E_BAD_INPUT", "fitKMeans: options.seed must be a finite number or a string, got NaN");
    const model = fitKMeans([[1, 2], [3, 4]], { k: 2 });
    expectError(() => predictKMeans(model, [[1]]), "E_SHAPE", "predictKMeans: data must have 2 columns (the model's dimension), got 1");
    const json = kMeansToJSON(model);
    expectError(() => kMeansFromJSON({ ...json, kind: "als" }), "E_BAD_MODEL", 'kMeansFromJSON: json.kind must be "kmeans", got "als"');
    expectError(() => kMeansFromJSON({ ...json, labels: [0, 2] }), "E_BAD_MODEL", "kMeansFromJSON: json.labels[1] must be an integer in [0, 1], got 2");
    expectError(() => kMeansFromJSON({ ...json, centroids: [1, 2, 3, Number.NaN] }), "E_BAD_MODEL", "kMeansFromJSON: json.centroids[3] must be a finite number, got NaN");
  });

  const dataset = fc.array(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 })), { minLength: 6, maxLength: 40 });

  it("property: the same seed gives the same clustering; labels agree with nearest centroids", () => {
    fc.assert(
      fc.property(dataset, fc.integer({ min: 1, max: 5 }), fc.integer(), (points, k, seed) => {
        const rows = points.map(([x, y]) => [x, y]);
        const a = fitKMeans(rows, { k, seed });
        const b = fitKMeans(rows, { k, seed });
        expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
        expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
        expect(Array.from(predictKMeans(a, rows))).toEqual(Array.from(a.labels));
        let sizes = 0;
        for (const s of a.sizes) sizes += s;
        expect(sizes).toBe(rows.length);
      }),
      { seed: 41, numRuns: 100 },
    );
  });

  it("property: with the best of several seeds, inertia never increases with k", () => {
    fc.assert(
      fc.property(dataset, (points) => {
        const rows = points.map(([x, y]) => [x, y]);
        let previous = Number.POSITIVE_INFINITY;
        for (let k = 1; k <= Math.min(6, rows.length); k++) {
          const inertia = fitKMeans(rows, { k, seed: 7, restarts: 8 }).inertia;
          expect(inertia).toBeLessThanOrEqual(previous + 1e-9 * Math.max(1, previous));
          previous = inertia;
        }
      }),
      { seed: 42, numRuns: 60 },
    );
  });
});

describe("kMeansElbow", () => {
  it("finds k = 3 on three blobs by silhouette and by the elbow", () => {
    const table = kMeansElbow(blobs(40, 8), { minK: 1, maxK: 7, seed: 1 });
    expect(table.rows.map((row) => row.k)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(table.rows[0]!.silhouette).toBeNaN();
    expect(table.bestSilhouetteK).toBe(3);
    expect(table.elbowK).toBe(3);
    for (let i = 1; i < table.rows.length; i++) expect(table.rows[i]!.inertia).toBeLessThanOrEqual(table.rows[i - 1]!.inertia);
  });

  it("rejects a range outside the rows", () => {
    expectError(() => kMeansElbow([[1], [2], [3]], { maxK: 4 }), "E_BAD_INPUT", "kMeansElbow: options.maxK must be an integer in [2, 3], got 4");
  });
});
