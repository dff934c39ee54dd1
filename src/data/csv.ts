/**
 * A chunked RFC 4180 CSV/TSV tokenizer: text in, records with line numbers out.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";

/** Options of {@link createCsvRowParser} and {@link parseCsv}. @category data */
export interface CsvParserOptions {
  /**
   * The field delimiter: one character other than `"`, CR and LF, or `"auto"` to pick from the first record the
   * most frequent of comma, tab, semicolon and pipe outside quotes (ties in that order; comma when none occurs).
   * @defaultValue "auto"
   */
  delimiter?: string;
}

/** One parsed record and the line it starts on. @category data */
export interface CsvRecord {
  /** The fields, unquoted (`""` inside a quoted field becomes `"`). */
  readonly fields: string[];
  /** The 1-based physical line the record starts on (quoted newlines count as lines). */
  readonly line: number;
  /**
   * The positions of the fields that were quoted, present only when there are some: readers tell an explicit empty
   * or blank value (`""`, `" "`) apart from a missing (unquoted empty) field.
   */
  readonly quoted?: readonly number[];
}

/**
 * An incremental CSV parser: feed it text chunks of any size (a chunk may end inside a field, a quoted newline or
 * a CRLF pair) and it returns the records completed so far.
 *
 * @category data
 */
export interface CsvRowParser {
  /** Parses a chunk; returns the records it completed (possibly none). */
  push(chunk: string): CsvRecord[];
  /** Ends the input; returns the last record, if any. The parser cannot be used afterwards. */
  end(): CsvRecord[];
  /** The delimiter in use: the chosen one, or the detected one once the first record was seen (else undefined). */
  readonly delimiter: string | undefined;
}

const AUTO_CANDIDATES = [",", "\t", ";", "|"] as const;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Validates a delimiter option; returns "auto" or the single character. @internal */
export function resolveDelimiter(fn: string, name: string, value: unknown): string {
  const delimiter = value ?? "auto";
  if (
    delimiter !== "auto" &&
    (typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"' || delimiter === "\r" || delimiter === "\n")
  ) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: ${name} must be "auto" or one character other than a quote or a line break, got ${describeValue(delimiter)}`,
    );
  }
  return delimiter as string;
}

// The most frequent candidate delimiter outside quotes in the first record of `text`, or undefined when the first
// record is not complete yet (and `final` is false).
function detectDelimiter(text: string, final: boolean): string | undefined {
  const counts = [0, 0, 0, 0];
  let inQuotes = false;
  let complete = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes) {
      if (c === "\n" || c === "\r") {
        complete = true;
        break;
      }
      const k = (AUTO_CANDIDATES as readonly string[]).indexOf(c);
      if (k >= 0) counts[k]!++;
    }
  }
  if (!complete && !final) return undefined;
  let best = 0;
  for (let k = 1; k < counts.length; k++) if (counts[k]! > counts[best]!) best = k;
  return AUTO_CANDIDATES[best];
}

// Tokenizer states.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

/**
 * The tokenizer behind the public parsers; `fn` and `source` name the caller in errors. @internal
 */
export function createCsvTokenizer(fn: string, delimiterOption: string, source = ""): CsvRowParser {
  let delimiter: string | undefined = delimiterOption === "auto" ? undefined : delimiterOption;
  let delim = delimiter === undefined ? -1 : delimiter.charCodeAt(0);
  let head = ""; // text held back until the delimiter is detected
  let fields: string[] = [];
  let field = "";
  let state: number = FIELD_START;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let recordHasContent = false;
  let skipLf = false; // a CR ended the previous chunk: a leading LF belongs to it
  let quotedCr = false; // the quoted text so far ended with CR (for line counting across chunks)
  let started = false;
  let ended = false;
  let out: CsvRecord[] = [];

  const where = (at: number): string => `line ${at}${source}`;

  let fieldQuoted = false;
  let quoted: number[] | undefined;
  const pushField = (): void => {
    if (fieldQuoted) (quoted ??= []).push(fields.length);
    fields.push(field);
    field = "";
    fieldQuoted = false;
  };

  const endRecord = (): void => {
    pushField();
    if (recordHasContent || fields.length > 1) out.push(quoted === undefined ? { fields, line: recordLine } : { fields, line: recordLine, quoted });
    fields = [];
    quoted = undefined;
    recordHasContent = false;
  };

  const process = (s: string): void => {
    const n = s.length;
    let i = 0;
    if (!started && n > 0) {
      started = true;
      if (s.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (skipLf && i < n) {
      if (s.charCodeAt(i) === LF) i++;
      skipLf = false;
    }
    while (i < n) {
      if (state === QUOTED) {
        const q = s.indexOf('"', i);
        const end = q < 0 ? n : q;
        for (let j = i; j < end; j++) {
          const c = s.charCodeAt(j);
          if (c === LF) {
            if (!quotedCr) line++;
            quotedCr = false;
          } else if (c === CR) {
            line++;
            quotedCr = true;
          } else quotedCr = false;
        }
        field += s.slice(i, end);
        if (q < 0) return;
        quotedCr = false;
        i = q + 1;
        state = QUOTE_IN_QUOTED;
        continue;
      }
      let c = s.charCodeAt(i);
      if (state === QUOTE_IN_QUOTED) {
        if (c === QUOTE) {
          field += '"';
          state = QUOTED;
          i++;
          continue;
        }
        if (c !== delim && c !== LF && c !== CR) {
          throw new NextbestError(
            "E_BAD_INPUT",
            `${fn}: ${where(line)}, a closing quote must be followed by a delimiter or a line end, got ${describeValue(s[i])}`,
          );
        }
        state = UNQUOTED; // handled below as the end of a field
      } else if (state === FIELD_START && c === QUOTE) {
        state = QUOTED;
        fieldQuoted = true;
        quoteLine = line;
        recordHasContent = true;
        quotedCr = false;
        i++;
        continue;
      } else {
        let j = i;
        while (j < n) {
          c = s.charCodeAt(j);
          if (c === delim || c === LF || c === CR) break;
          j++;
        }
        if (j > i) {
          field += s.slice(i, j);
          recordHasContent = true;
          state = UNQUOTED;
        }
        i = j;
        if (i === n) return;
      }
      // s[i] is a delimiter or a line break ending the current field.
      if (c === delim) {
        pushField();
        recordHasContent = true;
        state = FIELD_START;
        i++;
        continue;
      }
      endRecord();
      state = FIELD_START;
      line++;
      recordLine = line;
      i++;
      if (c === CR) {
        if (i < n) {
          if (s.charCodeAt(i) === LF) i++;
        } else skipLf = true;
      }
    }
  };

  const checkOpen = (): void => {
    if (ended) throw new NextbestError("E_BAD_INPUT", `${fn}: the parser must not be used after end(), got another call`);
  };

  return {
    push(chunk: string): CsvRecord[] {
      checkOpen();
      if (typeof chunk !== "string") {
        throw new NextbestError("E_BAD_INPUT", `${fn}: chunk must be a string, got ${describeValue(chunk)}`);
      }
      out = [];
      if (delim < 0) {
        head += chunk;
        const detected = detectDelimiter(head.charCodeAt(0) === 0xfeff ? head.slice(1) : head, false);
        if (detected === undefined) return out;
        delimiter = detected;
        delim = detected.charCodeAt(0);
        chunk = head;
        head = "";
      }
      process(chunk);
      return out;
    },
    end(): CsvRecord[] {
      checkOpen();
      out = [];
      if (delim < 0) {
        delimiter = detectDelimiter(head.charCodeAt(0) === 0xfeff ? head.slice(1) : head, true)!;
        delim = delimiter.charCodeAt(0);
        process(head);
        head = "";
      }
      ended = true;
      if (state === QUOTED) {
        throw new NextbestError("E_BAD_INPUT", `${fn}: ${where(quoteLine)}, a quoted field must be closed, got the end of the input`);
      }
      if (recordHasContent || fields.length > 0 || field !== "") endRecord();
      return out;
    },
    get delimiter(): string | undefined {
      return delimiter;
    },
  };
}

/**
 * Creates an incremental RFC 4180 CSV/TSV parser for text that arrives in chunks (a file stream, a fetch body).
 *
 * Fields may be quoted with `"`; inside quotes, delimiters and line breaks are data and `""` is one quote.
 * Lines end with LF, CRLF or CR; a leading byte-order mark is skipped; blank lines are skipped. A quote inside an
 * unquoted field is kept as data. Runs in O(total length); memory holds only the record being parsed.
 *
 * @param options - the delimiter (default `"auto"`)
 * @returns a parser with `push(chunk)` and `end()`
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for an invalid delimiter; from `push`/`end`, for text after a
 *   closing quote or an unclosed quote, naming the line
 * @example
 * ```ts
 * import { createCsvRowParser } from "nextbest/data";
 * const parser = createCsvRowParser();
 * parser.push('user,item\nacme,"CRM, ').map((record) => record.fields); // => [["user", "item"]]
 * parser.push('pro"\nglobex,ERP').map((record) => record.fields); // => [["acme", "CRM, pro"]]
 * parser.end(); // => [{ fields: ["globex", "ERP"], line: 3 }]
 * parser.delimiter; // => ","
 * ```
 * @category data
 */
export function createCsvRowParser(options: CsvParserOptions = {}): CsvRowParser {
  const fn = "createCsvRowParser";
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  return createCsvTokenizer(fn, resolveDelimiter(fn, "options.delimiter", options.delimiter));
}

/**
 * Options of {@link parseCsv} in header mode: the first record names the columns and each row becomes a `Map` from
 * column name to value, ready for `fitFeatureEncoder`, `parseFeatureTable` or your own code.
 *
 * @category data
 */
export interface CsvTableOptions extends CsvParserOptions {
  /** The first record is a header of column names (unique, trimmed). */
  header: true;
  /**
   * Which columns hold numbers: `"auto"` every column whose non-empty cells are all numbers, or the names of the
   * columns that must be numbers (a cell that is not is an error naming its line and column). Other cells stay
   * strings. @defaultValue none: every cell a string
   */
  numbers?: "auto" | readonly string[];
}

/** One row of {@link parseCsv} in header mode: column name → value; empty cells are left out (missing). @category data */
export type CsvTableRow = Map<string, string | number>;

/**
 * Parses CSV/TSV text (RFC 4180 quoting, LF/CRLF/CR line ends, BOM and blank lines skipped). O(length of the text).
 * Without `header` it returns the fields of every record; with `{ header: true }` the first record names the
 * columns and every other record becomes a {@link CsvTableRow} (`Map` of column to value, numbers where `numbers`
 * says, empty cells left out). For text that arrives in pieces use {@link createCsvRowParser}.
 *
 * @param text - the whole text
 * @param options - the delimiter (default `"auto"`); `header: true` and `numbers` for rows as maps
 * @returns one array of fields per record, or one map per data row in header mode
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for malformed quoting, naming the line; in header mode a repeated
 *   column name, a line with another number of fields than the header, or a `numbers` column cell that is not a
 *   number, naming the line and column
 * @example
 * ```ts
 * import { parseCsv } from "nextbest/data";
 * parseCsv('id;name\r\n1;"Acme ""Inc"""\r\n'); // => [["id", "name"], ["1", 'Acme "Inc"']]
 * const rows = parseCsv("sku,family,seats\ncrm,sales,10\nerp,finance,\n", { header: true, numbers: "auto" });
 * [rows[0]!.get("seats"), rows[1]!.has("seats"), rows[1]!.get("family")]; // => [10, false, "finance"]
 * ```
 * @category data
 */
export function parseCsv(text: string, options?: CsvParserOptions & { header?: false }): string[][];
export function parseCsv(text: string, options: CsvTableOptions): CsvTableRow[];
export function parseCsv(text: string, options: CsvParserOptions & { header?: boolean; numbers?: "auto" | readonly string[] } = {}): string[][] | CsvTableRow[] {
  const fn = "parseCsv";
  if (typeof text !== "string") throw new NextbestError("E_BAD_INPUT", `${fn}: text must be a string, got ${describeValue(text)}`);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const header = options.header ?? false;
  if (typeof header !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: options.header must be true or false, got ${describeValue(header)}`);
  if (!header && options.numbers !== undefined) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.numbers needs header: true (it names columns), got ${describeValue(options.numbers)}`);
  }
  const parser = createCsvTokenizer(fn, resolveDelimiter(fn, "options.delimiter", options.delimiter));
  const records = [...parser.push(text), ...parser.end()];
  if (!header) return records.map((record) => record.fields);
  return tableRows(fn, records, options.numbers);
}

// Strict number cells: decimal or exponent notation, no hex, no blanks inside.
const NUMBER_CELL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Whether a trimmed cell is a number in decimal or exponent notation (no hex, no blanks inside). @internal */
export function isNumberCell(text: string): boolean {
  return NUMBER_CELL.test(text);
}

function tableRows(fn: string, records: readonly CsvRecord[], numbers: unknown): CsvTableRow[] {
  const head = records[0];
  if (head === undefined) return [];
  const names = head.fields.map((name) => name.trim());
  names.forEach((name, c) => {
    if (names.indexOf(name) !== c) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: line ${head.line} (the header) must name each column once, got ${describeValue(name)} in columns ${names.indexOf(name) + 1} and ${c + 1}`);
    }
  });
  const body = records.slice(1);
  for (const record of body) {
    if (record.fields.length !== names.length) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: line ${record.line} must have ${names.length} fields like the header, got ${record.fields.length}`);
    }
  }
  let numeric: boolean[];
  if (numbers === undefined) numeric = names.map(() => false);
  else if (numbers === "auto") {
    numeric = names.map((_, c) => {
      let any = false;
      for (const record of body) {
        const cell = record.fields[c]!.trim();
        if (cell === "") continue;
        if (!NUMBER_CELL.test(cell)) return false;
        any = true;
      }
      return any;
    });
  } else if (Array.isArray(numbers) && numbers.every((name) => typeof name === "string")) {
    for (const name of numbers as string[]) {
      if (!names.includes(name)) {
        throw new NextbestError("E_BAD_INPUT", `${fn}: options.numbers must name header columns, got ${describeValue(name)} (columns ${names.map((n) => describeValue(n)).join(", ")})`);
      }
    }
    numeric = names.map((name) => (numbers as string[]).includes(name));
  } else {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.numbers must be "auto" or an array of column names, got ${describeValue(numbers)}`);
  }
  return body.map((record) => {
    const row: CsvTableRow = new Map();
    record.fields.forEach((field, c) => {
      const cell = field.trim();
      if (cell === "") return;
      if (!numeric[c]) {
        row.set(names[c]!, field);
        return;
      }
      const value = NUMBER_CELL.test(cell) ? Number(cell) : Number.NaN;
      if (!Number.isFinite(value)) {
        throw new NextbestError("E_BAD_INPUT", `${fn}: line ${record.line}, column ${describeValue(names[c])} must be a finite number (options.numbers), got ${describeValue(field)}`);
      }
      row.set(names[c]!, value);
    });
    return row;
  });
}
