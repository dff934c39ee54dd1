import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { explainExact, explainLinear, type ModelFunction } from "../../src/explain/index.ts";
import { expectError } from "../helpers.ts";
import { gameArb, gameModel, gameOptions, ones, shapleyByOrders, sum, type Game } from "./games.ts";

const exactOf = (game: Game): number[] => [...explainExact(gameModel(game), ones(game.m), gameOptions(game.m)).values];
const tableOf = (m: number, v: (s: number) => number): Game => ({ m, table: Float64Array.from({ length: 2 ** m }, (_, s) => v(s)) });
const has = (s: number, i: number): boolean => ((s >> i) & 1) === 1;

describe("explainExact on hand-computed three-player games", () => {
  it("the glove game: the single right glove gets 2/3, each left glove 1/6", () => {
    // players: left glove 1, left glove 2, right glove; a pair is worth 1
    const glove = tableOf(3, (s) => (has(s, 2) && (has(s, 0) || has(s, 1)) ? 1 : 0));
    const values = exactOf(glove);
    [1 / 6, 1 / 6, 2 / 3].forEach((v, i) => expect(values[i]).toBeCloseTo(v, 14));
  });

  it("the airport game with costs 1, 2, 3: each pays its share of every runway segment it needs", () => {
    // v(S) = the longest runway S needs; Littlechild & Owen 1973: 1/3, 1/3 + 1/2, 1/3 + 1/2 + 1
    const costs = [1, 2, 3];
    const airport = tableOf(3, (s) => Math.max(0, ...costs.filter((_, i) => has(s, i))));
    const values = exactOf(airport);
    [1 / 3, 5 / 6, 11 / 6].forEach((v, i) => expect(values[i]).toBeCloseTo(v, 14));
  });

  it("f = 10a + 20b + 30abc splits the interaction equally: (20, 30, 10)", () => {
    const f: ModelFunction = (z) => 10 * z[0]! + 20 * z[1]! + 30 * z[0]! * z[1]! * z[2]!;
    const why = explainExact(f, [1, 1, 1], { background: [[0, 0, 0]], featureNames: ["a", "b", "c"] });
    expect(why.values).toEqual([20, 30, 10]);
    expect([why.baseValue, why.output, why.method, why.link, why.modelCalls]).toEqual([0, 60, "exact", "identity", 8]);
    expect(why.featureNames).toEqual(["a", "b", "c"]);
    expect(why.data).toEqual([1, 1, 1]);
  });

  it("a weighted background: v(∅) is the weighted mean, values by hand", () => {
    // f = x0·x1 at x = (2, 3); background (0, 0) weight 1 and (1, 1) weight 3
    // v(∅) = .75, v({0}) = .75·2 = 1.5, v({1}) = .75·3 = 2.25, v(N) = 6
    const why = explainExact((z) => z[0]! * z[1]!, [2, 3], { background: [[0, 0], [1, 1]], backgroundWeights: [1, 3] });
    expect(why.baseValue).toBeCloseTo(0.75, 14);
    expect(why.values[0]).toBeCloseTo(2.25, 14);
    expect(why.values[1]).toBeCloseTo(3, 14);
    expect(why.output).toBe(6);
    expect(why.modelCalls).toBe(2 + 2 + 2 + 1);
  });

  it("groups are players: f = x0 + x1·x2 with {x0} and {x1, x2}", () => {
    const why = explainExact((z) => z[0]! + z[1]! * z[2]!, [1, 2, 3], {
      background: [[0, 0, 0]],
      featureNames: ["a", "b", "c"],
      groups: [{ name: "first", features: ["a"] }, { name: "rest", features: [2, "b"] }],
    });
    expect(why.values).toEqual([1, 6]);
    expect(why.groups).toEqual([{ name: "first", features: [0] }, { name: "rest", features: [1, 2] }]);
  });

  it("link logit explains the log-odds of a probability model", () => {
    const sigmoid = (t: number): number => 1 / (1 + Math.exp(-t));
    const why = explainExact((z) => sigmoid(z[0]! + 2 * z[1]!), [1, 1], { background: [[0, 0]], link: "logit" });
    expect(why.link).toBe("logit");
    expect(why.values[0]).toBeCloseTo(1, 12);
    expect(why.values[1]).toBeCloseTo(2, 12);
    expect(why.output).toBeCloseTo(3, 12);
  });

  it("a player that equals the background everywhere is a dummy: 0, and not enumerated", () => {
    const calls: number[] = [];
    const why = explainExact((z) => { calls.push(1); return z[0]! * 5 + z[1]! * 100; }, [1, 7], { background: [[0, 7], [0, 7]] });
    expect(why.values).toEqual([5, 0]);
    expect(why.modelCalls).toBe(3); // v(∅): 2 rows, v(N): 1 call; no interior coalition with one varying player
    expect(calls.length).toBe(3);
  });

  it("refuses more varying players than maxPlayers (default 16), naming the alternatives", () => {
    const x = ones(17);
    expectError(() => explainExact(() => 0, x, { background: [new Array(17).fill(0)] }), "E_BAD_INPUT", "options.maxPlayers (16), got 17");
    // the same 17 features in 2 groups are fine
    const why = explainExact((z) => sum([...z]), x, {
      background: [new Array(17).fill(0)],
      groups: [{ name: "a", features: [0, 1, 2, 3, 4, 5, 6, 7] }, { name: "b", features: [8, 9, 10, 11, 12, 13, 14, 15, 16] }],
    });
    expect(why.values).toEqual([8, 9]);
  });

  it("rejects malformed input with stable codes", () => {
    const f: ModelFunction = (z) => z[0]!;
    expectError(() => explainExact(f, [1, 2], { background: [[0]] }), "E_SHAPE", "explainExact: options.background[0] must have length 2 (as x), got length 1");
    expectError(() => explainExact(f, [], { background: [[]] }), "E_EMPTY", "x must hold at least one feature");
    expectError(() => explainExact(f, [1], { background: [] }), "E_EMPTY", "options.background must hold at least one row");
    expectError(() => explainExact(f, [Number.NaN], { background: [[0]] }), "E_NON_FINITE", "x[0] must be a finite number");
    expectError(() => explainExact(() => Number.NaN, [1], { background: [[0]] }), "E_NON_FINITE", "model must return a finite number, got NaN for x");
    expectError(() => explainExact(f, [1], { background: [[0]], link: "logit" }), "E_BAD_INPUT", 'probabilities in (0, 1) with link "logit"');
    expectError(() => explainExact(f, [1], { background: [[0]], backgroundWeights: [-1] }), "E_BAD_INPUT", "options.backgroundWeights[0] must be >= 0, got -1");
    expectError(() => explainExact(f, [1, 2], { background: [[0, 0]], featureNames: ["a", "a"] }), "E_DUPLICATE", 'options.featureNames[1] must be unique, got "a" again');
    expectError(() => explainExact(f, [1, 2], { background: [[0, 0]], groups: [{ name: "g", features: [0] }] }), "E_BAD_INPUT", 'every feature in a group, got "feature 1" in none');
    expectError(() => explainExact(f, [1, 2], { background: [[0, 0]], groups: [{ name: "g", features: [0, "zzz"] }, { name: "h", features: [1] }] }), "E_BAD_INPUT", 'groups[0].features[1] must be a feature index in [0, 2) or a name in featureNames, got "zzz"');
    expectError(() => explainExact("f" as unknown as ModelFunction, [1], { background: [[0]] }), "E_BAD_INPUT", "model must be a function");
    expectError(() => explainExact(f, [1], { background: [[0]], maxPlayers: 25 }), "E_BAD_INPUT", "options.maxPlayers must be an integer in [1, 24], got 25");
  });
});

describe("explainExact: Shapley axioms on random games (fast-check)", () => {
  it("equals the permutation definition and is efficient: base + Σ values = f(x) to 1e-9", () => {
    fc.assert(
      fc.property(gameArb(1, 6), (game) => {
        const why = explainExact(gameModel(game), ones(game.m), gameOptions(game.m));
        const reference = shapleyByOrders(game);
        why.values.forEach((v, i) => expect(v).toBeCloseTo(reference[i]!, 9));
        expect(Math.abs(why.baseValue + sum(why.values) - why.output)).toBeLessThan(1e-9);
        expect(why.baseValue).toBeCloseTo(game.table[0]!, 14);
        expect(why.output).toBeCloseTo(game.table[2 ** game.m - 1]!, 14);
      }),
      { seed: 7, numRuns: 60 },
    );
  });

  it("symmetry: two players that are interchangeable get equal values", () => {
    fc.assert(
      fc.property(gameArb(2, 6), fc.nat(), fc.nat(), (game, a, b) => {
        const i = a % game.m;
        const j = (i + 1 + (b % (game.m - 1))) % game.m;
        const swap = (s: number): number => {
          const bi = (s >> i) & 1;
          const bj = (s >> j) & 1;
          return (s & ~((1 << i) | (1 << j))) | (bi << j) | (bj << i);
        };
        const symmetric = tableOf(game.m, (s) => (game.table[s]! + game.table[swap(s)]!) / 2);
        const values = exactOf(symmetric);
        expect(values[i]).toBeCloseTo(values[j]!, 10);
      }),
      { seed: 11, numRuns: 60 },
    );
  });

  it("dummy: a player that never changes v gets 0", () => {
    fc.assert(
      fc.property(gameArb(2, 6), fc.nat(), (game, a) => {
        const k = a % game.m;
        const dummy = tableOf(game.m, (s) => game.table[s & ~(1 << k)]!);
        expect(Math.abs(exactOf(dummy)[k]!)).toBeLessThan(1e-12);
      }),
      { seed: 13, numRuns: 60 },
    );
  });

  it("missingness: a feature equal to every background row gets 0 whatever the model", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }), (w) => {
        const f: ModelFunction = (z) => w[0]! * z[0]! * z[1]! + w[1]! * Math.sin(z[2]! * z[1]!) + w[2]! * z[2]!;
        const why = explainExact(f, [1, 2, 5], { background: [[0, 0, 5], [3, 1, 5]] });
        expect(why.values[2]).toBe(0);
      }),
      { seed: 17, numRuns: 40 },
    );
  });

  it("linearity: φ(v + w) = φ(v) + φ(w) and φ(c·v) = c·φ(v)", () => {
    fc.assert(
      fc.property(gameArb(3, 3), gameArb(3, 3), fc.double({ min: -5, max: 5, noNaN: true }), (v, w, c) => {
        const both = tableOf(3, (s) => v.table[s]! + w.table[s]!);
        const scaled = tableOf(3, (s) => c * v.table[s]!);
        const [pv, pw, pb, ps] = [exactOf(v), exactOf(w), exactOf(both), exactOf(scaled)];
        pb.forEach((x, i) => expect(x).toBeCloseTo(pv[i]! + pw[i]!, 9));
        ps.forEach((x, i) => expect(x).toBeCloseTo(c * pv[i]!, 9));
      }),
      { seed: 19, numRuns: 60 },
    );
  });

  it("the linear closed form equals exact enumeration on linear models", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((d) =>
          fc.record({
            coefficients: fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: d, maxLength: d }),
            intercept: fc.double({ min: -5, max: 5, noNaN: true }),
            x: fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: d, maxLength: d }),
            background: fc.array(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 5 }),
          }),
        ),
        ({ coefficients, intercept, x, background }) => {
          const f: ModelFunction = (z) => {
            let out = intercept;
            for (let j = 0; j < z.length; j++) out += coefficients[j]! * z[j]!;
            return out;
          };
          const exact = explainExact(f, x, { background });
          const closed = explainLinear({ coefficients, intercept }, x, { background });
          closed.values.forEach((v, j) => expect(v).toBeCloseTo(exact.values[j]!, 8));
          expect(closed.baseValue).toBeCloseTo(exact.baseValue, 8);
          expect(closed.output).toBeCloseTo(exact.output, 8);
        },
      ),
      { seed: 23, numRuns: 60 },
    );
  });
});
