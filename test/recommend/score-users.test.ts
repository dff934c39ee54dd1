import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRandom, fillNormal } from "../../src/core/index.ts";
import { createInteractions, type InteractionRow } from "../../src/data/index.ts";
import {
  fitBpr,
  fitImplicitAls,
  fitMatrixFactorization,
  fitSvdPlusPlus,
  bprRecommender,
  implicitAlsRecommender,
  matrixFactorizationRecommender,
  svdPlusPlusRecommender,
} from "../../src/factorization/index.ts";
import { evaluateRanking } from "../../src/evaluation/index.ts";
import { recommend, recommendMany, type Recommender } from "../../src/recommend/index.ts";
import { prepareGemvF32 } from "../../src/linalg/kernels.ts";
import { gemvManyF32 } from "../../src/linalg/gemv-many.ts";
import { expectError } from "../helpers.ts";

// 40 users × 120 items with values 1..5, every user rating 15 items: enough for the factor models to learn something
// and for the item table (120 × 8) to sit in WebAssembly memory (prepared gemv from 4096 entries with 40 factors).
function ratings(): ReturnType<typeof createInteractions> {
  const random = createRandom(7);
  const rows: InteractionRow[] = [];
  for (let u = 0; u < 40; u++) {
    const chosen = new Set<number>();
    while (chosen.size < 15) chosen.add(Math.floor(random() * 120));
    for (const i of chosen) rows.push({ user: `u${u}`, item: `i${i}`, value: 1 + ((u + i) % 5) });
  }
  return createInteractions(rows);
}

const data = ratings();
const models: [string, Recommender][] = [
  ["implicit ALS", implicitAlsRecommender(fitImplicitAls(data, { factors: 40, iterations: 3, seed: 1 }))],
  ["BPR", bprRecommender(fitBpr(data, { factors: 40, epochs: 3, seed: 1 }))],
  ["matrix factorization", matrixFactorizationRecommender(fitMatrixFactorization(data, { factors: 40, epochs: 5, seed: 1 }))],
  ["SVD++", svdPlusPlusRecommender(fitSvdPlusPlus(data, { factors: 40, epochs: 3, seed: 1 }))],
];

function rowsOf(recommender: Recommender, users: Int32Array, threads: number): Float64Array {
  const out = new Float64Array(users.length * recommender.items.ids.length);
  recommender.scoreUsers!(users, out, { threads });
  return out;
}

describe("scoreUsers of the factor models", () => {
  for (const [name, recommender] of models) {
    it(`${name}: every row is scoreUser's, bit for bit, on 1 and 2 threads`, () => {
      const n = recommender.items.ids.length;
      const users = Int32Array.from({ length: recommender.users.ids.length }, (_, u) => u);
      const single = new Float64Array(n);
      for (const threads of [1, 2]) {
        const rows = rowsOf(recommender, users, threads);
        for (const u of users) {
          recommender.scoreUser(u, single);
          expect(rows.subarray(u * n, (u + 1) * n)).toEqual(single);
        }
      }
    });
  }

  it("property: any list of users (repeats allowed) gives scoreUser's rows in that order", () => {
    const [, recommender] = models[2]!;
    const n = recommender.items.ids.length;
    const single = new Float64Array(n);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: recommender.users.ids.length - 1 }), { maxLength: 12 }), (list) => {
        const users = Int32Array.from(list);
        const rows = rowsOf(recommender, users, 2);
        list.forEach((u, r) => {
          recommender.scoreUser(u, single);
          expect(rows.subarray(r * n, (r + 1) * n)).toEqual(single);
        });
      }),
      { numRuns: 25 },
    );
  });

  it("names the function, the argument and the value for bad input", () => {
    const recommender = models[0]![1];
    const n = recommender.items.ids.length;
    expectError(() => recommender.scoreUsers!(Int32Array.from([0, 40]), new Float64Array(2 * n)), "E_BAD_INPUT", "implicitAlsRecommender.scoreUsers: users[1] must be a user index in [0, 40), got 40");
    expectError(() => recommender.scoreUsers!([0] as never, new Float64Array(n)), "E_BAD_INPUT", "implicitAlsRecommender.scoreUsers: users must be an Int32Array");
    expectError(() => recommender.scoreUsers!(Int32Array.from([0]), new Float64Array(n + 1)), "E_SHAPE", `out must be a Float64Array of length ${n} (1 users × ${n} items)`);
    expectError(() => recommender.scoreUsers!(Int32Array.from([0]), new Float64Array(n), { threads: 0 }), "E_BAD_INPUT", "options.threads must be an integer in [1, 256], got 0");
  });
});

describe("gemvManyF32: paired kernel and worker threads", () => {
  it("property: gives each vector's one-vector gemv, whatever the shape, the count and the threads", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 303 }), fc.integer({ min: 1, max: 33 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 3 }),
        (rows, f, count, threads) => {
          const table = fillNormal(new Float32Array(rows * f), createRandom(rows * 31 + f));
          const prepared = prepareGemvF32(table, rows, f);
          const vectors = fillNormal(new Float64Array(count * f), createRandom(count));
          const expected = new Float64Array(count * rows);
          for (let c = 0; c < count; c++) prepared.gemv(vectors.subarray(c * f, (c + 1) * f), expected.subarray(c * rows, (c + 1) * rows));
          const out = new Float64Array(count * rows);
          gemvManyF32(table, rows, f, prepared, vectors, count, out, threads, 1);
          expect(out).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("recommendMany over scoreUsers", () => {
  const users = ["u3", "nobody", "u0", "u3", "u39", "u17"];
  for (const [name, recommender] of models) {
    it(`${name}: equal, user by user, to recommend (seen filtering, allow and deny lists, unknown users), any threads`, () => {
      const options = { k: 7, denyItems: ["i5", "i6"], allowItems: Array.from({ length: 100 }, (_, i) => `i${i}`) };
      const expected = users.map((user) => recommend(recommender, user, options));
      for (const threads of [1, 2]) expect(recommendMany(recommender, users, { ...options, threads })).toEqual(expected);
      expect(recommendMany(recommender, users, { k: 3, excludeSeen: false })).toEqual(users.map((user) => recommend(recommender, user, { k: 3, excludeSeen: false })));
      // Several blocks of 64 users, unknown users among them.
      const many = Array.from({ length: 150 }, (_, i) => (i % 17 === 5 ? `stranger${i}` : `u${(i * 7) % 40}`));
      expect(recommendMany(recommender, many, { k: 4 })).toEqual(many.map((user) => recommend(recommender, user, { k: 4 })));
    });
  }

  it("rejects a bad thread count, naming the function the user called", () => {
    const recommender = models[0]![1];
    expectError(() => recommendMany(recommender, ["u1"], { threads: 0 }), "E_BAD_INPUT", "recommendMany: options.threads must be an integer in [1, 256], got 0");
    expectError(() => evaluateRanking(recommender, data, { threads: 1.5 }), "E_BAD_INPUT", "evaluateRanking: options.threads must be an integer in [1, 256], got 1.5");
  });

  it("evaluateRanking gives the same result on 1 and 2 threads", () => {
    const recommender = models[1]![1];
    expect(evaluateRanking(recommender, data, { k: [5, 10], excludeSeen: false, threads: 2 })).toEqual(
      evaluateRanking(recommender, data, { k: [5, 10], excludeSeen: false, threads: 1 }),
    );
  });
});
