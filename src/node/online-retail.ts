/// <reference types="node" />
/**
 * Node-only reader for Online Retail files: CSV, gzip-compressed CSV (streamed) and Parquet.
 *
 * @module
 */
import { open, type FileHandle } from "node:fs/promises";
import { NextbestError, describeValue } from "../core/errors.ts";
import {
  checkOnlineRetailOptions,
  cleanOnlineRetailColumnsFor,
  createOnlineRetailReaderFor,
  onlineRetailColumnPositions,
  type OnlineRetailColumns,
  type OnlineRetailData,
  type OnlineRetailField,
  type ParseOnlineRetailOptions,
} from "../datasets/online-retail.ts";
import { streamTextFile } from "./read.ts";
import { fileBuffer, loadHyparquet, type Hyparquet } from "./parquet-file.ts";

/** Options of {@link readOnlineRetail}: the file format and those of `parseOnlineRetail`. @category node */
export interface ReadOnlineRetailOptions extends ParseOnlineRetailOptions {
  /**
   * The file format: `"csv"` (UTF-8 text), `"csv.gz"` (gzip-compressed text, gunzipped as it streams) or
   * `"parquet"`.
   * @defaultValue from the name: `.parquet` is Parquet, `.gz` gzip-compressed CSV, `.csv`/`.tsv`/`.txt` CSV
   */
  format?: "csv" | "csv.gz" | "parquet";
}

const FORMATS = ["csv", "csv.gz", "parquet"] as const;

function formatOf(fn: string, path: string): (typeof FORMATS)[number] {
  const name = path.toLowerCase();
  if (name.endsWith(".parquet")) return "parquet";
  if (name.endsWith(".gz")) return "csv.gz";
  if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt")) return "csv";
  throw new NextbestError(
    "E_BAD_INPUT",
    `${fn}: path must end in .csv, .csv.gz or .parquet (or options.format must name the format), got ${JSON.stringify(path)}`,
  );
}

function fileError(fn: string, path: string, error: unknown): NextbestError {
  const code = (error as { code?: unknown } | null)?.code;
  return new NextbestError("E_BAD_INPUT", `${fn}: path must name a readable file, got ${JSON.stringify(path)}${typeof code === "string" ? ` (${code})` : ""}`);
}

async function readParquet(fn: string, path: string, options: ReadOnlineRetailOptions): Promise<OnlineRetailData> {
  const source = ` of ${JSON.stringify(path)}`;
  let handle: FileHandle;
  let size: number;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw fileError(fn, path, error);
  }
  try {
    try {
      size = (await handle.stat()).size;
    } catch (error) {
      throw fileError(fn, path, error);
    }
    const { parquetMetadataAsync, parquetRead, parquetSchema } = await loadHyparquet(fn);
    const file = fileBuffer(handle, size);
    // hyparquet reports a malformed file with a plain Error; fs errors carry a code.
    const parquetError = (error: unknown): NextbestError =>
      error instanceof NextbestError
        ? error
        : typeof (error as { code?: unknown } | null)?.code === "string"
          ? fileError(fn, path, error)
          : new NextbestError("E_BAD_INPUT", `${fn}: path must name a readable Parquet file, got ${JSON.stringify(path)} (${error instanceof Error ? error.message : String(error)})`);
    let metadata: Awaited<ReturnType<Hyparquet["parquetMetadataAsync"]>>;
    try {
      metadata = await parquetMetadataAsync(file);
    } catch (error) {
      throw parquetError(error);
    }
    const schemaNames = parquetSchema(metadata).children.map((child) => child.element.name);
    const { positions, names, fields } = onlineRetailColumnPositions(fn, schemaNames, `the Parquet schema${source}`);
    const rows = Number(metadata.num_rows);
    const data = new Map<string, unknown[]>();
    positions.forEach((position, k) => {
      if (position >= 0) data.set(names[k]!, new Array<unknown>(rows));
    });
    try {
      await parquetRead({
        file,
        metadata,
        columns: [...data.keys()],
        onChunk: ({ columnName, columnData, rowStart }) => {
          const target = data.get(columnName);
          if (target === undefined) return;
          const stop = Math.min(columnData.length, rows - rowStart);
          for (let i = 0; i < stop; i++) target[rowStart + i] = columnData[i];
        },
      });
    } catch (error) {
      throw parquetError(error);
    }
    const columns: Record<string, unknown[]> = {};
    const nameOf = new Map<OnlineRetailField, string>();
    fields.forEach((field, k) => {
      nameOf.set(field, names[k]!);
      if (positions[k]! >= 0) columns[field] = data.get(names[k]!)!;
    });
    return cleanOnlineRetailColumnsFor(
      fn,
      columns as unknown as OnlineRetailColumns,
      options,
      (row, field) => `rows[${row}]${source}, column ${describeValue(nameOf.get(field))}`,
    );
  } finally {
    await handle.close();
  }
}

/**
 * Reads an Online Retail file (UCI Online Retail II or the original layout) from disk and cleans it as
 * `parseOnlineRetail` in `nextbest/datasets` does: `.csv` text and `.csv.gz` are streamed (gunzipped on the way)
 * through the chunked CSV parser, so neither the file nor its text is held whole; `.parquet` is read column by
 * column with hyparquet (pure JavaScript, Snappy built in), imported only when a Parquet file is read. Both give the
 * same cleaned lines for the same table. Errors name the whole path.
 *
 * @param path - the file (`.csv`, `.csv.gz` or `.parquet`; see `options.format` for other names)
 * @param options - `format` (default from the name) and the cleaning rules and time unit of `parseOnlineRetail`
 * @returns a promise of the cleaned lines, products, accounts and report
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for an unknown extension or a bad option, a file that cannot be
 *   read, gunzipped or decoded as Parquet (naming the path), a missing column (naming the header or schema found),
 *   or a bad cell (naming the line, or the Parquet row, the column and the file); `E_EMPTY` for an empty CSV file
 *   (the promise rejects)
 * @example
 * ```ts
 * import { readOnlineRetail } from "nextbest/node";
 * import { onlineRetailInteractions } from "nextbest/datasets";
 * const retail = await readOnlineRetail("../shared/data/online-retail-ii-2009-2010/online_retail_II_year_2009_2010.csv.gz");
 * retail.report.rowsRead; // => 525461
 * retail.accounts.length; // => 4285
 * const beforeSeptember = onlineRetailInteractions(retail.lines, { before: Date.UTC(2010, 8, 1) / 1000 });
 * ```
 * @category node
 */
export async function readOnlineRetail(path: string, options: ReadOnlineRetailOptions = {}): Promise<OnlineRetailData> {
  const fn = "readOnlineRetail";
  if (typeof path !== "string" || path === "") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: path must be a non-empty string, got ${describeValue(path)}`);
  }
  checkOnlineRetailOptions(fn, options);
  const format = options.format ?? formatOf(fn, path);
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.format must be one of ${FORMATS.map((f) => JSON.stringify(f)).join(", ")}, got ${describeValue(format)}`);
  }
  if (format === "parquet") return readParquet(fn, path, options);
  const reader = createOnlineRetailReaderFor(fn, options, ` of ${JSON.stringify(path)}`);
  await streamTextFile(fn, path, (chunk) => reader.push(chunk), format === "csv.gz");
  return reader.end();
}
