// Helpers shared by the test suites.
import { expect } from "vitest";
import { NextbestError } from "../src/core/errors.ts";
import type { Id } from "../src/core/id-index.ts";

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
