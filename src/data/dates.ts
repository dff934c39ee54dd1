/**
 * Dates in the layouts spreadsheets and CRMs export (`03/01/2017`, `01.03.2017 14:05`), read by a pattern, ISO 8601
 * dates and date-times with or without an offset, and numbers with a decimal comma (`1.234,5`). Used by the CSV
 * readers' `dateFormat`, timestamp and `decimalSeparator` handling.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";

/** One piece of a compiled date pattern: a numeric field or literal text. */
type DatePart =
  | { readonly kind: "field"; readonly field: "year" | "month" | "day" | "hour" | "minute" | "second" | "millisecond"; readonly width: number; readonly exact: boolean }
  | { readonly kind: "literal"; readonly text: string };

/** A compiled `dateFormat`: parses one cell to milliseconds since the epoch (UTC), or NaN when it does not match. */
export type DateParser = (text: string) => number;

const TOKENS: ReadonlyArray<readonly [string, DatePart]> = [
  ["yyyy", { kind: "field", field: "year", width: 4, exact: true }],
  ["MM", { kind: "field", field: "month", width: 2, exact: true }],
  ["M", { kind: "field", field: "month", width: 2, exact: false }],
  ["dd", { kind: "field", field: "day", width: 2, exact: true }],
  ["d", { kind: "field", field: "day", width: 2, exact: false }],
  ["HH", { kind: "field", field: "hour", width: 2, exact: true }],
  ["H", { kind: "field", field: "hour", width: 2, exact: false }],
  ["mm", { kind: "field", field: "minute", width: 2, exact: true }],
  ["ss", { kind: "field", field: "second", width: 2, exact: true }],
  ["SSS", { kind: "field", field: "millisecond", width: 3, exact: true }],
];

/** The tokens a `dateFormat` may use, for messages and docs. */
export const DATE_FORMAT_TOKENS = "yyyy, MM or M, dd or d, HH or H, mm, ss, SSS";

/**
 * Compiles a date pattern such as `"MM/dd/yyyy"`, `"dd.MM.yyyy HH:mm"` or `"yyyyMMdd"` (tokens as in date-fns and
 * Java: `yyyy` year, `MM`/`M` month, `dd`/`d` day, `HH`/`H` hour 0–23, `mm` minute, `ss` second, `SSS` milliseconds;
 * any other character is literal). A date is read as UTC. The pattern must hold a year, a month and a day.
 *
 * @param fn - the public function, for messages
 * @param name - the option's path, for messages
 * @param pattern - the pattern
 * @returns the parser: milliseconds since the epoch, or NaN when a cell does not match or is not a real date
 * @internal
 */
export function compileDateFormat(fn: string, name: string, pattern: unknown): DateParser {
  if (typeof pattern !== "string" || pattern === "") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a date pattern such as "MM/dd/yyyy" (tokens ${DATE_FORMAT_TOKENS}), got ${describeValue(pattern)}`);
  }
  const parts: DatePart[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < pattern.length; ) {
    const token = TOKENS.find(([t]) => pattern.startsWith(t, i));
    if (token !== undefined && !(token[1].kind === "field" && seen.has(token[1].field))) {
      parts.push(token[1]);
      if (token[1].kind === "field") seen.add(token[1].field);
      i += token[0].length;
      continue;
    }
    const last = parts[parts.length - 1];
    if (last !== undefined && last.kind === "literal") parts[parts.length - 1] = { kind: "literal", text: last.text + pattern[i]! };
    else parts.push({ kind: "literal", text: pattern[i]! });
    i++;
  }
  for (const required of ["year", "month", "day"]) {
    if (!seen.has(required)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must hold a year (yyyy), a month (MM) and a day (dd), got ${describeValue(pattern)}`);
    }
  }
  return (text) => parseWithParts(parts, text.trim());
}

function parseWithParts(parts: readonly DatePart[], text: string): number {
  const value = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 };
  let i = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    if (part.kind === "literal") {
      if (!text.startsWith(part.text, i)) return Number.NaN;
      i += part.text.length;
      continue;
    }
    // An exact field takes its width; a short one (M, d, H) one or two digits, two only when both are digits.
    let end = i;
    const limit = part.exact ? i + part.width : Math.min(i + part.width, text.length);
    while (end < limit && end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
    if (end === i || (part.exact && end - i !== part.width)) return Number.NaN;
    value[part.field] = Number(text.slice(i, end));
    i = end;
  }
  if (i !== text.length) return Number.NaN;
  const { year, month, day, hour, minute, second, millisecond } = value;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day) return Number.NaN; // 02/30/2024
  date.setUTCHours(hour, minute, second, millisecond);
  return date.getTime();
}

/**
 * Parses a number written with a decimal comma: `12,5`, `1.234,5` (dots group thousands), `-0,25`, `1234`. NaN when
 * the text is not such a number (`1,2,3`, `1.23`, `abc`).
 *
 * @internal
 */
export function parseDecimalComma(text: string): number {
  const trimmed = text.trim();
  if (!/^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$/.test(trimmed)) return Number.NaN;
  return Number(trimmed.replaceAll(".", "").replace(",", "."));
}

// Strict ISO 8601 subset: date, optional time (T or space), optional fraction, optional zone.
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Milliseconds since the epoch of an ISO 8601 date or date-time, or NaN when `text` is not one or names an
 * impossible date. A date-time without an offset is UTC. @internal
 */
export function parseIsoTimestamp(text: string): number {
  const m = ISO_DATE.exec(text.trim());
  if (m === null) return Number.NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  if (month < 1 || month > 12 || day < 1 || hour > 24 || minute > 59 || second > 59) return Number.NaN;
  if (hour === 24 && (minute !== 0 || second !== 0 || millis !== 0)) return Number.NaN;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day) return Number.NaN; // e.g. 2023-02-30
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const zoneHours = Number(digits.slice(0, 2));
    const zoneMinutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (zoneHours > 23 || zoneMinutes > 59) return Number.NaN;
    offsetMinutes = sign * (zoneHours * 60 + zoneMinutes);
  }
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime() + millis - offsetMinutes * 60_000;
}
