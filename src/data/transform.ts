/**
 * Value transforms: how counts, quantities and spend enter a model.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { assertInRange } from "../internal/validate.ts";
import { freezeInteractions } from "./build.ts";
import { checkInteractions, checkOptions } from "./split-common.ts";
import type { Interactions } from "./types.ts";

/**
 * How interaction values (counts, quantities, spend) are turned into model inputs:
 * - `"raw"`: as they are.
 * - `"binary"`: 1 for every stored pair (bought or not): a few large orders cannot dominate.
 * - `"log1p"`: log(1 + value), for values >= 0: repeat counts still count, with diminishing weight.
 * - `"bm25"`: Okapi BM25 weighting of each account's row (Robertson & Zaragoza 2009; implicit's `bm25_weight`):
 *   value · (K1 + 1) / (K1 · L_u + value) · idf(item), with L_u = (1 − B) + B · (account's value sum) / (mean sum)
 *   and idf(item) = log(accounts) − log(1 + accounts that bought the item): saturates large values and discounts
 *   products everyone buys.
 * - `"tfidf"`: sqrt(value) · idf(item) (implicit's `tfidf_weight`).
 *
 * @category data
 */
export type ValueTransform = "raw" | "binary" | "log1p" | "bm25" | "tfidf";

/** Every {@link ValueTransform}. @category data */
export const VALUE_TRANSFORMS: readonly ValueTransform[] = ["raw", "binary", "log1p", "bm25", "tfidf"];

/**
 * Options of {@link transformValues}.
 *
 * @category data
 */
export interface TransformValuesOptions {
  /** BM25's saturation K1 (> 0; only for `"bm25"`). @defaultValue 100 (implicit's bm25_weight) */
  bm25K1?: number;
  /** BM25's length normalisation B in [0, 1] (only for `"bm25"`). @defaultValue 0.8 (implicit's bm25_weight) */
  bm25B?: number;
}

/**
 * The same interactions with every stored value transformed (see {@link ValueTransform}); ids, pattern and
 * timestamps are shared with the input, which is not changed. The result has no `events` (they keep the raw values):
 * split first, then transform each part (model fit functions take a `values` option and do it for you).
 * O(stored pairs + users + items).
 *
 * @param data - the interactions
 * @param transform - the transform
 * @param options - BM25 parameters
 * @returns the transformed interactions
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for an unknown transform or bad option, and for a negative value
 *   under `"log1p"`, `"bm25"` or `"tfidf"` (naming the account and product)
 * @example
 * ```ts
 * import { createInteractions, transformValues, userItems } from "nextbest/data";
 * const data = createInteractions([
 *   { user: "acme", item: "tea", value: 3 }, { user: "acme", item: "mug", value: 1 }, { user: "bolt", item: "tea", value: 12 },
 * ]);
 * Array.from(userItems(transformValues(data, "binary"), "bolt").values); // => [1]
 * Array.from(userItems(transformValues(data, "log1p"), "acme").values).map((v) => v.toFixed(3)); // => ["1.386", "0.693"]
 * ```
 * @category data
 */
export function transformValues(data: Interactions, transform: ValueTransform, options: TransformValuesOptions = {}): Interactions {
  const fn = "transformValues";
  checkInteractions(fn, "data", data);
  checkOptions(fn, options);
  if (!(VALUE_TRANSFORMS as readonly unknown[]).includes(transform)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: transform must be one of ${VALUE_TRANSFORMS.map((t) => JSON.stringify(t)).join(", ")}, got ${describeValue(transform)}`);
  }
  const k1 = options.bm25K1 ?? 100;
  if (typeof k1 !== "number" || !(k1 > 0) || !Number.isFinite(k1)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.bm25K1 must be a finite number > 0, got ${describeValue(k1)}`);
  }
  const b = options.bm25B ?? 0.8;
  assertInRange(fn, "options.bm25B", b, 0, 1);
  const { byUser } = data;
  if (transform === "raw") return freezeInteractions(data.users, data.items, byUser, data.timestamps, undefined, data.timeUnit);
  const { indptr, indices, values, rows, cols } = byUser;
  const nnz = indptr[rows]!;
  const out = new Float64Array(nnz);
  if (transform !== "binary") {
    for (let u = 0; u < rows; u++) {
      for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
        if (!(values[p]! >= 0)) {
          throw new NextbestError(
            "E_BAD_INPUT",
            `${fn}: data values must be >= 0 for "${transform}", got ${describeValue(values[p])} for user ${describeValue(data.users.ids[u])}, item ${describeValue(data.items.ids[indices[p]!])}`,
          );
        }
      }
    }
  }
  if (transform === "binary") out.fill(1);
  else if (transform === "log1p") for (let p = 0; p < nnz; p++) out[p] = Math.log1p(values[p]!);
  else {
    const idf = new Float64Array(cols);
    const logUsers = Math.log(rows);
    const itemIndptr = data.byItem.indptr;
    for (let i = 0; i < cols; i++) idf[i] = logUsers - Math.log1p(itemIndptr[i + 1]! - itemIndptr[i]!);
    if (transform === "tfidf") {
      for (let p = 0; p < nnz; p++) out[p] = Math.sqrt(values[p]!) * idf[indices[p]!]!;
    } else {
      let total = 0;
      for (let p = 0; p < nnz; p++) total += values[p]!;
      const meanLength = total / rows;
      for (let u = 0; u < rows; u++) {
        let length = 0;
        for (let p = indptr[u]!; p < indptr[u + 1]!; p++) length += values[p]!;
        const norm = meanLength > 0 ? 1 - b + (b * length) / meanLength : 1;
        for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
          const v = values[p]!;
          out[p] = ((v * (k1 + 1)) / (k1 * norm + v)) * idf[indices[p]!]!;
        }
      }
    }
  }
  return freezeInteractions(data.users, data.items, { rows, cols, indptr, indices, values: out }, data.timestamps, undefined, data.timeUnit);
}
