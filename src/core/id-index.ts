/**
 * External ids ↔ dense indices.
 *
 * @module
 */
import { NextbestError, describeValue } from "./errors.ts";

/**
 * An external id of a user, account, item or product: any string (including `""`, `"__proto__"`,
 * `"constructor"` and any Unicode) or any finite number. `1` and `"1"` are different ids.
 *
 * @category core
 */
export type Id = string | number;

/**
 * A bijection between external ids and dense indices 0..size-1, in first-seen order.
 * Backed by a `Map`, so no id collides with `Object.prototype`. Build one with {@link createIdIndex};
 * serialize with {@link idIndexToJSON}.
 *
 * @category core
 */
export interface IdIndex {
  /** The ids; `ids[i]` is the id of index `i`. */
  readonly ids: readonly Id[];
  /** From id to index. */
  readonly lookup: ReadonlyMap<Id, number>;
}

/** The JSON form of an {@link IdIndex}: the ids in index order. @category core */
export interface IdIndexJSON {
  /** The ids in index order. */
  readonly ids: Id[];
}

/** Options of {@link createIdIndex}. @category core */
export interface CreateIdIndexOptions {
  /**
   * What a repeated id does: `"first"` keeps its first index (the usual case when indexing the ids of interaction
   * rows), `"error"` throws `E_DUPLICATE` (for lists that must be unique, such as a catalog).
   * @defaultValue "first"
   */
  duplicates?: "first" | "error";
}

/** Throws unless `id` is a string or a finite number. @internal */
export function checkId(fn: string, name: string, id: unknown): asserts id is Id {
  if (typeof id === "string") return;
  if (typeof id === "number") {
    if (Number.isFinite(id)) return;
    throw new NextbestError("E_NON_FINITE", `${fn}: ${name} must be a string or a finite number, got ${describeValue(id)}`);
  }
  throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a string or a finite number, got ${describeValue(id)}`);
}

/**
 * Builds an id index from ids in first-seen order.
 *
 * @param ids - the ids; each must be a string or a finite number
 * @param options - duplicate policy
 * @returns a frozen id index
 * @throws {@link NextbestError} `E_BAD_INPUT` / `E_NON_FINITE` for an invalid id (naming its position),
 *   `E_DUPLICATE` for a repeated id when `duplicates: "error"`
 * @example
 * ```ts
 * import { createIdIndex, indexOfId } from "nextbest/core";
 * const accounts = createIdIndex(["acme", "__proto__", "acme", "globex"]);
 * accounts.ids; // => ["acme", "__proto__", "globex"]
 * indexOfId(accounts, "__proto__"); // => 1
 * ```
 * @category core
 */
export function createIdIndex(ids: Iterable<Id>, options: CreateIdIndexOptions = {}): IdIndex {
  const policy = options.duplicates ?? "first";
  if (policy !== "first" && policy !== "error") {
    throw new NextbestError(
      "E_BAD_INPUT",
      `createIdIndex: options.duplicates must be "first" or "error", got ${describeValue(policy)}`,
    );
  }
  const list: Id[] = [];
  const lookup = new Map<Id, number>();
  let position = 0;
  for (const id of ids) {
    checkId("createIdIndex", `ids[${position}]`, id);
    if (lookup.has(id)) {
      if (policy === "error") {
        throw new NextbestError(
          "E_DUPLICATE",
          `createIdIndex: ids must be unique, got ${describeValue(id)} again at position ${position}`,
        );
      }
    } else {
      lookup.set(id, list.length);
      list.push(id);
    }
    position++;
  }
  return Object.freeze({ ids: Object.freeze(list), lookup });
}

/**
 * An id index of ids that must be unique (a catalog's products, an account table's accounts), its errors worded for
 * the public function `fn` the user called and the argument path `name` of the ids they passed, as in
 * `fitContentRecommender: catalog.ids[2] must be unique, got "crm", which repeats catalog.ids[0]`. @internal
 */
export function uniqueIdIndex(fn: string, name: string, ids: readonly unknown[]): IdIndex {
  const list: Id[] = [];
  const lookup = new Map<Id, number>();
  for (let position = 0; position < ids.length; position++) {
    const id = ids[position];
    checkId(fn, `${name}[${position}]`, id);
    const first = lookup.get(id);
    if (first !== undefined) {
      // `first` is the index in the list, which is the position too: every earlier id was unique.
      throw new NextbestError("E_DUPLICATE", `${fn}: ${name}[${position}] must be unique, got ${describeValue(id)}, which repeats ${name}[${first}]`);
    }
    lookup.set(id, list.length);
    list.push(id);
  }
  return Object.freeze({ ids: Object.freeze(list), lookup });
}

/**
 * The index of an id, or -1 when the id is not in the index.
 *
 * @param index - the id index
 * @param id - the external id
 * @returns its dense index, or -1
 * @example
 * ```ts
 * import { createIdIndex, indexOfId } from "nextbest/core";
 * indexOfId(createIdIndex(["a", "b"]), "b"); // => 1
 * indexOfId(createIdIndex(["a", "b"]), "z"); // => -1
 * ```
 * @category core
 */
export function indexOfId(index: IdIndex, id: Id): number {
  return index.lookup.get(id) ?? -1;
}

/**
 * The id at a dense index.
 *
 * @param index - the id index
 * @param position - a dense index in [0, size)
 * @returns the external id
 * @throws {@link NextbestError} `E_BAD_INPUT` when the position is out of range
 * @example
 * ```ts
 * import { createIdIndex, idAt } from "nextbest/core";
 * idAt(createIdIndex(["a", "b"]), 0); // => "a"
 * ```
 * @category core
 */
export function idAt(index: IdIndex, position: number): Id {
  const id = Number.isInteger(position) ? index.ids[position] : undefined;
  if (id === undefined) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `idAt: position must be an integer in [0, ${index.ids.length}), got ${describeValue(position)}`,
    );
  }
  return id;
}

/**
 * The JSON form of an id index.
 *
 * @param index - the id index
 * @returns `{ ids }`, ready for `JSON.stringify`
 * @example
 * ```ts
 * import { createIdIndex, idIndexToJSON } from "nextbest/core";
 * JSON.stringify(idIndexToJSON(createIdIndex(["a", 2]))); // => '{"ids":["a",2]}'
 * ```
 * @category core
 */
export function idIndexToJSON(index: IdIndex): IdIndexJSON {
  return { ids: index.ids.slice() };
}

/**
 * Rebuilds an id index from its JSON form, validating it.
 *
 * @param json - the parsed JSON
 * @returns the id index
 * @throws {@link NextbestError} `E_BAD_MODEL` when the JSON is not an object with a unique `ids` array of
 *   strings and finite numbers
 * @example
 * ```ts
 * import { idIndexFromJSON, indexOfId } from "nextbest/core";
 * indexOfId(idIndexFromJSON(JSON.parse('{"ids":["a","b"]}')), "b"); // => 1
 * ```
 * @category core
 */
export function idIndexFromJSON(json: unknown): IdIndex {
  const ids = (json as { ids?: unknown } | null)?.ids;
  if (typeof json !== "object" || json === null || !Array.isArray(ids)) {
    throw new NextbestError("E_BAD_MODEL", `idIndexFromJSON: json must be an object with an ids array, got ${describeValue(json)}`);
  }
  try {
    return createIdIndex(ids as Id[], { duplicates: "error" });
  } catch (error) {
    if (error instanceof NextbestError) {
      throw new NextbestError("E_BAD_MODEL", error.message.replace("createIdIndex", "idIndexFromJSON"));
    }
    throw error;
  }
}
