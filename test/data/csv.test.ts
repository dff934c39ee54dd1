import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NextbestError } from "../../src/core/errors.ts";
import { createCsvRowParser, parseCsv, type CsvRecord } from "../../src/data/index.ts";
import { errorOf } from "../helpers.ts";


/** An RFC 4180 writer: quotes a field when it holds the delimiter, a quote, CR, LF or a BOM (or always). */
function writeCsv(rows: string[][], delimiter: string, lineEnd: string, quoteAll: boolean): string {
  return rows
    .map((fields) =>
      fields
        .map((field) =>
          quoteAll || fields.length === 1 || /["\r\n\uFEFF]/.test(field) || field.includes(delimiter)
            ? `"${field.replaceAll('"', '""')}"`
            : field,
        )
        .join(delimiter),
    )
    .join(lineEnd);
}

function parseInChunks(text: string, cuts: number[], delimiter = "auto"): CsvRecord[] {
  const parser = createCsvRowParser({ delimiter });
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: CsvRecord[] = [];
  let start = 0;
  for (const point of points) {
    out.push(...parser.push(text.slice(start, point)));
    start = point;
  }
  out.push(...parser.push(text.slice(start)));
  out.push(...parser.end());
  return out;
}

describe("parseCsv", () => {
  it("unquotes RFC 4180 fields with delimiters, quotes and newlines inside", () => {
    expect(parseCsv('a,"b,c","say ""hi""","x\ny"\n1,2,3,4\n')).toEqual([
      ["a", "b,c", 'say "hi"', "x\ny"],
      ["1", "2", "3", "4"],
    ]);
  });

  it("handles CRLF, a bare CR, a BOM, blank lines and a missing final newline", () => {
    expect(parseCsv("\uFEFFid,name\r\n\r\n1,a\r2,b\n\n3,\"c\r\nd\"")).toEqual([
      ["id", "name"],
      ["1", "a"],
      ["2", "b"],
      ["3", "c\r\nd"],
    ]);
  });

  it("keeps empty fields, including trailing ones and a quoted empty line", () => {
    expect(parseCsv('a,,b,\n""\n,\n')).toEqual([["a", "", "b", ""], [""], ["", ""]]);
  });

  it("keeps a quote inside an unquoted field as data", () => {
    expect(parseCsv('5" screen,x\n')).toEqual([['5" screen', "x"]]);
  });

  it("detects tab, semicolon and pipe from the first line, ignoring quoted ones", () => {
    expect(parseCsv("a\tb;c\n1\t2;3\n")).toEqual([["a", "b;c"], ["1", "2;3"]]);
    expect(parseCsv('"x,y";z;w\n')).toEqual([["x,y", "z", "w"]]);
    expect(parseCsv("a|b\n")).toEqual([["a", "b"]]);
    expect(parseCsv("single\nvalue\n")).toEqual([["single"], ["value"]]);
    expect(parseCsv("a;b", { delimiter: "," })).toEqual([["a;b"]]);
  });

  it("reports the line of a stray character after a closing quote and of an unclosed quote", () => {
    const stray = errorOf(() => parseCsv('a,b\n"x"y,z\n'));
    expect(stray.code).toBe("E_BAD_INPUT");
    expect(stray.message).toBe('parseCsv: line 2, a closing quote must be followed by a delimiter or a line end, got "y"');
    const open = errorOf(() => parseCsv('a,b\n1,2\n3,"never\nclosed\n'));
    expect(open.message).toBe("parseCsv: line 3, a quoted field must be closed, got the end of the input");
  });

  it("rejects an invalid delimiter", () => {
    expect(errorOf(() => parseCsv("a", { delimiter: '"' })).code).toBe("E_BAD_INPUT");
    expect(errorOf(() => parseCsv("a", { delimiter: ",," })).message).toContain("options.delimiter");
  });
});

describe("createCsvRowParser", () => {
  it("numbers records by the physical line they start on, counting quoted newlines", () => {
    const parser = createCsvRowParser();
    const records = [...parser.push('h1,h2\r\n"multi\r\nline",x\n\nlast,y\n'), ...parser.end()];
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
  });

  it("joins a CRLF split across chunks and a field split across chunks", () => {
    const parser = createCsvRowParser({ delimiter: "," });
    expect(parser.push("a,b\r")).toEqual([{ fields: ["a", "b"], line: 1 }]);
    expect(parser.push("\nc,d")).toEqual([]);
    expect(parser.push("e\r")).toEqual([{ fields: ["c", "de"], line: 2 }]);
    expect(parser.end()).toEqual([]);
  });

  it("waits for the first line before detecting the delimiter", () => {
    const parser = createCsvRowParser();
    expect(parser.push("a\tb")).toEqual([]);
    expect(parser.delimiter).toBeUndefined();
    expect(parser.push("\tc\n1\t2\t3")).toEqual([{ fields: ["a", "b", "c"], line: 1 }]);
    expect(parser.delimiter).toBe("\t");
    expect(parser.end()).toEqual([{ fields: ["1", "2", "3"], line: 2 }]);
  });

  it("refuses use after end()", () => {
    const parser = createCsvRowParser();
    parser.end();
    expect(errorOf(() => parser.push("a")).code).toBe("E_BAD_INPUT");
  });
});

const fieldArbitrary = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.string({ unit: fc.constantFrom("a", ",", ";", "\t", '"', "\n", "\r", " ", "é", "\uFEFF", "|"), maxLength: 8 }),
);
const rowsArbitrary = fc.array(fc.array(fieldArbitrary, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 });

describe("CSV properties", () => {
  it("parsing what an RFC 4180 writer wrote returns the same rows, for every delimiter and line end", () => {
    fc.assert(
      fc.property(
        rowsArbitrary,
        fc.constantFrom(",", "\t", ";"),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        fc.boolean(),
        (rows, delimiter, lineEnd, quoteAll, finalNewline) => {
          const text = writeCsv(rows, delimiter, lineEnd, quoteAll) + (finalNewline ? lineEnd : "");
          expect(parseCsv(text, { delimiter })).toEqual(rows);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("gives the same records however the text is cut into chunks", () => {
    fc.assert(
      fc.property(rowsArbitrary, fc.array(fc.nat(), { maxLength: 12 }), fc.constantFrom("\n", "\r\n"), (rows, cuts, lineEnd) => {
        const text = writeCsv(rows, ",", lineEnd, false) + lineEnd;
        const whole = parseInChunks(text, [], ",");
        expect(whole.map((r) => r.fields)).toEqual(rows);
        expect(parseInChunks(text, cuts, ",")).toEqual(whole);
        // Auto-detection over chunks agrees with auto-detection over the whole text.
        expect(parseInChunks(text, cuts)).toEqual(parseInChunks(text, []));
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
