/**
 * Building an interactions dataset from rows or columns, and reading it back.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId } from "../core/id-index.ts";
import type { TimeUnit } from "../internal/time.ts";
import { assertOneOf } from "../internal/validate.ts";
import type { Id, IdIndex } from "../core/id-index.ts";
import type { DuplicatePolicy } from "../linalg/csr.ts";
import {
  IdIndexBuilder,
  TripletBuffer,
  buildInteractions,
  checkDuplicatePolicy,
  checkIdIndex,
} from "./build.ts";
import type { InteractionRow, Interactions } from "./types.ts";
import { checkInteractions } from "./split-common.ts";

export type { DuplicatePolicy } from "../linalg/csr.ts";

/**
 * Options of {@link createInteractions} and {@link createInteractionsFromColumns}; the readers take them too.
 *
 * @category data
 */
export interface CreateInteractionsOptions {
  /**
   * What a repeated (user, item) pair does. `"sum"` adds the values: the lossless choice for event logs
   * (purchases, clicks, quantities, rows without a value count 1 each), which is what most B2B data is.
   * `"last"` keeps the value of the latest timestamp (ties and rows without timestamps: the later row), the right
   * choice for explicit ratings where a re-rating replaces the old one. `"max"` keeps the largest value;
   * `"error"` throws `E_DUPLICATE` naming both rows. In every case a merged entry keeps the latest timestamp.
   * @defaultValue "sum"
   */
  duplicates?: DuplicatePolicy;
  /**
   * A user index to start from, for example `train.users`, so that a second dataset shares the first's row
   * indices. Its ids keep their indices; ids it lacks are appended after them (or rejected, see `unknownIds`).
   * @defaultValue a new index in first-seen order
   */
  users?: IdIndex;
  /** Like `users`, for items. @defaultValue a new index in first-seen order */
  items?: IdIndex;
  /**
   * With a preset `users` or `items` index: `"add"` appends ids it lacks, `"error"` throws `E_UNKNOWN_ID`
   * naming the row. Ignored for an index that was not preset.
   * @defaultValue "add"
   */
  unknownIds?: "add" | "error";
  /**
   * The unit of the timestamps (`"seconds"` or `"milliseconds"` since the epoch), carried by the dataset so that
   * models measuring ages in days read it (see {@link Interactions.timeUnit}).
   * @defaultValue unknown: models take their own `timeUnit` option, default `"seconds"`
   */
  timeUnit?: TimeUnit;
}

/** Validated options with defaults applied. @internal */
export interface ResolvedCreateOptions {
  readonly duplicates: DuplicatePolicy;
  readonly timeUnit: TimeUnit | undefined;
  readonly users: IdIndexBuilder;
  readonly items: IdIndexBuilder;
}

/** Validates {@link CreateInteractionsOptions} and prepares the id index builders. @internal */
export function resolveCreateOptions(fn: string, options: CreateInteractionsOptions): ResolvedCreateOptions {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const duplicates = options.duplicates ?? "sum";
  checkDuplicatePolicy(fn, "options.duplicates", duplicates);
  const unknownIds = options.unknownIds ?? "add";
  if (unknownIds !== "add" && unknownIds !== "error") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.unknownIds must be "add" or "error", got ${describeValue(unknownIds)}`);
  }
  if (options.users !== undefined) checkIdIndex(fn, "options.users", options.users);
  if (options.items !== undefined) checkIdIndex(fn, "options.items", options.items);
  if (options.timeUnit !== undefined) assertOneOf(fn, "options.timeUnit", options.timeUnit, ["seconds", "milliseconds"] as const);
  return {
    duplicates,
    timeUnit: options.timeUnit,
    users: new IdIndexBuilder(options.users, options.users === undefined || unknownIds === "add"),
    items: new IdIndexBuilder(options.items, options.items === undefined || unknownIds === "add"),
  };
}

/** Throws E_UNKNOWN_ID for an id a strict preset index lacks. @internal */
export function unknownIdError(fn: string, where: string, id: Id, kind: "user" | "item"): NextbestError {
  return new NextbestError(
    "E_UNKNOWN_ID",
    `${fn}: ${where} must be a ${kind} of options.${kind}s (options.unknownIds is "error"), got ${describeValue(id)}`,
  );
}

/**
 * Builds an interactions dataset from rows of (user, item, value?, timestamp?).
 *
 * Ids get dense indices in first-seen order (after any preset index). A row without a value counts 1.
 * Timestamps are all-or-none: either every row has one or none does. Repeated (user, item) pairs merge by
 * `options.duplicates` (default `"sum"`, see {@link CreateInteractionsOptions}) and keep their latest timestamp.
 * Runs in O(n + users + items) time (two counting sorts, no comparison sort); the rows are not changed.
 *
 * @param rows - the interactions, any iterable of {@link InteractionRow}
 * @param options - duplicate policy and optional preset id indexes
 * @returns a frozen {@link Interactions}
 * @throws {@link core!NextbestError} `E_EMPTY` when there are no rows; `E_BAD_INPUT` when a row is not an object, an
 *   id is missing or not a string/number, a value or timestamp is not a number, or timestamps are given on some
 *   rows only; `E_NON_FINITE` for a NaN/∞ id, value or timestamp; `E_DUPLICATE` for a repeated pair under
 *   `duplicates: "error"`; `E_UNKNOWN_ID` for an id outside a preset index under `unknownIds: "error"`.
 *   Every message names the row, as in `createInteractions: rows[17].value must be a finite number, got NaN`.
 * @example
 * ```ts
 * import { createInteractions, userItems } from "nextbest/data";
 * const data = createInteractions([
 *   { user: "acme", item: "crm", value: 2 },
 *   { user: "acme", item: "crm", value: 3 },
 *   { user: "globex", item: "erp" },
 * ]);
 * data.users.ids; // => ["acme", "globex"]
 * userItems(data, "acme").items; // => ["crm"]
 * Array.from(userItems(data, "acme").values); // => [5]
 * ```
 * @category data
 */
export function createInteractions(rows: Iterable<InteractionRow>, options: CreateInteractionsOptions = {}): Interactions {
  const fn = "createInteractions";
  if (rows === null || typeof rows !== "object" || typeof (rows as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: rows must be an iterable of rows, got ${describeValue(rows)}`);
  }
  const resolved = resolveCreateOptions(fn, options);
  const buffer = new TripletBuffer(false, resolved.duplicates === "error");
  const push = rowPusher(fn, resolved, buffer);
  let position = 0;
  for (const row of rows) {
    const where = `rows[${position}]`;
    if (typeof row !== "object" || row === null) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} must be an object with user and item, got ${describeValue(row)}`);
    }
    const { user, item, value, timestamp } = row;
    push(position, { user: `${where}.user`, item: `${where}.item`, value: `${where}.value`, timestamp: `${where}.timestamp` }, user, item, value, timestamp);
    position++;
  }
  if (position === 0) {
    throw new NextbestError("E_EMPTY", `${fn}: rows must hold at least one interaction, got none`);
  }
  return buildInteractions(fn, resolved.users.finish(), resolved.items.finish(), buffer, resolved.duplicates, (k) => `rows[${k}]`, resolved.timeUnit);
}

/** The argument paths of one row's fields, for messages (`rows[3].user`, `purchases[3].account`). @internal */
export interface RowPaths {
  readonly user: string;
  readonly item: string;
  readonly value: string;
  readonly timestamp: string;
}

/**
 * The row step shared by `createInteractions` and the readers of row objects: checks the ids, the value (1 when
 * undefined) and the timestamp (all rows or none), maps the ids and pushes the row at `position`. @internal
 */
export function rowPusher(
  fn: string,
  resolved: ResolvedCreateOptions,
  buffer: TripletBuffer,
): (position: number, paths: RowPaths, user: unknown, item: unknown, value: unknown, timestamp: unknown) => void {
  let hasTimestamps: boolean | undefined;
  let first = "";
  return (position, paths, user, item, value, timestamp) => {
    checkId(fn, paths.user, user);
    checkId(fn, paths.item, item);
    let v = 1;
    if (value !== undefined) {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new NextbestError(typeof value === "number" ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: ${paths.value} must be a finite number, got ${describeValue(value)}`);
      }
      v = value;
    }
    const has = timestamp !== undefined;
    if (hasTimestamps === undefined) {
      hasTimestamps = has;
      first = paths.timestamp;
      if (has) buffer.enableTimestamps();
    } else if (has !== hasTimestamps) {
      throw new NextbestError(
        "E_BAD_INPUT",
        has
          ? `${fn}: ${paths.timestamp} must be omitted like on every earlier row (timestamps are all-or-none; ${first} is absent), got ${describeValue(timestamp)}`
          : `${fn}: ${paths.timestamp} must be given like on every earlier row (timestamps are all-or-none; ${first} is given), got undefined`,
      );
    }
    let t = 0;
    if (has) {
      if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) {
        throw new NextbestError(typeof timestamp === "number" ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: ${paths.timestamp} must be a finite number, got ${describeValue(timestamp)}`);
      }
      t = timestamp;
    }
    const u = resolved.users.indexOf(user);
    if (u < 0) throw unknownIdError(fn, paths.user, user, "user");
    const i = resolved.items.indexOf(item);
    if (i < 0) throw unknownIdError(fn, paths.item, item, "item");
    buffer.push(u, i, v, t, position);
  };
}

/** The most entries a column may hold: the largest typed array index range nextbest allocates (2^31 − 1). */
const MAX_COLUMN_LENGTH = 2 ** 31 - 1;

/**
 * Interactions in columnar form: entry `k` is (users[k], items[k], values?.[k], timestamps?.[k]).
 *
 * @category data
 */
export interface InteractionColumns {
  /** The user id of each interaction. */
  readonly users: ArrayLike<Id>;
  /** The item id of each interaction. */
  readonly items: ArrayLike<Id>;
  /** The value of each interaction; every value is 1 when omitted. */
  readonly values?: ArrayLike<number>;
  /** The timestamp of each interaction, or none. */
  readonly timestamps?: ArrayLike<number>;
}

/**
 * Builds an interactions dataset from parallel columns, without one object per row: the form to use for large
 * inputs already held as arrays (a `Float64Array` of values, an array of ids). Same rules as
 * {@link createInteractions}; O(n + users + items).
 *
 * @param columns - equal-length columns of user ids, item ids and optional values and timestamps
 * @param options - duplicate policy and optional preset id indexes
 * @returns a frozen {@link Interactions}
 * @throws {@link core!NextbestError} `E_SHAPE` when the columns differ in length; `E_EMPTY` when they are empty;
 *   `E_BAD_INPUT` / `E_NON_FINITE` for an invalid id, value or timestamp (naming `columns.values[k]` etc.);
 *   `E_DUPLICATE` and `E_UNKNOWN_ID` as in {@link createInteractions}
 * @example
 * ```ts
 * import { createInteractionsFromColumns, interactionCount } from "nextbest/data";
 * const data = createInteractionsFromColumns({
 *   users: [1, 1, 2],
 *   items: ["a", "b", "a"],
 *   values: new Float64Array([5, 3, 4]),
 * });
 * interactionCount(data); // => 3
 * ```
 * @category data
 */
export function createInteractionsFromColumns(
  columns: InteractionColumns,
  options: CreateInteractionsOptions = {},
): Interactions {
  return interactionsFromColumns("createInteractionsFromColumns", columns, options, (column, k) => `columns.${column}[${k}]`, (k) => `entry ${k}`);
}

/**
 * The column builder behind {@link createInteractionsFromColumns} and `createInteractionsFromArrow`: `fn` and `at`
 * (how a column's entry is named) make each error name the public function and the caller's own column.
 *
 * @internal
 */
export function interactionsFromColumns(
  fn: string,
  columns: InteractionColumns,
  options: CreateInteractionsOptions,
  at: (column: "users" | "items" | "values" | "timestamps", k: number) => string,
  entry: (k: number) => string,
): Interactions {
  if (typeof columns !== "object" || columns === null) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: columns must be an object with users and items, got ${describeValue(columns)}`);
  }
  const { users, items, values, timestamps } = columns;
  for (const [name, column] of [
    ["users", users],
    ["items", items],
    ["values", values],
    ["timestamps", timestamps],
  ] as const) {
    if (column === undefined && (name === "values" || name === "timestamps")) continue;
    if (typeof column !== "object" || column === null || typeof column.length !== "number") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: columns.${name} must be an array, got ${describeValue(column)}`);
    }
    // An array-like's length sizes the buffers: it must be one a real array can have (checked before allocating).
    if (!Number.isInteger(column.length) || column.length < 0 || column.length > MAX_COLUMN_LENGTH) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: columns.${name}.length must be an integer in [0, ${MAX_COLUMN_LENGTH}], got ${describeValue(column.length)}`);
    }
  }
  const n = users.length;
  for (const [name, column] of [
    ["items", items],
    ["values", values],
    ["timestamps", timestamps],
  ] as const) {
    if (column !== undefined && column.length !== n) {
      throw new NextbestError("E_SHAPE", `${fn}: columns.${name} must have the length of columns.users (${n}), got length ${column.length}`);
    }
  }
  if (n === 0) throw new NextbestError("E_EMPTY", `${fn}: columns must hold at least one interaction, got none`);
  const resolved = resolveCreateOptions(fn, options);
  const buffer = new TripletBuffer(timestamps !== undefined, resolved.duplicates === "error", n);
  for (let k = 0; k < n; k++) {
    const user = users[k];
    const item = items[k];
    // The entry's name is built only for a bad id: a string per row would cost more than the check.
    if (typeof user !== "string" && !(typeof user === "number" && Number.isFinite(user))) checkId(fn, at("users", k), user);
    if (typeof item !== "string" && !(typeof item === "number" && Number.isFinite(item))) checkId(fn, at("items", k), item);
    const v = values === undefined ? 1 : values[k];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new NextbestError(
        typeof v === "number" ? "E_NON_FINITE" : "E_BAD_INPUT",
        `${fn}: ${at("values", k)} must be a finite number, got ${describeValue(v)}`,
      );
    }
    const t = timestamps === undefined ? 0 : timestamps[k];
    if (typeof t !== "number" || !Number.isFinite(t)) {
      throw new NextbestError(
        typeof t === "number" ? "E_NON_FINITE" : "E_BAD_INPUT",
        `${fn}: ${at("timestamps", k)} must be a finite number, got ${describeValue(t)}`,
      );
    }
    const u = resolved.users.indexOf(user);
    if (u < 0) throw unknownIdError(fn, at("users", k), user, "user");
    const i = resolved.items.indexOf(item);
    if (i < 0) throw unknownIdError(fn, at("items", k), item, "item");
    buffer.push(u, i, v, t, k);
  }
  return buildInteractions(fn, resolved.users.finish(), resolved.items.finish(), buffer, resolved.duplicates, entry, resolved.timeUnit);
}

/**
 * The number of users (rows) in the dataset's user index. O(1).
 *
 * @param data - the interactions
 * @returns the number of users
 * @example
 * ```ts
 * import { createInteractions, userCount } from "nextbest/data";
 * userCount(createInteractions([{ user: "a", item: "x" }, { user: "b", item: "x" }])); // => 2
 * ```
 * @category data
 */
export function userCount(data: Interactions): number {
  return data.users.ids.length;
}

/**
 * The number of items (columns) in the dataset's item index. O(1).
 *
 * @param data - the interactions
 * @returns the number of items
 * @example
 * ```ts
 * import { createInteractions, itemCount } from "nextbest/data";
 * itemCount(createInteractions([{ user: "a", item: "x" }, { user: "b", item: "x" }])); // => 1
 * ```
 * @category data
 */
export function itemCount(data: Interactions): number {
  return data.items.ids.length;
}

/**
 * The number of stored interactions: distinct (user, item) pairs after duplicates were merged. O(1).
 *
 * @param data - the interactions
 * @returns the number of stored entries
 * @example
 * ```ts
 * import { createInteractions, interactionCount } from "nextbest/data";
 * interactionCount(createInteractions([{ user: "a", item: "x" }, { user: "a", item: "x" }])); // => 1
 * ```
 * @category data
 */
export function interactionCount(data: Interactions): number {
  return data.byUser.indptr[data.byUser.rows]!;
}

/**
 * Summary figures of a dataset, for a quick look or a log line.
 *
 * @category data
 */
export interface InteractionsSummary {
  /** Number of users. */
  readonly userCount: number;
  /** Number of items. */
  readonly itemCount: number;
  /** Number of stored (user, item) entries. */
  readonly interactionCount: number;
  /** interactionCount / (userCount × itemCount), 0 for an empty dataset. */
  readonly density: number;
  /** Smallest and largest value (NaN when empty). */
  readonly valueMin: number;
  /** Largest value (NaN when empty). */
  readonly valueMax: number;
  /** Whether the dataset carries timestamps. */
  readonly hasTimestamps: boolean;
  /** Earliest timestamp (NaN without timestamps or when empty). */
  readonly timestampMin: number;
  /** Latest timestamp (NaN without timestamps or when empty). */
  readonly timestampMax: number;
}

/**
 * Counts, density and value/timestamp ranges of a dataset in one O(nnz) pass.
 *
 * @param data - the interactions
 * @returns the summary
 * @example
 * ```ts
 * import { createInteractions, interactionsSummary } from "nextbest/data";
 * const s = interactionsSummary(createInteractions([
 *   { user: "a", item: "x", value: 4 },
 *   { user: "b", item: "y", value: 2 },
 * ]));
 * [s.userCount, s.itemCount, s.interactionCount, s.density, s.valueMin, s.valueMax]; // => [2, 2, 2, 0.5, 2, 4]
 * ```
 * @category data
 */
export function interactionsSummary(data: Interactions): InteractionsSummary {
  checkInteractions("interactionsSummary", "data", data);
  const users = userCount(data);
  const items = itemCount(data);
  const nnz = interactionCount(data);
  let valueMin = Number.NaN;
  let valueMax = Number.NaN;
  const { values } = data.byUser;
  for (let p = 0; p < nnz; p++) {
    const v = values[p]!;
    if (!(v >= valueMin)) valueMin = v;
    if (!(v <= valueMax)) valueMax = v;
  }
  let timestampMin = Number.NaN;
  let timestampMax = Number.NaN;
  const { timestamps } = data;
  if (timestamps !== undefined) {
    for (let p = 0; p < nnz; p++) {
      const t = timestamps[p]!;
      if (!(t >= timestampMin)) timestampMin = t;
      if (!(t <= timestampMax)) timestampMax = t;
    }
  }
  return {
    userCount: users,
    itemCount: items,
    interactionCount: nnz,
    density: users * items === 0 ? 0 : nnz / (users * items),
    valueMin,
    valueMax,
    hasTimestamps: timestamps !== undefined,
    timestampMin,
    timestampMax,
  };
}

/**
 * The interactions of one user.
 *
 * @category data
 */
export interface UserItems {
  /** The item ids, in item-index order. */
  readonly items: Id[];
  /** The value of each item. */
  readonly values: Float64Array;
  /** The timestamp of each item, or undefined when the dataset has none. */
  readonly timestamps: Float64Array | undefined;
}

/**
 * The items a user interacted with, with values and timestamps. O(items of the user).
 *
 * @param data - the interactions
 * @param user - the user id
 * @returns the user's items (empty arrays for a known user without interactions)
 * @throws {@link core!NextbestError} `E_UNKNOWN_ID` when the user is not in the dataset
 * @example
 * ```ts
 * import { createInteractions, userItems } from "nextbest/data";
 * const data = createInteractions([
 *   { user: "acme", item: "crm", value: 1, timestamp: 10 },
 *   { user: "acme", item: "erp", value: 2, timestamp: 20 },
 * ]);
 * userItems(data, "acme").items; // => ["crm", "erp"]
 * Array.from(userItems(data, "acme").timestamps ?? []); // => [10, 20]
 * ```
 * @category data
 */
export function userItems(data: Interactions, user: Id): UserItems {
  const u = data.users.lookup.get(user);
  if (u === undefined) {
    throw new NextbestError("E_UNKNOWN_ID", `userItems: user must be a user of the dataset, got ${describeValue(user)}`);
  }
  const { indptr, indices, values } = data.byUser;
  const start = indptr[u]!;
  const end = indptr[u + 1]!;
  const items: Id[] = new Array<Id>(end - start);
  for (let p = start; p < end; p++) items[p - start] = data.items.ids[indices[p]!]!;
  return {
    items,
    values: values.slice(start, end),
    timestamps: data.timestamps === undefined ? undefined : data.timestamps.slice(start, end),
  };
}

/**
 * The interactions with one item.
 *
 * @category data
 */
export interface ItemUsers {
  /** The user ids, in user-index order. */
  readonly users: Id[];
  /** The value of each interaction. */
  readonly values: Float64Array;
  /** The timestamp of each interaction, or undefined when the dataset has none. */
  readonly timestamps: Float64Array | undefined;
}

/**
 * The users who interacted with an item, with values and timestamps. O(d log m) for d users of the item
 * (timestamps are looked up in each user's row by binary search), O(d) without timestamps.
 *
 * @param data - the interactions
 * @param item - the item id
 * @returns the item's users (empty arrays for a known item without interactions)
 * @throws {@link core!NextbestError} `E_UNKNOWN_ID` when the item is not in the dataset
 * @example
 * ```ts
 * import { createInteractions, itemUsers } from "nextbest/data";
 * const data = createInteractions([{ user: "acme", item: "crm" }, { user: "globex", item: "crm", value: 3 }]);
 * itemUsers(data, "crm").users; // => ["acme", "globex"]
 * ```
 * @category data
 */
export function itemUsers(data: Interactions, item: Id): ItemUsers {
  const i = data.items.lookup.get(item);
  if (i === undefined) {
    throw new NextbestError("E_UNKNOWN_ID", `itemUsers: item must be an item of the dataset, got ${describeValue(item)}`);
  }
  const { indptr, indices, values } = data.byItem;
  const start = indptr[i]!;
  const end = indptr[i + 1]!;
  const users: Id[] = new Array<Id>(end - start);
  for (let p = start; p < end; p++) users[p - start] = data.users.ids[indices[p]!]!;
  let timestamps: Float64Array | undefined;
  if (data.timestamps !== undefined) {
    timestamps = new Float64Array(end - start);
    for (let p = start; p < end; p++) timestamps[p - start] = data.timestamps[entryPosition(data, indices[p]!, i)]!;
  }
  return { users, values: values.slice(start, end), timestamps };
}

// Position of (u, i) in byUser, or -1; binary search over the user's sorted columns.
function entryPosition(data: Interactions, u: number, i: number): number {
  const { indptr, indices } = data.byUser;
  let lo = indptr[u]!;
  let hi = indptr[u + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = indices[mid]!;
    if (c === i) return mid;
    if (c < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * The stored value of one (user, item) pair, or undefined when the user never interacted with the item.
 * O(log m) for m items of the user.
 *
 * @param data - the interactions
 * @param user - the user id
 * @param item - the item id
 * @returns the value, or undefined
 * @throws {@link core!NextbestError} `E_UNKNOWN_ID` when the user or the item is not in the dataset
 * @example
 * ```ts
 * import { createInteractions, interactionValue } from "nextbest/data";
 * const data = createInteractions([{ user: "a", item: "x", value: 4 }, { user: "b", item: "y" }]);
 * interactionValue(data, "a", "x"); // => 4
 * interactionValue(data, "a", "y"); // => undefined
 * ```
 * @category data
 */
export function interactionValue(data: Interactions, user: Id, item: Id): number | undefined {
  const u = data.users.lookup.get(user);
  if (u === undefined) {
    throw new NextbestError("E_UNKNOWN_ID", `interactionValue: user must be a user of the dataset, got ${describeValue(user)}`);
  }
  const i = data.items.lookup.get(item);
  if (i === undefined) {
    throw new NextbestError("E_UNKNOWN_ID", `interactionValue: item must be an item of the dataset, got ${describeValue(item)}`);
  }
  const p = entryPosition(data, u, i);
  return p < 0 ? undefined : data.byUser.values[p];
}

/**
 * The dataset back as rows, one per stored entry, ordered by user index then item index; with timestamps when
 * the dataset has them. `createInteractions(interactionsToRows(d), { users: d.users, items: d.items })` rebuilds
 * an equal dataset. O(nnz).
 *
 * @param data - the interactions
 * @returns new row objects
 * @example
 * ```ts
 * import { createInteractions, interactionsToRows } from "nextbest/data";
 * const data = createInteractions([{ user: "b", item: "x" }, { user: "a", item: "y", value: 2 }]);
 * interactionsToRows(data); // => [{ user: "b", item: "x", value: 1 }, { user: "a", item: "y", value: 2 }]
 * ```
 * @category data
 */
export function interactionsToRows(data: Interactions): InteractionRow[] {
  const { indptr, indices, values, rows } = data.byUser;
  const out: InteractionRow[] = [];
  for (let u = 0; u < rows; u++) {
    const user = data.users.ids[u]!;
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
      const item = data.items.ids[indices[p]!]!;
      out.push(
        data.timestamps === undefined
          ? { user, item, value: values[p]! }
          : { user, item, value: values[p]!, timestamp: data.timestamps[p]! },
      );
    }
  }
  return out;
}
