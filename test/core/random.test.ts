import { describe, expect, it } from "vitest";
import fc from "fast-check";
import alea from "seedrandom/lib/alea.js";
import {
  NextbestError,
  createRandom,
  fillNormal,
  permutation,
  randomInt,
  randomNormal,
  randomUniform,
  sampleWithoutReplacement,
  shuffle,
} from "../../src/core/index.ts";
import { fillNormalPolar } from "../../src/core/random.ts";

const runs = { seed: 42, numRuns: 100 };

describe("createRandom", () => {
  it("gives the same stream for the same seed and another for another seed", () => {
    const a = createRandom("acme");
    const b = createRandom("acme");
    const c = createRandom("globex");
    const streamA = Array.from({ length: 20 }, () => a());
    const streamB = Array.from({ length: 20 }, () => b());
    const streamC = Array.from({ length: 20 }, () => c());
    expect(streamA).toEqual(streamB);
    expect(streamA).not.toEqual(streamC);
  });

  it("property: draws exactly seedrandom's Alea doubles for the same seed text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), (seed) => {
        const ours = createRandom(seed);
        const reference = alea(String(seed)).double;
        for (let i = 0; i < 50; i++) expect(ours()).toBe(reference());
      }),
      runs,
    );
  });

  it("property: fillNormal gives randomNormal's draws, in order, and leaves the generator where they would", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 300 }), fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), (seed, n, mean, standardDeviation) => {
        const filling = createRandom(seed);
        const oneByOne = createRandom(seed);
        const filled = fillNormal(new Float64Array(n), filling, { mean, standardDeviation });
        const drawn = Float64Array.from({ length: n }, () => randomNormal(oneByOne, { mean, standardDeviation }));
        expect(filled).toEqual(drawn);
        expect(filling()).toBe(oneByOne());
        // Any generator function works, and a Float32Array holds the same draws rounded.
        const wrapped = createRandom(seed);
        expect(fillNormal(new Float32Array(n), () => wrapped(), { mean, standardDeviation })).toEqual(Float32Array.from(drawn));
      }),
      runs,
    );
  });

  it("fillNormalPolar: hand-computed pairs, rejections outside the unit disc and at its centre", () => {
    // Uniforms 0.99, 0.99 (u = v = 0.98, s > 1: rejected), 0.5, 0.5 (s = 0: rejected), 0.75, 0.25 (u = 0.5,
    // v = −0.5, s = 0.5: scale = 2 · sqrt(−2 ln 0.5 / 0.5) = 3.33022…), then 0.5, 0.25 (u = 0, v = −0.5).
    const script = [0.99, 0.99, 0.5, 0.5, 0.75, 0.25, 0.5, 0.25];
    let next = 0;
    const out = fillNormalPolar(new Float64Array(3), () => script[next++]!, 2);
    const scale = 2 * Math.sqrt((-2 * Math.log(0.5)) / 0.5);
    expect(scale).toBeCloseTo(3.33022, 5);
    expect(Array.from(out)).toEqual([0.5 * scale, -0.5 * scale, 0]);
    expect(next).toBe(8); // the odd length's last pair drew both uniforms; its second draw is dropped
  });

  it("property: fillNormalPolar is seeded, an odd length gives the prefix of the next even length, and the stream continues alike", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 200 }), fc.double({ min: 0, max: 3, noNaN: true }), (seed, pairs, standardDeviation) => {
        const even = createRandom(seed);
        const odd = createRandom(seed);
        const a = fillNormalPolar(new Float64Array(2 * pairs + 2), even, standardDeviation);
        const b = fillNormalPolar(new Float64Array(2 * pairs + 1), odd, standardDeviation);
        expect(b).toEqual(a.subarray(0, 2 * pairs + 1));
        expect(even()).toBe(odd());
        expect(fillNormalPolar(new Float64Array(2 * pairs + 2), createRandom(seed), standardDeviation)).toEqual(a);
        for (const value of a) expect(Number.isFinite(value)).toBe(true);
      }),
      runs,
    );
  });

  it("fillNormalPolar draws N(0, sd²): mean, variance, kurtosis and the normal's quantiles on 400,000 draws", () => {
    const n = 400_000;
    const draws = fillNormalPolar(new Float64Array(n), createRandom("polar"), 2);
    let sum = 0;
    let squares = 0;
    let fourth = 0;
    let belowOneSd = 0;
    let belowMinusTwoSd = 0;
    for (const x of draws) {
      sum += x;
      squares += x * x;
      fourth += x ** 4;
      if (x < 2) belowOneSd++;
      if (x < -4) belowMinusTwoSd++;
    }
    const variance = squares / n;
    expect(Math.abs(sum / n)).toBeLessThan(0.015); // standard error 2 / sqrt(n) = 0.0032
    expect(variance / 4).toBeGreaterThan(0.99);
    expect(variance / 4).toBeLessThan(1.01);
    expect(fourth / n / variance ** 2).toBeCloseTo(3, 1);
    expect(belowOneSd / n).toBeCloseTo(0.841345, 2); // Φ(1)
    expect(belowMinusTwoSd / n).toBeCloseTo(0.02275, 3); // Φ(−2)
  });

  it("treats the number 1 and the string '1' as the same seed text", () => {
    expect(createRandom(1)()).toBe(createRandom("1")());
  });

  it("draws in [0, 1) with a mean near 1/2", () => {
    const random = createRandom(7);
    let sum = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    // Standard error of the mean of U(0,1) over 20,000 draws is 0.002; allow 5 of them.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
  });

  it("rejects a non-finite or non-string seed with E_BAD_INPUT", () => {
    expect(() => createRandom(Number.NaN)).toThrow(NextbestError);
    expect(() => createRandom(Number.NaN)).toThrow(/createRandom: seed must be a finite number or a string, got NaN/);
    expect(() => createRandom({} as unknown as number)).toThrow(expect.objectContaining({ code: "E_BAD_INPUT" }));
  });
});

describe("randomUniform, randomInt and randomNormal", () => {
  it("randomUniform stays within [min, max)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), (seed, min, width) => {
        const x = randomUniform(createRandom(seed), { min, max: min + width });
        return x >= min && (width === 0 ? x === min : x <= min + width);
      }),
      runs,
    );
  });

  it("randomInt covers every value of a small range", () => {
    const random = createRandom(3);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(randomInt(random, 6));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => randomInt(random, 0)).toThrow(/randomInt: maxExclusive must be an integer/);
  });

  it("randomNormal has the requested mean and standard deviation", () => {
    const random = createRandom(11);
    const n = 20_000;
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const x = randomNormal(random, { mean: 10, standardDeviation: 2 });
      sum += x;
      sumSquares += x * x;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sumSquares / n - mean * mean);
    expect(Math.abs(mean - 10)).toBeLessThan(0.1); // 5 standard errors (2 / sqrt(20000) = 0.014)
    expect(Math.abs(sd - 2)).toBeLessThan(0.1);
  });

  it("fillNormal writes into the given buffer and rejects a negative deviation", () => {
    const out = new Float32Array(16);
    expect(fillNormal(out, createRandom(1), { standardDeviation: 0.1 })).toBe(out);
    expect(out.some((x) => x !== 0)).toBe(true);
    expect(() => fillNormal(out, createRandom(1), { standardDeviation: -1 })).toThrow(/standardDeviation must be finite and >= 0/);
  });
});

describe("permutation, shuffle and sampleWithoutReplacement", () => {
  it("permutation holds every index once", () => {
    fc.assert(
      fc.property(fc.nat(300), fc.integer(), (n, seed) => {
        const p = Array.from(permutation(n, createRandom(seed))).sort((a, b) => a - b);
        return p.every((value, i) => value === i);
      }),
      runs,
    );
  });

  it("shuffle returns a rearranged copy and leaves the input alone", () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.integer(), (items, seed) => {
        const before = items.slice();
        const out = shuffle(items, { seed });
        expect(items).toEqual(before);
        expect(out.slice().sort()).toEqual(before.slice().sort());
        expect(shuffle(items, { seed })).toEqual(out);
      }),
      runs,
    );
  });

  it("sampleWithoutReplacement draws distinct positions, repeatably", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), (n, seed, fraction) => {
        const items = Array.from({ length: n }, (_, i) => i);
        const count = Math.floor(fraction * n);
        const sample = sampleWithoutReplacement(items, { count, seed });
        expect(sample.length).toBe(count);
        expect(new Set(sample).size).toBe(count);
        expect(sampleWithoutReplacement(items, { count, seed })).toEqual(sample);
      }),
      runs,
    );
  });

  it("sampleWithoutReplacement of every item is a permutation with uniform first draws", () => {
    const counts = new Array(4).fill(0);
    for (let seed = 0; seed < 4000; seed++) counts[sampleWithoutReplacement([0, 1, 2, 3], { count: 4, seed })[0]!]++;
    // Each first item expected 1000 times, sd about 27: allow 5 sd.
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(140);
  });

  it("rejects a count larger than the population", () => {
    expect(() => sampleWithoutReplacement([1, 2], { count: 3, seed: 1 })).toThrow(
      /sampleWithoutReplacement: options.count must be an integer in \[0, 2\], got 3/,
    );
  });
});
