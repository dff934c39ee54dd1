/**
 * The interaction data model shared by every recommender, split and metric.
 *
 * @module
 */
import type { Id, IdIndex } from "../core/id-index.ts";
import type { CsrMatrix } from "../linalg/types.ts";

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
