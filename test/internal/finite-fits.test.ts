// Issue 15, "NaN/∞ out of finite input": for every public fit, random extreme-but-finite inputs (values from 1e-300
// to 1e300, both signs where a fit takes ratings) give either a NextbestError or a model whose every number is
// finite and whose recommendations carry finite scores.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NextbestError } from "../../src/core/errors.ts";
import { createInteractions, type Interactions } from "../../src/data/index.ts";
import { denseFromRows } from "../../src/linalg/index.ts";
import { fitBiases, fitPopularity, biasRecommender, popularityRecommender } from "../../src/baselines/index.ts";
import {
  bprRecommender,
  fitBpr,
  fitImplicitAls,
  fitMatrixFactorization,
  fitSvdPlusPlus,
  implicitAlsRecommender,
  matrixFactorizationRecommender,
  svdPlusPlusRecommender,
} from "../../src/factorization/index.ts";
import {
  easeRecommender,
  fitEase,
  fitItemItemImplicit,
  fitItemKnn,
  fitRp3Beta,
  fitUserKnn,
  itemItemImplicitRecommender,
  knnRecommender,
  rp3BetaRecommender,
} from "../../src/neighbors/index.ts";
import { buyAgainRecommender, fitBuyAgain } from "../../src/repeat/index.ts";
import { contentRecommender, fitContentRecommender, fitLookAlikeModel, lookAlikeRecommender } from "../../src/content/index.ts";
import { recommend, type Recommender } from "../../src/recommend/index.ts";

const catalog = { ids: ["i0", "i1", "i2", "i3"], features: denseFromRows([[1, 0], [0, 1], [1, 1], [0.5, 2]]) };
const accounts = { ids: ["u0", "u1", "u2", "u3"], features: denseFromRows([[1, 0], [0, 1], [1, 1], [2, 0.5]]) };

/** A fitted model with its recommender. */
interface Fitted {
  readonly model: unknown;
  readonly recommender: Recommender;
}

function withModel<M>(model: M, recommender: (model: M) => Recommender): Fitted {
  return { model, recommender: recommender(model) };
}

const fits: ReadonlyArray<readonly [string, (data: Interactions) => Fitted]> = [
  ["fitPopularity", (d) => withModel(fitPopularity(d, { measure: "value-sum" }), popularityRecommender)],
  ["fitBiases", (d) => withModel(fitBiases(d), biasRecommender)],
  ["fitItemKnn", (d) => withModel(fitItemKnn(d), knnRecommender)],
  ["fitUserKnn", (d) => withModel(fitUserKnn(d), knnRecommender)],
  ["fitItemItemImplicit", (d) => withModel(fitItemItemImplicit(d), itemItemImplicitRecommender)],
  ["fitEase", (d) => withModel(fitEase(d), easeRecommender)],
  ["fitRp3Beta", (d) => withModel(fitRp3Beta(d), rp3BetaRecommender)],
  ["fitImplicitAls (cg)", (d) => withModel(fitImplicitAls(d, { factors: 2, iterations: 3 }), implicitAlsRecommender)],
  ["fitImplicitAls (cholesky)", (d) => withModel(fitImplicitAls(d, { factors: 2, iterations: 3, solver: "cholesky" }), implicitAlsRecommender)],
  ["fitBpr", (d) => withModel(fitBpr(d, { factors: 2, epochs: 3, seed: 1 }), bprRecommender)],
  ["fitMatrixFactorization", (d) => withModel(fitMatrixFactorization(d, { factors: 2, epochs: 3, seed: 1 }), matrixFactorizationRecommender)],
  ["fitSvdPlusPlus", (d) => withModel(fitSvdPlusPlus(d, { factors: 2, epochs: 3, seed: 1 }), svdPlusPlusRecommender)],
  ["fitBuyAgain", (d) => withModel(fitBuyAgain(d), buyAgainRecommender)],
  ["fitContentRecommender", (d) => withModel(fitContentRecommender(d, catalog), contentRecommender)],
  ["fitLookAlikeModel", (d) => withModel(fitLookAlikeModel(d, accounts), lookAlikeRecommender)],
];

const magnitude = fc.constantFrom(1e-300, 1e-8, 1, 3, 1e8, 1e150, 1e300, 1.7e308);
const entry = fc.record({
  user: fc.integer({ min: 0, max: 3 }),
  item: fc.integer({ min: 0, max: 3 }),
  value: fc.tuple(magnitude, fc.boolean()).map(([m, negative]) => (negative ? -m : m)),
  timestamp: fc.integer({ min: 0, max: 10 }).map((d) => d * 86_400),
});

/** Every number inside `value` (typed arrays, arrays, objects; Maps and id lists skipped) is finite. */
function allFinite(value: unknown, seen = new Set<unknown>()): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || value === null || seen.has(value) || value instanceof Map) return true;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return Array.prototype.every.call(value, (v: number) => Number.isFinite(v));
  return Object.entries(value).every(([key, v]) => key === "halfLifeDays" || allFinite(v, seen));
}

describe("every fit: extreme finite input gives a NextbestError or finite output", () => {
  for (const [name, fit] of fits) {
    it(`${name} (property)`, () => {
      fc.assert(
        fc.property(fc.array(entry, { minLength: 1, maxLength: 12 }), fc.boolean(), (rows, positiveOnly) => {
          let data: Interactions;
          try {
            data = createInteractions(
              rows.map((r) => ({ user: `u${r.user}`, item: `i${r.item}`, value: positiveOnly ? Math.abs(r.value) : r.value, timestamp: r.timestamp })),
            );
          } catch (error) {
            expect(error).toBeInstanceOf(NextbestError);
            return;
          }
          let fitted: Fitted;
          try {
            fitted = fit(data);
          } catch (error) {
            if (!(error instanceof NextbestError)) throw error;
            return;
          }
          expect(allFinite(fitted.model), `${name} fitted a non-finite number`).toBe(true);
          for (const user of data.users.ids) {
            try {
              for (const item of recommend(fitted.recommender, user, { k: 4 }).items) expect(Number.isFinite(item.score), `${name} scored ${item.score}`).toBe(true);
            } catch (error) {
              if (!(error instanceof NextbestError)) throw error;
            }
          }
        }),
        { numRuns: 60, seed: 15 },
      );
    });
  }
});
