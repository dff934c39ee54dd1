/**
 * Interop with Spark MLlib's ALS: factor tables as JSON lines, one `{"id": ..., "features": [...]}` object per line.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { createIdIndex, type Id } from "../core/id-index.ts";
import type { Interactions } from "../data/types.ts";
import { checkInteractions, checkOptions, numberOption } from "./internal.ts";
import type { ImplicitAlsModel } from "./implicit-als.ts";

/**
 * Input of {@link alsFromSparkJsonLines}: the two factor tables of a Spark `ALSModel` written as JSON lines
 * (`model.userFactors.write.json(path)` and `model.itemFactors.write.json(path)`; concatenate the part files), plus
 * what Spark's tables do not carry.
 *
 * @category factorization
 */
export interface SparkAlsJsonLines {
  /** The user factor table: one `{"id": <user id>, "features": [<rank floats>]}` per line; blank lines are skipped. */
  userFactors: string;
  /** The item factor table, same layout and the same rank. */
  itemFactors: string;
  /**
   * The training interactions, to fill the model's seen items (for seen-item filtering and the popularity fallback);
   * pairs whose user or item is not in the tables are ignored. Ids must match the tables' ids exactly (Spark ids are
   * numbers, so read the interactions with numeric ids). @defaultValue undefined (no seen items)
   */
  interactions?: Interactions;
  /** The `alpha` the Spark model was trained with, used by {@link foldInUser}. @defaultValue 1 (Spark's default) */
  alpha?: number;
  /** The `regParam` the Spark model was trained with, used by {@link foldInUser}. @defaultValue 0.1 (Spark's default) */
  regularization?: number;
}

/**
 * The two JSON-lines tables of {@link alsToSparkJsonLines}.
 *
 * @category factorization
 */
export interface SparkAlsTables {
  /** One `{"id": ..., "features": [...]}` line per user, newline-terminated. */
  readonly userFactors: string;
  /** One line per item. */
  readonly itemFactors: string;
}

interface ParsedTable {
  ids: Id[];
  data: Float32Array;
  rank: number;
}

function parseTable(fn: string, name: string, text: unknown, rank: number | undefined): ParsedTable {
  if (typeof text !== "string") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a string of JSON lines, got ${describeValue(text)}`);
  }
  const ids: Id[] = [];
  const features: number[] = [];
  let r = rank;
  const lines = text.split(/\r?\n/);
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]!.trim();
    if (line === "") continue;
    const at = `${name} line ${l + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${at} must be a JSON object, got ${describeValue(line.length > 60 ? `${line.slice(0, 60)}…` : line)}`);
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${at} must be a JSON object {"id", "features"}, got ${describeValue(row)}`);
    }
    const record = row as Record<string, unknown>;
    const id = record["id"];
    if (!((typeof id === "number" && Number.isFinite(id)) || typeof id === "string")) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${at}.id must be a number or a string, got ${describeValue(id)}`);
    }
    const values = record["features"];
    if (!Array.isArray(values)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${at}.features must be an array of numbers, got ${describeValue(values)}`);
    }
    if (r === undefined) {
      if (values.length === 0) throw new NextbestError("E_BAD_INPUT", `${fn}: ${at}.features must not be empty, got []`);
      r = values.length;
    }
    if (values.length !== r) {
      throw new NextbestError("E_SHAPE", `${fn}: ${at}.features must have the rank ${r} of the first row, got length ${values.length}`);
    }
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (typeof v !== "number" || !Number.isFinite(v) || Math.abs(v) > 3.4e38) {
        throw new NextbestError(typeof v === "number" ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: ${at}.features[${k}] must be a finite number, got ${describeValue(v)}`);
      }
      features.push(v);
    }
    ids.push(id);
  }
  if (ids.length === 0) throw new NextbestError("E_EMPTY", `${fn}: ${name} must hold at least one row, got none`);
  return { ids, data: Float32Array.from(features), rank: r! };
}

function indexOrDuplicate(fn: string, name: string, ids: Id[]): ReturnType<typeof createIdIndex> {
  const index = createIdIndex(ids);
  if (index.ids.length === ids.length) return index;
  // A repeated id (the index kept its first row): find it again to name it.
  const seen = new Set<Id>();
  for (let i = 0; i < ids.length; i++) {
    if (seen.has(ids[i]!)) {
      throw new NextbestError("E_DUPLICATE", `${fn}: ${name} ids must be unique, got ${describeValue(ids[i])} twice (row ${i})`);
    }
    seen.add(ids[i]!);
  }
  return index;
}

/**
 * Builds an {@link ImplicitAlsModel} from the factor tables a Spark MLlib `ALSModel` writes as JSON lines
 * (`{"id": 12, "features": [0.1, ...]}` per line; Spark's `ALSModel.userFactors` / `itemFactors` DataFrames with
 * columns `id: int` and `features: array<float>`), so factors trained on a cluster can be served, blended and
 * explained here. Rows keep the file order; the factors are stored as Float32Array, as Spark stores them.
 *
 * Complexity: O((users + items) · rank + nnz of `interactions`).
 *
 * @param tables - the two JSON-lines texts and optional training interactions, α and λ
 * @returns a new frozen implicit ALS model (hyperparameters record 0 iterations: it was not trained here)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` naming the line of a malformed row, `E_SHAPE` when ranks differ,
 *   `E_NON_FINITE` for a non-finite feature, `E_DUPLICATE` for a repeated id, `E_EMPTY` for an empty table
 * @example
 * ```ts
 * import { alsFromSparkJsonLines, implicitAlsRecommender } from "nextbest/factorization";
 * import { recommend } from "nextbest/recommend";
 * const model = alsFromSparkJsonLines({
 *   userFactors: '{"id":1,"features":[1.0,0.0]}\n{"id":2,"features":[0.0,1.0]}\n',
 *   itemFactors: '{"id":10,"features":[0.5,0.1]}\n{"id":20,"features":[0.2,0.9]}\n',
 * });
 * recommend(implicitAlsRecommender(model), 2, { k: 1 }).items[0]!.item; // => 20
 * alsFromSparkJsonLines({ userFactors: '{"id":1,"features":[1.0]}', itemFactors: '{"id":10,"features":[1.0,2.0]}' });
 * // throws NextbestError E_SHAPE: "alsFromSparkJsonLines: itemFactors line 1.features must have the rank 1 of the first row, got length 2"
 * ```
 * @category factorization
 */
export function alsFromSparkJsonLines(tables: SparkAlsJsonLines): ImplicitAlsModel {
  const fn = "alsFromSparkJsonLines";
  checkOptions(fn, tables);
  const alpha = numberOption(fn, "alpha", tables.alpha, 1, 0);
  const regularization = numberOption(fn, "regularization", tables.regularization, 0.1, 0);
  const userTable = parseTable(fn, "userFactors", tables.userFactors, undefined);
  const itemTable = parseTable(fn, "itemFactors", tables.itemFactors, userTable.rank);
  return sparkFactorTablesToModel(fn, { user: userTable, item: itemTable, userName: "userFactors", itemName: "itemFactors", alpha, regularization, interactions: tables.interactions });
}

/** @internal The parsed factor tables of a Spark `ALSModel`, wherever they were read from (JSON lines or Parquet). */
export interface SparkFactorTables {
  /** User ids in table order, factors row-major (ids × rank). */
  user: { ids: Id[]; data: Float32Array; rank: number };
  /** Item ids in table order, the same rank. */
  item: { ids: Id[]; data: Float32Array; rank: number };
  /** How errors name the user table (a JSON field or a directory path). */
  userName: string;
  /** How errors name the item table. */
  itemName: string;
  alpha: number;
  regularization: number;
  interactions: Interactions | undefined;
}

/**
 * @internal Builds the frozen implicit ALS model from parsed Spark factor tables: unique ids, seen items from the
 * optional training interactions. Shared by {@link alsFromSparkJsonLines} and the Parquet directory reader of
 * `nextbest/node`.
 */
export function sparkFactorTablesToModel(fn: string, tables: SparkFactorTables): ImplicitAlsModel {
  const { user: userTable, item: itemTable, alpha, regularization } = tables;
  const users = indexOrDuplicate(fn, tables.userName, userTable.ids);
  const items = indexOrDuplicate(fn, tables.itemName, itemTable.ids);
  const userCount = users.ids.length;
  const seenIndptr = new Int32Array(userCount + 1);
  let seenIndices = new Int32Array(0);
  if (tables.interactions !== undefined) {
    const data = tables.interactions;
    checkInteractions(fn, data);
    const rows: number[][] = Array.from({ length: userCount }, () => []);
    const { indptr, indices } = data.byUser;
    for (let u = 0; u < data.byUser.rows; u++) {
      const mu = users.lookup.get(data.users.ids[u]!);
      if (mu === undefined) continue;
      for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
        const mi = items.lookup.get(data.items.ids[indices[p]!]!);
        if (mi !== undefined) rows[mu]!.push(mi);
      }
    }
    const flat: number[] = [];
    for (let u = 0; u < userCount; u++) {
      const row = rows[u]!.sort((a, b) => a - b);
      for (let q = 0; q < row.length; q++) if (q === 0 || row[q] !== row[q - 1]) flat.push(row[q]!);
      seenIndptr[u + 1] = flat.length;
    }
    seenIndices = Int32Array.from(flat);
  }
  return Object.freeze({
    kind: "implicit-als",
    version: 1,
    users,
    items,
    factors: userTable.rank,
    alpha,
    regularization,
    userFactors: userTable.data,
    itemFactors: itemTable.data,
    hyperparameters: Object.freeze({ iterations: 0, solver: "cholesky", conjugateGradientSteps: 1, initStandardDeviation: 0, seed: 0, values: "raw" }),
    seenIndptr,
    seenIndices,
  });
}

function tableToJsonLines(ids: readonly Id[], data: Float32Array, f: number): string {
  const lines: string[] = [];
  const row = new Array<number>(f);
  for (let r = 0; r < ids.length; r++) {
    for (let k = 0; k < f; k++) row[k] = data[r * f + k]!;
    lines.push(`{"id":${JSON.stringify(ids[r])},"features":[${row.join(",")}]}\n`);
  }
  return lines.join("");
}

/**
 * Writes an implicit ALS model's factor tables in the JSON-lines layout of Spark MLlib's `ALSModel`
 * (`{"id": ..., "features": [...]}` per line, the float32 values written exactly), readable by
 * `spark.read.json(path)` and by {@link alsFromSparkJsonLines}. Spark's ALS needs integer ids; string ids are written
 * as JSON strings (round-trip here, but Spark would need them mapped to integers).
 *
 * Complexity: O((users + items) · factors).
 *
 * @param model - an implicit ALS model (fitted, deserialized or imported)
 * @returns the two tables as newline-terminated JSON-lines texts
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not an implicit ALS model with matching tables
 * @example
 * ```ts
 * import { alsFromSparkJsonLines, alsToSparkJsonLines } from "nextbest/factorization";
 * const model = alsFromSparkJsonLines({ userFactors: '{"id":1,"features":[0.5,-1]}', itemFactors: '{"id":7,"features":[2,0.25]}' });
 * alsToSparkJsonLines(model).userFactors; // => '{"id":1,"features":[0.5,-1]}\n'
 * ```
 * @category factorization
 */
export function alsToSparkJsonLines(model: ImplicitAlsModel): SparkAlsTables {
  const fn = "alsToSparkJsonLines";
  checkSparkAlsModel(fn, model);
  const f = model.factors;
  return {
    userFactors: tableToJsonLines(model.users.ids, model.userFactors, f),
    itemFactors: tableToJsonLines(model.items.ids, model.itemFactors, f),
  };
}

/** @internal Throws E_BAD_MODEL unless `model` is a version-1 implicit ALS model whose factor tables match its ids. */
export function checkSparkAlsModel(fn: string, model: ImplicitAlsModel): void {
  const m = model as Partial<ImplicitAlsModel> | null;
  if (typeof m !== "object" || m === null || m.kind !== "implicit-als" || m.version !== 1) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model must be a version-1 implicit ALS model, got ${describeValue(model)}`);
  }
  const f = model.factors;
  if (
    !(model.userFactors instanceof Float32Array) ||
    !(model.itemFactors instanceof Float32Array) ||
    model.userFactors.length !== model.users.ids.length * f ||
    model.itemFactors.length !== model.items.ids.length * f
  ) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.userFactors and model.itemFactors must be Float32Arrays of (ids × ${f}) entries, got ${describeValue(model.userFactors)}`);
  }
}
