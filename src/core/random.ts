/**
 * Seeded randomness. Every stochastic function in nextbest takes a `seed` and draws from these helpers, so the same
 * seed gives the same result on every platform. `src/` never calls `Math.random`.
 *
 * The generator is seedrandom's Alea (Baagøe 2010): 32-bit state arithmetic in doubles, fast in V8, a period of
 * about 2^116, and identical output in Node, Deno and browsers.
 *
 * @module
 */
import alea from "seedrandom/lib/alea.js";
import { NextbestError, describeValue } from "./errors.ts";
import { assertSeed } from "../internal/validate.ts";

/** A seed: any finite number or string. Equal seeds give equal streams. @category core */
export type Seed = number | string;

/**
 * A seeded source of uniform doubles in [0, 1) with 53 bits of randomness.
 * Create one with {@link createRandom}; pass it to the helpers below.
 *
 * @category core
 */
export interface RandomGenerator {
  /** The next uniform double in [0, 1). */
  (): number;
}


/**
 * Creates a seeded generator of uniform doubles in [0, 1).
 *
 * @param seed - any finite number or string; equal seeds give equal streams
 * @returns a generator function
 * @throws {@link NextbestError} `E_BAD_INPUT` when the seed is neither a finite number nor a string
 * @example
 * ```ts
 * import { createRandom } from "nextbest/core";
 * const a = createRandom(42);
 * const b = createRandom(42);
 * a() === b(); // => true
 * ```
 * @category core
 */
export function createRandom(seed: Seed): RandomGenerator {
  assertSeed("createRandom", "seed", seed);
  const generator = alea(String(seed));
  return generator.double;
}

/** Options of {@link randomUniform}. @category core */
export interface RandomUniformOptions {
  /** Lower bound (inclusive). @defaultValue 0 */
  min?: number;
  /** Upper bound (exclusive). @defaultValue 1 */
  max?: number;
}

/**
 * Draws one uniform number in [min, max).
 *
 * @param random - a generator from {@link createRandom}
 * @param options - the bounds
 * @returns a number in [min, max)
 * @example
 * ```ts
 * import { createRandom, randomUniform } from "nextbest/core";
 * const x = randomUniform(createRandom(1), { min: 5, max: 6 });
 * x >= 5 && x < 6; // => true
 * ```
 * @category core
 */
export function randomUniform(random: RandomGenerator, options: RandomUniformOptions = {}): number {
  const min = options.min ?? 0;
  const max = options.max ?? 1;
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(max >= min)) {
    throw new NextbestError("E_BAD_INPUT", `randomUniform: options must have finite min <= max, got min ${min}, max ${max}`);
  }
  const u = random();
  const width = max - min;
  // A range wider than the largest double (min −1e308, max 1e308) overflows max − min: interpolate instead.
  const x = Number.isFinite(width) ? min + width * u : min * (1 - u) + max * u;
  // Rounding may land on max itself; the interval is half-open.
  return x < max || max === min ? x : largestBelow(max);
}

/** The largest double below a finite `x`. */
function largestBelow(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}

/**
 * Draws a uniform integer in [0, maxExclusive).
 *
 * @param random - a generator from {@link createRandom}
 * @param maxExclusive - the exclusive upper bound, a positive integer up to 2^32
 * @returns an integer in [0, maxExclusive)
 * @throws {@link NextbestError} `E_BAD_INPUT` when maxExclusive is not a positive integer
 * @example
 * ```ts
 * import { createRandom, randomInt } from "nextbest/core";
 * const die = randomInt(createRandom(7), 6);
 * die >= 0 && die < 6; // => true
 * ```
 * @category core
 */
export function randomInt(random: RandomGenerator, maxExclusive: number): number {
  if (!Number.isInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > 4294967296) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `randomInt: maxExclusive must be an integer in [1, 2^32], got ${describeValue(maxExclusive)}`,
    );
  }
  return Math.floor(random() * maxExclusive);
}

/** Options of {@link randomNormal} and {@link fillNormal}. @category core */
export interface RandomNormalOptions {
  /** Mean of the distribution. @defaultValue 0 */
  mean?: number;
  /** Standard deviation, >= 0. @defaultValue 1 */
  standardDeviation?: number;
}

function normalParameters(fn: string, options: RandomNormalOptions): [number, number] {
  const mean = options.mean ?? 0;
  const sd = options.standardDeviation ?? 1;
  if (!Number.isFinite(mean)) {
    throw new NextbestError("E_NON_FINITE", `${fn}: options.mean must be finite, got ${describeValue(mean)}`);
  }
  if (!Number.isFinite(sd) || sd < 0) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.standardDeviation must be finite and >= 0, got ${describeValue(sd)}`,
    );
  }
  return [mean, sd];
}

// One standard normal draw by the Box–Muller transform (cosine branch). Stateless: two uniforms per draw,
// so the stream position never depends on hidden cached values.
function standardNormal(random: RandomGenerator): number {
  let u = random();
  while (u === 0) u = random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Draws one normal number (Box–Muller).
 *
 * @param random - a generator from {@link createRandom}
 * @param options - mean and standard deviation
 * @returns a draw from N(mean, standardDeviation²)
 * @example
 * ```ts
 * import { createRandom, randomNormal } from "nextbest/core";
 * Number.isFinite(randomNormal(createRandom(3), { mean: 10, standardDeviation: 2 })); // => true
 * ```
 * @category core
 */
export function randomNormal(random: RandomGenerator, options: RandomNormalOptions = {}): number {
  const [mean, sd] = normalParameters("randomNormal", options);
  return mean + sd * standardNormal(random);
}

/**
 * Fills a typed array with independent normal draws, for example to initialise a factor table.
 * Writes into `out` (the caller's own buffer) and returns it.
 *
 * @param out - the array to fill
 * @param random - a generator from {@link createRandom}
 * @param options - mean and standard deviation
 * @returns `out`
 * @example
 * ```ts
 * import { createRandom, fillNormal } from "nextbest/core";
 * const factors = fillNormal(new Float32Array(8), createRandom(1), { standardDeviation: 0.1 });
 * factors.length; // => 8
 * ```
 * @category core
 */
export function fillNormal<T extends Float64Array | Float32Array>(
  out: T,
  random: RandomGenerator,
  options: RandomNormalOptions = {},
): T {
  const [mean, sd] = normalParameters("fillNormal", options);
  for (let i = 0; i < out.length; i++) out[i] = mean + sd * standardNormal(random);
  return out;
}

/**
 * Fills `out` with draws from N(0, standardDeviation²) by Marsaglia's polar method (Marsaglia & Bray 1964): pairs of
 * uniforms in the unit disc, two normal draws per accepted pair, one logarithm and one square root per pair and no
 * trigonometry, about three times faster than {@link fillNormal}'s Box–Muller draws (a different stream of the same
 * distribution). With an odd length the last pair's second draw is dropped, so the stream position depends only on
 * the draws. Internal (not exported by `nextbest/core`): initial factors of the models that need many.
 */
export function fillNormalPolar(out: Float64Array, random: RandomGenerator, standardDeviation: number): Float64Array {
  const n = out.length;
  for (let i = 0; i < n; i += 2) {
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * random() - 1;
      v = 2 * random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const scale = standardDeviation * Math.sqrt((-2 * Math.log(s)) / s);
    out[i] = u * scale;
    if (i + 1 < n) out[i + 1] = v * scale;
  }
  return out;
}

/**
 * A uniformly random permutation of 0..n-1 (Fisher–Yates).
 *
 * @param n - the number of indices
 * @param random - a generator from {@link createRandom}
 * @returns an Int32Array holding each of 0..n-1 once
 * @example
 * ```ts
 * import { createRandom, permutation } from "nextbest/core";
 * Array.from(permutation(4, createRandom(9))).sort(); // => [0, 1, 2, 3]
 * ```
 * @category core
 */
export function permutation(n: number, random: RandomGenerator): Int32Array {
  if (!Number.isInteger(n) || n < 0 || n > 2147483647) {
    throw new NextbestError("E_BAD_INPUT", `permutation: n must be an integer in [0, 2^31), got ${describeValue(n)}`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** Options of {@link shuffle}. @category core */
export interface ShuffleOptions {
  /** Seed of the permutation. */
  seed: Seed;
}

/**
 * Returns a shuffled copy of `items`; the input is not changed.
 *
 * @param items - the values to shuffle
 * @param options - the seed
 * @returns a new array with the same values in a seeded random order
 * @example
 * ```ts
 * import { shuffle } from "nextbest/core";
 * shuffle(["a", "b", "c"], { seed: 1 }).length; // => 3
 * ```
 * @category core
 */
export function shuffle<T>(items: readonly T[], options: ShuffleOptions): T[] {
  assertSeed("shuffle", "options.seed", options.seed);
  const order = permutation(items.length, createRandom(options.seed));
  const out = new Array<T>(items.length);
  for (let i = 0; i < order.length; i++) out[i] = items[order[i]!]!;
  return out;
}

/** Options of {@link sampleWithoutReplacement}. @category core */
export interface SampleOptions {
  /** How many items to draw, at most `items.length`. */
  count: number;
  /** Seed of the draw. */
  seed: Seed;
}

/**
 * Draws `count` distinct positions of `items` uniformly at random and returns those items in draw order.
 * Runs in O(count) expected time and memory (a sparse Fisher–Yates), so a small sample of a huge catalog is cheap.
 *
 * @param items - the population
 * @param options - how many to draw and the seed
 * @returns `count` items, no position drawn twice
 * @throws {@link NextbestError} `E_BAD_INPUT` when count is not an integer in [0, items.length]
 * @example
 * ```ts
 * import { sampleWithoutReplacement } from "nextbest/core";
 * new Set(sampleWithoutReplacement([1, 2, 3, 4, 5], { count: 3, seed: 4 })).size; // => 3
 * ```
 * @category core
 */
export function sampleWithoutReplacement<T>(items: readonly T[], options: SampleOptions): T[] {
  assertSeed("sampleWithoutReplacement", "options.seed", options.seed);
  const { count } = options;
  if (!Number.isInteger(count) || count < 0 || count > items.length) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `sampleWithoutReplacement: options.count must be an integer in [0, ${items.length}], got ${describeValue(count)}`,
    );
  }
  const random = createRandom(options.seed);
  // Sparse Fisher–Yates: only displaced positions are stored.
  const displaced = new Map<number, number>();
  const out = new Array<T>(count);
  const n = items.length;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    const atJ = displaced.get(j) ?? j;
    const atI = displaced.get(i) ?? i;
    displaced.set(j, atI);
    out[i] = items[atJ]!;
  }
  return out;
}
