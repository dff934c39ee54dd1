// Internal: the one boundary check of an Interactions argument. Datasets built by nextbest (createInteractions, the
// readers, splits, transforms) carry a non-enumerable brand set where they are assembled (`freezeInteractions`) and
// pass in O(1); any other object (hand-built, spread into a copy, parsed from JSON, structured-cloned) gets the full
// O(users + items + entries) check, so a NaN value, an index out of range, a decreasing offset or a `byItem` that
// disagrees with `byUser` is an error naming the function called and the field, never a silently broken model.
// Not exported from the barrel.
import { NextbestError, describeValue } from "../core/errors.ts";
import type { IdIndex } from "../core/id-index.ts";
import type { CsrMatrix } from "../linalg/types.ts";
import type { Interactions } from "./types.ts";

/** The brand `freezeInteractions` sets (shared across copies of the library loaded side by side). */
export const VALIDATED_INTERACTIONS: unique symbol = Symbol.for("nextbest.interactions.validated") as never;

/** Marks `data` (not yet frozen) as built by nextbest: a non-enumerable property, so a spread copy loses it. */
export function brandInteractions<T extends object>(data: T): T {
  Object.defineProperty(data, VALIDATED_INTERACTIONS, { value: true, enumerable: false });
  return data;
}

/** Whether a value has the shape of an IdIndex (`ids` array, `lookup` Map). @internal */
export function isIdIndex(value: unknown): value is IdIndex {
  const index = value as { ids?: unknown; lookup?: unknown } | null;
  return typeof index === "object" && index !== null && Array.isArray(index.ids) && index.lookup instanceof Map;
}

function isCsr(value: unknown): value is CsrMatrix {
  const m = value as Partial<CsrMatrix> | null;
  return (
    typeof m === "object" &&
    m !== null &&
    typeof m.rows === "number" &&
    typeof m.cols === "number" &&
    m.indptr instanceof Int32Array &&
    m.indices instanceof Int32Array &&
    m.values instanceof Float64Array
  );
}

/**
 * Throws unless `data` is an Interactions dataset (`name` is the argument path the user passed, as in "interactions"
 * or "train"): O(1) for a dataset nextbest built, a full check of every offset, index, value, timestamp and of the
 * transpose otherwise. `E_EMPTY` when it has no users or no items and `allowEmpty` is false.
 */
export function validateInteractions(fn: string, name: string, data: unknown, allowEmpty = false): asserts data is Interactions {
  const d = data as Partial<Interactions> | null;
  if (typeof d !== "object" || d === null || !isIdIndex(d.users) || !isIdIndex(d.items) || !isCsr(d.byUser) || !isCsr(d.byItem)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be an Interactions dataset (from createInteractions), got ${describeValue(data)}`);
  }
  const users = d.users!.ids.length;
  const items = d.items!.ids.length;
  const byUser = d.byUser;
  const byItem = d.byItem;
  if (byUser.rows !== users || byUser.cols !== items || byUser.indptr.length !== users + 1) {
    throw new NextbestError(
      "E_SHAPE",
      `${fn}: ${name}.byUser must be ${users} users × ${items} items (indptr of length ${users + 1}), got ${byUser.rows} × ${byUser.cols} (indptr of length ${byUser.indptr.length})`,
    );
  }
  if (byItem.rows !== items || byItem.cols !== users || byItem.indptr.length !== items + 1) {
    throw new NextbestError(
      "E_SHAPE",
      `${fn}: ${name}.byItem must be ${items} items × ${users} users (indptr of length ${items + 1}), got ${byItem.rows} × ${byItem.cols} (indptr of length ${byItem.indptr.length})`,
    );
  }
  if (!allowEmpty && users === 0) throw new NextbestError("E_EMPTY", `${fn}: ${name} must hold at least one user, got 0 users`);
  if (!allowEmpty && items === 0) throw new NextbestError("E_EMPTY", `${fn}: ${name} must hold at least one item, got 0 items`);
  if (d.timeUnit !== undefined && d.timeUnit !== "seconds" && d.timeUnit !== "milliseconds") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}.timeUnit must be "seconds", "milliseconds" or absent, got ${describeValue(d.timeUnit)}`);
  }
  if ((d as Record<PropertyKey, unknown>)[VALIDATED_INTERACTIONS] === true) return;
  checkRows(fn, `${name}.byUser`, byUser, "user", "item");
  checkRows(fn, `${name}.byItem`, byItem, "item", "user");
  const nnz = byUser.indptr[users]!;
  if (byItem.indptr[items] !== nnz) {
    throw new NextbestError("E_SHAPE", `${fn}: ${name}.byItem must be the transpose of ${name}.byUser (${nnz} entries), got ${byItem.indptr[items]} entries`);
  }
  checkTranspose(fn, name, byUser, byItem);
  const timestamps = d.timestamps;
  if (timestamps !== undefined) {
    if (!(timestamps instanceof Float64Array) || timestamps.length < nnz) {
      throw new NextbestError("E_SHAPE", `${fn}: ${name}.timestamps must be a Float64Array with one timestamp per entry (${nnz}), got ${describeValue(timestamps)}`);
    }
    for (let p = 0; p < nnz; p++) {
      if (!Number.isFinite(timestamps[p]!)) {
        throw new NextbestError("E_NON_FINITE", `${fn}: ${name}.timestamps[${p}] must be finite, got ${describeValue(timestamps[p])}`);
      }
    }
  }
  if (d.events !== undefined) checkEvents(fn, name, d.events, nnz);
}

// Offsets from 0, never decreasing, within the arrays; indices in range and strictly increasing per row; values finite.
function checkRows(fn: string, path: string, m: CsrMatrix, rowName: string, colName: string): void {
  const { rows, cols, indptr, indices, values } = m;
  if (indptr[0] !== 0) throw new NextbestError("E_BAD_INPUT", `${fn}: ${path}.indptr[0] must be 0, got ${describeValue(indptr[0])}`);
  const nnz = indptr[rows]!;
  if (nnz > indices.length || nnz > values.length) {
    throw new NextbestError(
      "E_SHAPE",
      `${fn}: ${path}.indptr[${rows}] (${nnz} entries) must not exceed the lengths of indices (${indices.length}) and values (${values.length})`,
    );
  }
  for (let r = 0; r < rows; r++) {
    const from = indptr[r]!;
    const to = indptr[r + 1]!;
    if (to < from) throw new NextbestError("E_BAD_INPUT", `${fn}: ${path}.indptr must never decrease, got ${to} after ${from} at ${rowName} row ${r}`);
    let previous = -1;
    for (let p = from; p < to; p++) {
      const c = indices[p]!;
      if (c < 0 || c >= cols) {
        throw new NextbestError("E_BAD_INPUT", `${fn}: ${path}.indices[${p}] (${rowName} row ${r}) must be a ${colName} index in [0, ${cols - 1}], got ${c}`);
      }
      if (c <= previous) {
        throw new NextbestError("E_BAD_INPUT", `${fn}: ${path}.indices must increase within a row, got ${c} after ${previous} at ${rowName} row ${r}`);
      }
      previous = c;
      if (!Number.isFinite(values[p]!)) {
        throw new NextbestError("E_NON_FINITE", `${fn}: ${path}.values[${p}] (${rowName} row ${r}) must be finite, got ${describeValue(values[p])}`);
      }
    }
  }
}

// byItem must hold exactly byUser's entries: walk byUser row by row and byItem through a cursor per item (both are
// sorted, so user u's entry for item i is the next unread entry of item i's row).
function checkTranspose(fn: string, name: string, byUser: CsrMatrix, byItem: CsrMatrix): void {
  const cursor = byItem.indptr.slice(0, byItem.rows);
  for (let u = 0; u < byUser.rows; u++) {
    for (let p = byUser.indptr[u]!; p < byUser.indptr[u + 1]!; p++) {
      const i = byUser.indices[p]!;
      const q = cursor[i]!;
      if (q >= byItem.indptr[i + 1]! || byItem.indices[q] !== u || !Object.is(byItem.values[q], byUser.values[p])) {
        throw new NextbestError(
          "E_BAD_INPUT",
          `${fn}: ${name}.byItem must be the transpose of ${name}.byUser, but user row ${u}, item column ${i} (value ${byUser.values[p]}) is missing or different in byItem`,
        );
      }
      cursor[i] = q + 1;
    }
  }
}

function checkEvents(fn: string, name: string, events: unknown, nnz: number): void {
  const e = events as { indptr?: unknown; values?: unknown; timestamps?: unknown } | null;
  if (
    typeof e !== "object" ||
    e === null ||
    !(e.indptr instanceof Int32Array) ||
    !(e.values instanceof Float64Array) ||
    !(e.timestamps instanceof Float64Array) ||
    e.indptr.length !== nnz + 1
  ) {
    throw new NextbestError(
      "E_SHAPE",
      `${fn}: ${name}.events must be { indptr: Int32Array of length ${nnz + 1}, values, timestamps: Float64Array }, got ${describeValue(events)}`,
    );
  }
  const { indptr, values, timestamps } = e;
  const count = indptr[nnz]!;
  if (indptr[0] !== 0 || count > values.length || count > timestamps.length) {
    throw new NextbestError("E_SHAPE", `${fn}: ${name}.events.indptr must run from 0 to at most the events' length (${values.length}), got ${indptr[0]} to ${count}`);
  }
  for (let p = 0; p < nnz; p++) {
    if (indptr[p + 1]! <= indptr[p]!) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${name}.events.indptr must increase (every entry has an event), got ${indptr[p + 1]} after ${indptr[p]} at entry ${p}`);
    }
  }
  for (let k = 0; k < count; k++) {
    if (!Number.isFinite(values[k]!) || !Number.isFinite(timestamps[k]!)) {
      throw new NextbestError(
        "E_NON_FINITE",
        `${fn}: ${name}.events values and timestamps must be finite, got value ${describeValue(values[k])} and timestamp ${describeValue(timestamps[k])} at event ${k}`,
      );
    }
  }
}
