// The analytics suite (`npx tsx bench/run.ts analytics`): speed of segmentation and drift monitoring on fixed,
// seeded synthetic data. No peer: ml-kmeans and a JS silhouette/PSI/KS library are not dependencies of nextbest,
// so the figures stand alone (times in ms per call, median batch of lib.ts's timeMs).
//
// Rows:
// - kmeans-10k-x10-k8: fitKMeans on 10,000 rows × 10 columns drawn around 8 planted Gaussian centres (centres
//   uniform in [−5, 5]^10, unit noise), k = 8, 1 restart (k-means++ seeding + Lloyd to convergence).
// - kmeans-10k-x10-k8-restarts4: the same with the default 4 restarts.
// - silhouette-2k-x10-exact: exact silhouette of the first 2,000 of those rows with their k-means labels (O(n² d)).
// - silhouette-10k-x10-sampled-1k: sampled silhouette, 1,000 rows scored against all 10,000.
// - psi-100k: populationStabilityIndex of 100,000 N(0, 1) reference values vs 100,000 N(0.1, 1) current values, 10 bins.
// - ks-100k: kolmogorovSmirnovTest on the same two samples.
import { createRandom, fillNormal, randomUniform } from "../src/core/index.ts";
import { kolmogorovSmirnovTest, populationStabilityIndex } from "../src/drift/index.ts";
import { fitKMeans, silhouette } from "../src/segments/index.ts";
import { consume, timeMs, type BenchRow, type SuiteResult } from "./lib.ts";

const ROWS = 10_000;
const COLS = 10;
const CENTRES = 8;

function plantedClusters(seed: number): { rows: number; cols: number; data: Float64Array } {
  const random = createRandom(seed);
  const centres = Float64Array.from({ length: CENTRES * COLS }, () => randomUniform(random, { min: -5, max: 5 }));
  const data = fillNormal(new Float64Array(ROWS * COLS), random);
  for (let i = 0; i < ROWS; i++) {
    const c = i % CENTRES;
    for (let j = 0; j < COLS; j++) data[i * COLS + j]! += centres[c * COLS + j]!;
  }
  return { rows: ROWS, cols: COLS, data };
}

/** Runs the analytics suite. */
export async function runAnalytics(): Promise<SuiteResult> {
  const matrix = plantedClusters(1);
  const rows: BenchRow[] = [];
  rows.push({ name: "kmeans-10k-x10-k8", value: timeMs(() => fitKMeans(matrix, { k: CENTRES, seed: 2, restarts: 1 }).inertia, { batches: 5 }), unit: "ms" });
  rows.push({ name: "kmeans-10k-x10-k8-restarts4", value: timeMs(() => fitKMeans(matrix, { k: CENTRES, seed: 2 }).inertia, { batches: 5 }), unit: "ms" });
  const model = fitKMeans(matrix, { k: CENTRES, seed: 2 });
  const small = { rows: 2000, cols: COLS, data: matrix.data.subarray(0, 2000 * COLS) };
  const smallLabels = model.labels.subarray(0, 2000);
  rows.push({ name: "silhouette-2k-x10-exact", value: timeMs(() => silhouette(small, smallLabels).mean, { batches: 5 }), unit: "ms" });
  rows.push({
    name: "silhouette-10k-x10-sampled-1k",
    value: timeMs(() => silhouette(matrix, model.labels, { sampleSize: 1000, seed: 3 }).mean, { batches: 5 }),
    unit: "ms",
  });
  const random = createRandom(4);
  const reference = fillNormal(new Float64Array(100_000), random);
  const current = fillNormal(new Float64Array(100_000), random, { mean: 0.1 });
  rows.push({ name: "psi-100k", value: timeMs(() => populationStabilityIndex(reference, current).value), unit: "ms" });
  rows.push({ name: "ks-100k", value: timeMs(() => kolmogorovSmirnovTest(reference, current).statistic), unit: "ms" });
  consume(model.inertia);
  return {
    suite: "analytics",
    protocol:
      "Seeded synthetic data: 10,000 × 10 rows around 8 Gaussian centres (k-means, k = 8; silhouette exact on the first 2,000 rows, " +
      "sampled 1,000 of 10,000); 100,000 N(0,1) vs 100,000 N(0.1,1) values for PSI (10 reference-quantile bins) and two-sample KS. " +
      "Median ms per call (bench/lib.ts timeMs). No peer library in the run.",
    rows,
  };
}
