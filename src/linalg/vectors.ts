/**
 * Vector kernels over `Float64Array`, `Float32Array` and plain arrays: dot product, L2 norm, cosine similarity,
 * axpy and scaling. Sums accumulate in float64 with four independent partial sums.
 *
 * Each public function validates its arguments once, then dispatches to a kernel specialised for one element type
 * (a kernel fed both `Float32Array` and `Float64Array` turns polymorphic in V8 and runs several times slower).
 * Finiteness checks on reductions cost nothing on the happy path: the result is computed first, and the inputs are
 * only scanned (to name the offending index) when the result is not finite.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { assertArrayLike, assertFiniteNumber } from "../internal/validate.ts";
import { throwIfNonFinite } from "./internal.ts";

/** A vector nextbest reads: a typed array or a plain array of numbers. @category linalg */
export type VectorLike = ArrayLike<number>;

/** A vector nextbest may write into: a `Float64Array` or a `Float32Array`. @category linalg */
export type FloatVector = Float64Array | Float32Array;

// ---------------------------------------------------------------------------------------------------------------
// Kernels (trust their inputs; one element type each)

function dotF64(a: Float64Array, b: Float64Array, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + (s2 + s3);
}

function dotF32(a: Float32Array, b: Float32Array, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + (s2 + s3);
}

function dotGeneric(a: VectorLike, b: VectorLike, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
  }
  for (; i < n; i++) s0 += a[i]! * b[i]!;
  return s0 + s1;
}

function dispatchDot(a: VectorLike, b: VectorLike): number {
  const n = a.length;
  if (a instanceof Float64Array && b instanceof Float64Array) return dotF64(a, b, n);
  if (a instanceof Float32Array && b instanceof Float32Array) return dotF32(a, b, n);
  return dotGeneric(a, b, n);
}

// Cosine needs three sums in one pass: a·b, a·a, b·b.
function cosineSumsF64(a: Float64Array, b: Float64Array, n: number, out: Float64Array): void {
  let ab0 = 0;
  let ab1 = 0;
  let aa0 = 0;
  let aa1 = 0;
  let bb0 = 0;
  let bb1 = 0;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const x0 = a[i]!;
    const y0 = b[i]!;
    const x1 = a[i + 1]!;
    const y1 = b[i + 1]!;
    ab0 += x0 * y0;
    aa0 += x0 * x0;
    bb0 += y0 * y0;
    ab1 += x1 * y1;
    aa1 += x1 * x1;
    bb1 += y1 * y1;
  }
  if (i < n) {
    const x = a[i]!;
    const y = b[i]!;
    ab0 += x * y;
    aa0 += x * x;
    bb0 += y * y;
  }
  out[0] = ab0 + ab1;
  out[1] = aa0 + aa1;
  out[2] = bb0 + bb1;
}

function cosineSumsF32(a: Float32Array, b: Float32Array, n: number, out: Float64Array): void {
  let ab0 = 0;
  let ab1 = 0;
  let aa0 = 0;
  let aa1 = 0;
  let bb0 = 0;
  let bb1 = 0;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const x0 = a[i]!;
    const y0 = b[i]!;
    const x1 = a[i + 1]!;
    const y1 = b[i + 1]!;
    ab0 += x0 * y0;
    aa0 += x0 * x0;
    bb0 += y0 * y0;
    ab1 += x1 * y1;
    aa1 += x1 * x1;
    bb1 += y1 * y1;
  }
  if (i < n) {
    const x = a[i]!;
    const y = b[i]!;
    ab0 += x * y;
    aa0 += x * x;
    bb0 += y * y;
  }
  out[0] = ab0 + ab1;
  out[1] = aa0 + aa1;
  out[2] = bb0 + bb1;
}

function cosineSumsGeneric(a: VectorLike, b: VectorLike, n: number, out: Float64Array): void {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  out[0] = ab;
  out[1] = aa;
  out[2] = bb;
}

function dispatchCosineSums(a: VectorLike, b: VectorLike, out: Float64Array): void {
  const n = a.length;
  if (a instanceof Float64Array && b instanceof Float64Array) cosineSumsF64(a, b, n, out);
  else if (a instanceof Float32Array && b instanceof Float32Array) cosineSumsF32(a, b, n, out);
  else cosineSumsGeneric(a, b, n, out);
}

function maxAbs(a: VectorLike): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m) m = v;
  }
  return m;
}

function axpyF64(alpha: number, x: Float64Array, y: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) y[i]! += alpha * x[i]!;
}

function axpyF32(alpha: number, x: Float32Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) y[i]! += alpha * x[i]!;
}

function axpyGeneric(alpha: number, x: VectorLike, y: FloatVector, n: number): void {
  for (let i = 0; i < n; i++) y[i]! += alpha * x[i]!;
}

// ---------------------------------------------------------------------------------------------------------------
// Boundary helpers

function checkPair(fn: string, a: unknown, b: unknown): asserts a is VectorLike {
  assertArrayLike(fn, "a", a);
  assertArrayLike(fn, "b", b);
  if (a.length !== (b as VectorLike).length) {
    throw new NextbestError("E_SHAPE", `${fn}: b must have the length of a (${a.length}), got length ${(b as VectorLike).length}`);
  }
}

function checkWritable(fn: string, name: string, value: unknown): asserts value is FloatVector {
  if (!(value instanceof Float64Array || value instanceof Float32Array)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a Float64Array or a Float32Array, got ${describeValue(value)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/**
 * The dot product Σ aᵢbᵢ of two equal-length vectors, accumulated in float64.
 *
 * Complexity: O(n) time, O(1) memory.
 *
 * @param a - the first vector
 * @param b - the second vector, of the same length
 * @returns the dot product (0 for two empty vectors; ±Infinity only if finite inputs overflow)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when an argument is not an array, `E_SHAPE` when the lengths differ,
 *   `E_NON_FINITE` naming the first NaN or ±Infinity entry
 * @example
 * ```ts
 * import { dot } from "nextbest/linalg";
 * dot([1, 2, 3], [4, 5, 6]); // => 32
 * dot(new Float64Array([0.5, 2]), new Float64Array([4, -1])); // => 0
 * ```
 * @category linalg
 */
export function dot(a: VectorLike, b: VectorLike): number {
  checkPair("dot", a, b);
  const result = dispatchDot(a, b);
  if (result - result !== 0) {
    throwIfNonFinite("dot", "a", a);
    throwIfNonFinite("dot", "b", b);
  }
  return result;
}

/**
 * The Euclidean (L2) norm √(Σ aᵢ²) of a vector, accumulated in float64 and rescaled when the plain sum of squares
 * would overflow or underflow (so `norm([1e200, 1e200])` is 1.414e200, not Infinity).
 *
 * Complexity: O(n) time (a second pass only in the rare rescaling case), O(1) memory.
 *
 * @param a - the vector
 * @returns the L2 norm, 0 for an empty or all-zero vector
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `a` is not an array, `E_NON_FINITE` naming the first NaN or
 *   ±Infinity entry
 * @example
 * ```ts
 * import { norm } from "nextbest/linalg";
 * norm([3, 4]); // => 5
 * norm(new Float32Array([0, 0])); // => 0
 * ```
 * @category linalg
 */
export function norm(a: VectorLike): number {
  assertArrayLike("norm", "a", a);
  const ss = dispatchDot(a, a);
  if (ss > 1e-280 && ss < Number.POSITIVE_INFINITY) return Math.sqrt(ss);
  throwIfNonFinite("norm", "a", a);
  // Zero, or overflow/underflow of the squares: scale by the largest magnitude (0 only for a zero vector).
  const m = maxAbs(a);
  if (m === 0) return 0;
  let scaled = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]! / m;
    scaled += v * v;
  }
  return m * Math.sqrt(scaled);
}

/**
 * The cosine of the angle between two vectors, a·b / (‖a‖‖b‖), clamped to [-1, 1].
 *
 * By convention the similarity is 0 when either vector is all zero (an account or product with no features is
 * similar to nothing). Sums run in float64 in a single pass; vectors whose squared norms overflow or underflow are
 * rescaled first, so the result stays accurate for any finite input.
 *
 * Complexity: O(n) time, O(1) memory.
 *
 * @param a - the first vector
 * @param b - the second vector, of the same length
 * @returns the cosine similarity in [-1, 1]
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when an argument is not an array, `E_SHAPE` when the lengths differ,
 *   `E_NON_FINITE` naming the first NaN or ±Infinity entry
 * @example
 * ```ts
 * import { cosineSimilarity } from "nextbest/linalg";
 * cosineSimilarity([1, 0], [0, 1]); // => 0
 * cosineSimilarity([1, 2], [2, 4]); // => 1
 * cosineSimilarity([1, 1], [-1, -1]); // => -1
 * cosineSimilarity([0, 0], [3, 4]); // => 0
 * ```
 * @category linalg
 */
export function cosineSimilarity(a: VectorLike, b: VectorLike): number {
  checkPair("cosineSimilarity", a, b);
  const sums = new Float64Array(3);
  dispatchCosineSums(a, b, sums);
  let ab = sums[0]!;
  let aa = sums[1]!;
  let bb = sums[2]!;
  // Fast path when aa·bb can neither overflow nor underflow; otherwise (including zero norms, which may be
  // underflow) check the inputs and rescale.
  if (!(aa > 1e-150 && aa < 1e150 && bb > 1e-150 && bb < 1e150 && ab - ab === 0)) {
    throwIfNonFinite("cosineSimilarity", "a", a);
    throwIfNonFinite("cosineSimilarity", "b", b);
    // Rescale both vectors to unit max-magnitude; the cosine is scale-invariant.
    const ma = maxAbs(a);
    const mb = maxAbs(b);
    if (ma === 0 || mb === 0) return 0;
    ab = 0;
    aa = 0;
    bb = 0;
    for (let i = 0; i < a.length; i++) {
      const x = a[i]! / ma;
      const y = b[i]! / mb;
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
  }
  const c = ab / Math.sqrt(aa * bb);
  return c > 1 ? 1 : c < -1 ? -1 : c;
}

/**
 * The vector α·x + y as a new `Float64Array` (the BLAS axpy, without touching its inputs).
 * Use {@link axpyInto} in hot loops to update a buffer in place instead.
 *
 * Complexity: O(n) time and memory.
 *
 * @param alpha - the scalar α
 * @param x - the vector to scale
 * @param y - the vector to add, of the same length
 * @returns a new Float64Array holding α·x + y
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when an argument is not an array, `E_SHAPE` when the lengths differ,
 *   `E_NON_FINITE` when α or an entry is NaN or ±Infinity
 * @example
 * ```ts
 * import { axpy } from "nextbest/linalg";
 * Array.from(axpy(2, [1, 2], [10, 20])); // => [12, 24]
 * ```
 * @category linalg
 */
export function axpy(alpha: number, x: VectorLike, y: VectorLike): Float64Array {
  const fn = "axpy";
  assertFiniteNumber(fn, "alpha", alpha);
  assertArrayLike(fn, "x", x);
  assertArrayLike(fn, "y", y);
  if (x.length !== y.length) {
    throw new NextbestError("E_SHAPE", `${fn}: y must have the length of x (${x.length}), got length ${y.length}`);
  }
  throwIfNonFinite(fn, "x", x);
  throwIfNonFinite(fn, "y", y);
  const out = Float64Array.from(y);
  if (x instanceof Float64Array) axpyF64(alpha, x, out, out.length);
  else axpyGeneric(alpha, x, out, out.length);
  return out;
}

/**
 * Adds α·x to `y` in place (y ← α·x + y) and returns `y`: the one function here that writes into an argument.
 * `y` is the output buffer; `x` is only read. Both are checked before `y` is touched, so on error `y` is unchanged.
 *
 * Complexity: O(n) time, O(1) memory.
 *
 * @param alpha - the scalar α
 * @param x - the vector to scale, of `y`'s length
 * @param y - the output buffer, updated in place
 * @returns `y`
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `x` is not an array or `y` is not a Float64Array/Float32Array,
 *   `E_SHAPE` when the lengths differ, `E_NON_FINITE` when α or an entry of x or y is NaN or ±Infinity
 * @example
 * ```ts
 * import { axpyInto } from "nextbest/linalg";
 * const y = new Float64Array([1, 1]);
 * axpyInto(3, [1, 2], y);
 * Array.from(y); // => [4, 7]
 * ```
 * @category linalg
 */
export function axpyInto<T extends FloatVector>(alpha: number, x: VectorLike, y: T): T {
  const fn = "axpyInto";
  assertFiniteNumber(fn, "alpha", alpha);
  assertArrayLike(fn, "x", x);
  checkWritable(fn, "y", y);
  if (x.length !== y.length) {
    throw new NextbestError("E_SHAPE", `${fn}: x must have the length of y (${y.length}), got length ${x.length}`);
  }
  throwIfNonFinite(fn, "x", x);
  throwIfNonFinite(fn, "y", y);
  if (x instanceof Float64Array && y instanceof Float64Array) axpyF64(alpha, x, y, y.length);
  else if (x instanceof Float32Array && y instanceof Float32Array) axpyF32(alpha, x, y, y.length);
  else axpyGeneric(alpha, x, y, y.length);
  return y;
}

/**
 * The vector α·x as a new `Float64Array`; `x` is not changed.
 *
 * Complexity: O(n) time and memory.
 *
 * @param alpha - the scalar α
 * @param x - the vector
 * @returns a new Float64Array holding α·x
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `x` is not an array, `E_NON_FINITE` when α or an entry is NaN
 *   or ±Infinity
 * @example
 * ```ts
 * import { scale } from "nextbest/linalg";
 * Array.from(scale(0.5, [2, -4])); // => [1, -2]
 * ```
 * @category linalg
 */
export function scale(alpha: number, x: VectorLike): Float64Array {
  assertFiniteNumber("scale", "alpha", alpha);
  assertArrayLike("scale", "x", x);
  throwIfNonFinite("scale", "x", x);
  const out = new Float64Array(x.length);
  // Two loops, two V8 feedback sites: each stays monomorphic.
  if (x instanceof Float64Array) {
    for (let i = 0; i < out.length; i++) out[i] = alpha * x[i]!;
  } else {
    for (let i = 0; i < out.length; i++) out[i] = alpha * x[i]!;
  }
  return out;
}
