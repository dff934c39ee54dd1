// Issue 16, "feedback while it works": every long fit reports its steps through onProgress.
import { describe, expect, it } from "vitest";
import { NextbestError } from "../../src/core/errors.ts";
import type { ProgressEvent } from "../../src/core/index.ts";
import { createInteractions, splitRandom } from "../../src/data/index.ts";
import { denseFromRows } from "../../src/linalg/index.ts";
import { fitPopularity, popularityRecommender } from "../../src/baselines/index.ts";
import { fitBpr, fitImplicitAls, fitMatrixFactorization, fitSvdPlusPlus } from "../../src/factorization/index.ts";
import { easeRecommender, fitEase, fitItemItemImplicit, fitItemKnn, fitRp3Beta, fitUserKnn } from "../../src/neighbors/index.ts";
import { fitMlpClassifier } from "../../src/classifiers/index.ts";
import { fitKMeans } from "../../src/segments/index.ts";
import { fitLstm } from "../../src/sequence/index.ts";
import { compareModels, crossValidate } from "../../src/evaluation/index.ts";
import { learnBlendWeights } from "../../src/hybrid/index.ts";
import { expectError } from "../helpers.ts";

const rows = [];
for (let u = 0; u < 24; u++) for (let i = 0; i < 8; i++) if ((u * 5 + i * 3) % 3 !== 0) rows.push({ user: `u${u}`, item: `p${i}`, value: 1 + ((u + i) % 5) });
const data = createInteractions(rows);

function collect(run: (onProgress: (event: ProgressEvent) => void) => unknown): ProgressEvent[] {
  const events: ProgressEvent[] = [];
  run((event) => events.push(event));
  return events;
}

/** Steps 1..total of one phase, in order, as many as the run made. */
function expectSteps(events: readonly ProgressEvent[], phase: string, total: number, count = total): void {
  const mine = events.filter((event) => event.phase === phase);
  expect(mine.map((event) => event.step)).toEqual(Array.from({ length: count }, (_, k) => k + 1));
  for (const event of mine) expect(event.total).toBe(total);
}

describe("onProgress", () => {
  it("ALS (both solvers) reports every iteration", () => {
    for (const solver of ["conjugate-gradient", "cholesky"] as const) {
      expectSteps(collect((onProgress) => fitImplicitAls(data, { factors: 2, iterations: 4, solver, onProgress })), "iteration", 4);
    }
  });

  it("SGD fits report every epoch, MF and SVD++ with the training RMSE, which falls", () => {
    for (const fit of [fitMatrixFactorization, fitSvdPlusPlus]) {
      const events = collect((onProgress) => fit(data, { factors: 2, epochs: 12, seed: 1, onProgress }));
      expectSteps(events, "epoch", 12);
      expect(events.every((event) => Number.isFinite(event.loss))).toBe(true);
      expect(events.at(-1)!.loss!).toBeLessThan(events[0]!.loss!);
    }
    expectSteps(collect((onProgress) => fitBpr(data, { factors: 2, epochs: 3, seed: 1, onProgress })), "epoch", 3);
  });

  it("the neighbour models report the similarity pass, ending at the last entity", () => {
    for (const [fit, entities] of [[fitItemKnn, data.items.ids.length], [fitUserKnn, data.users.ids.length], [fitItemItemImplicit, data.items.ids.length], [fitRp3Beta, data.items.ids.length]] as const) {
      const events = collect((onProgress) => (fit as (d: typeof data, o: object) => unknown)(data, { onProgress }));
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((event) => event.phase === "similarities" && event.total === entities)).toBe(true);
      expect(events.at(-1)!.step).toBe(entities);
      expect(events.map((event) => event.step)).toEqual([...events.map((event) => event.step)].sort((a, b) => a - b));
    }
  });

  it("EASE, k-means, the MLP and the LSTM report their phases", () => {
    const ease = collect((onProgress) => fitEase(data, { onProgress }));
    expect(ease.map((event) => event.phase)).toEqual(["gram", "inverse"]);
    expectSteps(collect((onProgress) => fitKMeans(denseFromRows([[0], [1], [10], [11]]), { k: 2, restarts: 3, seed: 1, onProgress })), "restart", 3);
    expectSteps(collect((onProgress) => fitMlpClassifier(denseFromRows([[0, 0], [0, 1], [1, 0], [1, 1]]), [0, 1, 1, 0], { hiddenUnits: 2, epochs: 5, onProgress })), "epoch", 5);
    const lstm = collect((onProgress) => fitLstm([{ stages: ["a", "b"], nextStages: ["b", "won"], won: true }], { hiddenSize: 2, epochs: 3, seed: 1, onProgress }));
    expectSteps(lstm, "epoch", 3);
    expect(lstm.every((event) => Number.isFinite(event.loss))).toBe(true);
  });

  it("compareModels, crossValidate and learnBlendWeights report models, folds and passes with their metric", () => {
    const split = splitRandom(data, { testFraction: 0.3, seed: 1 });
    const factories = { popularity: (train: typeof data) => popularityRecommender(fitPopularity(train)), ease: (train: typeof data) => easeRecommender(fitEase(train)) };
    const compared = collect((onProgress) => compareModels(split, factories, { metrics: ["ndcg@5"], onProgress }));
    expect(compared.map((event) => [event.phase, event.step, event.total, event.metricName])).toEqual([["model popularity", 1, 2, "ndcg@5"], ["model ease", 2, 2, "ndcg@5"]]);
    expectSteps(collect((onProgress) => crossValidate(data, factories.popularity, { folds: 3, seed: 1, metrics: ["ndcg@5"], onProgress })), "fold", 3);
    const passes = collect((onProgress) => learnBlendWeights(split, [{ name: "pop", factory: factories.popularity }, { name: "ease", factory: factories.ease }], { steps: 2, seed: 1, onProgress }));
    expect(passes.length).toBeGreaterThan(0);
    expect(passes.every((event) => event.phase === "pass" && event.metricName === "ndcg@10")).toBe(true);
  });

  it("a callback that is not a function is named; an error it throws stops the fit and passes through", () => {
    expectError(() => fitImplicitAls(data, { onProgress: 3 as never }), "E_BAD_INPUT", "fitImplicitAls: options.onProgress must be a function");
    const stop = new Error("cancelled by the user");
    expect(() => fitMatrixFactorization(data, { epochs: 5, onProgress: () => { throw stop; } })).toThrow(stop);
    expect(() => fitMatrixFactorization(data, { epochs: 5, onProgress: () => { throw stop; } })).not.toThrow(NextbestError);
  });
});
