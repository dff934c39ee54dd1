import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { silhouette } from "../../src/segments/index.ts";
import { expectError } from "../helpers.ts";

// The textbook definition, row by row (Rousseeuw 1987), as the reference.
function naiveSilhouette(rows: number[][], labels: number[]): number[] {
  const distance = (a: number[], b: number[]): number => Math.sqrt(a.reduce((s, v, j) => s + (v - b[j]!) ** 2, 0));
  const clusters = [...new Set(labels)];
  return rows.map((row, i) => {
    const own = labels.filter((l) => l === labels[i]).length;
    if (own === 1) return 0;
    const meanTo = (c: number): number => {
      const members = rows.filter((_, j) => labels[j] === c && j !== i);
      return members.reduce((s, m) => s + distance(row, m), 0) / members.length;
    };
    const a = meanTo(labels[i]!);
    const b = Math.min(...clusters.filter((c) => c !== labels[i]).map(meanTo));
    return Math.max(a, b) === 0 ? 0 : (b - a) / Math.max(a, b);
  });
}

describe("silhouette", () => {
  it("computes each row's silhouette by hand", () => {
    // 1-D: rows 0, 1 | 4, 5. Row 0: a = 1, b = (4 + 5)/2 = 4.5 → 7/9. Row 1: a = 1, b = 3.5 → 5/7.
    const result = silhouette([[0], [1], [4], [5]], [0, 0, 1, 1]);
    expect(Array.from(result.values)).toEqual([7 / 9, 5 / 7, 5 / 7, 7 / 9].map((v) => expect.closeTo(v, 14)));
    expect(result.mean).toBeCloseTo((7 / 9 + 5 / 7) / 2, 14);
    expect(result.exact).toBe(true);
    expect(Array.from(result.clusterMeans)).toEqual([expect.closeTo(0.746031746, 8), expect.closeTo(0.746031746, 8)]);
  });

  it("gives 0 to a row alone in its cluster and skips unused label numbers", () => {
    const result = silhouette([[0], [1], [10]], [0, 0, 3]);
    expect(result.values[2]).toBe(0);
    expect(Number.isNaN(result.clusterMeans[1]!)).toBe(true);
  });

  it("sampled: scores the drawn rows exactly, and estimates the mean", () => {
    const rows = Array.from({ length: 60 }, (_, i) => [i % 3 === 0 ? i : i * 0.5, (i * 7) % 11]);
    const labels = rows.map((_, i) => i % 3);
    const exact = silhouette(rows, labels);
    const sampled = silhouette(rows, labels, { sampleSize: 20, seed: 5 });
    expect(sampled.exact).toBe(false);
    expect(sampled.rows.length).toBe(20);
    expect(new Set(sampled.rows).size).toBe(20);
    for (let s = 0; s < 20; s++) expect(sampled.values[s]).toBeCloseTo(exact.values[sampled.rows[s]!]!, 12);
    expect(Array.from(silhouette(rows, labels, { sampleSize: 20, seed: 5 }).rows)).toEqual(Array.from(sampled.rows));
  });

  it("rejects a single cluster, bad labels and mismatched lengths", () => {
    expectError(() => silhouette([[0], [1]], [1, 1]), "E_BAD_INPUT", "silhouette: labels must name at least 2 non-empty clusters, got 1");
    expectError(() => silhouette([[0], [1]], [0]), "E_SHAPE", "silhouette: labels must have length 2 (one per row), got length 1");
    expectError(() => silhouette([[0], [1]], [0, -1]), "E_BAD_INPUT", "silhouette: labels[1] must be an integer in [0, 1000000], got -1");
    expectError(() => silhouette([[0], [1]], [0, 1], { sampleSize: 0 }), "E_BAD_INPUT", "silhouette: options.sampleSize must be an integer >= 1, got 0");
  });

  it("property: every value is in [−1, 1] and equals the textbook definition", () => {
    const point = fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 }), fc.integer({ min: 0, max: 3 }));
    fc.assert(
      fc.property(fc.array(point, { minLength: 2, maxLength: 30 }), (points) => {
        const rows = points.map(([x, y]) => [x, y]);
        const labels = points.map(([, , l]) => l);
        if (new Set(labels).size < 2) return;
        const result = silhouette(rows, labels);
        const reference = naiveSilhouette(rows, labels);
        for (let i = 0; i < rows.length; i++) {
          expect(result.values[i]!).toBeGreaterThanOrEqual(-1);
          expect(result.values[i]!).toBeLessThanOrEqual(1);
          expect(result.values[i]!).toBeCloseTo(reference[i]!, 12);
        }
        expect(result.mean >= -1 && result.mean <= 1).toBe(true);
      }),
      { seed: 51, numRuns: 150 },
    );
  });

  it("property: renumbering the clusters sparsely (up to 1,000,000) changes no value, only where clusterMeans sit", () => {
    // The distance sums run over the non-empty clusters (issue 15: a label of 1e6 on 3,000 rows reserved 24 GB).
    const point = fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 0, max: 3 }));
    const numbers = fc.uniqueArray(fc.integer({ min: 0, max: 1e6 }), { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(fc.array(point, { minLength: 2, maxLength: 30 }), numbers, fc.boolean(), (points, renumber, sampled) => {
        const rows = points.map(([x]) => [x]);
        const labels = points.map(([, l]) => l);
        if (new Set(labels).size < 2) return;
        const sparse = labels.map((l) => renumber[l]!);
        const options = sampled ? { sampleSize: Math.max(1, rows.length - 1), seed: 3 } : {};
        const dense = silhouette(rows, labels, options);
        const wide = silhouette(rows, sparse, options);
        expect(Array.from(wide.values)).toEqual(Array.from(dense.values));
        expect(wide.mean).toBe(dense.mean);
        for (let c = 0; c < 4; c++) {
          if (!labels.includes(c)) continue;
          expect(wide.clusterMeans[renumber[c]!]).toBe(dense.clusterMeans[c]);
        }
      }),
      { seed: 15, numRuns: 150 },
    );
  });
});
