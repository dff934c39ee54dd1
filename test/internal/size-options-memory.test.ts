// Memory guard (issue 15): every option that sizes an allocation or a loop, set to 1e9, must return or throw a
// NextbestError within 1 s and 200 MB of new memory. Before the fixes `fitMlpClassifier({ hiddenUnits: 1e9 })`,
// `epochs: 1e9`, a label of 1e9 (a billion classes), `similarRows({ k: 1e9 })`, `randomSearch({ trials: 1e9 })` and a
// grid of 1e9 combinations ran out of memory or ran for hours. The 1 s bound is a guard against such a regression, not
// a benchmark: every call below finishes in milliseconds, a regression takes minutes or crashes.
import { describe, expect, it } from "vitest";
import { NextbestError } from "../../src/core/errors.ts";
import { createInteractions } from "../../src/data/index.ts";
import {
  conjugateGradient,
  csrFromTriplets,
  csrToDense,
  denseFromRows,
  denseIdentity,
  denseMatrix,
  denseZeros,
  gram,
  matmul,
  scoreAllAgainstFactors,
  topK,
  topKAgainstFactors,
} from "../../src/linalg/index.ts";
import { fitLogisticRegression, fitMlpClassifier } from "../../src/classifiers/index.ts";
import { fitItemItemImplicit, fitItemKnn, fitRp3Beta, fitUserKnn, similarItems, similarUsers } from "../../src/neighbors/index.ts";
import { fitLookAlikeModel, lookAlikes, similarRows } from "../../src/content/index.ts";
import { fitKMeans, kMeansElbow, profileSegments, segmentRows, silhouette } from "../../src/segments/index.ts";
import { fitBpr, fitImplicitAls, fitMatrixFactorization, fitSvdPlusPlus } from "../../src/factorization/index.ts";
import { fitLstm, generateStageHistories } from "../../src/sequence/index.ts";
import { explainExact, explainKernel, explainPermutation } from "../../src/explain/index.ts";
import { generateB2bSample } from "../../src/datasets/index.ts";
import { powerForMeans, powerForProportions, sampleSizeForMeans, sampleSizeForProportions } from "../../src/experiments/index.ts";
import { recommend, recommendMany } from "../../src/recommend/index.ts";
import { fitBiases, fitPopularity, popularityRecommender } from "../../src/baselines/index.ts";
import { learnBlendWeights, reciprocalRankFusion } from "../../src/hybrid/index.ts";
import { fitNextBestProducts, recommendNextBestProducts } from "../../src/pipeline/index.ts";
import { fitRepeatPurchases } from "../../src/repeat/index.ts";
import { crossValidate, evaluateNextPurchases, gridSearch, randomSearch } from "../../src/evaluation/index.ts";
import { driftReport, populationStabilityIndex } from "../../src/drift/index.ts";
import { splitTemporalWindow } from "../../src/data/index.ts";
import type { Interactions } from "../../src/data/index.ts";
import { TINY_PURCHASES, cli, scratchFolder, writeFixture } from "../cli/fixtures.ts";

const HUGE = 1e9;
const TIME_GUARD_MS = 1000;
const MEMORY_GUARD_BYTES = 200e6;

const data = createInteractions([
  { user: "a", item: "x", timestamp: 1 },
  { user: "b", item: "y", timestamp: 2 },
  { user: "a", item: "y", timestamp: 3 },
  { user: "c", item: "x", timestamp: 4 },
  { user: "c", item: "z", timestamp: 5 },
  { user: "b", item: "z", timestamp: 6 },
]);
// 20 accounts buying 13 products over 400 days: enough history for the pipeline and the repeat model.
const history = createInteractions(
  Array.from({ length: 400 }, (_, i) => ({ user: `a${i % 20}`, item: `p${(i * 7) % 13}`, timestamp: i * 86400 })),
);
const x = denseFromRows([[0, 0], [0, 1], [1, 0], [1, 1]]);
const rows = [[0, 0], [0, 1], [1, 0], [1, 1]];
const sum = (v: ArrayLike<number>): number => v[0]! + v[1]!;
// 3,000 one-dimensional rows in two clusters numbered 0 and 1,000,000.
const wideRows = Array.from({ length: 3000 }, (_, i) => [i < 1500 ? i / 1500 : 10 + i / 1500]);
const wideLabels = wideRows.map((_, i) => (i < 1500 ? 0 : 1e6));
const popular = (train: Interactions) => popularityRecommender(fitPopularity(train));
const lstmExamples = [
  { stages: ["lead", "demo"], nextStages: ["demo", "won"], won: true },
  { stages: ["lead", "call"], nextStages: ["call", "lost"], won: false },
];

/** A case: the call, and either the option its error must name or "returns". */
type Case = readonly [name: string, call: () => unknown, outcome: string];

const cases: readonly Case[] = [
  ["fitMlpClassifier hiddenUnits", () => fitMlpClassifier(x, [0, 1, 1, 0], { hiddenUnits: HUGE }), "options.hiddenUnits"],
  ["fitMlpClassifier epochs", () => fitMlpClassifier(x, [0, 1, 1, 0], { epochs: HUGE, validationFraction: 0 }), "options.epochs"],
  ["fitMlpClassifier label (classes)", () => fitMlpClassifier(x, [0, 1, 1, HUGE], { epochs: 1 }), "labels[3]"],
  ["fitMlpClassifier batchSize", () => fitMlpClassifier(x, [0, 1, 1, 0], { batchSize: HUGE, epochs: 2 }), "returns"],
  ["fitMlpClassifier patience", () => fitMlpClassifier(x, [0, 1, 1, 0], { patience: HUGE, epochs: 2 }), "returns"],
  ["fitLogisticRegression maxIterations", () => fitLogisticRegression(x, [0, 1, 1, 0], { maxIterations: HUGE }), "returns"],
  ["fitItemKnn neighbors", () => fitItemKnn(history, { neighbors: HUGE }), "returns"],
  ["fitUserKnn neighbors", () => fitUserKnn(history, { neighbors: HUGE }), "returns"],
  ["fitItemItemImplicit neighbors", () => fitItemItemImplicit(history, { neighbors: HUGE }), "returns"],
  ["fitRp3Beta neighbors", () => fitRp3Beta(history, { neighbors: HUGE }), "returns"],
  ["similarItems k", () => similarItems(fitItemKnn(data), "x", { k: HUGE }), "returns"],
  ["similarUsers k", () => similarUsers(fitUserKnn(data), "a", { k: HUGE }), "returns"],
  ["fitLookAlikeModel neighbors", () => fitLookAlikeModel(data, { ids: ["a", "b", "c"], features: denseFromRows([[1, 0], [0, 1], [1, 1]]) }, { neighbors: HUGE }), "returns"],
  ["similarRows k", () => similarRows(x, { k: HUGE }), "returns"],
  ["similarRows blockRows", () => similarRows(x, { k: 2, blockRows: HUGE }), "returns"],
  ["lookAlikes k", () => lookAlikes(x, [0], { k: HUGE }), "returns"],
  ["fitKMeans k", () => fitKMeans(rows, { k: HUGE }), "options.k"],
  ["fitKMeans restarts", () => fitKMeans(rows, { k: 2, restarts: HUGE }), "options.restarts"],
  ["fitKMeans maxIterations", () => fitKMeans(rows, { k: 2, maxIterations: HUGE }), "returns"],
  ["kMeansElbow maxK", () => kMeansElbow(rows, { maxK: HUGE }), "options.maxK"],
  ["kMeansElbow restarts", () => kMeansElbow(rows, { restarts: HUGE }), "kMeansElbow: options.restarts"],
  ["kMeansElbow silhouetteSampleSize", () => kMeansElbow(rows, { silhouetteSampleSize: HUGE }), "returns"],
  ["silhouette sampleSize", () => silhouette(rows, [0, 0, 1, 1], { sampleSize: HUGE }), "returns"],
  ["segmentRows k", () => segmentRows([{ s: 1 }, { s: 2 }], { schema: [{ field: "s", kind: "numeric" }], k: HUGE }), "segmentRows: options.k"],
  ["segmentRows restarts", () => segmentRows([{ s: 1 }, { s: 2 }], { schema: [{ field: "s", kind: "numeric" }], k: 2, restarts: HUGE }), "segmentRows: options.restarts"],
  ["segmentRows silhouetteSampleSize", () => segmentRows([{ s: 1 }, { s: 2 }, { s: 5 }], { schema: [{ field: "s", kind: "numeric" }], k: 2, silhouetteSampleSize: HUGE }), "returns"],
  ["profileSegments label (segments)", () => profileSegments([{ s: 1 }, { s: 2 }], [0, HUGE], [{ field: "s", kind: "numeric" }]), "labels[1] must be an integer in [0, 9999]"],
  ["profileSegments label 1e6 (was 600 MB)", () => profileSegments([{ s: 1 }, { s: 2 }], [0, 1e6], [{ field: "s", kind: "numeric" }]), "labels[1]"],
  ["silhouette label", () => silhouette(rows, [0, 0, 1, HUGE]), "labels[3]"],
  ["silhouette label 1e6 on 3,000 rows (was rows × 1e6 sums)", () => silhouette(wideRows, wideLabels), "returns"],
  ["segmentRows k above 10,000", () => segmentRows([{ s: 1 }, { s: 2 }], { schema: [{ field: "s", kind: "numeric" }], k: 20_000 }), "segmentRows: options.k must be an integer in [1, 10000]"],
  ["profileSegments maxHighlights", () => profileSegments([{ s: 1 }, { s: 2 }], [0, 1], [{ field: "s", kind: "numeric" }], { maxHighlights: HUGE }), "returns"],
  ["fitMatrixFactorization factors", () => fitMatrixFactorization(data, { factors: HUGE }), "options.factors"],
  ["fitMatrixFactorization epochs", () => fitMatrixFactorization(data, { epochs: HUGE }), "options.epochs"],
  ["fitBpr factors", () => fitBpr(data, { factors: HUGE }), "options.factors"],
  ["fitBpr epochs", () => fitBpr(data, { epochs: HUGE }), "options.epochs"],
  ["fitImplicitAls factors", () => fitImplicitAls(data, { factors: HUGE }), "options.factors"],
  ["fitImplicitAls iterations", () => fitImplicitAls(data, { iterations: HUGE }), "options.iterations"],
  ["fitImplicitAls conjugateGradientSteps", () => fitImplicitAls(data, { conjugateGradientSteps: HUGE }), "options.conjugateGradientSteps"],
  ["fitSvdPlusPlus factors", () => fitSvdPlusPlus(data, { factors: HUGE }), "options.factors"],
  ["fitSvdPlusPlus epochs", () => fitSvdPlusPlus(data, { epochs: HUGE }), "options.epochs"],
  ["fitBiases epochs", () => fitBiases(data, { method: "sgd", epochs: HUGE }), "options.epochs"],
  ["fitLstm hiddenSize", () => fitLstm(lstmExamples, { hiddenSize: HUGE }), "options.hiddenSize"],
  ["fitLstm epochs", () => fitLstm(lstmExamples, { epochs: HUGE }), "options.epochs"],
  ["fitLstm batchSize", () => fitLstm(lstmExamples, { batchSize: HUGE, epochs: 1 }), "returns"],
  ["generateStageHistories count", () => generateStageHistories({ count: HUGE }), "options.count"],
  ["generateB2bSample accounts", () => generateB2bSample({ accounts: HUGE }), "options.accounts"],
  ["generateB2bSample products", () => generateB2bSample({ products: HUGE }), "options.products"],
  ["generateB2bSample months", () => generateB2bSample({ months: HUGE }), "options.months"],
  ["generateB2bSample accounts × months", () => generateB2bSample({ accounts: 100_000, months: 120 }), "options.accounts × options.months must be at most 1200000"],
  ["explainKernel samples", () => explainKernel(sum, [1, 2], { background: [[0, 0]], samples: HUGE }), "options.samples"],
  [
    "explainKernel samples × features",
    () => explainKernel((v) => v[0]!, Array.from({ length: 100 }, (_, i) => i + 1), { background: [new Array<number>(100).fill(0)], samples: 1e8 }),
    "options.samples must keep samples × varying features",
  ],
  ["explainKernel maxFeatures", () => explainKernel(sum, [1, 2], { background: [[0, 0]], maxFeatures: HUGE }), "options.maxFeatures"],
  ["explainPermutation permutations", () => explainPermutation(sum, [1, 2], { background: [[0, 0]], permutations: HUGE }), "options.permutations"],
  ["explainExact maxPlayers", () => explainExact(sum, [1, 2], { background: [[0, 0]], maxPlayers: HUGE }), "options.maxPlayers"],
  ["powerForMeans controlSize", () => powerForMeans({ difference: 1, standardDeviation: 1 }, { controlSize: HUGE }), "returns"],
  ["powerForProportions controlSize", () => powerForProportions({ baseline: 0.1, treatment: 0.2 }, { controlSize: HUGE }), "returns"],
  ["sampleSizeForMeans tiny difference", () => sampleSizeForMeans({ difference: 1e-300, standardDeviation: 1 }), "design.difference"],
  ["sampleSizeForProportions tiny difference", () => sampleSizeForProportions({ baseline: 0.1, treatment: 0.1 + 1e-15 }), "design.treatment"],
  ["recommend k", () => recommend(popular(data), "a", { k: HUGE }), "returns"],
  ["recommendMany k", () => recommendMany(popular(data), ["a", "b"], { k: HUGE }), "returns"],
  ["reciprocalRankFusion k", () => recommend(reciprocalRankFusion([{ name: "p", recommender: popular(data), weight: 1 }], { k: HUGE }), "a"), "returns"],
  ["topK k", () => topK([1, 2, 3], { k: HUGE }), "returns"],
  ["topKAgainstFactors k", () => topKAgainstFactors(x, x, { k: HUGE }), "returns"],
  ["denseZeros rows × cols (was a raw RangeError)", () => denseZeros(1e5, 1e5), "denseZeros: rows × cols must hold at most 2147483647 entries, got 100000 × 100000"],
  ["denseIdentity n", () => denseIdentity(HUGE), "denseIdentity: n × n must hold at most 2147483647 entries"],
  ["matmul product", () => matmul(denseZeros(1e5, 1), denseZeros(1, 1e5)), "matmul: the product op(a) · op(b) must hold at most 2147483647 entries"],
  ["gram cols", () => gram(denseZeros(1, 1e5)), "gram: aᵀa (a.cols × a.cols) must hold at most 2147483647 entries"],
  ["csrToDense rows × cols", () => csrToDense(csrFromTriplets({ rows: 1e5, cols: 1e5, rowIndices: [0], colIndices: [0], values: [1] })), "csrToDense: matrix (rows × cols)"],
  ["scoreAllAgainstFactors users × items", () => scoreAllAgainstFactors(denseMatrix(1e5, 1, new Float64Array(1e5)), denseMatrix(1e5, 1, new Float64Array(1e5))), "scoreAllAgainstFactors: the scores"],
  ["conjugateGradient maxIterations", () => conjugateGradient(denseFromRows([[2, 0], [0, 3]]), [1, 1], { maxIterations: HUGE }), "returns"],
  ["fitNextBestProducts candidates", () => fitNextBestProducts(history, { candidates: HUGE }), "returns"],
  ["recommendNextBestProducts k", () => recommendNextBestProducts(fitNextBestProducts(history), "a0", { k: HUGE }), "options.k"],
  ["fitRepeatPurchases maxTrainingPairs", () => fitRepeatPurchases(history, { maxTrainingPairs: HUGE }), "returns"],
  ["crossValidate folds", () => crossValidate(data, popular, { folds: HUGE, seed: 1 }), "options.folds"],
  [
    "randomSearch trials",
    () => randomSearch(data, () => popular, { trials: HUGE, space: { a: [1] }, seed: 1, metric: "ndcg@3", validation: { split: "holdout", testFraction: 0.3, seed: 1 } }),
    "options.trials",
  ],
  [
    "gridSearch combinations",
    () => {
      const values = Array.from({ length: 10 }, (_, i) => i);
      const grid = Object.fromEntries(Array.from({ length: 9 }, (_, p) => [`p${p}`, values]));
      return gridSearch(data, () => popular, { grid, metric: "ndcg@3", validation: { split: "holdout", testFraction: 0.3, seed: 1 } });
    },
    "options.grid must make at most 100000 combinations",
  ],
  [
    "learnBlendWeights steps",
    () => learnBlendWeights({ train: data, test: data }, [{ name: "p", factory: popular }, { name: "q", factory: popular }], { steps: HUGE }),
    "returns",
  ],
  [
    "learnBlendWeights candidates",
    () => learnBlendWeights({ train: data, test: data }, [{ name: "p", factory: popular }, { name: "q", factory: popular }], { candidates: HUGE }),
    "returns",
  ],
  [
    "evaluateNextPurchases bootstrap.resamples",
    () => {
      const split = splitTemporalWindow(data, { cutoff: 4 });
      return evaluateNextPurchases(popular(split.train), split, { task: "all-products", k: 1, bootstrap: { resamples: HUGE, seed: 1 } });
    },
    "options.bootstrap.resamples",
  ],
  ["populationStabilityIndex bins", () => populationStabilityIndex([1, 2, 3], [1, 2, 4], { bins: HUGE }), "options.bins"],
  ["driftReport bins", () => driftReport([{ v: 1 }, { v: 2 }], [{ v: 2 }, { v: 3 }], { features: [{ field: "v", kind: "numeric" }], bins: HUGE }), "options.bins"],
];

interface Measured {
  readonly outcome: unknown;
  readonly error: unknown;
  readonly milliseconds: number;
  readonly bytes: number;
}

async function measure(call: () => unknown): Promise<Measured> {
  const before = process.memoryUsage();
  const start = Date.now();
  let outcome: unknown;
  let error: unknown;
  try {
    outcome = await call();
  } catch (caught) {
    error = caught;
  }
  const milliseconds = Date.now() - start;
  const after = process.memoryUsage();
  const bytes = Math.max(after.rss - before.rss, after.heapUsed - before.heapUsed) + (after.arrayBuffers - before.arrayBuffers);
  return { outcome, error, milliseconds, bytes };
}

describe("every size option at 1e9 returns or throws within 1 s and 200 MB", () => {
  for (const [name, call, expected] of cases) {
    it(name, async () => {
      const { error, milliseconds, bytes } = await measure(call);
      if (expected === "returns") {
        expect(error).toBeUndefined();
      } else {
        expect(error).toBeInstanceOf(NextbestError);
        expect((error as NextbestError).code).toBe("E_BAD_INPUT");
        expect((error as NextbestError).message).toContain(expected);
      }
      expect(milliseconds).toBeLessThan(TIME_GUARD_MS);
      expect(bytes).toBeLessThan(MEMORY_GUARD_BYTES);
    });
  }

  describe("CLI flags", () => {
    const folder = scratchFolder();
    const purchases = writeFixture(folder, "purchases.csv", TINY_PURCHASES);
    const flags: readonly [string, readonly string[]][] = [
      ["recommend --k", ["recommend", "--interactions", purchases, "--model", "popularity", "--k", String(HUGE)]],
      ["evaluate --metrics ndcg@1e9", ["evaluate", "--interactions", purchases, "--models", "popularity", "--metrics", `ndcg@${HUGE}`]],
    ];
    for (const [name, argv] of flags) {
      it(name, async () => {
        const { outcome, milliseconds, bytes } = await measure(() => cli(argv));
        expect((outcome as { code: number }).code).toBe(0);
        expect(milliseconds).toBeLessThan(TIME_GUARD_MS);
        expect(bytes).toBeLessThan(MEMORY_GUARD_BYTES);
      });
    }
  });
});
