/**
 * Progress of long fits and evaluations: an `onProgress` option that receives one event per step.
 *
 * @module
 */
import { NextbestError, describeValue } from "./errors.ts";

/**
 * One step of a long computation, as `onProgress` receives it.
 *
 * @category core
 */
export interface ProgressEvent {
  /** What is running, e.g. `"iteration"`, `"epoch"`, `"fold"`, `"fit popularity"`. */
  readonly phase: string;
  /** Steps done in this phase, from 1. */
  readonly step: number;
  /** Steps the phase has in all. */
  readonly total: number;
  /** The training loss after the step, where the method computes one. */
  readonly loss?: number;
  /** A validation metric after the step, where the method computes one (its name in `metricName`). */
  readonly metric?: number;
  /** The name of `metric`, e.g. `"ndcg@10"`. */
  readonly metricName?: string;
}

/**
 * Receives {@link ProgressEvent}s. Called synchronously after each step; keep it cheap (update a bar, log a line).
 * An error it throws stops the computation and passes through unchanged.
 *
 * @example
 * ```ts
 * import type { ProgressCallback } from "nextbest/core";
 * const lines: string[] = [];
 * const onProgress: ProgressCallback = (event) => lines.push(`${event.phase} ${event.step}/${event.total}`);
 * onProgress({ phase: "epoch", step: 1, total: 20 });
 * lines; // => ["epoch 1/20"]
 * ```
 * @category core
 */
export type ProgressCallback = (event: ProgressEvent) => void;

/** `options.onProgress` checked: a function, or undefined. @internal */
export function progressOption(fn: string, value: unknown): ProgressCallback | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "function") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.onProgress must be a function (event) => void, got ${describeValue(value)}`);
  }
  return value as ProgressCallback;
}
