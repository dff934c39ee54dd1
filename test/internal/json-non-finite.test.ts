// Issue 15, "JSON readers accept finite but absurd values": a model object handed to a fromJSON reader (not only a
// parsed string: JSON has no Infinity, but an object does) is rejected when any number in it is NaN or ±Infinity,
// whether the field is used for scoring or only informational (`l2: Infinity`). Every numeric leaf is tried.
import { describe, expect, it } from "vitest";
import { NextbestError } from "../../src/core/errors.ts";
import { createInteractions } from "../../src/data/index.ts";
import { denseFromRows } from "../../src/linalg/index.ts";
import { biasesToJSON, biasesFromJSON, fitBiases, fitPopularity, popularityFromJSON, popularityToJSON } from "../../src/baselines/index.ts";
import {
  bprFromJSON,
  bprToJSON,
  fitBpr,
  fitImplicitAls,
  fitMatrixFactorization,
  fitSvdPlusPlus,
  implicitAlsFromJSON,
  implicitAlsToJSON,
  matrixFactorizationFromJSON,
  matrixFactorizationToJSON,
  svdPlusPlusFromJSON,
  svdPlusPlusToJSON,
} from "../../src/factorization/index.ts";
import { easeFromJSON, easeToJSON, fitEase, fitItemKnn, knnFromJSON, knnToJSON } from "../../src/neighbors/index.ts";
import {
  fitLogisticRegression,
  fitMlpClassifier,
  logisticRegressionFromJSON,
  logisticRegressionToJSON,
  mlpClassifierFromJSON,
  mlpClassifierToJSON,
} from "../../src/classifiers/index.ts";
import { fitKMeans, kMeansFromJSON, kMeansToJSON } from "../../src/segments/index.ts";
import { fitFeatureEncoder, featureEncoderFromJSON, featureEncoderToJSON, fitIntentModel, intentFromJSON, intentToJSON } from "../../src/content/index.ts";
import { fitStageMarkovChain, stageMarkovChainFromJSON, stageMarkovChainToJSON } from "../../src/sequence/index.ts";

const data = createInteractions([
  { user: "a", item: "x", value: 4 },
  { user: "a", item: "y", value: 2 },
  { user: "b", item: "x", value: 5 },
  { user: "b", item: "z", value: 1 },
  { user: "c", item: "y", value: 3 },
]);
const features = denseFromRows([[0, 1], [1, 0], [1, 1], [0, 0]]);

const cases: ReadonlyArray<readonly [string, () => unknown, (json: unknown) => unknown]> = [
  ["biasesFromJSON", () => biasesToJSON(fitBiases(data)), biasesFromJSON],
  ["popularityFromJSON", () => popularityToJSON(fitPopularity(data)), popularityFromJSON],
  ["matrixFactorizationFromJSON", () => matrixFactorizationToJSON(fitMatrixFactorization(data, { factors: 2, epochs: 2 })), matrixFactorizationFromJSON],
  ["svdPlusPlusFromJSON", () => svdPlusPlusToJSON(fitSvdPlusPlus(data, { factors: 2, epochs: 2 })), svdPlusPlusFromJSON],
  ["bprFromJSON", () => bprToJSON(fitBpr(data, { factors: 2, epochs: 2 })), bprFromJSON],
  ["implicitAlsFromJSON", () => implicitAlsToJSON(fitImplicitAls(data, { factors: 2, iterations: 2 })), implicitAlsFromJSON],
  ["easeFromJSON", () => easeToJSON(fitEase(data)), easeFromJSON],
  ["knnFromJSON", () => knnToJSON(fitItemKnn(data)), knnFromJSON],
  ["logisticRegressionFromJSON", () => logisticRegressionToJSON(fitLogisticRegression(features, [0, 1, 1, 0])), logisticRegressionFromJSON],
  ["mlpClassifierFromJSON", () => mlpClassifierToJSON(fitMlpClassifier(features, [0, 1, 1, 0], { hiddenUnits: 2, epochs: 2 })), mlpClassifierFromJSON],
  ["kMeansFromJSON", () => kMeansToJSON(fitKMeans(features, { k: 2, seed: 1 })), kMeansFromJSON],
  [
    "featureEncoderFromJSON",
    () => featureEncoderToJSON(fitFeatureEncoder([{ seats: 10 }, { seats: 30 }], [{ field: "seats", kind: "numeric" }])),
    featureEncoderFromJSON,
  ],
  [
    "intentFromJSON",
    () => intentToJSON(fitIntentModel([{ account: "acme", topic: "t", score: 2, timestamp: 0 }], { ids: ["p"], topics: [["t"]] })),
    intentFromJSON,
  ],
  [
    "stageMarkovChainFromJSON",
    () => stageMarkovChainToJSON(fitStageMarkovChain([{ stages: ["a", "b", "won"] }, { stages: ["a", "lost"] }])),
    stageMarkovChainFromJSON,
  ],
];

/** Every path to a number inside `value` (objects and arrays, not id lists). */
function numberPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === "number") return [path];
  if (Array.isArray(value)) return value.flatMap((entry, i) => numberPaths(entry, [...path, i]));
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([key, entry]) => numberPaths(entry, [...path, key]));
  return [];
}

function withValue(json: unknown, path: readonly (string | number)[], value: number): unknown {
  const copy = structuredClone(json) as Record<string | number, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  target[path[path.length - 1]!] = value;
  return copy;
}

describe("fromJSON readers reject non-finite numbers in every field", () => {
  for (const [name, build, read] of cases) {
    it(`${name}: NaN, Infinity and -Infinity anywhere are E_BAD_MODEL naming a json field`, () => {
      const json = JSON.parse(JSON.stringify(build()));
      expect(() => read(json)).not.toThrow();
      const paths = numberPaths(json);
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) {
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
          let thrown: unknown;
          try {
            read(withValue(json, path, bad));
          } catch (error) {
            thrown = error;
          }
          expect(thrown, `${name} accepted ${bad} at ${path.join(".")}`).toBeInstanceOf(NextbestError);
          expect((thrown as NextbestError).code).toBe("E_BAD_MODEL");
          expect((thrown as Error).message).toMatch(new RegExp(`^${name}: json`));
        }
      }
    });
  }
});
