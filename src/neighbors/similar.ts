/**
 * Similar items and similar users from the stored neighbour lists of a neighbourhood model.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, type Id, type IdIndex } from "../core/id-index.ts";
import { assertInteger } from "../internal/validate.ts";
import { checkItemItemImplicitModel, type ItemItemImplicitModel } from "./item-item-implicit.ts";
import { checkKnnModel, type KnnModel } from "./knn.ts";

/**
 * Options of {@link similarItems} and {@link similarUsers}.
 *
 * @category neighbors
 */
export interface SimilarOptions {
  /** How many neighbours to return at most (fewer when fewer are stored). @defaultValue 10 */
  k?: number;
  /** An id the model does not know throws `E_UNKNOWN_ID` instead of giving an empty list. @defaultValue false */
  strict?: boolean;
}

/**
 * One neighbour of an item or a user.
 *
 * @category neighbors
 */
export interface SimilarEntry {
  /** The neighbour's external id. */
  readonly id: Id;
  /** Its similarity (as stored by the model: positive, higher is more similar). */
  readonly similarity: number;
  /** 1 for the most similar, then 2, 3, ... */
  readonly rank: number;
}

function listOf(fn: string, entities: IdIndex, indptr: Int32Array, indices: Int32Array, similarities: Float64Array, id: Id, options: SimilarOptions, what: string): SimilarEntry[] {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const k = options.k ?? 10;
  assertInteger(fn, "options.k", k, 1, Number.MAX_SAFE_INTEGER);
  const strict = options.strict ?? false;
  if (typeof strict !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: options.strict must be a boolean, got ${describeValue(strict)}`);
  checkId(fn, what, id);
  const e = entities.lookup.get(id);
  if (e === undefined) {
    if (strict) throw new NextbestError("E_UNKNOWN_ID", `${fn}: ${what} must be known to the model, got ${describeValue(id)}`);
    return [];
  }
  const start = indptr[e]!;
  const end = Math.min(indptr[e + 1]!, start + k);
  const out: SimilarEntry[] = [];
  for (let p = start; p < end; p++) out.push({ id: entities.ids[indices[p]!]!, similarity: similarities[p]!, rank: p - start + 1 });
  return out;
}

/**
 * The items most similar to an item, from an item-based kNN model or an implicit item-item model: the first k of its
 * stored neighbour list, most similar first (ties by item index). An unknown item gives an empty list (or throws,
 * with `strict`).
 *
 * Complexity: O(k) after an O(1) id lookup.
 *
 * @param model - an item-based {@link KnnModel} or an {@link ItemItemImplicitModel}
 * @param item - the item id
 * @param options - k (default 10) and strict
 * @returns at most k entries `{ id, similarity, rank }`
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a malformed model; `E_BAD_INPUT` for a user-based kNN model
 *   (use {@link similarUsers}), a bad id or option; `E_UNKNOWN_ID` for an unknown item with `strict`
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitItemItemImplicit, similarItems } from "nextbest/neighbors";
 * const purchases = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "acme", item: "erp" },
 *   { user: "globex", item: "crm" }, { user: "globex", item: "erp" }, { user: "globex", item: "bi" },
 * ]);
 * const model = fitItemItemImplicit(purchases);
 * // crm and erp share both buyers (cosine 1), crm and bi one of two (cosine 1 / sqrt 2)
 * similarItems(model, "crm").map((e) => [e.id, e.similarity.toFixed(4), e.rank]); // => [["erp", "1.0000", 1], ["bi", "0.7071", 2]]
 * similarItems(model, "hr"); // => []
 * ```
 * @category neighbors
 */
export function similarItems(model: KnnModel | ItemItemImplicitModel, item: Id, options: SimilarOptions = {}): SimilarEntry[] {
  const fn = "similarItems";
  const kind = (model as { kind?: unknown } | null)?.kind;
  if (kind === "item-item-implicit") checkItemItemImplicitModel(fn, model);
  else {
    checkKnnModel(fn, model);
    if (model.basis !== "item") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: model must be item-based (basis "item"), got basis "user" (use similarUsers)`);
    }
  }
  return listOf(fn, model.items, model.neighborIndptr, model.neighborIndices, model.neighborSimilarities, item, options, "item");
}

/**
 * The users most similar to a user, from a user-based kNN model: the first k of the user's stored neighbour list,
 * most similar first. An unknown user gives an empty list (or throws, with `strict`).
 *
 * Complexity: O(k) after an O(1) id lookup.
 *
 * @param model - a user-based {@link KnnModel}
 * @param user - the user id
 * @param options - k (default 10) and strict
 * @returns at most k entries `{ id, similarity, rank }`
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a malformed model; `E_BAD_INPUT` for an item-based model, a bad
 *   id or option; `E_UNKNOWN_ID` for an unknown user with `strict`
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitUserKnn, similarUsers } from "nextbest/neighbors";
 * const ratings = createInteractions([
 *   { user: "acme", item: "crm", value: 4 }, { user: "globex", item: "crm", value: 2 },
 * ]);
 * // one co-rated item: cosine over it is 8 / (4 * 2) = 1
 * similarUsers(fitUserKnn(ratings, { similarity: "cosine" }), "acme"); // => [{ id: "globex", similarity: 1, rank: 1 }]
 * ```
 * @category neighbors
 */
export function similarUsers(model: KnnModel, user: Id, options: SimilarOptions = {}): SimilarEntry[] {
  const fn = "similarUsers";
  checkKnnModel(fn, model);
  if (model.basis !== "user") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: model must be user-based (basis "user"), got basis "item" (use similarItems)`);
  }
  return listOf(fn, model.users, model.neighborIndptr, model.neighborIndices, model.neighborSimilarities, user, options, "user");
}
