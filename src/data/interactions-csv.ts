/**
 * Reading interactions from CSV/TSV text, whole or in chunks.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import { TripletBuffer, buildInteractions } from "./build.ts";
import { createCsvTokenizer, isNumberCell, resolveDelimiter, type CsvRecord, type CsvRowParser } from "./csv.ts";
import { compileDateFormat, parseDecimalComma, parseIsoTimestamp, type DateParser } from "./dates.ts";
import { resolveCreateOptions, type CreateInteractionsOptions, type ResolvedCreateOptions } from "./interactions.ts";
import type { Interactions } from "./types.ts";

/**
 * Which columns hold what: header names (with `header: true`) or 0-based column positions.
 *
 * @category data
 */
export interface InteractionsCsvColumns {
  /** The user (account) id column. */
  readonly user: string | number;
  /** The item (product) id column. */
  readonly item: string | number;
  /** The value column; without one every row counts 1. */
  readonly value?: string | number;
  /** The timestamp column; without one the dataset has no timestamps. */
  readonly timestamp?: string | number;
}

/** Options of {@link parseInteractionsCsv} and {@link createInteractionsCsvReader}. @category data */
export interface ParseInteractionsCsvOptions extends CreateInteractionsOptions {
  /**
   * The field delimiter, or `"auto"` to detect comma, tab, semicolon or pipe from the first line.
   * @defaultValue "auto"
   */
  delimiter?: string;
  /** Whether the first record is a header of column names. @defaultValue true */
  header?: boolean;
  /**
   * Where the fields are: header names, or 0-based column positions (without a header, positions only).
   * Errors name a column by its header name, or by its 1-based number and role (`column 3 (value)`).
   * @defaultValue with a header `{ user: "user", item: "item" }` plus `value: "value"` and
   *   `timestamp: "timestamp"` when the header has those columns; without one `{ user: 0, item: 1 }` plus
   *   `value: 2` and `timestamp: 3` when the first record has that many fields
   */
  columns?: InteractionsCsvColumns;
  /**
   * How ids are read: `"string"` keeps the text as it is (`"007"` stays `"007"`); `"number"` parses each id as a
   * finite number (for numeric ids such as MovieLens's, so `userItems(data, 196)` works).
   * @defaultValue "string"
   */
  ids?: "string" | "number";
  /**
   * How timestamps are read: `"number"` as written (seconds or milliseconds since the epoch, or any increasing
   * number: the unit is the file's); `"iso"` as ISO 8601 dates or date-times (`2024-03-01`,
   * `2024-03-01T09:30:00Z`, `2024-03-01 09:30:00+01:00`) converted to milliseconds since the epoch, a date-time
   * without an offset being read as UTC; `"auto"` takes `"number"` or `"iso"` from the first data line and holds
   * every other line to it.
   * @defaultValue "auto"
   */
  timestamps?: "auto" | "number" | "iso";
  /**
   * A date pattern for timestamps written as local dates, such as `"MM/dd/yyyy"` (US exports), `"dd.MM.yyyy"`,
   * `"dd/MM/yyyy HH:mm"` or `"yyyyMMdd"`: tokens `yyyy`, `MM`/`M`, `dd`/`d`, `HH`/`H`, `mm`, `ss`, `SSS`, any other
   * character literal. Dates are read as UTC and stored as milliseconds since the epoch (the dataset's `timeUnit`).
   * Takes the place of `timestamps`. @defaultValue none: numbers and ISO 8601 dates
   */
  dateFormat?: string;
  /**
   * The decimal separator of the value column: `","` reads `12,5` and `1.234,5` (dots group thousands), as
   * spreadsheets in most of Europe export them; the delimiter must then not be a comma (use `;` or a tab).
   * @defaultValue "."
   */
  decimalSeparator?: "." | ",";
  /**
   * Keeps only the lines whose named columns hold one of the given values, e.g. `{ stage: "Won" }` or
   * `{ stage: ["Won", "Renewed"], region: "EMEA" }` (every column must match; values compared as written, trimmed).
   * Needs a header. @defaultValue every line
   */
  where?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * What a malformed line does (a missing or empty id, a value that is not a number, a bad date, too few or too many
   * fields): `"error"` throws naming the line; `"skip"` leaves the line out and reports it to `onInvalidRow`, never
   * silently. Errors of the whole file (no header column, quoting, an empty result) still throw.
   * @defaultValue "error"
   */
  invalidRows?: "error" | "skip";
  /** Called with each line left out under `invalidRows: "skip"`: its line number and the error it would have thrown. */
  onInvalidRow?: (row: InvalidRow) => void;
  /**
   * What a line with more fields than the header (or, without a header, than the first line) does: `"error"` throws
   * naming the line and both field counts (usually an unquoted delimiter inside a field, which would otherwise shift
   * or drop a value silently); `"ignore"` reads the line's columns as planned and drops the extra fields.
   * @defaultValue "error"
   */
  extraFields?: "error" | "ignore";
}

/**
 * A line the CSV readers left out under `invalidRows: "skip"`.
 *
 * @category data
 */
export interface InvalidRow {
  /** The 1-based line the record starts on. */
  readonly line: number;
  /** The message of the error the line would have thrown. */
  readonly message: string;
}

/**
 * A streaming interactions reader: push text chunks as they arrive, call `end()` for the dataset.
 *
 * @category data
 */
export interface InteractionsCsvReader {
  /** Parses a chunk of text (any size; it may end mid-field). */
  push(chunk: string): void;
  /** Ends the input and builds the dataset. */
  end(): Interactions;
}

// Parses a numeric cell strictly: no empty cells, no hex/binary, finite.
function parseNumberCell(text: string): number {
  const trimmed = text.trim();
  if (trimmed === "" || !(isNumberCell(trimmed) || /^[+-]?Infinity$/.test(trimmed))) return Number.NaN;
  return Number(trimmed);
}

/** The codes of errors that concern one line, which `invalidRows: "skip"` leaves out. */
const ROW_ERRORS: ReadonlySet<string> = new Set(["E_BAD_INPUT", "E_NON_FINITE", "E_UNKNOWN_ID"]);

interface ColumnPlan {
  user: number;
  item: number;
  value: number; // -1: none
  timestamp: number; // -1: none
  names: string[] | undefined; // header names, for messages
  width: number; // fields of the header (or of the first line without one)
  widthLine: number; // the line that set it
  filters?: ReadonlyArray<readonly [number, ReadonlySet<string>]>; // options.where, as column positions
}

/** Options resolved once for a CSV read. @internal */
interface CsvPlanOptions {
  readonly header: boolean;
  readonly columns: InteractionsCsvColumns | undefined;
  readonly ids: "string" | "number";
  readonly timestamps: "auto" | "number" | "iso";
  readonly extraFields: "error" | "ignore";
  readonly dateParser: DateParser | undefined;
  readonly decimalComma: boolean;
  readonly where: ReadonlyArray<readonly [string, ReadonlySet<string>]>;
  readonly skipInvalid: boolean;
  readonly onInvalidRow: ((row: InvalidRow) => void) | undefined;
}

/** Internal options for the MovieLens reader and the Node helpers. @internal */
export interface InteractionsCsvReaderInternals {
  /** Inserted after the line number in errors, e.g. ` of "u.data"`. */
  readonly source?: string;
}

/**
 * The reader behind {@link createInteractionsCsvReader}, {@link parseInteractionsCsv} and the Node helpers;
 * `fn` names the public function in errors. @internal
 */
export function createInteractionsCsvReaderFor(
  fn: string,
  options: ParseInteractionsCsvOptions,
  internals: InteractionsCsvReaderInternals = {},
): InteractionsCsvReader {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const delimiter = resolveDelimiter(fn, "options.delimiter", options.delimiter);
  const header = options.header ?? true;
  if (typeof header !== "boolean") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.header must be true or false, got ${describeValue(header)}`);
  }
  const ids = options.ids ?? "string";
  if (ids !== "string" && ids !== "number") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.ids must be "string" or "number", got ${describeValue(ids)}`);
  }
  const timestampMode = options.timestamps ?? "auto";
  if (timestampMode !== "auto" && timestampMode !== "number" && timestampMode !== "iso") {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.timestamps must be "auto", "number" or "iso", got ${describeValue(timestampMode)}`,
    );
  }
  const extraFields = options.extraFields ?? "error";
  if (extraFields !== "error" && extraFields !== "ignore") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.extraFields must be "error" or "ignore", got ${describeValue(extraFields)}`);
  }
  const columns = options.columns;
  if (columns !== undefined) checkColumns(fn, columns, header);
  const { dateFormat, decimalSeparator = ".", where: whereOption, invalidRows = "error", onInvalidRow, ...createOptions } = options;
  const where = whereOf(fn, whereOption, header);
  if (invalidRows !== "error" && invalidRows !== "skip") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.invalidRows must be "error" or "skip", got ${describeValue(invalidRows)}`);
  }
  if (onInvalidRow !== undefined && typeof onInvalidRow !== "function") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.onInvalidRow must be a function, got ${describeValue(onInvalidRow)}`);
  }
  const dateParser = dateFormat === undefined ? undefined : compileDateFormat(fn, "options.dateFormat", dateFormat);
  if (dateParser !== undefined && timestampMode !== "auto") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.timestamps must be left out with options.dateFormat, got ${describeValue(timestampMode)}`);
  }
  if (decimalSeparator !== "." && decimalSeparator !== ",") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.decimalSeparator must be "." or ",", got ${describeValue(decimalSeparator)}`);
  }
  if (decimalSeparator === "," && delimiter === ",") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.delimiter must not be "," with decimalSeparator ",", got ","; use ";" or a tab`);
  }
  const resolved = resolveCreateOptions(fn, createOptions);
  const plan: CsvPlanOptions = { header, columns, ids, timestamps: timestampMode, extraFields, dateParser, decimalComma: decimalSeparator === ",", where, skipInvalid: invalidRows === "skip", onInvalidRow };
  return readerFromTokenizer(fn, createCsvTokenizer(fn, delimiter, internals.source ?? ""), plan, resolved, internals.source ?? "");
}

/** The `where` option as (column name, accepted values) pairs. */
function whereOf(fn: string, where: unknown, header: boolean): Array<readonly [string, ReadonlySet<string>]> {
  if (where === undefined) return [];
  if (typeof where !== "object" || where === null || Array.isArray(where)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.where must be an object of column name to value(s), got ${describeValue(where)}`);
  }
  if (!header) throw new NextbestError("E_BAD_INPUT", `${fn}: options.where names columns by their header, so it needs header: true, got header: false`);
  return Object.entries(where).map(([column, wanted]) => {
    const values = typeof wanted === "string" ? [wanted] : wanted;
    if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string")) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.where[${JSON.stringify(column)}] must be a string or a non-empty array of strings, got ${describeValue(wanted)}`);
    }
    return [column, new Set(values.map((v: string) => v.trim()))] as const;
  });
}

function checkColumns(fn: string, columns: InteractionsCsvColumns, header: boolean): void {
  if (typeof columns !== "object" || columns === null) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.columns must be an object, got ${describeValue(columns)}`);
  }
  for (const name of ["user", "item", "value", "timestamp"] as const) {
    const column = columns[name];
    if (column === undefined && (name === "value" || name === "timestamp")) continue;
    const valid =
      (typeof column === "number" && Number.isInteger(column) && column >= 0) || (typeof column === "string" && header);
    if (!valid) {
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: options.columns.${name} must be ${header ? "a header name or " : ""}a 0-based column position${header ? "" : " (there is no header)"}, got ${describeValue(column)}`,
      );
    }
  }
}

function readerFromTokenizer(
  fn: string,
  tokenizer: CsvRowParser,
  options: CsvPlanOptions,
  resolved: ResolvedCreateOptions,
  source: string,
): InteractionsCsvReader {
  let plan: ColumnPlan | undefined;
  let sawHeader = !options.header;
  let timestampMode: "number" | "iso" | undefined = options.timestamps === "auto" ? undefined : options.timestamps;
  let firstDataLine = 0;
  const buffer = new TripletBuffer(false, resolved.duplicates === "error");
  let finished = false;

  // Header files name the column by its header; others by its 1-based number and role: `column 3 (value)`.
  const roleOf = (index: number): string =>
    index === plan?.user ? "user" : index === plan?.item ? "item" : index === plan?.value ? "value" : "timestamp";
  const at = (line: number, index: number): string =>
    plan?.names === undefined
      ? `line ${line}${source}, column ${index + 1} (${roleOf(index)})`
      : `line ${line}${source}, column ${describeValue(plan.names[index])}`;

  const planFromHeader = (record: CsvRecord): ColumnPlan => {
    const names = record.fields.map((name) => name.trim());
    const find = (role: "user" | "item" | "value" | "timestamp", required: boolean): number => {
      const wanted = options.columns === undefined ? role : options.columns[role];
      if (wanted === undefined) return -1;
      if (typeof wanted === "number") {
        if (wanted >= names.length) {
          throw new NextbestError(
            "E_BAD_INPUT",
            `${fn}: options.columns.${role} must be a column position below the header's ${names.length} columns, got ${wanted}`,
          );
        }
        return wanted;
      }
      const index = names.indexOf(wanted);
      if (index >= 0 && names.lastIndexOf(wanted) !== index) {
        throw new NextbestError(
          "E_BAD_INPUT",
          `${fn}: line ${record.line}${source} (the header) must name the ${role} column once, got ${describeValue(wanted)} in columns ${index + 1} and ${names.lastIndexOf(wanted) + 1}`,
        );
      }
      if (index < 0 && (required || options.columns !== undefined)) {
        throw new NextbestError(
          "E_BAD_INPUT",
          `${fn}: line ${record.line}${source} (the header) must have a column ${describeValue(wanted)} for the ${role}, got ${names.map((n) => describeValue(n)).join(", ")}`,
        );
      }
      return index;
    };
    const filters = options.where.map(([column, values]) => {
      const index = names.indexOf(column);
      if (index < 0) {
        throw new NextbestError(
          "E_BAD_INPUT",
          `${fn}: line ${record.line}${source} (the header) must have the column ${describeValue(column)} of options.where, got ${names.map((n) => describeValue(n)).join(", ")}`,
        );
      }
      return [index, values] as const;
    });
    return { user: find("user", true), item: find("item", true), value: find("value", false), timestamp: find("timestamp", false), names, width: names.length, widthLine: record.line, filters };
  };

  const planFromFirstRecord = (record: CsvRecord): ColumnPlan => {
    if (options.columns !== undefined) {
      const c = options.columns;
      return {
        user: c.user as number,
        item: c.item as number,
        value: c.value === undefined ? -1 : (c.value as number),
        timestamp: c.timestamp === undefined ? -1 : (c.timestamp as number),
        names: undefined,
        width: record.fields.length,
        widthLine: record.line,
      };
    }
    const width = record.fields.length;
    return { user: 0, item: 1, value: width > 2 ? 2 : -1, timestamp: width > 3 ? 3 : -1, names: undefined, width, widthLine: record.line };
  };

  const readId = (record: CsvRecord, index: number): Id => {
    const text = record.fields[index]!;
    // A quoted field is the id as written, even empty or blank ("" is the empty-string id, as createInteractions
    // accepts it); an unquoted empty or blank field is a missing id.
    if (options.ids === "string" && text.trim() === "" && record.quoted?.includes(index) === true) return text;
    if (text.trim() === "") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${at(record.line, index)} must be a non-empty id, got ${describeValue(text)}`);
    }
    if (options.ids === "string") return text;
    const value = parseNumberCell(text);
    if (!Number.isFinite(value)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${at(record.line, index)} must be a numeric id (options.ids is "number"), got ${describeValue(text)}`);
    }
    return value;
  };

  const readValue = (record: CsvRecord, index: number): number => {
    const text = record.fields[index]!;
    const value = options.decimalComma ? parseDecimalComma(text) : parseNumberCell(text);
    if (Number.isNaN(value)) {
      const rule = options.decimalComma ? "a number with a decimal comma (12,5 or 1.234,5)" : "a number";
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${at(record.line, index)} must be ${rule}, got ${describeValue(text)}`);
    }
    if (!Number.isFinite(value)) {
      throw new NextbestError("E_NON_FINITE", `${fn}: ${at(record.line, index)} must be a finite number, got ${describeValue(text)}`);
    }
    return value;
  };

  const readTimestamp = (record: CsvRecord, index: number): number => {
    const text = record.fields[index]!;
    if (options.dateParser !== undefined) {
      const value = options.dateParser(text);
      if (Number.isNaN(value)) {
        throw new NextbestError("E_BAD_INPUT", `${fn}: ${at(record.line, index)} must be a date in the dateFormat, got ${describeValue(text)}`);
      }
      return value;
    }
    if (timestampMode === undefined) {
      const number = !Number.isNaN(parseNumberCell(text));
      const iso = !number && !Number.isNaN(parseIsoTimestamp(text));
      if (!number && !iso) {
        throw new NextbestError(
          "E_BAD_INPUT",
          `${fn}: ${at(record.line, index)} must be a timestamp: epoch seconds or milliseconds (1709251200), an ISO 8601 date or date-time (2024-03-01, 2024-03-01T09:30:00Z), or a date matching options.dateFormat (e.g. dateFormat: "MM/dd/yyyy"), got ${describeValue(text)}`,
        );
      }
      timestampMode = iso ? "iso" : "number";
    }
    if (timestampMode === "number") {
      const value = parseNumberCell(text);
      if (!Number.isFinite(value)) {
        const rule = options.timestamps === "auto" ? `a number like line ${firstDataLine}` : "a number";
        throw new NextbestError(
          Number.isNaN(value) ? "E_BAD_INPUT" : "E_NON_FINITE",
          `${fn}: ${at(record.line, index)} must be ${Number.isNaN(value) ? rule : "a finite number"}, got ${describeValue(text)}`,
        );
      }
      return value;
    }
    const value = parseIsoTimestamp(text);
    if (Number.isNaN(value)) {
      const rule = options.timestamps === "auto" ? `an ISO 8601 date like line ${firstDataLine}` : "an ISO 8601 date";
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${at(record.line, index)} must be ${rule}, got ${describeValue(text)}`);
    }
    return value;
  };

  const consume = (records: CsvRecord[]): void => {
    for (const record of records) {
      if (!sawHeader) {
        sawHeader = true;
        plan = planFromHeader(record);
        continue;
      }
      if (plan === undefined) plan = planFromFirstRecord(record);
      if (firstDataLine === 0) {
        firstDataLine = record.line;
        if (plan.timestamp >= 0) buffer.enableTimestamps();
      }
      if (plan.filters !== undefined && !plan.filters.every(([index, values]) => values.has((record.fields[index] ?? "").trim()))) continue;
      if (!options.skipInvalid) {
        readRecord(record, plan);
        continue;
      }
      try {
        readRecord(record, plan);
      } catch (error) {
        if (!(error instanceof NextbestError) || !ROW_ERRORS.has(error.code)) throw error;
        options.onInvalidRow?.({ line: record.line, message: error.message });
      }
    }
  };

  const readRecord = (record: CsvRecord, plan: ColumnPlan): void => {
    const needed = Math.max(plan.user, plan.item, plan.value, plan.timestamp) + 1;
    if (record.fields.length < needed) {
      const missing = [plan.user, plan.item, plan.value, plan.timestamp].filter((c) => c >= record.fields.length);
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: ${at(record.line, Math.min(...missing))} must be present, got a line of ${record.fields.length} field${record.fields.length === 1 ? "" : "s"}`,
      );
    }
    if (record.fields.length > plan.width && options.extraFields === "error") {
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: line ${record.line}${source} must have ${plan.width} field${plan.width === 1 ? "" : "s"} like ${plan.names === undefined ? "the first line" : "the header"} (line ${plan.widthLine}), got ${record.fields.length} (a delimiter inside an unquoted field? quote it, or pass extraFields: "ignore")`,
      );
    }
    const user = readId(record, plan.user);
    const item = readId(record, plan.item);
    const value = plan.value < 0 ? 1 : readValue(record, plan.value);
    const timestamp = plan.timestamp < 0 ? 0 : readTimestamp(record, plan.timestamp);
    const u = resolved.users.indexOf(user);
    if (u < 0) {
      throw new NextbestError("E_UNKNOWN_ID", `${fn}: ${at(record.line, plan.user)} must be a user of options.users (options.unknownIds is "error"), got ${describeValue(user)}`);
    }
    const i = resolved.items.indexOf(item);
    if (i < 0) {
      throw new NextbestError("E_UNKNOWN_ID", `${fn}: ${at(record.line, plan.item)} must be an item of options.items (options.unknownIds is "error"), got ${describeValue(item)}`);
    }
    buffer.push(u, i, value, timestamp, record.line);
  };

  return {
    push(chunk: string): void {
      if (finished) throw new NextbestError("E_BAD_INPUT", `${fn}: the reader must not be used after end(), got another call`);
      consume(tokenizer.push(chunk));
    },
    end(): Interactions {
      if (finished) throw new NextbestError("E_BAD_INPUT", `${fn}: the reader must not be used after end(), got another call`);
      finished = true;
      consume(tokenizer.end());
      if (buffer.count === 0) {
        throw new NextbestError("E_EMPTY", `${fn}: the text${source} must hold at least one interaction line, got none`);
      }
      // ISO 8601 dates become milliseconds since the epoch: the dataset says so, whatever models default to.
      if (timestampMode === "iso" && resolved.timeUnit === "seconds") {
        throw new NextbestError("E_BAD_INPUT", `${fn}: options.timeUnit must be "milliseconds" (or left out) for ISO 8601 dates, which are read as milliseconds, got "seconds"`);
      }
      const asDates = timestampMode === "iso" || options.dateParser !== undefined;
      if (options.dateParser !== undefined && resolved.timeUnit === "seconds") {
        throw new NextbestError("E_BAD_INPUT", `${fn}: options.timeUnit must be "milliseconds" (or left out) with options.dateFormat, whose dates are read as milliseconds, got "seconds"`);
      }
      const timeUnit = asDates && buffer.count > 0 ? "milliseconds" : resolved.timeUnit;
      return buildInteractions(fn, resolved.users.finish(), resolved.items.finish(), buffer, resolved.duplicates, (line) => `line ${line}${source}`, timeUnit);
    },
  };
}

/**
 * Creates a streaming reader of interactions from CSV/TSV text: push chunks as they arrive (from a file stream,
 * a fetch body, a zip entry), then `end()` builds the dataset. Memory holds the compact index arrays, never the
 * whole text. Parsing follows {@link createCsvRowParser}; rows follow {@link createInteractions}.
 *
 * @param options - delimiter, header and column mapping, id and timestamp parsing, and the
 *   {@link CreateInteractionsOptions} (duplicate policy, default `"sum"`; preset indexes)
 * @returns a reader with `push(chunk)` and `end()`
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for invalid options; from `push`/`end` as
 *   {@link parseInteractionsCsv}
 * @example
 * ```ts
 * import { createInteractionsCsvReader, interactionCount } from "nextbest/data";
 * const reader = createInteractionsCsvReader({ columns: { user: "account", item: "sku" } });
 * reader.push("account,sku,qty\nacme,A-1,");
 * reader.push("3\nglobex,B-2,1\n");
 * interactionCount(reader.end()); // => 2
 * ```
 * @category data
 */
export function createInteractionsCsvReader(options: ParseInteractionsCsvOptions = {}): InteractionsCsvReader {
  return createInteractionsCsvReaderFor("createInteractionsCsvReader", options);
}

/**
 * Reads interactions from CSV/TSV text (RFC 4180 quoting, LF/CRLF line ends, BOM), mapping header names or
 * column positions to user, item, value and timestamp. O(length of the text + users + items).
 *
 * Ids are kept as strings unless `ids: "number"`; empty id cells are rejected. Values must be numbers. Timestamps
 * are numbers in the file's own unit, or ISO 8601 dates converted to milliseconds since the epoch (see
 * {@link ParseInteractionsCsvOptions.timestamps}). Every error names the line and the column.
 *
 * @param text - the whole text, or an iterable of chunks
 * @param options - see {@link ParseInteractionsCsvOptions}
 * @returns the dataset
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for malformed quoting, a missing header column, a missing field, an
 *   empty id, or a value or timestamp that is not a number / date (as in
 *   `parseInteractionsCsv: line 17, column "value" must be a number, got "abc"`); `E_NON_FINITE` for an infinite
 *   value; `E_EMPTY` when there is no data line; `E_DUPLICATE` / `E_UNKNOWN_ID` as in {@link createInteractions}
 * @example
 * ```ts
 * import { parseInteractionsCsv, userItems } from "nextbest/data";
 * const text = 'account_id;product;revenue;date\nacme;"CRM; pro";1200.5;2024-03-01\nacme;ERP;300;2024-04-01\n';
 * const data = parseInteractionsCsv(text, {
 *   columns: { user: "account_id", item: "product", value: "revenue", timestamp: "date" },
 * });
 * userItems(data, "acme").items; // => ["CRM; pro", "ERP"]
 * Array.from(userItems(data, "acme").timestamps ?? []); // => [1709251200000, 1711929600000]
 * ```
 * @category data
 */
export function parseInteractionsCsv(text: string | Iterable<string>, options: ParseInteractionsCsvOptions = {}): Interactions {
  const fn = "parseInteractionsCsv";
  const reader = createInteractionsCsvReaderFor(fn, options);
  if (typeof text === "string") reader.push(text);
  else if (text !== null && typeof text === "object" && typeof (text as Iterable<string>)[Symbol.iterator] === "function") {
    for (const chunk of text) reader.push(chunk);
  } else {
    throw new NextbestError("E_BAD_INPUT", `${fn}: text must be a string or an iterable of strings, got ${describeValue(text)}`);
  }
  return reader.end();
}

/**
 * Reads interactions from an async iterable of text chunks, such as a Node stream opened with an encoding,
 * a Deno file's text stream or a decoded fetch body; same rules as {@link parseInteractionsCsv}.
 *
 * @param chunks - the text, chunk by chunk
 * @param options - see {@link ParseInteractionsCsvOptions}
 * @returns a promise of the dataset
 * @throws {@link core!NextbestError} as {@link parseInteractionsCsv} (the promise rejects)
 * @example
 * ```ts
 * import { parseInteractionsCsvAsync, interactionCount } from "nextbest/data";
 * async function* chunks(): AsyncGenerator<string> {
 *   yield "user,item\na,";
 *   yield "x\nb,y\n";
 * }
 * interactionCount(await parseInteractionsCsvAsync(chunks())); // => 2
 * ```
 * @category data
 */
export async function parseInteractionsCsvAsync(
  chunks: AsyncIterable<string>,
  options: ParseInteractionsCsvOptions = {},
): Promise<Interactions> {
  const fn = "parseInteractionsCsvAsync";
  const reader = createInteractionsCsvReaderFor(fn, options);
  if (chunks === null || typeof chunks !== "object" || typeof chunks[Symbol.asyncIterator] !== "function") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: chunks must be an async iterable of strings, got ${describeValue(chunks)}`);
  }
  for await (const chunk of chunks) reader.push(chunk);
  return reader.end();
}
