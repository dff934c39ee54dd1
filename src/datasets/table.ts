// Shared helpers for the dataset text parsers: header lookup and typed field reads with errors naming line and column.
import { NextbestError, describeValue } from "../core/errors.ts";
import { createCsvTokenizer } from "../data/csv.ts";

/** A parsed table: the record cells of each data row, with its line, read through named columns. @internal */
export interface Table {
  readonly rows: readonly { readonly fields: readonly string[]; readonly line: number }[];
  readonly column: ReadonlyMap<string, number>;
}

/** Parses comma-separated text with a header holding every one of `required` columns. @internal */
export function readTable(fn: string, text: unknown, required: readonly string[], source = ""): Table {
  if (typeof text !== "string") throw new NextbestError("E_BAD_INPUT", `${fn}: text must be a string, got ${describeValue(text)}`);
  const parser = createCsvTokenizer(fn, ",", source);
  const records = [...parser.push(text), ...parser.end()];
  const header = records[0];
  if (header === undefined) throw new NextbestError("E_EMPTY", `${fn}: text must start with a header line${source}, got no lines`);
  const column = new Map<string, number>();
  header.fields.forEach((name, k) => {
    if (!column.has(name.trim())) column.set(name.trim(), k);
  });
  for (const name of required) {
    if (!column.has(name)) {
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: the header${source} must have a column ${describeValue(name)}, got ${describeValue(header.fields.join(","))}`,
      );
    }
  }
  return { rows: records.slice(1), column };
}

/** The trimmed text of a named column of a row (empty when the row is short). @internal */
export function cell(table: Table, fields: readonly string[], name: string): string {
  return (fields[table.column.get(name)!] ?? "").trim();
}

function fieldError(fn: string, line: number, source: string, name: string, rule: string, value: string): NextbestError {
  return new NextbestError("E_BAD_INPUT", `${fn}: line ${line}${source}, column ${describeValue(name)} must ${rule}, got ${describeValue(value)}`);
}

/** A required non-empty text cell. @internal */
export function textCell(fn: string, table: Table, row: Table["rows"][number], name: string, source = ""): string {
  const value = cell(table, row.fields, name);
  if (value === "") throw fieldError(fn, row.line, source, name, "be non-empty", value);
  return value;
}

/** A numeric cell; empty gives null when `optional`. @internal */
export function numberCell(fn: string, table: Table, row: Table["rows"][number], name: string, optional: boolean, source = ""): number | null {
  const value = cell(table, row.fields, name);
  if (value === "" && optional) return null;
  const number = value === "" ? Number.NaN : Number(value);
  if (!Number.isFinite(number)) throw fieldError(fn, row.line, source, name, "be a finite number", value);
  return number;
}

/** An ISO `YYYY-MM-DD` date cell as ms since the epoch (UTC midnight); empty gives null when `optional`. @internal */
export function dateCell(fn: string, table: Table, row: Table["rows"][number], name: string, optional: boolean, source = ""): number | null {
  const value = cell(table, row.fields, name);
  if (value === "" && optional) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match !== null) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const time = Date.UTC(year, month - 1, day);
    const date = new Date(time);
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) return time;
  }
  throw fieldError(fn, row.line, source, name, "be a date YYYY-MM-DD", value);
}

/** Checks a parser's options argument. @internal */
export function checkOptions(fn: string, options: unknown): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
}
