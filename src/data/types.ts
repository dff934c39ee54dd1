/**
 * The interaction data model shared by every recommender, split and metric.
 *
 * @module
 */
import type { Id, IdIndex } from "../core/id-index.ts";
import type { CsrMatrix } from "../linalg/types.ts";
import type { TimeUnit } from "../internal/time.ts";

/**
 * An interactions dataset: who interacted with what, how strongly, and when.
 *
 * Rows are users (accounts), columns are items (products). `byUser` holds one stored entry per distinct
 * (user, item) pair after the duplicate policy was applied; `byItem` is its transpose. `timestamps`, when present,
 * is aligned with `byUser.values` (one timestamp per stored entry: the latest one of merged duplicates).
 * Build one with `createInteractions` (or a reader such as `parseInteractionsCsv`).
 *
 * @category data
 */
export interface Interactions {
  /** User (account) ids ↔ row indices. */
  readonly users: IdIndex;
  /** Item (product) ids ↔ column indices. */
  readonly items: IdIndex;
  /** The user × item matrix (values = ratings, counts or spend; 1 when the rows had no value). */
  readonly byUser: CsrMatrix;
  /** The item × user matrix, the transpose of `byUser`. */
  readonly byItem: CsrMatrix;
  /** One timestamp per stored entry of `byUser` (same order), or undefined when the rows had none. */
  readonly timestamps: Float64Array | undefined;
  /**
   * Every event behind the stored entries, when the rows had timestamps (absent otherwise): the rows a pair merged
   * from, each with its own value and time. Temporal splits cut these events, not the merged pairs, so a product
   * bought before and after a cut-off counts on both sides; repeat-purchase models read each purchase from them.
   */
  readonly events?: InteractionEvents;
  /**
   * The unit of `timestamps`, set by whoever built the dataset: `"milliseconds"` by the readers for ISO 8601 dates,
   * the `timeUnit` option of `createInteractions` and the readers for numeric timestamps; absent when unknown. Models
   * that measure ages in days (recency weights, repeat cycles, content profiles) read it, and an explicit `timeUnit`
   * option that contradicts it is an error.
   */
  readonly timeUnit?: TimeUnit;
}

/**
 * The events (input rows) behind an {@link Interactions} dataset's stored entries, in compressed form: the events
 * of stored entry `p` (the `p`-th entry of `byUser`) are positions `indptr[p]` to `indptr[p + 1] - 1` of `values`
 * and `timestamps`, in time order (ties in input order). Merging an entry's events by `duplicates` gives its stored
 * value; its stored timestamp is the latest event's.
 *
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * const data = createInteractions([
 *   { user: "acme", item: "crm", value: 2, timestamp: 30 },
 *   { user: "acme", item: "crm", value: 1, timestamp: 10 },
 * ]);
 * Array.from(data.byUser.values); // => [3]
 * Array.from(data.events!.timestamps); // => [10, 30]
 * Array.from(data.events!.values); // => [1, 2]
 * ```
 * @category data
 */
export interface InteractionEvents {
  /** Offsets: the events of stored entry `p` are `indptr[p]` … `indptr[p + 1] - 1`; length = stored entries + 1. */
  readonly indptr: Int32Array;
  /** Each event's value (1 for a row without a value). */
  readonly values: Float64Array;
  /** Each event's timestamp, ascending within an entry. */
  readonly timestamps: Float64Array;
  /** The duplicate policy that merged each entry's events into its stored value. */
  readonly duplicates: "sum" | "last" | "max" | "error";
}

/**
 * One interaction row as a reader or caller supplies it.
 *
 * @category data
 */
export interface InteractionRow {
  /** The user (account) id. */
  readonly user: Id;
  /** The item (product) id. */
  readonly item: Id;
  /** Rating, count, spend, or any strength; 1 when omitted. */
  readonly value?: number;
  /** Seconds or milliseconds since the epoch, or any increasing number; required by temporal splits. */
  readonly timestamp?: number;
}
