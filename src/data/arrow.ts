/**
 * Interactions from Apache Arrow tables and record batches, the columnar form DuckDB, Polars and warehouses hand to
 * JavaScript. Duck-typed: any object with Arrow JS's `getChild(name)` and `numRows` works, so nextbest does not depend
 * on the `apache-arrow` package.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import { interactionsFromColumns, type CreateInteractionsOptions } from "./interactions.ts";
import type { Interactions } from "./types.ts";

/** The members of an Arrow JS data type that {@link createInteractionsFromArrow} reads. @category data */
export interface ArrowTypeLike {
  /** apache-arrow's `Type` id (2 integer, 3 float, 5 UTF-8, 8 date, 10 timestamp, -1 dictionary, ...). */
  readonly typeId: number;
  /** The unit of timestamps (second, milli, micro, nano: 0–3) and dates (day, millisecond: 0–1). */
  readonly unit?: number;
  /** The type's name, for error messages. */
  toString(): string;
}

/** The members of an Arrow JS vector (a table's column) that {@link createInteractionsFromArrow} reads. @category data */
export interface ArrowVectorLike {
  /** Rows in the column. */
  readonly length: number;
  /** How many rows are null. */
  readonly nullCount: number;
  /** The Arrow data type. */
  readonly type: ArrowTypeLike;
  /** The column's values: a typed array for numbers (no copy for one chunk), an array for strings. */
  toArray(): ArrayLike<unknown>;
  /** Whether row `index` holds a value (not null). */
  isValid(index: number): boolean;
}

/** The members of an Arrow JS `Table` or `RecordBatch` that {@link createInteractionsFromArrow} reads. @category data */
export interface ArrowTableLike {
  /** Rows in the table. */
  readonly numRows: number;
  /** The column called `name`, or null when there is none. */
  getChild(name: string): ArrowVectorLike | null;
}

/**
 * Options of {@link createInteractionsFromArrow}: which columns hold what, plus {@link createInteractions}'s options.
 *
 * @category data
 */
export interface CreateInteractionsFromArrowOptions extends CreateInteractionsOptions {
  /** The column of user (account) ids: integers or strings (dictionary-encoded or not). @defaultValue "user" */
  userColumn?: string;
  /** The column of item (product) ids. @defaultValue "item" */
  itemColumn?: string;
  /** The column of values (numbers); absent: every value is 1. @defaultValue "value" when the table has it */
  valueColumn?: string;
  /**
   * The column of timestamps: an Arrow timestamp or date column becomes seconds since the epoch (the unit nextbest's
   * time options default to); a plain numeric column is taken as it is. @defaultValue "timestamp" when the table has it
   */
  timestampColumn?: string;
}

// Arrow's type ids (apache-arrow's `Type` enum).
const INT = 2;
const FLOAT = 3;
const UTF8 = 5;
const DATE = 8;
const TIMESTAMP = 10;
const LARGE_UTF8 = 20;
const UTF8_VIEW = 24;
const DICTIONARY = -1;

/** Seconds per unit of Arrow's TimeUnit (second, millisecond, microsecond, nanosecond) and DateUnit (day, millisecond). */
const TIMESTAMP_SECONDS = [1, 1e-3, 1e-6, 1e-9];
const DATE_SECONDS = [86_400, 1e-3];

/**
 * Builds an interactions dataset from an Apache Arrow table or record batch (as DuckDB, Polars or a warehouse hands
 * it to JavaScript) without one object per row: numeric columns are read as the typed arrays Arrow holds (no copy for
 * a single-chunk column), id columns as Arrow decodes them (integers, strings, dictionary-encoded strings). 64-bit
 * integers must be safe integers. Timestamp and date columns become seconds since the epoch. A null anywhere in a
 * used column is an error naming the column and row; nothing is dropped. Then the same rules as
 * {@link createInteractionsFromColumns}.
 *
 * Complexity: O(rows + users + items).
 *
 * @param table - an Arrow JS `Table` or `RecordBatch` (anything with `numRows` and `getChild(name)`)
 * @param options - the column names and {@link createInteractions}'s options
 * @returns a frozen {@link Interactions}
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a missing column, a null, an unsupported column type or an
 *   unsafe 64-bit integer; the errors of {@link createInteractionsFromColumns}
 * @example
 * ```ts
 * import { createInteractionsFromArrow, interactionCount } from "nextbest/data";
 * // any Arrow JS table; here a minimal stand-in with the two members read
 * const column = (values: ArrayLike<unknown>, typeId: number) => ({
 *   length: values.length, nullCount: 0, type: { typeId, toString: () => String(typeId) },
 *   toArray: () => values, isValid: () => true,
 * });
 * const table = {
 *   numRows: 3,
 *   getChild: (name: string) =>
 *     ({ user: column(["acme", "acme", "globex"], 5), item: column(["crm", "erp", "crm"], 5), value: column(new Float64Array([2, 1, 5]), 3) })[name] ?? null,
 * };
 * interactionCount(createInteractionsFromArrow(table)); // => 3
 * ```
 * @category data
 */
export function createInteractionsFromArrow(table: ArrowTableLike, options: CreateInteractionsFromArrowOptions = {}): Interactions {
  const fn = "createInteractionsFromArrow";
  if (typeof table !== "object" || table === null || typeof table.getChild !== "function" || !Number.isInteger(table.numRows)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: table must be an Arrow Table or RecordBatch (numRows and getChild), got ${describeValue(table)}`);
  }
  if (typeof options !== "object" || options === null) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const { userColumn = "user", itemColumn = "item", valueColumn, timestampColumn, ...rest } = options;
  const required = (name: string, field: string): ArrowVectorLike => {
    const vector = table.getChild(name);
    if (vector === null || vector === undefined) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.${field} names column ${JSON.stringify(name)}, which the table does not have`);
    }
    return vector;
  };
  const optional = (name: string | undefined, fallback: string, field: string): ArrowVectorLike | undefined =>
    name === undefined ? (table.getChild(fallback) ?? undefined) : required(name, field);
  const users = idColumn(fn, userColumn, required(userColumn, "userColumn"));
  const items = idColumn(fn, itemColumn, required(itemColumn, "itemColumn"));
  const valueVector = optional(valueColumn, "value", "valueColumn");
  const timestampVector = optional(timestampColumn, "timestamp", "timestampColumn");
  const values = valueVector === undefined ? undefined : numberColumn(fn, valueColumn ?? "value", valueVector, undefined);
  const timestamps = timestampVector === undefined ? undefined : numberColumn(fn, timestampColumn ?? "timestamp", timestampVector, timeScale(timestampVector));
  const names = { users: userColumn, items: itemColumn, values: valueColumn ?? "value", timestamps: timestampColumn ?? "timestamp" };
  return interactionsFromColumns(
    fn,
    { users, items, ...(values === undefined ? {} : { values }), ...(timestamps === undefined ? {} : { timestamps }) },
    rest,
    (column, k) => `column ${JSON.stringify(names[column])} row ${k}`,
    (k) => `row ${k}`,
  );
}

/** Throws naming the first null of a column that has any. */
function checkNulls(fn: string, name: string, vector: ArrowVectorLike): void {
  if (vector.nullCount === 0) return;
  let row = 0;
  while (row < vector.length && vector.isValid(row)) row++;
  throw new NextbestError("E_BAD_INPUT", `${fn}: column ${JSON.stringify(name)} has ${vector.nullCount} null(s), the first at row ${row}; fill or drop them first`);
}

/** The ids of an integer or string column (64-bit integers as numbers when safe). */
function idColumn(fn: string, name: string, vector: ArrowVectorLike): ArrayLike<Id> {
  checkNulls(fn, name, vector);
  const typeId = vector.type.typeId;
  if (typeId !== INT && typeId !== UTF8 && typeId !== LARGE_UTF8 && typeId !== UTF8_VIEW && typeId !== DICTIONARY) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: column ${JSON.stringify(name)} must hold integer or string ids, got Arrow type ${vector.type.toString()}`);
  }
  const array = vector.toArray();
  if (array instanceof BigInt64Array || array instanceof BigUint64Array) return safeNumbers(fn, name, array, 1);
  return array as ArrayLike<Id>;
}

/** The numbers of a numeric (or, with `scale`, timestamp or date) column, multiplied by `scale` when given. */
function numberColumn(fn: string, name: string, vector: ArrowVectorLike, scale: number | undefined): ArrayLike<number> {
  checkNulls(fn, name, vector);
  const typeId = vector.type.typeId;
  if (scale === undefined && typeId !== INT && typeId !== FLOAT) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: column ${JSON.stringify(name)} must hold numbers, got Arrow type ${vector.type.toString()}`);
  }
  const array = vector.toArray();
  // Arrow JS decodes date columns to milliseconds (raw day counts would come as an Int32Array)
  if (typeId === DATE && !(array instanceof Int32Array)) scale = 1e-3;
  if (array instanceof BigInt64Array || array instanceof BigUint64Array) return safeNumbers(fn, name, array, scale ?? 1);
  if (scale === undefined || scale === 1) return array as ArrayLike<number>;
  const out = new Float64Array(array.length);
  for (let row = 0; row < out.length; row++) out[row] = (array[row] as number) * scale;
  return out;
}

/** Seconds per unit of a timestamp or date column, 1 for a plain numeric one; an error for any other type. */
function timeScale(vector: ArrowVectorLike): number {
  const { typeId, unit } = vector.type;
  if (typeId === TIMESTAMP) return TIMESTAMP_SECONDS[unit ?? 0] ?? 1;
  if (typeId === DATE) return DATE_SECONDS[unit ?? 0] ?? 1;
  if (typeId === INT || typeId === FLOAT) return 1;
  throw new NextbestError("E_BAD_INPUT", `createInteractionsFromArrow: the timestamp column must hold an Arrow timestamp, date or number, got ${vector.type.toString()}`);
}

/** 64-bit integers as numbers (times `scale`), each a safe integer before scaling. */
function safeNumbers(fn: string, name: string, array: BigInt64Array | BigUint64Array, scale: number): Float64Array {
  const out = new Float64Array(array.length);
  for (let row = 0; row < array.length; row++) {
    const value = array[row]!;
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: column ${JSON.stringify(name)} row ${row} holds ${value}, beyond 2^53 − 1: read it as a string`);
    }
    out[row] = Number(value) * scale;
  }
  return out;
}
