// Plumbing shared by the evaluation protocols: option checks, timing, dataset helpers. Not exported by the barrel.
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import { checkInteractions } from "../data/split-common.ts";
import type { Interactions } from "../data/types.ts";

// performance.now() exists in Node, Deno, browsers and workers; declared here so src needs neither the DOM lib nor
// Node's types.
declare const performance: { now(): number };

/** Seconds elapsed since `start` (a value of {@link now}). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

/** A monotonic clock reading in milliseconds. */
export function now(): number {
  return performance.now();
}

export { checkInteractions };

/** Throws E_BAD_INPUT unless `options` is undefined or a plain object. */
export function checkOptionalOptions(fn: string, options: unknown): void {
  if (options !== undefined && (typeof options !== "object" || options === null || Array.isArray(options))) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
}

/** Throws E_BAD_INPUT unless `options` is a plain object (required options). */
export function checkRequiredOptions(fn: string, options: unknown): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
}

/** The boolean option, or its default; E_BAD_INPUT for a non-boolean. */
export function booleanOption(fn: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a boolean, got ${describeValue(value)}`);
  }
  return value;
}

/** Neumaier-compensated sum of `values[0..n)`. */
export function compensatedSum(values: ArrayLike<number>, n: number = values.length): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/** The number of stored interactions. */
export function entryCount(data: Interactions): number {
  return data.byUser.indptr[data.byUser.rows]!;
}

/** The mean stored value of `train` (the global mean a rating protocol falls back to); E_EMPTY without entries. */
export function globalMean(fn: string, name: string, train: Interactions): number {
  const n = entryCount(train);
  if (n === 0) throw new NextbestError("E_EMPTY", `${fn}: ${name} must hold at least one interaction, got none`);
  return compensatedSum(train.byUser.values, n) / n;
}

/** For each item index of `from`, its index in `to` (by external id), or -1. O(items of `from`). */
export function mapItems(from: readonly Id[], to: ReadonlyMap<Id, number>): Int32Array {
  const out = new Int32Array(from.length);
  for (let i = 0; i < from.length; i++) out[i] = to.get(from[i]!) ?? -1;
  return out;
}

/** Sample standard deviation (n - 1 denominator) of `values`; NaN for fewer than two values. */
export function sampleStandardDeviation(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  const mean = compensatedSum(values) / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i]! - mean) ** 2;
  return Math.sqrt(squares / (n - 1));
}
