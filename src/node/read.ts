/// <reference types="node" />
/**
 * Node-only file helpers: stream interaction files from disk through the `nextbest/data` readers.
 *
 * @module
 */
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { NextbestError, describeValue } from "../core/errors.ts";
import { alignToTrain } from "../data/align-to-train.ts";
import { parseFeatureTableFor, type FeatureTable, type FeatureTableOptions } from "../content/table.ts";
import { createInteractionsCsvReaderFor, type ParseInteractionsCsvOptions } from "../data/interactions-csv.ts";
import { movieLens100kCsvOptions, type ParseMovieLens100kOptions } from "../data/movielens.ts";
import type { InteractionsSplit, SplitOptions } from "../data/split-common.ts";
import type { Interactions } from "../data/types.ts";

/** Options of {@link readInteractionsFile}: those of `parseInteractionsCsv`, plus the file's encoding. @category node */
export interface ReadInteractionsFileOptions extends ParseInteractionsCsvOptions {
  /**
   * The file's text encoding. `"utf-8"` decodes strictly: an invalid byte is an error naming its byte offset and
   * line (never a replacement character that would merge `café` and `cafè` into one account). `"latin1"` reads
   * ISO-8859-1 files (as windows-1252, its superset, the way browsers do).
   * @defaultValue "utf-8"
   */
  encoding?: TextEncodingName;
}

/** The text encodings the file readers decode. @category node */
export type TextEncodingName = "utf-8" | "latin1";

/** Checks an `encoding` option (default "utf-8"). @internal */
export function encodingOption(fn: string, value: unknown): TextEncodingName {
  const encoding = value ?? "utf-8";
  if (encoding !== "utf-8" && encoding !== "latin1") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.encoding must be "utf-8" or "latin1", got ${describeValue(encoding)}`);
  }
  return encoding;
}

/**
 * The first byte of `bytes` that does not start or continue a valid UTF-8 sequence (skipping up to 3 leading
 * continuation bytes, which complete a sequence begun in the previous chunk), or -1.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < 3 && i < bytes.length && (bytes[i]! & 0xc0) === 0x80) i++;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return -1; // continues in the next chunk
      if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return -1;
}

/**
 * Streams a UTF-8 text file in 1 MiB chunks to `push`, gunzipping it on the way when `gzip` is true, so neither the
 * file nor its text is ever held whole. File-system and gzip errors become NextbestError naming the whole path
 * (never shortened); errors thrown by `push` pass through. @internal
 */
export async function streamTextFile(
  fn: string,
  path: string,
  push: (chunk: string) => void,
  gzip: boolean,
  encoding: TextEncodingName = "utf-8",
): Promise<void> {
  // Strict UTF-8: a replacement character would silently merge distinct ids ("café", "cafè" → "caf\uFFFD").
  const decoder = new TextDecoder(encoding === "latin1" ? "windows-1252" : "utf-8", { fatal: true });
  let offset = 0;
  let lines = 1;
  const decode = (bytes: Uint8Array, stream: boolean): string => {
    try {
      const text = decoder.decode(bytes, { stream });
      offset += bytes.length;
      for (let k = text.indexOf("\n"); k >= 0; k = text.indexOf("\n", k + 1)) lines++;
      return text;
    } catch {
      const at = Math.max(0, firstInvalidUtf8(bytes));
      let line = lines;
      for (let k = 0; k < at; k++) if (bytes[k] === 0x0a) line++;
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: ${JSON.stringify(path)} must be UTF-8 text, got the invalid byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, "0")} at byte ${offset + at} (line ${line}); if the file is Latin-1 (ISO-8859-1), pass encoding: "latin1"`,
      );
    }
  };
  // An error of `push` is kept here: the pipeline tearing down the streams may reject with an abort error instead.
  let pushFailure: { error: unknown } | undefined;
  const send = (chunk: string): void => {
    try {
      push(chunk);
    } catch (error) {
      pushFailure = { error };
      throw error;
    }
  };
  const consume = async (source: AsyncIterable<Uint8Array>): Promise<void> => {
    for await (const bytes of source) send(decode(bytes, true));
    const rest = decode(new Uint8Array(0), false);
    if (rest !== "") send(rest);
  };
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    if (gzip) await pipeline(file, createGunzip({ chunkSize: 1 << 20 }), consume);
    else await pipeline(file, consume);
  } catch (error) {
    if (pushFailure !== undefined) throw pushFailure.error;
    if (error instanceof NextbestError) throw error;
    const code = (error as { code?: unknown }).code;
    const zlib = typeof code === "string" && code.startsWith("Z_");
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: path must name a readable ${zlib ? "gzip " : ""}file, got ${JSON.stringify(path)}${typeof code === "string" ? ` (${code})` : ""}`,
    );
  }
}

// Streams a UTF-8 file (gunzipped when its name ends in .gz) through an interactions reader.
async function streamFile(
  fn: string,
  path: string,
  reader: { push(chunk: string): void; end(): Interactions },
  encoding: TextEncodingName = "utf-8",
): Promise<Interactions> {
  await streamTextFile(fn, path, (chunk) => reader.push(chunk), path.endsWith(".gz"), encoding);
  return reader.end();
}

/**
 * Awaits reads started together and returns their values; when some fail, throws the first failure in argument
 * order (not in time order), so the error a caller sees does not depend on which read lost the race. @internal
 */
export async function settleInOrder<T extends unknown[]>(reads: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(reads);
  for (const result of settled) if (result.status === "rejected") throw result.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as T;
}

function checkPath(fn: string, name: string, path: unknown): asserts path is string {
  if (typeof path !== "string" || path === "") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a non-empty string, got ${describeValue(path)}`);
  }
}

/**
 * Reads an interactions file (CSV, TSV, any delimiter) from disk, streaming it in 1 MiB chunks through
 * `createInteractionsCsvReader`, so the file is never held as one string. A file whose name ends in `.gz` is
 * gunzipped as it streams. Errors name the line and the file.
 *
 * @param path - the file path (UTF-8 text, or gzip-compressed UTF-8 text when it ends in `.gz`; Latin-1 with
 *   `encoding: "latin1"`)
 * @param options - see `ParseInteractionsCsvOptions` in `nextbest/data` (header, columns, ids, timestamps, duplicates)
 * @returns a promise of the dataset
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when the file cannot be read or gunzipped (naming the path and
 *   the system or zlib code) or a line is malformed (`readInteractionsFile: line 17 of "deals.csv", column "value"
 *   must be a number, got "abc"`); the other codes as `parseInteractionsCsv` (the promise rejects)
 * @example
 * ```ts
 * import { readInteractionsFile } from "nextbest/node";
 * import { interactionCount } from "nextbest/data";
 * const deals = await readInteractionsFile("deals.csv", { columns: { user: "account_id", item: "product" } });
 * interactionCount(deals) > 0; // => true
 * ```
 * @category node
 */
export async function readInteractionsFile(path: string, options: ReadInteractionsFileOptions = {}): Promise<Interactions> {
  const fn = "readInteractionsFile";
  checkPath(fn, "path", path);
  const { encoding, ...csv } = options ?? {};
  const reader = createInteractionsCsvReaderFor(fn, csv, { source: ` of ${JSON.stringify(path)}` });
  return streamFile(fn, path, reader, encodingOption(fn, encoding));
}

/** Options of {@link readFeatureTableFile}: those of `parseFeatureTable`, plus the file's encoding. @category node */
export interface ReadFeatureTableFileOptions extends FeatureTableOptions {
  /** The file's text encoding (strict UTF-8 by default). @defaultValue "utf-8" */
  encoding?: TextEncodingName;
}

/**
 * Reads a product or account table file (CSV/TSV, `.gz` gunzipped) with `parseFeatureTable`: an id column and feature
 * columns encoded to unit-norm rows, ready for `fitContentRecommender` (products) or `fitLookAlikeModel` (accounts).
 * Errors name the file, the line and the column.
 *
 * @param path - the file path
 * @param options - see `FeatureTableOptions` in `nextbest/content` (delimiter, id column, categorical and tag columns)
 * @returns a promise of the table
 * @throws {@link core!NextbestError} as `parseFeatureTable`, and `E_BAD_INPUT` when the file cannot be read
 * @example
 * ```ts
 * import { readFeatureTableFile } from "nextbest/node";
 * const products = await readFeatureTableFile("products.csv", { idColumn: "sku" });
 * products.features.rows === products.ids.length; // => true
 * ```
 * @category node
 */
export async function readFeatureTableFile(path: string, options: ReadFeatureTableFileOptions = {}): Promise<FeatureTable> {
  const fn = "readFeatureTableFile";
  checkPath(fn, "path", path);
  const { encoding, ...tableOptions } = options ?? {};
  const chunks: string[] = [];
  await streamTextFile(fn, path, (chunk) => chunks.push(chunk), path.endsWith(".gz"), encodingOption(fn, encoding));
  return parseFeatureTableFor(fn, chunks.join(""), ` of ${JSON.stringify(path)}`, tableOptions);
}

/** Options of {@link readMovieLens100k}. @category node */
export interface ReadMovieLens100kOptions extends ParseMovieLens100kOptions {
  /** Which ratings file of the folder to read (`"u.data"`, `"u1.base"`, `"ua.test"`, ...). @defaultValue "u.data" */
  file?: string;
}

/**
 * Reads MovieLens 100K ratings from the unpacked `ml-100k` folder: by default all 100,000 ratings of `u.data`
 * (943 users, 1,682 movies). Ids are numbers and timestamps seconds, as in `parseMovieLens100k`.
 *
 * @param directory - the folder holding `u.data` and the split files
 * @param options - `file` (default `"u.data"`) and the `parseMovieLens100k` options
 * @returns a promise of the ratings
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when the file cannot be read or a line is malformed;
 *   `E_DUPLICATE` for a repeated rating
 * @example
 * ```ts
 * import { readMovieLens100k } from "nextbest/node";
 * import { interactionCount } from "nextbest/data";
 * const ratings = await readMovieLens100k("data/ml-100k");
 * interactionCount(ratings); // => 100000
 * ```
 * @category node
 */
export async function readMovieLens100k(directory: string, options: ReadMovieLens100kOptions = {}): Promise<Interactions> {
  const fn = "readMovieLens100k";
  checkPath(fn, "directory", directory);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const file = options.file ?? "u.data";
  checkPath(fn, "options.file", file);
  const path = join(directory, file);
  const reader = createInteractionsCsvReaderFor(fn, movieLens100kCsvOptions(options), { source: ` of ${JSON.stringify(path)}` });
  return streamFile(fn, path, reader);
}

/** The published MovieLens 100K train/test splits. @category node */
export type MovieLens100kSplitName = "u1" | "u2" | "u3" | "u4" | "u5" | "ua" | "ub";

/** Options of {@link readMovieLens100kSplit}. @category node */
export interface ReadMovieLens100kSplitOptions extends SplitOptions {
  /**
   * Which published split: `"u1"` … `"u5"` are the five disjoint 80/20 folds of `u.data`; `"ua"` / `"ub"` hold out
   * exactly 10 ratings per user.
   * @defaultValue "u1"
   */
  split?: MovieLens100kSplitName;
}

const SPLITS: readonly MovieLens100kSplitName[] = ["u1", "u2", "u3", "u4", "u5", "ua", "ub"];

/**
 * Reads one of the published MovieLens 100K splits (`<split>.base` as train, `<split>.test` as test) and maps the
 * test set into the train set's index spaces (see `alignToTrain` in `nextbest/data`), so results compare with
 * published figures on the same protocol.
 *
 * @param directory - the `ml-100k` folder
 * @param options - `split` (default `"u1"`) and `coldStart` (default `"drop"`: test ratings of movies the base
 *   file never shows are dropped and counted)
 * @returns a promise of the train/test pair
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for an unknown split name or an unreadable file
 * @example
 * ```ts
 * import { readMovieLens100kSplit } from "nextbest/node";
 * import { interactionCount } from "nextbest/data";
 * const { train, test, droppedTestInteractions } = await readMovieLens100kSplit("data/ml-100k", { split: "u1" });
 * interactionCount(train); // => 80000
 * interactionCount(test) + droppedTestInteractions; // => 20000
 * ```
 * @category node
 */
export async function readMovieLens100kSplit(
  directory: string,
  options: ReadMovieLens100kSplitOptions = {},
): Promise<InteractionsSplit> {
  const fn = "readMovieLens100kSplit";
  checkPath(fn, "directory", directory);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const split = options.split ?? "u1";
  if (!SPLITS.includes(split)) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.split must be one of ${SPLITS.map((s) => JSON.stringify(s)).join(", ")}, got ${describeValue(split)}`,
    );
  }
  const read = (file: string): Promise<Interactions> => {
    const path = join(directory, file);
    return streamFile(fn, path, createInteractionsCsvReaderFor(fn, movieLens100kCsvOptions({}), { source: ` of ${JSON.stringify(path)}` }));
  };
  const [train, test] = await settleInOrder<[Interactions, Interactions]>([read(`${split}.base`), read(`${split}.test`)]);
  return alignToTrain(train, test, options.coldStart === undefined ? {} : { coldStart: options.coldStart });
}
