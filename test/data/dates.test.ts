// Issue 16, "dates": US and European date layouts by pattern, a decimal comma, and errors that say what is accepted.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseInteractionsCsv, userItems } from "../../src/data/index.ts";
import { compileDateFormat, parseDecimalComma, parseIsoTimestamp } from "../../src/data/dates.ts";
import { expectError } from "../helpers.ts";

describe("dateFormat", () => {
  it("reads US dates (MM/dd/yyyy) as UTC milliseconds, and the dataset says so", () => {
    const data = parseInteractionsCsv("user,item,timestamp\nacme,crm,03/01/2017\nacme,erp,12/31/2017\n", { dateFormat: "MM/dd/yyyy" });
    expect(Array.from(userItems(data, "acme").timestamps ?? [])).toEqual([Date.UTC(2017, 2, 1), Date.UTC(2017, 11, 31)]);
    expect(data.timeUnit).toBe("milliseconds");
  });

  it("reads day-first dates with times, short fields and packed digits", () => {
    const parse = (pattern: string, text: string) => compileDateFormat("t", "dateFormat", pattern)(text);
    expect(parse("dd.MM.yyyy HH:mm", "01.03.2017 14:05")).toBe(Date.UTC(2017, 2, 1, 14, 5));
    expect(parse("M/d/yyyy", "3/1/2017")).toBe(Date.UTC(2017, 2, 1));
    expect(parse("M/d/yyyy", "12/31/2017")).toBe(Date.UTC(2017, 11, 31));
    expect(parse("yyyyMMdd", "20170301")).toBe(Date.UTC(2017, 2, 1));
    expect(parse("yyyy-MM-dd HH:mm:ss.SSS", "2017-03-01 00:00:01.250")).toBe(Date.UTC(2017, 2, 1, 0, 0, 1, 250));
    for (const bad of ["02/30/2017", "13/01/2017", "3/1/17", "03/01/2017x", ""]) expect(parse("MM/dd/yyyy", bad)).toBeNaN();
  });

  it("property: formatting a date with the pattern and parsing it back gives the same instant", () => {
    const pad = (n: number, w: number) => String(n).padStart(w, "0");
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2999, 11, 31)), noInvalidDate: true }), (date) => {
        const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes());
        const d = new Date(day);
        const text = `${pad(d.getUTCDate(), 2)}.${pad(d.getUTCMonth() + 1, 2)}.${pad(d.getUTCFullYear(), 4)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}`;
        expect(compileDateFormat("t", "dateFormat", "dd.MM.yyyy HH:mm")(text)).toBe(day);
      }),
    );
  });

  it("names the line of a date that does not match, and a pattern without a day", () => {
    expectError(
      () => parseInteractionsCsv("user,item,timestamp\nacme,crm,2017-03-01\n", { dateFormat: "MM/dd/yyyy" }),
      "E_BAD_INPUT",
      'parseInteractionsCsv: line 2, column "timestamp" must be a date in the dateFormat, got "2017-03-01"',
    );
    expectError(() => parseInteractionsCsv("user,item\n", { dateFormat: "MM/yyyy" }), "E_BAD_INPUT", "parseInteractionsCsv: options.dateFormat must hold a year (yyyy), a month (MM) and a day (dd)");
  });

  it("without a dateFormat, an unrecognised date says which formats are accepted", () => {
    expectError(
      () => parseInteractionsCsv("user,item,timestamp\nacme,crm,03/01/2017\n"),
      "E_BAD_INPUT",
      'parseInteractionsCsv: line 2, column "timestamp" must be a timestamp: epoch seconds or milliseconds (1709251200), an ISO 8601 date or date-time (2024-03-01, 2024-03-01T09:30:00Z), or a date matching options.dateFormat (e.g. dateFormat: "MM/dd/yyyy"), got "03/01/2017"',
    );
  });
});

describe("decimalSeparator", () => {
  it('"," reads 12,5 and 1.234,5 in a semicolon file', () => {
    const data = parseInteractionsCsv("user;item;value\nacme;crm;12,5\nacme;erp;1.234,5\n", { decimalSeparator: "," });
    expect(Array.from(data.byUser.values)).toEqual([12.5, 1234.5]);
    expectError(() => parseInteractionsCsv("user;item;value\nacme;crm;1,2,3\n", { decimalSeparator: "," }), "E_BAD_INPUT", "must be a number with a decimal comma (12,5 or 1.234,5)");
    expectError(() => parseInteractionsCsv("user,item\n", { decimalSeparator: ",", delimiter: "," }), "E_BAD_INPUT", 'options.delimiter must not be "," with decimalSeparator ","');
  });

  it("property: a number written with a decimal comma reads back as itself", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        const grouped = Math.abs(whole).toLocaleString("de-DE");
        const text = `${whole < 0 ? "-" : ""}${grouped},${String(cents).padStart(2, "0")}`;
        expect(parseDecimalComma(text)).toBeCloseTo(Math.sign(whole || 1) * (Math.abs(whole) + cents / 100), 6);
      }),
    );
  });
});

describe("parseIsoTimestamp", () => {
  it("agrees with Date.UTC and rejects impossible dates", () => {
    expect(parseIsoTimestamp("1970-01-01")).toBe(0);
    expect(parseIsoTimestamp("2000-02-29T23:59:59.999Z")).toBe(Date.UTC(2000, 1, 29, 23, 59, 59, 999));
    expect(parseIsoTimestamp("2020-06-15T12:00:00-0230")).toBe(Date.UTC(2020, 5, 15, 14, 30));
    expect(parseIsoTimestamp("2020-06-15T24:00")).toBe(Date.UTC(2020, 5, 16));
    for (const bad of ["2023-02-29", "2020-13-01", "2020-01-01T25:00", "20200101", "yesterday", "2020-01-01T10:61"]) {
      expect(parseIsoTimestamp(bad)).toBeNaN();
    }
  });
});
