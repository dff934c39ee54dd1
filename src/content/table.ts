/**
 * Product and account tables from CSV: an id column and feature columns, encoded to unit-norm vectors ready for
 * `fitContentRecommender` (products) and `fitLookAlikeModel` or a content model's cold start (accounts).
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { createCsvTokenizer, isNumberCell, resolveDelimiter, type CsvRecord } from "../data/csv.ts";
import type { DenseMatrix } from "../linalg/types.ts";
import { encodeRows, fitFeatureEncoderFor, type FeatureEncoder, type FeatureRow, type FieldSpec } from "./encoder.ts";

/**
 * Options of {@link parseFeatureTable}.
 *
 * @category content
 */
export interface FeatureTableOptions {
  /** The field delimiter, or `"auto"` to detect it from the header. @defaultValue "auto" */
  delimiter?: string;
  /** The id column. @defaultValue "id" */
  idColumn?: string;
  /** Columns to read as categories even when every value is a number (codes, zip codes). @defaultValue none */
  categorical?: readonly string[];
  /** Columns holding several tags separated by `tagSeparator` (one-hot per tag). @defaultValue ["tags"] when present */
  tags?: readonly string[];
  /** The separator inside tag cells. @defaultValue "|" */
  tagSeparator?: string;
}

/**
 * A product or account table read by {@link parseFeatureTable}: the ids in file order, one encoded row per id (the
 * `ContentItems` shape the content models take), the schema inferred and the fitted encoder (to encode new rows the
 * same way with `encodeRows`).
 *
 * @category content
 */
export interface FeatureTable {
  /** The ids, in file order. */
  readonly ids: readonly string[];
  /** One unit-norm feature row per id. */
  readonly features: DenseMatrix;
  /** One field per feature column: numeric (standardized), categorical (one-hot) or tags. */
  readonly schema: readonly FieldSpec[];
  /** The fitted encoder. */
  readonly encoder: FeatureEncoder;
}

/**
 * Reads a product or account table from CSV text: a header, an id column (unique, non-empty ids) and feature columns.
 * A column whose every non-empty cell is a number is numeric (standardized); the `tags` columns hold separated tags;
 * any other column is categorical (one-hot). Empty cells are missing values, an all-empty column is left out. Rows
 * are encoded to unit-norm vectors, so the result goes straight to `fitContentRecommender` as the catalog.
 *
 * Complexity: O(cells).
 *
 * @param text - the CSV text
 * @param options - delimiter, id column, columns to force categorical, tag columns
 * @returns the ids, encoded features, schema and encoder
 * @throws {@link core!NextbestError} `E_BAD_INPUT` naming the line and column for a missing id column, an empty id, a
 *   line with another number of fields than the header; `E_DUPLICATE` for a repeated id or column; `E_EMPTY` for no
 *   rows or no feature column
 * @example
 * ```ts
 * import { parseFeatureTable } from "nextbest/content";
 * const products = parseFeatureTable("id,family,seats,tags\ncrm,sales,10,cloud|ai\nerp,finance,50,cloud\n");
 * products.ids; // => ["crm", "erp"]
 * products.schema.map((field) => `${field.field}:${field.kind}`); // => ["family:categorical", "seats:numeric", "tags:tags"]
 * products.features.rows; // => 2
 * ```
 * @category content
 */
export function parseFeatureTable(text: string, options: FeatureTableOptions = {}): FeatureTable {
  return parseFeatureTableFor("parseFeatureTable", text, "", options);
}

/**
 * {@link parseFeatureTable} for the public function `fn`, `source` (` of "file.csv"`) inserted after line numbers;
 * without `options.idColumn`, a header without an `id` column uses `fallbackIdColumn` (the CLI's interactions
 * column name). @internal
 */
export function parseFeatureTableFor(fn: string, text: string, source: string, options: FeatureTableOptions, fallbackIdColumn = "id"): FeatureTable {
  if (typeof text !== "string") throw new NextbestError("E_BAD_INPUT", `${fn}: text must be a string, got ${describeValue(text)}`);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const categorical = new Set(stringList(fn, "options.categorical", options.categorical ?? []));
  const tagSeparator = options.tagSeparator ?? "|";
  if (typeof tagSeparator !== "string" || tagSeparator === "") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.tagSeparator must be a non-empty string, got ${describeValue(tagSeparator)}`);
  }
  const tokenizer = createCsvTokenizer(fn, resolveDelimiter(fn, "options.delimiter", options.delimiter), source);
  const records: CsvRecord[] = [...tokenizer.push(text), ...tokenizer.end()];
  const where = source === "" ? "the text" : source.replace(/^ of /, "");
  const headerRecord = records[0];
  if (headerRecord === undefined) throw new NextbestError("E_EMPTY", `${fn}: ${where} must hold a header and at least one row, got nothing`);
  const header = headerRecord.fields.map((name) => name.trim());
  header.forEach((name, c) => {
    if (header.indexOf(name) !== c) {
      throw new NextbestError("E_DUPLICATE", `${fn}: line ${headerRecord.line}${source}, column ${JSON.stringify(name)} must appear once in the header, got it twice`);
    }
  });
  const idColumn = options.idColumn ?? (header.includes("id") ? "id" : fallbackIdColumn);
  if (typeof idColumn !== "string") throw new NextbestError("E_BAD_INPUT", `${fn}: options.idColumn must be a column name, got ${describeValue(idColumn)}`);
  const tagColumns = new Set(stringList(fn, "options.tags", options.tags ?? (header.includes("tags") ? ["tags"] : [])));
  const idAt = header.indexOf(idColumn);
  if (idAt < 0) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: line ${headerRecord.line}${source} must have an id column ${JSON.stringify(idColumn)}, got columns ${header.map((h) => JSON.stringify(h)).join(", ")}`,
    );
  }
  const body = records.slice(1);
  if (body.length === 0) throw new NextbestError("E_EMPTY", `${fn}: ${where} must hold at least one row after the header, got none`);
  const firstLine = new Map<string, number>();
  for (const record of body) {
    if (record.fields.length !== header.length) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: line ${record.line}${source} must have ${header.length} fields like the header, got ${record.fields.length}`);
    }
    const id = record.fields[idAt]!;
    if (id === "") throw new NextbestError("E_BAD_INPUT", `${fn}: line ${record.line}${source}, column ${JSON.stringify(idColumn)} must not be empty, got ""`);
    const seen = firstLine.get(id);
    if (seen !== undefined) {
      throw new NextbestError(
        "E_DUPLICATE",
        `${fn}: line ${record.line}${source}, column ${JSON.stringify(idColumn)} must hold unique ids, got ${JSON.stringify(id)} again (first at line ${seen})`,
      );
    }
    firstLine.set(id, record.line);
  }
  const schema: FieldSpec[] = [];
  const kinds: ("numeric" | "categorical" | "tags" | "skip")[] = [];
  header.forEach((name, c) => {
    if (c === idAt) {
      kinds.push("skip");
      return;
    }
    const values = body.map((record) => record.fields[c]!.trim()).filter((value) => value !== "");
    let kind: "numeric" | "categorical" | "tags";
    if (tagColumns.has(name)) kind = "tags";
    else if (!categorical.has(name) && values.length > 0 && values.every(isNumberCell)) kind = "numeric";
    else kind = "categorical";
    if (values.length === 0) {
      kinds.push("skip"); // an empty column carries nothing
      return;
    }
    kinds.push(kind);
    schema.push(kind === "numeric" ? { field: name, kind, transform: "standardize" } : { field: name, kind });
  });
  if (schema.length === 0) {
    throw new NextbestError("E_EMPTY", `${fn}: ${where} must have at least one non-empty feature column besides ${JSON.stringify(idColumn)}, got none`);
  }
  const rows: FeatureRow[] = body.map((record) => {
    const row = new Map<string, unknown>();
    header.forEach((name, c) => {
      const kind = kinds[c];
      const cell = record.fields[c]!.trim();
      if (kind === "skip" || cell === "") return;
      if (kind === "numeric") row.set(name, Number(cell));
      else if (kind === "tags") row.set(name, cell.split(tagSeparator).map((tag) => tag.trim()).filter((tag) => tag !== ""));
      else row.set(name, cell);
    });
    return row;
  });
  const encoder = fitFeatureEncoderFor(fn, "schema", rows, schema, {});
  return { ids: body.map((record) => record.fields[idAt]!), features: encodeRows(encoder, rows), schema, encoder };
}


function stringList(fn: string, name: string, value: unknown): readonly string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be an array of column names, got ${describeValue(value)}`);
  }
  return value;
}
