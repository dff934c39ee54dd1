// Shared by the sequence models: option readers, stage vocabularies (Map-based, so any string is an id) and the
// packing of step sequences into flat typed arrays. Not exported by the barrel.
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Seed } from "../core/random.ts";

/** Throws E_BAD_INPUT unless `options` is a plain object (not null, not an array). */
export function checkOptions(fn: string, options: unknown): asserts options is object {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
}

/** Reads an integer option in [min, max], or its default when undefined. */
export function integerOption(fn: string, name: string, value: unknown, fallback: number, min: number, max: number = 2147483647): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === 2147483647 ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be ${range}, got ${describeValue(value)}`);
  }
  return value;
}

/** Reads a finite number option in [min, max] (`(min, max]` when `exclusiveMin`), or its default when undefined. */
export function numberOption(
  fn: string,
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number = Number.POSITIVE_INFINITY,
  exclusiveMin: boolean = false,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be a number, got ${describeValue(value)}`);
  }
  if (!Number.isFinite(value)) {
    throw new NextbestError("E_NON_FINITE", `${fn}: options.${name} must be finite, got ${describeValue(value)}`);
  }
  if (value < min || value > max || (exclusiveMin && value === min)) {
    const low = exclusiveMin ? `> ${min}` : `>= ${min}`;
    const rule = max === Number.POSITIVE_INFINITY ? low : `${low} and <= ${max}`;
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be ${rule}, got ${describeValue(value)}`);
  }
  return value;
}

/** Reads a seed option (a finite number or a string), or its default when undefined. */
export function seedOption(fn: string, value: unknown, fallback: Seed): Seed {
  if (value === undefined) return fallback;
  if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) return value;
  throw new NextbestError("E_BAD_INPUT", `${fn}: options.seed must be a finite number or a string, got ${describeValue(value)}`);
}

/** Throws E_BAD_INPUT unless `value` is an array. */
export function checkArray(fn: string, name: string, value: unknown): asserts value is readonly unknown[] {
  if (!Array.isArray(value)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be an array, got ${describeValue(value)}`);
  }
}

/** Throws E_BAD_INPUT unless `value` is a string. */
export function checkStage(fn: string, name: string, value: unknown): asserts value is string {
  if (typeof value !== "string") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a string (a stage id), got ${describeValue(value)}`);
  }
}

/** A stage vocabulary: ids in index order and a Map back to the index. */
export interface Vocabulary {
  readonly ids: readonly string[];
  readonly index: ReadonlyMap<string, number>;
}

/** Builds a vocabulary from ids (duplicates are an error). */
export function vocabularyOf(fn: string, name: string, ids: readonly unknown[]): Vocabulary {
  const index = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    checkStage(fn, `${name}[${i}]`, id);
    if (index.has(id)) {
      throw new NextbestError("E_DUPLICATE", `${fn}: ${name}[${i}] must be unique, got ${describeValue(id)} again`);
    }
    index.set(id, i);
  }
  return { ids: Array.from(index.keys()), index };
}

/** Index of `stage` in `vocabulary`, or an E_UNKNOWN_ID error naming where it was found. */
export function stageIndex(fn: string, name: string, vocabulary: Vocabulary, stage: unknown): number {
  checkStage(fn, name, stage);
  const found = vocabulary.index.get(stage);
  if (found === undefined) {
    throw new NextbestError("E_UNKNOWN_ID", `${fn}: ${name} must be a stage the model knows, got ${describeValue(stage)}`);
  }
  return found;
}

/** Days between two epoch-millisecond times. */
export const MS_PER_DAY = 86_400_000;

/** Numerically stable logistic function. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
