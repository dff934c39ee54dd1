/**
 * The one error class nextbest throws, with a stable machine-readable code.
 *
 * @module
 */

/**
 * Stable error codes. Each names a family of caller mistakes; match on the code, not on the message.
 *
 * - `E_SHAPE`: array lengths or matrix dimensions do not agree.
 * - `E_NON_FINITE`: a number is NaN or ±Infinity where a finite number is required.
 * - `E_EMPTY`: an input that must hold at least one element is empty.
 * - `E_UNKNOWN_ID`: a user or item id is not in the model or dataset (only in strict mode for recommenders).
 * - `E_BAD_MODEL`: a serialized model is malformed, of another kind, or of an unsupported version.
 * - `E_BAD_INPUT`: any other invalid argument (out-of-range option, wrong type, malformed text).
 * - `E_DUPLICATE`: a duplicate entry where the chosen policy forbids it.
 * - `E_NOT_CONVERGED`: an iterative solver or a factorization could not satisfy its precondition.
 *
 * @category core
 */
export type NextbestErrorCode =
  | "E_SHAPE"
  | "E_NON_FINITE"
  | "E_EMPTY"
  | "E_UNKNOWN_ID"
  | "E_BAD_MODEL"
  | "E_BAD_INPUT"
  | "E_DUPLICATE"
  | "E_NOT_CONVERGED";

/**
 * The error nextbest throws for every caller mistake.
 *
 * Messages follow the form `"<function>: <argument> must <rule>, got <value>"` and name the offending row or field
 * for data errors, so a failure in a 100,000-row file points at the line to fix.
 *
 * @example
 * ```ts
 * import { NextbestError, createIdIndex } from "nextbest/core";
 * let caught;
 * try {
 *   createIdIndex(["acme", Number.NaN]);
 * } catch (error) {
 *   caught = error;
 * }
 * caught instanceof NextbestError; // => true
 * caught.code; // => "E_NON_FINITE"
 * caught.message; // => "createIdIndex: ids[1] must be a string or a finite number, got NaN"
 * ```
 * @category core
 */
export class NextbestError extends Error {
  /** The stable code: branch on this, not on the message. */
  readonly code: NextbestErrorCode;

  /**
   * @param code - the stable error code
   * @param message - `"<function>: <argument> must <rule>, got <value>"`
   */
  constructor(code: NextbestErrorCode, message: string) {
    super(message);
    this.name = "NextbestError";
    this.code = code;
  }
}

/**
 * Formats any value for an error message: strings quoted, long arrays abbreviated, objects by their type.
 *
 * @param value - the offending value
 * @returns a short human-readable rendering
 * @example
 * ```ts
 * import { describeValue } from "nextbest/core";
 * describeValue("abc"); // => '"abc"'
 * describeValue(Number.NaN); // => "NaN"
 * ```
 * @category core
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const length = (value as unknown as { length?: number }).length;
    return `${value.constructor.name} of length ${length ?? value.byteLength}`;
  }
  if (typeof value === "function") return "a function";
  const name = (value as object).constructor?.name;
  return name && name !== "Object" ? `a ${name}` : "an object";
}
