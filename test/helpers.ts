// Helpers shared by the test suites.
import fc from "fast-check";
import { expect } from "vitest";
import { NextbestError } from "../src/core/errors.ts";
import type { Id } from "../src/core/id-index.ts";
import { alsFromSparkJsonLines, type ImplicitAlsModel } from "../src/factorization/index.ts";

/** Runs `run` and returns the NextbestError it throws; fails the test when it throws nothing or something else. */
export function errorOf(run: () => unknown): NextbestError {
  try {
    run();
  } catch (error) {
    if (error instanceof NextbestError) return error;
    throw error;
  }
  throw new Error("expected a NextbestError, nothing was thrown");
}

/** Awaits `promise` and returns the NextbestError it rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejectionOf(promise: Promise<unknown>): Promise<NextbestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NextbestError) return error;
    throw error;
  }
  throw new Error("expected a NextbestError, the promise resolved");
}

/**
 * Asserts that `run` throws a NextbestError with `code` and, when given, a message matching `message`
 * (a RegExp, or a string the message must contain).
 */
export function expectError(run: () => unknown, code: string, message?: RegExp | string): void {
  const error = errorOf(run);
  expect(error.code).toBe(code);
  if (message instanceof RegExp) expect(error.message).toMatch(message);
  else if (message !== undefined) expect(error.message).toContain(message);
}

/** The item ids of a recommendation list, in rank order. */
export function itemIdsOf(result: { readonly items: readonly { readonly item: Id }[] }): Id[] {
  return result.items.map((entry) => entry.item);
}

/** Factor tables as Spark holds them: a rank, unique 32-bit user ids, item ids, and rows per part file. */
export const sparkTables: fc.Arbitrary<{ rank: number; userIds: number[]; itemIds: number[]; rowsPerPart: number }> = fc.record({
  rank: fc.integer({ min: 1, max: 6 }),
  userIds: fc.uniqueArray(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 12 }),
  itemIds: fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 12 }),
  rowsPerPart: fc.integer({ min: 1, max: 5 }),
});

/** An implicit ALS model over those ids with float32 factors that vary by row and column (through the JSON-lines reader). */
export function sparkTablesModel(tables: { rank: number; userIds: number[]; itemIds: number[] }, alpha = 1): ImplicitAlsModel {
  const { rank } = tables;
  const value = (i: number): number => Math.fround(Math.sin(i * 12.9898 + rank) * 3);
  const lines = (ids: number[], offset: number): string =>
    ids.map((id, r) => JSON.stringify({ id, features: Array.from({ length: rank }, (_, k) => value(offset + r * rank + k)) })).join("\n");
  return alsFromSparkJsonLines({ userFactors: lines(tables.userIds, 0), itemFactors: lines(tables.itemIds, 1000), alpha });
}
