/// <reference types="node" />
/**
 * Reading the CLI's input files: the interactions file (through `readInteractionsFile`) and the product and account
 * tables (id column plus feature columns, encoded with the content feature encoder).
 *
 * @module
 */
import { open, readFile } from "node:fs/promises";
import { parseFeatureTableFor, type FeatureTable as ContentFeatureTable } from "../content/table.ts";
import { NextbestError } from "../core/errors.ts";
import { createCsvTokenizer, type CsvRecord } from "../data/csv.ts";
import type { InteractionsCsvColumns, InvalidRow } from "../data/interactions-csv.ts";
import type { DuplicatePolicy } from "../data/interactions.ts";
import type { Interactions } from "../data/types.ts";
import { readInteractionsFile } from "../node/read.ts";

const DELIMITER_NAMES: ReadonlyMap<string, string> = new Map([
  ["auto", "auto"],
  ["tab", "\t"],
  ["comma", ","],
  ["semicolon", ";"],
  ["pipe", "|"],
]);

/**
 * The delimiter a `--delimiter` value names: `auto`, `tab`, `comma`, `semicolon`, `pipe`, `\t`, or one character.
 *
 * @returns the delimiter, or undefined when the value names none
 * @internal
 */
export function delimiterFromName(name: string): string | undefined {
  const named = DELIMITER_NAMES.get(name);
  if (named !== undefined) return named;
  if (name === "\\t") return "\t";
  if (name.length === 1 && name !== '"' && name !== "\n" && name !== "\r") return name;
  return undefined;
}

/** How the interactions file is read. @internal */
export interface InteractionsFileOptions {
  /** The file's text encoding. */
  readonly encoding?: "utf-8" | "latin1";
  /** Row filter, date format, decimal comma and invalid-row handling, passed to the reader as they are. */
  readonly where?: Readonly<Record<string, readonly string[]>>;
  readonly invalidRows?: "error" | "skip";
  readonly onInvalidRow?: (row: InvalidRow) => void;
  readonly dateFormat?: string;
  readonly decimalSeparator?: "." | ",";
  /** The field delimiter or `"auto"`. */
  readonly delimiter: string;
  /** Whether the first line is a header. */
  readonly header: boolean;
  /** Column names (with a header) or 0-based positions (without), as given on the command line. */
  readonly userColumn: string | undefined;
  /** The item column. */
  readonly itemColumn: string | undefined;
  /** The value column; `"none"` for none. */
  readonly valueColumn: string | undefined;
  /** The timestamp column; `"none"` for none. */
  readonly timestampColumn: string | undefined;
  /** How repeated (user, item) pairs merge. */
  readonly duplicates: DuplicatePolicy;
}

// The first record of a file (for the header's column names), read from at most the first 1 MiB.
async function firstRecord(fn: string, path: string, delimiter: string): Promise<string[]> {
  let text: string;
  try {
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(1 << 20);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      text = buffer.subarray(0, bytesRead).toString("utf8");
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw unreadable(fn, path, error);
  }
  const tokenizer = createCsvTokenizer(fn, delimiter, ` of ${JSON.stringify(path)}`);
  const records = tokenizer.push(text);
  return records[0]?.fields ?? tokenizer.end()[0]?.fields ?? [];
}

function unreadable(fn: string, path: string, error: unknown): NextbestError {
  const code = (error as { code?: unknown }).code;
  return new NextbestError(
    "E_BAD_INPUT",
    `${fn}: path must name a readable file, got ${JSON.stringify(path)}${typeof code === "string" ? ` (${code})` : ""}`,
  );
}

function position(text: string, option: string): number {
  if (!/^[0-9]+$/.test(text)) {
    throw new NextbestError("E_BAD_INPUT", `--${option} must be a 0-based column position with --no-header, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/**
 * Reads the interactions file. Without column options the reader's defaults apply (`user`, `item`, and `value` /
 * `timestamp` when the header has them); with some given, the others default to those names, value and timestamp
 * only when the header has them. `"none"` leaves the value or timestamp column out.
 *
 * @internal
 */
export async function readInteractions(path: string, options: InteractionsFileOptions): Promise<Interactions> {
  const fn = "readInteractionsFile";
  const { userColumn, itemColumn, valueColumn, timestampColumn } = options;
  const { userColumn: _u, itemColumn: _i, valueColumn: _v, timestampColumn: _t, ...readerOptions } = options;
  const base = { ...readerOptions, encoding: options.encoding ?? "utf-8" };
  const anyGiven = [userColumn, itemColumn, valueColumn, timestampColumn].some((column) => column !== undefined);
  if (!anyGiven) return readInteractionsFile(path, base);
  let columns: InteractionsCsvColumns;
  if (options.header) {
    const header = await firstRecord(fn, path, options.delimiter);
    const optional = (given: string | undefined, name: string): string | undefined =>
      given === "none" ? undefined : given ?? (header.includes(name) ? name : undefined);
    const value = optional(valueColumn, "value");
    const timestamp = optional(timestampColumn, "timestamp");
    columns = {
      user: userColumn ?? "user",
      item: itemColumn ?? "item",
      ...(value === undefined ? {} : { value }),
      ...(timestamp === undefined ? {} : { timestamp }),
    };
  } else {
    const fields = (await firstRecord(fn, path, options.delimiter)).length;
    const optional = (given: string | undefined, option: string, fallback: number): number | undefined =>
      given === "none" ? undefined : given !== undefined ? position(given, option) : fields > fallback ? fallback : undefined;
    const value = optional(valueColumn, "value-column", 2);
    const timestamp = optional(timestampColumn, "timestamp-column", 3);
    columns = {
      user: userColumn === undefined ? 0 : position(userColumn, "user-column"),
      item: itemColumn === undefined ? 1 : position(itemColumn, "item-column"),
      ...(value === undefined ? {} : { value }),
      ...(timestamp === undefined ? {} : { timestamp }),
    };
  }
  return readInteractionsFile(path, { ...base, columns });
}

/** A feature table read from CSV (see `parseFeatureTable`). @internal */
export type FeatureTable = ContentFeatureTable;

/** How a feature table is read. @internal */
export interface FeatureTableOptions {
  /** The option that named the file, for messages (`"items"`, `"accounts"`). */
  readonly option: string;
  /** The field delimiter or `"auto"`. */
  readonly delimiter: string;
  /** The id column; when undefined, `"id"` if present, else `fallbackIdColumn`. */
  readonly idColumn: string | undefined;
  /** The id column to try when there is no `"id"` column (the interactions' user or item column name). */
  readonly fallbackIdColumn: string;
  /** Columns to treat as categorical even when every value is a number (codes, zip codes). */
  readonly categorical: ReadonlySet<string>;
}

/**
 * Reads a table of products or accounts with `parseFeatureTable` (an id column, numeric, categorical and `tags`
 * columns, unit-norm rows), its errors naming the option, file, line and column.
 *
 * @internal
 */
export async function readFeatureTable(path: string, options: FeatureTableOptions): Promise<FeatureTable> {
  const fn = `--${options.option}`;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw unreadable(fn, path, error);
  }
  const source = ` of ${JSON.stringify(path)}`;
  const tableOptions = { delimiter: options.delimiter, categorical: [...options.categorical], ...(options.idColumn === undefined ? {} : { idColumn: options.idColumn }) };
  return parseFeatureTableFor(fn, text, source, tableOptions, options.fallbackIdColumn);
}
