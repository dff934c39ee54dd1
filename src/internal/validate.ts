// Boundary checks shared by every public function. Kernels trust their inputs; these run once per call.
// Messages follow "<function>: <argument> must <rule>, got <value>".
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Seed } from "../core/random.ts";

/** True when `value` can seed `createRandom`: a finite number or a string. */
export function isSeed(value: unknown): value is Seed {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

/** Throws E_BAD_INPUT unless `value` is a seed (a finite number or a string). */
export function assertSeed(fn: string, name: string, value: unknown): asserts value is Seed {
  if (!isSeed(value)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a finite number or a string, got ${describeValue(value)}`);
  }
}

/** Throws E_BAD_INPUT unless `value` is an integer in [min, max]. */
export function assertInteger(
  fn: string,
  name: string,
  value: unknown,
  min: number = Number.MIN_SAFE_INTEGER,
  max: number = Number.MAX_SAFE_INTEGER,
): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER
        ? min === Number.MIN_SAFE_INTEGER
          ? "be an integer"
          : `be an integer >= ${min}`
        : `be an integer in [${min}, ${max}]`;
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must ${range}, got ${describeValue(value)}`);
  }
}

/** Throws E_NON_FINITE (or E_BAD_INPUT for non-numbers) unless `value` is a finite number. */
export function assertFiniteNumber(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== "number") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a number, got ${describeValue(value)}`);
  }
  if (!Number.isFinite(value)) {
    throw new NextbestError("E_NON_FINITE", `${fn}: ${name} must be finite, got ${describeValue(value)}`);
  }
}

/** Throws E_BAD_INPUT unless `value` is a number in [min, max] (finite bounds are inclusive). */
export function assertInRange(fn: string, name: string, value: unknown, min: number, max: number): asserts value is number {
  assertFiniteNumber(fn, name, value);
  if (value < min || value > max) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be in [${min}, ${max}], got ${describeValue(value)}`);
  }
}

/** Throws E_BAD_INPUT unless `value` is array-like (an array or a typed array). */
export function assertArrayLike(fn: string, name: string, value: unknown): asserts value is ArrayLike<number> {
  if (
    value === null ||
    typeof value !== "object" ||
    !(Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView)))
  ) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be an array or a typed array, got ${describeValue(value)}`);
  }
}

/** Throws E_NON_FINITE naming the first index whose value is not a finite number. */
export function assertFiniteArray(fn: string, name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new NextbestError(
        typeof v === "number" ? "E_NON_FINITE" : "E_BAD_INPUT",
        `${fn}: ${name}[${i}] must be a finite number, got ${describeValue(v)}`,
      );
    }
  }
}

/** Throws E_SHAPE unless `values.length === expected`. */
export function assertLength(fn: string, name: string, values: ArrayLike<unknown>, expected: number): void {
  if (values.length !== expected) {
    throw new NextbestError("E_SHAPE", `${fn}: ${name} must have length ${expected}, got length ${values.length}`);
  }
}

/** Throws E_BAD_INPUT unless `value` is one of `allowed`. */
export function assertOneOf<T extends string>(fn: string, name: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: ${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${describeValue(value)}`,
    );
  }
}
